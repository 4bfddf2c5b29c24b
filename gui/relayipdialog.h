// Adds an address or network allowed to relay without authentication.
#pragma once

#include "recorddialog.h"

class QLineEdit;

class RelayIpDialog : public RecordDialog
{
    Q_OBJECT
public:
    explicit RelayIpDialog(ManagerConnection *connection, QWidget *parent = nullptr);

protected:
    QJsonObject collect(QString *error, QWidget **culprit) const override;

private:
    QLineEdit *m_range;
};
