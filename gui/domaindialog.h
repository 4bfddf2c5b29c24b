// Adds a domain tmail accepts mail for (a rcpthost).
#pragma once

#include "recorddialog.h"

class QCheckBox;
class QLineEdit;

class DomainDialog : public RecordDialog
{
    Q_OBJECT
public:
    explicit DomainDialog(ManagerConnection *connection, QWidget *parent = nullptr);

protected:
    QJsonObject collect(QString *error, QWidget **culprit) const override;

private:
    QLineEdit *m_domain;
    QCheckBox *m_local;
};
