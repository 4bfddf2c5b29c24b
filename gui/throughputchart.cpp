// See throughputchart.h.
#include "throughputchart.h"

#include <cmath>

#include <QJsonArray>
#include <QPainter>
#include <QPainterPath>

namespace {

// The keys of stats.history, in the order of ThroughputChart::Series.
const char *const SeriesKeys[ThroughputChart::SeriesCount] = { "accepted", "delivered", "deferred", "bounced",
    "refused", "acceptedTls", "deliverySessions", "deliverySessionsTls" };

constexpr int MaxMinutes = 1440;

} // namespace

ThroughputChart::ThroughputChart(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Messages per minute chart"));
    setMinimumHeight(160);
}

void ThroughputChart::setHistory(const QJsonObject &history)
{
    const qint64 start = qint64(history.value(QStringLiteral("start")).toDouble());
    const qint64 intervalMs = qint64(history.value(QStringLiteral("intervalSeconds")).toDouble(60)) * 1000;
    QJsonArray columns[SeriesCount];
    qsizetype length = 0;
    for (int series = 0; series < SeriesCount; ++series)
    {
        columns[series] = history.value(QLatin1String(SeriesKeys[series])).toArray();
        length = qMax(length, columns[series].size());
    }
    m_minutes.clear();
    for (qsizetype i = qMax<qsizetype>(0, length - MaxMinutes); i < length; ++i)
    {
        Minute minute;
        minute.startMs = start + i * intervalMs;
        for (int series = 0; series < SeriesCount; ++series)
            minute.counts[series] = qint64(columns[series].at(i).toDouble());
        m_minutes.append(minute);
    }
    update();
}

void ThroughputChart::setSpanMinutes(int minutes)
{
    m_spanMinutes = qBound(60, minutes, MaxMinutes);
    update();
}

QList<ThroughputChart::Minute> ThroughputChart::shown() const
{
    return m_minutes.mid(qMax<qsizetype>(0, m_minutes.size() - m_spanMinutes));
}

qint64 ThroughputChart::total(Series series) const
{
    qint64 sum = 0;
    for (const Minute &minute : shown())
        sum += minute.counts[series];
    return sum;
}

int ThroughputChart::minutesWithData() const
{
    int count = 0;
    for (const Minute &minute : shown())
    {
        for (const qint64 value : minute.counts)
        {
            if (value != 0)
            {
                ++count;
                break;
            }
        }
    }
    return count;
}

void ThroughputChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &colors = palette();
    painter.fillRect(rect(), colors.base());

    const QFontMetrics metrics = fontMetrics();
    const int left = metrics.horizontalAdvance(QStringLiteral("00000")) + 12;
    // The lines drawn: what went in, what went out, and what did not go.
    const QList<std::pair<Series, QColor>> lines { { Deferred, QColor(0xe5, 0xa5, 0x0a) },
        { Bounced, QColor(0xc0, 0x1c, 0x28) }, { Refused, QColor(0x81, 0x3d, 0x9c) },
        { Delivered, QColor(0x2e, 0xc2, 0x7e) }, { Accepted, QColor(0x1c, 0x71, 0xd8) } };
    QString names[SeriesCount];
    names[Accepted] = tr("accepted");
    names[Delivered] = tr("delivered");
    names[Deferred] = tr("deferred");
    names[Bounced] = tr("bounced");
    names[Refused] = tr("refused");
    int legendWidth = 0;
    for (const auto &[series, color] : lines)
        legendWidth += 18 + metrics.horizontalAdvance(names[series]) + 12;
    // The legend follows the title, or goes on a line of its own when the chart is narrow.
    const int titleWidth = metrics.horizontalAdvance(tr("Messages per minute"));
    const bool legendBelow = left + titleWidth + 12 + legendWidth > width() - 12;
    const int legendY = legendBelow ? 8 + metrics.height() : 4;
    const int top = legendY + metrics.height() + 8;
    const QRect plot = rect().adjusted(left, top, -12, -metrics.height() - 10);
    if (plot.width() < 20 || plot.height() < 20)
        return;

    const QList<Minute> minutes = shown();
    double maximum = 10;
    for (const Minute &minute : minutes)
    {
        for (const auto &[series, color] : lines)
            maximum = qMax(maximum, double(minute.counts[series]));
    }
    maximum = std::ceil(maximum / 5.0) * 5.0;

    // Title and legend.
    painter.setPen(colors.color(QPalette::Text));
    painter.drawText(QRect(left, 4, plot.width(), metrics.height()), Qt::AlignLeft, tr("Messages per minute"));
    int x = legendBelow ? left : qMax(left + titleWidth + 12, plot.right() - legendWidth);
    for (auto it = lines.crbegin(); it != lines.crend(); ++it)
    {
        const QString &text = names[it->first];
        painter.fillRect(QRect(x, legendY + metrics.height() / 2 - 3, 14, 6), it->second);
        painter.drawText(QPoint(x + 18, legendY + metrics.ascent()), text);
        x += 18 + metrics.horizontalAdvance(text) + 12;
    }

    // Grid and axis labels.
    QColor grid = colors.color(QPalette::Mid);
    grid.setAlpha(90);
    for (int step = 0; step <= 5; ++step)
    {
        const double value = maximum * step / 5.0;
        const int y = plot.bottom() - int(plot.height() * step / 5.0);
        painter.setPen(grid);
        painter.drawLine(plot.left(), y, plot.right(), y);
        painter.setPen(colors.color(QPalette::Text));
        painter.drawText(QRect(0, y - metrics.height() / 2, left - 6, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, QString::number(value, 'f', 0));
    }
    painter.setPen(colors.color(QPalette::Text));
    const QString since = m_spanMinutes % 60 == 0 && m_spanMinutes > 60 ? tr("%n hour(s) ago", "", m_spanMinutes / 60)
                                                                        : tr("%n minute(s) ago", "", m_spanMinutes);
    painter.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()), Qt::AlignLeft, since);
    painter.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()), Qt::AlignRight, tr("now"));
    painter.setPen(colors.color(QPalette::Mid));
    painter.drawRect(plot);

    if (minutes.isEmpty())
        return;
    // The newest minute is at the right edge; the span fills the width.
    const qint64 endMs = minutes.last().startMs;
    const double spanMs = double(qMax(1, m_spanMinutes - 1)) * 60000.0;
    const auto toPoint = [&](const Minute &minute, Series series) {
        const double fx = 1.0 - double(endMs - minute.startMs) / spanMs;
        return QPointF(
            plot.left() + fx * plot.width(), plot.bottom() - double(minute.counts[series]) / maximum * plot.height());
    };
    for (const auto &[series, color] : lines)
    {
        QPainterPath path;
        for (qsizetype i = 0; i < minutes.size(); ++i)
        {
            const QPointF point = toPoint(minutes.at(i), series);
            if (i == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        painter.setPen(QPen(color, series == Accepted || series == Delivered ? 2 : 1.5));
        painter.drawPath(path);
        if (minutes.size() == 1)
            painter.drawEllipse(toPoint(minutes.first(), series), 3, 3);
    }
}
