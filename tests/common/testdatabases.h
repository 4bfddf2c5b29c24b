// The PostgreSQL and MariaDB servers that test.sh starts are shared by every suite of a
// run: a suite that uses one starts by emptying it, so no table left by another suite (or
// by an older schema) changes what it sees.
#pragma once

#include <QString>

class QSqlDatabase;

namespace TestDatabases {

// Drops every table of the connection's database, children before parents: a table a
// foreign key still holds is retried after the others. Returns an empty string, or why a
// table could not be dropped.
QString dropAllTables(QSqlDatabase &connection);

} // namespace TestDatabases
