// SPDX-License-Identifier: GPL-3.0-or-later
#include "Measurements.h"

#include <algorithm>
#include <cmath>

namespace bs {

void ChannelMeasurer::Sum::add(double x)
{
    const double t = sum + x;
    c += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
}

void ChannelMeasurer::addStatistics(const double *values, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        if (std::isnan(v))
            continue;
        if (m_n == 0 || v < m_min)
            m_min = v;
        if (m_n == 0 || v > m_max)
            m_max = v;
        m_sum.add(v);
        m_sumSq.add(v * v);
        ++m_n;
    }
}

void ChannelMeasurer::beginEdges()
{
    m_mean = m_n ? m_sum.value() / double(m_n) : kNaN;
    m_edges = m_n > 0 && m_max > m_min && std::isfinite(m_max - m_min);
    if (m_edges) {
        const double amplitude = m_max - m_min;
        m_low = m_min + 0.1 * amplitude;
        m_mid = m_min + 0.5 * amplitude;
        m_high = m_min + 0.9 * amplitude;
    }
    gap();
}

void ChannelMeasurer::gap()
{
    m_state = State::Unknown;
    m_prevT = m_prevV = kNaN;
    m_lastLow = m_lastMid = m_lastHigh = kNaN;
    m_lastEdge = kNaN;
}

double ChannelMeasurer::cross(double t0, double v0, double t1, double v1, double level)
{
    // v0 and v1 lie on either side of level (or v1 on it): where the line between them meets it.
    return v1 == v0 ? t1 : t0 + (t1 - t0) * ((level - v0) / (v1 - v0));
}

void ChannelMeasurer::addEdges(const double *times, const double *values, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        if (std::isnan(v)) {
            gap(); // nothing is interpolated across a missing value
            continue;
        }
        const double d = v - m_mean;
        m_dev.add(d);
        m_devSq.add(d * d);
        if (m_edges)
            sample(times[i], v);
    }
}

void ChannelMeasurer::sample(double t, double v)
{
    const bool hasPrev = !std::isnan(m_prevV);
    const double pt = m_prevT, pv = m_prevV;
    m_prevT = t;
    m_prevV = v;
    switch (m_state) {
    case State::Unknown:
        // The first level reached says where the signal is; a passage not seen whole is no edge.
        if (v <= m_low)
            m_state = State::Low;
        else if (v >= m_high)
            m_state = State::High;
        return;
    case State::Low:
        if (!hasPrev)
            return;
        if (pv < m_low && v >= m_low)
            m_lastLow = cross(pt, pv, t, v, m_low);
        if (pv < m_mid && v >= m_mid)
            m_lastMid = cross(pt, pv, t, v, m_mid);
        if (v >= m_high) {
            const double t90 = cross(pt, pv, t, v, m_high);
            const double edge = m_lastMid;
            if (!std::isnan(m_lastLow)) {
                m_riseSum.add(t90 - m_lastLow);
                ++m_rises;
            }
            if (!std::isnan(edge)) {
                ++m_rising;
                if (std::isnan(m_firstRising))
                    m_firstRising = edge;
                m_lastRising = edge;
                if (!std::isnan(m_lastEdge)) {
                    m_negWidth.add(edge - m_lastEdge);
                    ++m_negWidths;
                }
            }
            m_lastEdge = edge;
            m_lastLow = m_lastMid = kNaN;
            m_state = State::High;
        }
        return;
    case State::High:
        if (!hasPrev)
            return;
        if (pv > m_high && v <= m_high)
            m_lastHigh = cross(pt, pv, t, v, m_high);
        if (pv > m_mid && v <= m_mid)
            m_lastMid = cross(pt, pv, t, v, m_mid);
        if (v <= m_low) {
            const double t10 = cross(pt, pv, t, v, m_low);
            const double edge = m_lastMid;
            if (!std::isnan(m_lastHigh)) {
                m_fallSum.add(t10 - m_lastHigh);
                ++m_falls;
            }
            if (!std::isnan(edge)) {
                ++m_falling;
                if (std::isnan(m_firstFalling))
                    m_firstFalling = edge;
                m_lastFalling = edge;
                if (!std::isnan(m_lastEdge)) {
                    m_posWidth.add(edge - m_lastEdge);
                    ++m_posWidths;
                }
            }
            m_lastEdge = edge;
            m_lastHigh = m_lastMid = kNaN;
            m_state = State::Low;
        }
        return;
    }
}

MeasurementResult ChannelMeasurer::result() const
{
    MeasurementResult r;
    r.samples = m_n;
    if (m_n == 0)
        return r;
    const double n = double(m_n);
    r.min = m_min;
    r.max = m_max;
    r.peakToPeak = m_max - m_min;
    r.mean = m_sum.value() / n;
    r.rms = std::sqrt(std::max(0.0, m_sumSq.value() / n));
    if (!std::isnan(m_mean)) { // pass 2 ran: deviations from the mean, corrected by their own mean
        const double meanDev = m_dev.value() / n;
        const double ss = std::max(0.0, m_devSq.value() - n * meanDev * meanDev);
        r.acRms = std::sqrt(ss / n);
        if (m_n > 1)
            r.stdDev = std::sqrt(ss / (n - 1));
    }
    if (!m_edges)
        return r;
    r.edges = m_rising + m_falling;
    double period = NAN;
    if (m_rising >= 2)
        period = (m_lastRising - m_firstRising) / double(m_rising - 1);
    else if (m_falling >= 2)
        period = (m_lastFalling - m_firstFalling) / double(m_falling - 1);
    if (period > 0) {
        r.period = period;
        r.frequency = 1.0 / period;
    }
    if (m_rises)
        r.riseTime = m_riseSum.value() / double(m_rises);
    if (m_falls)
        r.fallTime = m_fallSum.value() / double(m_falls);
    if (m_posWidths)
        r.widthPositive = m_posWidth.value() / double(m_posWidths);
    if (m_negWidths)
        r.widthNegative = m_negWidth.value() / double(m_negWidths);
    if (r.period && r.widthPositive)
        r.dutyPositive = 100.0 * *r.widthPositive / period;
    if (r.period && r.widthNegative)
        r.dutyNegative = 100.0 * *r.widthNegative / period;
    return r;
}

} // namespace bs
