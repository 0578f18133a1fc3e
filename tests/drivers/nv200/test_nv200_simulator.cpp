// SPDX-License-Identifier: GPL-3.0-or-later
// Nv200Simulator over real transports: framing (XOFF/XON, CR LF vs CR NUL LF), the prompt, queries
// and setters, every error path, the single-client rule, the data recorder (step response with
// recast=1, AWG-triggered with recast=2, stride timing), the faults and the pseudo-terminal.
// The simulator runs on its own thread, as in the demo and the driver tests; the test side uses
// blocking QTcpSocket calls and plain POSIX I/O on the pty.
#include "Nv200Simulator.h"
#include "Nv200SimulatorCommands.h"
#include "Nv200SimulatorModel.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

using namespace bs::nv200;

namespace {

constexpr int kTimeoutMs = 10000; // generous: a loaded machine may answer late
constexpr char kXon = 0x11, kXoff = 0x13;

/// A Nv200Simulator on a worker thread, started with a blocking queued call (as the demo does).
class SimRunner
{
public:
    explicit SimRunner(Nv200Simulator::Config cfg = {})
    {
        cfg.port = 0;
        m_sim = new Nv200Simulator(cfg);
        m_sim->moveToThread(&m_thread);
        m_thread.start();
        QString error;
        if (!m_sim->start(&error)) // forwarded to the worker thread
            qFatal("simulator did not start: %s", qPrintable(error));
    }
    ~SimRunner()
    {
        QMetaObject::invokeMethod(m_sim, [this] { delete m_sim; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    Nv200Simulator *operator->() const { return m_sim; }

private:
    QThread m_thread;
    Nv200Simulator *m_sim = nullptr;
};

/// Strips the framing: XON/XOFF, CR, LF, NUL.
QByteArray textOf(QByteArray frame)
{
    frame.replace(kXon, QByteArray()).replace(kXoff, QByteArray());
    while (!frame.isEmpty() && (frame.endsWith('\n') || frame.endsWith('\r') || frame.endsWith('\0')))
        frame.chop(1);
    return frame;
}

/// Blocking client speaking one command at a time, over TCP or over the pty.
class Conn
{
public:
    virtual ~Conn() = default;
    /// Sends cmd + CR LF, returns the whole frame up to and including XON (empty on timeout).
    QByteArray frame(const QByteArray &cmd, int timeoutMs = kTimeoutMs)
    {
        send(cmd + "\r\n");
        return readFrame(timeoutMs);
    }
    QByteArray query(const QByteArray &cmd, int timeoutMs = kTimeoutMs) { return textOf(frame(cmd, timeoutMs)); }
    QByteArray readFrame(int timeoutMs = kTimeoutMs)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            const qsizetype x = m_buf.indexOf(kXon);
            if (x >= 0) {
                const QByteArray f = m_buf.left(x + 1);
                m_buf.remove(0, x + 1);
                return f;
            }
            const qint64 left = timeoutMs - t.elapsed();
            if (left <= 0 || !waitRead(int(left)))
                return {};
        }
    }
    /// Everything that arrives within ms (for truncated answers).
    QByteArray drain(int ms)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms)
            waitRead(int(ms - t.elapsed()));
        QByteArray all = m_buf;
        m_buf.clear();
        return all;
    }
    virtual void send(const QByteArray &bytes) = 0;

protected:
    /// Appends what arrives to m_buf; false on timeout or end of stream.
    virtual bool waitRead(int ms) = 0;
    QByteArray m_buf;
};

class TcpConn final : public Conn
{
public:
    explicit TcpConn(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!m_socket.waitForConnected(kTimeoutMs))
            qFatal("cannot connect to the simulator");
    }
    void send(const QByteArray &bytes) override
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(kTimeoutMs);
    }
    QTcpSocket &socket() { return m_socket; }

protected:
    bool waitRead(int ms) override
    {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(ms))
            return false;
        m_buf += m_socket.readAll();
        return true;
    }

private:
    QTcpSocket m_socket;
};

