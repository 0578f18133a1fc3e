// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace bs::nv200 {

/// One parsed answer: `name,field,field…` (latin-1 decoded, fields trimmed), or `error,N`.
struct Reply
{
    QString name;        ///< first field, e.g. "set", "recsrc", "error"; empty for an empty frame
    QStringList fields;  ///< the fields after the name
    bool isError = false;
    int errorCode = 0;   ///< 1–10 when isError (missing, non-numeric or unknown N → 1)

    bool isEmpty() const { return name.isEmpty() && fields.isEmpty(); }
    /// Field i as a number (plain or %e notation), nullopt when missing, not a number or not
    /// finite (`nan`, `inf`: no reading of a real device).
    std::optional<double> number(int i) const;
    std::optional<int> integer(int i) const;
    QString field(int i) const { return fields.value(i); }
};

/// Parses the text of a frame. A frame with several lines is an error reply if any line is
/// `error…`, otherwise its first line is the answer.
Reply parseReply(const QByteArray &frameText);

/// Received bytes for a message: printable ASCII as it is, everything else escaped (`\r`, `\n`,
/// `\\`, `\xNN`), cut after `max` bytes with "…". Never raw control bytes in a message.
QString escapedText(QByteArrayView bytes, qsizetype max = 60);

/// The meaning of an error code as in spec §2.4 (unknown codes mean 1, "Error not specified").
QString errorMeaning(int code);

/// The status register (`stat`) decoded into readable flags, bit 0 first.
QStringList statusFlags(quint32 stat);
/// Sensor type from bits 1–2 of `stat`: "none", "strain gauge", "capacitive" (3: "unknown").
QString sensorType(quint32 stat);
inline bool statusClosedLoop(quint32 stat) { return stat & (1u << 3); }

} // namespace bs::nv200
