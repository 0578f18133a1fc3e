// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecOptions.h"

#include "DriverRegistry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonValue>

namespace bs::cli {

namespace {
QString tr(const char *t) { return QCoreApplication::translate("benchscope-rec", t); }
} // namespace

QString RecOptions::usage()
{
    return tr("Usage: benchscope-rec (--demo | --session FILE | --instrument TYPE --address ADDR [--set KEY=VALUE ...])\n"
              "                      [--duration SECONDS] [--output PATH] [--format hdf5|csv] [--quiet]\n"
              "                      [--reconnect]\n"
              "                      [--split-minutes MINUTES] [--split-gb GB]\n"
              "                      [--compression none|deflate[:LEVEL]|lz4]\n"
              "Records every stream of the instruments for SECONDS (default 10) to PATH (an .h5 file, or a\n"
              "directory of CSV files). Progress goes to stderr, a JSON summary to stdout.\n"
              "--split-minutes / --split-gb start a new numbered file (PATH_001.h5, PATH_002.h5, ...) every\n"
              "MINUTES and/or GB (0: never; default: the session's recording settings).\n"
              "--compression (HDF5): shuffle + deflate at LEVEL 1..9 (default 1), or shuffle + LZ4 (needs the\n"
              "HDF5 LZ4 plugin, Debian package hdf5-filter-plugin); default: none.\n"
              "Exit code: 0 nothing lost; 1 samples were lost or dropped; 2 an instrument or the recording\n"
              "failed; 3 recorded but not as asked (e.g. a connection lost and restored with --reconnect);\n"
              "64 bad command line.\n"
              "--reconnect: an instrument whose connection breaks is connected again (after 1, 2, 4 ... 30 s)\n"
              "and rejoins the recording instead of ending the run.\n");
}

bool RecOptions::parse(const QStringList &args, QString *error)
{
    auto need = [&](int &i, const QString &opt, QString *out) {
        if (i + 1 >= args.size()) {
            *error = tr("%1 needs a value").arg(opt);
            return false;
        }
        *out = args[++i];
        return true;
    };
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        QString v;
        if (a == QLatin1String("--demo")) {
            demo = true;
        } else if (a == QLatin1String("--quiet")) {
            quiet = true;
        } else if (a == QLatin1String("--reconnect")) {
            reconnect = true;
        } else if (a == QLatin1String("--session")) {
            if (!need(i, a, &sessionFile))
                return false;
        } else if (a == QLatin1String("--instrument")) {
            if (!need(i, a, &instrumentType))
                return false;
        } else if (a == QLatin1String("--address")) {
            if (!need(i, a, &address))
                return false;
        } else if (a == QLatin1String("--set")) {
            if (!need(i, a, &v))
                return false;
            if (!v.contains(QLatin1Char('='))) {
                *error = tr("--set expects KEY=VALUE, got '%1'").arg(v);
                return false;
            }
            sets.append(v);
        } else if (a == QLatin1String("--duration")) {
            if (!need(i, a, &v))
                return false;
            bool ok = false;
            durationS = v.toDouble(&ok);
            if (!ok || !(durationS > 0) || durationS > 1e7) {
                *error = tr("--duration: '%1' is not a positive number of seconds").arg(v);
                return false;
            }
        } else if (a == QLatin1String("--split-minutes") || a == QLatin1String("--split-gb")) {
            if (!need(i, a, &v))
                return false;
            bool ok = false;
            const double x = v.toDouble(&ok);
            if (!ok || !(x >= 0) || x > 1e6) {
                *error = tr("%1: '%2' is not a number from 0 (never) to 1000000").arg(a, v);
                return false;
            }
            (a == QLatin1String("--split-gb") ? splitGB : splitMinutes) = x;
        } else if (a == QLatin1String("--compression")) {
            if (!need(i, a, &v))
                return false;
            RecordingOptions::Compression c;
            int level = 1;
            if (!parseCompression(v, &c, &level)) {
                *error = tr("--compression: '%1' is not one of: none, deflate, deflate:1 ... deflate:9, lz4").arg(v);
                return false;
            }
            compression = v.trimmed().toLower();
        } else if (a == QLatin1String("--output")) {
            if (!need(i, a, &output))
                return false;
        } else if (a == QLatin1String("--format")) {
            if (!need(i, a, &v))
                return false;
            if (v == QLatin1String("hdf5"))
                format = RecordingOptions::Format::Hdf5;
            else if (v == QLatin1String("csv"))
                format = RecordingOptions::Format::Csv;
            else {
                *error = tr("--format: '%1' is not one of hdf5, csv").arg(v);
                return false;
            }
        } else {
            *error = tr("unknown argument '%1'").arg(a);
            return false;
        }
    }
    const int sources = int(demo) + int(!sessionFile.isEmpty()) + int(!instrumentType.isEmpty());
    if (sources != 1) {
        *error = tr("give exactly one of --demo, --session or --instrument");
        return false;
    }
    if (!sets.isEmpty() && instrumentType.isEmpty()) {
        *error = tr("--set goes with --instrument");
        return false;
    }
    return true;
}

std::optional<Session> RecOptions::buildSession(QString *error) const
{
    if (!sessionFile.isEmpty())
        return Session::load(sessionFile, error);
    QString err;
    auto driver = DriverRegistry::instance().create(instrumentType, instrumentType + QStringLiteral("1"), &err);
    if (!driver) {
        *error = QStringLiteral("--instrument: ") + err;
        return std::nullopt;
    }
    ParameterSet params = driver->parameters();
    SessionInstrument inst;
    inst.id = driver->id();
    inst.type = instrumentType;
    inst.name = inst.id;
    inst.address = address.isEmpty() ? driver->address() : address;
    err = DriverRegistry::instance().checkAddress(instrumentType, inst.address);
    if (!err.isEmpty()) {
        *error = QStringLiteral("--address '%1': %2").arg(inst.address, err);
        return std::nullopt;
    }
    for (const QString &kv : sets) {
        const QString key = kv.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = kv.section(QLatin1Char('='), 1);
        err = params.setFromString(key, value);
        if (!err.isEmpty()) {
            *error = QStringLiteral("--set ") + err;
            return std::nullopt;
        }
        inst.parameters.insert(key, QJsonValue::fromVariant(params.value(key)));
    }
    Session s;
    s.instruments.append(inst);
    return s;
}

QString RecOptions::outputPath() const
{
    if (!output.isEmpty())
        return output;
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    return QStringLiteral("recording_") + stamp
        + (format == RecordingOptions::Format::Hdf5 ? QStringLiteral(".h5") : QString());
}

} // namespace bs::cli