class PtyConn final : public Conn
{
public:
    explicit PtyConn(const QString &path)
    {
        m_fd = ::open(path.toLocal8Bit().constData(), O_RDWR | O_NOCTTY | O_NONBLOCK);
        if (m_fd >= 0)
            ::tcflush(m_fd, TCIOFLUSH);
    }
    ~PtyConn() override
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isOpen() const { return m_fd >= 0; }
    void send(const QByteArray &bytes) override
    {
        qsizetype done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(m_fd, bytes.constData() + done, size_t(bytes.size() - done));
            if (n > 0)
                done += n;
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                return;
        }
    }

protected:
    bool waitRead(int ms) override
    {
        pollfd p { m_fd, POLLIN, 0 };
        if (::poll(&p, 1, ms) <= 0)
            return false;
        char buf[65536];
        const ssize_t n = ::read(m_fd, buf, sizeof buf);
        if (n <= 0)
            return false;
        m_buf.append(buf, n);
        return true;
    }

private:
    int m_fd = -1;
};

QList<double> values(const QByteArray &text, int skip)
{
    QList<double> out;
    const QByteArrayList parts = text.split(',');
    for (qsizetype i = skip; i < parts.size(); ++i)
        out.append(parts.at(i).toDouble());
    return out;
}

/// Polls `recrun` until it reads 0; returns the elapsed ms (or -1 on timeout).
qint64 waitRecorderDone(Conn &c, int timeoutMs = kTimeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (c.query("recrun") == "recrun,0")
            return t.elapsed();
        QThread::msleep(2);
    }
    return -1;
}

} // namespace

class TestNv200Simulator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framingCrLf();
    void framingCrNulAndNoXoff();
    void promptAndPipelining();
    void queriesAndSetters();
    void statusBits();
    void awgBuffer();
    void errorCodes_data();
    void errorCodes();
    void secondClientRefused();
    void secondClientReplacesFirst();
    void reconnectAtOnceAfterClose();
    void newcomerWaitsForTheOldClientToLeave();
    void stepResponseRecast1();
    void awgTriggeredRecast2();
    void strideTiming();
    void ringRecorderAndRecout();
    void faultGarbleValue();
    void faultStallMidReply();
    void faultDropConnection();
    void ptyEndToEnd();
    void modelExactAndReproducible();
    void modelSlewRate();
};

void TestNv200Simulator::framingCrLf()
{
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.frame("cl"), QByteArray("\x13"
                                       "cl,0\r\n\x11"));
    QCOMPARE(c.frame("cl,1"), QByteArray("\x13\x11")); // setter: XOFF XON only
    // CR alone terminates too; LF is ignored.
    c.send("cl\r");
    QCOMPARE(c.readFrame(), QByteArray("\x13"
                                       "cl,1\r\n\x11"));
    c.send("\nset\r");
    QCOMPARE(c.readFrame(), QByteArray("\x13set,16.000\r\n\x11")); // 0 V, bumpless to closed loop
}

void TestNv200Simulator::framingCrNulAndNoXoff()
{
    Nv200Simulator::Config cfg;
    cfg.telnetCrNul = true;
    {
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        QCOMPARE(c.frame("cl"), QByteArray("\x13"
                                           "cl,0\r\0\n\x11",
                                    9));
        QCOMPARE(c.frame(""), QByteArray("\x13NV200/D_NET>\r\0\n\x11", 17));
    }
    cfg.telnetCrNul = false;
    cfg.xoffFirst = false;
    SimRunner sim(cfg);
    TcpConn c(sim->port());
    QCOMPARE(c.frame("cl"), QByteArray("cl,0\r\n\x11"));
    QCOMPARE(c.frame("cl,1"), QByteArray("\x11"));
}

void TestNv200Simulator::promptAndPipelining()
{
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.frame(""), QByteArray("\x13NV200/D_NET>\r\n\x11"));
    c.send("\r");
    QCOMPARE(c.readFrame(), QByteArray("\x13NV200/D_NET>\r\n\x11"));
    // Several lines in one segment are answered in order, one frame each.
    c.send("cl,1\r\ncl\r\nbogus\r\nmodsrc\r\n");
    QCOMPARE(c.readFrame(), QByteArray("\x13\x11"));
    QCOMPARE(textOf(c.readFrame()), QByteArray("cl,1"));
    QCOMPARE(textOf(c.readFrame()), QByteArray("error,2"));
    QCOMPARE(textOf(c.readFrame()), QByteArray("modsrc,0"));
}

