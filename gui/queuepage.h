// The queue of messages waiting for delivery, by pages, with its actions.
#pragma once

#include "tablepage.h"

class QLabel;
class QPushButton;

class QueuePage : public TablePage
{
    Q_OBJECT
public:
    static constexpr int PageSize = 100;

    explicit QueuePage(ManagerConnection *connection, QWidget *parent = nullptr);
    void showMessageDetails();
    void retry();
    void retryAll();
    void bounce();
    void discard();

protected:
    QJsonObject listParams() const override;
    void onListResult(const QJsonObject &result) override;

private:
    QString selectedId() const;

    int m_offset = 0;
    int m_total = 0;
    QLabel *m_pageLabel;
    QPushButton *m_previous;
    QPushButton *m_next;
};
