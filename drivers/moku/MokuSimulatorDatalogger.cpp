// SPDX-License-Identifier: GPL-3.0-or-later
// The Datalogger operations of the Moku simulator (docs/protocols/moku.md §5): front end, inputs,
// acquisition mode, sample rate, waveform generator, outputs, summary, settings files. Limits
// come from the model table (MokuProtocolModels); strict refuses with INVALID_PARAM and the
// table's sentence, non-strict coerces to the nearest valid value and says so in `messages`.
#include "MokuSimulatorPrivate.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace bs::moku {

namespace {

const QString kInvalidParam = QStringLiteral("INVALID_PARAM");

/// Reads the parameters of one call; the first problem is kept in `error`.
struct Params
{
    const QJsonObject &body;
    QString error;

    bool has(const char *key) const { return body.contains(QLatin1String(key)); }

    int integer(const char *key, int fallback, bool required = false)
    {
        const QJsonValue v = body.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required && error.isEmpty())
                error = QStringLiteral("%1 is required").arg(QLatin1String(key));
            return fallback;
        }
        const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!v.isDouble() || d != std::floor(d) || std::abs(d) > 1e9) {
            if (error.isEmpty())
                error = QStringLiteral("%1 must be an integer").arg(QLatin1String(key));
            return fallback;
        }
        return int(d);
    }
    double number(const char *key, double fallback, bool required = false)
    {
        const QJsonValue v = body.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required && error.isEmpty())
                error = QStringLiteral("%1 is required").arg(QLatin1String(key));
            return fallback;
        }
        if (!v.isDouble()) {
            if (error.isEmpty())
                error = QStringLiteral("%1 must be a number").arg(QLatin1String(key));
            return fallback;
        }
        return v.toDouble();
    }
    QString string(const char *key, const QString &fallback, bool required = false)
    {
        const QJsonValue v = body.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required && error.isEmpty())
                error = QStringLiteral("%1 is required").arg(QLatin1String(key));
            return fallback;
        }
        if (!v.isString()) {
            if (error.isEmpty())
                error = QStringLiteral("%1 must be a string").arg(QLatin1String(key));
            return fallback;
        }
        return v.toString();
    }
    bool boolean(const char *key, bool fallback)
    {
        const QJsonValue v = body.value(QLatin1String(key));
        if (v.isUndefined())
            return fallback;
        if (!v.isBool()) {
            if (error.isEmpty())
                error = QStringLiteral("%1 must be true or false").arg(QLatin1String(key));
            return fallback;
        }
        return v.toBool();
    }
};

/// The choice nearest to `value`: a range by its Vpp, else the first one.
QString nearestChoice(const QStringList &choices, const QString &value)
{
    if (choices.contains(value))
        return value;
    const double v = rangeVpp(value);
    QString best = choices.value(0);
    if (v > 0) {
        double bestDist = std::numeric_limits<double>::infinity();
        for (const QString &c : choices) {
            const double dist = std::abs(std::log(rangeVpp(c) / v));
            if (rangeVpp(c) > 0 && dist < bestDist) {
                bestDist = dist;
                best = c;
            }
        }
    }
    return best;
}

QString num(double v)
{
    return QString::number(v, 'g', 10);
}

} // namespace

void MokuSimulatorPrivate::resetInstrument()
{
    inputs.assign(std::size_t(model.inputs), InputSettings{});
    for (auto &in : inputs) {
        in.impedance = model.impedances.contains(QStringLiteral("1MOhm")) ? QStringLiteral("1MOhm") : model.impedances.first();
        in.range = model.ranges.contains(QStringLiteral("10Vpp")) ? QStringLiteral("10Vpp") : model.ranges.last();
        in.bandwidth = model.bandwidths.value(0);
    }
    outputs.assign(std::size_t(model.outputs), WaveformSettings{});
    terminations.assign(std::size_t(model.outputs), QStringLiteral("HiZ"));
    sampleRate = 1000;
    acquisitionMode = QStringLiteral("Normal");
}