void TestNv200Simulator::queriesAndSetters()
{
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.query("desc"), QByteArray("desc,TRITOR100SG "));
    QCOMPARE(c.query("unitcl"), QByteArray("unitcl,\xB5m"));
    QCOMPARE(c.query("unitol"), QByteArray("unitol,V"));
    QCOMPARE(c.query("posmin"), QByteArray("posmin,0.000"));
    QCOMPARE(c.query("posmax"), QByteArray("posmax,100.000"));
    QCOMPARE(c.query("avmin"), QByteArray("avmin,-20.000"));
    QCOMPARE(c.query("avmax"), QByteArray("avmax,130.000"));
    QCOMPARE(c.query("acmeasure"), QByteArray("acmeasure,1"));
    QVERIFY(QRegularExpression("^acserno,\\d+$").match(QString::fromLatin1(c.query("acserno"))).hasMatch());
    QVERIFY(QRegularExpression("^temp,\\d+\\.\\d{3}$").match(QString::fromLatin1(c.query("temp"))).hasMatch());

    // Open loop: set in volts; closed loop: in µm (bumpless switch keeps the position).
    QCOMPARE(c.frame("set,100"), QByteArray("\x13\x11"));
    QCOMPARE(c.query("set"), QByteArray("set,100.000"));
    QCOMPARE(c.query("cl,1"), QByteArray());
    QCOMPARE(c.query("set"), QByteArray("set,96.000")); // 100 V of −20…130 V × 120 µm stroke
    QCOMPARE(c.query("set,80.5"), QByteArray());
    QCOMPARE(c.query("set"), QByteArray("set,80.500"));
    QThread::msleep(40); // ≫ the ~1.7 ms time constants
    const double meas = values(c.query("meas"), 1).value(0);
    QVERIFY2(qAbs(meas - 80.5) < 0.01, qPrintable(QString::number(meas)));

    QCOMPARE(c.query("recsrc,1,2"), QByteArray());
    QCOMPARE(c.query("recsrc,1"), QByteArray("recsrc,1,2"));
    QCOMPARE(c.query("recsrc,0"), QByteArray("recsrc,0,0"));
    QCOMPARE(c.query("kp,12.5"), QByteArray());
    QCOMPARE(c.query("kp"), QByteArray("kp,12.500"));
    QCOMPARE(c.query("setlpf,300"), QByteArray());
    QCOMPARE(c.query("setlpf"), QByteArray("setlpf,300"));
    QCOMPARE(c.query("trgedg,3"), QByteArray());
    QCOMPARE(c.query("trgedg"), QByteArray("trgedg,3"));
    QCOMPARE(c.query("pcf"), QByteArray("pcf,0.000000e+00,0.000000e+00,0.000000e+00"));
    QCOMPARE(c.query("pcf,1,2,3"), QByteArray());
    QCOMPARE(c.query("pcf"), QByteArray("pcf,1.000000e+00,2.000000e+00,3.000000e+00"));
    QCOMPARE(c.query("imeas,1"), QByteArray("imeas,1,0.000"));
    QVERIFY(c.query("s").contains("recoutf"));

    QCOMPARE(c.query("reset"), QByteArray());
    QCOMPARE(c.query("cl"), QByteArray("cl,0"));
    QCOMPARE(c.query("kp"), QByteArray("kp,0.000"));
}

void TestNv200Simulator::statusBits()
{
    SimRunner sim;
    TcpConn c(sim->port());
    auto stat = [&] { return values(c.query("stat"), 1).value(0); };
    QCOMPARE(int(stat()), 0b11); // connected, strain gauge
    c.query("cl,1");
    QCOMPARE(int(stat()), 0b1011);
    c.query("notchon,1");
    c.query("poslpon,1");
    QCOMPARE(int(stat()), 0b111011);
    c.query("cl,0");
    c.query("set,130");
    QThread::msleep(5);
    QVERIFY(int(stat()) & (1 << 15)); // upper voltage limit
}

