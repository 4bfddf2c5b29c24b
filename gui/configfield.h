// One setting of the Configuration page, edited as its type calls for: a check box for a
// boolean, a spin box with the allowed range for a number, a table of listeners for
// TMAIL_SMTPD_DSNS, a choice for TMAIL_DB_DRIVER, the database source as separate fields,
// and a line edit for the rest. Each one reads and writes the value as tmail.cfg holds it.
#pragma once

#include <QString>
#include <QWidget>

struct ConfigVariable;

class ConfigField : public QWidget
{
    Q_OBJECT
public:
    // The editor for the variable name (known: its registry entry, or nullptr for a
    // variable of a newer daemon, which gets a line edit). label: the visible name,
    // contained in every accessible name of the editor.
    static ConfigField *create(
        const QString &name, const ConfigVariable *known, const QString &label, QWidget *parent = nullptr);

    // The value as tmail.cfg writes it ("true", "25", "127.0.0.1:25:false;…").
    virtual QString value() const = 0;
    virtual void setValue(const QString &value) = 0;
    virtual void setReadOnly(bool readOnly) = 0;
    // The widget that takes the focus when the value is refused.
    virtual QWidget *focusTarget() const = 0;
    // For the database source: the driver it is written for ("sqlite3", "mysql", "postgres").
    virtual void setDriver(const QString &driver) { Q_UNUSED(driver); }

signals:
    // The user changed the value.
    void edited();

protected:
    using QWidget::QWidget;
};
