// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuDriverParameters.h"

#include "MokuDriverRequests.h"
#include "MokuProtocolModels.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace bs::moku {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::moku::MokuDriver", text);
}

/// For each model (as `describe` names it), the values of one of its tables: what a choice list
/// offers once the model is known (ParameterSpec::choicesDependOn).
QHash<QString, QStringList> byModel(QStringList ModelInfo::*field)
{
    QHash<QString, QStringList> out;
    for (const ModelInfo &m : models())
        out.insert(QString::fromLatin1(m.hardware), m.*field);
    return out;
}

/// An Enum setting whose values are the API's words, shown as a technician reads them.
ParameterSpec &addChoice(ParameterSet &p, const QString &key, const QString &label, const QStringList &words,
                         const QString &def, const QString &group)
{
    return p.addEnum(key, label, words, def, group).withLabels(choiceLabels(words));
}

/// Models that have channel n (inputs and outputs alike).
QStringList modelsWithChannel(int n)
{
    if (n <= 2)
        return {QStringLiteral("Moku:Go"), QStringLiteral("Moku:Lab"), QStringLiteral("Moku:Pro"),
                QStringLiteral("Moku:Delta")};
    if (n <= 4)
        return {QStringLiteral("Moku:Pro"), QStringLiteral("Moku:Delta")};
    return {QStringLiteral("Moku:Delta")};
}

void addInput(ParameterSet &p, int n)
{
    const QString k = QStringLiteral("in%1_").arg(n);
    const QString g = tr("Input %1").arg(n);
    auto &en = p.addBool(k + QStringLiteral("enable"), tr("Enabled"), n <= 2, g);
    en.toolTip = tr("Record this input (enable_input); the stream carries only enabled inputs");
    if (n > 2)
        en.onlyWhen(QStringLiteral("model"), modelsWithChannel(n));
    const QStringList on{QStringLiteral("true")};
    // The lists offer what the connected model takes (§8); before connecting, every value.
    const QString model = QStringLiteral("model");
    addChoice(p, k + QStringLiteral("impedance"), tr("Impedance"), {QStringLiteral("1MOhm"), QStringLiteral("50Ohm")},
              QStringLiteral("1MOhm"), g)
        .onlyWhen(k + QStringLiteral("enable"), on)
        .choicesDependOn(model, byModel(&ModelInfo::impedances))
        .toolTip = tr("Moku:Go has 1 MΩ only");
    addChoice(p, k + QStringLiteral("coupling"), tr("Coupling"), {QStringLiteral("DC"), QStringLiteral("AC")},
              QStringLiteral("DC"), g)
        .onlyWhen(k + QStringLiteral("enable"), on)
        .choicesDependOn(model, byModel(&ModelInfo::couplings));
    addChoice(p, k + QStringLiteral("range"), tr("Range"),
              {QStringLiteral("100mVpp"), QStringLiteral("400mVpp"), QStringLiteral("1Vpp"), QStringLiteral("4Vpp"),
               QStringLiteral("10Vpp"), QStringLiteral("40Vpp"), QStringLiteral("50Vpp")},
              QStringLiteral("10Vpp"), g)
        .onlyWhen(k + QStringLiteral("enable"), on)
        .choicesDependOn(model, byModel(&ModelInfo::ranges))
        .toolTip = tr("Go: 10 or 50 Vpp; Lab: 1 or 10 Vpp; Pro: 400 mVpp, 4 or 40 Vpp; "
                      "Delta: 100 mVpp, 1, 10 or 40 Vpp");
    addChoice(p, k + QStringLiteral("bandwidth"), tr("Bandwidth"), {QStringLiteral("300MHz"), QStringLiteral("600MHz")},
              QStringLiteral("300MHz"), g)
        // Only on a Moku:Pro, and only on an input it has (none beyond 4: never relevant).
        .onlyWhen(QStringLiteral("model"), modelsWithChannel(n).contains(QStringLiteral("Moku:Pro"))
                                               ? QStringList{QStringLiteral("Moku:Pro")}
                                               : QStringList{})
        .toolTip = tr("Moku:Pro only (Moku:Delta's follows the impedance)");
}

