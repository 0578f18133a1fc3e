// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Control port (8888): request encoding and reply parsing (spec §2). Pure, no I/O.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

namespace bs::panda {

/// One complete reply of the control port; replies arrive strictly in request order.
struct ControlReply
{
    enum class Kind { Ok, Value, Error, Multi };
    Kind kind = Kind::Ok;
    QString value; ///< Value: text after "OK =", Error: text after "ERR "
    QStringList lines; ///< Multi: each "!" line without the "!" (empty for the bare "." list)
    bool isError() const { return kind == Kind::Error; }
};

/// Longest control-port line accepted. The longest line a PandA sends is a table read in base64
/// (`SEQ1.TABLE.B?`: 4096 rows × 4 words × 4 bytes = 64 KiB → 87 384 characters); the driver's own
/// lines (`*IDN?`, values, `*DESC`) are under 1 KiB. 256 KiB is three times the largest.
constexpr qsizetype kMaxControlLineBytes = qsizetype(256) << 10;
/// Most lines of one `!`…`.` list. The longest real lists are a table read one word per line
/// (a full SEQ table: 4096 rows × 4 words = 16 384 lines) and the first `*CHANGES?` of a connection
/// (every field of the FPGA: a few thousand); 131 072 is 8 times the SEQ table.
constexpr qsizetype kMaxListLines = qsizetype(1) << 17;
/// Most bytes of one list (its lines without `!` and LF): the SEQ table in decimal words is under
/// 200 KiB, a `*CHANGES?` of every field about as much; 4 MiB is 20 times that.
constexpr qsizetype kMaxListBytes = qsizetype(4) << 20;

/// Peer text made safe to show: valid UTF-8 stays, control characters (C0, DEL, C1) and bytes that
/// are not UTF-8 become `\xNN`. At most `maxBytes` input bytes are shown
/// (then "…").
QString escapePeerText(QByteArrayView bytes, qsizetype maxBytes = 200);

/// Incremental parser of control replies: feed bytes as they arrive (split anywhere), take the
/// complete replies in FIFO order. Lines are LF-terminated UTF-8; reply text is escaped with
/// escapePeerText() (no raw control bytes ever leave the parser). Every line and every list is
/// bounded (kMaxControlLineBytes, kMaxListLines, kMaxListBytes): past a bound the parser stops,
/// frees what it held and reports violation().
class ControlReplyParser
{
public:
    void feed(QByteArrayView bytes);
    /// Non-empty once the input broke a bound (the text names which, with the start of the
    /// offending bytes escaped). All input is ignored from then on, until reset().
    QString violation() const { return m_violation; }
    bool hasReply() const { return !m_replies.empty(); }
    /// The oldest complete reply; a default (Ok) reply if there is none.
    ControlReply takeReply();
    /// Non-empty once a line fitted none of the four reply forms; that line was then queued as an
    /// Error reply with text "Malformed reply: <line>" (it still answers one request).
    QString protocolError() const { return m_protocolError; }
    /// Drops partial input, queued replies and the protocol error (e.g. after a reconnect).
    void reset();

private:
    void handleLine(const QByteArray &line);
    void pushMalformed(const QByteArray &line);
    void violate(const QString &what);

    QByteArray m_partial;
    std::deque<ControlReply> m_replies;
    QStringList m_multi;
    qsizetype m_multiBytes = 0;
    bool m_inMulti = false;
    QString m_protocolError;
    QString m_violation;
};

/// Parsed value of "*IDN?" (e.g. "PandA SW: 1.1 FPGA: 0.1.9 d1275f61 00000000 rootfs: PandA 1.1").
struct Identity
{
    QString software; ///< "1.1"
    QString fpga; ///< "0.1.9 d1275f61 00000000"
    QString rootfs; ///< "PandA 1.1"
    int apiMajor = 0; ///< leading "major.minor" of the software field (0 when not numeric)
    int apiMinor = 0;
    QString product; ///< text before " SW:" ("PandA")
};

/// Parses the value of *IDN? (without "OK ="); nullopt if it has not the SW/FPGA/rootfs shape.
std::optional<Identity> parseIdentity(const QString &idnValue);

/// "target?\n"; empty if target contains CR or LF.
QByteArray encodeQuery(const QString &target);
/// "target=value\n"; empty (refused) if target or value contains CR or LF.
QByteArray encodeAssign(const QString &target, const QString &value);

} // namespace bs::panda
