// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bs {

/// The sample times of one chunk of a stream, shared by all its channels.
///
/// Stored as segments, one per appended block piece: a regular piece costs one segment (time of
/// row i is `t0 + double(offset + i - start) * dt`, bit-identical to SampleBlock::time()), an
/// irregular piece stores its explicit times (consecutive irregular pieces share one segment).
/// Times must be non-decreasing. Not thread-safe: the owning stream's lock guards it.
class TimeColumn
{
public:
    explicit TimeColumn(std::size_t capacity);

    /// Rows `[offset, offset + n)` of a regular block starting at `t0` with step `dt`.
    void appendRegular(double t0, double dt, std::size_t offset, std::size_t n);
    /// `n` explicit times.
    void appendExplicit(const double *times, std::size_t n);

    std::size_t size() const { return m_size; }
    double at(std::size_t row) const;
    /// Writes the times of rows [from, to) to `out` (sequential walk, O(1) per row).
    void copy(std::size_t from, std::size_t to, double *out) const;
    double last() const { return m_size ? at(m_size - 1) : 0.0; }
    /// First row whose time is >= t (`size()` if none), O(log segments + log rows).
    std::size_t lowerBound(double t) const;
    /// Reads the column front to back cheaply (below).
    class Reader;
    /// Heap bytes allocated (explicit times and segment table, by capacity).
    std::size_t bytes() const;

private:
    struct Segment
    {
        std::size_t start; ///< first row of this segment in the chunk
        std::size_t offset; ///< regular: row offset within its block; explicit: index in m_times
        double t0;
        double dt;
        bool explicitTimes;
    };
    double timeIn(const Segment &s, std::size_t row) const
    {
        return s.explicitTimes ? m_times[s.offset + (row - s.start)]
                               : s.t0 + double(s.offset + (row - s.start)) * s.dt;
    }

    std::size_t segmentEnd(std::size_t i) const
    {
        return i + 1 < m_segments.size() ? m_segments[i + 1].start : m_size;
    }

    std::size_t m_capacity;
    std::size_t m_size = 0;
    std::vector<Segment> m_segments;
    std::vector<double> m_times;
};

/// Reads one TimeColumn in (mostly) ascending rows, remembering the segment it is in: a time or
/// a search near the last place read costs O(1) instead of a search of the segment table. The
/// column must not change while a Reader is in use.
class TimeColumn::Reader
{
public:
    explicit Reader(const TimeColumn &column)
        : m_c(column)
    {
    }

    /// Time of `row` (< size()).
    double at(std::size_t row)
    {
        moveTo(row);
        return m_c.timeIn(m_c.m_segments[m_segment], row);
    }
    /// First row at or after `from` whose time is >= t (`size()` if none): the same row as
    /// lowerBound(t) when the rows before `from` are earlier than t. In a regular segment the row
    /// is computed from t0 and dt (then checked against the times themselves, so it is exact);
    /// in explicit times it is searched outwards from `guess` (gallopSearch()). For walking
    /// forward through ascending times, e.g. the envelope's column edges.
    std::size_t lowerBound(double t, std::size_t from, std::size_t guess);

private:
    /// Makes m_segment the segment holding `row`.
    void moveTo(std::size_t row)
    {
        const Segment &s = m_c.m_segments[m_segment];
        if (row >= s.start && row < m_c.segmentEnd(m_segment))
            return;
        seekSegment(row);
    }
    void seekSegment(std::size_t row);

    const TimeColumn &m_c;
    std::size_t m_segment = 0;
    std::size_t m_stepOf = SIZE_MAX; ///< the segment m_step belongs to
    double m_step = 0; ///< 1 / dt of that segment (a multiplication finds the row, not a division)
};

} // namespace bs
