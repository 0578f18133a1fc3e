// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MinMaxPyramid.h"

#include <SampleBlock.h>
#include <SampleFormat.h>

#include <cstdint>
#include <utility>
#include <variant>

namespace bs {

/// One channel's values within one chunk, kept in the channel's native type (int8 … float64)
/// with their min/max pyramid on the native values. What it hands out is converted to the
/// engineering value (raw × scale + offset of its fixed `format()`); `raw<T>()` and
/// `rawRange<T>()` give the stored numbers (exact, e.g. int64 above 2^53). Not thread-safe.
class ChannelColumn
{
public:
    ChannelColumn(const SampleFormat &format, std::size_t capacity);

    const SampleFormat &format() const { return m_format; }
    std::size_t size() const;
    /// Appends rows [from, from + n) of channel `ch` of `block`, whose type must be format().type.
    void append(const SampleBlock &block, int ch, std::size_t from, std::size_t n);
    /// Appends `n` NaN values (floating-point formats only: integers have no NaN).
    void appendNaN(std::size_t n);

    /// Engineering value of row i.
    double value(std::size_t i) const;
    /// Engineering values of rows [from, to) into `out`.
    void toValues(std::size_t from, std::size_t to, double *out) const;
    /// Min/max engineering value over rows [from, to) (NaN skipped; a negative scale swaps the
    /// raw minimum and maximum).
    MinMax range(std::size_t from, std::size_t to) const;

    /// Calls `fn` with the values' BasicMinMaxPyramid<T> (T: the native type), for loops that
    /// would otherwise dispatch on the type per call; convert with toValue()/toMinMax().
    template <typename Fn> decltype(auto) visit(Fn &&fn) const
    {
        return std::visit(std::forward<Fn>(fn), m_values);
    }
    /// Engineering value of a raw number of this column.
    template <typename T> double toValue(T raw) const
    {
        return m_format.isIdentity() ? double(raw) : m_format.toValue(raw);
    }
    /// Engineering min/max of a raw min/max of this column (what range() returns).
    template <typename T> MinMax toMinMax(const BasicMinMax<T> &r) const
    {
        MinMax out;
        if (r.isValid()) {
            // Adding both ends orders them whatever the scale's sign (and skips a NaN scale).
            out.add(toValue(r.min));
            out.add(toValue(r.max));
        }
        return out;
    }

    template <typename T> T raw(std::size_t i) const { return std::get<BasicMinMaxPyramid<T>>(m_values).value(i); }
    template <typename T> BasicMinMax<T> rawRange(std::size_t from, std::size_t to) const
    {
        return std::get<BasicMinMaxPyramid<T>>(m_values).range(from, to);
    }
    /// Heap bytes allocated (values and pyramid levels, by capacity).
    std::size_t bytes() const;

private:
    SampleFormat m_format;
    std::variant<BasicMinMaxPyramid<std::int8_t>, BasicMinMaxPyramid<std::int16_t>,
        BasicMinMaxPyramid<std::int32_t>, BasicMinMaxPyramid<std::int64_t>, BasicMinMaxPyramid<float>,
        BasicMinMaxPyramid<double>>
        m_values;
};

} // namespace bs
