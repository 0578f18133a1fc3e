// SPDX-License-Identifier: GPL-3.0-or-later
#include "MokuDriverBridge.h"

#include "MokuDriverRequests.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QNetworkProxy>
#include <QStandardPaths>
#include <QTcpServer>

namespace bs::moku {

namespace {

/// What the socket may hold unread: beyond it TCP pushes back on the bridge (bounded memory).
constexpr qint64 kReadBuffer = 8 << 20;
constexpr int kVersionTimeoutMs = 15000;

} // namespace

MokuDriverBridge::MokuDriverBridge(QObject *parent)
    : QObject(parent)
    , m_retry(this)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &MokuDriverBridge::tryConnect);
}

MokuDriverBridge::~MokuDriverBridge()
{
    close();
}

QString MokuDriverBridge::findMokucli(const QString &setting, QString *why)
{
    auto executable = [](const QString &path) {
        const QFileInfo f(path);
        return f.isFile() && f.isExecutable();
    };
    if (!setting.trimmed().isEmpty()) {
        const QString p = setting.trimmed();
        if (executable(p))
            return p;
        const QString found = QStandardPaths::findExecutable(p);
        if (!found.isEmpty())
            return found;
        if (why)
            *why = tr("the mokucli program set in the settings, %1, is not an executable file").arg(p);
        return {};
    }
    const QString env = qEnvironmentVariable("MOKU_CLI_PATH").trimmed();
    if (!env.isEmpty()) {
        if (executable(env))
            return env;
        if (why)
            *why = tr("MOKU_CLI_PATH is %1, which is not an executable file").arg(env);
        return {};
    }
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("mokucli"));
    if (onPath.isEmpty() && why)
        *why = tr("mokucli was not found (set its path in the settings or in MOKU_CLI_PATH, or put it on "
                  "PATH; it comes with Liquid Instruments' Moku software)");
    return onPath;
}

void MokuDriverBridge::connectTo(const HostPort &endpoint, int attempts, int intervalMs)
{
    m_endpoint = endpoint;
    if (m_where.isEmpty())
        m_where = endpoint.toString();
    m_attemptsLeft = std::max(1, attempts);
    m_intervalMs = intervalMs;
    m_closing = false;
    m_closedSent = false;
    tryConnect();
}

void MokuDriverBridge::tryConnect()
{
    if (m_closing)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    --m_attemptsLeft;
    m_socket = new QTcpSocket(this);
    m_socket->setReadBufferSize(kReadBuffer);
    m_socket->setProxy(QNetworkProxy::NoProxy);
    QTcpSocket *s = m_socket;
    connect(s, &QTcpSocket::connected, this, [this, s] {
        s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        Q_EMIT connected();
    });
    connect(s, &QTcpSocket::readyRead, this, [this, s] {
        // In pieces of at most the read buffer, so one call never holds more than that.
        while (s->bytesAvailable() > 0)
            Q_EMIT bytesReceived(s->read(kReadBuffer));
    });
    connect(s, &QTcpSocket::errorOccurred, this, [this, s](QAbstractSocket::SocketError e) {
        if (m_closing)
            return;
        if (s->state() != QAbstractSocket::ConnectedState && e != QAbstractSocket::RemoteHostClosedError
            && !m_closedSent && s->bytesAvailable() == 0 && s->property("wasConnected").isNull()) {
            if (m_attemptsLeft > 0) {
                m_retry.start(m_intervalMs);
                return;
            }
            Q_EMIT failed(tr("Cannot connect to the stream bridge at %1: %2").arg(m_where, s->errorString()));
        }
    });
    connect(s, &QTcpSocket::connected, this, [s] { s->setProperty("wasConnected", true); });
    connect(s, &QTcpSocket::disconnected, this, [this, s] {
        if (m_closing || m_closedSent)
            return;
        while (s->bytesAvailable() > 0)
            Q_EMIT bytesReceived(s->read(kReadBuffer));
        m_closedSent = true;
        Q_EMIT closed();
    });
    m_socket->connectToHost(m_endpoint.host, m_endpoint.port);
}

