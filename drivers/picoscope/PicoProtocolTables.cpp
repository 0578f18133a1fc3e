// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoProtocolTables.h"

#include <array>
#include <cmath>

namespace bs::picoscope {

namespace {
constexpr std::array<double, kRangeCount> kRangeMv{10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000};
constexpr std::array<int, 5> kResolutionBits{8, 12, 14, 15, 16};

int indexIn(const QStringList &names, const QString &name)
{
    return int(names.indexOf(name.trimmed()));
}
} // namespace

QString familyName(Family f)
{
    return f == Family::Ps2000a ? QStringLiteral("ps2000a") : QStringLiteral("ps5000a");
}

QStringList familyNames()
{
    return {familyName(Family::Ps5000a), familyName(Family::Ps2000a)};
}

Family familyFromName(const QString &name)
{
    return name.trimmed() == familyName(Family::Ps2000a) ? Family::Ps2000a : Family::Ps5000a;
}

QString channelLetter(int channel)
{
    if (channel >= 0 && channel < kAnalogueChannels)
        return QString(QChar(u'A' + channel));
    return channel == kExternalChannel ? QStringLiteral("EXT") : QStringLiteral("?");
}

double rangeVolts(int rangeIndex)
{
    if (rangeIndex < 0 || rangeIndex >= kRangeCount)
        return 0.0;
    return kRangeMv[std::size_t(rangeIndex)] / 1000.0;
}

QString rangeName(int rangeIndex)
{
    if (rangeIndex < 0 || rangeIndex >= kRangeCount)
        return QString();
    const double mv = kRangeMv[std::size_t(rangeIndex)];
    return mv < 1000 ? QStringLiteral("\u00b1%1 mV").arg(mv) : QStringLiteral("\u00b1%1 V").arg(mv / 1000.0);
}

QStringList rangeNames(int firstIndex, int lastIndex)
{
    QStringList out;
    for (int i = std::max(0, firstIndex); i <= std::min(lastIndex, kRangeCount - 1); ++i)
        out << rangeName(i);
    return out;
}

int rangeIndexFromName(const QString &name)
{
    return indexIn(rangeNames(), name);
}

QStringList resolutionNames()
{
    QStringList out;
    for (int bits : kResolutionBits)
        out << QStringLiteral("%1 bit").arg(bits);
    return out;
}

int resolutionBits(int resolutionEnum)
{
    if (resolutionEnum < 0 || resolutionEnum >= int(kResolutionBits.size()))
        return 8;
    return kResolutionBits[std::size_t(resolutionEnum)];
}

int resolutionEnumFromName(const QString &name)
{
    return indexIn(resolutionNames(), name);
}

int maxChannelsForResolution(int bits)
{
    if (bits >= 16)
        return 1;
    if (bits == 15)
        return 2;
    return kAnalogueChannels;
}

QStringList directionNames()
{
    // Index = PS5000A_THRESHOLD_DIRECTION value.
    return {QStringLiteral("above"), QStringLiteral("below"), QStringLiteral("rising"), QStringLiteral("falling"),
            QStringLiteral("rising or falling")};
}

int directionFromName(const QString &name)
{
    return indexIn(directionNames(), name);
}

QStringList ratioModeNames()
{
    return {QStringLiteral("none"), QStringLiteral("aggregate"), QStringLiteral("decimate"), QStringLiteral("average")};
}

int ratioModeFromName(const QString &name)
{
    switch (indexIn(ratioModeNames(), name)) {
    case 1: return RatioAggregate;
    case 2: return RatioDecimate;
    case 3: return RatioAverage;
    default: return RatioNone;
    }
}

QStringList waveTypeNames(Family f)
{
    QStringList names{QStringLiteral("sine"),    QStringLiteral("square"),   QStringLiteral("triangle"),
                      QStringLiteral("ramp up"), QStringLiteral("ramp down"), QStringLiteral("sinc"),
                      QStringLiteral("gaussian"), QStringLiteral("half sine"), QStringLiteral("dc")};
    if (f == Family::Ps5000a)
        names << QStringLiteral("white noise");
    return names;
}

int waveTypeFromName(const QString &name)
{
    return indexIn(waveTypeNames(Family::Ps5000a), name);
}

double timeUnitSeconds(int unit)
{
    static constexpr std::array<double, 6> k{1e-15, 1e-12, 1e-9, 1e-6, 1e-3, 1.0};
    return unit >= 0 && unit < 6 ? k[std::size_t(unit)] : 0.0;
}

int channelCountFromVariant(const QString &variant)
{
    if (variant.size() >= 2 && variant.at(1).isDigit()) {
        const int n = variant.at(1).digitValue();
        if (n >= 1 && n <= 8)
            return std::min(n, kAnalogueChannels);
    }
    return kAnalogueChannels;
}

} // namespace bs::picoscope