void addOutput(ParameterSet &p, int n)
{
    const QString k = QStringLiteral("out%1_").arg(n);
    const QString g = tr("Output %1").arg(n);
    auto &type = p.addEnum(k + QStringLiteral("type"), tr("Waveform"),
                           {QStringLiteral("Off"), QStringLiteral("Sine"), QStringLiteral("Square"),
                            QStringLiteral("Ramp"), QStringLiteral("Pulse"), QStringLiteral("DC"),
                            QStringLiteral("Noise")},
                           QStringLiteral("Off"), g);
    type.toolTip = tr("The Datalogger's built-in waveform generator (generate_waveform)");
    if (n > 2)
        type.onlyWhen(QStringLiteral("model"), modelsWithChannel(n));
    const QString t = k + QStringLiteral("type");
    const QStringList periodic{QStringLiteral("Sine"), QStringLiteral("Square"), QStringLiteral("Ramp"),
                               QStringLiteral("Pulse")};
    p.addDouble(k + QStringLiteral("amplitude"), tr("Amplitude"), 1.0, 1e-3, 10.0, g, QStringLiteral("Vpp"))
        .onlyWhen(t, periodic + QStringList{QStringLiteral("Noise")});
    p.addDouble(k + QStringLiteral("frequency"), tr("Frequency"), 1000.0, 1e-3, 2e9, g, QStringLiteral("Hz"))
        .onlyWhen(t, periodic);
    p.addDouble(k + QStringLiteral("offset"), tr("Offset"), 0.0, -5.0, 5.0, g, QStringLiteral("V"))
        .onlyWhen(t, periodic + QStringList{QStringLiteral("Noise")});
    p.addDouble(k + QStringLiteral("phase"), tr("Phase"), 0.0, 0.0, 360.0, g, QStringLiteral("°")).onlyWhen(t, periodic);
    p.addDouble(k + QStringLiteral("duty"), tr("Duty cycle"), 50.0, 0.0, 100.0, g, QStringLiteral("%"))
        .onlyWhen(t, {QStringLiteral("Square")});
    p.addDouble(k + QStringLiteral("symmetry"), tr("Symmetry"), 50.0, 0.0, 100.0, g, QStringLiteral("%"))
        .onlyWhen(t, {QStringLiteral("Ramp")});
    p.addDouble(k + QStringLiteral("dc_level"), tr("DC level"), 0.0, -5.0, 5.0, g, QStringLiteral("V"))
        .onlyWhen(t, {QStringLiteral("DC")});
    p.addDouble(k + QStringLiteral("edge_time"), tr("Edge time"), 100e-9, 0.5e-9, 1.0, g, QStringLiteral("s"))
        .onlyWhen(t, {QStringLiteral("Pulse")});
    p.addDouble(k + QStringLiteral("pulse_width"), tr("Pulse width"), 100e-6, 0.5e-9, 1e3, g, QStringLiteral("s"))
        .onlyWhen(t, {QStringLiteral("Pulse")});
    QStringList term = modelsWithChannel(n);
    term.removeAll(QStringLiteral("Moku:Go"));
    addChoice(p, k + QStringLiteral("termination"), tr("Termination"), {QStringLiteral("HiZ"), QStringLiteral("50Ohm")},
              QStringLiteral("HiZ"), g)
        .onlyWhen(QStringLiteral("model"), term)
        .toolTip = tr("The load the output drives (not on Moku:Go): amplitudes are set for this load");
}

} // namespace

