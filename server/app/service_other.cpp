// Service registration where tmail knows no service manager.
#include "app/service.h"

QString Service::definitionPath()
{
    return QString();
}

QString Service::definition(const QString &, const QString &)
{
    return QString();
}

int Service::install(const QString &, bool)
{
    return failure(QStringLiteral("no service manager is supported on this system"));
}

int Service::uninstall()
{
    return install(QString(), false);
}

int Service::status()
{
    return install(QString(), false);
}

int Service::runUnderServiceManager()
{
    return -1;
}
