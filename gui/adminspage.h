// The administrators of the remote manager and their roles; only the role admin (or the
// local socket's user) may see and change them.
#pragma once

#include "tablepage.h"

class AdminsPage : public TablePage
{
    Q_OBJECT
public:
    explicit AdminsPage(ManagerConnection *connection, QWidget *parent = nullptr);
    void addAdmin();
    void changePassword();
    void deleteAdmin();
};
