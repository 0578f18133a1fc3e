// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: pulling envelopes from the TraceStore into the plot (graphs, axes, ranges).
#include "ScopeView.h"

#include "ChannelStyles.h"
#include "EnvelopeGraph.h"
#include "ScopeLegendItem.h"
#include "TriggerBar.h"

#include <TraceStore.h>

#include <QSet>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {

namespace {
QCPRange paddedRange(double lo, double hi)
{
    if (hi > lo) {
        const double m = (hi - lo) * 0.05;
        return { lo - m, hi + m };
    }
    const double m = lo != 0.0 ? std::abs(lo) * 0.05 : 1.0;
    return { lo - m, hi + m };
}

void styleAxis(QCPAxis *axis, const QColor &color)
{
    axis->setLabelColor(color);
    axis->setTickLabelColor(color);
    axis->setBasePen(QPen(color));
    axis->setTickPen(QPen(color));
    axis->setSubTickPen(QPen(color));
}
} // namespace

QString ScopeView::emptyText() const
{
    return m_emptyItem->visible() ? m_emptyItem->text() : QString();
}

void ScopeView::updateLegendWrap()
{
    // As many legend columns as fit the plot's width, each column as wide as its widest entry
    // (filled row by row), so that the legend takes as few rows as possible and clips no name.
    QCPLegend *legend = m_plot->legend;
    // The grid's cells in fill order; a wrapped grid has empty cells (nullptr) after its last item.
    QVector<int> widths;
    for (int i = 0; i < legend->elementCount(); ++i)
        if (QCPLayoutElement *item = legend->elementAt(i))
            widths.append(item->minimumOuterSizeHint().width());
    const int n = int(widths.size());
    if (n == 0)
        return;
    const int available = m_plot->width() - 16 - legend->margins().left() - legend->margins().right();
    int wrap = 1;
    for (int columns = n; columns > 1; --columns) {
        int total = (columns - 1) * legend->columnSpacing();
        for (int c = 0; c < columns; ++c) {
            int widest = 0;
            for (int i = c; i < n; i += columns)
                widest = std::max(widest, widths[i]);
            total += widest;
        }
        if (total <= available) {
            wrap = columns;
            break;
        }
    }
    if (wrap == legend->wrap() && legend->columnCount() == std::min(wrap, n))
        return;
    legend->setWrap(wrap);
    legend->setFillOrder(QCPLegend::foColumnsFirst, true); // re-flow the existing items
}

QString ScopeView::legendName(const Trace &t, bool multiInstrument) const
{
    const QString label = t.info.label();
    if (!multiInstrument)
        return label;
    return m_instrumentNames.value(t.key.instrumentId, t.key.instrumentId) + QStringLiteral(": ") + label;
}

