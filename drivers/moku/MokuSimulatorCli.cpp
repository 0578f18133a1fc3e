// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuSimulatorCli.h"

#include "HostPort.h"
#include "MokuProtocolNdjson.h"
#include "MokuSimulatorFormat.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

#include <cstdio>
#include <optional>
#include <string>

namespace bs::moku {

namespace {

constexpr qint64 kMaxBuffered = 64 << 20;   ///< NDJSON held before a client connects
constexpr qint64 kMaxSocketBacklog = 8 << 20;

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "mokucli: %s\n", qPrintable(message));
    std::fflush(stderr);
    return code;
}

/// `--name=value` or `--name value`; nullopt when absent.
std::optional<QString> option(QStringList &args, const QString &name)
{
    for (int i = 0; i < args.size(); ++i) {
        if (args[i].startsWith(name + QLatin1Char('='))) {
            const QString v = args[i].mid(name.size() + 1);
            args.removeAt(i);
            return v;
        }
        if (args[i] == name && i + 1 < args.size()) {
            const QString v = args[i + 1];
            args.remove(i, 2);
            return v;
        }
    }
    return std::nullopt;
}

/// Fetches the stream and serves it; finishes the application with the exit code.
class StreamBridge : public QObject
{
public:
    StreamBridge(QUrl url, QString streamId)
        : m_url(std::move(url))
        , m_id(std::move(streamId))
    {
        m_poll.setSingleShot(true);
        connect(&m_poll, &QTimer::timeout, this, &StreamBridge::fetch);
        connect(&m_server, &QTcpServer::newConnection, this, &StreamBridge::accept);
        m_nam.setAutoDeleteReplies(true);
    }

    bool listen(quint16 port, QString *error)
    {
        if (!m_server.listen(QHostAddress::LocalHost, port)) {
            *error = QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_server.errorString());
            return false;
        }
        return true;
    }

    void fetch()
    {
        if (m_inFlight || m_done)
            return;
        if (m_client && m_client->bytesToWrite() > kMaxSocketBacklog)
            return; // resumed by bytesWritten
        QNetworkRequest req(m_url);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        const QJsonObject body{{QStringLiteral("stream_id"),
                                QJsonObject{{m_id, QJsonObject{{QStringLiteral("topic"), QStringLiteral("logformat0")}}}}}};
        m_inFlight = true;
        QNetworkReply *reply = m_nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
        connect(reply, &QNetworkReply::finished, this, [this, reply] { received(reply); });
    }

