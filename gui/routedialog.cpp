// See routedialog.h.
#include "routedialog.h"

#include "config/config.h"
#include "core/domain.h"
#include "core/mailaddress.h"

#include <QHostAddress>
#include <QLineEdit>
#include <QSpinBox>

RouteDialog::RouteDialog(ManagerConnection *connection, const QJsonObject &route, QWidget *parent)
    : RecordDialog(connection, route.isEmpty() ? QStringLiteral("routes.add") : QStringLiteral("routes.update"), parent)
    , m_route(route)
    , m_recipientDomain(new QLineEdit(route.value(QStringLiteral("recipientDomain")).toString(), this))
    , m_remoteHost(new QLineEdit(route.value(QStringLiteral("remoteHost")).toString(), this))
    , m_remotePort(new QSpinBox(this))
    , m_priority(new QSpinBox(this))
    , m_senderDomain(new QLineEdit(route.value(QStringLiteral("senderDomain")).toString(), this))
    , m_authUser(new QLineEdit(route.value(QStringLiteral("authUser")).toString(), this))
    , m_localIps(new QLineEdit(route.value(QStringLiteral("localIps")).toString(), this))
    , m_smtpUser(new QLineEdit(route.value(QStringLiteral("smtpUser")).toString(), this))
    , m_smtpPassword(new QLineEdit(this))
{
    setWindowTitle(route.isEmpty() ? tr("Add a route") : tr("Edit a route"));
    m_remotePort->setRange(1, 65535);
    m_remotePort->setValue(route.value(QStringLiteral("remotePort")).toInt(25));
    m_priority->setRange(0, 1000000);
    m_priority->setValue(route.value(QStringLiteral("priority")).toInt(1));
    m_recipientDomain->setPlaceholderText(tr("example.com"));
    m_remoteHost->setPlaceholderText(tr("mx.example.com or 192.0.2.25"));
    m_senderDomain->setPlaceholderText(tr("any sender"));
    m_authUser->setPlaceholderText(tr("any user"));
    m_localIps->setPlaceholderText(tr("the global setting"));
    m_smtpPassword->setEchoMode(QLineEdit::Password);
    if (route.value(QStringLiteral("hasPassword")).toBool())
        m_smtpPassword->setPlaceholderText(tr("unchanged"));
    addField(tr("&Recipient domain:"), m_recipientDomain, QStringLiteral("recipientDomain"));
    addField(tr("Remote &host:"), m_remoteHost, QStringLiteral("remoteHost"));
    addField(tr("Remote p&ort:"), m_remotePort, QStringLiteral("remotePort"));
    addField(tr("Pr&iority (lower first):"), m_priority, QStringLiteral("priority"));
    addField(tr("&Sender domain:"), m_senderDomain, QStringLiteral("senderDomain"));
    addField(tr("&Authenticated user:"), m_authUser, QStringLiteral("authUser"));
    addField(tr("&Local IPs:"), m_localIps, QStringLiteral("localIps"));
    addField(tr("SMTP &user:"), m_smtpUser, QStringLiteral("smtpUser"));
    addField(tr("SMTP pass&word:"), m_smtpPassword, QStringLiteral("smtpPassword"));
}

QJsonObject RouteDialog::collect(QString *error, QWidget **culprit) const
{
    const auto fail = [&](QLineEdit *field, const QString &text) {
        *error = text;
        *culprit = field;
        return QJsonObject();
    };
    const Expected<Domain> recipient = Domain::parse(m_recipientDomain->text().trimmed());
    if (!recipient)
        return fail(m_recipientDomain, tr("“%1” is not a valid domain name.").arg(m_recipientDomain->text().trimmed()));
    const QString host = m_remoteHost->text().trimmed();
    if (QHostAddress(host).isNull() && !Domain::parse(host))
        return fail(m_remoteHost, tr("“%1” is not a host name or an IP address.").arg(host));
    const QString sender = m_senderDomain->text().trimmed();
    if (!sender.isEmpty() && !Domain::parse(sender))
        return fail(m_senderDomain, tr("“%1” is not a valid domain name.").arg(sender));
    const QString authUser = m_authUser->text().trimmed();
    if (!authUser.isEmpty() && !MailAddress::parse(authUser))
        return fail(m_authUser, tr("“%1” is not a valid e-mail address.").arg(authUser));
    const QString localIps = m_localIps->text().trimmed();
    if (!localIps.isEmpty() && !LocalIpPolicy::parse(localIps))
        return fail(m_localIps, tr("“%1” is not a list of IP addresses separated by | or &.").arg(localIps));
    const bool keepsPassword
        = m_route.value(QStringLiteral("hasPassword")).toBool() && m_smtpPassword->text().isEmpty();
    if (!m_smtpUser->text().trimmed().isEmpty() && m_smtpPassword->text().isEmpty() && !keepsPassword)
        return fail(m_smtpPassword, tr("A route with an SMTP user needs a password."));

    QJsonObject params { { QStringLiteral("recipientDomain"), recipient->name() },
        { QStringLiteral("remoteHost"), host }, { QStringLiteral("remotePort"), m_remotePort->value() },
        { QStringLiteral("priority"), m_priority->value() }, { QStringLiteral("senderDomain"), sender },
        { QStringLiteral("authUser"), authUser }, { QStringLiteral("localIps"), localIps },
        { QStringLiteral("smtpUser"), m_smtpUser->text().trimmed() } };
    if (!m_smtpPassword->text().isEmpty() || m_smtpUser->text().trimmed().isEmpty())
        params.insert(QStringLiteral("smtpPassword"), m_smtpPassword->text());
    if (!m_route.isEmpty())
        params.insert(QStringLiteral("id"), m_route.value(QStringLiteral("id")));
    return params;
}
