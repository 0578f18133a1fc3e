// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoProtocolTiming.h"

#include <cmath>
#include <limits>

namespace bs::picoscope {

namespace {
/// The parameters of one row pair of a timebase table: n < `firstSlow` → 2^(n − shift) / fastRate,
/// otherwise (n − offset) / slowRate.
struct TimebaseRule
{
    std::uint32_t firstFast;
    std::uint32_t firstSlow;
    int shift;
    double fastRate;
    std::uint32_t offset;
    double slowRate;
};

TimebaseRule ruleFor(Family family, int bits)
{
    if (family == Family::Ps2000a)
        return {0, 3, 0, 1e9, 2, 125e6};
    switch (bits) {
    case 12: return {1, 4, 1, 500e6, 3, 62.5e6};
    case 14:
    case 15: return {3, 3, 0, 1e9, 2, 125e6};
    case 16: return {4, 4, 0, 1e9, 3, 62.5e6};
    default: return {0, 3, 0, 1e9, 2, 125e6};
    }
}
} // namespace

double tableIntervalSeconds(Family family, int bits, std::uint32_t timebase)
{
    const TimebaseRule r = ruleFor(family, bits);
    const std::uint32_t n = std::max(timebase, r.firstFast);
    if (n < r.firstSlow)
        return std::ldexp(1.0, int(n) - r.shift) / r.fastRate;
    return double(n - r.offset) / r.slowRate;
}

std::uint32_t timebaseNearest(Family family, int bits, double seconds)
{
    const TimebaseRule r = ruleFor(family, bits);
    std::uint32_t best = r.firstFast;
    double bestErr = std::numeric_limits<double>::infinity();
    for (std::uint32_t n = r.firstFast; n < r.firstSlow; ++n) {
        const double err = std::abs(tableIntervalSeconds(family, bits, n) - seconds);
        if (err < bestErr) {
            best = n;
            bestErr = err;
        }
    }
    const double slow = std::round(seconds * r.slowRate) + double(r.offset);
    if (std::isnan(slow)) // no interval asked for: the fastest (and no NaN converted to an integer)
        return best;
    const double maxN = double(std::numeric_limits<std::uint32_t>::max() - 1);
    const std::uint32_t n = std::uint32_t(std::clamp(slow, double(std::max(r.firstSlow, r.offset + 1)), maxN));
    if (std::abs(tableIntervalSeconds(family, bits, n) - seconds) < bestErr)
        best = n;
    return best;
}

StreamingInterval streamingInterval(double seconds)
{
    for (int unit : {S, Ms, Us, Ns}) {
        const double v = seconds / timeUnitSeconds(unit);
        const double rounded = std::round(v);
        if (rounded >= 1 && rounded <= 4294967295.0 && std::abs(v - rounded) <= 1e-6 * rounded)
            return {std::uint32_t(rounded), unit};
    }
    const double ns = std::isnan(seconds) ? 1.0 : std::clamp(std::round(seconds * 1e9), 1.0, 4294967295.0);
    return {std::uint32_t(ns), Ns};
}

QString formatInterval(double seconds)
{
    struct U { double scale; const char *name; };
    static constexpr U units[] = {{1, "s"}, {1e-3, "ms"}, {1e-6, "\u00b5s"}, {1e-9, "ns"}, {1e-12, "ps"}};
    for (const U &u : units)
        if (seconds >= u.scale * 0.9999 || u.scale == 1e-12)
            return QStringLiteral("%1 %2").arg(seconds / u.scale, 0, 'g', 6).arg(QString::fromUtf8(u.name));
    return QString();
}

QString formatRate(double samplesPerSecond)
{
    struct U { double scale; const char *name; };
    static constexpr U units[] = {{1e9, "GS/s"}, {1e6, "MS/s"}, {1e3, "kS/s"}, {1, "S/s"}};
    for (const U &u : units)
        if (samplesPerSecond >= u.scale * 0.9999 || u.scale == 1)
            return QStringLiteral("%1 %2").arg(samplesPerSecond / u.scale, 0, 'g', 6).arg(QLatin1String(u.name));
    return QString();
}

} // namespace bs::picoscope
