// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: Triggered mode (TriggerMonitor on a worker thread, the trigger bar, trigger markers).
#include "ScopeView.h"

#include "ChannelStyles.h"
#include "TriggerBar.h"

#include <EngineeringFormat.h>
#include <TraceStore.h>

#include <QComboBox>
#include <QThread>
#include <qcustomplot.h>

#include <cmath>

namespace bs {

namespace {
constexpr int kTriggerPollMs = 15;
const QString kLayer = QStringLiteral("markers");
const QColor kTriggerColor(0xe6, 0x7e, 0x22);

QString framesText(quint64 n)
{
    return QCoreApplication::translate("bs::ScopeView", "%n frame(s)", nullptr, int(std::min<quint64>(n, INT_MAX)));
}
} // namespace

void ScopeView::buildTrigger()
{
    m_triggerBar = new TriggerBar(this);
    m_triggerBar->setVisible(false);
    connect(m_triggerBar, &TriggerBar::triggerChanged, this, [this] {
        applyTrigger();
        m_graphsDirty = true; // the level line moves to the new source's lane
        Q_EMIT triggerChanged();
    });
    connect(m_triggerBar, &TriggerBar::armRequested, this, [this] {
        if (m_monitor)
            m_monitor->arm();
    });
    connect(m_triggerBar, &TriggerBar::levelToMiddleRequested, this, &ScopeView::setLevelToMiddle);
}

void ScopeView::setTriggered(bool on)
{
    if (on == m_triggered || (on && !m_liveStore))
        return;
    m_triggered = on;
    if (m_modeBox) {
        const QSignalBlocker block(m_modeBox);
        m_modeBox->setCurrentIndex(on ? 1 : 0);
    }
    m_triggerBar->setVisible(on && !m_controls->isHidden());
    if (on && !m_monitor) {
        m_triggerThread = new QThread(this);
        m_triggerThread->setObjectName(QStringLiteral("trigger"));
        m_monitor = new TriggerMonitor(*m_liveStore);
        m_monitor->moveToThread(m_triggerThread);
        m_triggerThread->start();
    }
    m_frame.reset();
    m_triggerPublication = ~quint64(0);
    if (on) {
        m_triggerApplied = false;
        applyTrigger();
        QMetaObject::invokeMethod(m_monitor, [m = m_monitor] { m->start(kTriggerPollMs); }, Qt::QueuedConnection);
    } else if (m_monitor) {
        QMetaObject::invokeMethod(m_monitor, [m = m_monitor] { m->stop(); }, Qt::QueuedConnection);
    }
    m_graphsDirty = true;
    m_dirty = true;
    Q_EMIT triggerChanged();
}

ScopeSettings::Trigger ScopeView::triggerSettings() const
{
    return m_triggerBar->trigger();
}

void ScopeView::setTriggerSettings(const ScopeSettings::Trigger &trigger)
{
    m_triggerBar->setTrigger(trigger);
    applyTrigger();
    m_graphsDirty = true;
}

TriggerMonitor::Snapshot ScopeView::triggerSnapshot() const
{
    return m_monitor ? m_monitor->snapshot() : TriggerMonitor::Snapshot {};
}

const ScopeView::Trace *ScopeView::triggerTrace() const
{
    const QString key = m_triggerBar->trigger().channel;
    for (const Trace &t : m_traces)
        if (t.styleKey == key)
            return &t;
    return nullptr;
}

void ScopeView::applyTrigger()
{
    if (!m_monitor || !m_triggered)
        return;
    const ScopeSettings::Trigger t = m_triggerBar->trigger();
    const Trace *source = triggerTrace();
    const std::optional<ChannelKey> channel = source ? std::optional(source->key) : std::nullopt;
    // Only what changed: a new channel restarts the reading, new trigger settings the trigger,
    // new frame settings re-arm.
    if (!m_triggerApplied || channel != m_appliedChannel)
        m_monitor->setChannel(channel);
    if (!m_triggerApplied || !(t.settings.edge == m_appliedTrigger.settings.edge && t.settings.level == m_appliedTrigger.settings.level
            && t.settings.hysteresis == m_appliedTrigger.settings.hysteresis && t.settings.holdoff == m_appliedTrigger.settings.holdoff))
        m_monitor->setTriggerSettings(t.settings);
    if (!m_triggerApplied || t.prePercent != m_appliedTrigger.prePercent || t.sweep != m_appliedTrigger.sweep
        || m_span != m_appliedSpan)
        m_monitor->setFrameSettings(FrameSettings { m_span, t.prePercent, t.sweep });
    m_appliedChannel = channel;
    m_appliedTrigger = t;
    m_appliedSpan = m_span;
    m_triggerApplied = true;
}

bool ScopeView::pullTriggerFrame()
{
    if (!m_monitor)
        return false;
    const quint64 publication = m_monitor->publication();
    if (publication == m_triggerPublication)
        return false;
    m_triggerPublication = publication;
    const TriggerMonitor::Snapshot s = m_monitor->snapshot();

    QString text;
    QColor color(0x70, 0x70, 0x70);
    if (!s.channel || !s.channelPresent) {
        text = tr("No channel to trigger on");
    } else {
        switch (s.state) {
        case TriggerState::Waiting:
            text = s.frame ? tr("Waiting for trigger… (showing the last frame)") : tr("Waiting for trigger…");
            color = QColor(0xb3, 0x6b, 0x00);
            break;
        case TriggerState::Triggered:
            text = tr("Triggered · %1").arg(framesText(s.frames));
            color = QColor(0x2e, 0x7d, 0x32);
            break;
        case TriggerState::Auto:
            text = tr("Auto: no trigger — the picture is not triggered");
            color = QColor(0x1e, 0x60, 0xa8);
            break;
        case TriggerState::Stopped:
            text = tr("Stopped (Single) — press Arm for the next frame");
            color = QColor(0xc6, 0x28, 0x28);
            break;
        }
        const quint64 missing = s.gaps + (s.lost > 0 ? 1 : 0) + (s.skipped > 0 ? 1 : 0);
        if (missing > 0) // a gap can hide an edge: say so
            text += tr(" · %n gap(s) in the data", nullptr, int(std::min<quint64>(s.gaps, INT_MAX)));
        if (s.lost + s.skipped > 0)
            text += tr(" · %1 samples not seen by the trigger")
                        .arg(EngineeringFormat::formatInteger(qint64(std::min<quint64>(s.lost + s.skipped, INT64_MAX))));
    }
    m_triggerBar->setState(text, color);

    if (!s.frame || (m_frame && m_frame->serial == s.frame->serial && m_frame->from == s.frame->from))
        return false;
    const std::optional<TriggerFrame> before = m_frame;
    m_frame = s.frame;
    m_programmatic = true;
    if (m_follow) {
        m_plot->xAxis->setRange(m_frame->from, m_frame->to);
    } else if (before) { // zoomed into the frame: stay at the same place relative to it
        const double shift = m_frame->from - before->from;
        m_plot->xAxis->setRange(m_plot->xAxis->range().lower + shift, m_plot->xAxis->range().upper + shift);
    }
    if (before && m_cursorsPlaced) { // the time cursors keep their place in the frame
        const double shift = m_frame->from - before->from;
        m_cursorT[0] += shift;
        m_cursorT[1] += shift;
        updateCursorItems();
    }
    m_programmatic = false;
    updateTriggerItems();
    return true;
}

void ScopeView::rebuildTriggerItems()
{
    for (QCPAbstractItem *item : std::as_const(m_triggerItems))
        m_plot->removeItem(item);
    m_triggerItems.clear();
    if (!m_triggered)
        return;
    const QPen pen(kTriggerColor, 1.2, Qt::DashDotLine);
    for (const Lane &lane : std::as_const(m_lanes)) {
        auto *line = new QCPItemStraightLine(m_plot);
        line->setLayer(kLayer);
        line->setClipAxisRect(lane.rect);
        line->setPen(pen);
        line->setSelectable(false);
        for (QCPItemPosition *p : { line->point1, line->point2 }) {
            p->setAxes(lane.rect->axis(QCPAxis::atBottom), lane.rect->axis(QCPAxis::atLeft));
            p->setAxisRect(lane.rect);
            p->setTypeX(QCPItemPosition::ptPlotCoords);
            p->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        line->setProperty("trigger", QStringLiteral("time"));
        m_triggerItems.append(line);
    }
    auto *label = new QCPItemText(m_plot);
    label->setLayer(kLayer);
    label->setClipToAxisRect(false);
    label->position->setAxes(m_plot->xAxis, m_plot->yAxis);
    label->position->setAxisRect(m_plot->axisRect());
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    label->setColor(Qt::white);
    label->setBrush(kTriggerColor);
    label->setPadding(QMargins(3, 0, 3, 0));
    label->setText(QStringLiteral("T"));
    label->setSelectable(false);
    label->setProperty("trigger", QStringLiteral("label"));
    m_triggerItems.append(label);
    if (const Trace *source = triggerTrace()) {
        auto *level = new QCPItemStraightLine(m_plot);
        level->setLayer(kLayer);
        level->setClipAxisRect(source->axis->axisRect());
        level->setPen(QPen(kTriggerColor, 1, Qt::DotLine));
        level->setSelectable(false);
        for (QCPItemPosition *p : { level->point1, level->point2 }) {
            p->setAxes(source->axis->axisRect()->axis(QCPAxis::atBottom), source->axis);
            p->setAxisRect(source->axis->axisRect());
            p->setTypeX(QCPItemPosition::ptAxisRectRatio);
            p->setTypeY(QCPItemPosition::ptPlotCoords);
        }
        level->setProperty("trigger", QStringLiteral("level"));
        m_triggerItems.append(level);
    }
    updateTriggerItems();
}

void ScopeView::updateTriggerItems()
{
    const bool shown = m_frame && !m_frame->automatic && std::isfinite(m_frame->trigger);
    const double t = shown ? m_frame->trigger : 0.0;
    const double level = m_triggerBar->trigger().settings.level;
    for (QCPAbstractItem *item : std::as_const(m_triggerItems)) {
        const QString kind = item->property("trigger").toString();
        if (kind == QLatin1String("level")) {
            auto *l = static_cast<QCPItemStraightLine *>(item);
            l->point1->setCoords(0.0, level);
            l->point2->setCoords(1.0, level);
            continue;
        }
        item->setVisible(shown);
        if (auto *l = qobject_cast<QCPItemStraightLine *>(item)) {
            l->point1->setCoords(t, 0.0);
            l->point2->setCoords(t, 1.0);
        } else if (auto *label = qobject_cast<QCPItemText *>(item)) {
            label->position->setCoords(t, 0.0);
        }
    }
}

void ScopeView::setLevelToMiddle()
{
    const Trace *source = triggerTrace();
    if (!source || !source->graph)
        return;
    bool ok = false;
    const QCPRange r = source->graph->getValueRange(ok, QCP::sdBoth, m_plot->xAxis->range());
    if (!ok)
        return;
    ScopeSettings::Trigger t = m_triggerBar->trigger();
    t.settings.level = r.center();
    m_triggerBar->setTrigger(t);
    applyTrigger();
    updateTriggerItems();
    m_dirty = true;
    Q_EMIT triggerChanged();
}

} // namespace bs
