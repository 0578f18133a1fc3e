// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81DriverLink.h"

#include "HostPort.h"
#include "SessionClock.h"

#include <QSerialPort>
#include <QTcpSocket>

namespace bs::m81 {

M81DriverLink::M81DriverLink(QObject *parent)
    : QObject(parent)
    , m_timer(this)
    , m_settle(this)
{
    m_timer.setSingleShot(true);
    m_settle.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &M81DriverLink::onTimeout);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        // The instrument does not answer an empty line; whatever came is left over from before.
        if (m_io)
            m_io->readAll();
        m_reader.reset();
        m_settling = false;
        m_open = true;
        Q_EMIT connected();
        sendNext();
    });
}

M81DriverLink::~M81DriverLink()
{
    m_timer.stop();
    m_settle.stop();
    dropDevice();
    m_queue.clear();
    m_inFlight.reset();
}

bool M81DriverLink::isSerialAddress(const QString &address)
{
    const QString a = address.trimmed();
    return a.startsWith(QLatin1Char('/')) || a.startsWith(QLatin1String("COM"), Qt::CaseInsensitive);
}

QString M81DriverLink::checkAddress(const QString &address)
{
    if (isSerialAddress(address))
        return {};
    QString why;
    parseHostPort(address, kDefaultTcpPort, &why);
    return why;
}

QString M81DriverLink::describeAddress(const QString &address)
{
    if (isSerialAddress(address))
        return tr("serial %1 (921600 Bd 8N1, RTS/CTS)").arg(address.trimmed());
    const auto hp = parseHostPort(address, kDefaultTcpPort);
    return hp ? tr("SCPI over TCP %1").arg(hp->toString()) : QString();
}

bool M81DriverLink::open(const QString &address, QString *error)
{
    close();
    m_reader.reset();
    const QString addr = address.trimmed();
    if (isSerialAddress(addr)) {
        m_serial = new QSerialPort(this);
        m_serial->setPortName(addr);
        m_io = m_serial;
        m_peer = tr("serial %1").arg(addr);
        connect(m_serial, &QSerialPort::readyRead, this, &M81DriverLink::onReadyRead);
        connect(m_serial, &QSerialPort::errorOccurred, this, [this](QSerialPort::SerialPortError e) {
            if (e != QSerialPort::NoError && e != QSerialPort::TimeoutError && m_serial)
                lose(tr("%1: %2").arg(m_peer, m_serial->errorString()));
        });
        if (!m_serial->open(QIODevice::ReadWrite)) {
            if (error)
                *error = tr("%1: %2").arg(m_peer, m_serial->errorString());
            dropDevice();
            return false;
        }
        m_serial->setBaudRate(kBaud);
        m_serial->setDataBits(QSerialPort::Data8);
        m_serial->setParity(QSerialPort::NoParity);
        m_serial->setStopBits(QSerialPort::OneStop);
        m_serial->setFlowControl(QSerialPort::HardwareControl);
        settle();
        return true;
    }
    QString why;
    const auto endpoint = parseHostPort(addr, kDefaultTcpPort, &why);
    if (!endpoint) {
        if (error)
            *error = tr("M81 address '%1': %2 (or give a serial device such as /dev/ttyACM0 or COM3)").arg(addr, why);
        return false;
    }
    m_tcp = new QTcpSocket(this);
    m_io = m_tcp;
    m_peer = tr("TCP %1").arg(endpoint->toString());
    connect(m_tcp, &QTcpSocket::readyRead, this, &M81DriverLink::onReadyRead);
    connect(m_tcp, &QTcpSocket::connected, this, [this] {
        m_timer.stop();
        m_tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        settle();
    });
    connect(m_tcp, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        lose(e == QAbstractSocket::RemoteHostClosedError ? tr("%1: the instrument closed the connection").arg(m_peer)
                                                         : tr("%1: %2").arg(m_peer, m_tcp->errorString()));
    });
    m_tcp->connectToHost(endpoint->host, endpoint->port);
    m_timer.start(m_connectTimeoutMs);
    return true;
}

void M81DriverLink::settle()
{
    m_settling = true;
    m_io->write("\n");
    m_settle.start(kSettleMs);
}

void M81DriverLink::close()
{
    m_timer.stop();
    m_settle.stop();
    m_open = m_settling = false;
    dropDevice();
    cancelAll(Result::Status::Cancelled, tr("closed"));
}

void M81DriverLink::dropDevice()
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