void ScopeView::rebuildGraphs()
{
    m_graphsDirty = false;
    for (const auto &c : std::as_const(m_axisConnections))
        disconnect(c);
    m_axisConnections.clear();
    m_plot->clearGraphs();
    for (QCPAbstractItem *item : std::as_const(m_markerItems)) // they sit on the lanes' axes
        m_plot->removeItem(item);
    m_markerItems.clear();
    m_markersDirty = true;
    for (QCPAbstractItem *item : std::as_const(m_cursorItems))
        m_plot->removeItem(item);
    m_cursorItems.clear();
    m_cursorText = nullptr;
    for (QCPAbstractItem *item : std::as_const(m_triggerItems))
        m_plot->removeItem(item);
    m_triggerItems.clear();
    clearGapMarkers();
    for (QCPAxis *a : std::as_const(m_extraAxes))
        a->axisRect()->removeAxis(a);
    m_extraAxes.clear();
    m_axes.clear();
    m_axisUnits.clear();
    m_channelAxes.clear();
    m_traces.clear();
    resetLanes();

    m_legendKeys.clear();
    QSet<QString> instruments;
    QVector<Trace> hidden; // listed in the legend (greyed) so a click shows them again
    bool primaryPresent = false;
    for (const ChannelKey &key : m_store->channels()) {
        const auto info = m_store->channelInfo(key);
        if (!info)
            continue;
        Trace t;
        t.key = key;
        t.info = *info;
        t.styleKey = ChannelStyles::keyOf(key.instrumentId, key.streamId, info->name);
        t.order = int(m_traces.size() + hidden.size());
        instruments.insert(key.instrumentId);
        if (!m_styles->style(t.styleKey, info->plotByDefault).visible) {
            if (info->plotByDefault || m_everShown.contains(t.styleKey))
                hidden.append(t);
            continue;
        }
        m_everShown.insert(t.styleKey);
        primaryPresent = primaryPresent || (!m_savedPrimaryUnit.isNull() && info->unit == m_savedPrimaryUnit);
        m_traces.append(t);
    }
    if (primaryPresent && m_laneMode == ScopeSettings::Lanes::Single)
        axisFor(laneFor(QString()), m_savedPrimaryUnit); // keep the left axis the user had
    QHash<QCPAxis *, QVector<const Trace *>> onAxis;
    for (Trace &t : m_traces) { // the units' shared axes first, then the channels' own axes
        t.lane = laneFor(laneKeyOf(t));
        if (!m_channelScales.contains(t.styleKey))
            t.axis = axisFor(t.lane, t.info.unit);
    }
    for (Trace &t : m_traces) {
        if (!t.axis)
            t.axis = ownAxisFor(t);
        const ChannelStyles::Style st = m_styles->style(t.styleKey);
        t.graph = new EnvelopeGraph(m_lanes[t.lane].rect->axis(QCPAxis::atBottom), t.axis);
        QPen pen(st.color);
        pen.setWidthF(1.5);
        t.graph->setPen(pen);
        t.graph->setName(legendName(t, instruments.size() > 1));
        t.graph->setAdaptiveSampling(false); // the store already decimated to ≤ 2 points per pixel
        m_legendKeys.insert(t.graph, t.styleKey);
        onAxis[t.axis].append(&t);
    }
    QMap<int, QCPGraph *> legendOrder; // the store's channel order, hidden ones in their place
    for (const Trace &t : std::as_const(m_traces))
        legendOrder.insert(t.order, t.graph);
    for (Trace &t : hidden) {
        // An empty, invisible graph: only its legend entry shows (greyed, dotted icon).
        QCPGraph *g = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
        QColor c = m_styles->style(t.styleKey).color;
        c.setAlpha(110);
        g->setPen(QPen(c, 1.5, Qt::DotLine));
        g->setName(legendName(t, instruments.size() > 1));
        g->setVisible(false);
        m_legendKeys.insert(g, t.styleKey);
        legendOrder.insert(t.order, g);
    }
    m_plot->legend->clearItems();
    for (QCPGraph *g : std::as_const(legendOrder)) {
        auto *item = new ScopeLegendItem(m_plot->legend, g); // its text laid out once, not per replot
        m_plot->legend->addItem(item);
        if (g->visible())
            continue;
        item->setTextColor(QColor(0x9a, 0x9a, 0x9a));
        QFont f = item->font();
        f.setItalic(true);
        item->setFont(f);
    }

    for (const Lane &lane : std::as_const(m_lanes))
        for (QCPAxis *a : { lane.rect->axis(QCPAxis::atLeft), lane.rect->axis(QCPAxis::atRight) }) {
            styleAxis(a, Qt::black);
            a->setLabel(QString());
        }
    const bool perInstrument = m_laneMode == ScopeSettings::Lanes::PerInstrument;
    QHash<QCPAxisRect *, QList<QCPAxis *>> laneAxes;
    for (const auto &[key, axis] : std::as_const(m_axes)) {
        laneAxes[axis->axisRect()].append(axis);
        const QString unit = m_axisUnits.value(axis);
        const auto &traces = onAxis[axis];
        if (traces.size() == 1) {
            axis->setLabel(perInstrument ? legendName(*traces.first(), true) : traces.first()->info.label());
            styleAxis(axis, m_styles->style(traces.first()->styleKey).color.darker(115));
        } else {
            const QString u = unit.isEmpty() ? tr("Value") : QStringLiteral("[%1]").arg(unit);
            axis->setLabel(perInstrument && !traces.isEmpty()
                    ? m_instrumentNames.value(traces.first()->key.instrumentId, traces.first()->key.instrumentId)
                        + QLatin1Char(' ') + u
                    : u);
        }
        if (const auto own = m_channelAxes.constFind(axis); own != m_channelAxes.constEnd()) {
            const QString styleKey = *own; // its range is its scale and offset
            m_axisConnections.append(connect(axis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
                [this, styleKey](const QCPRange &r) { onChannelAxisRangeChanged(styleKey, r); }));
            continue;
        }
        const QString u = key;
        m_axisConnections.append(connect(
            axis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this, u](const QCPRange &r) {
                if (m_programmatic || m_yAuto)
                    return;
                m_manualRanges.insert(u, { r.lower, r.upper });
                syncControls();
            }));
        if (!m_yAuto) {
            const auto it = m_manualRanges.constFind(key);
            if (it != m_manualRanges.constEnd()) {
                m_programmatic = true;
                axis->setRange(it->first, it->second);
                m_programmatic = false;
            }
        }
    }
    updateAxisVisibility();
    applyChannelScales();
    for (const Lane &lane : std::as_const(m_lanes)) {
        QList<QCPAxis *> valueAxes = laneAxes.value(lane.rect);
        if (valueAxes.isEmpty())
            valueAxes.append(lane.rect->axis(QCPAxis::atLeft));
        lane.rect->setRangeDragAxes({ lane.rect->axis(QCPAxis::atBottom) }, valueAxes);
        lane.rect->setRangeZoomAxes({ lane.rect->axis(QCPAxis::atBottom) }, valueAxes);
    }
    m_plot->legend->setVisible(m_plot->legend->itemCount() > 0);
    if (!m_axes.isEmpty() && !m_channelAxes.contains(m_axes.first().second))
        m_savedPrimaryUnit = m_axes.first().first;
    rebuildCursors();
    QVector<TriggerBar::Source> sources;
    for (const Trace &t : std::as_const(m_traces))
        sources.append({ t.styleKey, legendName(t, instruments.size() > 1), t.info.unit });
    m_triggerBar->setSources(sources);
    applyTrigger(); // the source's ChannelKey may have changed
    rebuildTriggerItems();
    syncControls();
}

