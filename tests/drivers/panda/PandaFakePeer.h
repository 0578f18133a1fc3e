// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A hostile peer for the PandA driver tests: a QTcpServer on the test thread (served while the test
// waits in QTest::qWait / QTRY_*) that answers the first line it receives with endless or trickled
// bytes. Writes are paced by what the socket has sent, so the peer itself holds at most ~1 MiB,
// and stop after `capBytes` so that a driver without bounds cannot take the machine down.

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace bs::panda::test {

class FakePeer : public QObject
{
public:
    enum class Mode {
        EndlessLine,       ///< control: 'A' bytes without a line feed
        EndlessList,       ///< control: "!xxxx…\n" list lines without the closing "."
        TrickleLine,       ///< control: one byte of an "OK =" reply every 100 ms, never the LF
        DataEndlessLine,   ///< data: "OK\n", then a header line that never ends
        DataEndlessHeader, ///< data: "OK\n", then a text header of 64 KiB lines without its blank line
    };

    explicit FakePeer(Mode mode, qint64 capBytes = qint64(512) << 20)
        : m_mode(mode)
        , m_cap(capBytes)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                if (m_socket) { // one client at a time: a reconnect replaces it
                    m_socket->abort();
                    m_socket->deleteLater();
                }
                m_socket = s;
                connect(s, &QTcpSocket::readyRead, this, [this, s] {
                    m_received += s->readAll();
                    if (!m_started && m_received.contains('\n')) {
                        m_started = true;
                        begin();
                    }
                });
                connect(s, &QTcpSocket::bytesWritten, this, [this] { pump(); });
            }
        });
        m_trickle.setInterval(100);
        connect(&m_trickle, &QTimer::timeout, this, [this] {
            static const QByteArray text = "OK =PandA SW: 3.0 FPGA: 0.1.9 d1275f61 00000000 rootfs: PandA ";
            if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
                return;
            m_socket->write(text.mid(int(m_sent % text.size()), 1));
            ++m_sent;
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    qint64 sent() const { return m_sent; }
    /// True once the driver closed its end (the peer sees the disconnect).
    bool clientGone() const { return m_started && (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState); }

private:
    void begin()
    {
        switch (m_mode) {
        case Mode::TrickleLine:
            m_trickle.start();
            return;
        case Mode::DataEndlessLine:
            write("OK\n<header ");
            break;
        case Mode::DataEndlessHeader:
            write("OK\narm_time: 2026-01-01T00:00:00.000Z\nfields:\n");
            break;
        default:
            break;
        }
        pump();
    }

    void write(const QByteArray &bytes)
    {
        m_socket->write(bytes);
        m_sent += bytes.size();
    }

    void pump()
    {
        if (!m_socket || !m_started || m_mode == Mode::TrickleLine)
            return;
        while (m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesToWrite() < (1 << 20)
               && m_sent < m_cap) {
            QByteArray chunk;
            switch (m_mode) {
            case Mode::EndlessLine:
            case Mode::DataEndlessLine:
                chunk = QByteArray(64 << 10, 'A');
                break;
            case Mode::EndlessList:
                for (int i = 0; i < 512; ++i)
                    chunk += "!COUNTER1.OUT=1234567890123456789012345678901234567890123456789012345678901234567890\n";
                break;
            case Mode::DataEndlessHeader:
                chunk = ' ' + QByteArray((64 << 10) - 2, 'x') + '\n';
                break;
            default:
                return;
            }
            write(chunk);
        }
    }

    Mode m_mode;
    qint64 m_cap;
    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QTimer m_trickle;
    QByteArray m_received;
    bool m_started = false;
    qint64 m_sent = 0;
};

/// Resident memory of this process in KiB (Linux /proc), 0 if unknown.
inline qint64 residentKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

} // namespace bs::panda::test
