// See queuepage.h.
#include "queuepage.h"

#include "core/queuefilter.h"
#include "core/timestamp.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace {

QString formatTime(const QJsonValue &value)
{
    return formatTimestampMs(qint64(value.toDouble()));
}

// The TLS policy deliverd reports as not met (a 4.7.5 deferral), by its code.
QString tlsPolicyText(const QString &code)
{
    if (code == QLatin1String("dane"))
        return QueuePage::tr("DANE");
    if (code == QLatin1String("mta-sts"))
        return QueuePage::tr("MTA-STS");
    if (code == QLatin1String("required"))
        return QueuePage::tr("TLS required by the route");
    if (code == QLatin1String("verify"))
        return QueuePage::tr("verified TLS required by the route");
    return QString();
}

// A read-only text pane of the message viewer, in a fixed-width font as a mail reader's
// source view.
QPlainTextEdit *textPane(const QString &text, const QString &name, QWidget *parent)
{
    auto *pane = new QPlainTextEdit(text, parent);
    pane->setReadOnly(true);
    pane->setLineWrapMode(QPlainTextEdit::NoWrap);
    pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    pane->setAccessibleName(name);
    return pane;
}

} // namespace

QueuePage::QueuePage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("queue"), parent)
    , m_pageLabel(new QLabel(this))
    , m_domain(new QLineEdit(this))
    , m_sender(new QLineEdit(this))
    , m_status(new QComboBox(this))
    , m_bulkAction(new QComboBox(this))
{
    const auto statusText = [](const QString &status) {
        if (status == QLatin1String("held"))
            return tr("held");
        if (status == QLatin1String("active"))
            return tr("being delivered");
        if (status == QLatin1String("deferred"))
            return tr("deferred");
        return tr("queued");
    };
    model()->setColumns({ { tr("Id"),
                              [](const QJsonObject &row) -> QVariant {
                                  return row.value(QStringLiteral("id")).toString().left(ShortIdLength);
                              } },
        { tr("Status"),
            [statusText](const QJsonObject &row) -> QVariant {
                return statusText(row.value(QStringLiteral("status")).toString());
            } },
        { tr("Sender"),
            [](const QJsonObject &row) -> QVariant {
                const QString sender = row.value(QStringLiteral("sender")).toString();
                return sender.isEmpty() ? QStringLiteral("<>") : sender;
            } },
        { tr("Recipients"),
            [](const QJsonObject &row) -> QVariant {
                QStringList recipients;
                for (const QJsonValue &value : row.value(QStringLiteral("recipients")).toArray())
                    recipients.append(value.toString());
                return recipients.join(QStringLiteral(", "));
            } },
        { tr("Received"),
            [](const QJsonObject &row) -> QVariant { return formatTime(row.value(QStringLiteral("createdAt"))); } },
        { tr("Attempts"),
            [](const QJsonObject &row) -> QVariant { return row.value(QStringLiteral("attempts")).toInt(); },
            Qt::AlignRight | Qt::AlignVCenter },
        { tr("Held by TLS policy"),
            [](const QJsonObject &row) -> QVariant {
                return tlsPolicyText(row.value(QStringLiteral("heldByTlsPolicy")).toString());
            } },
        JsonTableModel::textColumn(tr("Last error"), QStringLiteral("lastError")) });
    view()->setAccessibleName(tr("Queue"));
    // The last error takes the width that is left, elided; its whole text is the tooltip.
    view()->setTextElideMode(Qt::ElideRight);
    view()->setWordWrap(false);
    view()->horizontalHeader()->setStretchLastSection(true);
    view()->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view()->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    addAction(
        tr("&Show…"), tr("Show the selected message: envelope, headers and body"), QKeySequence(Qt::Key_Return),
        [this]() { showMessageDetails(); }, true);
    addAction(
        tr("&Retry"), tr("Retry the selected message now"), QKeySequence(Qt::CTRL | Qt::Key_R), [this]() { retry(); },
        true);
    addAction(
        tr("H&old"), tr("Hold the selected message: it is not tried until released"),
        QKeySequence(Qt::CTRL | Qt::Key_H), [this]() { hold(); }, true);
    addAction(
        tr("Rel&ease"), tr("Release the selected message: it is tried again"), QKeySequence(Qt::CTRL | Qt::Key_L),
        [this]() { release(); }, true);
    addAction(
        tr("Re&turn to sender"), tr("Give up on the selected message and send its sender a non-delivery report"),
        QKeySequence(Qt::CTRL | Qt::Key_B), [this]() { bounce(); }, true);
    addAction(
        tr("&Discard"), tr("Discard the selected message"), QKeySequence::Delete, [this]() { discard(); }, true);
    addAction(
        tr("Retry &all"), tr("Retry every message now"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
        [this]() { retryAll(); }, false);

    // Filters, and the bulk action on what they select.
    auto *filters = new QHBoxLayout;
    const auto labelled = [this, filters](const QString &text, QWidget *field, const QString &name) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        field->setAccessibleName(name);
        filters->addWidget(label);
        filters->addWidget(field, field == m_status ? 0 : 1);
    };
    m_domain->setPlaceholderText(tr("example.com or *.example.com"));
    m_sender->setPlaceholderText(tr("address, <> or domain"));
    m_status->addItem(tr("Any"), QString());
    for (const QString &status : QueueFilter::statusNames())
        m_status->addItem(statusText(status), status);
    labelled(tr("Do&main:"), m_domain, tr("Domain"));
    labelled(tr("Se&nder:"), m_sender, tr("Sender"));
    labelled(tr("Stat&us:"), m_status, tr("Status"));
    auto *filterButton = new QPushButton(tr("F&ilter"), this);
    filterButton->setAccessibleName(tr("Filter"));
    filterButton->setAccessibleDescription(tr("Show only the messages that match the filter"));
    filterButton->setToolTip(filterButton->accessibleDescription());
    filters->addWidget(filterButton);
    connect(filterButton, &QPushButton::clicked, this, &QueuePage::applyFilter);
    connect(m_domain, &QLineEdit::returnPressed, this, &QueuePage::applyFilter);
    connect(m_sender, &QLineEdit::returnPressed, this, &QueuePage::applyFilter);
    connect(m_status, &QComboBox::activated, this, &QueuePage::applyFilter);
    auto *bulkLabel = new QLabel(tr("All matchin&g:"), this);
    bulkLabel->setBuddy(m_bulkAction);
    m_bulkAction->setAccessibleName(tr("All matching"));
    m_bulkAction->setAccessibleDescription(tr("The action for every message the filter selects"));
    for (const QString &action : { QStringLiteral("retry"), QStringLiteral("hold"), QStringLiteral("release"),
             QStringLiteral("bounce"), QStringLiteral("discard") })
        m_bulkAction->addItem(actionText(action), action);
    auto *bulkButton = new QPushButton(tr("Appl&y…"), this);
    bulkButton->setAccessibleDescription(tr("Apply the chosen action to every message the filter selects"));
    bulkButton->setToolTip(bulkButton->accessibleDescription());
    connect(bulkButton, &QPushButton::clicked, this, &QueuePage::applyToMatching);
    filters->addSpacing(12);
    filters->addWidget(bulkLabel);
    filters->addWidget(m_bulkAction);
    filters->addWidget(bulkButton);
    m_layout->insertLayout(1, filters);

    auto *pages = new QHBoxLayout;
    m_previous = new QPushButton(tr("&Previous"), this);
    m_previous->setAccessibleName(tr("Previous"));
    m_previous->setAccessibleDescription(tr("Previous page of the queue"));
    m_previous->setShortcut(QKeySequence(QKeySequence::MoveToPreviousPage));
    connect(m_previous, &QPushButton::clicked, this, [this]() {
        m_offset = qMax(0, m_offset - PageSize);
        refresh();
    });
    m_next = new QPushButton(tr("Ne&xt"), this);
    m_next->setAccessibleName(tr("Next"));
    m_next->setAccessibleDescription(tr("Next page of the queue"));
    m_next->setShortcut(QKeySequence(QKeySequence::MoveToNextPage));
    connect(m_next, &QPushButton::clicked, this, [this]() {
        m_offset += PageSize;
        refresh();
    });
    m_pageLabel->setAccessibleDescription(tr("Queue position"));
    pages->addWidget(m_previous);
    pages->addWidget(m_pageLabel);
    pages->addWidget(m_next);
    pages->addStretch(1);
    m_layout->insertLayout(3, pages);
    connect(view(), &QTableView::doubleClicked, this, [this]() { showMessageDetails(); });
    onListResult({});
}

