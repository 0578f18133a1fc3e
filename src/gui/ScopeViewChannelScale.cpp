// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: a channel's own vertical scale (unit/div and offset, or its own autoscale), as on a
// bench scope: its own value axis in its lane, the lane's divisions as grid lines.
#include "ScopeView.h"

#include "ChannelScaleDialog.h"
#include "ChannelStyles.h"

#include <EngineeringFormat.h>

#include <qcustomplot.h>

#include <cmath>

namespace bs {

namespace {
using ChannelScale = ScopeSettings::ChannelScale;

/// Ticks on the divisions of a channel's own scale: offset + k · perDiv, labelled with SI
/// prefixes in the channel's unit ("−20 mV"), four sub-ticks per division.
class DivisionTicker : public QCPAxisTicker
{
public:
    DivisionTicker(const ChannelScale &scale, const QString &unit)
        : m_scale(scale)
        , m_unit(unit)
    {
    }

protected:
    double getTickStep(const QCPRange &) override { return m_scale.perDiv; }
    int getSubTickCount(double) override { return 4; }
    QVector<double> createTickVector(double step, const QCPRange &range) override
    {
        QVector<double> ticks;
        const double first = std::ceil((range.lower - m_scale.offset) / step - 1e-6);
        const double last = std::floor((range.upper - m_scale.offset) / step + 1e-6);
        if (!(last - first < 200)) // zoomed far out while the scale catches up: no division lines
            return ticks;
        for (double k = first; k <= last; k += 1.0)
            ticks.append(m_scale.offset + k * step);
        return ticks;
    }
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        if (std::abs(tick) < m_scale.perDiv * 1e-9) // rounding residue of the centre line at 0
            tick = 0.0;
        return EngineeringFormat::format(tick, m_unit, 4);
    }

private:
    ChannelScale m_scale;
    QString m_unit;
};

constexpr const char *kBaseName = "bsLegendName"; // the legend text without the scale
} // namespace

std::optional<ChannelScale> ScopeView::channelScale(const QString &styleKey) const
{
    const auto it = m_channelScales.constFind(styleKey);
    if (it == m_channelScales.constEnd())
        return std::nullopt;
    return *it;
}

bool ScopeView::setChannelScale(const QString &styleKey, const ChannelScale &scale, QString *error)
{
    QString unit;
    for (const Trace &t : std::as_const(m_traces))
        if (t.styleKey == styleKey)
            unit = t.info.unit;
    QString problem = styleKey.isEmpty() ? tr("No channel named.")
                                         : ChannelScale::problem(scale.perDiv, scale.offset, unit);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    const auto it = m_channelScales.constFind(styleKey);
    if (it != m_channelScales.constEnd() && *it == scale)
        return true;
    const bool isNew = it == m_channelScales.constEnd();
    m_channelScales.insert(styleKey, scale);
    if (isNew) // a new axis: the graphs are rebuilt at the next refresh
        m_graphsDirty = true;
    else
        applyChannelScales();
    m_dirty = true;
    Q_EMIT channelScalesChanged();
    return true;
}

void ScopeView::clearChannelScale(const QString &styleKey)
{
    if (m_channelScales.remove(styleKey) == 0)
        return;
    m_graphsDirty = true;
    m_dirty = true;
    Q_EMIT channelScalesChanged();
}

QCPAxis *ScopeView::channelAxis(const QString &styleKey) const
{
    for (const Trace &t : m_traces)
        if (t.styleKey == styleKey)
            return t.axis;
    return nullptr;
}

ChannelScaleDialog *ScopeView::openChannelSettings(const QString &styleKey)
{
    if (m_channelDialog && m_channelDialog->styleKey() != styleKey)
        m_channelDialog->close(); // one popup at a time (it deletes itself)
    if (!m_channelDialog || m_channelDialog->styleKey() != styleKey) {
        QString unit;
        for (const Trace &t : std::as_const(m_traces))
            if (t.styleKey == styleKey)
                unit = t.info.unit;
        m_channelDialog = new ChannelScaleDialog(this, styleKey, channelTitle(styleKey), unit);
    }
    m_channelDialog->show();
    m_channelDialog->raise();
    m_channelDialog->activateWindow();
    return m_channelDialog;
}

QString ScopeView::channelTitle(const QString &styleKey) const
{
    // Style keys are "<instrument>/<stream>/<channel name>" (the name may hold a '/').
    const QString name = styleKey.section(QLatin1Char('/'), 2);
    const QString instrument = styleKey.section(QLatin1Char('/'), 0, 0);
    QSet<QString> instruments;
    for (const QString &key : m_legendKeys)
        instruments.insert(key.section(QLatin1Char('/'), 0, 0));
    if (instruments.size() < 2)
        return name;
    return m_instrumentNames.value(instrument, instrument) + QStringLiteral(": ") + name;
}

