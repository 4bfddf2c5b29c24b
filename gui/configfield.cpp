// See configfield.h. A composite editor (listeners, database source) that cannot read the
// value it is given shows it as plain text instead, so that nothing in the file is lost.
#include "configfield.h"

#include "config/configregistry.h"
#include "config/dbsource.h"
#include "core/listenerdsn.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace {

// Free text, masked when it may hold a password.
class TextField : public ConfigField
{
public:
    TextField(const QString &label, bool masked, QWidget *parent) : ConfigField(parent), m_edit(new QLineEdit(this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_edit);
        m_edit->setAccessibleName(label);
        if (masked)
            m_edit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
        connect(m_edit, &QLineEdit::textEdited, this, &ConfigField::edited);
    }
    QString value() const override { return m_edit->text(); }
    void setValue(const QString &value) override { m_edit->setText(value); }
    void setReadOnly(bool readOnly) override { m_edit->setReadOnly(readOnly); }
    QWidget *focusTarget() const override { return m_edit; }
    void setPlaceholder(const QString &text) { m_edit->setPlaceholderText(text); }

private:
    QLineEdit *m_edit;
};

class BooleanField : public ConfigField
{
public:
    BooleanField(const QString &label, QWidget *parent)
        : ConfigField(parent), m_box(new QCheckBox(ConfigField::tr("Enabled"), this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_box);
        m_box->setAccessibleName(label + QStringLiteral(": ") + m_box->text());
        connect(m_box, &QCheckBox::clicked, this, &ConfigField::edited);
    }
    QString value() const override { return m_box->isChecked() ? QStringLiteral("true") : QStringLiteral("false"); }
    void setValue(const QString &value) override
    {
        const QString lower = value.trimmed().toLower();
        m_box->setChecked(
            lower == QLatin1String("true") || lower == QLatin1String("yes") || lower == QLatin1String("1"));
    }
    void setReadOnly(bool readOnly) override { m_box->setEnabled(!readOnly); }
    QWidget *focusTarget() const override { return m_box; }

private:
    QCheckBox *m_box;
};

// A spin box over the allowed range; a value it cannot hold is kept as text.
class NumberField : public ConfigField
{
public:
    NumberField(const QString &label, qint64 minimum, qint64 maximum, QWidget *parent)
        : ConfigField(parent), m_spin(new QSpinBox(this)), m_text(new TextField(label, false, this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_spin);
        layout->addWidget(m_text);
        constexpr qint64 Lowest = std::numeric_limits<int>::min();
        constexpr qint64 Highest = std::numeric_limits<int>::max();
        m_spin->setRange(int(qBound(Lowest, minimum, Highest)), int(qBound(Lowest, maximum, Highest)));
        m_spin->setAccessibleName(label);
        m_spin->setAlignment(Qt::AlignRight);
        m_spin->setMinimumWidth(fontMetrics().horizontalAdvance(QString::number(m_spin->maximum())) * 2);
        m_spin->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
        connect(m_spin, &QSpinBox::valueChanged, this, [this]() {
            if (!m_loading)
                emit edited();
        });
        connect(m_text, &ConfigField::edited, this, &ConfigField::edited);
        m_text->hide();
    }
    QString value() const override { return m_text->isVisible() ? m_text->value() : QString::number(m_spin->value()); }
    void setValue(const QString &value) override
    {
        bool ok = false;
        const qint64 number = value.trimmed().toLongLong(&ok);
        const bool fits = ok && number >= m_spin->minimum() && number <= m_spin->maximum();
        m_loading = true;
        if (fits)
            m_spin->setValue(int(number));
        m_loading = false;
        m_text->setValue(value);
        m_spin->setVisible(fits);
        m_text->setVisible(!fits);
    }
    void setReadOnly(bool readOnly) override
    {
        m_spin->setReadOnly(readOnly);
        m_text->setReadOnly(readOnly);
    }
    QWidget *focusTarget() const override { return m_text->isVisible() ? m_text->focusTarget() : m_spin; }

private:
    QSpinBox *m_spin;
    TextField *m_text;
    bool m_loading = false;
};

class ChoiceField : public ConfigField
{
public:
    ChoiceField(const QString &label, const QStringList &choices, QWidget *parent)
        : ConfigField(parent), m_combo(new QComboBox(this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_combo);
        m_combo->addItems(choices);
        m_combo->setAccessibleName(label);
        m_combo->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
        connect(m_combo, &QComboBox::activated, this, &ConfigField::edited);
    }
    QString value() const override { return m_combo->currentText(); }
    void setValue(const QString &value) override
    {
        if (m_combo->findText(value) < 0)
            m_combo->addItem(value);
        m_combo->setCurrentText(value);
    }
    void setReadOnly(bool readOnly) override { m_combo->setEnabled(!readOnly); }
    QWidget *focusTarget() const override { return m_combo; }

private:
    QComboBox *m_combo;
};

