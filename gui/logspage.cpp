// See logspage.h.
#include "logspage.h"

#include "logfiltermodel.h"
#include "logmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

LogsPage::LogsPage(LogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new LogFilterModel(this))
    , m_view(new QTableView(this))
    , m_level(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_pause(new QPushButton(tr("&Pause"), this))
{
    auto *layout = new QVBoxLayout(this);
    auto *toolbar = new QHBoxLayout;
    auto *levelLabel = new QLabel(tr("L&evel:"), this);
    levelLabel->setBuddy(m_level);
    m_level->addItem(tr("All levels"), 0);
    m_level->addItem(tr("Info and above"), 1);
    m_level->addItem(tr("Warnings and errors"), 2);
    m_level->addItem(tr("Errors only"), 3);
    m_level->setAccessibleName(tr("Minimum level"));
    auto *textLabel = new QLabel(tr("F&ilter:"), this);
    textLabel->setBuddy(m_text);
    m_text->setPlaceholderText(tr("Text in the message"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Filter text"));
    // The line edit's own clear button shows only an icon.
    for (QToolButton *button : m_text->findChildren<QToolButton *>())
    {
        button->setAccessibleName(tr("Clear the filter"));
        button->setToolTip(tr("Clear the filter"));
    }
    // Buttons are named by their text (what voice control users say); the longer sentence
    // is the description.
    m_pause->setCheckable(true);
    m_pause->setAccessibleDescription(tr("Pause the live log"));
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setAccessibleDescription(tr("Copy the selected lines"));
    copy->setToolTip(tr("Copy the selected lines"));
    auto *clear = new QPushButton(tr("Cle&ar"), this);
    clear->setAccessibleDescription(tr("Clear the log view"));
    clear->setToolTip(tr("Clear the log view"));
    toolbar->addWidget(levelLabel);
    toolbar->addWidget(m_level);
    toolbar->addWidget(textLabel);
    toolbar->addWidget(m_text, 1);
    toolbar->addWidget(m_pause);
    toolbar->addWidget(copy);
    toolbar->addWidget(clear);
    layout->addLayout(toolbar);

    m_filter->setSourceModel(m_model);
    m_view->setModel(m_filter);
    m_view->setAccessibleName(tr("Log lines"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(LogModel::TimeColumn,
        m_view->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000+00:00")) + 16);
    m_view->setColumnWidth(
        LogModel::LevelColumn, m_view->fontMetrics().horizontalAdvance(QStringLiteral("WARNING")) + 24);
    m_view->setColumnWidth(
        LogModel::CategoryColumn, m_view->fontMetrics().horizontalAdvance(QStringLiteral("tmail.deliverd")) + 24);
    m_view->setWordWrap(false);
    layout->addWidget(m_view, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this,
        [this]() { m_filter->setMinimumLevel(m_level->currentData().toInt()); });
    connect(m_text, &QLineEdit::textChanged, m_filter, &LogFilterModel::setText);
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
    });
    m_pause->setChecked(m_model->isPaused());
    connect(copy, &QPushButton::clicked, this, &LogsPage::copySelection);
    connect(clear, &QPushButton::clicked, m_model, &LogModel::clear);
    auto *copyShortcut = new QShortcut(QKeySequence::Copy, m_view);
    copyShortcut->setContext(Qt::WidgetShortcut);
    connect(copyShortcut, &QShortcut::activated, this, &LogsPage::copySelection);
    auto *findShortcut = new QShortcut(QKeySequence::Find, this);
    findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(findShortcut, &QShortcut::activated, m_text, qOverload<>(&QWidget::setFocus));
    // Follow new lines while the view is at the bottom.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this]() {
        QScrollBar *bar = m_view->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 2 * m_view->verticalHeader()->defaultSectionSize())
            QMetaObject::invokeMethod(m_view, &QTableView::scrollToBottom, Qt::QueuedConnection);
    });
}

void LogsPage::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
    {
        for (int row = 0; row < m_filter->rowCount(); ++row)
            rows.append(m_filter->index(row, 0));
    }
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const QModelIndex &index : std::as_const(rows))
        lines.append(index.data(LogModel::LineRole).toString());
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}
