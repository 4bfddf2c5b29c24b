// See jsontablemodel.h.
#include "jsontablemodel.h"

JsonTableModel::JsonTableModel(QObject *parent) : QAbstractTableModel(parent) { }

void JsonTableModel::setColumns(const QList<Column> &columns)
{
    beginResetModel();
    m_columns = columns;
    endResetModel();
}

void JsonTableModel::setRows(const QJsonArray &rows)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(rows.size());
    for (const QJsonValue &value : rows)
        m_rows.append(value.toObject());
    endResetModel();
}

QJsonObject JsonTableModel::row(int index) const
{
    return index >= 0 && index < m_rows.size() ? m_rows.at(index) : QJsonObject();
}

int JsonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JsonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_columns.size())
        return {};
    const Column &column = m_columns.at(index.column());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return column.display(m_rows.at(index.row()));
    if (role == Qt::TextAlignmentRole)
        return int(column.alignment);
    return {};
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < m_columns.size())
        return m_columns.at(section).title;
    return QAbstractTableModel::headerData(section, orientation, role);
}

JsonTableModel::Column JsonTableModel::textColumn(const QString &title, const QString &key)
{
    return { title, [key](const QJsonObject &row) -> QVariant {
                const QJsonValue value = row.value(key);
                return value.isDouble() ? QVariant(qint64(value.toDouble())) : QVariant(value.toVariant().toString());
            } };
}