QString QueuePage::actionText(const QString &action) const
{
    if (action == QLatin1String("retry"))
        return tr("Retry");
    if (action == QLatin1String("hold"))
        return tr("Hold");
    if (action == QLatin1String("release"))
        return tr("Release");
    if (action == QLatin1String("bounce"))
        return tr("Return to sender");
    return tr("Discard");
}

QJsonObject QueuePage::filterParams() const
{
    return m_filter;
}

QJsonObject QueuePage::listParams() const
{
    QJsonObject params = filterParams();
    params.insert(QStringLiteral("offset"), m_offset);
    params.insert(QStringLiteral("limit"), PageSize);
    return params;
}

void QueuePage::applyFilter()
{
    // Checked here by the daemon's own parser, so that a typo is named before any request.
    const QString status = m_status->currentData().toString();
    const Expected<QueueFilter> filter = QueueFilter::parse(m_domain->text(), m_sender->text(), QString(), status);
    if (!filter)
    {
        const Expected<QueueFilter> domainOnly = QueueFilter::parse(m_domain->text(), QString(), QString());
        showMessage(domainOnly ? tr("The sender filter is not an address, <> or a domain.")
                               : tr("The domain filter is not a domain or *.domain pattern."),
            true);
        (domainOnly ? m_sender : m_domain)->setFocus();
        return;
    }
    QJsonObject params;
    if (!filter->domain.isEmpty())
        params.insert(QStringLiteral("domain"), filter->domain);
    if (!filter->sender.isEmpty())
        params.insert(QStringLiteral("sender"), filter->sender);
    if (!filter->statusName.isEmpty())
        params.insert(QStringLiteral("status"), filter->statusName);
    m_filter = params;
    m_offset = 0;
    showMessage(QString(), false);
    refresh();
}