void TestNv200Simulator::awgBuffer()
{
    SimRunner sim;
    TcpConn c(sim->port());
    c.query("cl,1");
    QCOMPARE(c.query("gbarb,17,25"), QByteArray());
    QCOMPARE(c.query("gbarb,17"), QByteArray("gbarb,17,25.000"));
    QCOMPARE(c.query("gparb,17"), QByteArray("gparb,17,25.000")); // 0…100 µm
    QCOMPARE(c.query("gparb,18,40"), QByteArray());
    QCOMPARE(c.query("gbarb,18"), QByteArray("gbarb,18,40.000"));
    c.query("cl,0"); // percent of −20…130 V now
    QCOMPARE(c.query("gparb,17"), QByteArray("gparb,17,17.500"));
    QCOMPARE(c.query("gtarb,3"), QByteArray());
    QCOMPARE(c.query("gtarb"), QByteArray("gtarb,3"));
    QCOMPARE(c.query("giarb"), QByteArray("giarb,0"));
    QCOMPARE(c.query("grun"), QByteArray("grun,0"));
}

void TestNv200Simulator::errorCodes_data()
{
    QTest::addColumn<QByteArray>("cmd");
    QTest::addColumn<QByteArray>("answer");
    QTest::newRow("unknown") << QByteArray("hwserno") << QByteArray("error,2");
    QTest::newRow("unknown recdata") << QByteArray("recdata") << QByteArray("error,2");
    QTest::newRow("missing selector") << QByteArray("recsrc") << QByteArray("error,3");
    QTest::newRow("missing recout count") << QByteArray("recout,0,0") << QByteArray("error,3");
    QTest::newRow("missing gbarb index") << QByteArray("gbarb") << QByteArray("error,3");
    QTest::newRow("missing setst time") << QByteArray("setst,10") << QByteArray("error,3");
    QTest::newRow("range cl") << QByteArray("cl,2") << QByteArray("error,4");
    QTest::newRow("range set") << QByteArray("set,131") << QByteArray("error,4");
    QTest::newRow("range reclen") << QByteArray("reclen,6145") << QByteArray("error,4");
    QTest::newRow("range recstr") << QByteArray("recstr,0") << QByteArray("error,4");
    QTest::newRow("range recsrc") << QByteArray("recsrc,0,8") << QByteArray("error,4");
    QTest::newRow("range channel") << QByteArray("recoutf,2") << QByteArray("error,4");
    QTest::newRow("range gbarb") << QByteArray("gbarb,1024,5") << QByteArray("error,4");
    QTest::newRow("range notchb") << QByteArray("notchb,2001") << QByteArray("error,4");
    QTest::newRow("non-integer") << QByteArray("modsrc,1.5") << QByteArray("error,4");
    QTest::newRow("too many") << QByteArray("cl,1,2") << QByteArray("error,5");
    QTest::newRow("too many recout") << QByteArray("recout,0,0,1,1") << QByteArray("error,5");
    QTest::newRow("read-only meas") << QByteArray("meas,5") << QByteArray("error,6");
    QTest::newRow("read-only desc") << QByteArray("desc,PSH20") << QByteArray("error,6");
    QTest::newRow("malformed") << QByteArray("set,abc") << QByteArray("error,1");
}

void TestNv200Simulator::errorCodes()
{
    QFETCH(QByteArray, cmd);
    QFETCH(QByteArray, answer);
    SimRunner sim;
    TcpConn c(sim->port());
    const QByteArray f = c.frame(cmd);
    QVERIFY(f.startsWith(kXoff) && f.endsWith(kXon));
    QCOMPARE(textOf(f), answer);
    QCOMPARE(c.query("cl"), QByteArray("cl,0")); // still usable, nothing changed
}

