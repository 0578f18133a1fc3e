// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: two time cursors across every lane, two value cursors in one lane, and their read-out.
#include "ScopeView.h"

#include "PlotOverlay.h"

#include <EngineeringFormat.h>

#include <QAction>
#include <QMouseEvent>
#include <qcustomplot.h>

#include <cmath>

namespace bs {

namespace {
constexpr int kGrabPixels = 6;
const QColor kTimeColor(0xd3, 0x54, 0x00);
const QColor kValueColor(0x7b, 0x1f, 0xa2);
const QString kLayer = QStringLiteral("cursors");

void placeVertical(QCPItemStraightLine *line, QCPAxisRect *rect, double t)
{
    for (QCPItemPosition *p : { line->point1, line->point2 }) {
        p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        p->setAxisRect(rect);
        p->setTypeX(QCPItemPosition::ptPlotCoords);
        p->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }
    line->point1->setCoords(t, 0.0);
    line->point2->setCoords(t, 1.0);
}

void placeHorizontal(QCPItemStraightLine *line, QCPAxis *valueAxis, double y)
{
    QCPAxisRect *rect = valueAxis->axisRect();
    for (QCPItemPosition *p : { line->point1, line->point2 }) {
        p->setAxes(rect->axis(QCPAxis::atBottom), valueAxis);
        p->setAxisRect(rect);
        p->setTypeX(QCPItemPosition::ptAxisRectRatio);
        p->setTypeY(QCPItemPosition::ptPlotCoords);
    }
    line->point1->setCoords(0.0, y);
    line->point2->setCoords(1.0, y);
}
} // namespace

QCPAxis *ScopeView::cursorValueAxis() const
{
    const QCPAxisRect *rect = laneRect(m_cursorLane);
    if (!rect)
        rect = laneRect(0);
    for (const auto &[key, axis] : m_axes)
        if (axis->axisRect() == rect)
            return axis;
    return nullptr;
}

void ScopeView::setCursorsVisible(bool on)
{
    if (on == m_cursorsOn)
        return;
    m_cursorsOn = on;
    if (on && !m_cursorsPlaced) { // first use: at a third and two thirds of what is shown
        const QCPRange x = m_plot->xAxis->range();
        m_cursorT[0] = x.lower + x.size() / 3;
        m_cursorT[1] = x.lower + 2 * x.size() / 3;
        if (const QCPAxis *axis = cursorValueAxis()) {
            const QCPRange y = axis->range();
            m_cursorY[0] = y.lower + y.size() / 3;
            m_cursorY[1] = y.lower + 2 * y.size() / 3;
        }
        m_cursorsPlaced = true;
    }
    {
        const QSignalBlocker block(m_cursorsAction);
        m_cursorsAction->setChecked(on);
    }
    rebuildCursors();
    m_dirty = true;
    Q_EMIT cursorsChanged();
}

void ScopeView::setTimeCursors(double t1, double t2)
{
    if (!std::isfinite(t1) || !std::isfinite(t2))
        return;
    m_cursorT[0] = t1;
    m_cursorT[1] = t2;
    m_cursorsPlaced = true;
    updateCursorItems();
    m_dirty = true;
    Q_EMIT cursorsChanged();
}

void ScopeView::setValueCursors(int lane, double y1, double y2)
{
    if (!std::isfinite(y1) || !std::isfinite(y2))
        return;
    const bool moved = lane != m_cursorLane;
    m_cursorLane = std::max(0, lane);
    m_cursorY[0] = y1;
    m_cursorY[1] = y2;
    m_cursorsPlaced = true;
    if (moved)
        rebuildCursors();
    else
        updateCursorItems();
    m_dirty = true;
    Q_EMIT cursorsChanged();
}

QString ScopeView::cursorReadout() const
{
    if (!m_cursorsOn)
        return QString();
    const QString s = QStringLiteral("s");
    const double dt = m_cursorT[1] - m_cursorT[0];
    // Times on the session timeline need their digits; differences and values read as a scope
    // shows them, to four significant digits.
    QString text = tr("t1 %1   t2 %2   Δt %3")
                       .arg(EngineeringFormat::format(m_cursorT[0], s, 6), EngineeringFormat::format(m_cursorT[1], s, 6),
                           EngineeringFormat::formatSignificant(dt, s, 4));
    text += QStringLiteral("   1/Δt ")
        + (dt != 0.0 ? EngineeringFormat::formatSignificant(1.0 / std::abs(dt), QStringLiteral("Hz"), 4)
                     : QStringLiteral("—"));
    if (const QCPAxis *axis = cursorValueAxis()) {
        const QString unit = m_axisUnits.value(const_cast<QCPAxis *>(axis));
        text += QLatin1Char('\n')
            + tr("y1 %1   y2 %2   ΔY %3")
                  .arg(EngineeringFormat::formatSignificant(m_cursorY[0], unit, 4),
                      EngineeringFormat::formatSignificant(m_cursorY[1], unit, 4),
                      EngineeringFormat::formatSignificant(m_cursorY[1] - m_cursorY[0], unit, 4));
        // The axis' name when it is one channel's ("Position [µm]"), not a bare "[V]".
        if (!axis->label().startsWith(QLatin1Char('[')))
            text += QStringLiteral("   (%1)").arg(axis->label());
    }
    return text;
}

void ScopeView::rebuildCursors()
{
    for (QCPAbstractItem *item : std::as_const(m_cursorItems))
        m_plot->removeItem(item);
    m_cursorItems.clear();
    m_cursorText = nullptr;
    if (!m_cursorsOn)
        return;
    if (!m_plot->layer(kLayer))
        m_plot->addLayer(kLayer, m_plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    auto line = [this](const QColor &c) {
        auto *l = new QCPItemStraightLine(m_plot);
        l->setLayer(kLayer);
        l->setPen(QPen(c, 1.2, Qt::DashLine));
        l->setSelectable(false);
        m_cursorItems.append(l);
        return l;
    };
    for (int c = 0; c < 2; ++c)
        for (const Lane &lane : std::as_const(m_lanes)) {
            QCPItemStraightLine *l = line(kTimeColor);
            l->setClipAxisRect(lane.rect);
            l->setProperty("cursor", c);
        }
    if (QCPAxis *axis = cursorValueAxis())
        for (int c = 0; c < 2; ++c) {
            QCPItemStraightLine *l = line(kValueColor);
            l->setClipAxisRect(axis->axisRect());
            l->setProperty("cursor", 2 + c);
        }
    m_cursorText = addOverlayText(m_plot, m_lanes[0].rect, 0.0, 0.0, Qt::AlignLeft | Qt::AlignTop);
    m_cursorText->setLayer(kLayer);
    m_cursorText->setTextAlignment(Qt::AlignLeft);
    m_cursorText->setPadding(QMargins(6, 3, 6, 3));
    m_cursorText->setBrush(QColor(255, 255, 255, 225));
    m_cursorText->setPen(QPen(QColor(0xa0, 0xa0, 0xa0)));
    m_cursorItems.append(m_cursorText);
    updateCursorItems();
}

void ScopeView::updateCursorItems()
{
    if (!m_cursorsOn || !m_cursorText)
        return;
    QCPAxis *valueAxis = cursorValueAxis();
    int laneIndex = 0;
    for (QCPAbstractItem *item : std::as_const(m_cursorItems)) {
        auto *l = qobject_cast<QCPItemStraightLine *>(item);
        if (!l)
            continue;
        const int c = l->property("cursor").toInt();
        if (c < 2) {
            placeVertical(l, m_lanes[laneIndex % m_lanes.size()].rect, m_cursorT[c]);
            ++laneIndex;
        } else if (valueAxis) {
            placeHorizontal(l, valueAxis, m_cursorY[c - 2]);
        }
    }
    m_cursorText->setText(cursorReadout());
}

int ScopeView::cursorAt(const QPoint &pos) const
{
    if (!m_cursorsOn)
        return -1;
    const int lane = laneAt(pos);
    if (lane < 0)
        return -1;
    for (int c = 0; c < 2; ++c)
        if (std::abs(m_plot->xAxis->coordToPixel(m_cursorT[c]) - pos.x()) <= kGrabPixels)
            return c;
    const QCPAxis *axis = cursorValueAxis();
    if (axis && axis->axisRect() == m_lanes[lane].rect)
        for (int c = 0; c < 2; ++c)
            if (std::abs(axis->coordToPixel(m_cursorY[c]) - pos.y()) <= kGrabPixels)
                return 2 + c;
    return -1;
}

void ScopeView::dragCursor(int which, const QPoint &pos)
{
    if (which < 2) {
        m_cursorT[which] = m_plot->xAxis->pixelToCoord(pos.x());
    } else if (const QCPAxis *axis = cursorValueAxis()) {
        m_cursorY[which - 2] = axis->pixelToCoord(pos.y());
    }
    updateCursorItems();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT cursorsChanged();
}

} // namespace bs