void addParameters(ParameterSet &p, QVector<ActionSpec> &actions)
{
    const QString conn = tr("Connection");
    p.addBool(QStringLiteral("force_connect"), tr("Take over from another client"), false, conn).toolTip =
        tr("Claim the Moku even when another program (the Moku app, a script) owns it; that program "
           "loses its connection");
    p.addString(QStringLiteral("bridge"), tr("Stream bridge"), QString(), conn).toolTip =
        tr("Empty: BenchScope starts mokucli stream itself. host:port: a mokucli stream bridge "
           "already listening there (NDJSON)");
    p.addString(QStringLiteral("mokucli"), tr("mokucli program"), QString(), conn).toolTip =
        tr("Path of Liquid Instruments' mokucli (4.0.1 or later). Empty: $MOKU_CLI_PATH, then PATH");
    p.addDouble(QStringLiteral("timeout"), tr("Reply timeout"), 30, 1, 300, conn, QStringLiteral("s")).toolTip =
        tr("How long one REST call may take");
    p.addDouble(QStringLiteral("deploy_timeout"), tr("Deploy timeout"), 60, 5, 600, conn, QStringLiteral("s"))
        .toolTip = tr("How long the first Datalogger call may take while the Moku loads the instrument");

    // Set by the driver when a claim was refused because another client owns the Moku: enables
    // the Take over action (the panel asks first, naming the owner the Moku reported).
    auto &owned = p.addBool(QStringLiteral("owned_by_other"), tr("Owned by another client"), false, conn);
    owned.readOnly = true;
    owned.persistent = false;
    owned.shown = false;

    const QString dev = tr("Device");
    for (const auto &[key, label] : {std::pair{"model", "Model"}, std::pair{"mokuos", "MokuOS"},
                                     std::pair{"name", "Name"}, std::pair{"serial", "Serial number"}}) {
        auto &s = p.addString(QString::fromLatin1(key), tr(label), QString(), dev);
        s.readOnly = true;
        s.persistent = false;
    }

    for (int n = 1; n <= maxChannels; ++n)
        addInput(p, n);

    const QString acq = tr("Acquisition");
    addChoice(p, QStringLiteral("mode"), tr("Acquisition mode"),
              {QStringLiteral("Normal"), QStringLiteral("Precision"), QStringLiteral("PeakDetect")},
              QStringLiteral("Normal"), acq)
        .choicesDependOn(QStringLiteral("model"), byModel(&ModelInfo::modes))
        .toolTip = tr("Normal: decimate; Precision: average down to the rate (less noise); PeakDetect: "
                      "keep extremes (not on Moku:Lab)");
    p.addDouble(QStringLiteral("rate"), tr("Sample rate"), 1000, 10, 10e6, acq, QStringLiteral("Sa/s")).toolTip =
        tr("Go 10 Sa/s … 1 MSa/s; Lab … 250 kSa/s (1 MSa/s streaming); Pro … 10 MSa/s (5 MSa/s with 2 "
           "inputs, 1.25 MSa/s with 3–4); Delta … 10 MSa/s");
    auto &actual = p.addDouble(QStringLiteral("actual_rate"), tr("Actual sample rate"), 0, 0, 1e12, acq,
                               QStringLiteral("Sa/s"));
    actual.readOnly = true;
    actual.persistent = false;
    auto &duration = p.addInt(QStringLiteral("duration"), tr("Stream duration"), 0, 0, kLongestStreamS, acq,
                              QStringLiteral("s"));
    duration.specialValueText = tr("Until Stop");
    duration.toolTip = tr("Until Stop (0): the stream runs until you press Stop (the Moku is asked for its "
                          "longest stream, about 116 days, and says so an hour before it ends). A number of "
                          "seconds: the stream ends by itself after that time (Stop ends it earlier)");
    QStringList sources{QStringLiteral("None")};
    for (int n = 1; n <= maxChannels; ++n)
        sources << QStringLiteral("Input%1").arg(n);
    sources << QStringLiteral("External");
    QHash<QString, QStringList> sourcesByModel = byModel(&ModelInfo::triggerSources);
    for (QStringList &s : sourcesByModel)
        s.prepend(QStringLiteral("None"));
    addChoice(p, QStringLiteral("trigger_source"), tr("Start trigger"), sources, QStringLiteral("None"), acq)
        .choicesDependOn(QStringLiteral("model"), sourcesByModel)
        .toolTip =
        tr("None: start at once; else the stream (and a log) waits for this source to cross the level");
    p.addDouble(QStringLiteral("trigger_level"), tr("Trigger level"), 0, -5, 5, acq, QStringLiteral("V"))
        .onlyWhen(QStringLiteral("trigger_source"), sources.mid(1));

    for (int n = 1; n <= maxChannels; ++n)
        addOutput(p, n);

    const QString log = tr("Logging");
    p.addInt(QStringLiteral("log_duration"), tr("Log duration"), 60, 1, 31536000, log, QStringLiteral("s"));
    p.addInt(QStringLiteral("log_delay"), tr("Log start delay"), 0, 0, 86400, log, QStringLiteral("s"));
    p.addString(QStringLiteral("log_prefix"), tr("Log file prefix"), QStringLiteral("MokuDataLoggerData"), log);
    p.addString(QStringLiteral("log_comments"), tr("Log comments"), QString(), log);
    p.addBool(QStringLiteral("log_download"), tr("Download when done"), true, log).toolTip =
        tr("Fetch the .li file from the Moku once the log has finished");
    p.addEnum(QStringLiteral("log_convert"), tr("Convert with mokucli"),
              {QStringLiteral("none"), QStringLiteral("csv"), QStringLiteral("hdf5"), QStringLiteral("npy"),
               QStringLiteral("mat")},
              QStringLiteral("none"), log)
        .withLabels({tr("No"), tr("CSV"), tr("HDF5"), tr("NumPy (.npy)"), tr("MATLAB (.mat)")})
        .toolTip = tr("After the download, convert the .li file with mokucli convert (needs mokucli)");
    p.addString(QStringLiteral("download_folder"), tr("Download folder"), QString(), log).toolTip =
        tr("Where log files go. Empty: the folder of the current recording, else Documents/BenchScope");
    auto &file = p.addString(QStringLiteral("log_file"), tr("Last log file"), QString(), log);
    file.readOnly = true;
    file.persistent = false;
    p.addString(QStringLiteral("settings_file"), tr("Settings file"), QString(), log).toolTip =
        tr("The Moku's own settings file (.mokuconf) used by Save / Load settings");

    actions = {
        {QStringLiteral("take_over"), tr("Take over and connect"), conn,
         tr("Connect with force_connect: the program that owns the Moku loses it"),
         QStringLiteral("owned_by_other"),
         tr("Taking over makes the Moku drop the program that owns it now (the Moku app, a script "
            "or another BenchScope): that program loses its connection at once, and a stream or "
            "log it was running is no longer under its control. Take over only when nobody is "
            "using the Moku now.")},
        {QStringLiteral("log_start"), tr("Start logging"), log,
         tr("Log to the Moku's own storage (start_logging), independent of the live stream")},
        {QStringLiteral("log_stop"), tr("Stop logging"), log, tr("End the on-device log early; the file is kept")},
        {QStringLiteral("log_download"), tr("Download log"), log, tr("Fetch the last log file from the Moku")},
        {QStringLiteral("save_settings"), tr("Save settings"), log, tr("Save the Moku's settings to the settings file")},
        {QStringLiteral("load_settings"), tr("Load settings"), log,
         tr("Load the settings file into the Moku, then read every setting back")},
        {QStringLiteral("sync_phase"), tr("Sync output phases"), tr("Output 1"),
         tr("Restart every output's waveform in phase (sync_output_phase)")},
    };
}

int channelOfKey(const QString &key, QString *field, bool *output)
{
    static const QRegularExpression re(QStringLiteral("^(in|out)([1-8])_(.+)$"));
    const auto m = re.match(key);
    if (!m.hasMatch())
        return 0;
    if (field)
        *field = m.captured(3);
    if (output)
        *output = m.captured(1) == QLatin1String("out");
    return m.captured(2).toInt();
}

} // namespace bs::moku
