// SPDX-License-Identifier: GPL-3.0-or-later
#include "OverviewAccumulator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace bs {

namespace {

constexpr double Inf = std::numeric_limits<double>::infinity();

/// Empty node: +inf/-inf while accumulating (NaN-skipping compares), NaN/NaN once stored.
void clearNode(double *node, int channels)
{
    for (int c = 0; c < channels; ++c) {
        node[2 * c] = Inf;
        node[2 * c + 1] = -Inf;
    }
}

void merge(double *into, const double *from, int channels)
{
    for (int c = 0; c < channels; ++c) {
        // NaN (an empty stored node) never wins a comparison.
        if (from[2 * c] < into[2 * c])
            into[2 * c] = from[2 * c];
        if (from[2 * c + 1] > into[2 * c + 1])
            into[2 * c + 1] = from[2 * c + 1];
    }
}

/// The stored form: an empty node (min > max) becomes NaN/NaN.
void store(std::vector<double> &out, const double *node, int channels)
{
    for (int c = 0; c < channels; ++c) {
        const bool empty = !(node[2 * c] <= node[2 * c + 1]);
        out.push_back(empty ? NAN : node[2 * c]);
        out.push_back(empty ? NAN : node[2 * c + 1]);
    }
}

/// Min and max of n raw values in their own type (NaN skipped), as engineering values.
template <typename T> void rawRange(const std::byte *data, std::size_t n, const SampleFormat &f, double *node)
{
    if (n == 0)
        return;
    T lo, hi;
    if constexpr (std::is_floating_point_v<T>) {
        lo = std::numeric_limits<T>::infinity();
        hi = -lo;
    } else {
        lo = std::numeric_limits<T>::max();
        hi = std::numeric_limits<T>::lowest();
    }
    // Lanes of fixed width, so that the compiler turns the inner loops into SIMD min/max
    // (`v < lo ? v : lo` keeps lo when v is NaN, as minps/maxps do).
    constexpr std::size_t Lanes = 32 / sizeof(T) < 8 ? 8 : 32 / sizeof(T);
    T los[Lanes], his[Lanes];
    std::fill(los, los + Lanes, lo);
    std::fill(his, his + Lanes, hi);
    const T *v = reinterpret_cast<const T *>(data); // the writer's and reader's buffers hold T
    std::size_t i = 0;
    for (; i + Lanes <= n; i += Lanes)
        for (std::size_t j = 0; j < Lanes; ++j) {
            los[j] = v[i + j] < los[j] ? v[i + j] : los[j];
            his[j] = v[i + j] > his[j] ? v[i + j] : his[j];
        }
    for (; i < n; ++i) {
        lo = v[i] < lo ? v[i] : lo; // NaN compares false: skipped
        hi = v[i] > hi ? v[i] : hi;
    }
    for (std::size_t j = 0; j < Lanes; ++j) {
        lo = los[j] < lo ? los[j] : lo;
        hi = his[j] > hi ? his[j] : hi;
    }
    if (!(lo <= hi))
        return; // nothing but NaN
    double a = f.toValue(lo), b = f.toValue(hi);
    if (a > b)
        std::swap(a, b); // a negative scale
    if (a < node[0])
        node[0] = a;
    if (b > node[1])
        node[1] = b;
}

} // namespace

OverviewAccumulator::OverviewAccumulator(std::vector<SampleFormat> formats, int levels)
    : m_formats(std::move(formats))
    , m_levels(std::size_t(std::max(levels, 1)))
    , m_bucket(2 * m_formats.size())
{
    clearNode(m_bucket.data(), channels());
    for (Level &l : m_levels) {
        l.current.resize(2 * m_formats.size());
        clearNode(l.current.data(), channels());
    }
}

void OverviewAccumulator::add(const std::byte *const *data, std::size_t n)
{
    std::size_t done = 0;
    while (done < n) {
        const std::size_t take = std::size_t(std::min<quint64>(n - done, BucketRows - m_inBucket));
        for (int c = 0; c < channels(); ++c) {
            const SampleFormat &f = m_formats[std::size_t(c)];
            visitSampleType(f.type, [&](auto tag) {
                using T = decltype(tag);
                rawRange<T>(data[c] + done * sizeof(T), take, f, &m_bucket[2 * std::size_t(c)]);
            });
        }
        done += take;
        m_inBucket += take;
        m_rows += take;
        if (m_inBucket == BucketRows)
            completeBucket();
    }
}

void OverviewAccumulator::completeBucket()
{
    push(0, m_bucket.data());
    clearNode(m_bucket.data(), channels());
    m_inBucket = 0;
}

void OverviewAccumulator::push(int level, const double *node)
{
    Level &l = m_levels[std::size_t(level)];
    store(l.pending, node, channels());
    if (std::size_t(level) + 1 >= m_levels.size())
        return;
    Level &up = m_levels[std::size_t(level) + 1];
    merge(up.current.data(), node, channels());
    if (++up.children == Fanout) {
        std::vector<double> full = up.current;
        clearNode(up.current.data(), channels());
        up.children = 0;
        push(level + 1, full.data());
    }
}

void OverviewAccumulator::finish()
{
    // The partial node of level k holds its complete children and the partial node below.
    std::vector<double> partial = m_bucket;
    bool has = m_inBucket > 0;
    if (has)
        store(m_levels[0].pending, partial.data(), channels());
    for (std::size_t k = 1; k < m_levels.size(); ++k) {
        Level &l = m_levels[k];
        if (!has && l.children == 0)
            continue; // nothing after the last complete node of this level (a level above may have)
        std::vector<double> node = l.current;
        if (has)
            merge(node.data(), partial.data(), channels());
        store(l.pending, node.data(), channels());
        partial = std::move(node);
        has = true;
    }
    m_inBucket = 0;
}

std::vector<double> OverviewAccumulator::coarser(const std::vector<double> &level, int channels)
{
    const std::size_t width = 2 * std::size_t(channels);
    const std::size_t nodes = width ? level.size() / width : 0;
    std::vector<double> out;
    out.reserve((nodes + Fanout - 1) / Fanout * width);
    std::vector<double> node(width);
    for (std::size_t i = 0; i < nodes; i += Fanout) {
        clearNode(node.data(), channels);
        for (std::size_t j = i; j < std::min<std::size_t>(nodes, i + Fanout); ++j)
            merge(node.data(), level.data() + j * width, channels);
        store(out, node.data(), channels);
    }
    return out;
}

} // namespace bs
