// The queue of messages waiting for delivery, by pages, with its filters and actions (the
// command line's `tmail queue`), and a viewer of a message's envelope, headers and body.
#pragma once

#include "tablepage.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

class QueuePage : public TablePage
{
    Q_OBJECT
public:
    static constexpr int PageSize = 100;
    // The ID column shows this many leading digits (the full ID is its tooltip).
    static constexpr int ShortIdLength = 12;

    explicit QueuePage(ManagerConnection *connection, QWidget *parent = nullptr);
    void showMessageDetails();
    void retry();
    void retryAll();
    void bounce();
    void discard();
    void hold();
    void release();
    // Applies the filters typed in the filter fields (after checking them).
    void applyFilter();
    // The bulk action chosen in its list, on every message the filter selects: a dry run
    // first, then a confirmation naming how many messages it touches.
    void applyToMatching();

    QLineEdit *domainFilter() const { return m_domain; }
    QLineEdit *senderFilter() const { return m_sender; }
    QComboBox *statusFilter() const { return m_status; }
    QComboBox *bulkAction() const { return m_bulkAction; }

protected:
    QJsonObject listParams() const override;
    void onListResult(const QJsonObject &result) override;

private:
    QString selectedId() const;
    QJsonObject filterParams() const;
    // The translated name and the confirmation of a queue action ("hold", "bounce"…).
    QString actionText(const QString &action) const;

    int m_offset = 0;
    int m_total = 0;
    QJsonObject m_filter; // the applied filter
    QLabel *m_pageLabel;
    QPushButton *m_previous;
    QPushButton *m_next;
    QLineEdit *m_domain;
    QLineEdit *m_sender;
    QComboBox *m_status;
    QComboBox *m_bulkAction;
};
