// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The REST reply envelope of MokuOS 4.x (docs/protocols/moku.md §2.3): every reply is
// {"success": bool, "data": any, "code": string|null, "messages": [string]|null}. Pure code, no I/O:
// the bare nan/inf tokens the device may send are made valid JSON first, the envelope is checked,
// and a failure is turned into one sentence a lab technician understands. Also the Datalogger's
// logging_progress reply in both key sets (§9 U12).

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <QtNumeric>

namespace bs::moku {

/// Bare `nan`, `inf`, `-inf` (any letter case, also `Infinity`, `-Infinity`, `+inf`, `-nan`) outside
/// JSON strings become the JSON strings "nan", "inf", "-inf"; everything else, including the text
/// inside strings such as a file name "info.li", is left untouched (§2.3, §9 U10).
QByteArray normaliseNonFinite(QByteArrayView json);

/// A JSON number, or one of the strings "nan", "inf", "-inf" (any case, also "Infinity") → the
/// double; anything else → `fallback`.
double jsonNumber(const QJsonValue &v, double fallback = qQNaN());

/// One parsed reply envelope.
struct Reply
{
    bool success = false;
    QJsonValue data;     ///< the result (success) or whatever the device put there (failure)
    QString code;        ///< e.g. "INVALID_PARAM"; empty when null or absent
    QStringList messages; ///< the device's own sentences (warnings on success, reasons on failure)
    QString problem;     ///< non-empty when the body is not a valid envelope (then success is false)
};

/// Parses a reply body (normalising non-finite numbers first). Never throws; a body that is not
/// JSON, truncated, not an object, or without a boolean `success` gives a `problem` sentence.
Reply parseReply(QByteArrayView body);

/// One sentence (translated) explaining why `operation` (e.g. "set_samplerate") failed, from the
/// HTTP status and the parsed reply: 404/500/502/504, each documented error code, unknown codes
/// (code + messages), an envelope problem, and a refused claim_ownership (device in use by another
/// client, quoting the device's message). Empty when the reply is a success with HTTP 200.
QString explainFailure(const QString &operation, int httpStatus, const Reply &reply);

/// The device's `messages` joined for display ("a; b"), empty when there are none.
QString joinMessages(const QStringList &messages);

/// The Datalogger's logging_progress reply (either firmware's key set, §9 U12).
struct LoggingProgress
{
    bool running = false;
    bool complete = false;
    QString fileName;
    double samplesLogged = -1; ///< samples_logged (current) or words_logged (old); -1 unknown
    double bytesLogged = -1;   ///< bytes_logged (old firmware only); -1 unknown
    double timeRemaining = -1; ///< seconds: time_remaining (current) or time_to_end (old); -1 unknown
    double timeToStart = -1;   ///< seconds until logging starts (old: time_to_start); -1 unknown
    QString message;           ///< e.g. waiting for the delay or the trigger
};

/// Reads `data` of a logging_progress reply. Accepts the current keys (complete, file_name,
/// running, samples_logged, time_remaining, message) and the old ones (time_to_end, time_to_start,
/// words_logged, bytes_logged); missing keys stay unknown. A non-object gives the defaults.
LoggingProgress parseLoggingProgress(const QJsonValue &data);

} // namespace bs::moku
