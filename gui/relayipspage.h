// Addresses and networks allowed to relay without authentication.
#pragma once

#include "tablepage.h"

class RelayIpsPage : public TablePage
{
    Q_OBJECT
public:
    explicit RelayIpsPage(ManagerConnection *connection, QWidget *parent = nullptr);
    void addRange();
    void deleteRange();
};
