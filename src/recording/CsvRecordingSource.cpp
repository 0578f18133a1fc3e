// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsvRecordingSource.h"

#include "InstrumentEvent.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <string_view>

namespace bs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::CsvRecordingSource", text);
}

constexpr std::string_view Signature = "# BenchScope recording, format benchscope-csv ";

/// Lines of a file read in large blocks. A line longer than MaxLine is an error (every buffer
/// fed by a file has a bound); a last line without '\n' (a write cut short) is ignored.
class LineReader
{
public:
    static constexpr std::size_t MaxLine = 1 << 20;

    explicit LineReader(QFile &file)
        : m_file(file)
        , m_buffer(2 * MaxLine)
    {
    }
    bool seek(qint64 offset, qint64 lineNumber)
    {
        m_begin = m_end = 0;
        m_bufferOffset = offset;
        m_line = lineNumber - 1;
        m_eof = false;
        return m_file.seek(offset);
    }
    /// 1: a line; 0: the end; -1: an error (`error()`).
    int next(std::string_view *line)
    {
        for (;;) {
            const char *start = m_buffer.data() + m_begin;
            const void *nl = std::memchr(start, '\n', m_end - m_begin);
            if (nl) {
                std::size_t len = std::size_t(static_cast<const char *>(nl) - start);
                m_lineStart = m_bufferOffset + qint64(m_begin);
                m_begin += len + 1;
                if (len && start[len - 1] == '\r')
                    --len;
                *line = std::string_view(start, len);
                ++m_line;
                return 1;
            }
            if (m_eof)
                return 0;
            if (m_end - m_begin >= MaxLine) {
                m_error = tr("line %1 is longer than %2 bytes").arg(m_line + 1).arg(MaxLine);
                return -1;
            }
            std::memmove(m_buffer.data(), start, m_end - m_begin);
            m_bufferOffset += qint64(m_begin);
            m_end -= m_begin;
            m_begin = 0;
            const qint64 got = m_file.read(m_buffer.data() + m_end, qint64(m_buffer.size() - m_end));
            if (got < 0) {
                m_error = m_file.errorString();
                return -1;
            }
            m_eof = got == 0;
            m_end += std::size_t(got);
        }
    }
    qint64 lineStart() const { return m_lineStart; }
    qint64 lineNumber() const { return m_line; }
    QString error() const { return m_error; }

private:
    QFile &m_file;
    std::vector<char> m_buffer;
    std::size_t m_begin = 0, m_end = 0;
    qint64 m_bufferOffset = 0, m_lineStart = 0, m_line = 0;
    bool m_eof = false;
    QString m_error;
};

/// RFC 4180 fields of one line (the header lines CsvFormat quotes).
QStringList splitFields(std::string_view line)
{
    QStringList out;
    std::string f;
    bool quoted = false;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        const char c = i < line.size() ? line[i] : ',';
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                f += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                f += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out << QString::fromStdString(f);
            f.clear();
        } else {
            f += c;
        }
    }
    return out;
}

