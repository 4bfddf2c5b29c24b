// See configpage.h.
#include "configpage.h"

#include "config/configregistry.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QVBoxLayout>

ConfigPage::ConfigPage(ManagerConnection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_form(new QWidget)
    , m_formLayout(new QVBoxLayout(m_form))
    , m_message(new QLabel(this))
    , m_save(new QPushButton(tr("&Save"), this))
    , m_revert(new QPushButton(tr("&Revert"), this))
{
    auto *layout = new QVBoxLayout(this);
    auto *toolbar = new QHBoxLayout;
    m_save->setAccessibleDescription(tr("Save the configuration"));
    m_save->setToolTip(tr("Validate and write tmail.cfg (%1)")
                           .arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText)));
    m_revert->setAccessibleDescription(tr("Revert the changes"));
    toolbar->addWidget(m_save);
    toolbar->addWidget(m_revert);
    toolbar->addStretch(1);
    layout->addLayout(toolbar);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setAccessibleDescription(tr("Configuration message"));
    layout->addWidget(m_message);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_form);
    scroll->setAccessibleName(tr("Settings"));
    layout->addWidget(scroll, 1);

    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    saveShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(saveShortcut, &QShortcut::activated, this, &ConfigPage::save);
    connect(m_save, &QPushButton::clicked, this, &ConfigPage::save);
    connect(m_revert, &QPushButton::clicked, this, &ConfigPage::reload);
    m_checkTimer.setSingleShot(true);
    m_checkTimer.setInterval(300);
    connect(&m_checkTimer, &QTimer::timeout, this, &ConfigPage::check);
    connect(m_connection, &ManagerConnection::synchronized, this, &ConfigPage::reload);
    if (m_connection->isSynchronized())
        QMetaObject::invokeMethod(this, &ConfigPage::reload, Qt::QueuedConnection);
}

QString ConfigPage::messageText() const
{
    return m_message->text();
}

void ConfigPage::reload()
{
    m_connection->request(QStringLiteral("config.get"), {}, this, [this](const ManagerConnection::Reply &reply) {
        if (!reply.ok)
        {
            showMessage(ManagerConnection::describeError(reply), true);
            return;
        }
        build(reply.resultObject());
        m_loaded = true;
        emit loaded();
    });
}