private:
    void received(QNetworkReply *reply)
    {
        m_inFlight = false;
        if (reply->error() != QNetworkReply::NoError && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0)
            return finish(fail(QStringLiteral("cannot fetch stream %1 from %2: %3")
                                   .arg(m_id, m_url.authority(), reply->errorString())));
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray bytes = reply->readAll();
        if (status != 200)
            return finish(fail(QStringLiteral("stream %1: the Moku answered HTTP %2").arg(m_id).arg(status)));
        if (!bytes.startsWith("LI")) {
            const QJsonObject o = QJsonDocument::fromJson(bytes).object();
            const QString why = o.contains(QStringLiteral("error")) ? o.value(QStringLiteral("error")).toVariant().toString()
                                                                    : QString::fromUtf8(bytes.left(200));
            return finish(fail(QStringLiteral("stream %1: %2").arg(m_id, why)));
        }
        SimChunk chunk;
        if (const QString e = decodeChunk(bytes, chunk); !e.isEmpty())
            return finish(fail(QStringLiteral("stream %1: %2").arg(m_id, e)));
        const std::size_t n = chunk.count();
        if (n > 0) {
            m_time.resize(n);
            for (std::size_t i = 0; i < n; ++i)
                m_time[i] = double(chunk.first + qint64(i)) / chunk.rate;
            std::vector<const double *> ptrs;
            for (const auto &v : chunk.values)
                ptrs.push_back(v.data());
            appendStreamLine(m_out, m_time.data(), ptrs, chunk.channels, n);
        }
        if (chunk.end) {
            appendEndOfStream(m_out);
            m_done = true;
        }
        if (!m_client && qint64(m_out.size()) > kMaxBuffered)
            return finish(fail(QStringLiteral("stream %1: nobody connected to port %2 while %3 MB arrived")
                                   .arg(m_id)
                                   .arg(m_server.serverPort())
                                   .arg(kMaxBuffered >> 20)));
        flush();
        if (!m_done) {
            if (n > 0)
                fetch();
            else
                m_poll.start(20);
        }
    }

    void accept()
    {
        while (QTcpSocket *s = m_server.nextPendingConnection()) {
            if (m_client) {
                s->abort();
                s->deleteLater();
                continue;
            }
            m_client = s;
            connect(s, &QTcpSocket::bytesWritten, this, [this] {
                flush();
                if (!m_done && !m_inFlight && !m_poll.isActive())
                    fetch();
            });
            connect(s, &QTcpSocket::disconnected, this, [this] {
                if (!m_finished)
                    finish(0); // the reader went away: nothing more to do
            });
            connect(s, &QTcpSocket::readyRead, s, [s] { s->readAll(); });
            flush();
        }
    }

    void flush()
    {
        if (!m_client || m_out.empty())
            return;
        m_client->write(m_out.data(), qint64(m_out.size()));
        m_out.clear();
        if (m_done) {
            m_finished = true;
            m_client->disconnectFromHost();
            if (m_client->state() == QAbstractSocket::UnconnectedState)
                QCoreApplication::exit(0);
            else
                connect(m_client, &QTcpSocket::disconnected, qApp, [] { QCoreApplication::exit(0); });
        }
    }

    void finish(int code)
    {
        m_finished = true;
        m_done = true;
        if (m_client)
            m_client->abort(); // without EOS: the reader sees the stream fail
        QCoreApplication::exit(code);
    }

    QUrl m_url;
    QString m_id;
    QTcpServer m_server;
    QNetworkAccessManager m_nam;
    QPointer<QTcpSocket> m_client;
    QTimer m_poll;
    std::string m_out;
    std::vector<double> m_time;
    bool m_inFlight = false;
    bool m_done = false;
    bool m_finished = false;
};

int stream(QStringList args)
{
    const auto ip = option(args, QStringLiteral("--ip-address"));
    const auto id = option(args, QStringLiteral("--stream-id"));
    const auto target = option(args, QStringLiteral("--target"));
    if (!args.isEmpty())
        return fail(QStringLiteral("stream: unexpected '%1'").arg(args.first()), 2);
    if (!ip || !id || !target)
        return fail(QStringLiteral("stream needs --ip-address, --stream-id and --target"), 2);
    QString why;
    const auto hp = parseHostPort(*ip, 80, &why);
    if (!hp)
        return fail(QStringLiteral("stream: --ip-address %1: %2").arg(*ip, why), 2);
    bool isPort = false;
    const int port = target->toInt(&isPort);
    if (!isPort)
        return fail(QStringLiteral("stream: --target %1: BenchScope's stand-in mokucli streams to a local port only "
                                   "(files and '-' are not supported)")
                        .arg(*target));
    if (port < 1024 || port > 65535)
        return fail(QStringLiteral("stream: --target %1 is not a port between 1024 and 65535").arg(port), 2);
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(hp->host);
    url.setPort(hp->port);
    url.setPath(QStringLiteral("/api/v2/get_chunk"));
    StreamBridge bridge(url, *id);
    if (!bridge.listen(quint16(port), &why))
        return fail(why);
    bridge.fetch();
    return QCoreApplication::exec();
}

