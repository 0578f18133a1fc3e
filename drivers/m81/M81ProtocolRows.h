// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The binary rows of the M81's TRACe stream in B64 encoding (docs/protocols/lakeshore-m81.md):
// each `TRACe:DATA:ALL?` reply is the base64 text of whole (or, U9, partial) rows; a row is the
// configured elements packed little-endian without padding, laid out as `BFORmat?` says (Python
// `struct` codes) and `BCOunt?` bytes long. Pure decoding, no I/O.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVector>

#include <functional>
#include <optional>
#include <vector>

namespace bs::m81 {

/// Where each value of a row is and how it is packed.
struct RowLayout
{
    QVector<char> codes;      ///< one struct code per value ('?', 'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'f', 'd')
    QVector<int> offsets;     ///< byte offset of each value in the row
    int rowBytes = 0;

    int valueCount() const { return int(codes.size()); }
    /// Whether value `i` is a flag or an integer (kept exact, not a measurement).
    bool isInteger(int i) const;
};

/// Parses the `BFORmat?` reply: optional white space and one pair of double or single quotes
/// around the codes; an optional leading '<' (little-endian, what the driver assumes anyway);
/// Python-style repeat counts ("3d") are accepted. A big-endian or native prefix ('>', '!', '@',
/// '='), an unknown code or an empty format is refused, as is a computed size that differs from
/// `bcount` (the `BCOunt?` reply) when `bcount` ≥ 0: the message says both sizes.
std::optional<RowLayout> parseRowLayout(QByteArrayView bformat, int bcount, QString *error = nullptr);

/// Strict standard base64 (RFC 4648 alphabet, '=' padding only at the end, length a multiple of
/// 4; surrounding white space ignored). nullopt for anything else, with what and where in `error`.
std::optional<QByteArray> decodeBase64(QByteArrayView text, QString *error = nullptr);

/// Standard base64 with padding (the simulator's and the tests' encoder).
QByteArray encodeBase64(QByteArrayView bytes);

/// The value of one packed field as a double: flags 0/1 (any non-zero byte is 1), integers exact
/// (64-bit ones exact up to 2^53), floats as they are.
double unpackValue(const char *field, char code);

/// Incremental decoder of `TRACe:DATA:ALL?` replies. Each reply is decoded on its own (its own
/// base64 text); the bytes are appended to what was left of the previous reply, whole rows are
/// cut out and a partial row is carried to the next reply (U9). An empty reply is no data.
class RowDecoder
{
public:
    RowDecoder() = default;
    explicit RowDecoder(RowLayout layout) : m_layout(std::move(layout)) {}

    void setLayout(RowLayout layout);
    const RowLayout &layout() const { return m_layout; }

    /// Decodes one reply and appends its whole rows, row-major (valueCount() values a row), to
    /// `out`. Returns the number of rows appended, or nullopt when the reply is not base64: then
    /// `error` names what is wrong, nothing is appended and the carried bytes are dropped too
    /// (the row boundary is lost; droppedBytes() says how many bytes that was).
    std::optional<std::size_t> feed(QByteArrayView reply, std::vector<double> &out, QString *error = nullptr);

    /// Whether decoded rows can follow the rows before them and each other (e.g. each RTIMe just
    /// after the one before): `rows` holds `count` rows (1 or 2), row-major.
    using RowCheck = std::function<bool(const double *rows, int count)>;
    /// As feed(), but when bytes were carried and the first rows they would give (the completed
    /// row and the one after it) fail `check` while the reply's own first rows pass it, the
    /// carried bytes were the start of a row that was never completed (a truncated reply, not a
    /// row split across replies): they are dropped (abandonedBytes() says how many) and the reply
    /// is decoded on its own.
    std::optional<std::size_t> feed(QByteArrayView reply, std::vector<double> &out, const RowCheck &check,
                                    QString *error = nullptr);
    /// Carried bytes dropped by the last feed() with a check (0: none).
    int abandonedBytes() const { return m_abandoned; }

    /// Bytes of a partial row waiting for the next reply.
    int carriedBytes() const { return int(m_carry.size()); }
    /// Bytes thrown away by the last failed feed() (the invalid reply's estimated size plus the carry).
    qint64 droppedBytes() const { return m_dropped; }
    /// Forgets the carried bytes.
    void reset();

private:
    RowLayout m_layout;
    QByteArray m_carry;
    qint64 m_dropped = 0;
    int m_abandoned = 0;
};

} // namespace bs::m81