QCPAxis *ScopeView::ownAxisFor(const Trace &t)
{
    QCPAxis *axis = addValueAxis(t.lane, QStringLiteral("channel:") + t.styleKey, t.styleKey, t.info.unit);
    m_channelAxes.insert(axis, t.styleKey);
    return axis;
}

void ScopeView::applyChannelScales()
{
    updateAxisVisibility(); // the grids as without divisions; lanes with a scaled channel below
    for (const Lane &lane : std::as_const(m_lanes))
        for (QCPAxis *axis : lane.rect->axes(QCPAxis::atLeft | QCPAxis::atRight))
            if (dynamic_cast<DivisionTicker *>(axis->ticker().data()))
                axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    QSet<QCPAxisRect *> divided;
    for (const Trace &t : std::as_const(m_traces)) {
        if (!t.graph->property(kBaseName).isValid())
            t.graph->setProperty(kBaseName, t.graph->name());
        const QString base = t.graph->property(kBaseName).toString();
        const auto it = m_channelScales.constFind(t.styleKey);
        if (it == m_channelScales.constEnd() || !m_channelAxes.contains(t.axis) || it->autoscale) {
            t.graph->setName(base);
            continue;
        }
        const bool programmatic = m_programmatic;
        m_programmatic = true;
        t.axis->setRange(it->lower(), it->upper());
        m_programmatic = programmatic;
        t.axis->setTicker(QSharedPointer<QCPAxisTicker>(new DivisionTicker(*it, t.info.unit)));
        t.graph->setName(base + QStringLiteral("  ") + EngineeringFormat::format(it->perDiv, t.info.unit, 4)
            + QStringLiteral("/div"));
        QCPAxisRect *rect = t.axis->axisRect();
        if (!divided.contains(rect)) { // the lane's grid: the divisions of its first scaled channel
            divided.insert(rect);
            for (QCPAxis *a : rect->axes(QCPAxis::atLeft | QCPAxis::atRight))
                a->grid()->setVisible(a == t.axis);
        }
    }
    updateLegendWrap();
}

void ScopeView::onChannelAxisRangeChanged(const QString &styleKey, const QCPRange &range)
{
    if (m_programmatic)
        return;
    auto it = m_channelScales.find(styleKey);
    if (it == m_channelScales.end())
        return;
    // Zoomed or panned by the user: the range shown is the new scale and offset.
    const ChannelScale scale { false, range.size() / ChannelScale::kDivisions, range.center() };
    if (!ChannelScale::problem(scale.perDiv, scale.offset, QString()).isEmpty() || *it == scale)
        return;
    *it = scale;
    applyChannelScales();
    m_dirty = true;
    Q_EMIT channelScalesChanged();
}

bool ScopeView::channelAxisAutoscaled(const QCPAxis *axis) const
{
    const auto key = m_channelAxes.constFind(const_cast<QCPAxis *>(axis));
    return key != m_channelAxes.constEnd() && m_channelScales.value(*key).autoscale;
}

bool ScopeView::anyManualChannelScale() const
{
    for (const ChannelScale &c : m_channelScales)
        if (!c.autoscale)
            return true;
    return false;
}

void ScopeView::autoscaleAllChannels()
{
    if (!anyManualChannelScale())
        return;
    for (ChannelScale &c : m_channelScales)
        c.autoscale = true;
    applyChannelScales();
    m_dirty = true;
    Q_EMIT channelScalesChanged();
}

void ScopeView::restoreChannelScales(const QMap<QString, ChannelScale> &scales)
{
    if (scales == m_channelScales)
        return;
    const bool sameAxes = scales.keys() == m_channelScales.keys();
    m_channelScales = scales;
    if (sameAxes)
        applyChannelScales();
    else
        m_graphsDirty = true;
    m_dirty = true;
    Q_EMIT channelScalesChanged();
}

QString ScopeView::channelAt(const QPoint &pos) const
{
    if (m_plot->legend->visible() && m_plot->legend->outerRect().contains(pos)) {
        for (int i = 0; i < m_plot->legend->elementCount(); ++i) {
            auto *item = qobject_cast<QCPPlottableLegendItem *>(m_plot->legend->elementAt(i));
            if (item && item->outerRect().contains(pos))
                return m_legendKeys.value(item->plottable());
        }
        return QString();
    }
    for (auto it = m_channelAxes.constBegin(); it != m_channelAxes.constEnd(); ++it)
        if (it.key()->selectTest(pos, false) >= 0)
            return it.value();
    // The trace nearest to the click, within the plot's selection tolerance.
    QString best;
    double bestDistance = m_plot->selectionTolerance();
    for (const Trace &t : m_traces) {
        const double d = t.graph->selectTest(pos, false);
        if (d >= 0 && d <= bestDistance)
            best = t.styleKey, bestDistance = d;
    }
    return best;
}

} // namespace bs
