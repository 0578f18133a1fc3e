// SPDX-License-Identifier: GPL-3.0-or-later
// PicoScope protocol helpers with whatever the library or the user hands them: any PICO_STATUS
// code, any channel setting (range, resolution, offset, threshold), any interval or rate asked
// for, any variant string or setting name.
// Input: 4 bytes status code, 1 byte family, 1 byte resolution enum, 1 byte range index, 3 doubles
// (offset V, threshold V, interval s), 4 bytes timebase, then text (variant / names, UTF-8).
// Checks: every status has a name and a description naming the function; a trigger threshold is
// within the ADC range; volts of counts are finite; intervals and timebases are within what the
// API can carry, and the interval found for a timebase is positive.
#include "FuzzInput.h"
#include "PicoProtocolScaling.h"
#include "PicoProtocolStatus.h"
#include "PicoProtocolTables.h"
#include "PicoProtocolTiming.h"

#include <cmath>
#include <limits>

using namespace bs::picoscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    bs::fuzz::FuzzInput in(data, size);
    const auto code = in.value<std::uint32_t>();
    const Family family = in.byte() % 2 ? Family::Ps2000a : Family::Ps5000a;
    const int resolution = int(in.byte() % 8) - 1; // includes -1 and values past the table
    const int range = int(in.byte() % 16) - 2;     // includes indices off both ends
    const double offset = in.value<double>();
    const double threshold = in.value<double>();
    const double interval = in.value<double>();
    const auto timebase = in.value<std::uint32_t>();
    const QString text = QString::fromUtf8(in.rest());

    // Status codes.
    BS_FUZZ_CHECK(!statusName(code).isEmpty(), "status without a name");
    const QString described = describeStatus(QStringLiteral("ps5000aRunBlock"), code);
    BS_FUZZ_CHECK(described.contains(QLatin1String("ps5000aRunBlock")), "description lost the function");
    (void)statusMeaning(code);
    (void)isPowerStatus(code);

    // Channel scaling as the driver sets it up: range and resolution from the tables.
    const int bits = resolutionBits(resolution);
    BS_FUZZ_CHECK(bits >= 8 && bits <= 16, "resolution out of 8-16 bits");
    (void)maxChannelsForResolution(bits);
    (void)rangeName(range);
    (void)analogueOffsetLimit(range);
    ChannelScale scale;
    scale.rangeVolts = rangeVolts(range);
    scale.offsetVolts = std::isfinite(offset) ? offset : 0.0;
    if (scale.rangeVolts > 0) {
        const std::int16_t t = scale.counts(threshold);
        BS_FUZZ_CHECK(t >= -scale.maxAdc && t <= scale.maxAdc, "threshold outside the ADC range");
        const std::int16_t samples[] = {std::int16_t(code), std::int16_t(code >> 16), t, -32768, 32767};
        double volts[5];
        scale.toVolts(samples, 5, volts);
        if (std::isfinite(scale.offsetVolts) && std::abs(scale.offsetVolts) < 1e300)
            for (const double v : volts)
                BS_FUZZ_CHECK(std::isfinite(v), "non-finite volts from ADC counts");
    }

    // Timing: a table interval for any timebase, the nearest timebase and the streaming interval
    // for any interval asked for.
    const double tableInterval = tableIntervalSeconds(family, bits, timebase);
    BS_FUZZ_CHECK(tableInterval > 0, "timebase with no positive interval");
    const std::uint32_t nearest = timebaseNearest(family, bits, interval);
    BS_FUZZ_CHECK(tableIntervalSeconds(family, bits, nearest) > 0, "nearest timebase with no interval");
    const StreamingInterval si = streamingInterval(interval);
    BS_FUZZ_CHECK(si.value >= 1, "streaming interval of zero");
    BS_FUZZ_CHECK(si.unit >= Fs && si.unit <= S, "streaming interval unit out of the enum");
    (void)formatInterval(interval);
    (void)formatRate(interval);

    // Names and variant strings as a session, a panel or the unit's VARIANT_INFO give them.
    const int channels = channelCountFromVariant(text);
    BS_FUZZ_CHECK(channels >= 1 && channels <= kAnalogueChannels, "channel count out of 1-4");
    (void)channelLetter(int(code % 8) - 1);
    (void)familyFromName(text);
    const int r = rangeIndexFromName(text);
    BS_FUZZ_CHECK(r >= -1 && r < kRangeCount, "range index out of the table");
    BS_FUZZ_CHECK(resolutionEnumFromName(text) >= -1, "resolution index below -1");
    (void)directionFromName(text);
    (void)ratioModeFromName(text);
    (void)waveTypeFromName(text);
    return 0;
}
