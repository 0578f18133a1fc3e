// SPDX-License-Identifier: GPL-3.0-or-later
// Settings: checked against the connected model before they are sent (MokuProtocolModels), written
// with strict true, then read back (get_* or the reply's data) and shown as the Moku holds them.
#include "MokuDriver.h"

#include "MokuDriverParameters.h"
#include "MokuDriverRequests.h"
#include "EngineeringFormat.h"

#include <cmath>

namespace bs::moku {

namespace {

/// The device operation a setting belongs to: "enable", "frontend", "wave", "term", "mode",
/// "rate", "trigger", or empty for settings the driver keeps itself.
QString groupOf(const QString &key, int *channel)
{
    QString field;
    bool output = false;
    *channel = channelOfKey(key, &field, &output);
    if (*channel) {
        if (!output)
            return field == QLatin1String("enable") ? QStringLiteral("enable") : QStringLiteral("frontend");
        return field == QLatin1String("termination") ? QStringLiteral("term") : QStringLiteral("wave");
    }
    if (key == QLatin1String("mode") || key == QLatin1String("rate"))
        return key;
    if (key == QLatin1String("trigger_source") || key == QLatin1String("trigger_level"))
        return QStringLiteral("trigger");
    return {};
}

QString inputKey(int n, const char *field)
{
    return QStringLiteral("in%1_%2").arg(n).arg(QLatin1String(field));
}

QString outputKey(int n, const char *field)
{
    return QStringLiteral("out%1_%2").arg(n).arg(QLatin1String(field));
}

} // namespace

QString MokuDriver::checkSetting(const QString &key, const QVariant &value) const
{
    if (!m_model)
        return {};
    int n = 0;
    const QString group = groupOf(key, &n);
    if (group.isEmpty())
        return {};
    ParameterSet p = m_params;
    p.set(key, value, true);
    const ModelInfo &m = *m_model;
    const ParameterSpec *spec = m_params.spec(key);
    const QString name = spec->group.startsWith(QLatin1String("In")) || spec->group.startsWith(QLatin1String("Out"))
        ? QStringLiteral("%1 %2").arg(spec->group, spec->label.toLower())
        : spec->label;
    QString why;
    if (group == QLatin1String("enable")) {
        why = checkChannel(m, n);
        if (why.isEmpty() && value.toBool())
            why = checkSampleRate(m, p.doubleValue(QStringLiteral("rate")), int(enabledInputs(p, m).size()), true);
        if (!why.isEmpty() && value.toBool() && checkChannel(m, n).isEmpty())
            why += tr(": lower the sample rate first");
    } else if (group == QLatin1String("frontend")) {
        if (key.endsWith(QLatin1String("_bandwidth")) && m.bandwidths.isEmpty())
            why = checkChannel(m, n).isEmpty()
                ? tr("%1 inputs have no bandwidth setting").arg(QString::fromLatin1(m.hardware))
                : checkChannel(m, n);
        else
            why = checkFrontend(m, n, p.stringValue(inputKey(n, "impedance")), p.stringValue(inputKey(n, "coupling")),
                                p.stringValue(inputKey(n, "range")),
                                m.bandwidths.isEmpty() ? QString() : p.stringValue(inputKey(n, "bandwidth")));
    } else if (group == QLatin1String("mode")) {
        why = checkMode(m, value.toString());
    } else if (group == QLatin1String("rate")) {
        why = checkSampleRate(m, value.toDouble(), int(enabledInputs(p, m).size()), true);
    } else if (group == QLatin1String("wave")) {
        why = checkWaveform(m, n, waveformOf(p, n));
    } else if (group == QLatin1String("term")) {
        why = checkTermination(m, n, value.toString());
    } else if (group == QLatin1String("trigger")) {
        why = checkTrigger(m, p.stringValue(QStringLiteral("trigger_source")),
                           p.doubleValue(QStringLiteral("trigger_level")));
    }
    return why.isEmpty() ? QString() : tr("%1: %2").arg(name, why);
}

QString MokuDriver::applyParameter(const QString &key, const QVariant &value)
{
    int n = 0;
    const QString group = groupOf(key, &n);
    if (group.isEmpty() || group == QLatin1String("trigger"))
        return m_model && group == QLatin1String("trigger") ? checkSetting(key, value) : QString();
    if ((m_stream.active || m_starting)
        && (group == QLatin1String("enable") || group == QLatin1String("rate")))
        return tr("%1 cannot change while streaming (Stop first)").arg(m_params.spec(key)->displayName());
    if (!isReady())
        return {}; // written on connecting
    if (QString why = checkSetting(key, value); !why.isEmpty())
        return why;
    // Written once the value is stored; the read-back then shows what the Moku made of it.
    const quint64 ticket = ++m_writeTickets[operationOf(key)];
    QMetaObject::invokeMethod(this, [this, key, ticket] { writeSetting(key, ticket); }, Qt::QueuedConnection);
    return {};
}

QString MokuDriver::operationOf(const QString &key)
{
    int n = 0;
    const QString group = groupOf(key, &n);
    return n ? QStringLiteral("%1:%2").arg(group).arg(n) : group;
}

bool MokuDriver::latest(const QString &key, quint64 ticket) const
{
    return ticket == 0 || m_writeTickets.value(operationOf(key)) == ticket;
}

void MokuDriver::writeSetting(const QString &key, quint64 ticket)
{
    if (!isReady())
        return;
    run(writeSteps(key, false, ticket));
}

void MokuDriver::store(const QList<std::pair<QString, QVariant>> &values)
{
    for (const auto &[k, v] : values)
        updateParameter(k, v);
}

void MokuDriver::deviceRefused(const QString &key, const Result &r)
{
    const ParameterSpec *spec = m_params.spec(key);
    refuseParameter(key, tr("%1: %2").arg(spec ? spec->displayName() : key, r.error));
}

std::vector<MokuDriver::Step> MokuDriver::writeSteps(const QString &key, bool connecting, quint64 ticket)
{
    int n = 0;
    const QString group = groupOf(key, &n);
    std::vector<Step> steps;
    if (!m_model)
        return steps;
    const ModelInfo &m = *m_model;
    // A refusal by the Moku is reported at the setting; the read-back that follows shows what
    // the Moku kept.
    auto onWrite = [this, key, ticket](std::function<void(const Result &)> take) {
        return [this, key, ticket, take](const Result &r) {
            if (!r.ok())
                deviceRefused(key, r);
            else {
                if (!r.reply.messages.isEmpty())
                    Q_EMIT message(tr("Moku: %1").arg(joinMessages(r.reply.messages)));
                if (take && latest(key, ticket))
                    take(r);
            }
            return true;
        };
    };
    if (group == QLatin1String("enable")) {
        steps.push_back({datalogger(QStringLiteral("enable_input"), enableBody(n, m_params.boolValue(key))),
                         onWrite([this, key](const Result &r) {
                             const QJsonValue v = field(r.reply.data, QStringLiteral("enable"));
                             if (v.isBool())
                                 updateParameter(key, v.toBool());
                             if (!m_stream.active)
                                 updateStreams();
                         }),
                         true});
    } else if (group == QLatin1String("frontend")) {
        steps.push_back({datalogger(QStringLiteral("set_frontend"), frontendBody(m, m_params, n)),
                         onWrite([this, n](const Result &r) { store(frontendReadBack(*m_model, n, r.reply.data)); }),
                         true});
    } else if (group == QLatin1String("mode")) {
        steps.push_back({datalogger(QStringLiteral("set_acquisition_mode"),
                                    {{QStringLiteral("strict"), true}, {QStringLiteral("mode"), m_params.stringValue(key)}}),
                         onWrite({}), true});
    } else if (group == QLatin1String("rate")) {
        const double rate = m_params.doubleValue(key);
        const int on = int(enabledInputs(m_params, m).size());
        if (!checkSampleRate(m, rate, on, false).isEmpty()) {
            // Moku:Lab streams faster than it logs (U6): the rate is used by start_streaming only.
            Q_UNUSED(connecting);
            Q_EMIT message(tr("%1 is used for the live stream only: %2")
                               .arg(EngineeringFormat::format(rate, QStringLiteral("Sa/s")),
                                    checkSampleRate(m, rate, on, false)));
        } else {
            steps.push_back({datalogger(QStringLiteral("set_samplerate"),
                                        {{QStringLiteral("strict"), true}, {QStringLiteral("sample_rate"), rate}}),
                             [this, key, ticket](const Result &r) {
                                 if (!latest(key, ticket))
                                     return true; // a newer rate is on its way
                                 if (!r.ok()) {
                                     // Refused: the rate the Moku keeps becomes the setting again.
                                     deviceRefused(key, r);
                                     run({{dataloggerGet(QStringLiteral("get_samplerate")), [this](const Result &g) {
                                               const double v = jsonNumber(field(g.reply.data, QStringLiteral("sample_rate")));
                                               if (g.ok() && std::isfinite(v) && v > 0) {
                                                   updateParameter(QStringLiteral("rate"), v);
                                                   updateParameter(QStringLiteral("actual_rate"), v);
                                               }
                                               return true;
                                           },
                                           true}});
                                     return true;
                                 }
                                 const double v = jsonNumber(field(r.reply.data, QStringLiteral("sample_rate")));
                                 if (std::isfinite(v))
                                     updateParameter(QStringLiteral("actual_rate"), v);
                                 return true;
                             },
                             true});
        }
    } else if (group == QLatin1String("wave")) {
        steps.push_back({datalogger(QStringLiteral("generate_waveform"), waveformBody(n, waveformOf(m_params, n))),
                         onWrite([this, n](const Result &r) { store(waveformReadBack(n, r.reply.data)); }), true});
    } else if (group == QLatin1String("term")) {
        steps.push_back({datalogger(QStringLiteral("set_output_termination"), terminationBody(n, m_params.stringValue(key))),
                         onWrite({}), true});
    }
    for (Step &s : readBackSteps(key, ticket))
        steps.push_back(std::move(s));
    return steps;
}

std::vector<MokuDriver::Step> MokuDriver::readBackSteps(const QString &key, quint64 ticket)
{
    int n = 0;
    const QString group = groupOf(key, &n);
    std::vector<Step> steps;
    if (!m_model)
        return steps;
    // A read-back the Moku refuses is shown, but does not end the sequence.
    auto reported = [this, key, ticket](std::function<void(const Result &)> take) {
        return [this, key, ticket, take](const Result &r) {
            if (!r.ok())
                fail(r.error);
            else if (latest(key, ticket))
                take(r);
            return true;
        };
    };
    if (group == QLatin1String("frontend")) {
        steps.push_back({datalogger(QStringLiteral("get_frontend"), channelBody(n)),
                         reported([this, n](const Result &r) { store(frontendReadBack(*m_model, n, r.reply.data)); }),
                         true});
    } else if (group == QLatin1String("mode")) {
        steps.push_back({dataloggerGet(QStringLiteral("get_acquisition_mode")), reported([this](const Result &r) {
                             const QJsonValue v = field(r.reply.data, QStringLiteral("mode"));
                             if (v.isString())
                                 updateParameter(QStringLiteral("mode"), v.toString());
                         }),
                         true});
    } else if (group == QLatin1String("rate")) {
        steps.push_back({dataloggerGet(QStringLiteral("get_samplerate")), reported([this](const Result &r) {
                             const double v = jsonNumber(field(r.reply.data, QStringLiteral("sample_rate")));
                             if (std::isfinite(v))
                                 updateParameter(QStringLiteral("actual_rate"), v);
                         }),
                         true});
    } else if (group == QLatin1String("term") && m_model->hasTermination) {
        steps.push_back({datalogger(QStringLiteral("get_output_termination"), channelBody(n)),
                         reported([this, n](const Result &r) {
                             const QJsonValue v = field(r.reply.data, QStringLiteral("termination"));
                             if (v.isString())
                                 updateParameter(outputKey(n, "termination"), v.toString());
                         }),
                         true});
    }
    return steps;
}

std::vector<MokuDriver::Step> MokuDriver::connectSteps()
{
    std::vector<Step> steps;
    const ModelInfo &m = *m_model;
    // Settings this model cannot take are refused (at the setting, in the warnings) and left as
    // the Moku holds them (read back).
    auto add = [this, &steps](const QString &key) {
        const QString why = checkSetting(key, m_params.value(key));
        if (!why.isEmpty()) {
            refuseParameter(key, tr("%1 — not applied; the Moku keeps its own value").arg(why));
            for (Step &s : readBackSteps(key))
                steps.push_back(std::move(s));
            return;
        }
        for (Step &s : writeSteps(key, true))
            steps.push_back(std::move(s));
    };
    for (int n = 1; n <= m.inputs; ++n) {
        add(inputKey(n, "enable"));
        for (Step &s : connectFrontendSteps(n))
            steps.push_back(std::move(s));
    }
    add(QStringLiteral("mode"));
    add(QStringLiteral("rate"));
    for (int n = 1; n <= m.outputs; ++n) {
        add(outputKey(n, "type"));
        if (m.hasTermination)
            add(outputKey(n, "termination"));
    }
    const QString trig = checkSetting(QStringLiteral("trigger_source"), m_params.value(QStringLiteral("trigger_source")));
    if (!trig.isEmpty())
        refuseParameter(QStringLiteral("trigger_source"), tr("%1 — choose another before starting").arg(trig));
    return steps;
}

std::vector<MokuDriver::Step> MokuDriver::connectFrontendSteps(int n)
{
    // The Moku's frontend first: a field the session sets to something this model lacks is
    // replaced by the Moku's own value (a warning when the user chose it, silently for a default
    // such as 10 Vpp on a Moku:Pro); then the frontend is written and read back.
    std::vector<Step> steps;
    const QString key = inputKey(n, "range");
    steps.push_back({datalogger(QStringLiteral("get_frontend"), channelBody(n)),
                     [this, n](const Result &r) {
                         if (!r.ok()) {
                             fail(r.error);
                             return true;
                         }
                         const ModelInfo &m = *m_model;
                         for (const auto &[k, v] : frontendReadBack(m, n, r.reply.data)) {
                             const QString f = k.section(QLatin1Char('_'), 1);
                             const QStringList &allowed = f == QLatin1String("impedance") ? m.impedances
                                 : f == QLatin1String("coupling")                          ? m.couplings
                                 : f == QLatin1String("range")                             ? m.ranges
                                                                                           : m.bandwidths;
                             const QVariant mine = m_params.value(k);
                             if (allowed.contains(mine.toString()))
                                 continue;
                             if (mine != m_params.spec(k)->defaultValue) {
                                 // Named as the panel names it, with what this model offers.
                                 const ParameterSpec *spec = m_params.spec(k);
                                 refuseParameter(k, tr("Input %1 %2: %3 inputs have no %4 %2 (%5); not applied, the "
                                                       "Moku keeps %6")
                                                        .arg(QString::number(n), spec->label.toLower(),
                                                             QString::fromLatin1(m.hardware),
                                                             spec->choiceLabel(mine.toString()), choiceText(allowed),
                                                             spec->choiceLabel(v.toString())));
                             }
                             updateParameter(k, v);
                         }
                         return true;
                     },
                     true});
    Step write{{}, [this, key](const Result &r) {
                   if (!r.ok())
                       deviceRefused(key, r);
                   else
                       store(frontendReadBack(*m_model, channelOfKey(key), r.reply.data));
                   return true;
               },
               true};
    write.make = [this, n] {
        const ModelInfo &m = *m_model;
        // Still not for this model (the Moku did not say): read instead of writing.
        if (!checkSetting(inputKey(n, "range"), m_params.value(inputKey(n, "range"))).isEmpty())
            return datalogger(QStringLiteral("get_frontend"), channelBody(n));
        return datalogger(QStringLiteral("set_frontend"), frontendBody(m, m_params, n));
    };
    steps.push_back(std::move(write));
    return steps;
}

StreamInfo MokuDriver::streamInfo() const
{
    StreamInfo s;
    s.id = QStringLiteral("datalogger");
    s.name = tr("Datalogger stream");
    s.regular = true;
    s.nominalRate = m_params.doubleValue(QStringLiteral("rate"));
    if (!m_model)
        return s;
    for (int n : enabledInputs(m_params, *m_model)) {
        ChannelInfo c;
        c.name = tr("Input %1").arg(n);
        c.unit = QStringLiteral("V");
        c.description = tr("ch%1 of the stream").arg(n);
        s.channels << c;
    }
    return s;
}

void MokuDriver::updateStreams()
{
    setStreams({streamInfo()});
}

} // namespace bs::moku
