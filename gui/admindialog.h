// Adds an administrator of the remote manager (name, role, password), or sets one's
// password: what `tmail admin add` and `tmail admin passwd` do, through the manager link.
#pragma once

#include "recorddialog.h"

class QComboBox;
class QLineEdit;

class AdminDialog : public RecordDialog
{
    Q_OBJECT
public:
    enum class Mode
    {
        Add,
        SetPassword
    };
    AdminDialog(ManagerConnection *connection, Mode mode, const QString &name = QString(), QWidget *parent = nullptr);

    // The text a role is shown with ("viewer" → "Viewer"), in the user's language.
    static QString roleText(const QString &role);

protected:
    std::optional<QJsonObject> collect() override;

private:
    QLineEdit *m_name;
    QComboBox *m_role = nullptr;
    QLineEdit *m_password;
    QLineEdit *m_confirmation;
};
