// See routedialog.h.
#include "routedialog.h"

#include "core/adminvalues.h"
#include "core/domain.h"

#include <QComboBox>
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
    , m_tls(new QComboBox(this))
    , m_smtpUser(new QLineEdit(route.value(QStringLiteral("smtpUser")).toString(), this))
    , m_smtpPassword(new QLineEdit(this))
{
    setWindowTitle(route.isEmpty() ? tr("Add a route") : tr("Edit a route"));
    m_remotePort->setRange(AdminValues::MinPort, AdminValues::MaxPort);
    m_remotePort->setValue(route.value(QStringLiteral("remotePort")).toInt(25));
    m_priority->setRange(AdminValues::MinPriority, AdminValues::MaxPriority);
    m_priority->setValue(route.value(QStringLiteral("priority")).toInt(1));
    m_recipientDomain->setPlaceholderText(tr("example.com"));
    m_remoteHost->setPlaceholderText(tr("mx.example.com or 192.0.2.25"));
    m_senderDomain->setPlaceholderText(tr("any sender"));
    m_authUser->setPlaceholderText(tr("any user"));
    m_localIps->setPlaceholderText(tr("the global setting"));
    // The policies AdminValues::routeTls accepts, in its order (the default first).
    m_tls->addItem(tr("Opportunistic (STARTTLS when offered)"), QStringLiteral("opportunistic"));
    m_tls->addItem(tr("Required (STARTTLS, any certificate)"), QStringLiteral("required"));
    m_tls->addItem(tr("Verify (STARTTLS, certificate valid for the host)"), QStringLiteral("verify"));
    m_tls->addItem(tr("DANE (certificate matches the host's TLSA records)"), QStringLiteral("dane"));
    const int tlsIndex = m_tls->findData(route.value(QStringLiteral("tls")).toString());
    m_tls->setCurrentIndex(tlsIndex < 0 ? 0 : tlsIndex);
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
    addField(tr("&TLS:"), m_tls, QStringLiteral("tls"));
    addField(tr("SMTP &user:"), m_smtpUser, QStringLiteral("smtpUser"));
    addField(tr("SMTP pass&word:"), m_smtpPassword, QStringLiteral("smtpPassword"));
}

std::optional<QJsonObject> RouteDialog::collect()
{
    // The parsers the daemon applies to the same fields (core/adminvalues.h).
    const Expected<Domain> recipient = Domain::parse(m_recipientDomain->text().trimmed());
    if (!recipient)
        return rejectField(
            m_recipientDomain, tr("“%1” is not a valid domain name.").arg(m_recipientDomain->text().trimmed()));
    const Expected<QString> host = AdminValues::remoteHost(m_remoteHost->text());
    if (!host)
        return rejectField(
            m_remoteHost, tr("“%1” is not a host name or an IP address.").arg(m_remoteHost->text().trimmed()));
    const Expected<QString> sender = AdminValues::senderDomain(m_senderDomain->text());
    if (!sender)
        return rejectField(
            m_senderDomain, tr("“%1” is not a valid domain name.").arg(m_senderDomain->text().trimmed()));
    const Expected<QString> authUser = AdminValues::authUser(m_authUser->text());
    if (!authUser)
        return rejectField(m_authUser, tr("“%1” is not a valid e-mail address.").arg(m_authUser->text().trimmed()));
    const Expected<QString> localIps = AdminValues::localIps(m_localIps->text());
    if (!localIps)
        return rejectField(m_localIps,
            tr("“%1” is not a list of IP addresses separated by | or &.").arg(m_localIps->text().trimmed()));
    const Expected<QString> tls = AdminValues::routeTls(m_tls->currentData().toString());
    if (!tls)
        return rejectField(m_tls, tr("Choose a TLS policy."));
    const QString smtpUser = m_smtpUser->text().trimmed();
    if (!AdminValues::credential(smtpUser, AdminValues::MaxSmtpUserLength))
        return rejectField(m_smtpUser, tr("The SMTP user has control characters or is too long."));
    if (!AdminValues::credential(m_smtpPassword->text(), AdminValues::MaxSmtpPasswordLength))
        return rejectField(m_smtpPassword, tr("The SMTP password has control characters or is too long."));
    const bool keepsPassword
        = m_route.value(QStringLiteral("hasPassword")).toBool() && m_smtpPassword->text().isEmpty();
    if (!smtpUser.isEmpty() && m_smtpPassword->text().isEmpty() && !keepsPassword)
        return rejectField(m_smtpPassword, tr("A route with an SMTP user needs a password."));

    QJsonObject params { { QStringLiteral("recipientDomain"), recipient->name() },
        { QStringLiteral("remoteHost"), host.value() }, { QStringLiteral("remotePort"), m_remotePort->value() },
        { QStringLiteral("priority"), m_priority->value() }, { QStringLiteral("senderDomain"), sender.value() },
        { QStringLiteral("authUser"), authUser.value() }, { QStringLiteral("localIps"), localIps.value() },
        { QStringLiteral("tls"), tls.value() }, { QStringLiteral("smtpUser"), smtpUser } };
    if (!m_smtpPassword->text().isEmpty() || smtpUser.isEmpty())
        params.insert(QStringLiteral("smtpPassword"), m_smtpPassword->text());
    if (!m_route.isEmpty())
        params.insert(QStringLiteral("id"), m_route.value(QStringLiteral("id")));
    return params;
}
