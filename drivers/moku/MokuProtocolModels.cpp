// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuProtocolModels.h"

#include "EngineeringFormat.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <array>
#include <cmath>
#include <limits>

namespace bs::moku {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

QStringList inputSources(int n, bool external)
{
    QStringList s;
    for (int i = 1; i <= n; ++i)
        s << QStringLiteral("Input%1").arg(i);
    if (external)
        s << QStringLiteral("External");
    return s;
}

const std::array<ModelInfo, 4> &table()
{
    static const std::array<ModelInfo, 4> t{{
        {Model::Go, "Moku:Go", "go", 2, 2, {QStringLiteral("1MOhm")}, {QStringLiteral("AC"), QStringLiteral("DC")},
         {QStringLiteral("10Vpp"), QStringLiteral("50Vpp")}, {},
         {QStringLiteral("Normal"), QStringLiteral("Precision"), QStringLiteral("PeakDetect")},
         10, 1e6, 1e6, inputSources(2, false), 20e6, 2e-3, 10, inf, 10, 16e-9, false, "persist"},
        {Model::Lab, "Moku:Lab", "lab", 2, 2, {QStringLiteral("50Ohm"), QStringLiteral("1MOhm")},
         {QStringLiteral("AC"), QStringLiteral("DC")}, {QStringLiteral("1Vpp"), QStringLiteral("10Vpp")}, {},
         {QStringLiteral("Normal"), QStringLiteral("Precision")},
         10, 2.5e5, 1e6, inputSources(2, true), 100e6, 2e-3, 4, inf, 4, 4e-9, true, "media"},
        {Model::Pro, "Moku:Pro", "pro", 4, 4, {QStringLiteral("50Ohm"), QStringLiteral("1MOhm")},
         {QStringLiteral("AC"), QStringLiteral("DC")},
         {QStringLiteral("400mVpp"), QStringLiteral("4Vpp"), QStringLiteral("40Vpp")},
         {QStringLiteral("300MHz"), QStringLiteral("600MHz")},
         {QStringLiteral("Normal"), QStringLiteral("Precision"), QStringLiteral("PeakDetect")},
         10, 10e6, 10e6, inputSources(4, true), 500e6, 1e-3, 10, 1e6, 2, 2e-9, true, "ssd"},
        {Model::Delta, "Moku:Delta", "delta", 8, 8, {QStringLiteral("50Ohm"), QStringLiteral("1MOhm")},
         {QStringLiteral("AC"), QStringLiteral("DC")},
         {QStringLiteral("100mVpp"), QStringLiteral("1Vpp"), QStringLiteral("10Vpp"), QStringLiteral("40Vpp")}, {},
         {QStringLiteral("Normal"), QStringLiteral("Precision"), QStringLiteral("PeakDetect")},
         10, 10e6, 10e6, inputSources(8, true), 2e9, 1e-3, 10, 100e6, 1, 0.5e-9, true, "ssd"},
    }};
    return t;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::moku::Models", text);
}

QString fmt(double v, const QString &unit)
{
    return EngineeringFormat::format(v, unit);
}

QString outside(const QString &what, double v, double lo, double hi, const QString &unit)
{
    return tr("%1 %2 is outside %3 … %4").arg(what, fmt(v, unit), fmt(lo, unit), fmt(hi, unit));
}

} // namespace

std::span<const ModelInfo> models()
{
    return {table().data(), table().size()};
}

const ModelInfo &modelInfo(Model m)
{
    return table()[std::size_t(m)];
}

const ModelInfo *findModel(const QString &name)
{
    const QString n = name.trimmed().toLower().remove(QLatin1Char(':')).remove(QLatin1Char(' '));
    for (const ModelInfo &m : table()) {
        const QString s = QString::fromLatin1(m.shortName);
        if (n == s || n == QStringLiteral("moku") + s)
            return &m;
    }
    return nullptr;
}

QString reportedBandwidth(const ModelInfo &m, const QString &impedance, const QString &setting)
{
    if (m.model == Model::Pro)
        return setting.isEmpty() ? m.bandwidths.first() : setting;
    if (m.model == Model::Delta)
        return impedance == QLatin1String("50Ohm") ? QStringLiteral("2GHz") : QStringLiteral("1MHz");
    return {};
}

