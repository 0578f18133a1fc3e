// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The simulated physics behind the PandA simulator's outputs: what INENC, TTLIN, CLOCK and COUNTER
// produce at a given FPGA tick. Pure inline functions so that the live read-back (control port) and
// the capture generator (data port) agree, and so that the row generator stays cheap.

#include <QtGlobal>

#include <cmath>

namespace bs::panda {

/// FPGA clock: 125 MHz, 8 ns per tick (`*CLOCK_FREQ?`).
inline constexpr qint64 kClockHz = 125'000'000;
inline constexpr double kSecondsPerTick = 8e-9;

/// Small, fast pseudo random generator (xorshift64*) for encoder noise and block sizes.
class SimRandom
{
public:
    explicit SimRandom(quint64 seed = 0x9E3779B97F4A7C15ull)
        : m_state(seed ? seed : 1)
    {
    }
    quint64 next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }
    /// Uniform in [0, n) for n > 0.
    quint32 below(quint32 n) { return quint32((next() >> 32) % n); }

private:
    quint64 m_state;
};

/// INENC1: a 1 Hz sine of amplitude 10000 counts plus up to ±2 counts of noise.
inline qint32 encoderSine(qint64 absTick, SimRandom &rng)
{
    constexpr double twoPi = 6.283185307179586;
    const double phase = double(absTick % kClockHz) * (twoPi / double(kClockHz));
    const qint32 noise = qint32(rng.below(5)) - 2;
    return qint32(std::lround(10000.0 * std::sin(phase))) + noise;
}

/// INENC2: a slow ramp of 1000 counts per second (wraps like a 32-bit counter).
inline qint32 encoderRamp(qint64 absTick)
{
    return qint32(quint32(quint64(absTick / (kClockHz / 1000))));
}

/// TTLINn (n = 1..6) is a square wave of period n × 100 ms; this is half of it in ticks.
inline qint64 ttlHalfPeriodTicks(int n)
{
    return qint64(n) * (kClockHz / 20);
}

inline bool ttlLevel(int n, qint64 absTick)
{
    return ((absTick / ttlHalfPeriodTicks(n)) & 1) != 0;
}

/// CLOCKn.OUT: high for the first half of each period (period 0 = stopped, output low).
inline bool clockLevel(qint64 periodTicks, qint64 tick)
{
    if (periodTicks <= 0)
        return false;
    return (tick % periodTicks) < (periodTicks + 1) / 2;
}

} // namespace bs::panda
