// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The "USB serial" side of a simulator: a pseudo-terminal whose slave (/dev/pts/N) a driver opens
// like the instrument's serial port. Bytes the driver writes are handed to `receiver`; transmit()
// sends bytes back. The pty keeps a slave descriptor open itself, so a driver may open and close
// the path any number of times without the master seeing a hang-up; EIO on the master (no slave
// open) is handled by reopening that descriptor. POSIX only. Shared by the NV200 and M81 simulators.
//
// A pty passes bytes as fast as the reader takes them; setBaud() paces the output like a real
// 8N1 line instead (baud / 10 bytes per second), so that read-back times and timeouts of a real
// serial connection can be exercised. Output nobody reads is bounded (maxPending) and dropped
// beyond that, as a real serial line loses it.

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>

#include <functional>

class QSocketNotifier;
class QTimer;

namespace bs {

class SimulatorPty final : public QObject
{
    Q_OBJECT
public:
    using Receiver = std::function<void(QByteArrayView)>;

    /// `device` names the simulator in error messages ("NV200 simulator"); `nominalBaud` is the
    /// speed the slave's termios reports (115200 or 921600; a pty has no real speed).
    SimulatorPty(const QString &device, int nominalBaud, qsizetype maxPending, Receiver receiver,
        QObject *parent = nullptr);
    ~SimulatorPty() override;

    /// Creates the pty (raw mode). Returns false with a message on failure.
    bool open(QString *error);
    void close();
    bool isOpen() const { return m_master >= 0; }
    QString slavePath() const { return m_path; }
    /// Output pacing: bytes leave at baud / 10 per second (start bit, 8 data bits, stop bit).
    /// 0: unpaced.
    void setBaud(int baud) { m_baud = baud; }
    void transmit(const QByteArray &bytes);
    /// Bytes handed to transmit() that have not reached the pty yet.
    qint64 backlog() const { return m_pending.size(); }

private:
    void onReadable();
    void flushPending();
    bool reopenSlave();

    QString m_device;
    int m_nominalBaud;
    qsizetype m_maxPending;
    Receiver m_receiver;
    int m_master = -1;
    int m_slave = -1;
    QString m_path;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_pending;
    int m_baud = 0;
    QTimer *m_paceTimer = nullptr;
    QElapsedTimer m_clock;
    qint64 m_lineFreeNs = 0; // when the last byte handed to the line has left it
};

} // namespace bs