// TMAIL_SMTPD_DSNS as a table: address, port, and whether TLS starts with the first byte.
class ListenersField : public ConfigField
{
public:
    ListenersField(const QString &label, QWidget *parent)
        : ConfigField(parent)
        , m_table(new QTableWidget(0, 3, this))
        , m_add(new QPushButton(ConfigField::tr("Add listener"), this))
        , m_remove(new QPushButton(ConfigField::tr("Remove listener"), this))
        , m_text(new TextField(label, false, this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        m_table->setHorizontalHeaderLabels(
            { ConfigField::tr("IP address"), ConfigField::tr("Port"), ConfigField::tr("TLS from the first byte") });
        m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
        m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
        m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
        m_table->verticalHeader()->hide();
        m_table->setAccessibleName(label + QStringLiteral(": ") + ConfigField::tr("listeners"));
        m_table->setTabKeyNavigation(false);
        m_add->setAccessibleName(m_add->text().remove(QLatin1Char('&')));
        m_remove->setAccessibleName(m_remove->text().remove(QLatin1Char('&')));
        auto *buttons = new QHBoxLayout;
        buttons->addWidget(m_add);
        buttons->addWidget(m_remove);
        buttons->addStretch(1);
        layout->addWidget(m_table);
        layout->addLayout(buttons);
        layout->addWidget(m_text);
        m_text->hide();
        connect(m_table, &QTableWidget::itemChanged, this, [this]() {
            if (!m_loading)
                emit edited();
        });
        connect(m_text, &ConfigField::edited, this, &ConfigField::edited);
        connect(m_add, &QPushButton::clicked, this, [this]() {
            addRow(QStringLiteral("127.0.0.1"), QStringLiteral("25"), false);
            m_table->setCurrentCell(m_table->rowCount() - 1, 0);
            m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
            emit edited();
        });
        connect(m_remove, &QPushButton::clicked, this, [this]() {
            const int row = m_table->currentRow();
            if (row < 0)
                return;
            m_table->removeRow(row);
            emit edited();
        });
    }

    QString value() const override
    {
        if (m_text->isVisible())
            return m_text->value();
        QStringList entries;
        for (int row = 0; row < m_table->rowCount(); ++row)
        {
            QString address = m_table->item(row, 0)->text().trimmed();
            if (address.contains(QLatin1Char(':')) && !address.startsWith(QLatin1Char('[')))
                address = QLatin1Char('[') + address + QLatin1Char(']'); // IPv6
            const bool tls = m_table->item(row, 2)->checkState() == Qt::Checked;
            entries.append(address + QLatin1Char(':') + m_table->item(row, 1)->text().trimmed() + QLatin1Char(':')
                + (tls ? QStringLiteral("true") : QStringLiteral("false")));
        }
        return entries.join(QLatin1Char(','));
    }

    void setValue(const QString &value) override
    {
        const Expected<QList<ListenerDsn>> listeners = ListenerDsn::parseList(value);
        m_loading = true;
        m_table->setRowCount(0);
        if (listeners)
        {
            for (const ListenerDsn &listener : listeners.value())
                addRow(listener.address.toString(), QString::number(listener.port), listener.implicitTls);
        }
        m_loading = false;
        m_text->setValue(value);
        m_table->setVisible(listeners.ok());
        m_add->setVisible(listeners.ok());
        m_remove->setVisible(listeners.ok());
        m_text->setVisible(!listeners.ok());
    }

    void setReadOnly(bool readOnly) override
    {
        m_table->setEditTriggers(readOnly ? QAbstractItemView::NoEditTriggers : QAbstractItemView::AllEditTriggers);
        m_table->setEnabled(!readOnly);
        m_add->setEnabled(!readOnly);
        m_remove->setEnabled(!readOnly);
        m_text->setReadOnly(readOnly);
    }
    QWidget *focusTarget() const override { return m_text->isVisible() ? m_text->focusTarget() : m_table; }

private:
    void addRow(const QString &address, const QString &port, bool tls)
    {
        const bool wasLoading = m_loading;
        m_loading = true;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(address));
        auto *portItem = new QTableWidgetItem(port);
        portItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, 1, portItem);
        auto *tlsItem = new QTableWidgetItem;
        tlsItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        tlsItem->setCheckState(tls ? Qt::Checked : Qt::Unchecked);
        m_table->setItem(row, 2, tlsItem);
        m_table->setMinimumHeight(m_table->horizontalHeader()->height()
            + m_table->verticalHeader()->defaultSectionSize() * qMax(2, m_table->rowCount()) + 4);
        m_loading = wasLoading;
    }

    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
    TextField *m_text;
    bool m_loading = false;
};

