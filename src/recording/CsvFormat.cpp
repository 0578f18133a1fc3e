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
    QJsonParseError err{};
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

} // namespace

const char *lossKindName(LossKind kind)
{
    switch (kind) {
    case LossKind::QueueOverflow: return "queue_overflow";
    case LossKind::DeviceLost: return "device_lost";
    case LossKind::IndexGap: return "index_gap";
    case LossKind::DeviceOverflow: return "device_overflow";
    }
    return "unknown";
}

const char *lossReason(LossKind kind)
{
    switch (kind) {
    case LossKind::QueueOverflow: return "recorder queue overflow";
    case LossKind::DeviceLost: return "device reported lost samples";
    case LossKind::IndexGap: return "sample index gap";
    case LossKind::DeviceOverflow: return "device overflow flag";
    }
    return "unknown";
}

void appendHeader(std::string &out, const CsvHeaderInfo &h)
{
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
        out += ',' + field(unit.isEmpty() ? h.names[c] : h.names[c] + QStringLiteral(" [") + unit + QLatin1Char(']'));
    }
    out += '\n';
}

void appendEvent(std::string &out, const LossEvent &e)
{
    out += "# gap at t=";
    appendDouble(out, e.time);
    out += " index=";
    appendUInt(out, e.sampleIndex);
    out += " lost=";
    appendUInt(out, e.count);
    out += " (";
    out += lossReason(e.kind);
    out += ")\n";
}

void appendEnd(std::string &out, const StreamRecordStats &t)
{
    out += "# end: samples=";
    appendUInt(out, t.samples);
    out += " dropped=";
    appendUInt(out, t.droppedSamples);
    out += " device_lost=";
    appendUInt(out, t.deviceLostSamples);
    out += " overflow_blocks=";
    appendUInt(out, t.overflowBlocks);
    out += '\n';
}

void appendRows(std::string &out, const double *const *cols, int channels, std::size_t n,
                const double *times, const Segment &seg, quint64 firstRow)
{
    for (std::size_t i = 0; i < n; ++i) {
        appendDouble(out, times ? times[i] : segmentTime(seg, firstRow + i));
        for (int c = 0; c < channels; ++c) {
            out += ',';
            appendDouble(out, cols[c][i]);
        }
        out += '\n';
    }
}

} // namespace bs::csv
