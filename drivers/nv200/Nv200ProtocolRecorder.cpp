// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200ProtocolRecorder.h"

#include "Nv200ProtocolReply.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace bs::nv200 {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Nv200Protocol", text);
}

/// Splits "name,f1,f2,…" and checks the name; `skip` leading fields after the name are returned
/// in `head`, the rest parsed as numbers.
RecorderValues parseValues(const QByteArray &frameText, const char *name, int headCount, std::vector<int> &head,
                           int maxValues)
{
    RecorderValues r;
    const QByteArray text = frameText.trimmed();
    const QList<QByteArray> parts = text.split(',');
    const QByteArray got = parts.front().trimmed();
    if (got == "error") {
        r.error = tr("the device answered '%1'").arg(escapedText(text, 40));
        return r;
    }
    if (got != name) {
        r.error = tr("expected a '%1' answer, got '%2'").arg(QLatin1String(name), escapedText(text, 40));
        return r;
    }
    if (parts.size() < 1 + headCount) {
        r.error = tr("'%1' answer too short: '%2'").arg(QLatin1String(name), escapedText(text, 40));
        return r;
    }
    for (int i = 0; i < headCount; ++i) {
        bool ok = false;
        head.push_back(parts[1 + i].trimmed().toInt(&ok));
        if (!ok) {
            r.error = tr("'%1' answer has a garbled header: '%2'").arg(QLatin1String(name), escapedText(text, 40));
            return r;
        }
    }
    qsizetype count = parts.size() - 1 - headCount;
    if (count > 0 && parts.back().trimmed().isEmpty())
        --count; // a trailing comma
    if (maxValues >= 0 && count > maxValues) {
        r.error = tr("the '%1' answer holds %2 values, more than the %3 asked for")
                      .arg(QLatin1String(name))
                      .arg(count)
                      .arg(maxValues);
        return r;
    }
    r.values.reserve(std::size_t(count));
    for (qsizetype i = 1 + headCount; i < parts.size(); ++i) {
        const QByteArray f = parts[i].trimmed();
        if (f.isEmpty() && i == parts.size() - 1)
            break; // a trailing comma
        bool ok = false;
        const double v = f.toDouble(&ok);
        if (!ok || !std::isfinite(v)) { // nan and inf are no recorded values
            r.error = tr("garbled value #%1 in the '%2' answer: '%3'")
                          .arg(i - 1 - headCount)
                          .arg(QLatin1String(name), escapedText(f, 20));
            r.values.clear();
            return r;
        }
        r.values.push_back(v);
    }
    return r;
}
} // namespace

RecorderTiming recorderTiming(double durationMs)
{
    const double bufferDuration = double(kRecorderBufferSize) / kRecorderBaseRateHz; // 0.3072 s
    RecorderTiming t;
    t.stride = int(durationMs / 1000.0 / bufferDuration) + 1;
    t.stride = std::clamp(t.stride, 1, kRecorderMaxStride);
    t.rateHz = kRecorderBaseRateHz / double(t.stride);
    t.length = int(std::min(std::ceil(t.rateHz * durationMs / 1000.0), double(kRecorderBufferSize)));
    t.length = std::max(t.length, 1);
    return t;
}

double recorderMaxDurationMs()
{
    // stride = int(ms / 307.2) + 1 ≤ 65535  ⇔  ms < 65534 × 307.2
    return double(kRecorderMaxStride - 1) * 307.2 - 0.1;
}

const QStringList &recorderSourceNames()
{
    // Stable (untranslated): they are parameter values in session files and channel names.
    static const QStringList names{QStringLiteral("Piezo position"),  QStringLiteral("Setpoint"),
                                   QStringLiteral("Piezo voltage"),   QStringLiteral("Position error"),
                                   QStringLiteral("Abs position error"), QStringLiteral("Position open loop"),
                                   QStringLiteral("Piezo current 1"), QStringLiteral("Piezo current 2")};
    return names;
}

QString recorderSourceUnit(int source, bool closedLoop, const QString &closedLoopUnit, const QString &openLoopUnit)
{
    switch (source) {
    case 2: return QStringLiteral("V");
    case 6:
    case 7: return QStringLiteral("A");
    default: return closedLoop ? closedLoopUnit : openLoopUnit;
    }
}

const QStringList &recorderAutostartNames()
{
    static const QStringList names{QStringLiteral("off"), QStringLiteral("on set command"),
                                   QStringLiteral("on waveform start")};
    return names;
}

RecorderValues parseRecoutf(const QByteArray &frameText, int expectedChannel, int maxValues)
{
    std::vector<int> head;
    RecorderValues r = parseValues(frameText, "recoutf", 1, head, maxValues);
    if (!r.ok())
        return r;
    r.channel = head[0];
    if (r.channel != expectedChannel)
        r.error = tr("asked for channel %1, the answer is for channel %2").arg(expectedChannel).arg(r.channel);
    return r;
}

RecorderValues parseRecout(const QByteArray &frameText, int expectedChannel, int expectedIndex, int maxValues)
{
    std::vector<int> head;
    RecorderValues r = parseValues(frameText, "recout", 2, head, maxValues);
    if (!r.ok())
        return r;
    r.channel = head[0];
    r.index = head[1];
    if (r.channel != expectedChannel || r.index != expectedIndex)
        r.error = tr("asked for channel %1 index %2, the answer is for channel %3 index %4")
                      .arg(expectedChannel)
                      .arg(expectedIndex)
                      .arg(r.channel)
                      .arg(r.index);
    return r;
}

} // namespace bs::nv200