void TestNv200Simulator::secondClientRefused()
{
    SimRunner sim;
    TcpConn first(sim->port());
    QCOMPARE(first.query("cl"), QByteArray("cl,0"));
    {
        QTcpSocket second;
        second.connectToHost(QHostAddress::LocalHost, sim->port());
        QVERIFY(second.waitForConnected(kTimeoutMs));
        second.write("\r\n");
        QVERIFY(second.state() == QAbstractSocket::UnconnectedState || second.waitForDisconnected(kTimeoutMs));
        QVERIFY(second.readAll().isEmpty());
    }
    QCOMPARE(first.query("cl"), QByteArray("cl,0"));
    first.socket().disconnectFromHost();
    QThread::msleep(50);
    TcpConn third(sim->port());
    QCOMPARE(third.query(""), QByteArray("NV200/D_NET>"));
}

void TestNv200Simulator::secondClientReplacesFirst()
{
    Nv200Simulator::Config cfg;
    cfg.refuseSecondClient = false;
    SimRunner sim(cfg);
    TcpConn first(sim->port());
    QCOMPARE(first.query("cl,1"), QByteArray());
    TcpConn second(sim->port());
    QCOMPARE(second.query("cl"), QByteArray("cl,1")); // same device state
    QVERIFY(first.socket().state() == QAbstractSocket::UnconnectedState
        || first.socket().waitForDisconnected(kTimeoutMs));
}

void TestNv200Simulator::reconnectAtOnceAfterClose()
{
    // The vendor library's flow: connect, identify, close, connect again at once. The simulator
    // may not yet have handled the old client's close when the newcomer arrives; every newcomer
    // must still be accepted and answered.
    SimRunner sim;
    for (int i = 0; i < 300; ++i) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, sim->port());
        QVERIFY2(s.waitForConnected(kTimeoutMs), qPrintable(QString::number(i)));
        s.write(i % 2 ? "cl\r\n" : "\r\n");
        QByteArray got;
        while (!got.contains(kXon) && s.waitForReadyRead(kTimeoutMs))
            got += s.readAll();
        QVERIFY2(textOf(got) == (i % 2 ? QByteArray("cl,0") : QByteArray("NV200/D_NET>")),
                 qPrintable(QStringLiteral("cycle %1: %2").arg(i).arg(QString::fromLatin1(got.toPercentEncoding()))));
        if (i % 3 == 0)
            s.abort(); // closed without waiting
        else
            s.disconnectFromHost(); // orderly close
    }
}

void TestNv200Simulator::newcomerWaitsForTheOldClientToLeave()
{
    // A newcomer that arrives while the old client is alive waits a little for it to leave (a
    // close still on its way); the old client leaving within that time lets it in.
    SimRunner sim;
    auto first = std::make_unique<TcpConn>(sim->port());
    QCOMPARE(first->query("cl"), QByteArray("cl,0"));
    QTcpSocket second;
    second.connectToHost(QHostAddress::LocalHost, sim->port());
    QVERIFY(second.waitForConnected(kTimeoutMs));
    second.write("\r\n");
    QThread::msleep(Nv200Simulator::kNewcomerGraceMs / 5);
    first.reset(); // leaves within the grace time
    QByteArray got;
    while (!got.contains(kXon) && second.waitForReadyRead(kTimeoutMs))
        got += second.readAll();
    QCOMPARE(textOf(got), QByteArray("NV200/D_NET>"));
}

