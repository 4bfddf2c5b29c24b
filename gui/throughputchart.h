// The daemon's throughput minute by minute (accepted, delivered, deferred, bounced, refused)
// over the last hour to 24 hours, drawn with QPainter from the daemon's own history
// (stats.history, then its "history" events), so it is full as soon as the manager connects.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QWidget>

class ThroughputChart : public QWidget
{
    Q_OBJECT
public:
    // What each minute counts, as stats.history names it.
    enum Series
    {
        Accepted,
        Delivered,
        Deferred,
        Bounced,
        Refused,
        AcceptedTls,
        DeliverySessions,
        DeliverySessionsTls,
        SeriesCount
    };

    explicit ThroughputChart(QWidget *parent = nullptr);

    // The daemon's history as stats.history gives it (start, intervalSeconds, one array per series).
    void setHistory(const QJsonObject &history);
    // How many minutes it shows, up to now: 60 to 1440.
    void setSpanMinutes(int minutes);
    int spanMinutes() const { return m_spanMinutes; }
    // The sum of series over the minutes shown; minutes shown that hold any count.
    qint64 total(Series series) const;
    int minutesWithData() const;

    QSize sizeHint() const override { return { 480, 220 }; }
    QSize minimumSizeHint() const override { return { 240, 140 }; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Minute
    {
        qint64 startMs = 0;
        qint64 counts[SeriesCount] = {};
    };
    // The minutes within the span, oldest first.
    QList<Minute> shown() const;

    QList<Minute> m_minutes; // as the daemon sent them, oldest first
    int m_spanMinutes = 60;
};