bool parseDouble(std::string_view s, double *v)
{
    const auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

/// An integer as CsvFormat writes one (no sign on 0, no leading zeros) that fits int64.
bool parseCanonicalInt(std::string_view s, qint64 *v)
{
    const std::size_t digits = !s.empty() && s[0] == '-' ? 1 : 0;
    if (s.size() <= digits || (s[digits] == '0' && s.size() > digits + 1) || s == "-0")
        return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

/// The comma positions of a data row: fields [bounds[i] + 1, bounds[i + 1]).
void splitRow(std::string_view line, std::vector<std::size_t> *bounds)
{
    bounds->clear();
    bounds->push_back(std::size_t(-1));
    for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == ',')
            bounds->push_back(i);
    bounds->push_back(line.size());
}

std::string_view field(std::string_view line, const std::vector<std::size_t> &bounds, std::size_t i)
{
    return line.substr(bounds[i] + 1, bounds[i + 1] - bounds[i] - 1);
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

/// `# gap at t=<t> index=<i> lost=<n> (<reason>)`
bool parseGap(std::string_view line, quint64 row, LossEvent *e)
{
    constexpr std::string_view head = "# gap at t=";
    const std::size_t iIndex = line.find(" index="), iLost = line.find(" lost="), iReason = line.find(" (");
    if (!startsWith(line, head) || iIndex == std::string_view::npos || iLost == std::string_view::npos
        || iReason == std::string_view::npos || iIndex > iLost || iLost > iReason || line.back() != ')')
        return false;
    e->fileRow = row;
    const std::string_view index = line.substr(iIndex + 7, iLost - iIndex - 7);
    const std::string_view lost = line.substr(iLost + 6, iReason - iLost - 6);
    const std::string_view reason = line.substr(iReason + 2, line.size() - iReason - 3);
    if (!parseDouble(line.substr(head.size(), iIndex - head.size()), &e->time)
        || std::from_chars(index.data(), index.data() + index.size(), e->sampleIndex).ptr != index.data() + index.size()
        || std::from_chars(lost.data(), lost.data() + lost.size(), e->count).ptr != lost.data() + lost.size())
        return false;
    for (int k = 1; k <= 5; ++k)
        if (reason == csv::lossReason(LossKind(k))) {
            e->kind = LossKind(k);
            return true;
        }
    return false;
}

/// `# <event> at t=<t>: <JSON>`; false when the line is no event line.
bool parseMarker(std::string_view line, quint64 row, MarkerEvent *m)
{
    const std::size_t at = line.find(" at t="), colon = line.find(": ");
    if (!startsWith(line, "# ") || at == std::string_view::npos || colon == std::string_view::npos || colon < at)
        return false;
    const std::string_view name = line.substr(2, at - 2);
    qint32 kind = -1;
    for (int k = 1; k <= 7; ++k)
        if (name == InstrumentEvent::kindName(InstrumentEvent::Kind(k)))
            kind = k;
    if (name == "event")
        kind = 0;
    if (kind < 0 || !parseDouble(line.substr(at + 6, colon - at - 6), &m->time))
        return false;
    m->fileRow = row;
    m->kind = kind;
    const std::string_view info = line.substr(colon + 2);
    m->info = QByteArray(info.data(), qsizetype(info.size()));
    return true;
}

} // namespace

bool CsvRecordingSource::open(const QString &path, QString *error)
{
    m_path = path;
    QStringList files;
    const QFileInfo info(path);
    if (info.isDir()) {
        for (const QString &name : QDir(path).entryList({ QStringLiteral("*.csv") }, QDir::Files, QDir::Name))
            files << QDir(path).filePath(name);
        if (files.isEmpty()) {
            *error = tr("%1 holds no .csv files: not a BenchScope CSV recording").arg(QDir::toNativeSeparators(path));
            return false;
        }
    } else {
        files << path;
    }
    for (const QString &file : std::as_const(files)) {
        RecordingStreamInfo stream;
        std::vector<Checkpoint> index;
        bool notOurs = false;
        QString why;
        if (scanFile(file, &stream, &index, &why, &notOurs)) {
            m_streams.append(stream);
            m_index.push_back(std::move(index));
        } else if (notOurs && info.isDir()) {
            m_warnings << tr("%1 skipped: %2").arg(QDir::toNativeSeparators(file), why);
        } else {
            *error = tr("%1: %2").arg(QDir::toNativeSeparators(file), why);
            return false;
        }
    }
    if (m_streams.isEmpty()) {
        *error = tr("%1 holds no BenchScope CSV files (%2)").arg(QDir::toNativeSeparators(path), m_warnings.join(QStringLiteral("; ")));
        return false;
    }
    return true;
}

bool CsvRecordingSource::scanFile(const QString &path, RecordingStreamInfo *info, std::vector<Checkpoint> *index,
    QString *error, bool *notOurs)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot open: %1").arg(file.errorString());
        return false;
    }
    info->file = path;
    LineReader lines(file);
    std::string_view line;
    int got = lines.next(&line);
    if (got < 0 || (got == 1 && !startsWith(line, Signature)) || got == 0) {
        *notOurs = got >= 0;
        *error = got < 0 ? lines.error() : tr("not a BenchScope CSV file (its first line is not \"%1…\")").arg(QString::fromLatin1(Signature.data(), qsizetype(Signature.size())).trimmed());
        return false;
    }
    int version = 0;
    const std::string_view v = line.substr(Signature.size());
    if (std::from_chars(v.data(), v.data() + v.size(), version).ptr != v.data() + v.size() || version < 1) {
        *error = tr("unreadable format version \"%1\" in line 1").arg(QString::fromUtf8(v.data(), qsizetype(v.size())));
        return false;
    }
    if (version > csv::FormatVersion) {
        *error = tr("format version %1; this BenchScope reads versions up to %2").arg(version).arg(csv::FormatVersion);
        return false;
    }
    // The header: `# key: value` lines, the session as indented `#   ` lines, then the columns.
    CsvHeaderInfo &h = info->header;
    QStringList units;
    bool haveUnits = false, haveTimeBase = false, inSession = false;
    QByteArray session;
    for (;;) {
        got = lines.next(&line);
        if (got <= 0) {
            *error = got < 0 ? lines.error() : tr("the header ends before the column line");
            return false;
        }
        if (!startsWith(line, "#"))
            break;
        if (inSession && startsWith(line, "#   ")) {
            session += QByteArray(line.data() + 4, qsizetype(line.size() - 4)) + '\n';
            continue;
        }
        inSession = false;
        const std::size_t colon = line.find(": ");
        const std::string_view key = colon == std::string_view::npos ? line.substr(2) : line.substr(2, colon - 2);
        const QString value = colon == std::string_view::npos
            ? QString()
            : QString::fromUtf8(line.data() + colon + 2, qsizetype(line.size() - colon - 2));
        if (key == "benchscope_version")
            h.version = value;
        else if (key == "instrument_id")
            h.instrumentId = value;
        else if (key == "instrument_name")
            h.instrumentName = value;
        else if (key == "instrument_type")
            h.instrumentType = value;
        else if (key == "instrument_address")
            h.instrumentAddress = value;
        else if (key == "stream_id")
            h.streamId = value;
        else if (key == "stream_name")
            h.streamName = value;
        else if (key == "stream_generation")
            h.generation = std::max(1, value.toInt());
        else if (key == "start_time")
            h.startTime = value;
        else if (key == "session_start_time")
            h.sessionStartTime = value;
        else if (key == "session_time_offset")
            h.timeOffset = value.toDouble();
        else if (key == "time_base") {
            haveTimeBase = true;
            h.regular = value == QLatin1String("regular");
        } else if (key == "units") {
            haveUnits = true;
            units = splitFields(line.substr(colon + 2));
        } else if (key == "session" || key == "session:") {
            inSession = value.isEmpty();
            if (!value.isEmpty())
                session = value.toUtf8(); // format 1: compact JSON on one line
        }
    }
    h.session = session;
    if (h.instrumentId.isEmpty() || h.streamId.isEmpty() || !haveTimeBase) {
        *error = tr("the header lacks instrument_id, stream_id or time_base");
        return false;
    }
    info->regular = h.regular;
    // The column line: time_s, then `<name> [<unit>]`.
    const qint64 columnLine = lines.lineNumber();
    const QStringList columns = splitFields(line);
    if (columns.value(0) != QLatin1String("time_s") || (haveUnits && units.size() != columns.size())) {
        *error = tr("line %1 is not the column line \"time_s,<channel> [<unit>],…\" matching the units line").arg(columnLine);
        return false;
    }
    for (int c = 1; c < columns.size(); ++c) {
        QString name = columns[c];
        QString unit = units.value(c);
        const QString suffix = QStringLiteral(" [") + unit + QLatin1Char(']');
        if (!haveUnits && name.endsWith(QLatin1Char(']')) && name.contains(QStringLiteral(" ["))) {
            unit = name.mid(name.lastIndexOf(QStringLiteral(" [")) + 2).chopped(1);
            name = name.left(name.lastIndexOf(QStringLiteral(" [")));
        } else if (!unit.isEmpty() && name.endsWith(suffix)) {
            name.chop(suffix.size());
        }
        info->channels.append({ name, unit });
        h.names << name;
        h.units << unit;
    }
    const std::size_t fields = std::size_t(columns.size());

    // The rows: validated, counted, indexed; losses, markers and time jumps noted with the
    // times on either side.
    quint64 rows = 0;
    double prevT = NAN, lastStep = NAN;
    bool pending = false; // a gap or event line waits for the next row
    std::map<quint64, std::pair<double, double>> around; // row → (time before, time at)
    std::vector<quint64> jumps;
    std::vector<std::size_t> bounds;
    for (;;) {
        got = lines.next(&line);
        if (got < 0) {
            *error = lines.error();
            return false;
        }
        if (got == 0)
            break;
        if (startsWith(line, "#")) {
            LossEvent e;
            MarkerEvent m;
            if (startsWith(line, "# gap ")) {
                if (!parseGap(line, rows, &e)) {
                    *error = tr("line %1 is not a gap line \"# gap at t=… index=… lost=… (reason)\"").arg(lines.lineNumber());
                    return false;
                }
                info->events.push_back(e);
                pending = true;
            } else if (parseMarker(line, rows, &m)) {
                info->markers.push_back(m);
                pending = pending || GapCollector::breaks(m.kind);
            }
            continue;
        }
        splitRow(line, &bounds);
        if (bounds.size() - 1 != fields) {
            *error = tr("line %1 has %2 fields, the column line %3").arg(lines.lineNumber()).arg(bounds.size() - 1).arg(fields);
            return false;
        }
        double t = NAN, value = NAN;
        for (std::size_t f = 0; f < fields; ++f)
            if (!parseDouble(field(line, bounds, f), f ? &value : &t)) {
                const std::string_view bad = field(line, bounds, f);
                *error = tr("line %1, column %2: \"%3\" is not a number")
                             .arg(lines.lineNumber())
                             .arg(f + 1)
                             .arg(QString::fromUtf8(bad.data(), qsizetype(std::min<std::size_t>(bad.size(), 40))));
                return false;
            }
        if (rows % PieceRows == 0)
            index->push_back({ lines.lineStart(), rows, t, lines.lineNumber() });
        bool jump = false;
        if (h.regular && rows > 0) {
            const double step = t - prevT;
            jump = !std::isnan(lastStep) && isTimeJump(step, lastStep);
            if (!jump && !pending)
                lastStep = step;
            if (jump)
                jumps.push_back(rows);
        }
        if (pending || jump)
            around[rows] = { prevT, t };
        pending = false;
        if (rows == 0)
            info->firstTime = t;
        info->lastTime = prevT = t;
        ++rows;
    }
    info->rows = rows;
    GapCollector gaps(rows);
    for (const LossEvent &e : info->events)
        gaps.addLoss(e);
    for (const MarkerEvent &m : info->markers)
        gaps.addMarker(m);
    for (quint64 r : jumps)
        gaps.addTimeJump(r);
    info->gaps = gaps.take();
    for (RecordingGap &g : info->gaps) {
        if (g.row >= rows) {
            g.start = rows ? info->lastTime : NAN;
        } else if (const auto it = around.find(g.row); it != around.end()) {
            g.start = g.row ? it->second.first : NAN;
            g.end = it->second.second;
        }
    }
    return true;
}