void QueuePage::onListResult(const QJsonObject &result)
{
    m_total = result.value(QStringLiteral("total")).toInt();
    if (m_offset > 0 && m_offset >= m_total)
    {
        m_offset = qMax(0, ((m_total - 1) / PageSize) * PageSize);
        if (!result.isEmpty() && m_total > 0)
        {
            refresh();
            return;
        }
    }
    TablePage::onListResult(result);
    const int shown = int(result.value(QStringLiteral("items")).toArray().size());
    const QString text = m_total == 0 ? (m_filter.isEmpty() ? tr("The queue is empty.") : tr("No message matches."))
                                      : tr("Messages %1–%2 of %3").arg(m_offset + 1).arg(m_offset + shown).arg(m_total);
    m_pageLabel->setText(text);
    m_pageLabel->setAccessibleName(text);
    m_previous->setEnabled(m_offset > 0);
    m_next->setEnabled(m_offset + shown < m_total);
    // A short ID column, the last error with the room that is left.
    for (int column = 0; column + 1 < model()->columnCount(); ++column)
    {
        view()->resizeColumnToContents(column);
        view()->setColumnWidth(column, qMin(view()->columnWidth(column), 220));
    }
}

QString QueuePage::selectedId() const
{
    return selectedRow().value(QStringLiteral("id")).toString();
}

void QueuePage::showMessageDetails()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    m_connection->request(QStringLiteral("queue.show"),
        { { QStringLiteral("id"), id }, { QStringLiteral("content"), true } }, this,
        [this, id](const ManagerConnection::Reply &reply) {
            if (!reply.ok)
            {
                showMessage(ManagerConnection::describeError(reply), true);
                return;
            }
            const QJsonObject message = reply.resultObject();
            QStringList lines;
            lines << tr("Id: %1").arg(id) << tr("Sender: %1").arg(message.value(QStringLiteral("sender")).toString())
                  << tr("Authenticated user: %1").arg(message.value(QStringLiteral("authUser")).toString())
                  << tr("Client: %1 (HELO %2)")
                         .arg(message.value(QStringLiteral("clientIp")).toString(),
                             message.value(QStringLiteral("helo")).toString())
                  << tr("Size: %1")
                         .arg(QLocale().formattedDataSize(qint64(message.value(QStringLiteral("size")).toDouble())))
                  << tr("Received: %1").arg(formatTime(message.value(QStringLiteral("createdAt"))))
                  << tr("Attempts: %1").arg(message.value(QStringLiteral("attempts")).toInt())
                  << tr("Next attempt: %1").arg(formatTime(message.value(QStringLiteral("nextAttemptAt"))))
                  << tr("Held: %1").arg(message.value(QStringLiteral("held")).toBool() ? tr("yes") : tr("no"))
                  << tr("Last error: %1").arg(message.value(QStringLiteral("lastError")).toString()) << QString()
                  << tr("Recipients:");
            for (const QJsonValue &value : message.value(QStringLiteral("recipients")).toArray())
            {
                const QJsonObject recipient = value.toObject();
                const QString status = recipient.value(QStringLiteral("status")).toString();
                const QString statusText = status == QLatin1String("delivered") ? tr("delivered")
                    : status == QLatin1String("failed")                         ? tr("failed")
                                                                                : tr("pending");
                lines << QStringLiteral("  %1 — %2 %3")
                             .arg(recipient.value(QStringLiteral("address")).toString(), statusText,
                                 recipient.value(QStringLiteral("lastError")).toString());
            }
            QString body = message.value(QStringLiteral("body")).toString();
            if (message.value(QStringLiteral("truncated")).toBool())
                body += QLatin1Char('\n') + tr("[The rest of the message is not shown.]");
            auto *dialog = new QDialog(this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->setWindowTitle(tr("Queued message %1").arg(id.left(ShortIdLength)));
            auto *layout = new QVBoxLayout(dialog);
            auto *tabs = new QTabWidget(dialog);
            tabs->setAccessibleName(tr("Message parts"));
            tabs->addTab(textPane(lines.join(QLatin1Char('\n')), tr("Message details"), dialog), tr("En&velope"));
            tabs->addTab(
                textPane(message.value(QStringLiteral("headers")).toString(), tr("Headers"), dialog), tr("&Headers"));
            tabs->addTab(textPane(body, tr("Body"), dialog), tr("&Body"));
            layout->addWidget(tabs);
            auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
            buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
            connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
            layout->addWidget(buttons);
            dialog->resize(760, 520);
            dialog->open();
            tabs->currentWidget()->setFocus();
        });
}

