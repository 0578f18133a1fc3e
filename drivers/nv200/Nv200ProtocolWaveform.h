// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace bs::nv200 {

constexpr int kAwgBufferSize = 1024;   ///< samples of the arbitrary waveform generator
constexpr double kAwgBasePeriod = 50e-6;
constexpr int kAwgMaxFactor = 65535;

enum class WaveShape { Sine, Triangle, Square, Step };
/// "sine", "triangle", "square", "step" (parameter values, in WaveShape order).
const QStringList &waveShapeNames();

/// One period of a waveform, ready for `gbarb,<i>,<percent>` and `gtarb,<factor>`.
struct WaveformTable
{
    int factor = 1;                ///< output period = factor × 50 µs
    std::vector<double> percent;   ///< 0–100 % of the loop mode's range

    double samplePeriod() const { return factor * kAwgBasePeriod; }
    double frequency() const { return percent.empty() ? 0 : 1.0 / (samplePeriod() * double(percent.size())); }
};

/// `gtarb` factor for a sample time: round(µs / 50) clamped to 1–65535 (spec §4.4).
int awgFactorForSampleTime(double seconds);

/// Fits one period of 1/frequencyHz into ≤ 1024 samples (factor = ceil(period / 1024 / 50 µs),
/// samples = round(period / (factor × 50 µs))) and fills it with the shape, centred on
/// `offsetPercent` with a peak-to-peak `amplitudePercent`, clamped to 0–100 %.
/// Shapes: sine (starts at the centre, rising), triangle (low → high → low), square (high half,
/// then low half), step (low for the first 10 % of the period, then high: one step per cycle).
/// Returns nullopt with `error` set when the frequency cannot be represented (fewer than 4
/// samples per period, or a period beyond 65535 × 1024 × 50 µs).
std::optional<WaveformTable> waveformTable(WaveShape shape, double frequencyHz, double amplitudePercent,
                                           double offsetPercent, QString *error = nullptr);

} // namespace bs::nv200
