// SPDX-License-Identifier: GPL-3.0-or-later
#include "Nv200DriverLink.h"

#include "HostPort.h"
#include "SessionClock.h"

#include <QSerialPort>
#include <QTcpSocket>

#include <algorithm>
#include <cmath>

namespace bs::nv200 {

Nv200DriverLink::Nv200DriverLink(QObject *parent)
    : QObject(parent)
    , m_timer(this)
    , m_settle(this)
{
    m_timer.setSingleShot(true);
    m_settle.setSingleShot(true);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        m_settling = false;
        if (m_open)
            Q_EMIT connected();
    });
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_inFlight) { // connect timeout
            lose(tr("%1: no connection within %2 s").arg(m_peer).arg(m_connectTimeoutMs / 1000.0));
            return;
        }
        Result r;
        r.status = Result::Status::Timeout;
        r.error = tr("NV200 at %1 did not answer '%2' within %3 s")
                      .arg(m_peer, m_inFlight->command)
                      .arg(timeoutMs(m_inFlight->kind, m_inFlight->expectedBytes) / 1000.0);
        r.text = m_reader.pendingBytes() ? QByteArray("(incomplete reply)") : QByteArray();
        finish(std::move(r));
    });
}

Nv200DriverLink::~Nv200DriverLink()
{
    close();
}

void Nv200DriverLink::setTimeouts(int setterMs, int queryMs, int dumpMs)
{
    m_setterMs = setterMs;
    m_queryMs = queryMs;
    m_dumpMs = dumpMs;
}

int Nv200DriverLink::timeoutMs(Kind kind, qint64 expectedBytes) const
{
    switch (kind) {
    case Kind::Setter: return m_setterMs;
    case Kind::Query:
    case Kind::Raw: return m_queryMs;
    case Kind::Dump: return std::max(m_dumpMs, int(std::ceil(m_queryMs + 2.0 * lineMs(expectedBytes))));
    }
    return m_queryMs;
}

namespace {
/// The line of a multi-line frame that answers `name` (empty if none).
QByteArray echoingLine(const QByteArray &text, const QByteArray &name)
{
    for (const QByteArray &line : text.split('\n')) {
        const qsizetype comma = line.indexOf(',');
        if (line.left(comma < 0 ? line.size() : comma).trimmed() == name)
            return line;
    }
    return {};
}
} // namespace

qint64 Nv200DriverLink::answerLimit(Kind kind, qint64 expectedBytes)
{
    switch (kind) {
    case Kind::Setter:
    case Kind::Query: return kMaxQueryAnswer;
    case Kind::Raw: return kMaxFrameBytes;
    case Kind::Dump:
        return expectedBytes > 0 ? std::min<qint64>(kMaxFrameBytes, std::max<qint64>(1024, 2 * expectedBytes))
                                 : kMaxFrameBytes;
    }
    return kMaxQueryAnswer;
}

bool Nv200DriverLink::isSerialAddress(const QString &address)
{
    const QString addr = address.trimmed();
    return addr.startsWith(QLatin1Char('/')) || addr.startsWith(QLatin1String("COM"), Qt::CaseInsensitive);
}

QString Nv200DriverLink::checkAddress(const QString &address)
{
    if (isSerialAddress(address))
        return {};
    QString why;
    parseHostPort(address, kDefaultTcpPort, &why);
    return why;
}

