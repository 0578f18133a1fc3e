// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The six modules of the simulated M81-SSM and what they read (docs/protocols/lakeshore-m81.md
// §4, §7, §13): source modules (VS-10 voltage, CS-10 / BCS-10 current) with shape, amplitude,
// offset, frequency, range and output state; measure modules (VM-10 voltage, CM-10 current) with
// mode (DC / AC / LIA), range, NPLC and the lock-in settings.
//
// Measure n is wired to source n through a sample of fixed gain and phase (Config::sampleGain,
// samplePhaseDeg): its DC value is gain × the source's DC level, its RMS and peaks those of the
// source's waveform times the gain, and its lock-in, referenced to Sn, reads the harmonic of that
// waveform (R = gain·A/√2 for a sine at the fundamental, θ = phase − DPHase, X = R cos θ,
// Y = R sin θ). A lock-in referenced to another source sees only noise; referenced to RIN (nothing
// connected) it is unlocked. Noise is Gaussian, a pure function of (seed, element, module,
// update index), so a value repeated in slower rows is the same value.
//
// Not thread-safe: simulator thread only.

#include "M81ProtocolElements.h"
#include "M81SimulatorConfig.h"

#include <QByteArray>

#include <array>
#include <vector>

namespace bs::m81 {

struct M81SourceModule
{
    QByteArray model; // empty: slot empty
    QByteArray name;
    bool current = false; // FUNCtion:MODE CURRent (CS-10, BCS-10) or VOLTage (VS-10)
    QByteArray shape = "DC"; // DC, SINUSOID, TRIANGLE, SQUARE
    double amplitude = 0;
    double offset = 0;
    double frequency = 1000;
    bool on = false;
    bool autoRange = true;
    double range = 0; // manual range (autoRange false)

    bool fitted() const { return !model.isEmpty(); }
    std::vector<double> ranges() const;
    double maxLevel() const { return ranges().back(); }
    double presentRange() const;
};

struct M81MeasureModule
{
    QByteArray model;
    QByteArray name;
    QByteArray mode = "DC"; // DC, AC, LIA
    bool autoRange = true;
    double range = 0;
    double nplc = 1;
    QByteArray refSource = "S1"; // S1, S2, S3, RIN
    double timeConstant = 0.1;
    QByteArray rolloff = "R24"; // R6 R12 R18 R24
    double phaseShift = 0; // DPHase, degrees
    int harmonic = 1;
    bool fir = false;

    bool fitted() const { return !model.isEmpty(); }
    bool measuresCurrent() const { return model.startsWith("CM"); }
    std::vector<double> ranges() const;
};

class M81SimulatorModules
{
public:
    explicit M81SimulatorModules(const M81SimulatorConfig &cfg);

    /// Power-on settings of every module (*RST).
    void reset();

    /// 1-based slots; nullptr when out of 1…3 (a fitted check is the caller's).
    M81SourceModule *source(int n);
    M81MeasureModule *measure(int n);
    const M81SourceModule *source(int n) const;
    const M81MeasureModule *measure(int n) const;

    /// The value of `element` of module `n` (1…3; ignored for instrument elements) at its
    /// `updateIndex`-th update (noise depends on it), `t` seconds into the stream (RTIMe).
    double value(const ElementInfo &element, int n, quint64 updateIndex, double t) const;
    /// How often the element changes (rows/s), per §7 and the manual's repetition rule.
    static int updateRate(const ElementInfo &element);

private:
    struct Signal { double dc = 0, amplitude = 0; QByteArrayView shape = "DC"; double frequency = 0; };
    Signal inputOf(int n) const; // what measure n sees (before noise)
    double measureRange(int n) const;
    double noise(const ElementInfo &element, int n, quint64 index) const;

    const M81SimulatorConfig &m_cfg;
    std::array<M81SourceModule, 3> m_sources;
    std::array<M81MeasureModule, 3> m_measures;
};

} // namespace bs::m81