bool CsvRecordingSource::read(
    int stream, const QList<int> &channels, double from, double to, const PieceFn &fn, QString *error)
{
    const RecordingStreamInfo &info = m_streams[stream];
    const std::vector<Checkpoint> &index = m_index[std::size_t(stream)];
    if (!(from <= to) || index.empty())
        return true;
    // The last checkpoint before `from`: every row before it is earlier still.
    auto cp = std::partition_point(index.begin(), index.end(), [from](const Checkpoint &c) { return c.time < from; });
    if (cp != index.begin())
        --cp;
    QFile file(info.file);
    LineReader lines(file);
    if (!file.open(QIODevice::ReadOnly) || !lines.seek(cp->offset, cp->line)) {
        *error = tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(info.file), file.errorString());
        return false;
    }
    const std::size_t n = std::size_t(channels.size());
    const std::size_t fields = std::size_t(info.channels.size()) + 1;
    std::vector<std::vector<double>> values(n);
    std::vector<std::vector<qint64>> ints(n);
    std::vector<bool> allInts(n, true);
    std::vector<double> times;
    std::vector<std::size_t> bounds;
    auto gap = std::lower_bound(info.gaps.begin(), info.gaps.end(), cp->row,
        [](const RecordingGap &g, quint64 r) { return g.row < r; });
    RecordingPiece piece;
    piece.raw.resize(n);
    piece.values.resize(n);
    piece.timeResolution = 0;
    bool emitted = false, nextGap = false, stopped = false;
    auto flush = [&]() {
        if (times.empty())
            return true;
        piece.rows = times.size();
        piece.times = times.data();
        piece.gapBefore = nextGap && emitted;
        for (std::size_t k = 0; k < n; ++k) {
            piece.values[k] = values[k].data();
            piece.raw[k] = allInts[k]
                ? csv::CsvColumn { reinterpret_cast<const std::byte *>(ints[k].data()), SampleFormat::of(SampleType::Int64) }
                : csv::CsvColumn { reinterpret_cast<const std::byte *>(values[k].data()), SampleFormat() };
        }
        emitted = true;
        nextGap = false;
        const bool goOn = fn(piece);
        times.clear();
        for (std::size_t k = 0; k < n; ++k) {
            values[k].clear();
            ints[k].clear();
            allInts[k] = true;
        }
        return goOn;
    };
    auto malformed = [&](const QString &what) {
        *error = tr("%1 line %2: %3").arg(QDir::toNativeSeparators(info.file)).arg(lines.lineNumber()).arg(what);
        return false;
    };
    std::string_view line;
    for (quint64 row = cp->row; !stopped;) {
        const int got = lines.next(&line);
        if (got < 0)
            return malformed(lines.error());
        if (got == 0)
            break;
        if (startsWith(line, "#"))
            continue;
        splitRow(line, &bounds);
        double t = NAN;
        if (bounds.size() - 1 != fields || !parseDouble(field(line, bounds, 0), &t))
            return malformed(tr("not a row of %1 numbers (has the file changed since it was opened?)").arg(fields));
        if (t > to)
            break;
        while (gap != info.gaps.end() && gap->row < row)
            ++gap;
        const bool gapHere = gap != info.gaps.end() && gap->row == row;
        ++row;
        if (!(t >= from))
            continue;
        if (gapHere || times.size() == PieceRows) {
            if (!flush())
                return true;
            nextGap = nextGap || gapHere;
        }
        if (times.empty())
            piece.firstRow = row - 1;
        times.push_back(t);
        for (std::size_t k = 0; k < n; ++k) {
            const std::string_view f = field(line, bounds, std::size_t(channels[int(k)]) + 1);
            double v = NAN;
            qint64 i = 0;
            if (!parseDouble(f, &v))
                return malformed(tr("\"%1\" is not a number").arg(QString::fromUtf8(f.data(), qsizetype(std::min<std::size_t>(f.size(), 40)))));
            values[k].push_back(v);
            if (allInts[k]) {
                allInts[k] = parseCanonicalInt(f, &i);
                ints[k].push_back(i);
            }
        }
    }
    flush();
    return true;
}

} // namespace bs
