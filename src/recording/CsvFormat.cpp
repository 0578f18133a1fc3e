// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsvFormat.h"

#include "InstrumentEvent.h"

#include <QJsonDocument>

#include <charconv>
#include <cstring>
#include <type_traits>
#include <vector>

namespace bs::csv {

namespace {

std::string oneLine(const QString &s)
{
    QString t = s;
    t.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    return t.toStdString();
}

/// The session snapshot as indented JSON, every line a comment (`#   {`): readable, and the JSON
/// comes back by removing the `#   ` prefixes.
std::string readableSession(const QByteArray &raw)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &err);
    QByteArray text = err.error == QJsonParseError::NoError ? doc.toJson(QJsonDocument::Indented) : raw;
    text.replace('\r', ' ');
    std::string out;
    for (const QByteArray &l : text.split('\n')) {
        if (l.trimmed().isEmpty())
            continue;
        out += "#   ";
        out += l.toStdString();
        out += '\n';
    }
    return out;
}

/// RFC 4180 field: quoted when it holds a comma, quote or line break.
std::string field(const QString &s)
{
    std::string f = s.toStdString();
    if (f.find_first_of(",\"\r\n") == std::string::npos)
        return f;
    std::string q = "\"";
    for (char c : f) {
        if (c == '"')
            q += '"';
        q += c;
    }
    return q + '"';
}

void line(std::string &out, const char *key, const QString &value)
{
    out += "# ";
    out += key;
    out += ": ";
    out += oneLine(value);
    out += '\n';
}

/// Appends `label` and then `v`, as in `# end: samples=600`.
void appendUInt(std::string &out, const char *label, quint64 v)
{
    char buf[24];
    out += label;
    out.append(buf, CsvBuffer::putUInt(buf, v));
}

void appendTime(std::string &out, double t)
{
    char buf[40];
    out.append(buf, putTime(buf, t, timeResolution(0)));
}

/// The stored name and the `# gap` reason of each loss code, in one place.
struct LossText
{
    const char *name;
    const char *reason;
};

LossText lossText(LossKind kind)
{
    switch (kind) {
    case LossKind::QueueOverflow:
        return { "queue_overflow", "recorder queue overflow" };
    case LossKind::DeviceLost:
        return { "device_lost", "device reported lost samples" };
    case LossKind::IndexGap:
        return { "index_gap", "sample index gap" };
    case LossKind::DeviceOverflow:
        return { "device_overflow", "device overflow flag" };
    case LossKind::FormatMismatch:
        return { "format_mismatch", "block format differs from the announced one" };
    }
    return { "unknown", "unknown" };
}

} // namespace

double timeResolution(double dt)
{
    return dt > 0 && dt < 1e-6 ? 1e-12 : 1e-9;
}

char *putTime(char *p, double t, double resolution)
{
    // Rounded by dividing whole units by an exact power of ten: the nearest double to the
    // decimal, which to_chars then writes with no more digits than it has.
    const double scale = resolution == 1e-12 ? 1e12 : 1e9;
    const double units = t * scale;
    if (std::isfinite(units) && std::abs(units) < 4e15)
        t = std::nearbyint(units) / scale;
    if (t == 0)
        t = 0; // no "-0"
    return CsvBuffer::putDouble(p, t);
}

const char *lossKindName(LossKind kind)
{
    return lossText(kind).name;
}

const char *lossReason(LossKind kind)
{
    return lossText(kind).reason;
}

void appendHeader(CsvBuffer &buffer, const CsvHeaderInfo &h)
{
    std::string out;
    out += "# BenchScope recording, format benchscope-csv " + std::to_string(FormatVersion) + "\n";
    line(out, "benchscope_version", h.version);
    line(out, "instrument_id", h.instrumentId);
    line(out, "instrument_name", h.instrumentName);
    line(out, "instrument_type", h.instrumentType);
    line(out, "instrument_address", h.instrumentAddress);
    line(out, "stream_id", h.streamId);
    line(out, "stream_name", h.streamName);
    line(out, "stream_generation", QString::number(h.generation));
    line(out, "start_time", h.startTime);
    if (!h.sessionStartTime.isEmpty())
        line(out, "session_start_time", h.sessionStartTime);
    if (std::isfinite(h.timeOffset)) {
        out += "# session_time_offset: ";
        char buf[40];
        out.append(buf, putTime(buf, h.timeOffset, 1e-9));
        out += '\n';
    }
    out += "# time_s: seconds since start_time (session time = time_s + session_time_offset)\n";
    line(out, "time_base", h.regular ? QStringLiteral("regular") : QStringLiteral("irregular"));
    out += "# units: s";
    for (const QString &u : h.units)
        out += ',' + field(u);
    out += '\n';
    if (!h.session.isEmpty())
        out += "# session:\n" + readableSession(h.session);
    out += "time_s";
    for (int c = 0; c < h.names.size(); ++c) {
        const QString unit = c < h.units.size() ? h.units[c] : QString();
        out += ','
            + field(
                unit.isEmpty() ? h.names[c] : h.names[c] + QStringLiteral(" [") + unit + QLatin1Char(']'));
    }
    out += '\n';
    buffer.append(out);
}