int MokuSimulatorPrivate::enabledInputs() const
{
    int n = 0;
    for (const auto &in : inputs)
        n += in.enabled ? 1 : 0;
    return n;
}

QJsonObject MokuSimulatorPrivate::frontendJson(int channel) const
{
    const InputSettings &in = inputs[std::size_t(channel - 1)];
    QJsonObject o{{QStringLiteral("coupling"), in.coupling},
                  {QStringLiteral("impedance"), in.impedance},
                  {QStringLiteral("range"), in.range}};
    const QString bw = reportedBandwidth(model, in.impedance, in.bandwidth);
    if (!bw.isEmpty())
        o.insert(QStringLiteral("bandwidth"), bw);
    return o;
}

QJsonObject MokuSimulatorPrivate::waveformJson(int channel) const
{
    const WaveformSettings &w = outputs[std::size_t(channel - 1)];
    QJsonObject o{{QStringLiteral("type"), w.type}};
    if (w.type == QLatin1String("Off"))
        return o;
    if (w.type == QLatin1String("DC")) {
        o.insert(QStringLiteral("dc_level"), w.dcLevel);
        return o;
    }
    o.insert(QStringLiteral("amplitude"), w.amplitude);
    o.insert(QStringLiteral("offset"), w.offset);
    if (w.type == QLatin1String("Noise"))
        return o;
    o.insert(QStringLiteral("frequency"), w.frequency);
    o.insert(QStringLiteral("phase"), w.phase);
    if (w.type == QLatin1String("Square"))
        o.insert(QStringLiteral("duty"), w.duty);
    if (w.type == QLatin1String("Ramp"))
        o.insert(QStringLiteral("symmetry"), w.symmetry);
    if (w.type == QLatin1String("Pulse")) {
        o.insert(QStringLiteral("edge_time"), w.edgeTime);
        o.insert(QStringLiteral("pulse_width"), w.pulseWidth);
    }
    return o;
}

QString MokuSimulatorPrivate::summaryText() const
{
    QStringList lines{QStringLiteral("%1 Data Logger").arg(QString::fromLatin1(model.hardware))};
    for (int c = 1; c <= model.inputs; ++c) {
        const InputSettings &in = inputs[std::size_t(c - 1)];
        lines << QStringLiteral("Input %1 (%2), %3 coupling, %4 range, %5")
                     .arg(c)
                     .arg(in.enabled ? QStringLiteral("on") : QStringLiteral("off"), in.coupling, in.range, in.impedance);
    }
    lines << QStringLiteral("Acquisition rate: %1 Hz, %2 mode")
                 .arg(QString::number(sampleRate, 'e', 10), acquisitionMode);
    for (int c = 1; c <= model.outputs; ++c) {
        const WaveformSettings &w = outputs[std::size_t(c - 1)];
        if (w.type == QLatin1String("Off"))
            lines << QStringLiteral("Output %1 (off)").arg(c);
        else
            lines << QStringLiteral("Output %1 (on) - %2, %3 Hz, %4 Vpp, offset %5 V")
                         .arg(c)
                         .arg(w.type, num(w.frequency), num(w.amplitude), num(w.offset));
    }
    return lines.join(QLatin1Char('\n'));
}

