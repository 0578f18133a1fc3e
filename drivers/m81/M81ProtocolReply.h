// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Replies of the Lake Shore M81-SSM's SCPI text protocol (docs/protocols/lakeshore-m81.md): one
// line holds the replies of every query of the message joined by ';', the last being the error
// queue when the message ended in ";:SYSTem:ERRor:ALL?". Pure parsing, no I/O.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QVector>

#include <optional>

namespace bs::m81 {

/// Cuts one reply line at every ';' that is outside single or double quotes. Items are kept as
/// sent (quotes included, no trimming); an empty line gives one empty item.
QList<QByteArray> splitReplyItems(QByteArrayView line);

/// The item without surrounding white space and one pair of surrounding double (or single) quotes:
/// `"VM-10"` → `VM-10`. SCPI's doubled quote inside a string ("a""b") becomes one.
QString unquote(QByteArrayView item);

/// One entry of the instrument's error queue: `-113,"Undefined header;FAKEQUERY?;"`.
struct ScpiError
{
    int code = 0;
    QString message;  ///< "Undefined header"
    QString command;  ///< the offending command the message repeats ("FAKEQUERY?"), may be empty
    QString text;     ///< the item as received (trimmed), for messages that show everything

    /// -241 "Hardware missing": a query of an empty module slot.
    bool isHardwareMissing() const;
    /// "-113 Undefined header" (plus " in 'FAKEQUERY?'" when the device named the command).
    QString describe() const;
};

/// The error-queue reply (`SYSTem:ERRor:ALL?`): "No error" and `0,"No error"` mean empty; else one
/// or more `code,"message;command;"` items joined by ',' (commas inside quotes belong to the text).
struct ErrorQueue
{
    bool empty = false;          ///< no error queued
    QVector<ScpiError> errors;   ///< the queued errors (code ≠ 0), in order

    bool hardwareMissing() const;
    /// All errors described, joined by "; ", or the raw text when it held no parsable item.
    QString describe() const;
};

/// Parses the error-queue item. A reply with no non-zero code that contains "No error" (any
/// spelling around it) is the empty queue; a reply that contains neither is one error with code 0
/// and the text as its message (never taken for success).
ErrorQueue parseErrorQueue(QByteArrayView item);

/// A reply to a message sent with the error check appended: the items before the error queue
/// (one per query on the line) and the queue itself.
struct CheckedReply
{
    QList<QByteArray> items;
    ErrorQueue queue;
};
CheckedReply parseCheckedReply(QByteArrayView line);

/// `*IDN?`: `LSCI,<model>,<serial>[/<option serial>],<firmware>`.
struct Identity
{
    QString manufacturer;  ///< "LSCI"
    QString model;         ///< "M81", "MeasureSync", ... (any spelling, U2)
    QString serial;
    QString optionSerial;  ///< after '/' in the serial field, may be empty
    QString firmware;      ///< "2.1.0" (the rest of the line when it holds more commas)
};
/// nullopt (and why in `error`) for fewer than four comma-separated fields or an empty model.
std::optional<Identity> parseIdentity(QByteArrayView line, QString *error = nullptr);

/// A number in a reply item ("3", "+1.000000E-01", " 5 "); nullopt for anything else, also nan/inf.
std::optional<double> parseNumber(QByteArrayView item);

/// Printable form of device text for messages: control and non-ASCII bytes as \xNN, at most
/// `maxChars` characters (then "…").
QString escapedText(QByteArrayView bytes, int maxChars = 120);

} // namespace bs::m81
