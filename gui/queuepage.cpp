// See queuepage.h.
#include "queuepage.h"

#include "core/timestamp.h"

#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
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

} // namespace

QueuePage::QueuePage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("queue"), parent), m_pageLabel(new QLabel(this))
{
    model()->setColumns({ JsonTableModel::textColumn(tr("Id"), QStringLiteral("id")),
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
        { tr("Size"),
            [](const QJsonObject &row) -> QVariant {
                return QLocale().formattedDataSize(qint64(row.value(QStringLiteral("size")).toDouble()));
            },
            Qt::AlignRight | Qt::AlignVCenter },
        { tr("Received"),
            [](const QJsonObject &row) -> QVariant { return formatTime(row.value(QStringLiteral("createdAt"))); } },
        { tr("Attempts"),
            [](const QJsonObject &row) -> QVariant { return row.value(QStringLiteral("attempts")).toInt(); },
            Qt::AlignRight | Qt::AlignVCenter },
        { tr("Next attempt"),
            [](const QJsonObject &row) -> QVariant { return formatTime(row.value(QStringLiteral("nextAttemptAt"))); } },
        JsonTableModel::textColumn(tr("Last error"), QStringLiteral("lastError")),
        { tr("Held by TLS policy"), [](const QJsonObject &row) -> QVariant {
             return tlsPolicyText(row.value(QStringLiteral("heldByTlsPolicy")).toString());
         } } });
    view()->setAccessibleName(tr("Queue"));
    addAction(
        tr("&Show…"), tr("Show the selected message"), QKeySequence(Qt::Key_Return), [this]() { showMessageDetails(); },
        true);
    addAction(
        tr("&Retry"), tr("Retry the selected message now"), QKeySequence(Qt::CTRL | Qt::Key_R), [this]() { retry(); },
        true);
    addAction(
        tr("Retry &all"), tr("Retry every message now"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
        [this]() { retryAll(); }, false);
    addAction(
        tr("&Bounce"), tr("Bounce the selected message to its sender"), QKeySequence(Qt::CTRL | Qt::Key_B),
        [this]() { bounce(); }, true);
    addAction(
        tr("&Discard"), tr("Discard the selected message"), QKeySequence::Delete, [this]() { discard(); }, true);
    addToolbarStretch();
    m_previous = addAction(
        tr("&Previous"), tr("Previous page of the queue"), QKeySequence(QKeySequence::MoveToPreviousPage),
        [this]() {
            m_offset = qMax(0, m_offset - PageSize);
            refresh();
        },
        false);
    m_toolbar->addWidget(m_pageLabel);
    m_pageLabel->setAccessibleDescription(tr("Queue position"));
    m_next = addAction(
        tr("&Next"), tr("Next page of the queue"), QKeySequence(QKeySequence::MoveToNextPage),
        [this]() {
            m_offset += PageSize;
            refresh();
        },
        false);
    connect(view(), &QTableView::doubleClicked, this, [this]() { showMessageDetails(); });
    onListResult({});
}

QJsonObject QueuePage::listParams() const
{
    return { { QStringLiteral("offset"), m_offset }, { QStringLiteral("limit"), PageSize } };
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
    m_pageLabel->setText(m_total == 0
            ? tr("The queue is empty.")
            : tr("Messages %1–%2 of %3").arg(m_offset + 1).arg(m_offset + shown).arg(m_total));
    m_previous->setEnabled(m_offset > 0);
    m_next->setEnabled(m_offset + shown < m_total);
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
    m_connection->request(QStringLiteral("queue.show"), { { QStringLiteral("id"), id } }, this,
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
            auto *dialog = new QDialog(this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->setWindowTitle(tr("Queued message"));
            auto *layout = new QVBoxLayout(dialog);
            auto *text = new QPlainTextEdit(lines.join(QLatin1Char('\n')), dialog);
            text->setReadOnly(true);
            text->setAccessibleName(tr("Message details"));
            layout->addWidget(text);
            auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
            connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
            layout->addWidget(buttons);
            dialog->resize(640, 420);
            dialog->open();
        });
}

void QueuePage::retry()
{
    const QString id = selectedId();
    if (!id.isEmpty())
        run(QStringLiteral("queue.retry"), { { QStringLiteral("id"), id } },
            tr("Message %1 will be retried now.").arg(id));
}

void QueuePage::retryAll()
{
    run(QStringLiteral("queue.retry"), { { QStringLiteral("all"), true } },
        tr("Every waiting message will be retried now."));
}

void QueuePage::bounce()
{
    const QString id = selectedId();
    if (!id.isEmpty() && confirm(tr("Bounce message %1 to its sender?").arg(id)))
        run(QStringLiteral("queue.bounce"), { { QStringLiteral("id"), id } }, tr("Message %1 bounced.").arg(id));
}

void QueuePage::discard()
{
    const QString id = selectedId();
    if (!id.isEmpty() && confirm(tr("Discard message %1? It will not be delivered.").arg(id)))
        run(QStringLiteral("queue.discard"), { { QStringLiteral("id"), id } }, tr("Message %1 discarded.").arg(id));
}
