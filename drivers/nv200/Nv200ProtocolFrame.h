// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <deque>

namespace bs::nv200 {

constexpr char kXon = 0x11;  ///< the device is ready for the next command: ends a response frame
constexpr char kXoff = 0x13; ///< the device started processing a command: opens a response frame

/// Formats a number as the device expects it: plain decimal, no exponent, no trailing zeros.
QString formatNumber(double value);

/// Encodes `name[,arg…]` + CR in latin-1. Returns an empty array (and an explanation in `error`)
/// when a part contains CR or LF, or a character latin-1 cannot carry. An empty `name` with no
/// arguments encodes the bare CR that asks for the prompt.
QByteArray encodeCommand(const QString &name, const QStringList &args = {}, QString *error = nullptr);
/// Encodes a whole command line (`name,arg,…`) the same way.
QByteArray encodeLine(const QString &line, QString *error = nullptr);

/// Incremental reader of response frames: everything up to XON (0x11) is one frame. A leading
/// XOFF is optional; 0x00, 0x01 and XOFF bytes are dropped wherever they are; CR, LF, CR LF and
/// CR NUL LF end a line. The state survives input split at any byte, and scanning is linear in
/// the input even for a 6144-value `recoutf` line that arrives in many small pieces.
class FrameReader
{
public:
    void feed(const QByteArray &bytes);
    bool hasFrame() const { return !m_frames.empty(); }
    /// The next frame's text: its non-empty lines joined by '\n' (latin-1 bytes, not decoded).
    QByteArray takeFrame();
    /// Bytes received for the frame not yet complete.
    qsizetype pendingBytes() const { return m_buffer.size(); }
    void reset();

private:
    QByteArray m_buffer;
    qsizetype m_scanned = 0;
    std::deque<QByteArray> m_frames;
};

/// Cleans the bytes of one frame (between XOFF and XON) into its text, as FrameReader does.
QByteArray cleanFrame(const QByteArray &raw);

/// The device type named by a prompt such as `NV200/D_NET>` (the text with `<`, `>` and
/// whitespace stripped), or an empty string when the text is not a prompt line.
QString promptDevice(const QByteArray &frameText);

} // namespace bs::nv200