bool Nv200DriverLink::open(const QString &address, QString *error)
{
    close();
    m_reader.reset();
    const QString addr = address.trimmed();
    if (isSerialAddress(addr)) {
        m_serial = new QSerialPort(this);
        m_serial->setPortName(addr);
        m_peer = tr("serial %1").arg(addr);
        m_io = m_serial;
        connect(m_serial, &QSerialPort::readyRead, this, &Nv200DriverLink::onReadyRead);
        connect(m_serial, &QSerialPort::errorOccurred, this, [this](QSerialPort::SerialPortError e) {
            if (e != QSerialPort::NoError && e != QSerialPort::TimeoutError && m_open)
                lose(tr("%1: %2").arg(m_peer, m_serial->errorString()));
        });
        if (!m_serial->open(QIODevice::ReadWrite)) {
            if (error)
                *error = tr("%1: %2").arg(m_peer, m_serial->errorString());
            dropDevice();
            return false;
        }
        m_serial->setBaudRate(QSerialPort::Baud115200);
        m_serial->setDataBits(QSerialPort::Data8);
        m_serial->setParity(QSerialPort::NoParity);
        m_serial->setStopBits(QSerialPort::OneStop);
        m_serial->setFlowControl(QSerialPort::NoFlowControl);
        m_open = true;
        // A serial line may still carry the rest of an answer the device gave the previous
        // connection: what arrives is discarded until the line has been quiet for a moment.
        m_settling = true;
        m_settleClock.start();
        m_settle.start(kSettleQuietMs);
        return true;
    }
    QString why;
    const auto endpoint = parseHostPort(addr, kDefaultTcpPort, &why);
    if (!endpoint) {
        if (error)
            *error = tr("NV200 address '%1': %2 (or give a serial device such as /dev/ttyUSB0 or COM3)")
                         .arg(addr, why);
        return false;
    }
    m_tcp = new QTcpSocket(this);
    m_io = m_tcp;
    m_peer = tr("TCP %1").arg(endpoint->toString());
    connect(m_tcp, &QTcpSocket::readyRead, this, &Nv200DriverLink::onReadyRead);
    connect(m_tcp, &QTcpSocket::connected, this, [this] {
        m_timer.stop();
        m_tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_open = true;
        Q_EMIT connected();
    });
    connect(m_tcp, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        lose(e == QAbstractSocket::RemoteHostClosedError ? tr("%1: the device closed the connection").arg(m_peer)
                                                         : tr("%1: %2").arg(m_peer, m_tcp->errorString()));
    });
    m_tcp->connectToHost(endpoint->host, endpoint->port);
    m_timer.start(m_connectTimeoutMs);
    return true;
}

void Nv200DriverLink::close()
{
    m_timer.stop();
    m_settle.stop();
    m_settling = false;
    m_open = false;
    dropDevice();
    cancelAll(Result::Status::Cancelled, tr("closed"));
}

void Nv200DriverLink::dropDevice()
{
    if (m_io) {
        m_io->disconnect(this);
        if (m_tcp)
            m_tcp->abort();
        else
            m_io->close();
        m_io->deleteLater();
    }
    m_io = nullptr;
    m_tcp = nullptr;
    m_serial = nullptr;
}

void Nv200DriverLink::lose(const QString &reason)
{
    if (!m_io)
        return;
    m_timer.stop();
    m_settle.stop();
    m_settling = false;
    m_open = false;
    dropDevice();
    Q_EMIT connectionLost(reason); // first, so the driver knows what was going on
    cancelAll(Result::Status::Lost, reason);
}

void Nv200DriverLink::cancelAll(Result::Status status, const QString &reason)
{
    std::deque<Pending> queue;
    queue.swap(m_queue);
    if (m_inFlight)
        queue.push_front(std::move(*m_inFlight));
    m_inFlight.reset();
    for (Pending &p : queue) {
        Result r;
        r.status = status;
        r.command = p.command;
        r.error = reason;
        if (p.done)
            p.done(r);
    }
}

void Nv200DriverLink::send(const QString &command, Kind kind, Handler done, qint64 expectedBytes)
{
    QString error;
    const QByteArray bytes = encodeLine(command, &error);
    Result r;
    r.command = command;
    if (bytes.isEmpty()) {
        r.status = Result::Status::Invalid;
        r.error = tr("refused to send '%1': %2").arg(command, error);
    } else if (!m_open) {
        r.status = Result::Status::Lost;
        r.error = tr("not connected to %1").arg(m_peer.isEmpty() ? tr("an NV200") : m_peer);
    } else {
        m_queue.push_back(Pending{command, bytes, kind, std::move(done), expectedBytes});
        if (!m_inFlight)
            sendNext();
        return;
    }
    if (done)
        done(r);
}

