// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QVector>
#include <QtGlobal>

#include <cstddef>
#include <limits>
#include <optional>

namespace bs {

/// The histogram of one channel's values over a range, with the statistics shown under it.
struct HistogramResult
{
    /// Bin i holds the values v with lo + i·w ≤ v < lo + (i + 1)·w (w = (hi − lo) / bins); the
    /// last bin also holds v == hi. Empty without a finite sample.
    QVector<quint64> counts;
    double lo = 0.0, hi = 0.0;
    quint64 count = 0; ///< finite values binned
    quint64 nonFinite = 0; ///< NaN and ±inf: counted apart, never binned
    /// Finite values outside [lo, hi] in the binning pass (the data changed between the two passes:
    /// new samples replaced evicted ones); counted apart, not binned, not in the statistics.
    quint64 outside = 0;
    std::optional<double> min, max, mean, stdDev; ///< of the binned values; std with n − 1
    /// From the bins: the value where the cumulative count reaches half, interpolated linearly
    /// inside its bin (so within one bin width of the samples' true median).
    std::optional<double> median;
    double binWidth() const { return counts.isEmpty() ? 0.0 : (hi - lo) / double(counts.size()); }
};

/// Builds a histogram of one channel in two passes over its values, each given in pieces of any
/// size (what TraceStore::readSamples() hands out), so the bins do not depend on where the pieces
/// break and a range far larger than memory can be binned:
///
/// 1. `addRange()` for every piece: the smallest and largest finite value.
/// 2. `beginBins()`, then `addBins()` for every piece again: the counts per bin, with count, mean,
///    standard deviation, min and max of the values binned (sums shifted by the range's middle).
///
/// Or, for a range known beforehand, `setRange()` instead of pass 1. When all values are equal
/// (min == max) the range is that value ± 1 % of it (± 1 for 0), so they fill the middle bin.
class ChannelHistogram
{
public:
    static constexpr int kMinBins = 1;
    static constexpr int kMaxBins = 1 << 16;
    /// `bins` is held to kMinBins … kMaxBins.
    explicit ChannelHistogram(int bins);

    int bins() const { return m_bins; }
    void addRange(const double *values, std::size_t n);
    /// Ends pass 1: the bins span the finite values seen. False (and nothing to bin) without any.
    bool beginBins();
    /// Bins over [lo, hi] instead of pass 1 (lo < hi, both finite; otherwise false).
    bool setRange(double lo, double hi);
    void addBins(const double *values, std::size_t n);
    HistogramResult result() const;

private:
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    int m_bins;
    // pass 1
    double m_seenMin = kNaN, m_seenMax = kNaN;
    // pass 2
    bool m_ready = false;
    double m_lo = 0.0, m_hi = 0.0, m_scale = 0.0, m_shift = 0.0;
    QVector<quint64> m_counts;
    quint64 m_count = 0, m_nonFinite = 0, m_outside = 0;
    double m_sum = 0.0, m_sumSq = 0.0; ///< of v − m_shift
    double m_min = kNaN, m_max = kNaN;
};

} // namespace bs
