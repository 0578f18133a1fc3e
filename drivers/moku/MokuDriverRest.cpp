// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuDriverRest.h"

#include "MokuDriverRequests.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTimer>

namespace bs::moku {

namespace {

QString operationOf(const QString &path)
{
    return path.section(QLatin1Char('/'), -1);
}

} // namespace

MokuDriverRest::MokuDriverRest(QObject *parent)
    : QObject(parent)
{
}

MokuDriverRest::~MokuDriverRest()
{
    cancelAll();
}

QNetworkAccessManager *MokuDriverRest::manager()
{
    if (!m_manager) {
        m_manager = new QNetworkAccessManager(this);
        m_manager->setAutoDeleteReplies(false);
        // A Moku is on the bench (LAN, USB): never through an HTTP proxy from the environment.
        m_manager->setProxy(QNetworkProxy::NoProxy);
    }
    return m_manager;
}

void MokuDriverRest::call(const Request &request, Callback done)
{
    QNetworkRequest r(apiUrl(m_endpoint, request.path));
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!m_key.isEmpty())
        r.setRawHeader(kKeyHeader, m_key.toUtf8());
    QByteArray body;
    switch (request.body) {
    case Request::Body::None: break;
    case Request::Body::Json:
        body = QJsonDocument(request.json).toJson(QJsonDocument::Compact);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        break;
    case Request::Body::Raw:
        body = request.raw;
        r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/octet-stream"));
        break;
    }
    QNetworkReply *reply = nullptr;
    if (request.verb == "GET")
        reply = manager()->get(r);
    else if (request.body == Request::Body::None)
        reply = manager()->sendCustomRequest(r, request.verb, QByteArray());
    else
        reply = manager()->sendCustomRequest(r, request.verb, body);

    Call c;
    c.request = request;
    c.done = std::move(done);
    c.timer = new QTimer(this);
    c.timer->setSingleShot(true);
    if (!request.downloadTo.isEmpty()) {
        c.file = new QFile(request.downloadTo, this);
        if (!c.file->open(QIODevice::WriteOnly | QIODevice::Truncate))
            c.writeError = tr("cannot write %1: %2").arg(request.downloadTo, c.file->errorString());
    }
    m_calls.insert(reply, c);
    connect(c.timer, &QTimer::timeout, this, [this, reply] {
        auto it = m_calls.find(reply);
        if (it == m_calls.end())
            return;
        it->timedOut = true;
        reply->abort(); // finished() follows
    });
    c.timer->start(request.timeoutMs);
    if (c.file) {
        connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
            auto it = m_calls.find(reply);
            if (it == m_calls.end())
                return;
            it->timer->start(it->request.timeoutMs); // a download may take long; a pause may not
            const QByteArray chunk = reply->readAll();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status != 200) { // an error reply: kept for the envelope
                it->request.downloadTo.clear();
                reply->setProperty("errorBody", reply->property("errorBody").toByteArray() + chunk);
                return;
            }
            if (it->writeError.isEmpty() && it->file->write(chunk) != chunk.size())
                it->writeError = tr("cannot write %1: %2").arg(it->file->fileName(), it->file->errorString());
            it->written += chunk.size();
        });
        connect(reply, &QNetworkReply::downloadProgress, this, &MokuDriverRest::downloadProgress);
    }
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finish(reply); });
}

void MokuDriverRest::takeKey(QNetworkReply *reply)
{
    const QByteArray k = reply->rawHeader(kKeyHeader).trimmed();
    if (!k.isEmpty())
        m_key = QString::fromLatin1(k);
}