void ScopeView::updateXRange()
{
    if (!m_follow || m_frozen || m_triggered) // a Triggered view's range comes with its frame
        return;
    TimeRange r;
    for (const Trace &t : std::as_const(m_traces)) {
        const TimeRange tr = m_store->timeRange(t.key);
        if (!tr.valid)
            continue;
        r.first = r.valid ? std::min(r.first, tr.first) : tr.first;
        r.last = r.valid ? std::max(r.last, tr.last) : tr.last;
        r.valid = true;
    }
    double lo = 0.0, hi = m_span;
    if (r.valid) {
        if (r.last - m_span < r.first) // a fresh acquisition fills the window from the left
            lo = r.first, hi = r.first + m_span;
        else
            lo = r.last - m_span, hi = r.last;
    }
    m_programmatic = true;
    m_plot->xAxis->setRange(lo, hi);
    m_programmatic = false;
}

void ScopeView::fetchData()
{
    const QCPRange x = m_plot->xAxis->range();
    m_maxPoints = 0;
    m_hasPoints = false;
    // Between a Stop and the next Run nothing was acquired: no line is drawn across that gap.
    QVector<QPair<double, double>> stopped;
    for (qsizetype i = 0; i + 1 < m_markers.size(); ++i)
        if (!m_markers[i].started && m_markers[i + 1].started && m_markers[i + 1].time > m_markers[i].time)
            stopped.append({ m_markers[i].time, m_markers[i + 1].time });
    for (Trace &t : m_traces) {
        const Envelope env = m_store->envelope(t.key, x.lower, x.upper, m_columns);
        QVector<double> times(env.t.begin(), env.t.end());
        QVector<double> values(env.v.begin(), env.v.end());
        if (m_frozen) { // nothing newer than the moment of the freeze
            const auto end = std::upper_bound(times.cbegin(), times.cend(), m_frozenAt);
            times.resize(end - times.cbegin());
            values.resize(times.size());
        }
        for (const auto &[from, to] : std::as_const(stopped)) {
            // The pair of points whose segment spans most of the stopped interval gets a NaN between.
            const auto after = std::lower_bound(times.cbegin(), times.cend(), (from + to) / 2);
            if (after == times.cbegin() || after == times.cend())
                continue;
            const qsizetype k = after - times.cbegin();
            const double covered = std::min(times[k], to) - std::max(times[k - 1], from);
            if (covered >= 0.5 * (to - from)) {
                times.insert(k, (from + to) / 2);
                values.insert(k, std::numeric_limits<double>::quiet_NaN());
            }
        }
        t.graph->setData(times, values, true);
        // Sparse data (slow or triggered captures) gets dots so single samples stay visible.
        const bool sparse = !env.empty() && int(env.size()) < m_columns / 8;
        t.graph->setScatterStyle(sparse ? QCPScatterStyle(QCPScatterStyle::ssDisc, 4) : QCPScatterStyle());
        // Cheap pens for dense traces: a min/max envelope with a point in most pixel columns is
        // drawn with a 1-pixel line without antialiasing (what a scope screen shows, and several
        // times faster to rasterise); sparser traces keep the smooth 1.5-pixel line.
        const bool dense = int(env.size()) > m_columns / 2;
        t.graph->setAntialiased(!dense);
        if (t.graph->pen().widthF() != (dense ? 1.0 : 1.5)) {
            QPen pen = t.graph->pen();
            pen.setWidthF(dense ? 1.0 : 1.5);
            t.graph->setPen(pen);
        }
        m_maxPoints = std::max(m_maxPoints, int(env.size()));
        m_hasPoints = m_hasPoints || std::any_of(env.t.begin(), env.t.end(), [&x](double t) {
            return t >= x.lower && t <= x.upper;
        });
    }
}

