// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81ProtocolRows.h"

#include "M81ProtocolElements.h"
#include "M81ProtocolReply.h"

#include <QtEndian>

#include <algorithm>
#include <array>
#include <cstring>

namespace bs::m81 {

bool RowLayout::isInteger(int i) const
{
    return codes.value(i) != 'f' && codes.value(i) != 'd';
}

std::optional<RowLayout> parseRowLayout(QByteArrayView bformat, int bcount, QString *error)
{
    auto refuse = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("row format '%1': %2").arg(escapedText(bformat), why);
        return std::nullopt;
    };
    QByteArrayView t = bformat.trimmed();
    if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front())
        t = t.sliced(1, t.size() - 2).trimmed();
    if (!t.isEmpty() && t.front() == '<')
        t = t.sliced(1);
    if (!t.isEmpty() && (t.front() == '>' || t.front() == '!' || t.front() == '@' || t.front() == '='))
        return refuse(QStringLiteral("byte-order prefix '%1' (rows are little-endian without padding)")
                          .arg(QLatin1Char(t.front())));
    RowLayout layout;
    int repeat = -1;
    for (qsizetype i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (c >= '0' && c <= '9') {
            repeat = (repeat < 0 ? 0 : repeat) * 10 + (c - '0');
            if (repeat > 10000)
                return refuse(QStringLiteral("repeat count too large"));
            continue;
        }
        if (c == ' ' || c == '\t')
            continue;
        const int size = structCodeSize(c);
        if (!size)
            return refuse(QStringLiteral("unknown code '%1' at position %2").arg(escapedText(QByteArrayView(&c, 1))).arg(i + 1));
        for (int n = 0; n < (repeat < 0 ? 1 : repeat); ++n) {
            layout.codes << c;
            layout.offsets << layout.rowBytes;
            layout.rowBytes += size;
        }
        repeat = -1;
    }
    if (repeat >= 0)
        return refuse(QStringLiteral("repeat count without a code"));
    if (layout.codes.isEmpty())
        return refuse(QStringLiteral("no values"));
    if (bcount >= 0 && bcount != layout.rowBytes)
        return refuse(QStringLiteral("its values take %1 bytes a row but the instrument says a row is %2 bytes "
                                     "(BCOunt?)")
                          .arg(layout.rowBytes)
                          .arg(bcount));
    return layout;
}

namespace {

constexpr std::array<signed char, 256> makeTable()
{
    std::array<signed char, 256> t{};
    for (auto &v : t)
        v = -1;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return t;
}
constexpr auto kTable = makeTable();

} // namespace

std::optional<QByteArray> decodeBase64(QByteArrayView text, QString *error)
{
    const QByteArrayView t = text.trimmed();
    if (t.size() % 4) {
        if (error)
            *error = QStringLiteral("%1 characters of base64 is not a multiple of 4 (truncated?)").arg(t.size());
        return std::nullopt;
    }
    qsizetype pad = 0;
    if (!t.isEmpty() && t.back() == '=')
        pad = (t.size() >= 2 && t[t.size() - 2] == '=') ? 2 : 1;
    QByteArray out;
    out.resize(t.size() / 4 * 3 - pad);
    char *o = out.data();
    const qsizetype body = t.size() - pad;
    for (qsizetype i = 0; i < t.size(); i += 4) {
        std::uint32_t word = 0;
        int n = 0;
        for (int k = 0; k < 4; ++k) {
            const qsizetype at = i + k;
            if (at >= body) // padding
                break;
            const int v = kTable[static_cast<unsigned char>(t[at])];
            if (v < 0) {
                if (error)
                    *error = QStringLiteral("'%1' at character %2 is not base64")
                                 .arg(escapedText(t.sliced(at, 1)))
                                 .arg(at + 1);
                return std::nullopt;
            }
            word |= std::uint32_t(v) << (18 - 6 * k);
            ++n;
        }
        const int bytes = n == 4 ? 3 : n - 1;
        if (n < 2 && i < t.size()) { // "A===" or "===="
            if (error)
                *error = QStringLiteral("misplaced '=' padding at character %1").arg(i + n + 1);
            return std::nullopt;
        }
        for (int k = 0; k < bytes; ++k)
            *o++ = char((word >> (16 - 8 * k)) & 0xff);
    }
    return out;
}

QByteArray encodeBase64(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64();
}

