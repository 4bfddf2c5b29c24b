// Base of the list pages (domains, users, relay IPs, routes, DKIM keys, queue): a toolbar of
// actions over a table view of a JsonTableModel, reloaded when the daemon says so.
#pragma once

#include "jsontablemodel.h"
#include "managerconnection.h"

#include <functional>

#include <QJsonObject>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QTableView;
class QVBoxLayout;

class TablePage : public QWidget
{
    Q_OBJECT
public:
    // listName: the "changed" event list ("rcpthosts", …) and the prefix of its methods.
    TablePage(ManagerConnection *connection, const QString &listName, QWidget *parent = nullptr);

    void refresh();
    QTableView *view() const { return m_view; }
    JsonTableModel *model() const { return m_model; }
    bool isLoaded() const { return m_loaded; }
    // The row under the cursor (empty when none).
    QJsonObject selectedRow() const;

signals:
    void loaded();

protected:
    // Adds a toolbar button; needsSelection buttons are enabled only with a selected row.
    // Its accessible name is its text (what voice control users say); description is the
    // longer sentence, given as the accessible description and the tooltip.
    QPushButton *addAction(const QString &text, const QString &description, const QKeySequence &shortcut,
        const std::function<void()> &action, bool needsSelection);
    void addToolbarStretch();
    virtual QJsonObject listParams() const { return {}; }
    virtual void onListResult(const QJsonObject &result);
    // Sends a request and shows its outcome in the page's message line.
    void run(const QString &method, const QJsonObject &params, const QString &doneMessage);
    void showMessage(const QString &text, bool isError);
    // Asks before a destructive action.
    bool confirm(const QString &question);

    ManagerConnection *m_connection;
    QString m_listName;
    QHBoxLayout *m_toolbar;
    QVBoxLayout *m_layout;

private:
    void updateButtons();

    JsonTableModel *m_model;
    QTableView *m_view;
    QLabel *m_message;
    QList<QPushButton *> m_selectionButtons;
    bool m_loaded = false;
};
