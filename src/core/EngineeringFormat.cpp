// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineeringFormat.h"

#include <QStringList>

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

QString plain(double value, int digits)
{
    return QString::number(value, 'g', digits);
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
    const int exp3 = int(std::floor(std::log10(std::abs(value)) / 3.0)) * 3;
    for (const Prefix &p : kPrefixes) {
        if (p.exponent == exp3) {
            const double scaled = value / std::pow(10.0, exp3);
            return plain(scaled, digits) + QLatin1Char(' ') + QString::fromUtf16(p.symbol) + unit;
        }
    }
    return withUnit(plain(value, digits), unit);
}

std::optional<double> parse(const QString &text, const QString &unit)
{
    QString t = text.trimmed();
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

} // namespace bs::EngineeringFormat
