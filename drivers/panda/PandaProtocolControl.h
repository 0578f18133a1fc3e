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

/// Incremental parser of control replies: feed bytes as they arrive (split anywhere), take the
/// complete replies in FIFO order. Lines are LF-terminated UTF-8.
class ControlReplyParser
{
public:
    void feed(QByteArrayView bytes);
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

    QByteArray m_partial;
    std::deque<ControlReply> m_replies;
    QStringList m_multi;
    bool m_inMulti = false;
    QString m_protocolError;
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
