// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuSimulatorSignals.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace bs::moku {

namespace {

std::uint64_t mix(std::uint64_t x)
{
    // splitmix64 finaliser: a counter-based generator, so sample k needs no state before it.
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

double unit(std::uint64_t x)
{
    return double((x >> 11) + 1) * (1.0 / 9007199254740994.0); // (0, 1]
}

} // namespace

double rangeVpp(const QString &range)
{
    QString r = range.trimmed();
    if (!r.endsWith(QLatin1String("Vpp")))
        return 0;
    r.chop(3);
    double scale = 1;
    if (r.endsWith(QLatin1Char('m'))) {
        scale = 1e-3;
        r.chop(1);
    }
    bool ok = false;
    const double v = r.toDouble(&ok);
    return ok && v > 0 ? v * scale : 0;
}

double waveformValue(const WaveformSettings &w, double t)
{
    const QString &type = w.type;
    if (type == QLatin1String("Off"))
        return 0;
    if (type == QLatin1String("DC"))
        return w.dcLevel;
    if (type == QLatin1String("Noise"))
        return w.offset;
    const double a = w.amplitude / 2;
    double cycle = t * w.frequency + w.phase / 360.0;
    cycle -= std::floor(cycle); // 0 … 1
    double v = 0;
    if (type == QLatin1String("Sine")) {
        v = std::sin(2 * std::numbers::pi * cycle);
    } else if (type == QLatin1String("Square")) {
        v = cycle < w.duty / 100.0 ? 1 : -1;
    } else if (type == QLatin1String("Ramp")) {
        const double s = std::clamp(w.symmetry / 100.0, 0.0, 1.0);
        if (s > 0 && cycle < s)
            v = -1 + 2 * cycle / s;
        else if (s < 1)
            v = 1 - 2 * (cycle - s) / (1 - s);
        else
            v = 1;
    } else if (type == QLatin1String("Pulse")) {
        const double period = 1.0 / w.frequency;
        const double x = cycle * period; // s into the period
        const double e = std::max(w.edgeTime, 0.0);
        const double width = std::max(w.pulseWidth, e);
        if (x < e)
            v = -1 + 2 * x / e;
        else if (x < width)
            v = 1;
        else if (x < width + e)
            v = 1 - 2 * (x - width) / e;
        else
            v = -1;
    }
    return w.offset + a * v;
}

InputSignal::InputSignal(const WaveformSettings &wave, const InputSettings &input, double noiseRms, quint32 seed,
                         int channel)
    : m_wave(wave)
    , m_noise(noiseRms)
    , m_clip(rangeVpp(input.range) / 2)
    , m_ac(input.coupling == QLatin1String("AC"))
    , m_key(mix(std::uint64_t(seed) * 1000003ULL + std::uint64_t(channel)))
{
    if (m_ac) {
        // AC coupling: the DC part does not reach the input.
        if (m_wave.type == QLatin1String("DC"))
            m_wave.dcLevel = 0;
        m_wave.offset = 0;
    }
}

double InputSignal::noiseAt(std::int64_t k, int stream) const
{
    // Box-Muller on two counter-based uniforms.
    const std::uint64_t base = mix(m_key ^ (std::uint64_t(k) * 2 + std::uint64_t(stream) * 0x100000000ULL));
    const double u1 = unit(base);
    const double u2 = unit(mix(base));
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

void InputSignal::fill(std::int64_t first, double rate, std::size_t n, double *out) const
{
    const bool noiseWave = m_wave.type == QLatin1String("Noise");
    const double waveNoise = m_wave.amplitude / 6; // the generator's Noise: ±3σ spans the amplitude
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t k = first + std::int64_t(i);
        const double t = double(k) / rate;
        double v = waveformValue(m_wave, t);
        if (noiseWave)
            v += waveNoise * noiseAt(k, 1);
        if (m_noise > 0)
            v += m_noise * noiseAt(k, 0);
        if (m_clip > 0)
            v = std::clamp(v, -m_clip, m_clip);
        out[i] = v;
    }
}

} // namespace bs::moku
