// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: lanes (stacked axis rects sharing the time axis) and the value axes within them.
#include "ScopeView.h"

#include <QComboBox>
#include <qcustomplot.h>

namespace bs {

namespace {
constexpr int kMinLaneHeight = 60; // px; below this a lane's axis labels overlap
const QPen kGridPen(QColor(0xd8, 0xd8, 0xd8), 0, Qt::DotLine);
const QPen kZeroPen(QColor(0xb0, 0xb0, 0xb0));
} // namespace

void ScopeView::styleLane(QCPAxisRect *rect)
{
    for (QCPAxis *a : rect->axes()) {
        a->grid()->setPen(kGridPen);
        a->grid()->setZeroLinePen(kZeroPen);
    }
    rect->axis(QCPAxis::atRight)->grid()->setVisible(false); // shown only when no axis is on the left
    rect->axis(QCPAxis::atTop)->setVisible(true);
    rect->axis(QCPAxis::atTop)->setTickLabels(false);
    rect->axis(QCPAxis::atTop)->setTicks(false);
    rect->axis(QCPAxis::atRight)->setTickLabels(true);
    rect->setMinimumSize(0, kMinLaneHeight);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, m_marginGroup);
}

void ScopeView::setLanes(ScopeSettings::Lanes lanes)
{
    if (lanes == m_laneMode)
        return;
    m_laneMode = lanes;
    if (m_lanesBox) {
        const QSignalBlocker block(m_lanesBox);
        m_lanesBox->setCurrentIndex(m_lanesBox->findData(ScopeSettings::lanesName(lanes)));
    }
    m_graphsDirty = true;
    m_dirty = true;
    Q_EMIT lanesChanged();
}

QVector<ScopeView::ShownChannel> ScopeView::shownChannels() const
{
    QVector<ShownChannel> out;
    QSet<QString> instruments;
    for (const Trace &t : m_traces)
        instruments.insert(t.key.instrumentId);
    for (const Trace &t : m_traces)
        out.append({ t.key, t.styleKey, legendName(t, instruments.size() > 1), t.info.unit, t.graph->pen().color() });
    return out;
}

QPair<double, double> ScopeView::visibleTimeRange() const
{
    const QCPRange x = m_plot->xAxis->range();
    return { x.lower, x.upper };
}

QCPAxisRect *ScopeView::laneRect(int lane) const
{
    return lane >= 0 && lane < m_lanes.size() ? m_lanes[lane].rect : nullptr;
}

int ScopeView::laneOfChannel(const QString &styleKey) const
{
    for (const Trace &t : m_traces)
        if (t.styleKey == styleKey)
            return t.lane;
    return -1;
}

int ScopeView::laneAt(const QPoint &pos) const
{
    for (qsizetype i = 0; i < m_lanes.size(); ++i)
        if (m_lanes[i].rect->rect().contains(pos))
            return int(i);
    return -1;
}

QString ScopeView::laneKeyOf(const Trace &t) const
{
    switch (m_laneMode) {
    case ScopeSettings::Lanes::PerUnit:
        return t.info.unit;
    case ScopeSettings::Lanes::PerInstrument:
        return t.key.instrumentId;
    case ScopeSettings::Lanes::Single:
        break;
    }
    return QString();
}

QString ScopeView::axisKey(int lane, const QString &unit) const
{
    if (m_laneMode == ScopeSettings::Lanes::PerInstrument && lane >= 0 && lane < m_lanes.size())
        return m_lanes[lane].key + QLatin1Char('/') + unit;
    return unit;
}

void ScopeView::resetLanes()
{
    // Lane 0 is the plot's own axis rect (its x axis is the master time axis); the others go.
    for (qsizetype i = m_lanes.size() - 1; i >= 1; --i)
        m_plot->plotLayout()->remove(m_lanes[i].rect);
    m_plot->plotLayout()->simplify();
    m_lanes = { Lane { QString(), m_plot->axisRect() } };
    m_lanes[0].rect->setMarginGroup(QCP::msLeft | QCP::msRight, m_marginGroup);
}

