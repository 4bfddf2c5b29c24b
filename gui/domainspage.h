// The domains tmail accepts mail for (rcpthosts).
#pragma once

#include "tablepage.h"

class DomainsPage : public TablePage
{
    Q_OBJECT
public:
    explicit DomainsPage(ManagerConnection *connection, QWidget *parent = nullptr);
    void addDomain();
    void deleteDomain();
};