double maxSampleRate(const ModelInfo &m, int enabledInputs, bool streaming)
{
    double hi = streaming ? m.maxStreamRate : m.maxRate;
    if (m.model == Model::Pro) {
        if (enabledInputs >= 3)
            hi = std::min(hi, 1.25e6);
        else if (enabledInputs == 2)
            hi = std::min(hi, 5e6);
    }
    return hi;
}

QString checkChannel(const ModelInfo &m, int channel, bool output)
{
    const int n = output ? m.outputs : m.inputs;
    if (channel >= 1 && channel <= n)
        return {};
    return (output ? tr("%1 has outputs 1 … %2, not output %3") : tr("%1 has inputs 1 … %2, not input %3"))
        .arg(QString::fromLatin1(m.hardware)).arg(n).arg(channel);
}

QString checkFrontend(const ModelInfo &m, int channel, const QString &impedance, const QString &coupling,
                      const QString &range, const QString &bandwidth)
{
    const QString hw = QString::fromLatin1(m.hardware);
    if (QString e = checkChannel(m, channel); !e.isEmpty())
        return e;
    if (!m.impedances.contains(impedance))
        return tr("%1 inputs have no %2 impedance (%3)").arg(hw, choiceLabel(impedance), choiceText(m.impedances));
    if (!m.couplings.contains(coupling))
        return tr("%1 inputs have no %2 coupling (%3)").arg(hw, choiceLabel(coupling), choiceText(m.couplings));
    if (!m.ranges.contains(range))
        return tr("%1 inputs have no %2 range (%3)").arg(hw, choiceLabel(range), choiceText(m.ranges));
    if (!bandwidth.isEmpty() && !m.bandwidths.contains(bandwidth))
        return m.bandwidths.isEmpty()
                   ? tr("%1 inputs have no bandwidth setting").arg(hw)
                   : tr("%1 inputs have no %2 bandwidth (%3)").arg(hw, choiceLabel(bandwidth), choiceText(m.bandwidths));
    return {};
}

QString checkMode(const ModelInfo &m, const QString &mode)
{
    if (m.modes.contains(mode))
        return {};
    return tr("%1 has no %2 acquisition mode (%3)").arg(QString::fromLatin1(m.hardware), choiceLabel(mode), choiceText(m.modes));
}

QString checkSampleRate(const ModelInfo &m, double rate, int enabledInputs, bool streaming)
{
    const double hi = maxSampleRate(m, enabledInputs, streaming);
    if (std::isfinite(rate) && rate >= m.minRate && rate <= hi)
        return {};
    QString what = tr("%1 sample rate").arg(QString::fromLatin1(m.hardware));
    if (m.model == Model::Pro && enabledInputs >= 2)
        what = tr("%1 sample rate with %2 inputs on").arg(QString::fromLatin1(m.hardware)).arg(enabledInputs);
    return outside(what, rate, m.minRate, hi, QStringLiteral("Sa/s"));
}

QString checkTrigger(const ModelInfo &m, const QString &source, double level)
{
    if (source.isEmpty() || source == QLatin1String("None"))
        return {};
    if (!m.triggerSources.contains(source))
        return tr("%1 has no trigger source %2 (%3)")
            .arg(QString::fromLatin1(m.hardware), choiceLabel(source), choiceText(m.triggerSources));
    if (!std::isfinite(level) || level < -5.0 || level > 5.0)
        return outside(tr("Trigger level"), level, -5.0, 5.0, QStringLiteral("V"));
    return {};
}

