// See logfiltermodel.h.
#include "logfiltermodel.h"

#include "logmodel.h"

LogFilterModel::LogFilterModel(QObject *parent) : QSortFilterProxyModel(parent) { }

void LogFilterModel::setMinimumLevel(int rank)
{
    m_minimumLevel = rank;
    invalidateFilter();
}

void LogFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    if (model->data(first, LogModel::LevelRankRole).toInt() < m_minimumLevel)
        return false;
    if (m_text.isEmpty())
        return true;
    return model->data(first, LogModel::LineRole).toString().contains(m_text, Qt::CaseInsensitive)
        || model->index(sourceRow, LogModel::CategoryColumn, sourceParent)
               .data()
               .toString()
               .contains(m_text, Qt::CaseInsensitive);
}
