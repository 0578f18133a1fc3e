// SPDX-License-Identifier: GPL-3.0-or-later
#include "Measurements.h"

#include <QString>

#include <algorithm>
#include <cmath>

namespace bs {

std::optional<double> measurementValue(const MeasurementResult &r, QStringView id)
{
    using Field = std::optional<double> MeasurementResult::*;
    static constexpr struct
    {
        const char *id;
        Field field;
    } kFields[] { { "min", &MeasurementResult::min }, { "max", &MeasurementResult::max },
        { "peak_to_peak", &MeasurementResult::peakToPeak }, { "mean", &MeasurementResult::mean },
        { "rms", &MeasurementResult::rms }, { "ac_rms", &MeasurementResult::acRms },
        { "std", &MeasurementResult::stdDev }, { "frequency", &MeasurementResult::frequency },
        { "period", &MeasurementResult::period }, { "rise_time", &MeasurementResult::riseTime },
        { "fall_time", &MeasurementResult::fallTime }, { "duty_positive", &MeasurementResult::dutyPositive },
        { "duty_negative", &MeasurementResult::dutyNegative },
        { "width_positive", &MeasurementResult::widthPositive },
        { "width_negative", &MeasurementResult::widthNegative } };
    if (id == QLatin1String("edges"))
        return r.edges ? std::optional<double>(double(*r.edges)) : std::nullopt;
    for (const auto &f : kFields)
        if (id == QLatin1String(f.id))
            return r.*(f.field);
    return std::nullopt;
}

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
    m_lastStart = m_lastMid = kNaN;
    m_lastEdge = kNaN;
    m_up.previous = m_down.previous = kNaN;
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
    if (m_state == State::Unknown) {
        // The first level reached says where the signal is; a passage not seen whole is no edge.
        if (v <= m_low)
            m_state = State::Low;
        else if (v >= m_high)
            m_state = State::High;
    } else if (hasPrev) {
        passage(pt, pv, t, v, m_state == State::Low);
    }
}

void ChannelMeasurer::passage(double pt, double pv, double t, double v, bool rising)
{
    // A falling passage is a rising one of −v: the same comparisons with the sign turned.
    const double sign = rising ? 1.0 : -1.0;
    const double from = rising ? m_low : m_high, to = rising ? m_high : m_low;
    auto crossed = [&](double level) { return sign * pv < sign * level && sign * v >= sign * level; };
    if (crossed(from))
        m_lastStart = cross(pt, pv, t, v, from);
    if (crossed(m_mid))
        m_lastMid = cross(pt, pv, t, v, m_mid);
    if (sign * v < sign * to)
        return;
    Direction &d = rising ? m_up : m_down;
    if (!std::isnan(m_lastStart)) {
        d.transition.add(cross(pt, pv, t, v, to) - m_lastStart);
        ++d.transitions;
    }
    const double edge = m_lastMid;
    if (!std::isnan(edge)) {
        ++d.edges;
        if (!std::isnan(d.previous)) {
            d.cycle.add(edge - d.previous);
            ++d.cycles;
        }
        d.previous = edge;
        if (!std::isnan(m_lastEdge)) {
            d.widthBefore.add(edge - m_lastEdge);
            ++d.widthsBefore;
        }
    }
    m_lastEdge = edge;
    m_lastStart = m_lastMid = kNaN;
    m_state = rising ? State::High : State::Low;
}

MeasurementResult ChannelMeasurer::result() const
{
    MeasurementResult r;
    r.samples = m_n;
    if (m_n == 0)
        return r;
    const double n = double(m_n);
    // Infinite samples make some sums undefined (∞ − ∞): such a measurement is empty, never 0.
    auto defined = [](double v) { return std::isnan(v) ? std::nullopt : std::optional<double>(v); };
    // Rounding may leave a sum of squares a hair below 0; NaN passes through to be caught above.
    auto nonNegative = [](double v) { return v < 0.0 ? 0.0 : v; };
    r.min = m_min;
    r.max = m_max;
    r.peakToPeak = defined(m_max - m_min);
    r.mean = defined(m_sum.value() / n);
    r.rms = defined(std::sqrt(nonNegative(m_sumSq.value() / n)));
    if (!std::isnan(m_mean)) { // pass 2 ran: deviations from the mean, corrected by their own mean
        const double meanDev = m_dev.value() / n;
        const double ss = nonNegative(m_devSq.value() - n * meanDev * meanDev);
        r.acRms = defined(std::sqrt(ss / n));
        if (m_n > 1)
            r.stdDev = defined(std::sqrt(ss / (n - 1)));
    }
    if (!m_edges)
        return r;
    r.edges = m_up.edges + m_down.edges;
    double period = NAN;
    if (m_up.cycles)
        period = m_up.cycle.value() / double(m_up.cycles);
    else if (m_down.cycles)
        period = m_down.cycle.value() / double(m_down.cycles);
    if (period > 0) {
        r.period = period;
        r.frequency = 1.0 / period;
    }
    auto mean = [](const Sum &sum, quint64 n) { return n ? std::optional<double>(sum.value() / double(n)) : std::nullopt; };
    r.riseTime = mean(m_up.transition, m_up.transitions);
    r.fallTime = mean(m_down.transition, m_down.transitions);
    r.widthPositive = mean(m_down.widthBefore, m_down.widthsBefore); // rising edge … falling edge
    r.widthNegative = mean(m_up.widthBefore, m_up.widthsBefore);     // falling edge … rising edge
    if (r.period && r.widthPositive)
        r.dutyPositive = 100.0 * *r.widthPositive / period;
    if (r.period && r.widthNegative)
        r.dutyNegative = 100.0 * *r.widthNegative / period;
    return r;
}

} // namespace bs
