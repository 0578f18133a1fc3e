// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

namespace bs::picoscope {

/// ADC counts ↔ volts for one channel (protocols/picoscope.md §8, U12): the unit adds the analogue
/// offset before digitising, so V_in = counts / maxAdc × range − offset.
struct ChannelScale
{
    double rangeVolts = 1.0;   ///< ± full scale
    int maxAdc = 32512;        ///< MaximumValue of the unit at its resolution
    double offsetVolts = 0.0;  ///< the analogue offset given to SetChannel

    double volts(double counts) const { return counts * rangeVolts / double(maxAdc) - offsetVolts; }
    /// Threshold for a trigger on this channel, clamped to the ADC range.
    std::int16_t counts(double volts) const;
    /// Converts `n` samples; one multiply-add per sample.
    void toVolts(const std::int16_t *src, std::size_t n, double *dst) const;
};

/// Analogue-offset limits of the published bands (±0.25 V up to ±200 mV, ±2.5 V for ±500 mV…±2 V,
/// ±20 V above), for checks before the unit is open; the unit's own GetAnalogueOffset wins.
double analogueOffsetLimit(int rangeIndex);

} // namespace bs::picoscope
