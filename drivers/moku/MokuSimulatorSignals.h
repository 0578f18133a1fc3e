// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the simulated Moku's inputs see: input N is wired to output N (wrapping round when there
// are more inputs than outputs), so each enabled input shows that output's generated waveform
// (Sine, Square, Ramp, Pulse, DC, Noise with its amplitude, frequency, offset, phase, duty,
// symmetry, edges) plus Gaussian noise; an input whose output is Off sees noise only. AC coupling
// removes the offset, and the input range clips. Pure code: sample k of a stream is a function of
// (settings, seed, k) only, so a file logged and a stream of the same settings agree.

#include "MokuProtocolModels.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace bs::moku {

/// An input's front end as set_frontend sets it.
struct InputSettings
{
    bool enabled = true;
    QString impedance = QStringLiteral("1MOhm");
    QString coupling = QStringLiteral("DC");
    QString range = QStringLiteral("10Vpp");
    QString bandwidth; ///< Moku:Pro only
};

/// Volts peak-to-peak of a range name ("400mVpp" → 0.4, "10Vpp" → 10); 0 if it is not one.
double rangeVpp(const QString &range);

/// The noiseless value of a waveform at time t (s). Noise and Off are 0 here (plus offset for Noise).
double waveformValue(const WaveformSettings &w, double t);

/// Generates the samples of one input.
class InputSignal
{
public:
    InputSignal(const WaveformSettings &wave, const InputSettings &input, double noiseRms, quint32 seed, int channel);
    /// Writes samples first … first+n-1 at `rate` Sa/s into out.
    void fill(std::int64_t first, double rate, std::size_t n, double *out) const;

private:
    double noiseAt(std::int64_t k, int stream) const;
    WaveformSettings m_wave;
    double m_noise;
    double m_clip;
    bool m_ac;
    std::uint64_t m_key;
};

} // namespace bs::moku
