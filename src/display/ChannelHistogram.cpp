// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChannelHistogram.h"

#include <algorithm>
#include <cmath>

namespace bs {

ChannelHistogram::ChannelHistogram(int bins)
    : m_bins(std::clamp(bins, kMinBins, kMaxBins))
{
}

void ChannelHistogram::addRange(const double *values, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        if (!std::isfinite(v))
            continue;
        if (!(v >= m_seenMin)) // also the first: NaN compares false
            m_seenMin = v;
        if (!(v <= m_seenMax))
            m_seenMax = v;
    }
}

bool ChannelHistogram::beginBins()
{
    if (!std::isfinite(m_seenMin) || !std::isfinite(m_seenMax)) {
        m_ready = false;
        m_counts.clear();
        return false;
    }
    if (m_seenMin < m_seenMax && std::isfinite(m_seenMax - m_seenMin))
        return setRange(m_seenMin, m_seenMax);
    const double half = m_seenMin == 0.0 ? 1.0 : std::abs(m_seenMin) * 0.01;
    return setRange(m_seenMin - half, m_seenMin + half);
}

bool ChannelHistogram::setRange(double lo, double hi)
{
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi) || !std::isfinite(hi - lo)) {
        m_ready = false;
        m_counts.clear();
        return false;
    }
    m_ready = true;
    m_lo = lo;
    m_hi = hi;
    m_scale = double(m_bins) / (hi - lo);
    m_shift = lo + (hi - lo) / 2;
    m_counts = QVector<quint64>(m_bins, 0);
    m_count = m_outside = 0;
    m_sum = m_sumSq = 0.0;
    m_min = m_max = kNaN;
    return true;
}

void ChannelHistogram::addBins(const double *values, std::size_t n)
{
    if (!m_ready) {
        for (std::size_t i = 0; i < n; ++i)
            m_nonFinite += std::isfinite(values[i]) ? 0 : 1;
        return;
    }
    quint64 *counts = m_counts.data();
    const int last = m_bins - 1;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        if (!std::isfinite(v)) {
            ++m_nonFinite;
            continue;
        }
        if (v < m_lo || v > m_hi) {
            ++m_outside;
            continue;
        }
        // floor((v − lo) · bins / (hi − lo)); v == hi (and a rounding up to `bins`) in the last bin
        const int bin = std::min(int((v - m_lo) * m_scale), last);
        ++counts[bin];
        ++m_count;
        const double d = v - m_shift;
        m_sum += d;
        m_sumSq += d * d;
        if (!(v >= m_min))
            m_min = v;
        if (!(v <= m_max))
            m_max = v;
    }
}

HistogramResult ChannelHistogram::result() const
{
    HistogramResult r;
    r.nonFinite = m_nonFinite;
    r.outside = m_outside;
    if (!m_ready)
        return r;
    r.counts = m_counts;
    r.lo = m_lo;
    r.hi = m_hi;
    r.count = m_count;
    if (m_count == 0)
        return r;
    const double n = double(m_count);
    const double meanShifted = m_sum / n;
    r.mean = m_shift + meanShifted;
    r.min = m_min;
    r.max = m_max;
    if (m_count > 1)
        r.stdDev = std::sqrt(std::max(0.0, (m_sumSq - n * meanShifted * meanShifted) / (n - 1)));
    // The median from the bins: where the cumulative count reaches n / 2, linear inside the bin.
    const double half = n / 2;
    const double width = (m_hi - m_lo) / double(m_bins);
    double before = 0.0;
    for (int b = 0; b < m_bins; ++b) {
        const double c = double(m_counts[b]);
        if (c > 0 && before + c >= half) {
            r.median = std::clamp(m_lo + width * (double(b) + (half - before) / c), m_min, m_max);
            break;
        }
        before += c;
    }
    return r;
}

} // namespace bs