void MokuDriverBridge::launch(const QString &program, const QString &mokuAddress, const QString &streamId,
                              int attempts, int intervalMs)
{
    m_closing = false;
    m_closedSent = false;
    m_attemptsLeft = attempts;
    m_intervalMs = intervalMs;
    auto *version = new QProcess(this);
    m_process = version;
    version->setProgram(program);
    version->setArguments({QStringLiteral("--version")});
    auto *timer = new QTimer(version);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, version, [this, version, program] {
        version->disconnect(this);
        version->kill();
        version->deleteLater();
        Q_EMIT failed(tr("%1 --version did not answer within %2 s").arg(program).arg(kVersionTimeoutMs / 1000));
    });
    connect(version, &QProcess::errorOccurred, this, [this, version, program](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        version->disconnect(this);
        version->deleteLater();
        Q_EMIT failed(tr("Cannot run %1: %2").arg(program, version->errorString()));
    });
    connect(version, &QProcess::finished, this,
            [this, version, program, mokuAddress, streamId](int code, QProcess::ExitStatus status) {
                version->disconnect(this);
                version->deleteLater();
                if (m_closing)
                    return;
                const QString out = QString::fromLocal8Bit(version->readAllStandardOutput()).trimmed();
                const QString err = QString::fromLocal8Bit(version->readAllStandardError()).trimmed();
                if (status != QProcess::NormalExit || code != 0) {
                    Q_EMIT failed(tr("%1 --version failed (exit code %2)%3")
                                      .arg(program)
                                      .arg(code)
                                      .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err));
                    return;
                }
                const auto v = parseMokucliVersion(out);
                if (!v || *v < minimumMokucliVersion()) {
                    Q_EMIT failed(tr("%1 is version “%2”; streaming needs mokucli %3 or later")
                                      .arg(program, out, minimumMokucliVersion().toString()));
                    return;
                }
                startStream(program, mokuAddress, streamId);
            });
    timer->start(kVersionTimeoutMs);
    version->start(QIODevice::ReadOnly);
}

void MokuDriverBridge::startStream(const QString &program, const QString &mokuAddress, const QString &streamId)
{
    // A free local port: bind to port 0, read it, let it go (mokucli listens on it).
    quint16 port = 0;
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            Q_EMIT failed(tr("No free local port for the stream bridge: %1").arg(probe.errorString()));
            return;
        }
        port = probe.serverPort();
    }
    auto *p = new QProcess(this);
    m_process = p;
    m_stderr.clear();
    p->setProgram(program);
    p->setArguments({QStringLiteral("stream"), QStringLiteral("--ip-address=") + mokuAddress,
                     QStringLiteral("--stream-id=") + streamId, QStringLiteral("--target=%1").arg(port)});
    p->setStandardOutputFile(QProcess::nullDevice());
    connect(p, &QProcess::readyReadStandardError, this, [this, p] {
        const bool first = m_stderr.isEmpty();
        m_stderr += p->readAllStandardError();
        if (m_stderr.size() > 4096)
            m_stderr.truncate(4096);
        if (first && !m_stderr.trimmed().isEmpty() && !m_closing)
            QTimer::singleShot(50, this, [this] { // the rest of the message, usually right behind
                if (!m_closing)
                    Q_EMIT failed(tr("mokucli stream: %1").arg(QString::fromLocal8Bit(m_stderr).trimmed()));
            });
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, program](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart && !m_closing)
            Q_EMIT failed(tr("Cannot run %1: %2").arg(program, p->errorString()));
    });
    connect(p, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        if (m_closing)
            return;
        if ((status != QProcess::NormalExit || code != 0) && m_stderr.trimmed().isEmpty())
            Q_EMIT failed(status == QProcess::NormalExit ? tr("mokucli stream ended with exit code %1").arg(code)
                                                         : tr("mokucli stream crashed"));
    });
    m_where = QStringLiteral("127.0.0.1:%1 (mokucli)").arg(port);
    p->start(QIODevice::ReadOnly);
    HostPort local;
    local.host = QStringLiteral("127.0.0.1");
    local.port = port;
    local.kind = HostPort::Kind::IPv4;
    m_endpoint = local;
    m_retry.start(m_intervalMs); // mokucli needs a moment to listen
}

void MokuDriverBridge::close()
{
    m_closing = true;
    m_retry.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_process) {
        QProcess *p = m_process;
        m_process = nullptr;
        p->disconnect(this);
        if (p->state() != QProcess::NotRunning) {
            p->terminate();
            if (!p->waitForFinished(2000)) {
                p->kill();
                p->waitForFinished(2000);
            }
        }
        p->deleteLater();
    }
    m_where.clear();
}

} // namespace bs::moku
