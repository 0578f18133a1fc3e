// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorModules.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace bs::m81 {

namespace {

/// 10^from … 10^to, each the double nearest to the decade.
std::vector<double> decades(int from, int to)
{
    std::vector<double> r;
    for (int e = from; e <= to; ++e)
        r.push_back(e < 0 ? 1.0 / std::pow(10.0, -e) : std::pow(10.0, e));
    return r;
}

/// The smallest range holding `level`, or the largest.
double rangeFor(const std::vector<double> &ranges, double level)
{
    for (double r : ranges)
        if (std::fabs(level) <= r * (1 + 1e-12))
            return r;
    return ranges.back();
}

quint64 mix(quint64 x)
{
    // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

double unit(quint64 bits) { return (double(bits >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

bool is(const ElementInfo &e, const char *longForm) { return qstrcmp(e.longForm, longForm) == 0; }

double wrapDegrees(double d)
{
    d = std::fmod(d, 360.0);
    if (d > 180)
        d -= 360;
    if (d <= -180)
        d += 360;
    return d;
}

} // namespace

std::vector<double> M81SourceModule::ranges() const
{
    return current ? decades(-6, -1) : decades(-2, 1);
}

double M81SourceModule::presentRange() const
{
    if (!autoRange && range > 0)
        return range;
    const double level = shape == "DC" ? std::fabs(amplitude) : std::fabs(offset) + std::fabs(amplitude);
    return rangeFor(ranges(), level);
}

std::vector<double> M81MeasureModule::ranges() const
{
    return measuresCurrent() ? decades(-8, -2) : decades(-2, 1);
}

M81SimulatorModules::M81SimulatorModules(const M81SimulatorConfig &cfg)
    : m_cfg(cfg)
{
    reset();
}

void M81SimulatorModules::reset()
{
    for (int i = 0; i < 3; ++i) {
        M81SourceModule s;
        s.model = m_cfg.sourceModels.value(i).toLatin1();
        s.name = "S" + QByteArray::number(i + 1);
        s.current = !s.model.startsWith("VS");
        m_sources[size_t(i)] = s;
        M81MeasureModule m;
        m.model = m_cfg.measureModels.value(i).toLatin1();
        m.name = "M" + QByteArray::number(i + 1);
        m.refSource = "S" + QByteArray::number(i + 1);
        m_measures[size_t(i)] = m;
    }
}

M81SourceModule *M81SimulatorModules::source(int n) { return n >= 1 && n <= 3 ? &m_sources[size_t(n - 1)] : nullptr; }
M81MeasureModule *M81SimulatorModules::measure(int n) { return n >= 1 && n <= 3 ? &m_measures[size_t(n - 1)] : nullptr; }
const M81SourceModule *M81SimulatorModules::source(int n) const { return n >= 1 && n <= 3 ? &m_sources[size_t(n - 1)] : nullptr; }
const M81MeasureModule *M81SimulatorModules::measure(int n) const { return n >= 1 && n <= 3 ? &m_measures[size_t(n - 1)] : nullptr; }

int M81SimulatorModules::updateRate(const ElementInfo &e)
{
    // §7: MPPeak updates at 1 kSa/s (the manual's example); the other peaks are taken alike.
    if (is(e, "MPPeak") || is(e, "MNPeak") || is(e, "MPTPeak"))
        return 1000;
    return 5000;
}

M81SimulatorModules::Signal M81SimulatorModules::inputOf(int n) const
{
    Signal sig;
    const M81SourceModule *s = source(n);
    if (!s || !s->fitted() || !s->on)
        return sig;
    const double g = m_cfg.sampleGain[size_t(n - 1)];
    if (s->shape == "DC") {
        sig.dc = g * s->amplitude;
    } else {
        sig.dc = g * s->offset;
        sig.amplitude = g * s->amplitude;
        sig.shape = s->shape;
        sig.frequency = s->frequency;
    }
    return sig;
}

double M81SimulatorModules::measureRange(int n) const
{
    const M81MeasureModule *m = measure(n);
    if (!m || !m->fitted())
        return 0;
    if (!m->autoRange && m->range > 0)
        return m->range;
    const Signal sig = inputOf(n);
    return rangeFor(m->ranges(), std::fabs(sig.dc) + std::fabs(sig.amplitude));
}

double M81SimulatorModules::noise(const ElementInfo &e, int n, quint64 index) const
{
    const quint64 id = quint64(&e - elementTable().data());
    const quint64 h = mix(m_cfg.noiseSeed ^ mix((id << 8) ^ quint64(n) ^ mix(index)));
    const double u1 = unit(h), u2 = unit(mix(h));
    const double gauss = std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    const M81MeasureModule *m = measure(n);
    double sigma = m_cfg.noiseFraction * measureRange(n);
    if (m && m->mode != "LIA")
        sigma /= std::sqrt(std::max(0.01, m->nplc));
    else if (m)
        sigma *= std::sqrt(0.1 / std::max(1e-5, m->timeConstant));
    return sigma * gauss;
}

double M81SimulatorModules::value(const ElementInfo &e, int n, quint64 idx, double t) const
{
    if (e.module == ElementModule::Instrument) {
        if (is(e, "RTIMe"))
            return t;
        if (is(e, "GPIStates"))
            return m_cfg.gpiStates;
        return 0; // GPOStates: no output set
    }
    if (e.module == ElementModule::Source) {
        const M81SourceModule *s = source(n);
        if (!s)
            return 0;
        if (is(e, "SAMPlitude"))
            return s->amplitude;
        if (is(e, "SOFFset"))
            return s->offset;
        if (is(e, "SFRequency"))
            return s->frequency;
        if (is(e, "SRANge"))
            return s->presentRange();
        return 0; // limits not engaged, not sweeping, settled
    }
    const M81MeasureModule *m = measure(n);
    if (!m)
        return 0;
    const Signal sig = inputOf(n);
    const double range = measureRange(n);
    const double rmsFactor = sig.shape == "SQUARE" ? 1.0 : sig.shape == "TRIANGLE" ? 1 / std::sqrt(3.0) : std::sqrt(0.5);
    if (is(e, "MDC"))
        return sig.dc + noise(e, n, idx);
    if (is(e, "MRMs")) {
        const double ac = sig.amplitude * rmsFactor;
        return std::sqrt(sig.dc * sig.dc + ac * ac) + std::fabs(noise(e, n, idx));
    }
    if (is(e, "MPPeak"))
        return sig.dc + sig.amplitude + noise(e, n, idx);
    if (is(e, "MNPeak"))
        return sig.dc - sig.amplitude + noise(e, n, idx);
    if (is(e, "MPTPeak"))
        return 2 * sig.amplitude + std::fabs(noise(e, n, idx));
    if (is(e, "MRANge"))
        return range;
    if (is(e, "MOVerload"))
        return std::fabs(sig.dc) + std::fabs(sig.amplitude) > range * 1.0001 ? 1 : 0;
    if (is(e, "MSETtling"))
        return 0;

    // Lock-in: the reference is a source's oscillator (S1…S3) or the reference input (RIN, open).
    const int ref = m->refSource.startsWith('S') ? m->refSource.mid(1).toInt() : 0;
    const M81SourceModule *refSrc = source(ref);
    const bool locked = refSrc && refSrc->fitted() && refSrc->shape != "DC";
    if (is(e, "MUNLock"))
        return locked ? 0 : 1;
    if (is(e, "MRFRequency"))
        return locked ? refSrc->frequency : 0;
    double c = 0; // peak amplitude of the detected harmonic
    const int h = m->harmonic;
    if (locked && ref == n && sig.amplitude != 0) {
        if (sig.shape == "SINUSOID")
            c = h == 1 ? sig.amplitude : 0;
        else if (sig.shape == "SQUARE")
            c = h % 2 ? 4 * sig.amplitude / (std::numbers::pi * h) : 0;
        else if (sig.shape == "TRIANGLE")
            c = h % 2 ? ((h / 2) % 2 ? -1 : 1) * 8 * sig.amplitude / (std::numbers::pi * std::numbers::pi * h * h) : 0;
    }
    const double r = std::fabs(c) / std::sqrt(2.0);
    const double theta = wrapDegrees(m_cfg.samplePhaseDeg[size_t(n - 1)] * h - m->phaseShift + (c < 0 ? 180 : 0));
    static const ElementInfo *const mx = findElement("MX"); // X and Y keep their own noise, so that
    static const ElementInfo *const my = findElement("MY"); // R and θ of one row agree with them
    const double x = r * std::cos(theta * std::numbers::pi / 180) + noise(*mx, n, idx);
    const double y = r * std::sin(theta * std::numbers::pi / 180) + noise(*my, n, idx);
    if (is(e, "MX"))
        return x;
    if (is(e, "MY"))
        return y;
    if (is(e, "MR"))
        return std::hypot(x, y);
    if (is(e, "MTHeta"))
        return std::atan2(y, x) * 180 / std::numbers::pi;
    return 0;
}

} // namespace bs::m81
