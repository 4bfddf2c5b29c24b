#include "testdatabases.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace TestDatabases {

QString dropAllTables(QSqlDatabase &connection)
{
    QStringList left = connection.tables();
    left.removeIf([](const QString &table) { return table.startsWith(QLatin1String("sqlite_")); });
    QString lastError;
    while (!left.isEmpty())
    {
        QStringList stuck;
        for (const QString &table : std::as_const(left))
        {
            QSqlQuery drop(connection);
            if (!drop.exec(QStringLiteral("DROP TABLE ") + table))
            {
                lastError = QStringLiteral("cannot drop %1: %2").arg(table, drop.lastError().text());
                stuck << table;
            }
        }
        if (stuck.size() == left.size())
            return lastError; // no progress: not a foreign key order problem
        left = stuck;
    }
    return {};
}

} // namespace TestDatabases