void Nv200DriverLink::sendNext()
{
    if (m_inFlight || m_queue.empty() || !m_io || m_settling)
        return;
    m_inFlight = std::make_unique<Pending>(std::move(m_queue.front()));
    m_queue.pop_front();
    m_io->readAll(); // flush: nothing received before this command belongs to its answer
    m_reader.reset();
    m_reader.setMaxFrameBytes(answerLimit(m_inFlight->kind, m_inFlight->expectedBytes));
    m_received = 0;
    m_sentAt = SessionClock::now();
    m_io->write(m_inFlight->bytes);
    m_timer.start(timeoutMs(m_inFlight->kind, m_inFlight->expectedBytes));
}

void Nv200DriverLink::onReadyRead()
{
    const QByteArray bytes = m_io->readAll();
    if (m_settling && m_settleClock.elapsed() < kSettleMaxMs)
        m_settle.start(kSettleQuietMs); // not quiet yet: wait on (bounded)
    if (!m_inFlight)
        return; // unsolicited or late bytes
    m_received += bytes.size();
    m_reader.feed(bytes);
    const qint64 limit = m_reader.maxFrameBytes();
    if (m_reader.overflowed() || m_received > 2 * limit) {
        // An answer no NV200 gives (an endless line, far more values than asked for): fail the
        // command at once instead of holding what keeps coming.
        Result r;
        r.status = Result::Status::Invalid;
        r.error = tr("NV200 at %1 sent more than %2 bytes in answer to '%3' (at most %4 expected); "
                     "the answer was dropped: '%5'")
                      .arg(m_peer)
                      .arg(m_reader.overflowed() ? limit : 2 * limit)
                      .arg(m_inFlight->command)
                      .arg(m_inFlight->kind == Kind::Dump && m_inFlight->expectedBytes > 0 ? m_inFlight->expectedBytes : limit)
                      .arg(escapedText(m_reader.overflowed() ? m_reader.overflowHead() : bytes, 40));
        m_reader.reset();
        finish(std::move(r));
        return;
    }
    if (m_inFlight->kind == Kind::Dump && m_reader.pendingBytes())
        Q_EMIT receiving(m_reader.pendingBytes());
    while (m_inFlight && m_reader.hasFrame()) {
        Result r;
        r.text = m_reader.takeFrame();
        r.reply = parseReply(r.text);
        // A query's answer echoes its name; another name is a late answer to an earlier command
        // (skipped), or a frame that carries stray lines of other answers around ours (our line
        // is taken). A setter is answered by an empty frame (or an error): a frame with another
        // command's answer is not its answer either.
        const QString name = m_inFlight->command.section(QLatin1Char(','), 0, 0);
        const bool echoes = m_inFlight->kind == Kind::Query || m_inFlight->kind == Kind::Dump;
        if (!r.reply.isError && !name.isEmpty() && r.reply.name != name) {
            if (m_inFlight->kind == Kind::Setter && !r.reply.isEmpty())
                continue;
            if (echoes) {
                const QByteArray line = echoingLine(r.text, name.toLatin1());
                if (line.isEmpty())
                    continue;
                r.text = line;
                r.reply = parseReply(line);
            }
        }
        r.status = r.reply.isError ? Result::Status::DeviceError : Result::Status::Ok;
        finish(std::move(r));
    }
}

void Nv200DriverLink::finish(Result r)
{
    m_timer.stop();
    if (!m_inFlight)
        return;
    const Pending p = std::move(*m_inFlight);
    m_inFlight.reset();
    r.command = p.command;
    r.sentAt = m_sentAt;
    r.answeredAt = SessionClock::now();
    if (p.done)
        p.done(r);
    sendNext();
}

} // namespace bs::nv200
