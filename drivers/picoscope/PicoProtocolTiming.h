// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PicoProtocolTables.h"

#include <cstdint>

namespace bs::picoscope {

/// Sample interval of timebase `n` from the published tables (protocols/picoscope.md §8.1 for
/// ps5000a per resolution, §14.5 for ps2000a on a 1 GS/s model). Only an estimate: the driver
/// always asks GetTimebase2 for the real interval and shows that one.
double tableIntervalSeconds(Family family, int bits, std::uint32_t timebase);

/// The timebase whose table interval is nearest to `seconds` (ties and anything below the fastest
/// go to the faster one). The caller then asks the library and increments while it refuses.
std::uint32_t timebaseNearest(Family family, int bits, double seconds);

/// A streaming interval as RunStreaming takes it: a count of `unit` (PS5000A_TIME_UNITS).
struct StreamingInterval
{
    std::uint32_t value = 0;
    int unit = Ns;
    double seconds() const { return double(value) * timeUnitSeconds(unit); }
};
/// The coarsest unit that expresses `seconds` exactly (to 1 ppm), else nanoseconds rounded.
StreamingInterval streamingInterval(double seconds);

/// "1 µs", "12.5 ns", "2 ms": an interval for the panel.
QString formatInterval(double seconds);
/// "10 MS/s", "250 kS/s".
QString formatRate(double samplesPerSecond);

} // namespace bs::picoscope