QJsonObject MokuSimulatorPrivate::settingsJson() const
{
    QJsonArray ins, outs;
    for (int c = 1; c <= model.inputs; ++c) {
        QJsonObject f = frontendJson(c);
        f.insert(QStringLiteral("enable"), inputs[std::size_t(c - 1)].enabled);
        f.insert(QStringLiteral("bandwidth"), inputs[std::size_t(c - 1)].bandwidth);
        ins.append(f);
    }
    for (int c = 1; c <= model.outputs; ++c) {
        const WaveformSettings &w = outputs[std::size_t(c - 1)];
        outs.append(QJsonObject{{QStringLiteral("type"), w.type},         {QStringLiteral("amplitude"), w.amplitude},
                                {QStringLiteral("frequency"), w.frequency}, {QStringLiteral("offset"), w.offset},
                                {QStringLiteral("phase"), w.phase},       {QStringLiteral("duty"), w.duty},
                                {QStringLiteral("symmetry"), w.symmetry}, {QStringLiteral("dc_level"), w.dcLevel},
                                {QStringLiteral("edge_time"), w.edgeTime}, {QStringLiteral("pulse_width"), w.pulseWidth},
                                {QStringLiteral("termination"), terminations[std::size_t(c - 1)]}});
    }
    return {{QStringLiteral("format"), QStringLiteral("BenchScope Moku simulator settings 1")},
            {QStringLiteral("instrument"), QStringLiteral("Datalogger")},
            {QStringLiteral("hardware"), QString::fromLatin1(model.hardware)},
            {QStringLiteral("sample_rate"), sampleRate},
            {QStringLiteral("mode"), acquisitionMode},
            {QStringLiteral("inputs"), ins},
            {QStringLiteral("outputs"), outs}};
}

QString MokuSimulatorPrivate::applySettings(const QJsonObject &s)
{
    if (s.value(QStringLiteral("format")).toString() != QLatin1String("BenchScope Moku simulator settings 1"))
        return QStringLiteral("Not a settings file this Moku can load (saved by save_settings of the BenchScope simulator)");
    if (s.value(QStringLiteral("hardware")).toString() != QLatin1String(model.hardware))
        return QStringLiteral("The settings are for %1, this is %2")
            .arg(s.value(QStringLiteral("hardware")).toString(), QString::fromLatin1(model.hardware));
    const QJsonArray ins = s.value(QStringLiteral("inputs")).toArray();
    const QJsonArray outs = s.value(QStringLiteral("outputs")).toArray();
    if (ins.size() != model.inputs || outs.size() != model.outputs)
        return QStringLiteral("The settings file has %1 inputs and %2 outputs, %3 has %4 and %5")
            .arg(ins.size()).arg(outs.size()).arg(QString::fromLatin1(model.hardware)).arg(model.inputs).arg(model.outputs);
    std::vector<InputSettings> newIns = inputs;
    std::vector<WaveformSettings> newOuts = outputs;
    std::vector<QString> newTerms = terminations;
    for (int c = 1; c <= model.inputs; ++c) {
        const QJsonObject f = ins[c - 1].toObject();
        InputSettings &in = newIns[std::size_t(c - 1)];
        in.enabled = f.value(QStringLiteral("enable")).toBool(true);
        in.impedance = f.value(QStringLiteral("impedance")).toString();
        in.coupling = f.value(QStringLiteral("coupling")).toString();
        in.range = f.value(QStringLiteral("range")).toString();
        in.bandwidth = f.value(QStringLiteral("bandwidth")).toString();
        if (QString e = checkFrontend(model, c, in.impedance, in.coupling, in.range,
                                      model.bandwidths.isEmpty() ? QString() : in.bandwidth);
            !e.isEmpty())
            return e;
    }
    for (int c = 1; c <= model.outputs; ++c) {
        const QJsonObject o = outs[c - 1].toObject();
        WaveformSettings &w = newOuts[std::size_t(c - 1)];
        w.type = o.value(QStringLiteral("type")).toString();
        w.amplitude = o.value(QStringLiteral("amplitude")).toDouble();
        w.frequency = o.value(QStringLiteral("frequency")).toDouble();
        w.offset = o.value(QStringLiteral("offset")).toDouble();
        w.phase = o.value(QStringLiteral("phase")).toDouble();
        w.duty = o.value(QStringLiteral("duty")).toDouble();
        w.symmetry = o.value(QStringLiteral("symmetry")).toDouble();
        w.dcLevel = o.value(QStringLiteral("dc_level")).toDouble();
        w.edgeTime = o.value(QStringLiteral("edge_time")).toDouble();
        w.pulseWidth = o.value(QStringLiteral("pulse_width")).toDouble();
        if (QString e = checkWaveform(model, c, w); !e.isEmpty())
            return e;
        newTerms[std::size_t(c - 1)] = o.value(QStringLiteral("termination")).toString(QStringLiteral("HiZ"));
    }
    const QString mode = s.value(QStringLiteral("mode")).toString();
    if (QString e = checkMode(model, mode); !e.isEmpty())
        return e;
    int on = 0;
    for (const auto &in : newIns)
        on += in.enabled ? 1 : 0;
    const double rate = s.value(QStringLiteral("sample_rate")).toDouble();
    if (QString e = checkSampleRate(model, rate, on, false); !e.isEmpty())
        return e;
    inputs = newIns;
    outputs = newOuts;
    terminations = newTerms;
    acquisitionMode = mode;
    sampleRate = rate;
    return {};
}

