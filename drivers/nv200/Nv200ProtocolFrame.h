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

/// Longest frame the protocol has, with room to spare: a full 6144-value `recoutf` answer is at
/// most about 61 kB (10 bytes a value). Anything longer is no NV200 answer.
constexpr qsizetype kMaxFrameBytes = 128 * 1024;

/// Incremental reader of response frames: everything up to XON (0x11) is one frame. A leading
/// XOFF is optional; an XOFF inside a frame opens it anew (bytes before it are left over from an
/// earlier answer and dropped); 0x00, 0x01 are dropped wherever they are; CR, LF, CR LF and
/// CR NUL LF end a line. The state survives input split at any byte, and scanning is linear in
/// the input even for a 6144-value `recoutf` line that arrives in many small pieces.
///
/// Memory is bounded: a frame that grows past `maxFrameBytes` without its XON is dropped as it
/// comes (overflowed() tells), up to and including its XON, and never held.
class FrameReader
{
public:
    explicit FrameReader(qsizetype maxFrameBytes = kMaxFrameBytes) : m_max(maxFrameBytes) {}
    void feed(const QByteArray &bytes);
    bool hasFrame() const { return !m_frames.empty(); }
    /// The next frame's text: its non-empty lines joined by '\n' (latin-1 bytes, not decoded).
    QByteArray takeFrame();
    /// Bytes received for the frame not yet complete.
    qsizetype pendingBytes() const { return m_buffer.size(); }
    /// A frame exceeded the limit since the last reset() (its bytes were dropped).
    bool overflowed() const { return m_overflowed; }
    /// The first bytes of the frame that overflowed (for the message).
    QByteArray overflowHead() const { return m_overflowHead; }
    void setMaxFrameBytes(qsizetype max) { m_max = max; }
    qsizetype maxFrameBytes() const { return m_max; }
    /// Forgets everything, frees the buffer.
    void reset();

private:
    QByteArray m_buffer;
    qsizetype m_scanned = 0;
    qsizetype m_max;
    bool m_overflowed = false;
    bool m_discarding = false; // inside an overflowed frame: dropping up to its XON
    QByteArray m_overflowHead;
    std::deque<QByteArray> m_frames;
};

/// Cleans the bytes of one frame (between XOFF and XON) into its text, as FrameReader does.
QByteArray cleanFrame(const QByteArray &raw);

/// The device type named by a prompt such as `NV200/D_NET>` (the text with `<`, `>` and
/// whitespace stripped), or an empty string when the text is not a prompt line.
QString promptDevice(const QByteArray &frameText);

} // namespace bs::nv200