void TestNv200Simulator::stepResponseRecast1()
{
    SimRunner sim;
    TcpConn c(sim->port());
    for (const char *cmd : { "cl,1", "modsrc,0", "set,20", "recsrc,0,0", "recsrc,1,1", "recast,1", "recstr,1",
             "reclen,200" })
        QCOMPARE(c.query(cmd), QByteArray());
    QThread::msleep(30); // settle at 20 µm
    QCOMPARE(c.query("recrun,1"), QByteArray()); // arms only
    QThread::msleep(20);
    QCOMPARE(c.query("recrun"), QByteArray("recrun,1"));
    QCOMPARE(c.query("recidx"), QByteArray("recidx,0")); // nothing recorded before the set
    QCOMPARE(c.query("set,80"), QByteArray()); // starts the recording
    QVERIFY(waitRecorderDone(c) >= 0);
    QCOMPARE(c.query("recidx"), QByteArray("recidx,200"));

    const QByteArray pos = c.query("recoutf,0");
    QVERIFY(pos.startsWith("recoutf,0,"));
    const QList<double> p = values(pos, 2);
    QCOMPARE(p.size(), 200);
    QVERIFY2(qAbs(p.first() - 20) < 0.005, qPrintable(QString::number(p.first()))); // first sample: still at the old setpoint
    QVERIFY(p.at(1) < 22);
    QVERIFY(p.at(20) > 40); // 1 ms after the step
    QVERIFY(p.last() > 79 && p.last() < 81); // 10 ms ≫ time constants
    for (int i = 5; i < 60; ++i)
        QVERIFY2(p.at(i) > p.at(i - 5), qPrintable(QString::number(i))); // rising (noise ±0.003)
    const QList<double> s = values(c.query("recoutf,1"), 2);
    QCOMPARE(s.size(), 200);
    for (double v : s)
        QCOMPARE(v, 80.0);
    // recout with a count returns the same values.
    const QByteArray part = c.query("recout,0,5,3");
    QVERIFY(part.startsWith("recout,0,5,"));
    QCOMPARE(values(part, 3), p.mid(5, 3));
}

void TestNv200Simulator::awgTriggeredRecast2()
{
    SimRunner sim;
    TcpConn c(sim->port());
    c.query("cl,1");
    // A square wave: 50 samples at 0 %, 50 at 100 %, each held 2 × 50 µs; one cycle.
    QByteArray batch;
    for (int i = 0; i < 100; ++i)
        batch += "gbarb," + QByteArray::number(i) + (i < 50 ? ",0\r\n" : ",100\r\n");
    c.send(batch);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(c.readFrame(), QByteArray("\x13\x11"));
    for (const char *cmd : { "gsarb,0", "gearb,99", "goarb,0", "gtarb,2", "gcarb,1", "modsrc,3", "recsrc,0,1",
             "recsrc,1,0", "recast,2", "recstr,1", "reclen,400", "recrun,1" })
        QCOMPARE(c.query(cmd), QByteArray());
    QThread::msleep(10);
    QCOMPARE(c.query("recidx"), QByteArray("recidx,0")); // armed, waiting for grun
    QCOMPARE(c.query("grun,1"), QByteArray());
    QVERIFY(waitRecorderDone(c) >= 0);
    QCOMPARE(c.query("grun"), QByteArray("grun,0")); // one cycle of 10 ms is over
    QCOMPARE(c.query("giarb"), QByteArray("giarb,99"));

    const QList<double> set = values(c.query("recoutf,0"), 2);
    QCOMPARE(set.size(), 400);
    for (int i = 0; i < 400; ++i)
        QCOMPARE(set.at(i), i < 100 ? 0.0 : 100.0); // exact in simulated time
    const QList<double> pos = values(c.query("recoutf,1"), 2);
    QCOMPARE(pos.size(), 400);
    QVERIFY(pos.at(99) < 1.0);
    QVERIFY(pos.at(399) > 99.0);
}

void TestNv200Simulator::strideTiming()
{
    SimRunner sim;
    TcpConn c(sim->port());
    // 300 ms: stride 1 + int(0.3 / 0.3072) = 1, length ceil(20000 × 0.3) = 6000 (§4.3).
    for (const char *cmd : { "recast,0", "recstr,1", "reclen,6000" })
        QCOMPARE(c.query(cmd), QByteArray());
    QElapsedTimer t;
    t.start();
    QCOMPARE(c.query("recrun,1"), QByteArray());
    QThread::msleep(150);
    const int mid = int(values(c.query("recidx"), 1).value(0));
    // Real time: at least ~150 ms of the 300 ms are recorded (no upper bound: a loaded machine may
    // wake up late, even after the end).
    QVERIFY2(mid > 2000, qPrintable(QString::number(mid)));
    QVERIFY(waitRecorderDone(c) >= 0);
    const qint64 ms = t.elapsed();
    QVERIFY2(ms >= 295, qPrintable(QString::number(ms))); // not before 300 ms of real time
    QCOMPARE(values(c.query("recoutf,1"), 2).size(), 6000);

    // Stride 7, 400 samples = 140 ms.
    c.query("recstr,7");
    c.query("reclen,400");
    t.restart();
    c.query("recrun,1");
    QVERIFY(waitRecorderDone(c) >= 0);
    const qint64 ms2 = t.elapsed();
    QVERIFY2(ms2 >= 137, qPrintable(QString::number(ms2)));
    QCOMPARE(values(c.query("recoutf,0"), 2).size(), 400);
}

