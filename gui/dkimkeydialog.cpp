// See dkimkeydialog.h.
#include "dkimkeydialog.h"

#include "core/adminvalues.h"

#include <QComboBox>
#include <QLineEdit>

DkimKeyDialog::DkimKeyDialog(ManagerConnection *connection, QWidget *parent)
    : RecordDialog(connection, QStringLiteral("dkim.add"), parent)
    , m_domain(new QLineEdit(this))
    , m_selector(new QLineEdit(this))
    , m_algorithm(new QComboBox(this))
    , m_bits(new QComboBox(this))
{
    setWindowTitle(tr("Add DKIM keys"));
    m_domain->setPlaceholderText(tr("example.com"));
    m_selector->setPlaceholderText(tr("automatic (tmail + year and month)"));
    // Both by default: receivers that know Ed25519 (RFC 8463) use it, the others RSA.
    m_algorithm->addItem(tr("RSA and Ed25519"), QStringLiteral("both"));
    m_algorithm->addItem(tr("RSA"), QStringLiteral("rsa"));
    m_algorithm->addItem(tr("Ed25519"), QStringLiteral("ed25519"));
    for (const int bits : { 2048, 3072, 4096 })
        m_bits->addItem(tr("%1 bits").arg(bits), bits);
    addField(tr("&Domain:"), m_domain, QStringLiteral("domain"));
    addField(tr("&Selector:"), m_selector, QStringLiteral("selector"));
    addField(tr("&Algorithm:"), m_algorithm, QStringLiteral("algorithm"));
    addField(tr("&RSA key size:"), m_bits, QStringLiteral("bits"));
    connect(m_algorithm, &QComboBox::currentIndexChanged, this,
        [this]() { m_bits->setEnabled(m_algorithm->currentData().toString() != QLatin1String("ed25519")); });
}

std::optional<QJsonObject> DkimKeyDialog::collect()
{
    const Expected<QString> domain = AdminValues::dkimDomain(m_domain->text());
    if (!domain)
        return rejectField(m_domain,
            tr("“%1” is not a domain name of at least two labels (example.com).").arg(m_domain->text().trimmed()));
    const QString algorithm = m_algorithm->currentData().toString();
    const QString selector = m_selector->text().trimmed();
    // With both algorithms the keys are named SELECTOR-rsa and SELECTOR-ed.
    const QString longest = algorithm == QLatin1String("both") ? selector + QStringLiteral("-rsa") : selector;
    if (!selector.isEmpty() && (!AdminValues::isDkimSelector(selector) || !AdminValues::isDkimSelector(longest)))
        return rejectField(m_selector,
            tr("“%1” is not a selector: letters, digits and “-” (not first or last), at most 63 characters "
               "(59 with both algorithms).")
                .arg(selector));
    QJsonObject params { { QStringLiteral("domain"), domain.value() }, { QStringLiteral("algorithm"), algorithm },
        { QStringLiteral("bits"), m_bits->currentData().toInt() } };
    if (!selector.isEmpty())
        params.insert(QStringLiteral("selector"), selector);
    return params;
}
