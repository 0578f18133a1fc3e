// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsvFormat.h"

#include <QJsonDocument>

namespace bs::csv {

namespace {

std::string oneLine(const QString &s)
{
    QString t = s;
    t.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    return t.toStdString();
}

std::string compactSession(const QByteArray &raw)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &err);
    QByteArray text = err.error == QJsonParseError::NoError ? doc.toJson(QJsonDocument::Compact) : raw;
    text.replace('\r', ' ').replace('\n', ' ');
    return text.toStdString();
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

void appendDouble(std::string &out, double v)
{
    char buf[32];
    out.append(buf, CsvBuffer::putDouble(buf, v));
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
    }
    return { "unknown", "unknown" };
}

} // namespace

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
    out += "# BenchScope recording, format benchscope-csv 1\n";
    line(out, "benchscope_version", h.version);
    line(out, "instrument_id", h.instrumentId);
    line(out, "instrument_name", h.instrumentName);
    line(out, "instrument_type", h.instrumentType);
    line(out, "instrument_address", h.instrumentAddress);
    line(out, "stream_id", h.streamId);
    line(out, "stream_name", h.streamName);
    line(out, "stream_generation", QString::number(h.generation));
    line(out, "start_time", h.startTime);
    line(out, "time_base", h.regular ? QStringLiteral("regular") : QStringLiteral("irregular"));
    out += "# units: s";
    for (const QString &u : h.units)
        out += ',' + field(u);
    out += '\n';
    if (!h.session.isEmpty())
        out += "# session: " + compactSession(h.session) + '\n';
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
    appendDouble(out, e.time);
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
    switch (m.kind) {
    case 1: out += "capture_start"; break;
    case 2: out += "capture_end"; break;
    case 3: out += "warning"; break;
    default: out += "event"; break;
    }
    out += " at t=";
    appendDouble(out, m.time);
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
    out += '\n';
    buffer.append(out);
}

void appendRows(CsvBuffer &out, const double *const *cols, int channels, std::size_t n, const double *times,
    const Segment &seg, quint64 firstRow)
{
    const std::size_t rowBytes = std::size_t(channels + 1) * 33;
    for (std::size_t i = 0; i < n; ++i) {
        char *p = out.room(rowBytes);
        p = CsvBuffer::putDouble(p, times ? times[i] : segmentTime(seg, firstRow + i));
        for (int c = 0; c < channels; ++c) {
            *p++ = ',';
            p = CsvBuffer::putDouble(p, cols[c][i]);
        }
        *p++ = '\n';
        out.commit(p);
    }
}

} // namespace bs::csv