void appendEvent(CsvBuffer &buffer, const LossEvent &e)
{
    std::string out = "# gap at t=";
    appendTime(out, e.time);
    appendUInt(out, " index=", e.sampleIndex);
    appendUInt(out, " lost=", e.count);
    out += " (";
    out += lossReason(e.kind);
    out += ")\n";
    buffer.append(out);
}

void appendMarker(CsvBuffer &buffer, const MarkerEvent &m)
{
    std::string out = "# ";
    out += m.kind >= 1 && m.kind <= 7 ? InstrumentEvent::kindName(InstrumentEvent::Kind(m.kind)) : "event";
    out += " at t=";
    appendTime(out, m.time);
    out += ": ";
    for (char c : m.info) // compact JSON has no line breaks; never let one end the comment
        out += c == '\n' || c == '\r' ? ' ' : c;
    out += '\n';
    buffer.append(out);
}

void appendEnd(CsvBuffer &buffer, const StreamRecordStats &t)
{
    std::string out = "# end:";
    appendUInt(out, " samples=", t.samples);
    appendUInt(out, " dropped=", t.droppedSamples);
    appendUInt(out, " device_lost=", t.deviceLostSamples);
    appendUInt(out, " overflow_blocks=", t.overflowBlocks);
    appendUInt(out, " stops=", t.stops);
    appendUInt(out, " restarts=", t.restarts);
    appendUInt(out, " outages=", t.outages);
    out += " outage_s=";
    appendTime(out, t.outageSeconds);
    out += '\n';
    buffer.append(out);
}

namespace {
/// One line per row: the time, then `put(p, c, i)` for each channel (at most 32 characters each).
template <typename PutCell>
void appendRowsWith(CsvBuffer &out, int channels, std::size_t n, const double *times, const Segment &seg,
    quint64 firstRow, double resolution, PutCell put)
{
    const std::size_t rowBytes = std::size_t(channels + 1) * 33;
    for (std::size_t i = 0; i < n; ++i) {
        char *p = out.room(rowBytes);
        const double t = times ? times[i] : segmentTime(seg, firstRow + i);
        p = resolution > 0 ? putTime(p, t, resolution) : CsvBuffer::putDouble(p, t);
        for (int c = 0; c < channels; ++c) {
            *p++ = ',';
            p = put(p, c, i);
        }
        *p++ = '\n';
        out.commit(p);
    }
}
} // namespace

void appendRows(CsvBuffer &out, const double *const *cols, int channels, std::size_t n, const double *times,
    const Segment &seg, quint64 firstRow)
{
    appendRowsWith(out, channels, n, times, seg, firstRow, timeResolution(times ? 0.0 : seg.dt),
        [cols](char *p, int c, std::size_t i) { return CsvBuffer::putDouble(p, cols[c][i]); });
}

char *putSample(char *p, const CsvColumn &col, std::size_t i)
{
    return visitSampleType(col.format.type, [&](auto tag) -> char * {
        using T = decltype(tag);
        T raw;
        std::memcpy(&raw, col.data + i * sizeof(T), sizeof(T));
        if (!col.format.isIdentity())
            return CsvBuffer::putDouble(p, col.format.toValue(raw));
        if constexpr (std::is_same_v<T, float>) {
            if (std::isnan(raw)) {
                std::memcpy(p, "nan", 3);
                return p + 3;
            }
            return std::to_chars(p, p + 32, raw).ptr;
        } else if constexpr (std::is_same_v<T, double>) {
            return CsvBuffer::putDouble(p, raw);
        } else {
            return std::to_chars(p, p + 24, raw).ptr;
        }
    });
}

void appendRows(CsvBuffer &out, const CsvColumn *cols, int channels, std::size_t n, const double *times,
    const Segment &seg, quint64 firstRow)
{
    bool plain = true;
    for (int c = 0; c < channels; ++c)
        plain = plain && cols[c].format.isPlainDouble();
    if (plain) {
        std::vector<const double *> doubles(std::size_t(std::max(channels, 1)));
        for (int c = 0; c < channels; ++c)
            doubles[std::size_t(c)] = reinterpret_cast<const double *>(cols[c].data);
        appendRows(out, doubles.data(), channels, n, times, seg, firstRow);
        return;
    }
    appendRowsWith(out, channels, n, times, seg, firstRow, timeResolution(times ? 0.0 : seg.dt),
        [cols](char *p, int c, std::size_t i) { return putSample(p, cols[c], i); });
}

void appendRowsAt(CsvBuffer &out, const CsvColumn *cols, int channels, std::size_t n, const double *times,
    double resolution)
{
    appendRowsWith(out, channels, n, times, Segment(), 0, resolution,
        [cols](char *p, int c, std::size_t i) { return putSample(p, cols[c], i); });
}

} // namespace bs::csv