void TestNv200Simulator::ringRecorderAndRecout()
{
    SimRunner sim;
    TcpConn c(sim->port());
    for (const char *cmd : { "recast,0", "recsrc,0,1", "reclen,0", "recrun,1" })
        QCOMPARE(c.query(cmd), QByteArray());
    QThread::msleep(30);
    QCOMPARE(c.query("recrun"), QByteArray("recrun,1")); // ring: runs until stopped
    QCOMPARE(c.query("recrun,0"), QByteArray());
    QCOMPARE(c.query("recrun"), QByteArray("recrun,0"));
    QCOMPARE(values(c.query("recoutf,0"), 2).size(), 6144);
    QCOMPARE(c.query("recout,0,6143,1"), QByteArray("recout,0,6143,0.000"));
    QCOMPARE(textOf(c.frame("recout,0,6143,2")), QByteArray("error,4"));
}

void TestNv200Simulator::faultGarbleValue()
{
    SimRunner sim;
    TcpConn c(sim->port());
    c.query("set,80");
    sim->injectFault(Nv200Simulator::Fault::GarbleValue);
    QCOMPARE(c.query("desc"), QByteArray("desc,TRITOR100SG ")); // not numeric: untouched
    QCOMPARE(c.query("set"), QByteArray("set,8#.0x"));
    QCOMPARE(c.query("set"), QByteArray("set,80.000")); // once only
}

void TestNv200Simulator::faultStallMidReply()
{
    SimRunner sim;
    TcpConn c(sim->port());
    sim->injectFault(Nv200Simulator::Fault::StallMidReply);
    c.send("desc\r\n");
    const QByteArray partial = c.drain(300);
    QVERIFY2(partial.startsWith(kXoff) && !partial.contains(kXon), partial.toHex().constData());
    QVERIFY(QByteArray("\x13"
                       "desc,TRITOR100SG \r\n")
                .startsWith(partial));
    QVERIFY(partial.size() > 2);
    // The client gives up, flushes, and the next command is answered normally.
    QCOMPARE(c.frame("cl"), QByteArray("\x13"
                                       "cl,0\r\n\x11"));
}

void TestNv200Simulator::faultDropConnection()
{
    SimRunner sim;
    {
        TcpConn c(sim->port());
        for (const char *cmd : { "recast,0", "reclen,300", "recrun,1" })
            QCOMPARE(c.query(cmd), QByteArray());
        QVERIFY(waitRecorderDone(c) >= 0);
        sim->injectFault(Nv200Simulator::Fault::DropConnection);
        QCOMPARE(c.query("cl"), QByteArray("cl,0")); // short answers are not affected
        c.send("recoutf,0\r\n");
        QVERIFY(c.socket().waitForDisconnected(kTimeoutMs) || c.socket().state() == QAbstractSocket::UnconnectedState);
        const QByteArray partial = c.drain(0) + c.socket().readAll();
        QVERIFY(partial.startsWith("\x13recoutf,0,"));
        QVERIFY(!partial.contains(kXon));
        QVERIFY(partial.size() > 100);
    }
    QThread::msleep(50);
    TcpConn again(sim->port()); // the slot is free again, the recording is still there
    QCOMPARE(values(again.query("recoutf,0"), 2).size(), 300);
}

