// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81ProtocolElements.h"

#include <array>

namespace bs::m81 {

namespace {

using M = ElementModule;
using Q = ElementQuantity;

// §7 of the protocol notes; sizes not in the manual's excerpt are marked unverified (U8).
constexpr std::array<ElementInfo, 25> kElements { {
    { "RTIMe", "time since the first row of the stream", M::Instrument, Q::Time, 'd', true },
    { "SAMPlitude", "source amplitude setting", M::Source, Q::ModuleValue, 'd', true },
    { "SOFFset", "source offset setting", M::Source, Q::ModuleValue, 'd', true },
    { "SFRequency", "source frequency setting", M::Source, Q::Frequency, 'd', true },
    { "SRANge", "largest value of the source range", M::Source, Q::ModuleValue, 'f', true },
    { "SVLimit", "source voltage limit engaged", M::Source, Q::Flag, '?', true },
    { "SILimit", "source current limit engaged", M::Source, Q::Flag, '?', false },
    { "SSWeeping", "source sweeping", M::Source, Q::Flag, '?', false },
    { "SRSettling", "source readback settling", M::Source, Q::Flag, '?', false },
    { "MDC", "DC value", M::Measure, Q::ModuleValue, 'd', false },
    { "MRMs", "RMS value", M::Measure, Q::ModuleValue, 'd', false },
    { "MPPeak", "positive peak", M::Measure, Q::ModuleValue, 'd', false },
    { "MNPeak", "negative peak", M::Measure, Q::ModuleValue, 'd', false },
    { "MPTPeak", "peak to peak", M::Measure, Q::ModuleValue, 'd', false },
    { "MX", "lock-in X", M::Measure, Q::ModuleValue, 'd', false },
    { "MY", "lock-in Y", M::Measure, Q::ModuleValue, 'd', false },
    { "MR", "lock-in R", M::Measure, Q::ModuleValue, 'd', false },
    { "MTHeta", "lock-in phase", M::Measure, Q::Angle, 'd', false },
    { "MRANge", "measure range", M::Measure, Q::ModuleValue, 'f', false },
    { "MOVerload", "measure overload", M::Measure, Q::Flag, '?', false },
    { "MSETtling", "measure settling", M::Measure, Q::Flag, '?', false },
    { "MUNLock", "lock-in reference unlocked", M::Measure, Q::Flag, '?', false },
    { "MRFRequency", "measured reference frequency", M::Measure, Q::Frequency, 'd', false },
    { "GPIStates", "digital input states", M::Instrument, Q::BitMask, 'I', false },
    { "GPOStates", "digital output states", M::Instrument, Q::BitMask, 'I', false },
} };

char upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; }
bool isUpper(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i]))
            return false;
    return true;
}

} // namespace

std::span<const ElementInfo> elementTable() { return kElements; }

bool scpiKeywordMatches(QByteArrayView word, QByteArrayView pattern)
{
    if (word.isEmpty())
        return false;
    if (equalsIgnoringCase(word, pattern))
        return true;
    QByteArray shortForm;
    for (char c : pattern)
        if (isUpper(c))
            shortForm += c;
    return equalsIgnoringCase(word, shortForm);
}

const ElementInfo *findElement(QByteArrayView mnemonic)
{
    for (const ElementInfo &e : kElements)
        if (scpiKeywordMatches(mnemonic, e.longForm))
            return &e;
    return nullptr;
}

QStringList elementNames()
{
    QStringList names;
    for (const ElementInfo &e : kElements)
        names << QString::fromLatin1(e.longForm);
    return names;
}

int structCodeSize(char code)
{
    switch (code) {
    case '?': case 'b': case 'B': return 1;
    case 'h': case 'H': return 2;
    case 'i': case 'I': case 'l': case 'L': case 'f': return 4;
    case 'q': case 'Q': case 'd': return 8;
    default: return 0;
    }
}

QString elementUnit(const ElementInfo &e, const QString &moduleUnit)
{
    switch (e.quantity) {
    case ElementQuantity::Time: return QStringLiteral("s");
    case ElementQuantity::Frequency: return QStringLiteral("Hz");
    case ElementQuantity::Angle: return QStringLiteral("°");
    case ElementQuantity::ModuleValue: return moduleUnit;
    case ElementQuantity::Flag:
    case ElementQuantity::BitMask: return {};
    }
    return {};
}

} // namespace bs::m81
