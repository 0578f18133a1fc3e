// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The Moku's REST API seen from the driver's thread: one QNetworkAccessManager (HTTP/1.1, no
// TLS), the client key on every request and refreshed from every reply, a timeout per call, the
// reply envelope and HTTP errors turned into one sentence (MokuProtocolEnvelope). Also a small
// blocking POST for the exit paths (relinquish_ownership, stop_streaming from close() and the
// destructor), which must reach the Moku without an event loop.

#include "HostPort.h"
#include "MokuProtocolEnvelope.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>

#include <deque>
#include <functional>
#include <optional>

class QFile;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace bs::moku {

class MokuDriverRest : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kKeyHeader = "Moku-Client-Key";

    /// One call. `path` follows `/api/` ("moku/claim_ownership", "slot1/datalogger/set_frontend").
    struct Request
    {
        enum class Body { None, Json, Raw };
        QByteArray verb = "POST";
        QString path;
        Body body = Body::Json;
        QJsonObject json;         ///< Body::Json ({} when empty)
        QByteArray raw;           ///< Body::Raw (load_settings)
        int timeoutMs = 30000;    ///< the whole call; for a download: the longest pause
        bool envelope = true;     ///< false: the reply is the file itself (save_settings, download)
        QString downloadTo;       ///< stream the reply's body into this file (envelope false)
    };

    struct Result
    {
        QString operation;        ///< last part of the path ("set_frontend")
        int http = 0;             ///< 0: no HTTP reply (timeout, connection refused)
        bool timedOut = false;
        Reply reply;              ///< the envelope (envelope calls)
        QByteArray body;          ///< raw body (envelope false, no downloadTo)
        qint64 bytes = 0;         ///< bytes written to downloadTo
        QString error;            ///< one sentence; empty on success
        bool ok() const { return error.isEmpty(); }
        QJsonObject object() const { return reply.data.toObject(); }
    };
    using Callback = std::function<void(const Result &)>;

    explicit MokuDriverRest(QObject *parent = nullptr);
    ~MokuDriverRest() override;

    void setEndpoint(const HostPort &endpoint) { m_endpoint = endpoint; }
    const HostPort &endpoint() const { return m_endpoint; }
    /// "host:port" as messages show it.
    QString peer() const { return m_endpoint.toString(); }
    QString key() const { return m_key; }
    void setKey(const QString &key) { m_key = key; }

    /// Sends `request`; `done` is called once on this thread, unless cancelAll() comes first.
    /// One call is on the wire at a time, in the order given (as the vendor's client does it:
    /// two writes to the Moku never overtake each other); downloads go alongside.
    void call(const Request &request, Callback done);
    /// Aborts every call in flight; their callbacks are never called.
    void cancelAll();
    int pending() const { return int(m_calls.size() + m_queue.size()); }

    /// A blocking POST with body `{}` and the key, waiting at most `timeoutMs` for the status
    /// line (no event loop runs). For the exit paths only. Returns an empty string on HTTP 200
    /// with a successful envelope, else what went wrong.
    QString postBlocking(const QString &path, int timeoutMs);

Q_SIGNALS:
    /// A download in progress (`total` -1 when unknown).
    void downloadProgress(qint64 received, qint64 total);

private:
    struct Call
    {
        Request request;
        Callback done;
        QTimer *timer = nullptr;
        QFile *file = nullptr;
        bool timedOut = false;
        qint64 written = 0;
        QString writeError;
    };
    QNetworkAccessManager *manager();
    void send(const Request &request, Callback done);
    void sendNext();
    void finish(QNetworkReply *reply);
    void takeKey(QNetworkReply *reply);

    HostPort m_endpoint;
    QString m_key;
    QNetworkAccessManager *m_manager = nullptr; // created on first use, on the driver's thread
    QHash<QNetworkReply *, Call> m_calls;
    std::deque<std::pair<Request, Callback>> m_queue;
    QNetworkReply *m_current = nullptr; ///< the call on the wire (not a download)
};

} // namespace bs::moku
