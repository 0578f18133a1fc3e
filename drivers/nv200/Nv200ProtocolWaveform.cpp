// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200ProtocolWaveform.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace bs::nv200 {

const QStringList &waveShapeNames()
{
    static const QStringList names{QStringLiteral("sine"), QStringLiteral("triangle"), QStringLiteral("square"),
                                   QStringLiteral("step")};
    return names;
}

int awgFactorForSampleTime(double seconds)
{
    const double f = std::round(seconds / kAwgBasePeriod);
    return int(std::clamp(f, 1.0, double(kAwgMaxFactor)));
}

namespace {
/// The shape at phase p ∈ [0, 1) as a value in [-1, 1].
double shapeAt(WaveShape shape, double p)
{
    switch (shape) {
    case WaveShape::Sine: return std::sin(2 * std::numbers::pi * p);
    case WaveShape::Triangle: return p < 0.5 ? -1 + 4 * p : 3 - 4 * p;
    case WaveShape::Square: return p < 0.5 ? 1 : -1;
    case WaveShape::Step: return p < 0.1 ? -1 : 1;
    }
    return 0;
}
} // namespace

std::optional<WaveformTable> waveformTable(WaveShape shape, double frequencyHz, double amplitudePercent,
                                           double offsetPercent, QString *error)
{
    auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!(frequencyHz > 0) || !std::isfinite(frequencyHz))
        return refuse(QCoreApplication::translate("Nv200Protocol", "the waveform frequency must be positive"));
    const double period = 1.0 / frequencyHz;
    // A tiny tolerance keeps exact fits (e.g. 1024 × 50 µs) from rounding up to the next factor.
    const double factor = std::max(1.0, std::ceil(period / kAwgBufferSize / kAwgBasePeriod - 1e-9));
    if (factor > kAwgMaxFactor)
        return refuse(QCoreApplication::translate("Nv200Protocol", "%1 Hz is too slow for the waveform generator "
                                                                   "(one period must fit 1024 × 65535 × 50 µs)")
                          .arg(frequencyHz));
    const int samples = int(std::min(double(kAwgBufferSize), std::round(period / (factor * kAwgBasePeriod))));
    if (samples < 4)
        return refuse(QCoreApplication::translate("Nv200Protocol", "%1 Hz is too fast for the waveform generator "
                                                                   "(at least 4 samples of 50 µs per period)")
                          .arg(frequencyHz));
    WaveformTable t;
    t.factor = int(factor);
    t.percent.resize(std::size_t(samples));
    for (int i = 0; i < samples; ++i) {
        const double v = offsetPercent + amplitudePercent / 2 * shapeAt(shape, double(i) / samples);
        t.percent[std::size_t(i)] = std::clamp(v, 0.0, 100.0);
    }
    return t;
}

} // namespace bs::nv200
