// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SoftwareTrigger.h"
#include "TraceTypes.h"
#include "TriggerAcquisition.h"

#include <QObject>

#include <atomic>
#include <mutex>
#include <optional>
#include <vector>

class QTimer;

namespace bs {

class TraceStore;

/// Runs the software trigger of one channel off the GUI thread: pulls the samples that arrived
/// since its last pass from the TraceStore (TraceStore::readNew), runs SoftwareTrigger and
/// TriggerAcquisition on them and publishes the newest frame for the view.
///
/// Threading: the object lives on a worker thread. start()/stop()/poll() run on that thread (a
/// QTimer of that thread calls poll(); call start() through a queued invocation or from
/// QThread::started). The setters and snapshot() may be called from any thread: settings are
/// handed over under a mutex and applied at the next poll(); snapshot() copies the last published
/// state under the same mutex. frameChanged() is emitted (from the worker thread) when a new frame
/// or state was published.
///
/// Copes with the store being cleared or the stream restarting (everything starts over, the
/// frame is dropped), the channel disappearing (channelPresent = false until it comes back) and a
/// backlog larger than maxBacklogRows (it skips ahead to the newest data, counted in `skipped`).
class TriggerMonitor : public QObject
{
    Q_OBJECT
public:
    struct Snapshot
    {
        std::optional<ChannelKey> channel;
        bool channelPresent = false;
        TriggerState state = TriggerState::Waiting;
        TriggerMode mode = TriggerMode::Auto;
        std::optional<TriggerFrame> frame; ///< the frame to draw; none yet
        quint64 triggers = 0; ///< triggers found on this channel since it was chosen
        quint64 heldOff = 0; ///< crossings dropped by the holdoff
        quint64 frames = 0; ///< triggered frames completed
        quint64 autoFrames = 0;
        quint64 samples = 0; ///< samples run through the trigger
        quint64 gaps = 0; ///< gaps in the data (missing samples, restarts)
        quint64 lost = 0; ///< samples evicted before the trigger saw them
        quint64 skipped = 0; ///< samples skipped to catch up
        quint64 restarts = 0;
        double dataTime = std::numeric_limits<double>::quiet_NaN(); ///< newest sample time seen
    };

    /// Rows one poll() reads at most before publishing (then it returns to the event loop).
    static constexpr quint64 DefaultRowsPerPoll = quint64(1) << 24;

    explicit TriggerMonitor(const TraceStore &store, QObject *parent = nullptr);
    ~TriggerMonitor() override;

    // --- any thread ----------------------------------------------------------------------------
    /// The channel to trigger on (nullopt: none). Reading starts one span before its newest data.
    void setChannel(const std::optional<ChannelKey> &key);
    /// New trigger settings: the trigger starts over and triggers waiting for their frame are
    /// dropped (a stopped Single stays stopped).
    void setTriggerSettings(const TriggerSettings &settings);
    /// New span, pre-trigger or mode: re-arms (TriggerAcquisition::setSettings()).
    void setFrameSettings(const FrameSettings &settings);
    /// Re-arms (Single: take the next frame).
    void arm();
    /// A backlog above this many rows is skipped (default: 64 Mi rows).
    void setMaxBacklogRows(quint64 rows);
    Snapshot snapshot() const;
    /// Changes with every publication that changed the frame or the state (cheap to poll).
    quint64 publication() const { return m_publication.load(std::memory_order_acquire); }

public Q_SLOTS:
    /// Polls every `intervalMs` on this object's thread.
    void start(int intervalMs = 15);
    void stop();
    /// One pass: apply new settings, read what is new, publish.
    void poll();

Q_SIGNALS:
    void frameChanged();

private:
    struct Config
    {
        std::optional<ChannelKey> channel;
        TriggerSettings trigger;
        FrameSettings frame;
        quint64 maxBacklog = quint64(1) << 26;
    };
    void applyConfig();
    void restartChannel();
    bool publish();

    const TraceStore &m_store;
    QTimer *m_timer = nullptr;

    mutable std::mutex m_mutex; // guards m_requested, m_config/arm flags and m_published
    Config m_requested;
    bool m_channelChanged = true, m_triggerChanged = true, m_frameChanged = true, m_armRequested = false;
    Snapshot m_published;
    std::atomic<quint64> m_publication { 0 };

    // Worker thread only.
    Config m_config;
    SampleCursor m_cursor;
    SoftwareTrigger m_trigger;
    TriggerAcquisition m_acquisition;
    std::vector<TriggerEvent> m_events;
    Snapshot m_work;
};

} // namespace bs
