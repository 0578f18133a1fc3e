// SPDX-License-Identifier: GPL-3.0-or-later
#include "TimeColumn.h"

#include "GallopSearch.h"

#include <algorithm>

namespace bs {

TimeColumn::TimeColumn(std::size_t capacity)
    : m_capacity(capacity)
{
}

void TimeColumn::appendRegular(double t0, double dt, std::size_t offset, std::size_t n)
{
    if (n == 0)
        return;
    m_segments.push_back(Segment { m_size, offset, t0, dt, false });
    m_size += n;
}

void TimeColumn::appendExplicit(const double *times, std::size_t n)
{
    if (n == 0)
        return;
    const bool extend = !m_segments.empty() && m_segments.back().explicitTimes;
    if (!extend)
        m_segments.push_back(Segment { m_size, m_times.size(), 0.0, 0.0, true });
    const std::size_t needed = m_times.size() + n;
    if (needed > m_times.capacity())
        m_times.reserve(std::min(m_capacity, std::max({ needed, 2 * m_times.capacity(), std::size_t(64) })));
    m_times.insert(m_times.end(), times, times + n);
    m_size += n;
}

double TimeColumn::at(std::size_t row) const
{
    // Last segment starting at or before `row`.
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), row,
        [](std::size_t r, const Segment &s) { return r < s.start; });
    return timeIn(*(it - 1), row);
}

void TimeColumn::copy(std::size_t from, std::size_t to, double *out) const
{
    if (from >= to)
        return;
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), from,
                  [](std::size_t r, const Segment &s) { return r < s.start; })
        - 1;
    for (std::size_t row = from; row < to; ++it) {
        const std::size_t segEnd = std::min(to, it + 1 == m_segments.end() ? m_size : (it + 1)->start);
        const Segment &s = *it;
        if (s.explicitTimes) {
            const double *src = m_times.data() + s.offset + (row - s.start);
            out = std::copy(src, src + (segEnd - row), out);
        } else {
            // The same t0 + k · dt as timeIn(), with k counted in double (exact below 2^53), four
            // independent counters so that the additions do not wait for each other.
            double k0 = double(s.offset + (row - s.start)), k1 = k0 + 1, k2 = k0 + 2, k3 = k0 + 3;
            std::size_t r = row;
            for (; r + 4 <= segEnd; r += 4, out += 4) {
                out[0] = s.t0 + k0 * s.dt;
                out[1] = s.t0 + k1 * s.dt;
                out[2] = s.t0 + k2 * s.dt;
                out[3] = s.t0 + k3 * s.dt;
                k0 += 4;
                k1 += 4;
                k2 += 4;
                k3 += 4;
            }
            for (; r < segEnd; ++r, k0 += 1)
                *out++ = s.t0 + k0 * s.dt;
        }
        row = segEnd;
    }
}

std::size_t TimeColumn::lowerBound(double t) const
{
    // Segments whose first time is < t form a prefix; the answer lies in the last of them.
    auto it = std::partition_point(
        m_segments.begin(), m_segments.end(), [&](const Segment &s) { return timeIn(s, s.start) < t; });
    if (it == m_segments.begin())
        return 0;
    const Segment &seg = *(it - 1);
    std::size_t lo = seg.start;
    std::size_t hi = it == m_segments.end() ? m_size : it->start;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (timeIn(seg, mid) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void TimeColumn::Reader::seekSegment(std::size_t row)
{
    // The last segment starting at or before `row`, searched outwards from the current one.
    const auto &segs = m_c.m_segments;
    m_segment
        = gallopSearch(0, segs.size(), m_segment, [&](std::size_t i) { return segs[i].start > row; }) - 1;
}

std::size_t TimeColumn::Reader::lowerBound(double t, std::size_t from, std::size_t guess)
{
    if (from >= m_c.m_size)
        return m_c.m_size;
    moveTo(from);
    // The first segment after `from`'s that starts at or after t; the answer is in the one
    // before it (or is `from` itself).
    const auto &segs = m_c.m_segments;
    const std::size_t after = gallopSearch(m_segment, segs.size(), m_segment + 1,
        [&](std::size_t i) { return !(m_c.timeIn(segs[i], segs[i].start) < t); });
    if (after == m_segment)
        return from;
    m_segment = after - 1;
    const Segment &seg = segs[m_segment];
    const std::size_t lo = std::max(from, seg.start);
    const std::size_t hi = m_c.segmentEnd(m_segment);
    if (!seg.explicitTimes) {
        // The row where t0 + k·dt reaches t, clamped to the segment (also for dt = 0 and an
        // infinite t); rounding may put it a row off, which the search below corrects.
        if (m_stepOf != m_segment) {
            m_step = 1.0 / seg.dt;
            m_stepOf = m_segment;
        }
        const double k = (t - seg.t0) * m_step - double(seg.offset) + double(seg.start);
        guess = k >= double(lo) ? (k < double(hi) ? std::size_t(k) : hi) : lo;
    }
    return gallopSearch(lo, hi, guess, [&](std::size_t row) { return !(m_c.timeIn(seg, row) < t); });
}

std::size_t TimeColumn::bytes() const
{
    return m_times.capacity() * sizeof(double) + m_segments.capacity() * sizeof(Segment);
}

} // namespace bs