void ConfigPage::build(const QJsonObject &result)
{
    constexpr ConfigVariable::Language Translated = ConfigVariable::Language::Translated;
    while (QLayoutItem *item = m_formLayout->takeAt(0))
    {
        delete item->widget();
        delete item;
    }
    m_editors.clear();
    m_faults.clear();
    m_values.clear();
    const bool writable = result.value(QStringLiteral("writable")).toBool();
    QHash<QString, QFormLayout *> groups;
    QStringList pendingRestart; // restart-only settings changed in the file
    QStringList pendingReload; // live settings changed in the file but not applied (edited by hand, or refused)
    QStringList fromEnvironment; // set in tmail's environment, over the file: read-only here
    for (const QJsonValue &value : result.value(QStringLiteral("variables")).toArray())
    {
        const QJsonObject variable = value.toObject();
        const QString name = variable.value(QStringLiteral("name")).toString();
        const QString group = variable.value(QStringLiteral("group")).toString();
        // The texts of a variable this manager knows come from the registry in its language;
        // a newer daemon's other variables show its English texts.
        const ConfigVariable *known = ConfigRegistry::variable(name);
        QFormLayout *form = groups.value(group);
        if (!form)
        {
            auto *box = new QGroupBox(known ? known->groupTitle(Translated) : group, m_form);
            form = new QFormLayout(box);
            form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
            m_formLayout->addWidget(box);
            groups.insert(group, form);
        }
        auto *field = new QWidget(m_form);
        auto *fieldLayout = new QVBoxLayout(field);
        fieldLayout->setContentsMargins(0, 0, 0, 0);
        fieldLayout->setSpacing(2);
        auto *edit = ConfigField::create(name, known, name, field);
        if (name == QLatin1String("TMAIL_DB_SOURCE"))
        {
            // Its fields follow the driver chosen above it.
            if (ConfigField *driver = m_editors.value(QStringLiteral("TMAIL_DB_DRIVER")))
            {
                edit->setDriver(driver->value());
                connect(driver, &ConfigField::edited, edit, [edit, driver]() { edit->setDriver(driver->value()); });
            }
        }
        edit->setValue(variable.value(QStringLiteral("value")).toString());
        const bool overridden = writable && variable.value(QStringLiteral("fromEnvironment")).toBool();
        edit->setReadOnly(!writable || overridden);
        if (overridden)
            fromEnvironment.append(name);
        const QString description
            = known ? known->description(Translated) : variable.value(QStringLiteral("description")).toString();
        edit->focusTarget()->setAccessibleDescription(description);
        edit->setToolTip(known ? known->comment(Translated) : variable.value(QStringLiteral("comment")).toString());
        connect(edit, &ConfigField::edited, &m_checkTimer, qOverload<>(&QTimer::start));
        fieldLayout->addWidget(edit);
        const bool live = variable.value(QStringLiteral("live")).toBool();
        const QString applies = live ? tr("Applied as soon as it is saved.") : tr("Applied when tmail restarts.");
        auto *help = new QLabel(description + QLatin1Char(' ') + applies, field);
        help->setWordWrap(true);
        QPalette palette = help->palette();
        palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
        help->setPalette(palette);
        fieldLayout->addWidget(help);
        auto *fault = new QLabel(field);
        fault->setWordWrap(true);
        fault->setStyleSheet(QStringLiteral("color: #c01c28;"));
        fault->hide();
        fieldLayout->addWidget(fault);
        m_faults.insert(name, fault);
        if (overridden)
        {
            auto *environment = new QLabel(
                tr("Set in tmail's environment, which wins over the file: change it where tmail is started."), field);
            environment->setWordWrap(true);
            fieldLayout->addWidget(environment);
        }
        if (variable.value(QStringLiteral("pendingRestart")).toBool())
        {
            const QString running = variable.value(QStringLiteral("running")).toString();
            (live ? pendingReload : pendingRestart).append(name);
            auto *restart = new QLabel(live
                    ? tr("Changed in the file; tmail runs with “%1” until it reloads the file.").arg(running)
                    : tr("Changed in the file; tmail runs with “%1” until it restarts.").arg(running),
                field);
            restart->setWordWrap(true);
            fieldLayout->addWidget(restart);
        }
        auto *nameLabel = new QLabel(name, form->parentWidget());
        nameLabel->setBuddy(edit->focusTarget());
        form->addRow(nameLabel, field);
        m_editors.insert(name, edit);
        // As the editor writes it: an untouched field never counts as a change.
        m_values.insert(name, edit->value());
    }
    m_formLayout->addStretch(1);
    m_save->setEnabled(writable);
    if (!m_afterSave.isEmpty())
    {
        showMessage(m_afterSave, m_afterSaveIsError);
        m_afterSave.clear();
    }
    else if (!writable)
        showMessage(tr("tmail took its settings from the environment: they can be read here but not changed."), false);
    else if (!pendingRestart.isEmpty() || !pendingReload.isEmpty())
    {
        QStringList parts;
        if (!pendingReload.isEmpty())
            parts.append(tr("Save or reload tmail to apply: %1").arg(pendingReload.join(QStringLiteral(", "))));
        if (!pendingRestart.isEmpty())
            parts.append(tr("Restart tmail to apply: %1").arg(pendingRestart.join(QStringLiteral(", "))));
        showMessage(parts.join(QLatin1Char(' ')), false);
    }
    else if (!fromEnvironment.isEmpty())
        showMessage(
            tr("Settings of %1. Read-only, set in tmail's environment: %2")
                .arg(result.value(QStringLiteral("source")).toString(), fromEnvironment.join(QStringLiteral(", "))),
            false);
    else
        showMessage(tr("Settings of %1").arg(result.value(QStringLiteral("source")).toString()), false);
}

