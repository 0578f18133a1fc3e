// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

namespace bs {

/// Minimum and maximum of a set of values; NaN values are skipped. Empty (or all-NaN) sets are
/// invalid (`min > max`).
struct MinMax
{
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();

    bool isValid() const { return min <= max; }
    void add(double v)
    {
        // Comparisons with NaN are false, so NaN never enters.
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    void add(const MinMax &o)
    {
        if (o.min < min)
            min = o.min;
        if (o.max > max)
            max = o.max;
    }
};

/// The values of one channel within one chunk plus their min/max pyramid (PulseView style).
///
/// Level k holds one MinMax per complete run of Fanout^(k+1) samples; levels are updated as
/// samples are appended (amortised O(1) per sample). `range()` answers min/max over any index
/// range in O(Fanout · levels). Capacity is fixed at construction; storage grows geometrically
/// up to it. Not thread-safe: the owning stream's lock guards it.
class MinMaxPyramid
{
public:
    static constexpr std::size_t Fanout = 16;

    explicit MinMaxPyramid(std::size_t capacity);

    /// Appends `n` values; `size() + n` must not exceed `capacity()`.
    void append(const double *values, std::size_t n);
    std::size_t size() const { return m_values.size(); }
    std::size_t capacity() const { return m_capacity; }
    double value(std::size_t i) const { return m_values[i]; }
    const double *data() const { return m_values.data(); }
    /// Min/max of the values with index in [from, to).
    MinMax range(std::size_t from, std::size_t to) const;
    /// Heap bytes allocated (values and all pyramid levels, by capacity).
    std::size_t bytes() const;

private:
    void scan(int level, std::size_t from, std::size_t to, MinMax &out) const;

    std::size_t m_capacity;
    std::vector<double> m_values;
    std::vector<std::vector<MinMax>> m_levels;
};

} // namespace bs
