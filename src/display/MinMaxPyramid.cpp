// SPDX-License-Identifier: GPL-3.0-or-later
#include "MinMaxPyramid.h"

#include <algorithm>

namespace bs {

MinMaxPyramid::MinMaxPyramid(std::size_t capacity)
    : m_capacity(capacity)
{
    std::size_t span = Fanout;
    std::size_t levels = 0;
    while (span <= capacity) {
        ++levels;
        if (span > capacity / Fanout)
            break;
        span *= Fanout;
    }
    m_levels.resize(levels);
}

void MinMaxPyramid::append(const double *values, std::size_t n)
{
    const std::size_t needed = m_values.size() + n;
    if (needed > m_values.capacity())
        m_values.reserve(
            std::min(m_capacity, std::max({ needed, 2 * m_values.capacity(), std::size_t(64) })));
    m_values.insert(m_values.end(), values, values + n);

    // Complete every node that the new samples have filled, bottom-up.
    std::size_t below = m_values.size();
    for (std::size_t k = 0; k < m_levels.size(); ++k) {
        auto &level = m_levels[k];
        const std::size_t complete = below / Fanout;
        while (level.size() < complete) {
            const std::size_t first = level.size() * Fanout;
            MinMax m;
            if (k == 0) {
                for (std::size_t i = first; i < first + Fanout; ++i)
                    m.add(m_values[i]);
            } else {
                const auto &lower = m_levels[k - 1];
                for (std::size_t i = first; i < first + Fanout; ++i)
                    m.add(lower[i]);
            }
            level.push_back(m);
        }
        below = level.size();
    }
}

void MinMaxPyramid::scan(int level, std::size_t from, std::size_t to, MinMax &out) const
{
    if (level < 0) {
        for (std::size_t i = from; i < to; ++i)
            out.add(m_values[i]);
    } else {
        const auto &nodes = m_levels[std::size_t(level)];
        for (std::size_t i = from; i < to; ++i)
            out.add(nodes[i]);
    }
}

MinMax MinMaxPyramid::range(std::size_t from, std::size_t to) const
{
    MinMax out;
    to = std::min(to, m_values.size());
    if (from >= to)
        return out;
    // Walk up: at each level scan the ragged ends, hand the aligned middle to the next level.
    std::size_t unit = 1; // samples per node at the current level (level -1 = raw values)
    int level = -1;
    for (;;) {
        const std::size_t next = unit * Fanout;
        const std::size_t alignedFrom = (from + next - 1) / next * next;
        const std::size_t alignedTo = to / next * next;
        if (std::size_t(level + 1) >= m_levels.size() || alignedFrom >= alignedTo) {
            scan(level, from / unit, to / unit, out);
            return out;
        }
        scan(level, from / unit, alignedFrom / unit, out);
        scan(level, alignedTo / unit, to / unit, out);
        from = alignedFrom;
        to = alignedTo;
        unit = next;
        ++level;
    }
}

std::size_t MinMaxPyramid::bytes() const
{
    std::size_t b = m_values.capacity() * sizeof(double);
    for (const auto &level : m_levels)
        b += level.capacity() * sizeof(MinMax);
    return b;
}

} // namespace bs
