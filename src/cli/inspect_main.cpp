// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope-inspect: measurements of a recording as JSON, a time range of it as CSV (DESIGN.md §5).
#include "InspectOptions.h"
#include "Inspection.h"
#include "RecordingSource.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>

namespace {
int failWith(const QString &message)
{
    std::fprintf(stderr, "benchscope-inspect: %s\n", qPrintable(message));
    return 2;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("benchscope-inspect"));

    // 1. Command line.
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fprintf(stdout, "%s", qPrintable(bs::cli::InspectOptions::usage()));
        return 0;
    }
    bs::cli::InspectOptions opts;
    QString error;
    if (!opts.parse(args, &error))
        return failWith(error + QLatin1Char('\n') + bs::cli::InspectOptions::usage());

    // 2. The recording and the channels asked for.
    const std::unique_ptr<bs::RecordingSource> source = bs::RecordingSource::open(opts.file, &error);
    if (!source)
        return failWith(error);
    for (const QString &w : source->warnings())
        std::fprintf(stderr, "benchscope-inspect: %s\n", qPrintable(w));
    QList<bs::cli::StreamSelection> selection;
    if (!bs::cli::selectChannels(source->streams(), opts.channels, &selection, &error))
        return failWith(error);

    // 3. Measurements (two passes per stream), then the CSV (a third).
    QJsonObject json;
    if (!bs::cli::inspect(*source, selection, opts.from, opts.to, &json, &error))
        return failWith(error);
    if (!opts.csvOut.isEmpty() && !bs::cli::writeCsv(*source, selection, opts.from, opts.to, opts.csvOut, nullptr, &error))
        return failWith(error);
    const QByteArray out = QJsonDocument(json).toJson(QJsonDocument::Indented);
    std::fwrite(out.constData(), 1, std::size_t(out.size()), stdout);
    return 0;
}
