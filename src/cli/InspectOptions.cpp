// SPDX-License-Identifier: GPL-3.0-or-later
#include "InspectOptions.h"

#include <QCoreApplication>

#include <cmath>

namespace bs::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::cli::InspectOptions", text);
}
} // namespace

QString InspectOptions::usage()
{
    return tr("Usage: benchscope-inspect FILE [--from T] [--to T] [--channel NAME]... [--csv OUT]\n"
              "Measurements of a BenchScope recording (an .h5 file, a .csv file or a folder of them)\n"
              "as JSON on stdout.\n"
              "  --from T, --to T   time range in seconds on the recording's time axis (inclusive)\n"
              "  --channel NAME     only this channel: CHANNEL, STREAM/CHANNEL or INSTRUMENT/STREAM/CHANNEL\n"
              "                     (may be given several times)\n"
              "  --csv OUT          also write the range as CSV: OUT.csv for one stream, else a folder\n"
              "Exit code 0: done; 2: bad arguments or a file that cannot be read.\n");
}

bool InspectOptions::parse(const QStringList &args, QString *error)
{
    auto fail = [error](const QString &m) {
        *error = m;
        return false;
    };
    for (int i = 0; i < args.size(); ++i) {
        QString a = args[i], value;
        const bool option = a.startsWith(QStringLiteral("--"));
        if (option && a.contains(QLatin1Char('='))) {
            value = a.mid(a.indexOf(QLatin1Char('=')) + 1);
            a = a.left(a.indexOf(QLatin1Char('=')));
        } else if (option) {
            if (a != QLatin1String("--from") && a != QLatin1String("--to") && a != QLatin1String("--channel")
                && a != QLatin1String("--csv"))
                return fail(tr("unknown option %1").arg(a));
            if (i + 1 >= args.size())
                return fail(tr("%1 needs a value").arg(a));
            value = args[++i];
        }
        auto time = [&](double *t) {
            bool ok = false;
            *t = value.toDouble(&ok);
            return ok && std::isfinite(*t) ? true : fail(tr("%1 %2: not a time in seconds").arg(a, value));
        };
        if (a == QLatin1String("--from")) {
            if (!time(&from))
                return false;
        } else if (a == QLatin1String("--to")) {
            if (!time(&to))
                return false;
        } else if (a == QLatin1String("--channel")) {
            if (value.isEmpty())
                return fail(tr("--channel needs a channel name"));
            channels << value;
        } else if (a == QLatin1String("--csv")) {
            if (value.isEmpty())
                return fail(tr("--csv needs a file or folder name"));
            csvOut = value;
        } else if (option || (a.startsWith(QLatin1Char('-')) && a.size() > 1)) {
            return fail(tr("unknown option %1").arg(a));
        } else if (!file.isEmpty()) {
            return fail(tr("one recording at a time: %1 and %2").arg(file, a));
        } else {
            file = a;
        }
    }
    if (file.isEmpty())
        return fail(tr("no recording given"));
    if (from > to)
        return fail(tr("--from %1 is after --to %2").arg(from).arg(to));
    return true;
}

} // namespace bs::cli
