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

/// Formats `value` with up to `digits` significant digits and the unit, e.g. "1 ms".
QString format(double value, const QString &unit, int digits = 6);
/// Parses what a user typed: "1e-3", "1 m", "1ms", "1 µs", "1 us", "2.5k", "2.5 kHz". The unit may
/// be omitted. Returns nullopt for anything else.
std::optional<double> parse(const QString &text, const QString &unit);
/// True when `unit` is one SI prefixes are put in front of.
bool takesPrefix(const QString &unit);

} // namespace EngineeringFormat
} // namespace bs