void MokuDriverRest::finish(QNetworkReply *reply)
{
    auto it = m_calls.find(reply);
    if (it == m_calls.end())
        return;
    Call c = *it;
    m_calls.erase(it);
    c.timer->stop();
    c.timer->deleteLater();
    reply->deleteLater();

    Result r;
    r.operation = operationOf(c.request.path);
    r.timedOut = c.timedOut;
    r.http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    takeKey(reply);
    QByteArray body = reply->readAll();
    if (c.file) {
        if (r.http == 200 && !body.isEmpty() && c.writeError.isEmpty() && c.file->write(body) != body.size())
            c.writeError = tr("cannot write %1: %2").arg(c.file->fileName(), c.file->errorString());
        if (r.http == 200)
            c.written += body.size();
        else
            body = reply->property("errorBody").toByteArray() + body;
        c.file->close();
        c.file->deleteLater();
        r.bytes = c.written;
    }
    const double seconds = c.request.timeoutMs / 1000.0;
    if (c.timedOut) {
        r.error = c.file ? tr("The Moku at %1 stopped sending “%2” for %3 s").arg(peer(), r.operation).arg(seconds)
                         : tr("The Moku at %1 did not answer “%2” within %3 s").arg(peer(), r.operation).arg(seconds);
    } else if (r.http == 0) {
        r.error = tr("Cannot reach the Moku at %1 (“%2”): %3").arg(peer(), r.operation, reply->errorString());
    } else if (!c.request.envelope && r.http == 200) {
        // The file itself; an envelope that says success false is still an error.
        if (body.startsWith('{')) {
            const Reply e = parseReply(body);
            if (e.problem.isEmpty() && !e.success)
                r.error = explainFailure(r.operation, r.http, e);
        }
        if (r.error.isEmpty() && !c.writeError.isEmpty())
            r.error = c.writeError;
        if (r.error.isEmpty() && reply->error() != QNetworkReply::NoError)
            r.error = tr("The download of “%1” from the Moku at %2 broke off: %3")
                          .arg(r.operation, peer(), reply->errorString());
        if (!c.file)
            r.body = body;
    } else {
        r.reply = parseReply(body);
        r.error = explainFailure(r.operation, r.http, r.reply);
        if (r.error.isEmpty() && reply->error() != QNetworkReply::NoError)
            r.error = tr("The Moku at %1 (“%2”): %3").arg(peer(), r.operation, reply->errorString());
    }
    if (c.done)
        c.done(r);
}

void MokuDriverRest::cancelAll()
{
    const auto calls = std::exchange(m_calls, {});
    for (auto it = calls.begin(); it != calls.end(); ++it) {
        QNetworkReply *reply = it.key();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
        it->timer->stop();
        it->timer->deleteLater();
        if (it->file) {
            it->file->close();
            it->file->deleteLater();
        }
    }
}

QString MokuDriverRest::postBlocking(const QString &path, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(m_endpoint.host, m_endpoint.port);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return tr("cannot reach %1: %2").arg(peer(), socket.errorString());
    socket.write(httpPostText(m_endpoint, path, m_key, QByteArrayLiteral("{}")));
    auto remaining = [&deadline] { return int(std::max<qint64>(1, deadline.remainingTime())); };
    while (socket.bytesToWrite() && !deadline.hasExpired())
        if (!socket.waitForBytesWritten(remaining()))
            break;
    QByteArray head;
    qsizetype end = -1;
    while (end < 0 && !deadline.hasExpired()) {
        const bool more = socket.waitForReadyRead(remaining());
        head += socket.readAll();
        end = head.indexOf("\r\n\r\n");
        if (!more && end < 0)
            break;
    }
    if (end >= 0) {
        const int status = parseHttpStatus(head).value_or(0);
        // Read the body for as long as it takes (Content-Length, bounded by the deadline).
        qsizetype length = -1;
        for (const QByteArray &line : head.left(end).split('\n')) {
            const QByteArray l = line.trimmed().toLower();
            if (l.startsWith("content-length:"))
                length = l.mid(15).trimmed().toLongLong();
        }
        while (length >= 0 && head.size() - end - 4 < length && !deadline.hasExpired()
               && socket.waitForReadyRead(remaining()))
            head += socket.readAll();
        const QByteArray body = head.mid(end + 4);
        if (status != 200)
            return tr("HTTP %1").arg(status);
        if (body.isEmpty())
            return {};
        const Reply e = parseReply(body);
        return e.success ? QString() : explainFailure(operationOf(path), status, e);
    }
    return tr("no answer from %1 within %2 s").arg(peer()).arg(timeoutMs / 1000.0);
}

} // namespace bs::moku
