// See dkimpage.h.
#include "dkimpage.h"

#include "dkimkeydialog.h"

#include "core/timestamp.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace {

QString rowId(const QString &domain, const QString &selector)
{
    return domain + QLatin1Char('/') + selector;
}

} // namespace

DkimPage::DkimPage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("dkim"), parent)
    , m_records(new QPlainTextEdit(this))
    , m_recordsLabel(new QLabel(tr("DNS TXT records to p&ublish:"), this))
    , m_copy(nullptr)
{
    model()->setColumns({ JsonTableModel::textColumn(tr("Domain"), QStringLiteral("domain")),
        JsonTableModel::textColumn(tr("Selector"), QStringLiteral("selector")),
        { tr("Algorithm"),
            [](const QJsonObject &row) -> QVariant {
                const QString algorithm = row.value(QStringLiteral("algorithm")).toString();
                if (algorithm == QLatin1String("rsa-sha256"))
                    return tr("RSA, %1 bits").arg(row.value(QStringLiteral("bits")).toInt());
                if (algorithm == QLatin1String("ed25519-sha256"))
                    return tr("Ed25519");
                return algorithm;
            } },
        { tr("Created"),
            [](const QJsonObject &row) -> QVariant {
                const QDateTime created
                    = QDateTime::fromString(row.value(QStringLiteral("createdAt")).toString(), Qt::ISODate);
                return created.isValid() ? formatTimestampMs(created.toMSecsSinceEpoch()) : QString();
            } },
        { tr("Signing"),
            [](const QJsonObject &row) -> QVariant {
                return row.value(QStringLiteral("active")).toBool() ? tr("active") : tr("retired");
            } },
        { tr("DNS"), [this](const QJsonObject &row) -> QVariant { return dnsStateText(row); } } });
    view()->setAccessibleName(tr("DKIM keys"));
    addAction(
        tr("&Add…"), tr("Make DKIM keys for a domain"), QKeySequence::New, [this]() { addKeys(); }, false);
    addAction(
        tr("&Rotate"), tr("Make new keys for the selected key's domain; the old ones stop signing"),
        QKeySequence(Qt::CTRL | Qt::Key_T), [this]() { rotateKeys(); }, true);
    addAction(
        tr("&Delete"), tr("Delete the selected key"), QKeySequence::Delete, [this]() { deleteKey(); }, true);
    addAction(
        tr("&Check DNS"), tr("Look up the selected key's domain in DNS"), QKeySequence(Qt::CTRL | Qt::Key_D),
        [this]() { checkDns(); }, true);
    addToolbarStretch();

    // The records, read-only and selectable, with a button that copies them whole.
    m_recordsLabel->setBuddy(m_records);
    m_records->setReadOnly(true);
    m_records->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_records->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_records->setTabChangesFocus(true);
    m_records->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_records->setMaximumHeight(m_records->fontMetrics().lineSpacing() * 6);
    m_records->setPlaceholderText(tr("Select a key to see the records of its domain."));
    m_records->setAccessibleName(tr("DNS TXT records to publish"));
    auto *recordsRow = new QHBoxLayout;
    recordsRow->addWidget(m_recordsLabel, 1);
    m_copy = new QPushButton(tr("C&opy"), this);
    m_copy->setAccessibleDescription(tr("Copy the DNS records to the clipboard"));
    m_copy->setToolTip(m_copy->accessibleDescription());
    m_copy->setEnabled(false);
    connect(m_copy, &QPushButton::clicked, this, &DkimPage::copyRecords);
    recordsRow->addWidget(m_copy);
    // Above the page's message line.
    m_layout->insertLayout(m_layout->count() - 1, recordsRow);
    m_layout->insertWidget(m_layout->count() - 1, m_records);

    connect(view()->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DkimPage::loadRecords);
}

QString DkimPage::recordsText() const
{
    return m_records->toPlainText();
}

void DkimPage::onListResult(const QJsonObject &result)
{
    m_items = result.value(QStringLiteral("items")).toArray();
    showRows();
    // A list change may be a key of the shown domain added or deleted.
    m_recordsDomain.clear();
    loadRecords();
}

void DkimPage::showRows()
{
    // Rows get an id (domain/selector) so that the selection survives a reload.
    QJsonArray rows;
    for (const QJsonValue &item : std::as_const(m_items))
    {
        QJsonObject row = item.toObject();
        row.insert(QStringLiteral("id"),
            rowId(row.value(QStringLiteral("domain")).toString(), row.value(QStringLiteral("selector")).toString()));
        rows.append(row);
    }
    TablePage::onListResult({ { QStringLiteral("items"), rows } });
    if (m_selectAfterLoad.isEmpty())
        return;
    for (int row = 0; row < model()->rowCount(); ++row)
    {
        if (model()->row(row).value(QStringLiteral("id")).toString() == m_selectAfterLoad)
        {
            view()->selectRow(row);
            m_selectAfterLoad.clear();
            break;
        }
    }
}

QString DkimPage::dnsStateText(const QJsonObject &row) const
{
    const QString state = m_dnsStates.value(row.value(QStringLiteral("domain")).toString())
                              .value(row.value(QStringLiteral("selector")).toString());
    if (state.isEmpty())
        return tr("not checked");
    if (state == QLatin1String("published"))
        return tr("published");
    if (state == QLatin1String("missing"))
        return tr("missing");
    if (state == QLatin1String("different key"))
        return tr("different key");
    if (state == QLatin1String("unavailable"))
        return tr("no answer from DNS");
    return state;
}

