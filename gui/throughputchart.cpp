// See throughputchart.h.
#include "throughputchart.h"

#include <cmath>

#include <QPainter>
#include <QPainterPath>

ThroughputChart::ThroughputChart(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Messages per minute chart"));
    setMinimumHeight(160);
    m_timer.setInterval(SampleIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ThroughputChart::sample);
    m_timer.start();
}

void ThroughputChart::setTotals(qint64 accepted, qint64 delivered)
{
    const bool first = !m_haveTotals;
    m_accepted0 = accepted;
    m_delivered0 = delivered;
    m_haveTotals = true;
    if (first)
        sample();
}

void ThroughputChart::sample()
{
    if (!m_haveTotals)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_totals.append({ now, m_accepted0, m_delivered0 });
    while (m_totals.size() > 2 && m_totals.at(1).atMs <= now - 60000)
        m_totals.removeFirst();
    const Total &oldest = m_totals.first();
    // Growth over the last minute (or what we have of it, scaled to a minute).
    const double spanMinutes = qMax(1.0, double(now - oldest.atMs)) / 60000.0;
    const double scale = now - oldest.atMs >= 60000 ? 1.0 : (now == oldest.atMs ? 0.0 : 1.0 / spanMinutes);
    m_accepted.append(QPointF(double(now), double(m_accepted0 - oldest.accepted) * scale));
    m_delivered.append(QPointF(double(now), double(m_delivered0 - oldest.delivered) * scale));
    while (m_accepted.size() > MaxPoints)
    {
        m_accepted.removeFirst();
        m_delivered.removeFirst();
    }
    update();
}

void ThroughputChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &colors = palette();
    painter.fillRect(rect(), colors.base());

    const QFontMetrics metrics = fontMetrics();
    const int left = metrics.horizontalAdvance(QStringLiteral("00000")) + 12;
    const int top = metrics.height() + 12;
    const QRect plot = rect().adjusted(left, top, -12, -metrics.height() - 10);
    if (plot.width() < 20 || plot.height() < 20)
        return;

    double maximum = 10;
    for (qsizetype i = 0; i < m_accepted.size(); ++i)
        maximum = qMax(maximum, qMax(m_accepted.at(i).y(), m_delivered.at(i).y()));
    maximum = std::ceil(maximum / 5.0) * 5.0;

    // Title and legend.
    painter.setPen(colors.color(QPalette::Text));
    painter.drawText(QRect(left, 4, plot.width(), metrics.height()), Qt::AlignLeft, tr("Messages per minute"));
    const QColor acceptedColor(0x1c, 0x71, 0xd8);
    const QColor deliveredColor(0x2e, 0xc2, 0x7e);
    const QString acceptedText = tr("accepted");
    const QString deliveredText = tr("delivered");
    int x = plot.right() - metrics.horizontalAdvance(acceptedText + deliveredText) - 60;
    for (const auto &[text, color] :
        { std::pair { acceptedText, acceptedColor }, std::pair { deliveredText, deliveredColor } })
    {
        painter.fillRect(QRect(x, 4 + metrics.height() / 2 - 3, 14, 6), color);
        painter.drawText(QPoint(x + 18, 4 + metrics.ascent()), text);
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
    painter.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()), Qt::AlignLeft,
        tr("%n minute(s) ago", "", MaxPoints * SampleIntervalMs / 60000));
    painter.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()), Qt::AlignRight, tr("now"));
    painter.setPen(colors.color(QPalette::Mid));
    painter.drawRect(plot);

    if (m_accepted.isEmpty())
        return;
    const double end = m_accepted.last().x();
    const double start = end - double(MaxPoints - 1) * SampleIntervalMs;
    const auto toPoint = [&](const QPointF &point) {
        const double fx = (point.x() - start) / (end - start);
        return QPointF(plot.left() + fx * plot.width(), plot.bottom() - point.y() / maximum * plot.height());
    };
    for (const auto &[series, color] :
        { std::pair { &m_delivered, deliveredColor }, std::pair { &m_accepted, acceptedColor } })
    {
        QPainterPath path;
        for (qsizetype i = 0; i < series->size(); ++i)
        {
            const QPointF point = toPoint(series->at(i));
            if (i == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        painter.setPen(QPen(color, 2));
        painter.drawPath(path);
        if (series->size() == 1)
            painter.drawEllipse(toPoint(series->first()), 3, 3);
    }
}