QJsonObject ConfigPage::changedValues() const
{
    QJsonObject values;
    for (auto it = m_editors.constBegin(); it != m_editors.constEnd(); ++it)
    {
        if (it.value()->value() != m_values.value(it.key()))
            values.insert(it.key(), it.value()->value());
    }
    return values;
}

QString ConfigPage::faultText(const QString &name) const
{
    const QLabel *fault = m_faults.value(name);
    return fault && !fault->isHidden() ? fault->text() : QString();
}

void ConfigPage::check()
{
    m_connection->request(QStringLiteral("config.check"), { { QStringLiteral("values"), changedValues() } }, this,
        [this](const ManagerConnection::Reply &reply) {
            QHash<QString, QStringList> faults;
            if (reply.ok)
            {
                for (const QJsonValue &value : reply.resultObject().value(QStringLiteral("faults")).toArray())
                {
                    const QJsonObject fault = value.toObject();
                    faults[fault.value(QStringLiteral("name")).toString()].append(
                        fault.value(QStringLiteral("message")).toString());
                }
            }
            else if (!reply.field.isEmpty())
            {
                faults[reply.field].append(ManagerConnection::describeError(reply));
            }
            for (auto it = m_faults.constBegin(); it != m_faults.constEnd(); ++it)
            {
                const QString text = faults.value(it.key()).join(QLatin1Char('\n'));
                it.value()->setText(text);
                it.value()->setAccessibleName(text);
                it.value()->setVisible(!text.isEmpty());
            }
            emit checked();
        });
}

void ConfigPage::save()
{
    const QJsonObject values = changedValues();
    if (values.isEmpty())
    {
        showMessage(tr("Nothing to save."), false);
        return;
    }
    m_connection->request(QStringLiteral("config.set"), { { QStringLiteral("values"), values } }, this,
        [this](const ManagerConnection::Reply &reply) {
            if (!reply.ok)
            {
                markInvalid(reply.field);
                showMessage(ManagerConnection::describeError(reply), true);
                return;
            }
            // The daemon reloaded the file: each changed setting is applied, waits for a
            // restart, or was refused (the running value is kept).
            const QJsonObject result = reply.resultObject();
            const auto names = [&result](const QString &key) {
                QStringList list;
                for (const QJsonValue &name : result.value(key).toArray())
                    list.append(name.toString());
                return list.join(QStringLiteral(", "));
            };
            QStringList failedNames;
            QStringList reasons;
            for (const QJsonValue &value : result.value(QStringLiteral("failed")).toArray())
            {
                failedNames.append(value.toObject().value(QStringLiteral("name")).toString());
                reasons.append(value.toObject().value(QStringLiteral("reason")).toString());
            }
            const QString live = names(QStringLiteral("live"));
            const QString restart = names(QStringLiteral("restart"));
            QStringList parts { tr("Saved.") };
            if (!live.isEmpty())
                parts.append(tr("Applied now: %1").arg(live));
            if (!restart.isEmpty())
                parts.append(tr("Restart tmail to apply: %1").arg(restart));
            if (!failedNames.isEmpty())
            {
                parts.append(
                    tr("Not applied, tmail keeps the running value: %1").arg(failedNames.join(QStringLiteral(", "))));
                parts.append(tr("Details: %1").arg(reasons.join(QStringLiteral("; "))));
            }
            // Shown once the form is rebuilt from the file (build() would replace it).
            m_afterSave = parts.join(QLatin1Char(' '));
            m_afterSaveIsError = !failedNames.isEmpty();
            reload();
        });
}

void ConfigPage::markInvalid(const QString &name)
{
    ConfigField *edit = m_editors.value(name);
    if (!edit)
        return;
    edit->focusTarget()->setFocus();
    check();
}

void ConfigPage::showMessage(const QString &text, bool isError)
{
    m_message->setText(text);
    m_message->setStyleSheet(isError ? QStringLiteral("color: #c01c28;") : QString());
}
