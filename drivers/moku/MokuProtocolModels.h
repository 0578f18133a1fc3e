// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What each Moku model's Datalogger accepts (docs/protocols/moku.md §8): inputs, ranges, sample
// rates, trigger sources, waveform limits, storage target. Pure data and checks, no I/O. The
// driver checks a value here before it sends it; the simulator uses the same table as the
// device's own limits (strict: refuse with the message; non-strict: coerce).

#include <QString>
#include <QStringList>

#include <span>

namespace bs::moku {

enum class Model { Go, Lab, Pro, Delta };

/// One waveform-generator setting of generate_waveform (units: Vpp, Hz, V, °, %, s).
struct WaveformSettings
{
    QString type = QStringLiteral("Off"); ///< Off, Sine, Square, Ramp, Pulse, DC, Noise
    double amplitude = 1.0;
    double frequency = 1000.0;
    double offset = 0.0;
    double phase = 0.0;
    double duty = 50.0;      ///< Square
    double symmetry = 50.0;  ///< Ramp
    double dcLevel = 0.0;    ///< DC
    double edgeTime = 0.0;   ///< Pulse
    double pulseWidth = 0.0; ///< Pulse
};

struct ModelInfo
{
    Model model;
    const char *hardware;   ///< as `describe` reports it: "Moku:Go"
    const char *shortName;  ///< as the simulator's --model takes it: "go"
    int inputs;
    int outputs;
    QStringList impedances;  ///< "1MOhm", "50Ohm"
    QStringList couplings;   ///< "AC", "DC"
    QStringList ranges;      ///< "10Vpp", "50Vpp", ... in increasing order
    QStringList bandwidths;  ///< a setting only on Moku:Pro ("300MHz", "600MHz"); else empty
    QStringList modes;       ///< acquisition modes
    double minRate;          ///< Sa/s, set_samplerate and start_streaming
    double maxRate;          ///< Sa/s, set_samplerate with one channel
    double maxStreamRate;    ///< Sa/s, start_streaming's sample_rate
    QStringList triggerSources; ///< "Input1", ..., "External"
    double maxFrequency;     ///< waveform generator, Hz
    double minAmplitude;     ///< Vpp
    double maxAmplitude;     ///< Vpp
    double highFrequency;    ///< above this frequency the amplitude is limited to `highAmplitude`
    double highAmplitude;    ///< Vpp
    double minEdge;          ///< s, Pulse edge time and pulse width
    bool hasTermination;     ///< set_output_termination (HiZ / 50Ohm)
    const char *logTarget;   ///< on-device storage of log files: persist, media, ssd
};

/// The four models in the order Go, Lab, Pro, Delta.
std::span<const ModelInfo> models();
const ModelInfo &modelInfo(Model m);
/// The model `describe.hardware` ("Moku:Go"), the Python client's normal form ("mokugo") or the
/// simulator's short name ("go") names, any case; nullptr for anything else.
const ModelInfo *findModel(const QString &name);

/// Bandwidth a channel reports: the setting on Moku:Pro, tied to the impedance on Moku:Delta
/// (50 Ω → 2 GHz, 1 MΩ → 1 MHz), empty on Go and Lab.
QString reportedBandwidth(const ModelInfo &m, const QString &impedance, const QString &setting);

/// Highest set_samplerate (streaming false) or start_streaming (true) rate with `enabledInputs`
/// inputs on: Moku:Pro logs at most 5 MSa/s with 2 inputs and 1.25 MSa/s with 3–4.
double maxSampleRate(const ModelInfo &m, int enabledInputs, bool streaming);

// Checks: an empty string when the value is valid for the model, else a sentence for the user
// that names the value and what the model takes ("Moku:Go inputs have no 4Vpp range (10Vpp or
// 50Vpp)").
QString checkChannel(const ModelInfo &m, int channel, bool output = false);
QString checkFrontend(const ModelInfo &m, int channel, const QString &impedance, const QString &coupling,
                      const QString &range, const QString &bandwidth = {});
QString checkMode(const ModelInfo &m, const QString &mode);
QString checkSampleRate(const ModelInfo &m, double rate, int enabledInputs, bool streaming);
/// `source` empty or "None": no trigger (level not checked).
QString checkTrigger(const ModelInfo &m, const QString &source, double level);
QString checkWaveform(const ModelInfo &m, int channel, const WaveformSettings &w);
QString checkTermination(const ModelInfo &m, int channel, const QString &termination);

/// The waveform types generate_waveform takes.
QStringList waveformTypes();

/// How a technician reads one of the API's words: "1MOhm" → "1 MΩ", "50Ohm" → "50 Ω", "HiZ" →
/// "High-Z", "10Vpp" → "10 Vpp", "400mVpp" → "400 mVpp", "300MHz" → "300 MHz", "PeakDetect" →
/// "Peak detect", "Input1" → "Input 1"; any other word as it is. The API words stay what is sent
/// and stored.
QString choiceLabel(const QString &word);
/// choiceLabel() of each word.
QStringList choiceLabels(const QStringList &words);
/// The words as a choice in a sentence: "10 Vpp or 50 Vpp", "1 MΩ only".
QString choiceText(const QStringList &words);

} // namespace bs::moku