QString checkWaveform(const ModelInfo &m, int channel, const WaveformSettings &w)
{
    if (QString e = checkChannel(m, channel, true); !e.isEmpty())
        return e;
    if (!waveformTypes().contains(w.type))
        return tr("%1 is not a waveform (%2)").arg(w.type, choiceText(waveformTypes()));
    const QString out = tr("Output %1").arg(channel);
    const QString &t = w.type;
    if (t == QLatin1String("Off"))
        return {};
    if (t == QLatin1String("DC")) {
        if (!std::isfinite(w.dcLevel) || std::abs(w.dcLevel) > 5.0)
            return outside(tr("%1 DC level").arg(out), w.dcLevel, -5.0, 5.0, QStringLiteral("V"));
        return {};
    }
    const bool periodic = t != QLatin1String("Noise");
    if (periodic && (!std::isfinite(w.frequency) || w.frequency < 1e-3 || w.frequency > m.maxFrequency))
        return outside(tr("%1 frequency").arg(out), w.frequency, 1e-3, m.maxFrequency, QStringLiteral("Hz"));
    const double maxAmp = periodic && w.frequency > m.highFrequency ? m.highAmplitude : m.maxAmplitude;
    if (!std::isfinite(w.amplitude) || w.amplitude < m.minAmplitude || w.amplitude > maxAmp) {
        QString what = tr("%1 amplitude").arg(out);
        if (maxAmp < m.maxAmplitude)
            what = tr("%1 amplitude above %2").arg(out, fmt(m.highFrequency, QStringLiteral("Hz")));
        return outside(what, w.amplitude, m.minAmplitude, maxAmp, QStringLiteral("Vpp"));
    }
    if (!std::isfinite(w.offset) || std::abs(w.offset) > 5.0)
        return outside(tr("%1 offset").arg(out), w.offset, -5.0, 5.0, QStringLiteral("V"));
    if (periodic && (!std::isfinite(w.phase) || w.phase < 0.0 || w.phase > 360.0))
        return outside(tr("%1 phase").arg(out), w.phase, 0.0, 360.0, QStringLiteral("°"));
    if (t == QLatin1String("Square")
        && (!std::isfinite(w.duty) || w.duty < 0.0 || w.duty > 100.0))
        return outside(tr("%1 duty cycle").arg(out), w.duty, 0.0, 100.0, QStringLiteral("%"));
    if (t == QLatin1String("Ramp") && (!std::isfinite(w.symmetry) || w.symmetry < 0.0 || w.symmetry > 100.0))
        return outside(tr("%1 symmetry").arg(out), w.symmetry, 0.0, 100.0, QStringLiteral("%"));
    if (t == QLatin1String("Pulse")) {
        const double period = 1.0 / w.frequency;
        if (!std::isfinite(w.edgeTime) || w.edgeTime < m.minEdge || w.edgeTime > period)
            return outside(tr("%1 edge time").arg(out), w.edgeTime, m.minEdge, period, QStringLiteral("s"));
        if (!std::isfinite(w.pulseWidth) || w.pulseWidth < m.minEdge || w.pulseWidth > period)
            return outside(tr("%1 pulse width").arg(out), w.pulseWidth, m.minEdge, period, QStringLiteral("s"));
    }
    return {};
}

QString checkTermination(const ModelInfo &m, int channel, const QString &termination)
{
    if (QString e = checkChannel(m, channel, true); !e.isEmpty())
        return e;
    if (!m.hasTermination)
        return tr("%1 outputs have no termination setting").arg(QString::fromLatin1(m.hardware));
    if (termination != QLatin1String("HiZ") && termination != QLatin1String("50Ohm"))
        return tr("%1 is not an output termination (%2)")
            .arg(termination, choiceText({QStringLiteral("HiZ"), QStringLiteral("50Ohm")}));
    return {};
}

QStringList waveformTypes()
{
    return {QStringLiteral("Off"), QStringLiteral("Sine"), QStringLiteral("Square"), QStringLiteral("Ramp"),
            QStringLiteral("Pulse"), QStringLiteral("DC"), QStringLiteral("Noise")};
}

QString choiceLabel(const QString &word)
{
    if (word == QLatin1String("1MOhm"))
        return QStringLiteral("1 MΩ");
    if (word == QLatin1String("50Ohm"))
        return QStringLiteral("50 Ω");
    if (word == QLatin1String("HiZ"))
        return tr("High-Z");
    if (word == QLatin1String("PeakDetect"))
        return tr("Peak detect");
    // "10Vpp", "400mVpp", "300MHz", "2GHz": a space between number and unit.
    static const QRegularExpression unit(QStringLiteral("^([0-9.]+)(m?Vpp|[kMG]?Hz)$"));
    if (const auto m = unit.match(word); m.hasMatch())
        return m.captured(1) + QLatin1Char(' ') + m.captured(2);
    static const QRegularExpression input(QStringLiteral("^Input([0-9])$"));
    if (const auto m = input.match(word); m.hasMatch())
        return tr("Input %1").arg(m.captured(1));
    return word;
}

QString choiceText(const QStringList &words)
{
    const QStringList values = choiceLabels(words);
    if (values.size() == 1)
        return tr("%1 only").arg(values.first());
    if (values.isEmpty())
        return {};
    return values.mid(0, values.size() - 1).join(QStringLiteral(", ")) + tr(" or ") + values.last();
}

QStringList choiceLabels(const QStringList &words)
{
    QStringList out;
    for (const QString &w : words)
        out << choiceLabel(w);
    return out;
}

} // namespace bs::moku
