// Adds a user who may authenticate (login and password), or sets a user's password.
#pragma once

#include "recorddialog.h"

class QCheckBox;
class QLineEdit;

class UserDialog : public RecordDialog
{
    Q_OBJECT
public:
    enum class Mode
    {
        Add,
        SetPassword
    };
    UserDialog(ManagerConnection *connection, Mode mode, const QString &login = QString(), QWidget *parent = nullptr);

protected:
    std::optional<QJsonObject> collect() override;

private:
    Mode m_mode;
    QLineEdit *m_login;
    QLineEdit *m_password;
    QLineEdit *m_confirmation;
    QCheckBox *m_mayRelay = nullptr;
};
