// A table model over a list of JSON objects (rows the daemon sent), with columns
// defined by the page: a translated title and how to show each cell.
#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

class JsonTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    struct Column
    {
        QString title;
        std::function<QVariant(const QJsonObject &row)> display;
        Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter;
    };

    explicit JsonTableModel(QObject *parent = nullptr);

    void setColumns(const QList<Column> &columns);
    // Replaces every row, keeping the rows of the same key selected by views where possible.
    void setRows(const QJsonArray &rows);
    QJsonObject row(int index) const;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A column that shows row[key] as text.
    static Column textColumn(const QString &title, const QString &key);

private:
    QList<Column> m_columns;
    QList<QJsonObject> m_rows;
};
