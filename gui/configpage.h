// tmail.cfg as a form grouped like tmail.cfg.base; saving asks the daemon to validate
// and rewrite the file and reload it, and says what was applied and what needs a restart.
#pragma once

#include "managerconnection.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

class ConfigPage : public QWidget
{
    Q_OBJECT
public:
    explicit ConfigPage(ManagerConnection *connection, QWidget *parent = nullptr);

    void reload();
    void save();
    QLineEdit *editor(const QString &name) const { return m_editors.value(name); }
    QString messageText() const;
    bool isLoaded() const { return m_loaded; }

signals:
    void loaded();

private:
    void build(const QJsonObject &result);
    void showMessage(const QString &text, bool isError);
    void markInvalid(const QString &name);

    ManagerConnection *m_connection;
    QWidget *m_form;
    QVBoxLayout *m_formLayout;
    QLabel *m_message;
    QPushButton *m_save;
    QPushButton *m_revert;
    QHash<QString, QLineEdit *> m_editors;
    QHash<QString, QString> m_values; // as last loaded
    bool m_loaded = false;
    QString m_afterSave; // what the last config.set did, shown when the form is rebuilt
    bool m_afterSaveIsError = false;
};
