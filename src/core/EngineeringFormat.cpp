// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineeringFormat.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <array>
#include <cmath>

namespace bs::EngineeringFormat {

namespace {
struct Prefix
{
    int exponent;
    const char16_t *symbol;
};

constexpr std::array<Prefix, 11> kPrefixes { { { -15, u"f" }, { -12, u"p" }, { -9, u"n" }, { -6, u"µ" },
    { -3, u"m" }, { 0, u"" }, { 3, u"k" }, { 6, u"M" }, { 9, u"G" }, { 12, u"T" }, { 15, u"P" } } };

constexpr QChar kMinus(0x2212);
constexpr QChar kThinSpace(0x2009);

/// "12345678" → "12 345 678" (from five digits on: "1000" stays as it is).
QString grouped(const QString &digits)
{
    if (digits.size() < 5)
        return digits;
    QString out;
    for (qsizetype i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += kThinSpace;
        out += digits.at(i);
    }
    return out;
}

QString plain(double value, int digits)
{
    QString t = QString::number(std::abs(value), 'g', digits);
    if (std::isfinite(value) && !t.contains(QLatin1Char('e'))) {
        const qsizetype dot = t.indexOf(QLatin1Char('.'));
        const QString whole = dot < 0 ? t : t.left(dot);
        t = grouped(whole) + (dot < 0 ? QString() : t.mid(dot));
    }
    return std::signbit(value) && value != 0.0 ? kMinus + t : t;
}

QString withUnit(const QString &number, const QString &unit)
{
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

std::optional<int> prefixExponent(const QString &p)
{
    if (p.isEmpty())
        return 0;
    if (p == QLatin1String("u") || p == QStringLiteral("\u03bc")) // "u" and Greek mu both mean micro
        return -6;
    if (p == QLatin1String("K"))
        return 3;
    for (const Prefix &x : kPrefixes)
        if (p == QString::fromUtf16(x.symbol))
            return x.exponent;
    return std::nullopt;
}
} // namespace

bool takesPrefix(const QString &unit)
{
    static const QStringList units { QStringLiteral("s"), QStringLiteral("Hz"), QStringLiteral("V"),
        QStringLiteral("A"), QStringLiteral("W"), QStringLiteral("Ω"), QStringLiteral("Ohm"),
        QStringLiteral("F"), QStringLiteral("H"), QStringLiteral("m"), QStringLiteral("Sa/s"),
        QStringLiteral("S/s"), QStringLiteral("B"), QStringLiteral("T"), QStringLiteral("N") };
    return units.contains(unit);
}

QString format(double value, const QString &unit, int digits)
{
    if (!std::isfinite(value))
        return withUnit(plain(value, digits), unit);
    if (!takesPrefix(unit) || value == 0.0)
        return withUnit(plain(value, digits), unit);
    int exp3 = int(std::floor(std::log10(std::abs(value)) / 3.0)) * 3;
    if (exp3 > 0 && unit == QLatin1String("s"))
        exp3 = 0; // "3600 s", not "3.6 ks"
    if (exp3 == 0)
        return withUnit(plain(value, digits), unit);
    for (const Prefix &p : kPrefixes) {
        if (p.exponent == exp3) {
            const double scaled = value / std::pow(10.0, exp3);
            return plain(scaled, digits) + QLatin1Char(' ') + QString::fromUtf16(p.symbol) + unit;
        }
    }
    return withUnit(plain(value, digits), unit);
}

QString formatSignificant(double value, const QString &unit, int digits)
{
    digits = std::clamp(digits, 1, 17);
    if (!std::isfinite(value) || value == 0.0)
        return withUnit(value == 0.0 ? QString::number(0.0, 'f', digits - 1) : plain(value, digits), unit);
    // Rounded to its digits first, so that 999.96 with 4 digits is "1.000 k", not "1000. ".
    const double rounded = QString::number(value, 'e', digits - 1).toDouble();
    int exp3 = takesPrefix(unit) ? int(std::floor(std::log10(std::abs(rounded)) / 3.0)) * 3 : 0;
    if (exp3 > 0 && unit == QLatin1String("s"))
        exp3 = 0;
    exp3 = std::clamp(exp3, -15, 15);
    const double scaled = rounded / std::pow(10.0, exp3);
    const int whole = int(std::floor(std::log10(std::abs(scaled)))) + 1; // digits before the point
    QString t = QString::number(std::abs(scaled), 'f', std::max(0, digits - whole));
    const qsizetype dot = t.indexOf(QLatin1Char('.'));
    t = grouped(dot < 0 ? t : t.left(dot)) + (dot < 0 ? QString() : t.mid(dot));
    if (value < 0)
        t.prepend(kMinus);
    QString prefix;
    for (const Prefix &p : kPrefixes)
        if (p.exponent == exp3)
            prefix = QString::fromUtf16(p.symbol);
    return unit.isEmpty() && prefix.isEmpty() ? t : t + QLatin1Char(' ') + prefix + unit;
}

QString formatInteger(qint64 value, const QString &unit)
{
    QString t = QString::number(value);
    if (value < 0)
        t.remove(0, 1);
    t = grouped(t);
    return withUnit(value < 0 ? kMinus + t : t, unit);
}

std::optional<double> parse(const QString &text, const QString &unit)
{
    QString t = text.trimmed();
    t.replace(kMinus, QLatin1Char('-'));
    // Grouping spaces between digits ("10 000", thin or no-break spaces too).
    static const QRegularExpression groupSpace(QStringLiteral("(?<=\\d)[ \\x{2009}\\x{202f}\\x{00a0}](?=\\d{3}(\\D|$))"));
    t.replace(groupSpace, QString());
    if (t.isEmpty())
        return std::nullopt;
    if (!unit.isEmpty() && t.endsWith(unit))
        t.chop(unit.size());
    t = t.trimmed();
    // Longest leading part that is a number; the rest must be a known prefix.
    for (qsizetype n = t.size(); n > 0; --n) {
        bool ok = false;
        const double v = t.left(n).trimmed().toDouble(&ok);
        if (!ok)
            continue;
        const auto exp = prefixExponent(t.mid(n).trimmed());
        if (!exp)
            return std::nullopt;
        if (*exp != 0 && !unit.isEmpty() && !takesPrefix(unit))
            return std::nullopt;
        const double r = v * std::pow(10.0, *exp);
        return std::isfinite(r) ? std::optional<double>(r) : std::nullopt;
    }
    return std::nullopt;
}

double roundingToZero(double value, double scale)
{
    return std::abs(value) < 1e-12 * std::abs(scale) ? 0.0 : value;
}

} // namespace bs::EngineeringFormat
