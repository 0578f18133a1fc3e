// SPDX-License-Identifier: GPL-3.0-or-later
#include "Inspection.h"

#include "Measurements.h"
#include "RecordingNames.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <limits>
#include <optional>

namespace bs::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::cli::Inspection", text);
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonValue number(const std::optional<double> &v)
{
    return v ? number(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject measurementsJson(const MeasurementResult &m)
{
    QJsonObject o;
    o.insert(QStringLiteral("min"), number(m.min));
    o.insert(QStringLiteral("max"), number(m.max));
    o.insert(QStringLiteral("peak_to_peak"), number(m.peakToPeak));
    o.insert(QStringLiteral("mean"), number(m.mean));
    o.insert(QStringLiteral("rms"), number(m.rms));
    o.insert(QStringLiteral("ac_rms"), number(m.acRms));
    o.insert(QStringLiteral("std"), number(m.stdDev));
    o.insert(QStringLiteral("frequency"), number(m.frequency));
    o.insert(QStringLiteral("period"), number(m.period));
    o.insert(QStringLiteral("rise_time"), number(m.riseTime));
    o.insert(QStringLiteral("fall_time"), number(m.fallTime));
    o.insert(QStringLiteral("duty_positive"), number(m.dutyPositive));
    o.insert(QStringLiteral("duty_negative"), number(m.dutyNegative));
    o.insert(QStringLiteral("width_positive"), number(m.widthPositive));
    o.insert(QStringLiteral("width_negative"), number(m.widthNegative));
    o.insert(QStringLiteral("edges"), m.edges ? QJsonValue(qint64(*m.edges)) : QJsonValue(QJsonValue::Null));
    return o;
}

/// A gap overlaps [from, to] (a missing side reaches to the end of time).
bool overlaps(const RecordingGap &g, double from, double to)
{
    return (std::isnan(g.start) || g.start <= to) && (std::isnan(g.end) || g.end >= from);
}

QJsonObject gapJson(const RecordingGap &g)
{
    QJsonObject o;
    o.insert(QStringLiteral("start"), number(g.start));
    o.insert(QStringLiteral("end"), number(g.end));
    o.insert(QStringLiteral("duration"), number(g.end - g.start));
    o.insert(QStringLiteral("kind"), g.kind);
    o.insert(QStringLiteral("lost"), qint64(g.lost));
    return o;
}

} // namespace

bool selectChannels(const QList<RecordingStreamInfo> &streams, const QStringList &names,
    QList<StreamSelection> *selection, QString *error)
{
    selection->clear();
    std::vector<std::vector<bool>> chosen(std::size_t(streams.size()));
    for (int s = 0; s < streams.size(); ++s)
        chosen[std::size_t(s)].assign(std::size_t(streams[s].channels.size()), names.isEmpty());
    QStringList all;
    for (const RecordingStreamInfo &st : streams)
        for (const RecordingChannel &c : st.channels)
            all << st.key() + QLatin1Char('/') + c.name;
    for (const QString &name : names) {
        QList<std::pair<int, int>> found;
        QStringList foundNames;
        for (int s = 0; s < streams.size(); ++s) {
            const RecordingStreamInfo &st = streams[s];
            for (int c = 0; c < st.channels.size(); ++c) {
                const QString &n = st.channels[c].name;
                if (name == n || name == st.streamKey() + QLatin1Char('/') + n || name == st.key() + QLatin1Char('/') + n) {
                    found.append({ s, c });
                    foundNames << st.key() + QLatin1Char('/') + n;
                }
            }
        }
        if (found.isEmpty()) {
            *error = tr("No channel %1 in this recording; its channels are: %2").arg(name, all.join(QStringLiteral(", ")));
            return false;
        }
        for (const auto &[s, c] : found)
            if (s != found.front().first) {
                *error = tr("--channel %1 is in more than one stream: %2; give instrument/stream/channel")
                             .arg(name, foundNames.join(QStringLiteral(", ")));
                return false;
            }
        for (const auto &[s, c] : found)
            chosen[std::size_t(s)][std::size_t(c)] = true;
    }
    for (int s = 0; s < streams.size(); ++s) {
        StreamSelection sel { s, {} };
        for (int c = 0; c < streams[s].channels.size(); ++c)
            if (chosen[std::size_t(s)][std::size_t(c)])
                sel.channels << c;
        if (!sel.channels.isEmpty() || (names.isEmpty()))
            selection->append(sel);
    }
    return true;
}

bool inspect(RecordingSource &source, const QList<StreamSelection> &selection, double from, double to,
    QJsonObject *json, QString *error)
{
    QJsonArray streams;
    for (const StreamSelection &sel : selection) {
        const RecordingStreamInfo &info = source.streams()[sel.stream];
        std::vector<ChannelMeasurer> m(std::size_t(sel.channels.size()));
        quint64 rows = 0;
        double first = NAN, last = NAN;
        // Pass 1: statistics (and the rows of the range).
        const bool ok1 = source.read(sel.stream, sel.channels, from, to, [&](const RecordingPiece &p) {
            if (rows == 0)
                first = p.times[0];
            last = p.times[p.rows - 1];
            rows += p.rows;
            for (std::size_t k = 0; k < m.size(); ++k)
                m[k].addStatistics(p.values[k], p.rows);
            return true;
        }, error);
        if (!ok1)
            return false;
        // Pass 2: edges, never across a gap.
        for (ChannelMeasurer &c : m)
            c.beginEdges();
        const bool ok2 = rows == 0 || source.read(sel.stream, sel.channels, from, to, [&](const RecordingPiece &p) {
            for (std::size_t k = 0; k < m.size(); ++k) {
                if (p.gapBefore)
                    m[k].gap();
                m[k].addEdges(p.times, p.values[k], p.rows);
            }
            return true;
        }, error);
        if (!ok2)
            return false;
        QJsonArray gaps;
        for (const RecordingGap &g : info.gaps)
            if (overlaps(g, from, to))
                gaps.append(gapJson(g));
        QJsonArray channels;
        for (int k = 0; k < sel.channels.size(); ++k) {
            const RecordingChannel &c = info.channels[sel.channels[k]];
            const MeasurementResult r = m[std::size_t(k)].result();
            QJsonObject ch;
            ch.insert(QStringLiteral("name"), c.name);
            ch.insert(QStringLiteral("unit"), c.unit);
            ch.insert(QStringLiteral("samples"), qint64(r.samples));
            ch.insert(QStringLiteral("measurements"), measurementsJson(r));
            channels.append(ch);
        }
        QJsonObject s;
        s.insert(QStringLiteral("instrument"), info.header.instrumentId);
        s.insert(QStringLiteral("stream"), info.streamKey());
        s.insert(QStringLiteral("samples"), qint64(rows));
        s.insert(QStringLiteral("first_time"), number(first));
        s.insert(QStringLiteral("last_time"), number(last));
        s.insert(QStringLiteral("gaps"), gaps);
        s.insert(QStringLiteral("channels"), channels);
        streams.append(s);
    }
    QJsonObject o;
    o.insert(QStringLiteral("file"), source.path());
    o.insert(QStringLiteral("streams"), streams);
    *json = o;
    return true;
}

namespace {

/// One stream's range as CSV into `path`.
bool writeStreamCsv(RecordingSource &source, const StreamSelection &sel, double from, double to,
    const QString &path, QString *error)
{
    const RecordingStreamInfo &info = source.streams()[sel.stream];
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = tr("Cannot create %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    CsvBuffer text((1 << 20) + (1 << 16));
    bool writeOk = true;
    auto put = [&](bool force) {
        if (force || text.size() >= (1u << 20)) {
            writeOk = writeOk && file.write(text.data(), qint64(text.size())) == qint64(text.size());
            text.clear();
        }
        return writeOk;
    };
    CsvHeaderInfo header = info.header;
    header.names.clear();
    header.units.clear();
    for (int c : sel.channels) {
        header.names << info.channels[c].name;
        header.units << info.channels[c].unit;
    }
    csv::appendHeader(text, header);

    StreamRecordStats totals;
    RunTally tally;
    std::size_t mk = 0, ev = 0;
    bool started = false;
    quint64 next = 0; // the row after the last one written
    double lastTime = NAN;
    // The gap and event lines stored before `row` (from the first row of the range on).
    auto comments = [&](quint64 row) {
        for (; mk < info.markers.size() && info.markers[mk].fileRow <= row; ++mk) {
            csv::appendMarker(text, info.markers[mk]);
            tally.apply(info.markers[mk].kind, info.markers[mk].time, totals);
        }
        for (; ev < info.events.size() && info.events[ev].fileRow <= row; ++ev) {
            csv::appendEvent(text, info.events[ev]);
            countLoss(info.events[ev], totals);
        }
    };
    std::vector<csv::CsvColumn> cols(std::size_t(sel.channels.size()));
    const bool ok = source.read(sel.stream, sel.channels, from, to, [&](const RecordingPiece &p) {
        if (!started) { // lines before the range are not ours
            started = true;
            while (mk < info.markers.size() && info.markers[mk].fileRow < p.firstRow)
                ++mk;
            while (ev < info.events.size() && info.events[ev].fileRow < p.firstRow)
                ++ev;
        }
        for (std::size_t i = 0; i < p.rows;) {
            const quint64 row = p.firstRow + i;
            comments(row);
            // Up to the next stored line inside the piece.
            quint64 end = p.firstRow + p.rows;
            if (mk < info.markers.size())
                end = std::min(end, std::max(row + 1, info.markers[mk].fileRow));
            if (ev < info.events.size())
                end = std::min(end, std::max(row + 1, info.events[ev].fileRow));
            const std::size_t n = std::size_t(end - row);
            for (std::size_t k = 0; k < cols.size(); ++k)
                cols[k] = { p.raw[k].data + i * sampleTypeSize(p.raw[k].format.type), p.raw[k].format };
            csv::appendRowsAt(text, cols.data(), int(cols.size()), n, p.times + i, p.timeResolution);
            i += n;
        }
        next = p.firstRow + p.rows;
        totals.samples += p.rows;
        lastTime = p.times[p.rows - 1];
        return put(false);
    }, error);
    if (!ok)
        return false;
    if (started)
        comments(next);
    tally.endOutage(lastTime, totals);
    csv::appendEnd(text, totals);
    if (!put(true) || !file.flush()) {
        *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool writeCsv(RecordingSource &source, const QList<StreamSelection> &selection, double from, double to,
    const QString &out, QStringList *written, QString *error)
{
    const bool oneFile = out.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive);
    if (oneFile && selection.size() != 1) {
        QStringList keys;
        for (const StreamSelection &s : selection)
            keys << source.streams()[s.stream].key();
        *error = tr("--csv %1 is one file, but %2 streams are chosen (%3): choose one with --channel, or give a folder")
                     .arg(out)
                     .arg(selection.size())
                     .arg(keys.join(QStringLiteral(", ")));
        return false;
    }
    if (!oneFile && !QDir().mkpath(out)) {
        *error = tr("Cannot create the folder %1").arg(QDir::toNativeSeparators(out));
        return false;
    }
    NameAllocator names;
    for (const StreamSelection &sel : selection) {
        const RecordingStreamInfo &info = source.streams()[sel.stream];
        const QString path = oneFile ? out
                                     : QDir(out).filePath(names.take(csvBaseName(info.header.instrumentId,
                                                              info.header.streamId, info.header.generation))
                                         + QStringLiteral(".csv"));
        if (!writeStreamCsv(source, sel, from, to, path, error))
            return false;
        if (written)
            written->append(path);
    }
    return true;
}

} // namespace bs::cli
