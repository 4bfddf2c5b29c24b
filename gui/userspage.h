// The users who may authenticate with AUTH.
#pragma once

#include "tablepage.h"

class UsersPage : public TablePage
{
    Q_OBJECT
public:
    explicit UsersPage(ManagerConnection *connection, QWidget *parent = nullptr);
    void addUser();
    void changePassword();
    void deleteUser();
};
