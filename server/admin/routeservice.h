// Static routes: list, find, add, update, remove, reorder. A route is checked whole here
// (each field with AdminValues, then the rules between fields) before it is stored.
#pragma once

#include "core/expected.h"
#include "db/records.h"

#include <QList>
#include <QPair>

class Database;

class RouteService
{
public:
    explicit RouteService(Database &db);

    Expected<QList<Route>> list(); // ordered by domain, priority, id
    // NotFound when no route has that id.
    Expected<Route> find(qint64 id);
    // Returns the route as stored (canonical fields, its new id).
    Expected<Route> add(const Route &route);
    Expected<Route> update(const Route &route); // by route.id
    Status remove(qint64 id);
    // New priorities (route id, priority), every id checked before any is changed.
    Status setPriorities(const QList<QPair<qint64, int>> &priorities);

    // The route in canonical form, or InvalidInput naming what is wrong with it.
    static Expected<Route> check(const Route &route);

private:
    Database &m_db;
};