void DkimPage::loadRecords()
{
    const QString domain = selectedRow().value(QStringLiteral("domain")).toString();
    if (domain == m_recordsDomain && !domain.isEmpty())
        return;
    m_recordsDomain = domain;
    m_records->clear();
    m_copy->setEnabled(false);
    if (domain.isEmpty())
        return;
    m_connection->request(QStringLiteral("dkim.dns"), { { QStringLiteral("domain"), domain } }, this,
        [this, domain](const ManagerConnection::Reply &reply) {
            // A reply for a domain no longer selected is dropped.
            if (domain != m_recordsDomain)
                return;
            if (!reply.ok)
            {
                showMessage(ManagerConnection::describeError(reply), true);
                return;
            }
            QStringList lines;
            for (const QJsonValue &line : reply.resultObject().value(QStringLiteral("records")).toArray())
                lines.append(line.toString());
            m_records->setPlainText(lines.join(QLatin1Char('\n')));
            m_copy->setEnabled(!lines.isEmpty());
            emit recordsShown(domain);
        });
}

void DkimPage::copyRecords()
{
    if (recordsText().isEmpty())
        return;
    QApplication::clipboard()->setText(recordsText() + QLatin1Char('\n'));
    showMessage(tr("The DNS records of %1 are in the clipboard.").arg(m_recordsDomain), false);
}

void DkimPage::addKeys()
{
    auto *dialog = new DkimKeyDialog(m_connection, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() {
        const QJsonArray keys = dialog->lastReply().resultObject().value(QStringLiteral("items")).toArray();
        QString domain;
        QStringList selectors;
        for (const QJsonValue &key : keys)
        {
            domain = key.toObject().value(QStringLiteral("domain")).toString();
            selectors.append(key.toObject().value(QStringLiteral("selector")).toString());
        }
        // The new key is selected once the list shows it, so that its records are ready to copy.
        if (!selectors.isEmpty())
            m_selectAfterLoad = rowId(domain, selectors.first());
        showMessage(tr("Keys %1 added for %2: publish the DNS records below.")
                        .arg(selectors.join(QStringLiteral(", ")), domain),
            false);
    });
    dialog->open();
}

void DkimPage::rotateKeys()
{
    const QString domain = selectedRow().value(QStringLiteral("domain")).toString();
    if (domain.isEmpty()
        || !confirm(tr("Make new DKIM keys for %1? They sign from now on; publish their records at once. "
                       "The old keys stop signing and stay listed until you delete them.")
                        .arg(domain)))
        return;
    m_connection->request(QStringLiteral("dkim.rotate"), { { QStringLiteral("domain"), domain } }, this,
        [this, domain](const ManagerConnection::Reply &reply) {
            if (!reply.ok && reply.errorCode == QLatin1String("not_found"))
            {
                // Every key of the domain is retired: rotation has nothing to follow.
                showMessage(tr("%1 has no active DKIM key to rotate: add keys instead.").arg(domain), true);
                return;
            }
            if (!reply.ok)
            {
                showMessage(ManagerConnection::describeError(reply), true);
                return;
            }
            const QJsonArray keys = reply.resultObject().value(QStringLiteral("items")).toArray();
            QStringList selectors;
            for (const QJsonValue &key : keys)
                selectors.append(key.toObject().value(QStringLiteral("selector")).toString());
            if (!selectors.isEmpty())
                m_selectAfterLoad = rowId(domain, selectors.first());
            showMessage(tr("Keys %1 now sign for %2: publish the DNS records below.")
                            .arg(selectors.join(QStringLiteral(", ")), domain),
                false);
        });
}

void DkimPage::deleteKey()
{
    const QJsonObject key = selectedRow();
    const QString domain = key.value(QStringLiteral("domain")).toString();
    const QString selector = key.value(QStringLiteral("selector")).toString();
    if (domain.isEmpty()
        || !confirm(tr("Delete the DKIM key %1 of %2? Mail it signed no longer verifies once its DNS record is "
                       "removed.")
                        .arg(selector, domain)))
        return;
    m_dnsStates[domain].remove(selector);
    run(QStringLiteral("dkim.delete"),
        { { QStringLiteral("domain"), domain }, { QStringLiteral("selector"), selector } },
        tr("DKIM key %1 of %2 deleted.").arg(selector, domain));
}

void DkimPage::checkDns()
{
    const QString domain = selectedRow().value(QStringLiteral("domain")).toString();
    if (domain.isEmpty())
        return;
    showMessage(tr("Looking up the records of %1 in DNS…").arg(domain), false);
    m_connection->request(QStringLiteral("dkim.check"), { { QStringLiteral("domain"), domain } }, this,
        [this, domain](const ManagerConnection::Reply &reply) {
            if (!reply.ok)
            {
                showMessage(ManagerConnection::describeError(reply), true);
                return;
            }
            QHash<QString, QString> states;
            int published = 0;
            const QJsonArray items = reply.resultObject().value(QStringLiteral("items")).toArray();
            for (const QJsonValue &item : items)
            {
                const QJsonObject check = item.toObject();
                const QString state = check.value(QStringLiteral("state")).toString();
                states.insert(check.value(QStringLiteral("selector")).toString(), state);
                if (state == QLatin1String("published"))
                    ++published;
            }
            m_dnsStates.insert(domain, states);
            showRows();
            showMessage(published == items.size()
                    ? tr("DNS serves the records of every key of %1.").arg(domain)
                    : tr("DNS serves the records of %1 of the %2 keys of %3: publish the others.")
                          .arg(published)
                          .arg(items.size())
                          .arg(domain),
                published != items.size());
            emit dnsChecked(domain);
        });
}
