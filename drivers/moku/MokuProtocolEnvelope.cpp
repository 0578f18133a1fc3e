// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuProtocolEnvelope.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <limits>

namespace bs::moku {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::moku::Envelope", text);
}

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isWordChar(char c)
{
    return isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/// 0 = not a non-finite word, 1 = nan, 2 = inf
int nonFiniteKind(QByteArrayView word)
{
    if (word.compare("nan", Qt::CaseInsensitive) == 0)
        return 1;
    if (word.compare("inf", Qt::CaseInsensitive) == 0 || word.compare("infinity", Qt::CaseInsensitive) == 0)
        return 2;
    return 0;
}

} // namespace

QByteArray normaliseNonFinite(QByteArrayView json)
{
    const char *p = json.data();
    const qsizetype n = json.size();
    QByteArray out;
    qsizetype copied = 0;
    bool inString = false;
    for (qsizetype i = 0; i < n; ++i) {
        const char c = p[i];
        if (inString) {
            if (c == '\\')
                ++i; // skip the escaped character, whatever it is
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        const bool signedWord = (c == '-' || c == '+') && i + 1 < n && isLetter(p[i + 1]);
        if (!isLetter(c) && !signedWord)
            continue;
        if (i > 0 && isWordChar(p[i - 1]))
            continue; // inside a number such as 1e5 or a longer word
        const qsizetype start = signedWord ? i + 1 : i;
        qsizetype end = start;
        while (end < n && isWordChar(p[end]))
            ++end;
        const int kind = nonFiniteKind(QByteArrayView(p + start, end - start));
        if (kind != 0) {
            out.append(p + copied, i - copied);
            if (kind == 1)
                out.append("\"nan\"");
            else
                out.append(c == '-' ? "\"-inf\"" : "\"inf\"");
            copied = end;
        }
        i = end - 1;
    }
    if (copied == 0)
        return json.toByteArray();
    out.append(p + copied, n - copied);
    return out;
}

double jsonNumber(const QJsonValue &v, double fallback)
{
    if (v.isDouble())
        return v.toDouble();
    if (!v.isString())
        return fallback;
    QString s = v.toString().trimmed();
    bool negative = false;
    if (s.startsWith(QLatin1Char('-')) || s.startsWith(QLatin1Char('+'))) {
        negative = s.startsWith(QLatin1Char('-'));
        s.remove(0, 1);
    }
    if (s.compare(QLatin1String("nan"), Qt::CaseInsensitive) == 0)
        return std::numeric_limits<double>::quiet_NaN();
    if (s.compare(QLatin1String("inf"), Qt::CaseInsensitive) == 0
        || s.compare(QLatin1String("infinity"), Qt::CaseInsensitive) == 0)
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return fallback;
}

Reply parseReply(QByteArrayView body)
{
    Reply r;
    if (body.trimmed().isEmpty()) {
        r.problem = tr("the reply is empty");
        return r;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(normaliseNonFinite(body), &error);
    if (error.error != QJsonParseError::NoError) {
        r.problem = tr("the reply is not valid JSON (%1 at byte %2 of %3)")
                        .arg(error.errorString())
                        .arg(error.offset)
                        .arg(body.size());
        return r;
    }
    if (!doc.isObject()) {
        r.problem = tr("the reply is JSON but not an object with \"success\"");
        return r;
    }
    const QJsonObject o = doc.object();
    const QJsonValue success = o.value(QLatin1String("success"));
    if (success.isUndefined()) {
        r.problem = tr("the reply has no \"success\" key");
        return r;
    }
    if (!success.isBool()) {
        r.problem = tr("the reply's \"success\" is not true or false");
        return r;
    }
    r.success = success.toBool();
    r.data = o.value(QLatin1String("data"));
    if (r.data.isUndefined())
        r.data = QJsonValue(QJsonValue::Null);
    const QJsonValue code = o.value(QLatin1String("code"));
    if (code.isString())
        r.code = code.toString();
    else if (code.isDouble())
        r.code = QString::number(code.toDouble());
    const QJsonValue messages = o.value(QLatin1String("messages"));
    if (messages.isArray()) {
        for (const QJsonValue &m : messages.toArray()) {
            if (m.isString())
                r.messages << m.toString();
            else if (!m.isNull())
                r.messages << QString::fromUtf8(QJsonDocument(QJsonArray{m}).toJson(QJsonDocument::Compact))
                                  .mid(1)
                                  .chopped(1);
        }
    } else if (messages.isString()) {
        r.messages << messages.toString();
    }
    return r;
}

QString joinMessages(const QStringList &messages)
{
    QStringList kept;
    for (const QString &m : messages) {
        const QString t = m.trimmed();
        if (!t.isEmpty())
            kept << t;
    }
    return kept.join(QLatin1String("; "));
}

QString explainFailure(const QString &operation, int httpStatus, const Reply &reply)
{
    const QString said = joinMessages(reply.messages);
    // " The Moku says: “…”." or "" — appended to sentences that can carry the device's words.
    const QString quote = said.isEmpty() ? QString() : tr(" The Moku says: “%1”.").arg(said);
    const bool isClaim = operation == QLatin1String("claim_ownership");

    switch (httpStatus) {
    case 200:
        break;
    case 404:
        return tr("The Moku does not know the operation “%1” (HTTP 404): its MokuOS version and "
                  "this program's version of the API differ; update the one that is older.")
            .arg(operation);
    case 500:
        return tr("The Moku failed with an internal error while doing “%1” (HTTP 500).").arg(operation)
            + quote;
    case 502:
        return tr("The Moku's API server feature is not installed (HTTP 502 on “%1”): install it with "
                  "“mokucli feature install <moku> api-server”.")
            .arg(operation);
    case 504:
        return tr("The Moku did not answer “%1” in time (HTTP 504 timeout); check that it is not "
                  "busy or restarting and try again.")
            .arg(operation);
    default:
        if (isClaim && httpStatus >= 400 && httpStatus < 500)
            return tr("The Moku is in use by another client and refused to be claimed (HTTP %1). "
                      "Close the other program or the Moku app, or take it over.")
                       .arg(httpStatus)
                + quote;
        return tr("The Moku answered “%1” with HTTP status %2.").arg(operation).arg(httpStatus) + quote;
    }

    if (!reply.problem.isEmpty())
        return tr("The Moku's reply to “%1” is not understood: %2.").arg(operation, reply.problem);
    if (reply.success)
        return QString();

    if (isClaim)
        return tr("The Moku is in use by another client and refused to be claimed. Close the other "
                  "program or the Moku app, or take it over.")
            + quote;

    const QString &code = reply.code;
    if (code == QLatin1String("NO_PLATFORM_BIT_STREAM"))
        return tr("The Moku's platform bitstream is missing, so “%1” cannot run: update MokuOS or "
                  "open the Moku once in the Moku app so that it installs it.")
                   .arg(operation)
            + quote;
    if (code == QLatin1String("NO_BIT_STREAM"))
        return tr("The Datalogger is not installed on the Moku (“%1” failed): open the Datalogger "
                  "once in the Moku app, or upload its bitstream.")
                   .arg(operation)
            + quote;
    if (code == QLatin1String("INVALID_PARAM"))
        return tr("The Moku refused a value of “%1” as out of range or not realisable.").arg(operation)
            + quote;
    if (code == QLatin1String("INVALID_REQUEST"))
        return tr("The Moku refused the request “%1” as malformed or not allowed now (for example "
                  "when the client key is missing or no longer valid).")
                   .arg(operation)
            + quote;
    if (code == QLatin1String("NETWORK_ERROR"))
        return tr("The Moku reported a network error during “%1”.").arg(operation) + quote;
    if (code == QLatin1String("UNEXPECTED_CHANGE"))
        return tr("The Moku's state changed unexpectedly during “%1” (for example another client "
                  "took it over).")
                   .arg(operation)
            + quote;
    if (code.isEmpty())
        return tr("The Moku refused “%1” without an error code.").arg(operation) + quote;
    return tr("The Moku refused “%1” with error code %2.").arg(operation, code) + quote;
}

LoggingProgress parseLoggingProgress(const QJsonValue &data)
{
    LoggingProgress p;
    if (!data.isObject())
        return p;
    const QJsonObject o = data.toObject();
    auto number = [&o](const char *key) {
        const QJsonValue v = o.value(QLatin1String(key));
        const double d = jsonNumber(v, -1);
        return std::isnan(d) ? -1.0 : d;
    };
    auto has = [&o](const char *key) {
        const QJsonValue v = o.value(QLatin1String(key));
        return !v.isUndefined() && !v.isNull();
    };
    p.running = o.value(QLatin1String("running")).toBool(false);
    p.complete = o.value(QLatin1String("complete")).toBool(false);
    p.fileName = o.value(QLatin1String("file_name")).toString();
    p.message = o.value(QLatin1String("message")).toString();
    p.samplesLogged = has("samples_logged") ? number("samples_logged") : number("words_logged");
    p.bytesLogged = number("bytes_logged");
    p.timeRemaining = has("time_remaining") ? number("time_remaining") : number("time_to_end");
    p.timeToStart = number("time_to_start");
    return p;
}

} // namespace bs::moku