void ScopeView::autoscale()
{
    const QCPRange x = m_plot->xAxis->range();
    for (const auto &[unit, axis] : std::as_const(m_axes)) {
        const bool own = m_channelAxes.contains(axis); // follows its channel's Autoscale, not the view's
        if (own ? !channelAxisAutoscaled(axis) : !m_yAuto && m_manualRanges.contains(unit))
            continue;
        bool found = false;
        double lo = 0.0, hi = 0.0;
        for (const Trace &t : std::as_const(m_traces)) {
            if (t.axis != axis)
                continue;
            bool ok = false;
            const QCPRange r = t.graph->getValueRange(ok, QCP::sdBoth, x);
            if (!ok)
                continue;
            lo = found ? std::min(lo, r.lower) : r.lower;
            hi = found ? std::max(hi, r.upper) : r.upper;
            found = true;
        }
        if (!found)
            continue;
        const QCPRange target = paddedRange(lo, hi);
        const QCPRange cur = axis->range();
        // Hysteresis: do not let the scale breathe with every frame of noise.
        const bool keep
            = cur.lower <= target.lower && cur.upper >= target.upper && target.size() > 0.6 * cur.size();
        if (!keep) {
            m_programmatic = true;
            axis->setRange(target);
            m_programmatic = false;
        }
        if (!m_yAuto && !own) // a unit that had no manual range yet: freeze its first fit
            m_manualRanges.insert(unit, { axis->range().lower, axis->range().upper });
    }
}

void ScopeView::updateEmptyText()
{
    QString text;
    if (m_store->channels().isEmpty())
        text = m_running ? tr("Waiting for data…")
                         : tr("Add an instrument or press Run") + QLatin1Char('\n')
                + tr("Instruments ▸ Add Instrument… (Ctrl+I)   ·   Run / Stop: F5 or Space");
    else if (m_traces.isEmpty())
        text = tr("All channels are hidden.\nTick a channel in an instrument panel to show it.");
    else if (!m_hasPoints && m_follow)
        text = m_running ? tr("Waiting for data…") : tr("No data yet — press Run (F5 or Space)");
    else if (!m_hasPoints)
        text = tr("No data in this time window.\nPress F (Follow) to jump to the newest data.");
    m_emptyItem->setText(text);
    m_emptyItem->setVisible(!text.isEmpty());
}

bool ScopeView::refresh()
{
    return refreshNow(false);
}

bool ScopeView::refreshNow(bool paced)
{
    const quint64 layout = m_store->layoutRevision();
    if (layout != m_layoutRevision) {
        m_layoutRevision = layout;
        m_graphsDirty = true;
    }
    const bool rebuilt = m_graphsDirty;
    if (m_graphsDirty) {
        rebuildGraphs();
        m_dirty = true;
    }
    if (m_markersDirty) {
        rebuildMarkers();
        m_dirty = true;
    }
    const int columns = std::max(1, m_plot->axisRect()->width());
    if (columns != m_columns || rebuilt) {
        updateLegendWrap();
        m_dirty = true;
    }
    // From the timer, new data alone (new samples, a new trigger frame) redraws at most every
    // kDataRefreshMs (30 Hz: smooth rolling for the eye, half the drawing of 60 Hz); a change of the
    // view (zoom, pan, a setting) at once. A trigger frame waiting meanwhile is the monitor's latest.
    const bool dataDue = !paced || m_dirty || !m_sinceReplot.isValid() || m_sinceReplot.elapsed() >= kDataRefreshMs;
    bool newFrame = false;
    if (m_triggered && !m_frozen && dataDue)
        newFrame = pullTriggerFrame();
    const quint64 revision = m_store->revision();
    // Frozen: new data does not move the picture (zoom and pan still do). Triggered: the picture
    // changes with the frames, not with every block.
    if ((revision == m_revision || m_frozen || m_triggered) && !m_dirty && !newFrame)
        return false;
    if (!dataDue)
        return false;
    m_sinceReplot.start();
    m_revision = revision;
    m_columns = columns;
    m_dirty = false;
    updateXRange();
    fetchData();
    updateGapMarkers();
    autoscale();
    updateEmptyText();
    syncControls();
    m_plot->replot();
    ++m_replots;
    return true;
}

} // namespace bs
