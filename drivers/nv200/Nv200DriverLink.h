// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Nv200ProtocolFrame.h"
#include "Nv200ProtocolReply.h"

#include <QElapsedTimer>
#include <QIODevice>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

class QTcpSocket;
class QSerialPort;

namespace bs::nv200 {

/// The byte link to one NV200: a QTcpSocket (`host[:port]` as parseHostPort() reads it, including
/// `[IPv6]:port`; Telnet port 23) or a QSerialPort (an address starting with "/" or "COM": 115200
/// 8N1, flow control off, because the device's
/// XON/XOFF bytes delimit the response frames and the OS must not swallow them).
///
/// Commands queue up and go out strictly one at a time: before each command the input is flushed
/// (bytes already received are discarded), then the reader waits for the frame up to XON or the
/// command's timeout. Each command's handler gets exactly one Result.
///
/// Timeouts count from the moment the command was written (total time, never restarted by bytes
/// that arrive). Setters and queries have fixed ones (0.4 s / 0.6 s as the vendor library). A dump
/// (`recoutf`) is given the time its answer needs on the line: the query timeout plus twice the
/// time `expectedBytes` take at 115200 Bd 8N1 (the NV200's serial line, also behind the XPort of
/// the NET variant), and never less than the dump minimum (6 s): a full 6144-value buffer takes
/// about 5 s on the wire.
class Nv200DriverLink : public QObject
{
    Q_OBJECT
public:
    /// Setter: any frame answers it. Query/Dump: the answer must echo the command's name.
    /// Raw: a user-typed command, any frame answers it, with the query timeout.
    enum class Kind { Setter, Query, Dump, Raw };

    struct Result
    {
        enum class Status { Ok, DeviceError, Timeout, Lost, Cancelled, Invalid };
        Status status = Status::Ok;
        QString command;      ///< the line sent, without CR
        QByteArray text;      ///< the frame's text (cleaned)
        Reply reply;
        QString error;        ///< Timeout/Lost/Invalid: why
        double sentAt = 0;    ///< session time the command was written
        double answeredAt = 0;

        bool ok() const { return status == Status::Ok; }
    };
    using Handler = std::function<void(const Result &)>;

    explicit Nv200DriverLink(QObject *parent = nullptr);
    ~Nv200DriverLink() override;

    /// Telnet port of the NV200/D NET.
    static constexpr quint16 kDefaultTcpPort = 23;
    /// Whether `address` names a serial device ("/dev/ttyUSB0", a pty, "COM3") rather than a host.
    static bool isSerialAddress(const QString &address);
    /// What is wrong with `address` (empty: usable), without opening anything. Serial devices are
    /// accepted as they are (whether they exist is only known when opening).
    static QString checkAddress(const QString &address);

    /// Starts connecting; `connected()` or `connectionLost()` follows. Returns false (with the
    /// reason) for an address that cannot be parsed.
    bool open(const QString &address, QString *error);
    /// Closes the link; queued and in-flight commands get Cancelled.
    void close();
    bool isOpen() const { return m_open; }
    /// "TCP 127.0.0.1:23" or "serial /dev/ttyUSB0", for messages.
    QString peer() const { return m_peer; }
    bool isSerial() const { return m_serial != nullptr; }

    /// The line speed of the NV200's serial port (and of the XPort's serial side).
    static constexpr int kLineBaud = 115200;

    /// `expectedBytes`: the largest answer expected (used for Dump timeouts).
    void send(const QString &command, Kind kind, Handler done, qint64 expectedBytes = 0);
    /// True while a command is in flight or queued.
    bool busy() const { return m_inFlight || !m_queue.empty(); }

    void setTimeouts(int setterMs, int queryMs, int dumpMs);
    void setConnectTimeout(int ms) { m_connectTimeoutMs = ms; }
    int timeoutMs(Kind kind, qint64 expectedBytes = 0) const;
    /// Longest answer frame accepted for a command: a Dump twice its expected answer (1 kB at
    /// least), Raw the protocol's limit (kMaxFrameBytes), setters and queries 16 kB. All bytes
    /// received for one command (stale frames included) may be twice that. Beyond, the command
    /// ends as Invalid ("sent more than …") and the bytes are dropped, never held.
    static qint64 answerLimit(Kind kind, qint64 expectedBytes = 0);
    /// Largest setter/query answer accepted (the longest, `recout` of 64 values, is ~700 bytes).
    static constexpr qint64 kMaxQueryAnswer = 16 * 1024;
    /// Time `bytes` take on the serial line (10 bit times each at kLineBaud), in ms.
    static double lineMs(qint64 bytes) { return double(bytes) * 10.0 * 1000.0 / kLineBaud; }

Q_SIGNALS:
    void connected();
    /// The transport failed or was closed by the peer; `reason` names the transport.
    void connectionLost(const QString &reason);
    /// Bytes of the current reply received so far (for read-back progress).
    void receiving(qint64 bytes);

private:
    struct Pending
    {
        QString command;
        QByteArray bytes;
        Kind kind;
        Handler done;
        qint64 expectedBytes = 0;
    };
    void sendNext();
    void onReadyRead();
    void finish(Result r);
    void lose(const QString &reason);
    void cancelAll(Result::Status status, const QString &reason);
    void dropDevice();

    QIODevice *m_io = nullptr;
    QTcpSocket *m_tcp = nullptr;
    QSerialPort *m_serial = nullptr;
    QString m_peer;
    bool m_open = false;
    FrameReader m_reader;
    std::deque<Pending> m_queue;
    std::unique_ptr<Pending> m_inFlight;
    double m_sentAt = 0;
    qint64 m_received = 0; // bytes received for the command in flight
    QTimer m_timer;
    // Serial: after opening, bytes are discarded until the line is quiet for kSettleQuietMs
    // (at most kSettleMaxMs), then connected() is emitted.
    static constexpr int kSettleQuietMs = 60, kSettleMaxMs = 3000;
    QTimer m_settle;
    QElapsedTimer m_settleClock;
    bool m_settling = false;
    int m_setterMs = 400, m_queryMs = 600, m_dumpMs = 6000, m_connectTimeoutMs = 3000;
};

} // namespace bs::nv200
