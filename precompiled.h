// Precompiled header of every tmail project (qmake's precompile_header, see common.pri):
// the Qt headers most translation units include, chosen by the Qt modules the project uses
// (qmake defines QT_<MODULE>_LIB). Only Qt headers belong here: a change to one of our own
// headers must not rebuild everything.
#ifndef TMAIL_PRECOMPILED_H
#define TMAIL_PRECOMPILED_H

#if defined(__cplusplus)

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariant>

#if defined(QT_NETWORK_LIB)
#include <QHostAddress>
#include <QLocalSocket>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#endif

#if defined(QT_SQL_LIB)
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#endif

#if defined(QT_WIDGETS_LIB)
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QWidget>
#endif

#if defined(QT_TESTLIB_LIB)
#include <QTest>
#endif

#endif

#endif
