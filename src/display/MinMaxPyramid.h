// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

namespace bs {

/// Minimum and maximum of a set of values of type T; NaN values are skipped. Empty (or all-NaN)
/// sets are invalid (`min > max`). Integers have no NaN; their empty set starts at (max, lowest).
template <typename T> struct BasicMinMax
{
    static constexpr T emptyMin()
    {
        if constexpr (std::numeric_limits<T>::has_infinity)
            return std::numeric_limits<T>::infinity();
        else
            return std::numeric_limits<T>::max();
    }
    static constexpr T emptyMax()
    {
        if constexpr (std::numeric_limits<T>::has_infinity)
            return -std::numeric_limits<T>::infinity();
        else
            return std::numeric_limits<T>::lowest();
    }

    T min = emptyMin();
    T max = emptyMax();

    bool isValid() const { return min <= max; }
    void add(T v)
    {
        // Comparisons with NaN are false, so NaN never enters.
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    void add(const BasicMinMax &o)
    {
        if (o.min < min)
            min = o.min;
        if (o.max > max)
            max = o.max;
    }
};

/// Engineering values (doubles), what the plots receive.
using MinMax = BasicMinMax<double>;

/// The values of one channel within one chunk, in their native type T, plus their min/max
/// pyramid in T (PulseView style): an int16 channel costs 2 bytes per sample plus 4 bytes per
/// 16 samples at level 0 (≈ 2.27 bytes per sample in all).
///
/// Level k holds one BasicMinMax<T> per complete run of Fanout^(k+1) samples; levels are updated
/// as samples are appended (amortised O(1) per sample). `range()` answers min/max over any index
/// range in O(Fanout · levels). Capacity is fixed at construction; storage grows geometrically
/// up to it. Not thread-safe: the owning stream's lock guards it.
template <typename T> class BasicMinMaxPyramid
{
public:
    static constexpr std::size_t FanoutBits = 4;
    static constexpr std::size_t Fanout = std::size_t(1) << FanoutBits;
    using Range = BasicMinMax<T>;

    explicit BasicMinMaxPyramid(std::size_t capacity)
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

    /// Appends `n` values; `size() + n` must not exceed `capacity()`.
    void append(const T *values, std::size_t n);
    std::size_t size() const { return m_values.size(); }
    std::size_t capacity() const { return m_capacity; }
    T value(std::size_t i) const { return m_values[i]; }
    const T *data() const { return m_values.data(); }
    /// Min/max of the values with index in [from, to).
    Range range(std::size_t from, std::size_t to) const;
    /// Heap bytes allocated (values and all pyramid levels, by capacity).
    std::size_t bytes() const
    {
        std::size_t b = m_values.capacity() * sizeof(T);
        for (const auto &level : m_levels)
            b += level.capacity() * sizeof(Range);
        return b;
    }

private:
    void scan(int level, std::size_t from, std::size_t to, Range &out) const
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

    std::size_t m_capacity;
    std::vector<T> m_values;
    std::vector<std::vector<Range>> m_levels;
};

/// The pyramid of plain doubles.
using MinMaxPyramid = BasicMinMaxPyramid<double>;

template <typename T> void BasicMinMaxPyramid<T>::append(const T *values, std::size_t n)
{
    const std::size_t needed = m_values.size() + n;
    if (needed > m_values.capacity())
        m_values.reserve(
            std::min(m_capacity, std::max({ needed, 2 * m_values.capacity(), std::size_t(64) })));
    m_values.insert(m_values.end(), values, values + n);

    // Complete every node that the new samples have filled, bottom-up.
    std::size_t below = m_values.size();
    std::size_t levelCapacity = m_capacity;
    for (std::size_t k = 0; k < m_levels.size(); ++k) {
        auto &level = m_levels[k];
        const std::size_t complete = below / Fanout;
        levelCapacity /= Fanout; // grow geometrically, never past what a full chunk needs
        if (level.capacity() < complete)
            level.reserve(std::min(std::max(complete, 2 * level.capacity()), levelCapacity));
        while (level.size() < complete) {
            const std::size_t first = level.size() * Fanout;
            Range m;
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

template <typename T>
typename BasicMinMaxPyramid<T>::Range BasicMinMaxPyramid<T>::range(std::size_t from, std::size_t to) const
{
    Range out;
    to = std::min(to, m_values.size());
    if (from >= to)
        return out;
    // Walk up: at each level scan the ragged ends, hand the aligned middle to the next level.
    // [from, to) counts the current level's entries (raw values first, then level-k nodes); a
    // level up is a shift by FanoutBits (no division).
    int level = -1;
    for (;;) {
        const std::size_t up = (from + Fanout - 1) >> FanoutBits;
        const std::size_t upTo = to >> FanoutBits;
        if (std::size_t(level + 1) >= m_levels.size() || up >= upTo) {
            scan(level, from, to, out);
            return out;
        }
        scan(level, from, up << FanoutBits, out);
        scan(level, upTo << FanoutBits, to, out);
        from = up;
        to = upTo;
        ++level;
    }
}

} // namespace bs
