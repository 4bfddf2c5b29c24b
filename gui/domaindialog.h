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
    std::optional<QJsonObject> collect() override;

private:
    QLineEdit *m_domain;
    QCheckBox *m_local;
};
