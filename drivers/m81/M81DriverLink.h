// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "M81ProtocolLine.h"
#include "M81ProtocolReply.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

class QIODevice;
class QSerialPort;
class QTcpSocket;

namespace bs::m81 {

/// The byte link to one M81-SSM: a QTcpSocket (`host[:port]`, port 7777 by default) or a
/// QSerialPort (`/dev/…`, `COM…`: 921 600 Bd 8N1, RTS/CTS), with the vendor client's conventions:
///
/// - after opening, a lone LF is sent, the link waits kSettleMs (100 ms) and discards whatever
///   came in; only then connected() is emitted;
/// - messages end in LF, replies in CR LF; exactly one message is in flight, the others queue;
/// - the error check (";:SYSTem:ERRor:ALL?") is appended to every message that takes it
///   (takesErrorCheck()): its reply is split on unquoted ';', the last item is the error queue and
///   a queued error makes the result DeviceError with the SCPI errors;
/// - a message without the check and without a query (`SYSTem:ERRor:CLEar`) has no reply: it is
///   done once written.
///
/// Timeouts: an ordinary reply must be complete within timeoutMs() of the write. A
/// `TRACe:DATA:ALL?` reply may take as long as it needs while bytes keep coming: it times out only
/// when nothing arrives for timeoutMs(). Replies are bounded (kMaxReplyBytes, a data reply
/// kMaxDataReplyBytes): a longer one fails the message (Invalid) and is dropped as it comes.
class M81DriverLink : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 kDefaultTcpPort = 7777;
    static constexpr int kBaud = 921600;
    static constexpr int kSettleMs = 100;
    static constexpr qsizetype kMaxReplyBytes = 1 << 20;
    static constexpr qsizetype kMaxDataReplyBytes = 64 << 20;

    struct Result
    {
        enum class Status { Ok, DeviceError, Timeout, Lost, Cancelled, Invalid };
        Status status = Status::Ok;
        QString command;            ///< as given to send(), without the check
        QByteArray line;            ///< the reply line without CR LF (empty for a message without one)
        QList<QByteArray> items;    ///< checked messages: the query replies before the error queue
        ErrorQueue queue;           ///< checked messages: the error queue
        QString error;              ///< Timeout/Lost/Invalid: why; DeviceError: the SCPI errors
        double sentAt = 0;          ///< session time the message was written
        double answeredAt = 0;

        bool ok() const { return status == Status::Ok; }
        /// The first query reply (checked messages) or the line (others).
        QByteArray value() const { return items.isEmpty() ? line : items.first(); }
    };
    using Handler = std::function<void(const Result &)>;

    explicit M81DriverLink(QObject *parent = nullptr);
    ~M81DriverLink() override;

    /// Whether `address` names a serial device ("/dev/ttyACM0", a pty, "COM3") rather than a host.
    static bool isSerialAddress(const QString &address);
    /// What is wrong with `address` (empty: usable), without opening anything.
    static QString checkAddress(const QString &address);
    /// "TCP 192.0.2.7:7777" or "serial /dev/ttyACM0 (921600 8N1, RTS/CTS)".
    static QString describeAddress(const QString &address);

    /// Starts connecting; connected() or connectionLost() follows. False (and why) for an address
    /// that cannot be used.
    bool open(const QString &address, QString *error);
    /// Closes; queued and in-flight messages end Cancelled.
    void close();
    bool isOpen() const { return m_open; }
    /// "TCP 127.0.0.1:7777" or "serial /dev/pts/3": how messages name the instrument.
    QString peer() const { return m_peer; }
    bool isSerial() const { return m_serial != nullptr; }

    /// Queues `command`; `done` gets exactly one Result. The error check is appended when the
    /// vendor convention does (takesErrorCheck()).
    void send(const QString &command, Handler done);
    bool busy() const { return m_inFlight || !m_queue.empty(); }
    /// Messages queued or in flight.
    int pending() const { return int(m_queue.size()) + (m_inFlight ? 1 : 0); }

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    void setConnectTimeoutMs(int ms) { m_connectTimeoutMs = ms; }

Q_SIGNALS:
    void connected();
    /// The transport failed or the peer closed it; `reason` names the transport.
    void connectionLost(const QString &reason);

private:
    struct Pending
    {
        QString command;
        QByteArray bytes;
        bool check = false;
        bool expectsReply = true;
        bool data = false;
        Handler done;
    };
    void settle();
    void sendNext();
    void onReadyRead();
    void onTimeout();
    void finish(Result r);
    void lose(const QString &reason);
    void cancelAll(Result::Status status, const QString &reason);
    void dropDevice();

    QIODevice *m_io = nullptr;
    QTcpSocket *m_tcp = nullptr;
    QSerialPort *m_serial = nullptr;
    QString m_peer;
    bool m_open = false;     // transport open and the connect ritual done
    bool m_settling = false; // the lone LF was sent, input is being discarded
    LineReader m_reader;
    std::deque<Pending> m_queue;
    std::unique_ptr<Pending> m_inFlight;
    double m_sentAt = 0;
    QTimer m_timer;
    QTimer m_settle;
    int m_timeoutMs = 5000;
    int m_connectTimeoutMs = 5000;
};

} // namespace bs::m81