SimReply MokuSimulatorPrivate::datalogger(const SimCall &call, const QString &op, const QJsonObject &body)
{
    Params p{body, {}};
    const bool strict = p.boolean("strict", true);
    QStringList messages;
    const QString hw = QString::fromLatin1(model.hardware);
    auto invalid = [&](const QString &m) { return fail(kInvalidParam, m); };
    // channel: never coerced
    auto channelOf = [&](bool output) -> int {
        const int c = p.integer("channel", 0, true);
        if (!p.error.isEmpty())
            return 0;
        if (QString e = checkChannel(model, c, output); !e.isEmpty()) {
            p.error = e;
            return 0;
        }
        return c;
    };

    if (op == QLatin1String("set_frontend") || op == QLatin1String("get_frontend")) {
        const int c = channelOf(false);
        if (!p.error.isEmpty())
            return invalid(p.error);
        if (op == QLatin1String("get_frontend"))
            return ok(frontendJson(c));
        InputSettings &in = inputs[std::size_t(c - 1)];
        QString impedance = p.string("impedance", in.impedance);
        QString coupling = p.string("coupling", in.coupling);
        QString range = p.string("range", in.range);
        QString bandwidth = p.string("bandwidth", QString());
        if (!p.error.isEmpty())
            return invalid(p.error);
        if (model.model == Model::Delta && !bandwidth.isEmpty()
            && bandwidth == reportedBandwidth(model, impedance, {}))
            bandwidth.clear(); // Delta: the bandwidth follows the impedance; naming it is fine
        const QString e = checkFrontend(model, c, impedance, coupling, range, bandwidth);
        if (!e.isEmpty()) {
            if (strict)
                return invalid(e);
            auto coerce = [&](const QStringList &choices, QString &v, const char *what) {
                const QString n = nearestChoice(choices, v);
                if (n != v)
                    messages << QStringLiteral("Input %1 %2 %3 coerced to %4").arg(c).arg(QLatin1String(what), v, n);
                v = n;
            };
            coerce(model.impedances, impedance, "impedance");
            coerce(model.couplings, coupling, "coupling");
            coerce(model.ranges, range, "range");
            if (!bandwidth.isEmpty()) {
                if (model.bandwidths.isEmpty()) {
                    messages << QStringLiteral("%1 inputs have no bandwidth setting: %2 ignored").arg(hw, bandwidth);
                    bandwidth.clear();
                } else {
                    coerce(model.bandwidths, bandwidth, "bandwidth");
                }
            }
        }
        in.impedance = impedance;
        in.coupling = coupling;
        in.range = range;
        if (!bandwidth.isEmpty())
            in.bandwidth = bandwidth;
        return ok(frontendJson(c), messages);
    }

    if (op == QLatin1String("enable_input") || op == QLatin1String("disable_channel")) {
        const int c = channelOf(false);
        bool enable = op == QLatin1String("enable_input") ? p.boolean("enable", true) : !p.boolean("disable", true);
        if (!p.error.isEmpty())
            return invalid(p.error);
        inputs[std::size_t(c - 1)].enabled = enable;
        // Moku:Pro: more inputs on lower the highest rate; the device lowers the rate with them.
        const double hi = maxSampleRate(model, enabledInputs(), false);
        if (sampleRate > hi) {
            messages << QStringLiteral("Sample rate lowered from %1 to %2 Sa/s for %3 inputs on")
                            .arg(num(sampleRate), num(hi))
                            .arg(enabledInputs());
            sampleRate = hi;
        }
        if (op == QLatin1String("disable_channel"))
            return ok(QJsonObject{{QStringLiteral("disable"), !enable}}, messages);
        return ok(QJsonObject{{QStringLiteral("enable"), enable}}, messages);
    }

    if (op == QLatin1String("set_acquisition_mode")) {
        QString mode = p.string("mode", QStringLiteral("Normal"));
        if (!p.error.isEmpty())
            return invalid(p.error);
        if (QString e = checkMode(model, mode); !e.isEmpty()) {
            if (strict)
                return invalid(e);
            messages << QStringLiteral("Acquisition mode %1 coerced to Normal (%2)").arg(mode, e);
            mode = QStringLiteral("Normal");
        }
        acquisitionMode = mode;
        return ok(QJsonObject{{QStringLiteral("mode"), mode}}, messages);
    }
    if (op == QLatin1String("get_acquisition_mode"))
        return ok(QJsonObject{{QStringLiteral("mode"), acquisitionMode}});

    if (op == QLatin1String("set_samplerate")) {
        double rate = p.number("sample_rate", 0, true);
        if (!p.error.isEmpty())
            return invalid(p.error);
        if (QString e = checkSampleRate(model, rate, enabledInputs(), false); !e.isEmpty()) {
            if (strict || !std::isfinite(rate))
                return invalid(e);
            const double c = std::clamp(rate, model.minRate, maxSampleRate(model, enabledInputs(), false));
            messages << QStringLiteral("Sample rate %1 coerced to %2 Sa/s (%3)").arg(num(rate), num(c), e);
            rate = c;
        }
        sampleRate = rate;
        return ok(QJsonObject{{QStringLiteral("sample_rate"), rate}}, messages);
    }
    if (op == QLatin1String("get_samplerate"))
        return ok(QJsonObject{{QStringLiteral("sample_rate"), sampleRate}});

    if (op == QLatin1String("generate_waveform")) {
        const int c = channelOf(true);
        if (!p.error.isEmpty())
            return invalid(p.error);
        WaveformSettings w = outputs[std::size_t(c - 1)];
        w.type = p.string("type", QString(), true);
        w.amplitude = p.number("amplitude", 1);
        w.frequency = p.number("frequency", 10000);
        w.offset = p.number("offset", 0);
        w.phase = p.number("phase", 0);
        w.duty = p.number("duty", 50);
        w.symmetry = p.number("symmetry", 50);
        w.dcLevel = p.number("dc_level", 0);
        const double period = w.frequency > 0 ? 1.0 / w.frequency : 0;
        w.edgeTime = p.number("edge_time", std::max(model.minEdge, period / 10));
        w.pulseWidth = p.number("pulse_width", std::max(model.minEdge, period / 2));
        if (!p.error.isEmpty())
            return invalid(p.error);
        if (QString e = checkWaveform(model, c, w); !e.isEmpty()) {
            if (strict || !waveformTypes().contains(w.type))
                return invalid(e);
            // Coerce every number into its range, then report what changed.
            const WaveformSettings asked = w;
            auto clampTo = [](double v, double lo, double hi) { return std::isfinite(v) ? std::clamp(v, lo, hi) : lo; };
            w.frequency = clampTo(w.frequency, 1e-3, model.maxFrequency);
            const double maxAmp = w.frequency > model.highFrequency ? model.highAmplitude : model.maxAmplitude;
            w.amplitude = clampTo(w.amplitude, model.minAmplitude, maxAmp);
            w.offset = clampTo(w.offset, -5, 5);
            w.phase = clampTo(w.phase, 0, 360);
            w.duty = clampTo(w.duty, 0, 100);
            w.symmetry = clampTo(w.symmetry, 0, 100);
            w.dcLevel = clampTo(w.dcLevel, -5, 5);
            const double per = 1.0 / w.frequency;
            w.edgeTime = clampTo(w.edgeTime, model.minEdge, per);
            w.pulseWidth = clampTo(w.pulseWidth, model.minEdge, per);
            auto note = [&](const char *what, double a, double b) {
                if (a != b)
                    messages << QStringLiteral("Output %1 %2 %3 coerced to %4").arg(c).arg(QLatin1String(what), num(a), num(b));
            };
            note("frequency", asked.frequency, w.frequency);
            note("amplitude", asked.amplitude, w.amplitude);
            note("offset", asked.offset, w.offset);
            note("phase", asked.phase, w.phase);
            note("duty", asked.duty, w.duty);
            note("symmetry", asked.symmetry, w.symmetry);
            note("dc_level", asked.dcLevel, w.dcLevel);
            note("edge_time", asked.edgeTime, w.edgeTime);
            note("pulse_width", asked.pulseWidth, w.pulseWidth);
        }
        outputs[std::size_t(c - 1)] = w;
        return ok(waveformJson(c), messages);
    }
    if (op == QLatin1String("sync_output_phase"))
        return ok();

    if (op == QLatin1String("set_output_termination") || op == QLatin1String("set_output_load")) {
        const int c = channelOf(true);
        const bool load = op == QLatin1String("set_output_load");
        QString t = p.string(load ? "load" : "termination", QString(), true);
        if (!p.error.isEmpty())
            return invalid(p.error);
        if (load) // deprecated spelling: 1MOhm load = high impedance
            t = t == QLatin1String("1MOhm") ? QStringLiteral("HiZ") : t;
        if (QString e = checkTermination(model, c, t); !e.isEmpty())
            return invalid(e);
        terminations[std::size_t(c - 1)] = t;
        return ok(QJsonObject{{QStringLiteral("termination"), t}});
    }
    if (op == QLatin1String("get_output_termination") || op == QLatin1String("get_output_load")) {
        const int c = channelOf(true);
        if (!p.error.isEmpty())
            return invalid(p.error);
        if (!model.hasTermination)
            return invalid(QStringLiteral("%1 outputs have no termination setting").arg(hw));
        const QString t = terminations[std::size_t(c - 1)];
        if (op == QLatin1String("get_output_load"))
            return ok(QJsonObject{{QStringLiteral("load"), t == QLatin1String("HiZ") ? QStringLiteral("1MOhm") : t}});
        return ok(QJsonObject{{QStringLiteral("termination"), t}});
    }

    if (op == QLatin1String("summary"))
        return ok(summaryText());
    if (op == QLatin1String("save_settings")) {
        SimReply r;
        r.contentType = "application/octet-stream";
        r.body = QJsonDocument(settingsJson()).toJson();
        return r;
    }
    if (op == QLatin1String("load_settings")) {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(call.body, &err);
        const QString e = doc.isObject() ? applySettings(doc.object())
                                         : QStringLiteral("Not a settings file this Moku can load (%1)").arg(err.errorString());
        return e.isEmpty() ? ok() : invalid(e);
    }

    if (op == QLatin1String("start_logging")) {
        if (!p.error.isEmpty())
            return invalid(p.error);
        return startLogging(body, strict);
    }
    if (op == QLatin1String("logging_progress"))
        return loggingProgress();
    if (op == QLatin1String("stop_logging"))
        return stopLogging();
    if (op == QLatin1String("start_streaming"))
        return startStreaming(body);
    if (op == QLatin1String("stop_streaming"))
        return stopStreaming();
    if (op == QLatin1String("get_stream_status"))
        return streamStatus();
    return notFound(call.path.join(QLatin1Char('/')));
}

} // namespace bs::moku
