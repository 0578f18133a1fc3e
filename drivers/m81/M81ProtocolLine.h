// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Message framing of the M81's SCPI text protocol: LF after every message to the instrument,
// CR LF after every reply line from it, and the error-check convention of the vendor's client
// (";:SYSTem:ERRor:ALL?" appended to every message except a few). Pure, no I/O.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <deque>
#include <optional>

namespace bs::m81 {

/// What the vendor's client appends to a message to read the error queue in the same reply.
inline constexpr char kErrorCheck[] = ";:SYSTem:ERRor:ALL?";

/// Whether the vendor convention appends the error check to `command`: everything except
/// `*IDN?`, `SYSTem:ERRor:CLEar`, the streaming poll `TRACe:DATA:ALL?` and the status-register
/// queries (`*STB?`, `*ESR?`, `STATus:…?`); any spelling (short/long form, any case).
bool takesErrorCheck(QByteArrayView command);

/// Whether `command` is the streaming poll `TRACe:DATA:ALL?` (any spelling).
bool isDataPoll(QByteArrayView command);

/// Whether `command` contains a query (a '?' outside quotes): the instrument answers a line.
bool isQuery(QByteArrayView command);

/// `command` (+ the error check when `check`) + LF, UTF-8. An empty array and the reason in
/// `error` when the command contains CR or LF (it would end the message early).
QByteArray encodeMessage(const QString &command, bool check, QString *error = nullptr);

/// Incremental reader of reply lines: everything up to CR LF is one line (a lone CR or LF inside
/// belongs to the line, as the vendor's client reads it). Input may be split at any byte; each
/// byte is scanned once, so a multi-megabyte `TRACe:DATA:ALL?` line costs linear time.
///
/// Bounded: a line that grows past `maxLineBytes` without its CR LF makes overflowed() true; its
/// bytes are dropped as they come (up to and including its CR LF) and never held.
class LineReader
{
public:
    explicit LineReader(qsizetype maxLineBytes = 1 << 20) : m_max(maxLineBytes) {}

    void feed(QByteArrayView bytes);
    /// The next complete line without its CR LF.
    std::optional<QByteArray> takeLine();
    bool hasLine() const { return !m_lines.empty(); }
    /// Bytes received for the line not yet complete.
    qsizetype pendingBytes() const { return m_buffer.size(); }
    bool overflowed() const { return m_overflowed; }
    /// Clears overflowed() (a line being dropped is still dropped up to its CR LF).
    void clearOverflow() { m_overflowed = false; }
    void setMaxLineBytes(qsizetype max) { m_max = max; }
    qsizetype maxLineBytes() const { return m_max; }
    /// Forgets everything and frees the buffer.
    void reset();

private:
    std::deque<QByteArray> m_lines; // complete lines not taken yet
    QByteArray m_buffer;            // the line being received
    qsizetype m_max;
    bool m_overflowed = false;
    bool m_skipping = false;        // dropping the rest of an overlong line
    bool m_cr = false;              // the last byte received (kept or dropped) was CR
};

} // namespace bs::m81