int ScopeView::laneFor(const QString &laneKey)
{
    if (m_lanes.size() == 1 && m_axes.isEmpty() && m_lanes[0].key.isNull()) {
        m_lanes[0].key = laneKey.isNull() ? QStringLiteral("") : laneKey;
        return 0;
    }
    for (qsizetype i = 0; i < m_lanes.size(); ++i)
        if (m_lanes[i].key == laneKey)
            return int(i);
    auto *rect = new QCPAxisRect(m_plot);
    styleLane(rect);
    // Rows: 0 the legend, 1 lane 0, then one row per further lane.
    m_plot->plotLayout()->addElement(int(m_lanes.size()) + 1, 0, rect);
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    x->setRange(m_plot->xAxis->range());
    connect(x, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &ScopeView::onLaneXRangeChanged);
    m_lanes.append(Lane { laneKey, rect });
    return int(m_lanes.size() - 1);
}

void ScopeView::onLaneXRangeChanged(const QCPRange &range)
{
    if (m_syncingX)
        return;
    // A lane was zoomed or panned: the master time axis follows (and with it every lane).
    m_plot->xAxis->setRange(range);
}

QCPAxis *ScopeView::axisFor(int lane, const QString &unit)
{
    const QString key = axisKey(lane, unit);
    for (const auto &[k, axis] : std::as_const(m_axes))
        if (k == key)
            return axis;
    return addValueAxis(lane, key, unit, unit);
}

QCPAxis *ScopeView::addValueAxis(int lane, const QString &key, const QString &sideKey, const QString &unit)
{
    QCPAxisRect *rect = m_lanes[lane].rect;
    bool leftUsed = false, rightUsed = false;
    int inLane = 0;
    for (const auto &[k, axis] : std::as_const(m_axes)) {
        if (axis->axisRect() != rect)
            continue;
        ++inLane;
        leftUsed = leftUsed || axis == rect->axis(QCPAxis::atLeft);
        rightUsed = rightUsed || axis == rect->axis(QCPAxis::atRight);
    }
    // A unit (or a channel's own axis) keeps its side (saved with the session); a new one goes
    // left, right, left, ...
    const auto saved = m_axisSides.constFind(sideKey);
    const bool right = saved != m_axisSides.constEnd() ? *saved : inLane % 2 == 1;
    m_axisSides.insert(sideKey, right);
    QCPAxis *axis = nullptr;
    if (!right && !leftUsed) {
        axis = rect->axis(QCPAxis::atLeft);
    } else if (right && !rightUsed) {
        axis = rect->axis(QCPAxis::atRight);
    } else {
        axis = rect->addAxis(right ? QCPAxis::atRight : QCPAxis::atLeft);
        axis->grid()->setVisible(false);
        m_extraAxes.append(axis);
    }
    m_axes.append({ key, axis });
    m_axisUnits.insert(axis, unit);
    return axis;
}

void ScopeView::updateAxisVisibility()
{
    for (qsizetype i = 0; i < m_lanes.size(); ++i) {
        QCPAxisRect *rect = m_lanes[i].rect;
        QCPAxis *left = rect->axis(QCPAxis::atLeft);
        QCPAxis *right = rect->axis(QCPAxis::atRight);
        bool leftUsed = false, rightUsed = false;
        for (const auto &[k, axis] : std::as_const(m_axes)) {
            leftUsed = leftUsed || axis == left;
            rightUsed = rightUsed || axis == right;
        }
        left->setVisible(leftUsed || !rightUsed);
        left->grid()->setVisible(leftUsed || !rightUsed);
        right->setVisible(rightUsed);
        right->grid()->setVisible(rightUsed && !leftUsed);
        // Time tick labels only under the bottom lane; the others share them.
        const bool bottom = i == m_lanes.size() - 1;
        QCPAxis *x = rect->axis(QCPAxis::atBottom);
        x->setTickLabels(bottom);
        x->setLabel(bottom ? tr("Time [s]") : QString());
    }
}

} // namespace bs
