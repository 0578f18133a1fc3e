// SPDX-License-Identifier: GPL-3.0-or-later
#include "MeasurementTrend.h"

#include <algorithm>
#include <cmath>

namespace bs {

MeasurementTrend::MeasurementTrend(int capacity)
    : m_capacity(std::max(1, capacity))
{
}

bool MeasurementTrend::append(double t, double v)
{
    if (!std::isfinite(t) || !std::isfinite(v) || (!m_points.empty() && !(t > m_points.back().t)))
        return false;
    m_points.push_back({ t, v });
    while (int(m_points.size()) > m_capacity) {
        m_points.pop_front();
        ++m_dropped;
    }
    return true;
}

void MeasurementTrend::clear()
{
    m_points.clear();
    m_dropped = 0;
}

MeasurementTrend::Stats MeasurementTrend::stats() const
{
    Stats s;
    s.count = m_points.size();
    if (m_points.empty())
        return s;
    // Two passes over at most `capacity` values: the mean, then the deviations from it.
    double lo = m_points.front().v, hi = lo, sum = 0.0;
    for (const Point &p : m_points) {
        lo = std::min(lo, p.v);
        hi = std::max(hi, p.v);
        sum += p.v;
    }
    const double n = double(m_points.size());
    const double mean = sum / n;
    s.min = lo;
    s.max = hi;
    s.mean = mean;
    if (m_points.size() > 1) {
        double sq = 0.0;
        for (const Point &p : m_points)
            sq += (p.v - mean) * (p.v - mean);
        s.stdDev = std::sqrt(sq / (n - 1));
    }
    return s;
}

} // namespace bs
