// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200ProtocolReply.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs::nv200 {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Nv200Protocol", text);
}

Reply parseLine(const QByteArray &line)
{
    Reply r;
    const QList<QByteArray> parts = line.split(',');
    r.name = QString::fromLatin1(parts.front().trimmed());
    for (qsizetype i = 1; i < parts.size(); ++i)
        r.fields.append(QString::fromLatin1(parts[i].trimmed()));
    if (r.name == QLatin1String("error")) {
        r.isError = true;
        bool ok = false;
        const int n = r.fields.value(0).toInt(&ok);
        r.errorCode = ok && n >= 1 && n <= 10 ? n : 1;
    }
    return r;
}
} // namespace

std::optional<double> Reply::number(int i) const
{
    bool ok = false;
    const double v = fields.value(i).toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<int> Reply::integer(int i) const
{
    const auto v = number(i);
    // (range first: converting a double outside int to int is undefined)
    if (!v || *v < double(std::numeric_limits<int>::min()) || *v > double(std::numeric_limits<int>::max())
        || *v != std::trunc(*v))
        return std::nullopt;
    return int(*v);
}

Reply parseReply(const QByteArray &frameText)
{
    if (frameText.isEmpty())
        return {};
    const QList<QByteArray> lines = frameText.split('\n');
    for (const QByteArray &l : lines)
        if (l.trimmed().startsWith("error"))
            return parseLine(l.trimmed());
    return parseLine(lines.front());
}

QString escapedText(QByteArrayView bytes, qsizetype max)
{
    QString out;
    const qsizetype n = std::min(bytes.size(), max);
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\\')
            out += QLatin1String("\\\\");
        else if (c == '\r')
            out += QLatin1String("\\r");
        else if (c == '\n')
            out += QLatin1String("\\n");
        else if (c >= 0x20 && c < 0x7f)
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    if (bytes.size() > max)
        out += QChar(0x2026);
    return out;
}

QString errorMeaning(int code)
{
    switch (code) {
    case 2: return tr("Unknown command");
    case 3: return tr("Parameter missing");
    case 4: return tr("Admissible parameter range exceeded");
    case 5: return tr("Command's parameter count exceeded");
    case 6: return tr("Parameter is locked or read only");
    case 7: return tr("Underload");
    case 8: return tr("Overload");
    case 9: return tr("Parameter too low");
    case 10: return tr("Parameter too high");
    default: return tr("Error not specified");
    }
}

QString sensorType(quint32 stat)
{
    switch ((stat >> 1) & 3u) {
    case 0: return tr("none");
    case 1: return tr("strain gauge");
    case 2: return tr("capacitive");
    default: return tr("unknown");
    }
}

QStringList statusFlags(quint32 stat)
{
    QStringList out;
    out << ((stat & 1u) ? tr("actuator connected") : tr("no actuator"));
    out << tr("sensor: %1").arg(sensorType(stat));
    out << (statusClosedLoop(stat) ? tr("closed loop") : tr("open loop"));
    static const std::pair<int, const char *> bits[] = {
        {4, QT_TRANSLATE_NOOP("Nv200Protocol", "low-pass filter on")},
        {5, QT_TRANSLATE_NOOP("Nv200Protocol", "notch filter on")},
        {7, QT_TRANSLATE_NOOP("Nv200Protocol", "signal processing active")},
        {8, QT_TRANSLATE_NOOP("Nv200Protocol", "amplifier channels bridged")},
        {10, QT_TRANSLATE_NOOP("Nv200Protocol", "temperature too high")},
        {11, QT_TRANSLATE_NOOP("Nv200Protocol", "actuator error")},
        {12, QT_TRANSLATE_NOOP("Nv200Protocol", "hardware error")},
        {13, QT_TRANSLATE_NOOP("Nv200Protocol", "I2C error")},
        {14, QT_TRANSLATE_NOOP("Nv200Protocol", "lower control limit reached")},
        {15, QT_TRANSLATE_NOOP("Nv200Protocol", "upper control limit reached")},
    };
    for (const auto &[bit, text] : bits)
        if (stat & (1u << bit))
            out << tr(text);
    return out;
}

} // namespace bs::nv200
