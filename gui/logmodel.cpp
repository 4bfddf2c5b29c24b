// See logmodel.h.
#include "logmodel.h"

#include "core/timestamp.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

LogModel::LogModel(QObject *parent) : QAbstractTableModel(parent) { }

int LogModel::levelRank(const QString &level)
{
    if (level == QLatin1String("DEBUG"))
        return 0;
    if (level == QLatin1String("WARNING"))
        return 2;
    if (level == QLatin1String("ERROR") || level == QLatin1String("CRITICAL") || level == QLatin1String("FATAL"))
        return 3;
    return 1;
}

void LogModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused && !m_held.isEmpty())
        insertEntries(std::exchange(m_held, {}));
}

void LogModel::append(const QJsonObject &entry)
{
    if (m_paused)
    {
        m_held.append(entry);
        if (m_held.size() > MaxEntries)
            m_held.removeFirst();
        return;
    }
    insertEntries({ entry });
}

void LogModel::insertEntries(const QList<QJsonObject> &entries)
{
    const int overflow = int(m_entries.size() + entries.size()) - MaxEntries;
    if (overflow > 0)
    {
        const int removed = qMin(overflow, int(m_entries.size()));
        if (removed > 0)
        {
            beginRemoveRows(QModelIndex(), 0, removed - 1);
            m_entries.remove(0, removed);
            endRemoveRows();
        }
    }
    const QList<QJsonObject> kept = entries.mid(qMax<qsizetype>(0, entries.size() - MaxEntries));
    if (kept.isEmpty())
        return;
    beginInsertRows(QModelIndex(), int(m_entries.size()), int(m_entries.size() + kept.size() - 1));
    m_entries.append(kept);
    endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_held.clear();
    endResetModel();
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const QJsonObject &entry = m_entries.at(index.row());
    const QString level = entry.value(QStringLiteral("level")).toString();
    switch (role)
    {
    case Qt::DisplayRole:
        switch (index.column())
        {
        case TimeColumn:
            return formatTimestamp(
                QDateTime::fromString(entry.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs),
                TimestampPrecision::Milliseconds);
        case LevelColumn:
            return level;
        case CategoryColumn:
            return entry.value(QStringLiteral("category")).toString();
        case MessageColumn:
            return entry.value(QStringLiteral("message")).toString();
        default:
            return {};
        }
    case Qt::ForegroundRole:
        if (index.column() == LevelColumn && levelRank(level) >= 2)
            return QBrush(levelRank(level) == 3 ? QColor(0xc0, 0x1c, 0x28) : QColor(0xa0, 0x60, 0x00));
        return {};
    case LevelRankRole:
        return levelRank(level);
    case LineRole:
        return entry.value(QStringLiteral("line")).toString();
    default:
        return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section)
    {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case CategoryColumn:
        return tr("Category");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}
