// tmail.cfg as a form grouped like tmail.cfg.base; saving asks the daemon to validate
// and rewrite the file and reload it, and says what was applied and what needs a restart.
#pragma once

#include "configfield.h"
#include "managerconnection.h"

#include <QHash>
#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QVBoxLayout;

class ConfigPage : public QWidget
{
    Q_OBJECT
public:
    explicit ConfigPage(ManagerConnection *connection, QWidget *parent = nullptr);

    void reload();
    void save();
    ConfigField *editor(const QString &name) const { return m_editors.value(name); }
    // What the daemon refuses in a field's value as it stands, shown under the field (empty: valid).
    QString faultText(const QString &name) const;
    QString messageText() const;
    bool isLoaded() const { return m_loaded; }

signals:
    void loaded();
    // The daemon answered the check of the values as they were typed.
    void checked();

private:
    void build(const QJsonObject &result);
    void showMessage(const QString &text, bool isError);
    void markInvalid(const QString &name);
    QJsonObject changedValues() const;
    // Asks the daemon which values it would refuse with the changes typed so far.
    void check();

    ManagerConnection *m_connection;
    QWidget *m_form;
    QVBoxLayout *m_formLayout;
    QLabel *m_message;
    QPushButton *m_save;
    QPushButton *m_revert;
    QHash<QString, ConfigField *> m_editors;
    QHash<QString, QLabel *> m_faults; // under each field: what the daemon refuses in it
    QTimer m_checkTimer; // a pause in typing, then check()
    QHash<QString, QString> m_values; // as last loaded
    bool m_loaded = false;
    QString m_afterSave; // what the last config.set did, shown when the form is rebuilt
    bool m_afterSaveIsError = false;
};
