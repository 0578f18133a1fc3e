// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordingWriter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {

/// Decides where a stream's time base (Segment) restarts: at its first block, after a sample-index
/// discontinuity, when dt changes, when a regular block's t0 differs from the continued time
/// base by more than rounding (1e-6 dt or a few ulps of t), or after a Run/Stop/outage event
/// (`breakNext()`). Times are recording times: session time minus the recording's origin. Within
/// a segment the recorded time of row r is segmentTime(seg, r).
class StreamTimeline
{
public:
    explicit StreamTimeline(double origin = 0)
        : m_origin(origin)
    {
    }
    /// Accounts `b`'s rows; returns true (and the new segment) when a segment starts at its first row.
    bool append(const SampleBlock &b, Segment *segment)
    {
        const bool regular = b.isRegular();
        const double t0 = (b.sampleCount ? b.time(0) : b.t0) - m_origin;
        bool continues = m_started && !m_break && b.firstIndex == m_nextIndex && regular == (m_segment.dt > 0);
        if (continues && regular) {
            const double predicted = segmentTime(m_segment, m_rows);
            const double tolerance
                = std::max(1e-6 * b.dt, 4 * std::numeric_limits<double>::epsilon() * std::abs(predicted));
            continues = b.dt == m_segment.dt && std::abs(t0 - predicted) <= tolerance;
        }
        if (!continues)
            m_segment = { m_rows, b.firstIndex, t0, regular ? b.dt : 0.0 };
        if (b.sampleCount)
            m_break = false;
        m_started = true;
        m_rows += b.sampleCount;
        m_nextIndex = b.endIndex();
        if (!continues && segment)
            *segment = m_segment;
        return !continues;
    }
    /// The next block starts a new segment whatever its index and time (after Run, Stop, an outage).
    void breakNext() { m_break = true; }
    quint64 rows() const { return m_rows; }
    const Segment &segment() const { return m_segment; }
    /// Recorded time of row `row` of a regular stream.
    double time(quint64 row) const { return segmentTime(m_segment, row); }

private:
    double m_origin = 0;
    bool m_started = false;
    bool m_break = false;
    Segment m_segment;
    quint64 m_rows = 0;
    quint64 m_nextIndex = 0;
};

} // namespace bs
