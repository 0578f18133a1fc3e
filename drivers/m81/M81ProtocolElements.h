// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The data sources of the Lake Shore M81-SSM's TRACe stream (and of FETCh?/READ?): each a
// mnemonic addressing a source module (S…), a measure module (M…) or the instrument (RTIMe,
// GPIStates, GPOStates), as listed in docs/protocols/lakeshore-m81.md §7. Pure data, no I/O.
//
// The struct code is what the manual (or, marked unverified, our best guess) gives as the packed
// size of the element in a B64 row. A driver must never use it to decode rows: it reads the row
// layout from `TRACe:FORMat:ENCOding:B64:BFORmat?` and `BCOunt?`. The simulator uses it as the
// device's own table.

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <span>

namespace bs::m81 {

/// Which module the index after the mnemonic addresses.
enum class ElementModule {
    Instrument, ///< RTIMe, GPIStates, GPOStates: the index is always sent as 1
    Source,     ///< SOURce<n>
    Measure,    ///< SENSe<n>
};

/// What the element's numbers are.
enum class ElementQuantity {
    Time,        ///< s
    Frequency,   ///< Hz
    Angle,       ///< ° (lock-in phase)
    ModuleValue, ///< V or A: the unit of the module (VM-10/VS-10: V, CM-10/CS-10/BCS-10: A)
    Flag,        ///< a bool, 0 or 1
    BitMask,     ///< an unsigned bit mask, exact
};

struct ElementInfo
{
    const char *longForm;  ///< SCPI long form, the short form in upper case: "RTIMe", "MRMs"
    const char *meaning;   ///< "time since the first row", "lock-in X"
    ElementModule module;
    ElementQuantity quantity;
    char structCode;       ///< Python-struct code per §7: 'd', 'f', '?' or 'I'
    bool sizeVerified;     ///< the size is in the manual's table (false: §11 U8)
};

/// Every element of §7, in the order of the spec's table.
std::span<const ElementInfo> elementTable();

/// The element a mnemonic names, in long or short form and any case ("mx", "RTIM", "rtime",
/// "MRMS"); nullptr for anything else.
const ElementInfo *findElement(QByteArrayView mnemonic);

/// The long forms of every element, in table order (the choices a panel offers).
QStringList elementNames();

/// SCPI keyword matching: `word` equals the short form (the upper-case letters of `pattern`) or
/// the whole long form, ignoring case. "TRAC" and "trace" match "TRACe"; "TRA" and "TRACES" do not.
/// A numeric suffix is not part of either (split it off first).
bool scpiKeywordMatches(QByteArrayView word, QByteArrayView pattern);

/// Size in bytes of one struct code ('?' 1, 'b'/'B' 1, 'h'/'H' 2, 'i'/'I'/'l'/'L'/'f' 4,
/// 'q'/'Q'/'d' 8); 0 for a code this protocol does not use.
int structCodeSize(char code);

/// The unit of an element's values: "s", "Hz", "°", `moduleUnit` ("V" or "A") for module values,
/// "" for flags and bit masks.
QString elementUnit(const ElementInfo &e, const QString &moduleUnit);

} // namespace bs::m81
