// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringView>
#include <QtGlobal>

#include <cstddef>
#include <limits>
#include <optional>

namespace bs {

/// The automatic measurements of one channel over a range (issue 14), in the channel's unit and
/// seconds; duty cycles in %. A measurement that does not apply is empty, never a made-up number.
struct MeasurementResult
{
    quint64 samples = 0; ///< values measured (NaN skipped)
    std::optional<double> min, max, peakToPeak, mean, rms, acRms, stdDev;
    std::optional<double> frequency, period, riseTime, fallTime;
    std::optional<double> dutyPositive, dutyNegative, widthPositive, widthNegative;
    std::optional<quint64> edges; ///< rising + falling; empty without samples or without a range
};

/// One measurement of `r` by its id, the key of benchscope-inspect's JSON ("min", "max",
/// "peak_to_peak", "mean", "rms", "ac_rms", "std", "frequency", "period", "rise_time", "fall_time",
/// "duty_positive", "duty_negative", "width_positive", "width_negative", "edges"); empty when it
/// does not apply or the id is unknown.
std::optional<double> measurementValue(const MeasurementResult &r, QStringView id);

/// Measures one channel in two passes over its samples, each given in pieces of any size in time
/// order (a view's window read from the TraceStore, a recording read chunk by chunk), so that a
/// range far larger than memory can be measured and the result does not depend on where the
/// pieces break (a block boundary is no edge and hides none):
///
/// 1. `addStatistics()` for every piece: minimum, maximum, mean, RMS, AC RMS (RMS around the
///    mean), standard deviation (n − 1), all with compensated sums.
/// 2. `beginEdges()`, then `addEdges()` for every piece again (`gap()` where samples are missing):
///    edges between the reference levels 10 %, 50 % and 90 % of base (minimum) … top (maximum).
///    A rising edge is a passage from at or below 10 % to at or above 90 %: its time is the last
///    upward crossing of 50 % before it reaches 90 %, its rise time from the last crossing of 10 %
///    to the first of 90 % (linear interpolation between samples). Falling edges alike. Noise
///    smaller than 40 % of the amplitude makes no edge.
///
/// Period: the mean time from one rising edge to the next (falling edges when there are fewer
/// than two rising ones in a row), never across a gap: a gap may hide an edge, and counting
/// across it would give too long a period. Without gaps: first to last edge over their count − 1. Positive width: each rising edge to the next falling one
/// (averaged); negative: falling to rising. Duty cycle: width / period.
class ChannelMeasurer
{
public:
    void addStatistics(const double *values, std::size_t n);
    /// Ends pass 1 and sets the reference levels. Without a range (no samples, or max == min)
    /// there are no edges.
    void beginEdges();
    void addEdges(const double *times, const double *values, std::size_t n);
    /// Samples are missing here (a gap or overrun): nothing is interpolated across it, and an edge
    /// whose passage is not seen whole is not counted.
    void gap();
    MeasurementResult result() const;

private:
    enum class State { Unknown, Low, High };
    /// Compensated (Neumaier) sum.
    struct Sum
    {
        double sum = 0, c = 0;
        void add(double x);
        double value() const { return sum + c; }
    };
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    /// Totals of the edges in one direction.
    struct Direction
    {
        quint64 edges = 0; ///< with a 50 % crossing seen
        double previous = kNaN; ///< time of the last one, NaN after a gap
        Sum cycle; ///< from one edge to the next of this direction, with no gap between …
        quint64 cycles = 0; ///< … and how many (a gap may hide an edge: never counted across one)
        Sum transition; ///< 10→90 % (rising) or 90→10 % (falling) times …
        quint64 transitions = 0; ///< … and how many
        Sum widthBefore; ///< from the previous edge (of the other direction) to this one …
        quint64 widthsBefore = 0; ///< … and how many
    };
    void sample(double t, double v);
    /// One sample of a passage up (from Low) or down (from High); at its end the edge is counted.
    void passage(double pt, double pv, double t, double v, bool rising);
    static double cross(double t0, double v0, double t1, double v1, double level);

    // pass 1
    quint64 m_n = 0;
    double m_min = kNaN, m_max = kNaN;
    Sum m_sum, m_sumSq;
    // pass 2: the deviations from the pass-1 mean, for AC RMS and standard deviation
    Sum m_dev, m_devSq;
    double m_mean = kNaN;
    bool m_edges = false;
    double m_low = kNaN, m_mid = kNaN, m_high = kNaN;
    State m_state = State::Unknown;
    double m_prevT = kNaN, m_prevV = kNaN;
    double m_lastStart = kNaN, m_lastMid = kNaN; ///< crossings of 10 % (90 %) and 50 % of the passage in progress
    double m_lastEdge = kNaN; ///< time of the last edge, for the widths (NaN after a gap)
    Direction m_up, m_down;
};

} // namespace bs
