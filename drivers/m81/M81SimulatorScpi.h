// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Text helpers of the M81 simulator's SCPI parser (docs/protocols/lakeshore-m81.md §2): one
// received line cut into program units at `;` outside quotes, a unit cut into header and
// parameters, numbers and booleans as SCPI writes them, and the standard error texts. Pure
// functions, no state.

#include <QByteArray>
#include <QByteArrayList>

#include <optional>

namespace bs::m81::scpi {

/// The program units of one line: split at `;` outside single or double quotes, each trimmed,
/// a leading `:` (root specifier) kept; empty units dropped.
QByteArrayList splitUnits(QByteArrayView line);

/// Header and parameter text of a unit ("TRACe:RATE 10" -> "TRACe:RATE", "10").
struct Unit
{
    QByteArray header; // without the leading ':' and without a trailing '?'
    bool rooted = false; // it began with ':'
    bool query = false;
    bool common = false; // "*IDN?", "*RST"
    QByteArrayList params; // split at ',' outside quotes, trimmed; empty list when none
    QByteArray text; // the unit as received, without the leading ':', for error messages
};
Unit parseUnit(QByteArrayView unit);

/// A decimal number (SCPI <NRf>: "10", "-2.5e-3", "+.5"); nullopt for anything else.
std::optional<double> toNumber(QByteArrayView text);
/// An integer (also "1e3", "5.0"); nullopt if not an exact integer.
std::optional<qint64> toInteger(QByteArrayView text);
/// A boolean: 0/1/ON/OFF in any case; nullopt otherwise.
std::optional<bool> toBool(QByteArrayView text);
/// The text of a quoted string parameter ("\"abc\"" or "'abc'"), doubled quotes undone;
/// nullopt if it is not quoted.
std::optional<QByteArray> unquote(QByteArrayView text);
/// Double-quoted, inner '"' doubled.
QByteArray quote(QByteArrayView text);
/// A number as the simulator writes it: shortest round-trip form ("0.5", "1e-06", "1000").
QByteArray number(double v);

/// Standard SCPI text of an error code ("Undefined header" for -113); "Error" for unknown codes.
QByteArray errorText(int code);

} // namespace bs::m81::scpi
