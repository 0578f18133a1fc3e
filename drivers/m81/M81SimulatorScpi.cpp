// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorScpi.h"

#include <QLocale>

#include <cmath>

namespace bs::m81::scpi {

namespace {

/// Splits at `sep` outside quotes; each piece trimmed.
QByteArrayList splitOutsideQuotes(QByteArrayView text, char sep)
{
    QByteArrayList out;
    char quote = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == sep) {
            out.append(text.sliced(start, i - start).trimmed().toByteArray());
            start = i + 1;
        }
    }
    out.append(text.sliced(start).trimmed().toByteArray());
    return out;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

} // namespace

QByteArrayList splitUnits(QByteArrayView line)
{
    QByteArrayList units = splitOutsideQuotes(line, ';');
    units.removeIf([](const QByteArray &u) { return u.isEmpty() || u == ":"; });
    return units;
}

Unit parseUnit(QByteArrayView unit)
{
    Unit u;
    QByteArrayView t = unit.trimmed();
    if (t.startsWith(':')) {
        u.rooted = true;
        t = t.sliced(1);
    }
    u.text = t.toByteArray();
    qsizetype end = 0;
    while (end < t.size() && !isSpace(t[end]))
        ++end;
    QByteArrayView header = t.first(end);
    const QByteArrayView rest = t.sliced(end).trimmed();
    if (header.endsWith('?')) {
        u.query = true;
        header.chop(1);
    }
    u.common = header.startsWith('*');
    u.header = header.toByteArray();
    if (!rest.isEmpty())
        u.params = splitOutsideQuotes(rest, ',');
    return u;
}

std::optional<double> toNumber(QByteArrayView text)
{
    const QByteArrayView t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    // Only digits, sign, point and exponent: no "inf", "nan", hex or units.
    for (char c : t)
        if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E'))
            return std::nullopt;
    bool ok = false;
    const double v = t.toByteArray().toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<qint64> toInteger(QByteArrayView text)
{
    const auto v = toNumber(text);
    if (!v || *v != std::floor(*v) || std::fabs(*v) > 9.0e15)
        return std::nullopt;
    return qint64(*v);
}

std::optional<bool> toBool(QByteArrayView text)
{
    const QByteArray t = text.trimmed().toByteArray().toUpper();
    if (t == "1" || t == "ON")
        return true;
    if (t == "0" || t == "OFF")
        return false;
    return std::nullopt;
}

std::optional<QByteArray> unquote(QByteArrayView text)
{
    const QByteArrayView t = text.trimmed();
    if (t.size() < 2 || (t.front() != '"' && t.front() != '\'') || t.back() != t.front())
        return std::nullopt;
    const char q = t.front();
    QByteArray out = t.sliced(1, t.size() - 2).toByteArray();
    out.replace(QByteArray(2, q), QByteArray(1, q));
    return out;
}

QByteArray quote(QByteArrayView text)
{
    QByteArray inner = text.toByteArray();
    inner.replace("\"", "\"\"");
    return '"' + inner + '"';
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', QLocale::FloatingPointShortest);
}

QByteArray errorText(int code)
{
    switch (code) {
    case -100: return "Command error";
    case -102: return "Syntax error";
    case -108: return "Parameter not allowed";
    case -109: return "Missing parameter";
    case -113: return "Undefined header";
    case -114: return "Header suffix out of range";
    case -200: return "Execution error";
    case -221: return "Settings conflict";
    case -222: return "Data out of range";
    case -224: return "Illegal parameter value";
    case -230: return "Data corrupt or stale";
    case -241: return "Hardware missing";
    case -350: return "Queue overflow";
    case -363: return "Input buffer overrun";
    default: return "Error";
    }
}

} // namespace bs::m81::scpi