void M81DriverLink::lose(const QString &reason)
{
    if (!m_io)
        return;
    m_timer.stop();
    m_settle.stop();
    m_open = m_settling = false;
    dropDevice();
    m_reader.reset();
    Q_EMIT connectionLost(reason); // first, so the driver knows what was going on
    cancelAll(Result::Status::Lost, reason);
}

void M81DriverLink::cancelAll(Result::Status status, const QString &reason)
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

void M81DriverLink::send(const QString &command, Handler done)
{
    Pending p;
    p.command = command;
    p.check = takesErrorCheck(command.toUtf8());
    p.expectsReply = p.check || isQuery(command.toUtf8());
    p.data = isDataPoll(command.toUtf8());
    p.done = std::move(done);
    QString error;
    p.bytes = encodeMessage(command, p.check, &error);
    Result r;
    r.command = command;
    if (p.bytes.isEmpty()) {
        r.status = Result::Status::Invalid;
        r.error = tr("refused to send '%1': %2").arg(command, error);
    } else if (!m_io) {
        r.status = Result::Status::Lost;
        r.error = tr("not connected to %1").arg(m_peer.isEmpty() ? tr("an M81") : m_peer);
    } else {
        m_queue.push_back(std::move(p));
        sendNext();
        return;
    }
    if (p.done)
        p.done(r);
}

void M81DriverLink::sendNext()
{
    if (m_inFlight || m_queue.empty() || !m_io || !m_open)
        return;
    m_inFlight = std::make_unique<Pending>(std::move(m_queue.front()));
    m_queue.pop_front();
    // One message in flight: nothing received before it belongs to its reply.
    m_io->readAll();
    m_reader.reset();
    m_reader.setMaxLineBytes(m_inFlight->data ? kMaxDataReplyBytes : kMaxReplyBytes);
    m_sentAt = SessionClock::now();
    m_io->write(m_inFlight->bytes);
    if (!m_inFlight->expectsReply) {
        QMetaObject::invokeMethod(this, [this] {
            if (m_inFlight && !m_inFlight->expectsReply)
                finish(Result{});
        }, Qt::QueuedConnection);
        return;
    }
    m_timer.start(m_timeoutMs);
}

void M81DriverLink::onTimeout()
{
    if (!m_inFlight) {
        if (!m_open && !m_settling)
            lose(tr("%1: no connection within %2 s").arg(m_peer).arg(m_connectTimeoutMs / 1000.0));
        return;
    }
    Result r;
    r.status = Result::Status::Timeout;
    const qsizetype partial = m_reader.pendingBytes();
    r.error = m_inFlight->data
        ? tr("M81 at %1 sent nothing for %2 s in reply to '%3' (%4 bytes of it received)")
              .arg(m_peer)
              .arg(m_timeoutMs / 1000.0)
              .arg(m_inFlight->command)
              .arg(partial)
        : tr("M81 at %1 did not reply to '%2' within %3 s%4")
              .arg(m_peer, m_inFlight->command)
              .arg(m_timeoutMs / 1000.0)
              .arg(partial ? tr(" (%1 bytes of an incomplete reply)").arg(partial) : QString());
    m_reader.reset();
    finish(std::move(r));
}

void M81DriverLink::onReadyRead()
{
    if (!m_io)
        return;
    const QByteArray bytes = m_io->readAll();
    if (m_settling || !m_inFlight || !m_inFlight->expectsReply)
        return; // nothing is asked: left-overs, discarded
    m_reader.feed(bytes);
    if (m_reader.overflowed()) {
        Result r;
        r.status = Result::Status::Invalid;
        r.error = tr("M81 at %1 sent more than %2 bytes in reply to '%3'; the reply was dropped")
                      .arg(m_peer)
                      .arg(m_reader.maxLineBytes())
                      .arg(m_inFlight->command);
        m_reader.reset();
        finish(std::move(r));
        return;
    }
    if (!m_reader.hasLine()) {
        if (m_inFlight->data && !bytes.isEmpty())
            m_timer.start(m_timeoutMs); // a long data reply: alive while bytes keep coming
        return;
    }
    Result r;
    r.line = *m_reader.takeLine();
    if (m_inFlight->check) {
        CheckedReply c = parseCheckedReply(r.line);
        r.items = std::move(c.items);
        r.queue = std::move(c.queue);
        if (!r.queue.empty) {
            r.status = Result::Status::DeviceError;
            r.error = r.queue.describe();
        }
    }
    finish(std::move(r));
}

void M81DriverLink::finish(Result r)
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

} // namespace bs::m81
