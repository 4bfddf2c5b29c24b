// A small live chart of messages per minute (accepted and delivered), drawn with QPainter.
#pragma once

#include <QDateTime>
#include <QList>
#include <QTimer>
#include <QWidget>

class ThroughputChart : public QWidget
{
    Q_OBJECT
public:
    static constexpr int SampleIntervalMs = 5000;
    static constexpr int MaxPoints = 120; // ten minutes

    explicit ThroughputChart(QWidget *parent = nullptr);

    // The daemon's running totals; rates are derived from their growth over a minute.
    void setTotals(qint64 accepted, qint64 delivered);
    QSize sizeHint() const override { return { 480, 220 }; }
    QSize minimumSizeHint() const override { return { 240, 140 }; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Total
    {
        qint64 atMs;
        qint64 accepted;
        qint64 delivered;
    };
    void sample();

    QTimer m_timer;
    QList<Total> m_totals; // the last minute and a bit
    QList<QPointF> m_accepted; // x: ms since epoch, y: per minute
    QList<QPointF> m_delivered;
    qint64 m_accepted0 = -1;
    qint64 m_delivered0 = -1;
    bool m_haveTotals = false;
};
