// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace bs {

/// Numbers with SI prefixes, the way instruments show them: "100 µs", "2.5 kHz", "1.2 mV".
///
/// Prefixes are used only for units that take them (s, Hz, V, A, W, Ω, F, H, m, Sa/s, ...); other
/// units ("counts", "µm", "%") and dimensionless values are written plainly with the unit after.
namespace EngineeringFormat {

/// Formats `value` with up to `digits` significant digits and the unit, e.g. "1 ms", "−5 ms",
/// "10 000 s" (a true minus sign; digits grouped by three with a thin space from 10 000 on;
/// seconds take no prefix above 1: "3600 s", not "3.6 ks").
QString format(double value, const QString &unit, int digits = 6);
/// Like format(), but always `digits` significant digits, trailing zeros kept, as a read-out whose
/// precision is meant: "1.000 kHz", "707.1 mV", "−12.50 µs".
QString formatSignificant(double value, const QString &unit, int digits = 4);
/// An integer exactly, digits grouped as in format(): "1 125 899 906 842 624 counts".
QString formatInteger(qint64 value, const QString &unit = {});
/// `value`, or 0 when its magnitude is below 1e-12 of `scale` (the largest magnitude among the
/// values it was computed from): the rounding left by a sum, such as a sine's mean, which would
/// otherwise read "0.04000 fV".
double roundingToZero(double value, double scale);
/// Parses what a user typed: "1e-3", "1 m", "1ms", "1 µs", "1 us", "2.5k", "2.5 kHz". The unit may
/// be omitted; "−" and grouping spaces ("10 000") are read as format() writes them. Returns
/// nullopt for anything else.
std::optional<double> parse(const QString &text, const QString &unit);
/// True when `unit` is one SI prefixes are put in front of.
bool takesPrefix(const QString &unit);

} // namespace EngineeringFormat
} // namespace bs
