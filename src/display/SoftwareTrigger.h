// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <cstddef>
#include <limits>
#include <vector>

namespace bs {

enum class TriggerEdge { Rising, Falling, Either };

struct TriggerSettings
{
    TriggerEdge edge = TriggerEdge::Rising;
    double level = 0.0; ///< in the channel's unit
    /// In the channel's unit, >= 0 (negative or NaN counts as 0): how far the signal must go back
    /// below the level (above, for falling) before the next edge is armed.
    double hysteresis = 0.0;
    double holdoff = 0.0; ///< s: no new trigger until this long after the last one
};

/// One trigger: the instant the signal crossed the level (linear interpolation between the two
/// samples around it) and in which direction (Rising or Falling, also in Either mode).
struct TriggerEvent
{
    double time = 0.0;
    TriggerEdge edge = TriggerEdge::Rising;
};

/// The software trigger: finds level crossings in the samples of one channel, given in pieces of
/// any size in time order, with gap() where samples are missing.
///
/// Rising edge: the trigger arms at a sample at or below level − hysteresis (strictly below the
/// level when the hysteresis is 0 or smaller than the level's rounding step, so a signal sitting
/// on the level makes no edges); armed, it fires at the first sample at or above the level, at the
/// time where the line between that sample and the one before it meets the level, and disarms.
/// Falling alike, mirrored; Either runs both (each arms on its own). A crossing within `holdoff`
/// of the last trigger is not reported and disarms all the same (the signal must arm again).
///
/// All state (arming, the last sample, the last trigger time) carries across pieces, so an edge
/// whose two samples sit in different pieces is found exactly once and the events do not depend
/// on how the samples are split. gap() disarms and forgets the last sample: no edge is
/// interpolated across missing samples (the holdoff still counts). A NaN sample is treated like a
/// gap of one sample (it disarms; the next sample starts over). A level that is not finite never
/// fires.
///
/// The hot loop skips the samples that cannot change the state (inside the open interval the
/// current state leaves quiet) eight at a time without a branch per sample.
class SoftwareTrigger
{
public:
    explicit SoftwareTrigger(const TriggerSettings &settings = {});

    /// New settings; starts over (disarmed, no last sample, no holdoff reference).
    void setSettings(const TriggerSettings &settings);
    const TriggerSettings &settings() const { return m_settings; }

    /// Feeds `n` samples (times non-decreasing, following those fed before). Appends the triggers
    /// found to `out` in time order; returns how many.
    std::size_t feed(const double *times, const double *values, std::size_t n, std::vector<TriggerEvent> &out);
    /// Samples are missing before the next one fed.
    void gap();
    /// Forgets everything (gap() plus the holdoff reference and the counters).
    void reset();

    quint64 triggers() const { return m_triggers; } ///< reported since the last reset
    quint64 heldOff() const { return m_heldOff; } ///< crossings dropped by the holdoff

    /// The first index in [from, n) whose value is not strictly inside (lo, hi) (NaN is not
    /// inside); n if none. Public for the benchmark and the tests.
    static std::size_t firstOutside(const double *values, std::size_t from, std::size_t n, double lo, double hi);

private:
    void step(double pt, double pv, double t, double v, std::vector<TriggerEvent> &out);
    void fire(double t, TriggerEdge edge, std::vector<TriggerEvent> &out);
    void updateQuiet();

    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    static constexpr double kInf = std::numeric_limits<double>::infinity();

    TriggerSettings m_settings;
    bool m_enabled = false; ///< level finite
    bool m_rising = true, m_falling = false;
    double m_armLow = 0.0, m_armHigh = 0.0; ///< rising arms at v <= m_armLow, falling at v >= m_armHigh
    bool m_armedRising = false, m_armedFalling = false;
    double m_quietLow = -kInf, m_quietHigh = kInf; ///< samples strictly inside change nothing
    double m_prevT = kNaN, m_prevV = kNaN;
    double m_lastTrigger = -kInf;
    quint64 m_triggers = 0, m_heldOff = 0;
};

} // namespace bs
