// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChannelColumn.h"

#include <limits>
#include <type_traits>

namespace bs {

namespace {

template <typename T> struct PyramidValue;
template <typename T> struct PyramidValue<BasicMinMaxPyramid<T>>
{
    using type = T;
};
template <typename P> using ValueOf = typename PyramidValue<std::decay_t<P>>::type;

} // namespace

ChannelColumn::ChannelColumn(const SampleFormat &format, std::size_t capacity)
    : m_format(format)
    , m_values(visitSampleType(format.type, [capacity](auto tag) {
        using T = decltype(tag);
        return decltype(m_values)(std::in_place_type<BasicMinMaxPyramid<T>>, capacity);
    }))
{
}

std::size_t ChannelColumn::size() const
{
    return std::visit([](const auto &p) { return p.size(); }, m_values);
}

void ChannelColumn::append(const SampleBlock &block, int ch, std::size_t from, std::size_t n)
{
    std::visit(
        [&](auto &p) {
            using T = ValueOf<decltype(p)>;
            p.append(block.data<T>(ch) + from, n);
        },
        m_values);
}

void ChannelColumn::appendNaN(std::size_t n)
{
    std::visit(
        [n](auto &p) {
            using T = ValueOf<decltype(p)>;
            if constexpr (std::numeric_limits<T>::has_quiet_NaN) {
                const std::vector<T> nans(n, std::numeric_limits<T>::quiet_NaN());
                p.append(nans.data(), n);
            } else {
                Q_ASSERT_X(false, "ChannelColumn::appendNaN", "integer columns have no NaN");
            }
        },
        m_values);
}

double ChannelColumn::value(std::size_t i) const
{
    return std::visit([&](const auto &p) { return toValue(p.value(i)); }, m_values);
}

void ChannelColumn::toValues(std::size_t from, std::size_t to, double *out) const
{
    std::visit(
        [&](const auto &p) {
            const auto *raw = p.data();
            if (m_format.isIdentity()) {
                for (std::size_t i = from; i < to; ++i)
                    *out++ = double(raw[i]);
            } else {
                for (std::size_t i = from; i < to; ++i)
                    *out++ = m_format.toValue(raw[i]);
            }
        },
        m_values);
}

MinMax ChannelColumn::range(std::size_t from, std::size_t to) const
{
    return std::visit([&](const auto &p) { return toMinMax(p.range(from, to)); }, m_values);
}

std::size_t ChannelColumn::bytes() const
{
    return std::visit([](const auto &p) { return p.bytes(); }, m_values);
}

} // namespace bs
