// SPDX-License-Identifier: GPL-3.0-or-later
#include "SoftwareTrigger.h"

#include <algorithm>
#include <bit>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bs {

SoftwareTrigger::SoftwareTrigger(const TriggerSettings &settings)
{
    setSettings(settings);
}

void SoftwareTrigger::setSettings(const TriggerSettings &settings)
{
    m_settings = settings;
    const double level = settings.level;
    const double h = settings.hysteresis > 0 ? settings.hysteresis : 0.0; // NaN and < 0: 0
    m_enabled = std::isfinite(level);
    m_rising = settings.edge != TriggerEdge::Falling;
    m_falling = settings.edge != TriggerEdge::Rising;
    // Arming needs a sample strictly on the other side of the level, whatever the hysteresis.
    m_armLow = std::min(level - h, std::nextafter(level, -kInf));
    m_armHigh = std::max(level + h, std::nextafter(level, kInf));
    reset();
}

void SoftwareTrigger::gap()
{
    m_armedRising = m_armedFalling = false;
    m_prevT = m_prevV = kNaN;
    updateQuiet();
}

void SoftwareTrigger::reset()
{
    gap();
    m_lastTrigger = -kInf;
    m_triggers = m_heldOff = 0;
}

void SoftwareTrigger::updateQuiet()
{
    double lo = -kInf, hi = kInf;
    if (m_rising) {
        if (m_armedRising)
            hi = std::min(hi, m_settings.level); // waiting for v >= level
        else
            lo = std::max(lo, m_armLow); // waiting for v <= armLow
    }
    if (m_falling) {
        if (m_armedFalling)
            lo = std::max(lo, m_settings.level);
        else
            hi = std::min(hi, m_armHigh);
    }
    m_quietLow = lo;
    m_quietHigh = hi;
}

std::size_t SoftwareTrigger::firstOutside(const double *v, std::size_t i, std::size_t n, double lo, double hi)
{
#if defined(__SSE2__)
    const __m128d l = _mm_set1_pd(lo), h = _mm_set1_pd(hi);
    for (; i + 8 <= n; i += 8) {
        // Ordered compares: NaN is outside. Bit k of `inside` is set when v[i + k] is inside.
        const __m128d a = _mm_loadu_pd(v + i), b = _mm_loadu_pd(v + i + 2);
        const __m128d c = _mm_loadu_pd(v + i + 4), d = _mm_loadu_pd(v + i + 6);
        const __m128d ia = _mm_and_pd(_mm_cmpgt_pd(a, l), _mm_cmplt_pd(a, h));
        const __m128d ib = _mm_and_pd(_mm_cmpgt_pd(b, l), _mm_cmplt_pd(b, h));
        const __m128d ic = _mm_and_pd(_mm_cmpgt_pd(c, l), _mm_cmplt_pd(c, h));
        const __m128d id = _mm_and_pd(_mm_cmpgt_pd(d, l), _mm_cmplt_pd(d, h));
        if (_mm_movemask_pd(_mm_and_pd(_mm_and_pd(ia, ib), _mm_and_pd(ic, id))) != 3) {
            const unsigned inside = unsigned(_mm_movemask_pd(ia)) | unsigned(_mm_movemask_pd(ib)) << 2
                | unsigned(_mm_movemask_pd(ic)) << 4 | unsigned(_mm_movemask_pd(id)) << 6;
            return i + std::size_t(std::countr_zero(~inside));
        }
    }
#else
    for (; i + 8 <= n; i += 8) {
        unsigned inside = 1;
        for (std::size_t k = 0; k < 8; ++k)
            inside &= unsigned(v[i + k] > lo) & unsigned(v[i + k] < hi);
        if (!inside)
            break;
    }
#endif
    for (; i < n; ++i) {
        if (!(v[i] > lo && v[i] < hi))
            return i;
    }
    return n;
}

void SoftwareTrigger::fire(double t, TriggerEdge edge, std::vector<TriggerEvent> &out)
{
    if (t - m_lastTrigger >= m_settings.holdoff || !(m_settings.holdoff > 0)) {
        out.push_back(TriggerEvent { t, edge });
        m_lastTrigger = t;
        ++m_triggers;
    } else {
        ++m_heldOff;
    }
}

void SoftwareTrigger::step(double pt, double pv, double t, double v, std::vector<TriggerEvent> &out)
{
    if (std::isnan(v)) {
        gap(); // a missing value: nothing is interpolated across it
        return;
    }
    const double level = m_settings.level;
    // Armed implies an arming sample since the last gap, so (pt, pv) is a real sample below
    // (above) the level and the interpolation factor lies in (0, 1].
    if (m_rising) {
        if (m_armedRising) {
            if (v >= level) {
                m_armedRising = false;
                fire(pt + (t - pt) * ((level - pv) / (v - pv)), TriggerEdge::Rising, out);
            }
        } else if (v <= m_armLow) {
            m_armedRising = true;
        }
    }
    if (m_falling) {
        if (m_armedFalling) {
            if (v <= level) {
                m_armedFalling = false;
                fire(pt + (t - pt) * ((pv - level) / (pv - v)), TriggerEdge::Falling, out);
            }
        } else if (v >= m_armHigh) {
            m_armedFalling = true;
        }
    }
    updateQuiet();
}

std::size_t SoftwareTrigger::feed(const double *times, const double *values, std::size_t n, std::vector<TriggerEvent> &out)
{
    if (n == 0)
        return 0;
    const std::size_t before = out.size();
    if (m_enabled) {
        std::size_t i = 0;
        while (i < n) {
            const std::size_t k = firstOutside(values, i, n, m_quietLow, m_quietHigh);
            if (k >= n)
                break;
            if (k > 0)
                step(times[k - 1], values[k - 1], times[k], values[k], out);
            else
                step(m_prevT, m_prevV, times[0], values[0], out);
            i = k + 1;
        }
    }
    m_prevT = times[n - 1];
    m_prevV = values[n - 1];
    return out.size() - before;
}

} // namespace bs