int convert(QStringList args)
{
    QString format = option(args, QStringLiteral("--format")).value_or(QStringLiteral("csv")).toLower();
    if (args.size() != 1)
        return fail(QStringLiteral("convert needs one .li file (and --format=csv)"), 2);
    if (format != QLatin1String("csv"))
        return fail(QStringLiteral("convert: --format=%1 is not supported by BenchScope's stand-in mokucli (csv only)")
                        .arg(format));
    QFile in(args.first());
    if (!in.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("convert: cannot open %1: %2").arg(in.fileName(), in.errorString()));
    QJsonObject header;
    qint64 offset = 0;
    if (const QString e = readLogFileHeader(in.read(1 << 20), &header, &offset); !e.isEmpty())
        return fail(QStringLiteral("convert: %1: %2").arg(in.fileName(), e));
    const double rate = header.value(QStringLiteral("rate")).toDouble();
    const QJsonArray channels = header.value(QStringLiteral("channels")).toArray();
    const QJsonArray frontends = header.value(QStringLiteral("frontends")).toArray();
    const int nch = int(channels.size());
    const QFileInfo info(in.fileName());
    QFile out(info.dir().filePath(info.completeBaseName() + QStringLiteral(".csv")));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(QStringLiteral("convert: cannot write %1: %2").arg(out.fileName(), out.errorString()));
    QByteArray text;
    text += "% " + header.value(QStringLiteral("hardware")).toString().toUtf8() + " Data Logger\n";
    for (int c = 0; c < nch; ++c) {
        const QJsonObject f = frontends.at(c).toObject();
        text += QStringLiteral("%% Input %1 (on), %2 , %3 , %4\n")
                    .arg(channels.at(c).toInt())
                    .arg(f.value(QStringLiteral("coupling")).toString(), f.value(QStringLiteral("impedance")).toString(),
                         f.value(QStringLiteral("range")).toString())
                    .toUtf8();
    }
    text += QStringLiteral("%% Acquisition rate: %1 Hz, %2 mode\n")
                .arg(QString::number(rate, 'e', 10), header.value(QStringLiteral("mode")).toString())
                .toUtf8();
    text += "% Acquired " + header.value(QStringLiteral("start")).toString().toUtf8() + "\n% Time (s)";
    for (const auto &c : channels)
        text += ", Input " + QByteArray::number(c.toInt()) + " (V)";
    text += "\n";
    out.write(text);
    in.seek(offset);
    const qint64 record = logRecordBytes(nch);
    qint64 k = 0;
    while (true) {
        const QByteArray block = in.read(record * 65536);
        if (block.isEmpty())
            break;
        text.clear();
        const qint64 records = block.size() / record;
        for (qint64 r = 0; r < records; ++r, ++k) {
            text += QByteArray::number(double(k) / rate, 'g', 12);
            for (int c = 0; c < nch; ++c) {
                const float v = qFromLittleEndian<float>(block.constData() + r * record + 4 * c);
                text += ", " + QByteArray::number(double(v), 'g', 9);
            }
            text += '\n';
        }
        out.write(text);
        if (block.size() % record != 0)
            return fail(QStringLiteral("convert: %1 ends in the middle of a record").arg(in.fileName()));
    }
    std::fprintf(stdout, "%s\n", qPrintable(out.fileName()));
    return 0;
}

} // namespace

int runMokuCli(const QStringList &argsIn)
{
    QStringList args = argsIn;
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        std::fprintf(args.isEmpty() ? stderr : stdout,
                     "Usage: mokucli --version | config which | stream --ip-address=H[:P] --stream-id=ID --target=PORT"
                     " | convert FILE.li --format=csv\n(BenchScope's stand-in for Liquid Instruments' mokucli, for its"
                     " Moku simulator only)\n");
        return args.isEmpty() ? 2 : 0;
    }
    const QString cmd = args.takeFirst();
    if (cmd == QLatin1String("--version") || cmd == QLatin1String("version")) {
        std::fprintf(stdout, "%s\n", kStandInMokucliVersion);
        return 0;
    }
    if (cmd == QLatin1String("config") && args.value(0) == QLatin1String("which")) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
        std::fprintf(stdout, "%s\n", qPrintable(QDir(dir).filePath(QStringLiteral("mokucli/config.yml"))));
        return 0;
    }
    if (cmd == QLatin1String("stream"))
        return stream(args);
    if (cmd == QLatin1String("convert"))
        return convert(args);
    return fail(QStringLiteral("'%1' is not supported by BenchScope's stand-in mokucli").arg(cmd), 2);
}

} // namespace bs::moku