void QueuePage::retry()
{
    const QString id = selectedId();
    if (!id.isEmpty())
        run(QStringLiteral("queue.retry"), { { QStringLiteral("id"), id } },
            tr("Message %1 will be retried now.").arg(id.left(ShortIdLength)));
}

void QueuePage::retryAll()
{
    run(QStringLiteral("queue.retry"), { { QStringLiteral("all"), true } },
        tr("Every waiting message will be retried now."));
}

void QueuePage::hold()
{
    const QString id = selectedId();
    if (!id.isEmpty())
        run(QStringLiteral("queue.hold"), { { QStringLiteral("id"), id } },
            tr("Message %1 is held: it will not be tried until released.").arg(id.left(ShortIdLength)));
}

void QueuePage::release()
{
    const QString id = selectedId();
    if (!id.isEmpty())
        run(QStringLiteral("queue.release"), { { QStringLiteral("id"), id } },
            tr("Message %1 is released.").arg(id.left(ShortIdLength)));
}

void QueuePage::bounce()
{
    const QString id = selectedId();
    if (!id.isEmpty()
        && confirm(tr("Return message %1 to its sender with a non-delivery report?").arg(id.left(ShortIdLength))))
        run(QStringLiteral("queue.bounce"), { { QStringLiteral("id"), id } },
            tr("Message %1 returned to its sender.").arg(id.left(ShortIdLength)));
}

void QueuePage::discard()
{
    const QString id = selectedId();
    if (!id.isEmpty() && confirm(tr("Discard message %1? It will not be delivered.").arg(id.left(ShortIdLength))))
        run(QStringLiteral("queue.discard"), { { QStringLiteral("id"), id } },
            tr("Message %1 discarded.").arg(id.left(ShortIdLength)));
}

void QueuePage::applyToMatching()
{
    const QString action = m_bulkAction->currentData().toString();
    const QString method = QStringLiteral("queue.") + action;
    QJsonObject params = filterParams();
    if (params.isEmpty())
        params.insert(QStringLiteral("all"), true);
    QJsonObject dryRun = params;
    dryRun.insert(QStringLiteral("dryRun"), true);
    // What it would touch first; then the question names that number.
    m_connection->request(method, dryRun, this, [this, method, params, action](const ManagerConnection::Reply &reply) {
        if (!reply.ok)
        {
            showMessage(ManagerConnection::describeError(reply), true);
            return;
        }
        const int count = int(reply.resultObject().value(QStringLiteral("ids")).toArray().size());
        if (count == 0)
        {
            showMessage(tr("No message matches the filter."), false);
            return;
        }
        if (!confirm(tr("%1: %2 message(s) match the filter. Go ahead?").arg(actionText(action)).arg(count)))
            return;
        m_connection->request(method, params, this, [this, action](const ManagerConnection::Reply &done) {
            if (!done.ok)
            {
                showMessage(ManagerConnection::describeError(done), true);
                return;
            }
            const QJsonObject result = done.resultObject();
            const int touched = int(result.value(QStringLiteral("ids")).toArray().size());
            const int failed = int(result.value(QStringLiteral("failed")).toArray().size());
            showMessage(failed == 0 ? tr("%1: done for %2 message(s).").arg(actionText(action)).arg(touched)
                                    : tr("%1: done for %2 message(s), %3 had left the queue.")
                                          .arg(actionText(action))
                                          .arg(touched)
                                          .arg(failed),
                failed != 0);
            refresh();
        });
    });
}
