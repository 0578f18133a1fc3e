// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SoftwareTrigger.h"

#include <QtGlobal>

#include <deque>
#include <limits>
#include <optional>

namespace bs {

enum class TriggerMode { Auto, Normal, Single };

/// What the scope shows next to the picture.
enum class TriggerState {
    Waiting, ///< armed, no trigger seen lately (Normal keeps showing its last frame)
    Triggered, ///< triggers are coming (within the auto timeout of data time)
    Auto, ///< Auto mode without triggers: the frames are untriggered, of the newest data
    Stopped, ///< Single mode after its frame: nothing changes until arm()
};

struct FrameSettings
{
    double span = 0.01; ///< s, the frame's width (> 0)
    double preTriggerPercent = 50.0; ///< 0–100: share of the frame before the trigger
    TriggerMode mode = TriggerMode::Auto;
};

/// One frame to draw: the window [from, to] on the session time axis.
struct TriggerFrame
{
    double trigger = std::numeric_limits<double>::quiet_NaN(); ///< trigger time; NaN if automatic
    double from = 0.0, to = 0.0;
    TriggerEdge edge = TriggerEdge::Rising; ///< of the trigger (Rising or Falling)
    bool automatic = false; ///< Auto mode without a trigger: the newest `span` of data
    quint64 serial = 0; ///< counts up with every new frame (1, 2, …)
};

/// Turns trigger events into scope frames, on data time only (no clock), so it is exactly
/// testable. Fed in time order: addTrigger() for each event, advance() with the time of the
/// newest sample read (after the triggers found up to it).
///
/// A trigger at t gives the window [t − pre·span, t + (1 − pre)·span]; the frame is complete once
/// the data reaches its end. Normal: the newest complete triggered frame is shown and kept until
/// the next one completes; when several complete at once only the newest is kept (no queue of
/// stale frames: at 60 redraws per second the newest wins). Auto: like Normal, but when no
/// trigger came for autoTimeout() = max(span, 100 ms) of data time (counted from the last
/// trigger, or from the first data after a reset or arm), every advance() shows the newest
/// `span` of data as an automatic frame. Single: the first trigger after arm() is kept; when its
/// frame completes it is shown and the state is Stopped until arm().
///
/// At most MaxPending triggers wait for their frame to complete (a very high trigger rate with a
/// long post-trigger part); beyond that the oldest waiting one is dropped (a newer one would
/// replace its frame anyway).
class TriggerAcquisition
{
public:
    static constexpr std::size_t MaxPending = 4096;
    static constexpr double MinAutoTimeout = 0.1; ///< s

    explicit TriggerAcquisition(const FrameSettings &settings = {});

    /// New settings (span and pre-trigger clamped to sane values); waiting triggers are dropped
    /// and the acquisition is armed again; the frame shown stays until a new one.
    void setSettings(const FrameSettings &settings);
    const FrameSettings &settings() const { return m_settings; }
    double autoTimeout() const;
    double preFraction() const { return m_settings.preTriggerPercent / 100.0; }

    /// (Re)arms: waiting triggers are dropped, the auto timeout starts over; Single waits for a
    /// new frame. The frame shown stays.
    void arm();
    /// The data started over (store cleared, stream restarted, channel changed): waiting triggers
    /// and the frame are dropped; a stopped Single stays stopped.
    void reset();

    void addTrigger(const TriggerEvent &event);
    /// The channel's data has reached `newest` (time of the newest sample read).
    void advance(double newest);

    TriggerState state() const { return m_state; }
    const std::optional<TriggerFrame> &frame() const { return m_frame; }
    quint64 triggersAccepted() const { return m_accepted; } ///< since construction
    quint64 framesCompleted() const { return m_completed; } ///< triggered frames shown
    quint64 autoFrames() const { return m_autoFrames; }
    double dataTime() const { return m_newest; }
    std::size_t waiting() const { return m_pending.size(); } ///< triggers whose frame is not complete

private:
    void show(const TriggerFrame &f);
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

    FrameSettings m_settings;
    TriggerState m_state = TriggerState::Waiting;
    std::deque<TriggerEvent> m_pending; ///< triggers whose frame is not complete, oldest first
    std::optional<TriggerFrame> m_frame;
    double m_newest = kNaN; ///< newest data time seen
    double m_reference = kNaN; ///< last trigger (or first data after a reset/arm), for the timeout
    quint64 m_serial = 0, m_accepted = 0, m_completed = 0, m_autoFrames = 0;
};

} // namespace bs