double unpackValue(const char *p, char code)
{
    switch (code) {
    case '?': return *p ? 1.0 : 0.0;
    case 'b': return double(static_cast<signed char>(*p));
    case 'B': return double(static_cast<unsigned char>(*p));
    case 'h': return double(qFromLittleEndian<qint16>(p));
    case 'H': return double(qFromLittleEndian<quint16>(p));
    case 'i': case 'l': return double(qFromLittleEndian<qint32>(p));
    case 'I': case 'L': return double(qFromLittleEndian<quint32>(p));
    case 'q': return double(qFromLittleEndian<qint64>(p));
    case 'Q': return double(qFromLittleEndian<quint64>(p));
    case 'f': {
        const quint32 bits = qFromLittleEndian<quint32>(p);
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return double(f);
    }
    case 'd': {
        const quint64 bits = qFromLittleEndian<quint64>(p);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    default: return 0.0;
    }
}

void RowDecoder::setLayout(RowLayout layout)
{
    m_layout = std::move(layout);
    reset();
}

void RowDecoder::reset()
{
    m_carry.clear();
    m_dropped = 0;
}

std::optional<std::size_t> RowDecoder::feed(QByteArrayView reply, std::vector<double> &out, const RowCheck &check,
                                            QString *error)
{
    m_abandoned = 0;
    const int rowBytes = m_layout.rowBytes;
    if (m_carry.isEmpty() || !check || rowBytes <= 0)
        return feed(reply, out, error);
    const auto bytes = decodeBase64(reply);
    if (!bytes || m_carry.size() + bytes->size() < rowBytes)
        return feed(reply, out, error);
    // The first two rows with the carried bytes in front, and the reply's own first two rows.
    auto firstRows = [this, rowBytes](const QByteArray &b, int *count) {
        *count = int(std::min<qsizetype>(2, b.size() / rowBytes));
        std::vector<double> v(std::size_t(m_layout.valueCount()) * 2);
        for (int r = 0; r < *count; ++r)
            for (int i = 0; i < m_layout.valueCount(); ++i)
                v[std::size_t(r * m_layout.valueCount() + i)] =
                    unpackValue(b.constData() + r * rowBytes + m_layout.offsets[i], m_layout.codes[i]);
        return v;
    };
    int joinedCount = 0, ownCount = 0;
    const auto joined = firstRows(m_carry + bytes->left(2 * rowBytes), &joinedCount);
    const auto own = firstRows(bytes->left(2 * rowBytes), &ownCount);
    if (check(joined.data(), joinedCount) || ownCount == 0 || !check(own.data(), ownCount))
        return feed(reply, out, error);
    m_abandoned = int(m_carry.size());
    m_carry.clear();
    const int abandoned = m_abandoned;
    const auto rows = feed(reply, out, error);
    m_abandoned = abandoned;
    return rows;
}

std::optional<std::size_t> RowDecoder::feed(QByteArrayView reply, std::vector<double> &out, QString *error)
{
    m_dropped = 0;
    m_abandoned = 0;
    if (m_layout.rowBytes <= 0) {
        if (error)
            *error = QStringLiteral("no row layout (BFORmat?/BCOunt?) known");
        return std::nullopt;
    }
    QString why;
    auto bytes = decodeBase64(reply, &why);
    if (!bytes) {
        m_dropped = reply.trimmed().size() * 3 / 4 + m_carry.size();
        m_carry.clear();
        if (error)
            *error = QStringLiteral("invalid base64 in a %1-character TRACe:DATA:ALL? reply: %2")
                         .arg(reply.trimmed().size())
                         .arg(why);
        return std::nullopt;
    }
    if (!m_carry.isEmpty()) {
        m_carry.append(*bytes);
        bytes->swap(m_carry);
        m_carry.clear();
    }
    const int rowBytes = m_layout.rowBytes;
    const std::size_t rows = std::size_t(bytes->size() / rowBytes);
    const int n = m_layout.valueCount();
    out.reserve(out.size() + rows * std::size_t(n));
    const char *p = bytes->constData();
    for (std::size_t r = 0; r < rows; ++r, p += rowBytes)
        for (int i = 0; i < n; ++i)
            out.push_back(unpackValue(p + m_layout.offsets[i], m_layout.codes[i]));
    const qsizetype used = qsizetype(rows) * rowBytes;
    if (used < bytes->size())
        m_carry = bytes->mid(used);
    return rows;
}

} // namespace bs::m81