void TestNv200Simulator::ptyEndToEnd()
{
    Nv200Simulator::Config cfg;
    cfg.pty = true;
    SimRunner sim(cfg);
    const QString path = sim->ptyPath();
    QVERIFY(path.startsWith(QLatin1String("/dev/pts/")));
    {
        PtyConn p(path);
        QVERIFY(p.isOpen());
        QCOMPARE(p.frame(""), QByteArray("\x13NV200/D_NET>\r\n\x11"));
        QCOMPARE(p.frame("cl,1"), QByteArray("\x13\x11"));
        QCOMPARE(p.query("desc"), QByteArray("desc,TRITOR100SG "));
        QCOMPARE(p.query("unitcl"), QByteArray("unitcl,\xB5m"));
        QCOMPARE(p.query("hwserno"), QByteArray("error,2"));
    }
    TcpConn tcp(sim->port());
    QCOMPARE(tcp.query("cl"), QByteArray("cl,1")); // one device behind both links
    // Open and close the device path repeatedly, as a driver reconnecting would.
    for (int i = 0; i < 5; ++i) {
        PtyConn p(path);
        QVERIFY(p.isOpen());
        QCOMPARE(p.query("cl"), QByteArray("cl,1"));
    }
    // A long answer through the pty (full buffer, ~45 kB).
    PtyConn p(path);
    for (const char *cmd : { "recast,0", "reclen,6144", "recrun,1" })
        QCOMPARE(p.query(cmd), QByteArray());
    QVERIFY(waitRecorderDone(p) >= 0);
    QCOMPARE(values(p.query("recoutf,0"), 2).size(), 6144);
}

void TestNv200Simulator::modelExactAndReproducible()
{
    auto run = [](qint64 stepTick) {
        Nv200SimulatorModel m(actuatorByName(QStringLiteral("TRITOR100SG")));
        Nv200SimulatorCommands cmds(m);
        for (const char *c : { "cl,1", "set,10", "recsrc,0,0", "recsrc,1,6", "recast,1", "recstr,3", "reclen,100",
                 "recrun,1" })
            cmds.execute(c);
        m.advanceTo(stepTick);
        cmds.execute("set,90");
        m.advanceTo(stepTick + 299);
        const bool busy = m.recorderBusy();
        m.advanceTo(stepTick + 300);
        std::vector<double> v;
        for (int i = 0; i < 100; ++i)
            v.push_back(m.recorded(0, i));
        for (int i = 0; i < 100; ++i)
            v.push_back(m.recorded(1, i));
        return std::make_tuple(busy, m.recorderBusy(), v);
    };
    const auto [busyA, doneA, a] = run(1000);
    const auto [busyB, doneB, b] = run(1000);
    QVERIFY(busyA);
    QVERIFY(!doneA); // 100 samples × stride 3 = exactly 300 ticks
    QVERIFY(a == b); // bit-identical
    QVERIFY2(a[0] < 10.5 && a[99] > 89.5, qPrintable(QStringLiteral("%1 %2").arg(a[0]).arg(a[99])));
    QVERIFY(qAbs(a[0] - 10.0) < 0.005); // position still at the old setpoint (noise ±0.003)
    QCOMPARE(a[100], 0.0); // no current before the step
    QVERIFY(*std::max_element(a.begin() + 100, a.end()) > 0.05); // current 1 flows during the step
    // Idle time is skipped, not stepped.
    Nv200SimulatorModel m(actuatorByName(QStringLiteral("PSH20")));
    QElapsedTimer t;
    t.start();
    m.advanceTo(qint64(20000) * 3600 * 24);
    QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed()))); // stepping 1.7e9 ticks would take minutes
    QVERIFY(!m.isActive());
}

void TestNv200Simulator::modelSlewRate()
{
    Nv200SimulatorModel m(actuatorByName(QString()));
    Nv200SimulatorCommands cmds(m);
    cmds.execute("cl,1");
    cmds.execute("set,20");
    m.advanceTo(2000);
    cmds.execute("sr,1"); // 1 %/ms of 100 µm = 1 µm/ms
    cmds.execute("set,80");
    m.advanceTo(2000 + 400); // 20 ms
    QVERIFY2(m.position() > 36 && m.position() < 40, qPrintable(QString::number(m.position())));
    m.advanceTo(2000 + 1400); // 70 ms
    QVERIFY(qAbs(m.position() - 80) < 0.01);
}

QTEST_GUILESS_MAIN(TestNv200Simulator)
#include "test_nv200_simulator.moc"
