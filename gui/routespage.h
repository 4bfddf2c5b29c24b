// Routes: the next hop for a recipient domain, in priority order.
#pragma once

#include "tablepage.h"

class RoutesPage : public TablePage
{
    Q_OBJECT
public:
    explicit RoutesPage(ManagerConnection *connection, QWidget *parent = nullptr);
    void addRoute();
    void editRoute();
    void deleteRoute();
    // Swaps the selected route's priority with its neighbour's in the same domain.
    void move(int direction);
};
