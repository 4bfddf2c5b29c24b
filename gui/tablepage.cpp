// See tablepage.h.
#include "tablepage.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

TablePage::TablePage(ManagerConnection *connection, const QString &listName, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_listName(listName)
    , m_model(new JsonTableModel(this))
    , m_view(new QTableView(this))
    , m_message(new QLabel(this))
{
    m_layout = new QVBoxLayout(this);
    m_toolbar = new QHBoxLayout;
    m_layout->addLayout(m_toolbar);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_layout->addWidget(m_view, 1);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setAccessibleDescription(tr("Page message"));
    m_layout->addWidget(m_message);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TablePage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TablePage::updateButtons);
    connect(m_connection, &ManagerConnection::synchronized, this, &TablePage::refresh);
    connect(m_connection, &ManagerConnection::listChanged, this, [this](const QString &list) {
        if (list == m_listName || list == QLatin1String("all"))
            refresh();
    });
    if (m_connection->isSynchronized())
        QMetaObject::invokeMethod(this, &TablePage::refresh, Qt::QueuedConnection);
}

void TablePage::refresh()
{
    m_connection->request(
        m_listName + QStringLiteral(".list"), listParams(), this, [this](const ManagerConnection::Reply &reply) {
            if (!reply.ok)
            {
                showMessage(ManagerConnection::describeError(reply), true);
                return;
            }
            onListResult(reply.resultObject());
            m_loaded = true;
            emit loaded();
        });
}

void TablePage::onListResult(const QJsonObject &result)
{
    const QJsonObject selected = selectedRow();
    m_model->setRows(result.value(QStringLiteral("items")).toArray());
    m_view->resizeColumnsToContents();
    // Keep the same row selected after a reload.
    const QJsonValue selectedId = selected.value(QStringLiteral("id"));
    for (int row = 0; row < m_model->rowCount() && !selectedId.isUndefined(); ++row)
    {
        if (m_model->row(row).value(QStringLiteral("id")) == selectedId)
        {
            m_view->selectRow(row);
            break;
        }
    }
}

QJsonObject TablePage::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QJsonObject() : m_model->row(rows.first().row());
}

QPushButton *TablePage::addAction(const QString &text, const QString &description, const QKeySequence &shortcut,
    const std::function<void()> &action, bool needsSelection)
{
    auto *button = new QPushButton(text, this);
    button->setAccessibleDescription(description);
    if (!shortcut.isEmpty())
    {
        auto *keys = new QShortcut(shortcut, this);
        keys->setContext(Qt::WidgetWithChildrenShortcut);
        connect(keys, &QShortcut::activated, button, &QPushButton::click);
        button->setToolTip(QStringLiteral("%1 (%2)").arg(description, shortcut.toString(QKeySequence::NativeText)));
    }
    else
    {
        button->setToolTip(description);
    }
    connect(button, &QPushButton::clicked, this, action);
    m_toolbar->addWidget(button);
    if (needsSelection)
    {
        m_selectionButtons.append(button);
        button->setEnabled(false);
    }
    return button;
}

void TablePage::addToolbarStretch()
{
    m_toolbar->addStretch(1);
}

void TablePage::updateButtons()
{
    const bool hasSelection = !m_view->selectionModel()->selectedRows().isEmpty();
    for (QPushButton *button : std::as_const(m_selectionButtons))
        button->setEnabled(hasSelection);
}

void TablePage::run(const QString &method, const QJsonObject &params, const QString &doneMessage)
{
    m_connection->request(method, params, this, [this, doneMessage](const ManagerConnection::Reply &reply) {
        if (reply.ok)
            showMessage(doneMessage, false);
        else
            showMessage(ManagerConnection::describeError(reply), true);
    });
}

void TablePage::showMessage(const QString &text, bool isError)
{
    m_message->setText(text);
    m_message->setStyleSheet(isError ? QStringLiteral("color: #c01c28;") : QString());
}

bool TablePage::confirm(const QString &question)
{
    return QMessageBox::question(this, tr("Please confirm"), question) == QMessageBox::Yes;
}
