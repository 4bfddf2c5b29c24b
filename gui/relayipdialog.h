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
    std::optional<QJsonObject> collect() override;

private:
    QLineEdit *m_range;
};
