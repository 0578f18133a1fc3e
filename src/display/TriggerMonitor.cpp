// SPDX-License-Identifier: GPL-3.0-or-later
#include "TriggerMonitor.h"

#include "TraceStore.h"

#include <QTimer>

namespace bs {

TriggerMonitor::TriggerMonitor(const TraceStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

TriggerMonitor::~TriggerMonitor() = default;

void TriggerMonitor::setChannel(const std::optional<ChannelKey> &key)
{
    std::lock_guard lock(m_mutex);
    m_requested.channel = key;
    m_channelChanged = true;
}

void TriggerMonitor::setTriggerSettings(const TriggerSettings &settings)
{
    std::lock_guard lock(m_mutex);
    m_requested.trigger = settings;
    m_triggerChanged = true;
}

void TriggerMonitor::setFrameSettings(const FrameSettings &settings)
{
    std::lock_guard lock(m_mutex);
    m_requested.frame = settings;
    m_frameChanged = true;
}

void TriggerMonitor::arm()
{
    std::lock_guard lock(m_mutex);
    m_armRequested = true;
}

void TriggerMonitor::setMaxBacklogRows(quint64 rows)
{
    std::lock_guard lock(m_mutex);
    m_requested.maxBacklog = std::max<quint64>(rows, 1);
}

TriggerMonitor::Snapshot TriggerMonitor::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_published;
}

void TriggerMonitor::start(int intervalMs)
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &TriggerMonitor::poll);
    }
    m_timer->start(std::max(intervalMs, 1));
}

void TriggerMonitor::stop()
{
    if (m_timer)
        m_timer->stop();
}

void TriggerMonitor::applyConfig()
{
    bool channel = false, trigger = false, frame = false, armIt = false;
    {
        std::lock_guard lock(m_mutex);
        m_config = m_requested;
        channel = std::exchange(m_channelChanged, false);
        trigger = std::exchange(m_triggerChanged, false);
        frame = std::exchange(m_frameChanged, false);
        armIt = std::exchange(m_armRequested, false);
    }
    if (frame)
        m_acquisition.setSettings(m_config.frame); // arms: triggers waiting for a frame are dropped
    if (trigger) {
        m_trigger.setSettings(m_config.trigger);
        // Triggers found with the old settings no longer make a frame; a stopped Single stays.
        if (m_acquisition.state() != TriggerState::Stopped)
            m_acquisition.arm();
    }
    if (channel)
        restartChannel();
    if (armIt)
        m_acquisition.arm();
}

void TriggerMonitor::restartChannel()
{
    m_trigger.reset();
    m_acquisition.reset();
    m_work = Snapshot {};
    m_work.channel = m_config.channel;
    m_cursor = SampleCursor {};
    if (!m_config.channel)
        return;
    // Start one span before the newest data: a trigger there can show its frame at once, and a
    // long history is not worked through first.
    const TimeRange range = m_store.timeRange(*m_config.channel);
    if (range.isValid())
        m_cursor = m_store.cursorAt(*m_config.channel, range.last - m_acquisition.settings().span);
}

void TriggerMonitor::poll()
{
    applyConfig();
    if (m_config.channel) {
        const ChannelKey key = *m_config.channel;
        const auto piece = [this](const double *t, const double *v, std::size_t n) {
            m_events.clear();
            m_trigger.feed(t, v, n, m_events);
            for (const TriggerEvent &e : m_events)
                m_acquisition.addTrigger(e);
            m_acquisition.advance(t[n - 1]);
            m_work.samples += n;
            m_work.triggers += m_events.size();
        };
        const auto gap = [this] {
            m_trigger.gap();
            ++m_work.gaps;
        };
        quint64 budget = DefaultRowsPerPoll;
        // A read of nothing tells where we stand (found, restarted, how far behind).
        SampleReadStatus st = m_store.readNew(key, m_cursor, piece, gap, 0);
        // Bounded: a stream restarting on every call cannot keep us here.
        for (int pass = 0; pass < 64 && st.found && budget > 0; ++pass) {
            if (st.restarted) {
                // Cleared, restarted or replaced: the time axis may start over; so do we.
                ++m_work.restarts;
                m_trigger.reset();
                m_acquisition.reset();
                st = m_store.readNew(key, m_cursor, piece, gap, 0);
                continue;
            }
            if (st.behind > m_config.maxBacklog) {
                // Too far behind to catch up in time: on to one span before the newest data.
                const TimeRange range = m_store.timeRange(key);
                const SampleCursor ahead = range.isValid()
                    ? m_store.cursorAt(key, range.last - m_acquisition.settings().span)
                    : SampleCursor {};
                if (ahead.epoch == m_cursor.epoch && ahead.row > m_cursor.row) {
                    m_work.skipped += ahead.row - m_cursor.row;
                    m_cursor = ahead;
                    gap();
                }
            }
            st = m_store.readNew(key, m_cursor, piece, gap, std::min(budget, m_config.maxBacklog));
            m_work.lost += st.lost;
            budget -= std::min<quint64>(budget, st.rows);
            if (!st.restarted && (st.rows == 0 || st.behind == 0))
                break;
        }
        m_work.channelPresent = st.found;
        m_work.heldOff = m_trigger.heldOff();
    } else {
        m_work.channelPresent = false;
    }
    publish();
}

bool TriggerMonitor::publish()
{
    m_work.channel = m_config.channel;
    m_work.mode = m_acquisition.settings().mode;
    m_work.state = m_acquisition.state();
    m_work.frame = m_acquisition.frame();
    m_work.frames = m_acquisition.framesCompleted();
    m_work.autoFrames = m_acquisition.autoFrames();
    m_work.dataTime = m_acquisition.dataTime();
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        const auto serial = [](const Snapshot &s) { return s.frame ? s.frame->serial : 0; };
        changed = serial(m_published) != serial(m_work) || m_published.state != m_work.state
            || m_published.channelPresent != m_work.channelPresent || m_published.frame.has_value() != m_work.frame.has_value();
        m_published = m_work;
    }
    if (changed) {
        m_publication.fetch_add(1, std::memory_order_acq_rel);
        emit frameChanged();
    }
    return changed;
}

} // namespace bs