// TMAIL_DB_SOURCE: the file of sqlite, or the fields of a database server (only the
// password masked). Keys other than these five keep the source as text.
class DbSourceField : public ConfigField
{
public:
    DbSourceField(const QString &label, QWidget *parent)
        : ConfigField(parent)
        , m_path(new TextField(label + QStringLiteral(": ") + ConfigField::tr("File"), false, this))
        , m_server(new QWidget(this))
        , m_text(new TextField(label, true, this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_path);
        layout->addWidget(m_server);
        layout->addWidget(m_text);
        auto *form = new QFormLayout(m_server);
        form->setContentsMargins(0, 0, 0, 0);
        const QList<QPair<QString, QString>> fields = { { QStringLiteral("host"), ConfigField::tr("Host") },
            { QStringLiteral("port"), ConfigField::tr("Port") }, { QStringLiteral("user"), ConfigField::tr("User") },
            { QStringLiteral("password"), ConfigField::tr("Password") },
            { QStringLiteral("dbname"), ConfigField::tr("Database") } };
        for (const auto &[key, title] : fields)
        {
            auto *edit
                = new TextField(label + QStringLiteral(": ") + title, key == QLatin1String("password"), m_server);
            form->addRow(title, edit);
            m_fields.append({ key, edit });
            connect(edit, &ConfigField::edited, this, &ConfigField::edited);
        }
        m_path->setPlaceholder(QStringLiteral("db/tmail.db"));
        connect(m_path, &ConfigField::edited, this, &ConfigField::edited);
        connect(m_text, &ConfigField::edited, this, &ConfigField::edited);
        showMode();
    }

    QString value() const override
    {
        if (m_mode == Mode::Text)
            return m_text->value();
        if (m_mode == Mode::File)
            return m_path->value();
        QList<QPair<QString, QString>> pairs;
        for (const auto &[key, edit] : m_fields)
        {
            if (!edit->value().isEmpty())
                pairs.append({ key, edit->value() });
        }
        return DbSource::joinKeyValues(pairs);
    }

    void setValue(const QString &value) override
    {
        m_value = value;
        m_text->setValue(value);
        m_path->setValue(value);
        m_mode = Mode::Text;
        if (m_driver == QLatin1String("sqlite3") || m_driver == QLatin1String("sqlite"))
        {
            m_mode = Mode::File;
        }
        else if (!m_driver.isEmpty())
        {
            const Expected<QList<QPair<QString, QString>>> pairs = DbSource::keyValues(value);
            bool known = pairs.ok();
            for (const auto &[key, edit] : m_fields)
                edit->setValue(QString());
            if (pairs)
            {
                for (const auto &[key, fieldValue] : pairs.value())
                {
                    const auto field = std::find_if(m_fields.cbegin(), m_fields.cend(),
                        [&key = key](const QPair<QString, TextField *> &entry) { return entry.first == key; });
                    if (field == m_fields.cend())
                        known = false;
                    else
                        field->second->setValue(fieldValue);
                }
            }
            if (known)
                m_mode = Mode::Server;
        }
        showMode();
    }

    void setDriver(const QString &driver) override
    {
        const QString before = value();
        m_driver = driver.trimmed().toLower();
        setValue(before);
    }

    void setReadOnly(bool readOnly) override
    {
        m_path->setReadOnly(readOnly);
        m_text->setReadOnly(readOnly);
        for (const auto &[key, edit] : m_fields)
            edit->setReadOnly(readOnly);
    }

    QWidget *focusTarget() const override
    {
        if (m_mode == Mode::File)
            return m_path->focusTarget();
        if (m_mode == Mode::Server)
            return m_fields.first().second->focusTarget();
        return m_text->focusTarget();
    }

private:
    enum class Mode
    {
        File,
        Server,
        Text,
    };
    void showMode()
    {
        m_path->setVisible(m_mode == Mode::File);
        m_server->setVisible(m_mode == Mode::Server);
        m_text->setVisible(m_mode == Mode::Text);
    }

    TextField *m_path;
    QWidget *m_server;
    TextField *m_text;
    QList<QPair<QString, TextField *>> m_fields;
    QString m_driver;
    QString m_value;
    Mode m_mode = Mode::Text;
};

} // namespace

ConfigField *ConfigField::create(
    const QString &name, const ConfigVariable *known, const QString &label, QWidget *parent)
{
    if (name == QLatin1String("TMAIL_SMTPD_DSNS"))
        return new ListenersField(label, parent);
    if (name == QLatin1String("TMAIL_DB_SOURCE"))
        return new DbSourceField(label, parent);
    if (name == QLatin1String("TMAIL_DB_DRIVER"))
        return new ChoiceField(
            label, { QStringLiteral("sqlite3"), QStringLiteral("mysql"), QStringLiteral("postgres") }, parent);
    if (known && known->type == ConfigVariable::Type::Boolean)
        return new BooleanField(label, parent);
    if (known && known->type == ConfigVariable::Type::WholeNumber)
        return new NumberField(label, known->minimum, known->maximum, parent);
    auto *text = new TextField(label, known && known->secret, parent);
    if (known)
        text->setPlaceholder(known->defaultValue);
    return text;
}
