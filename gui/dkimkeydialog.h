// Makes DKIM signing keys for a domain (dkim.add): the daemon generates them and keeps
// the private keys; the dialog only chooses the domain, selector, algorithm and RSA size.
#pragma once

#include "recorddialog.h"

class QComboBox;
class QLineEdit;

class DkimKeyDialog : public RecordDialog
{
    Q_OBJECT
public:
    explicit DkimKeyDialog(ManagerConnection *connection, QWidget *parent = nullptr);

protected:
    std::optional<QJsonObject> collect() override;

private:
    QLineEdit *m_domain;
    QLineEdit *m_selector;
    QComboBox *m_algorithm;
    QComboBox *m_bits;
};
