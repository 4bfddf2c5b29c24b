// The live log as a table (time, level, category, message), capped in length.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

class LogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int MaxEntries = 5000;
    enum Column
    {
        TimeColumn,
        LevelColumn,
        CategoryColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role
    {
        LevelRankRole = Qt::UserRole + 1,
        LineRole
    };

    explicit LogModel(QObject *parent = nullptr);

    // While paused, entries are kept aside and shown on resume.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    void append(const QJsonObject &entry);
    void clear();
    // 0 debug, 1 info, 2 warning, 3 error.
    static int levelRank(const QString &level);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void insertEntries(const QList<QJsonObject> &entries);

    QList<QJsonObject> m_entries;
    QList<QJsonObject> m_held;
    bool m_paused = false;
};
