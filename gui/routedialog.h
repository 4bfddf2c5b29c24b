// Adds or edits a route: where mail for a recipient domain is handed over.
#pragma once

#include "recorddialog.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

class RouteDialog : public RecordDialog
{
    Q_OBJECT
public:
    // route: empty to add one, else the route to edit (as routes.list gives it).
    RouteDialog(ManagerConnection *connection, const QJsonObject &route = QJsonObject(), QWidget *parent = nullptr);

protected:
    std::optional<QJsonObject> collect() override;

private:
    QJsonObject m_route;
    QLineEdit *m_recipientDomain;
    QLineEdit *m_remoteHost;
    QSpinBox *m_remotePort;
    QSpinBox *m_priority;
    QLineEdit *m_senderDomain;
    QLineEdit *m_authUser;
    QLineEdit *m_localIps;
    QComboBox *m_tls;
    QLineEdit *m_smtpUser;
    QLineEdit *m_smtpPassword;
};
