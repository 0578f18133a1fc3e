// SPDX-License-Identifier: GPL-3.0-or-later
// M81Simulator over a real socket and its pseudo-terminal, with raw SCPI lines (no driver): the
// vendor client's §6.1 sequence byte for byte, header forms, `;`/`;:` lines, the error queue and
// its texts, BCOunt/BFORmat, the §6.3 fixture, stream rows against the rate and RTIMe, bounded
// streams, overflow, every fault, an empty slot, the module settings and the switchable §11
// points. The simulator runs on its own thread, as in the demo; the test side uses blocking I/O.
#include "M81ProtocolElements.h"
#include "M81Simulator.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QThread>
#include <QtEndian>
#include <QtTest>

#include <cerrno>
#include <cmath>
#include <numbers>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

using namespace bs::m81;

namespace {

constexpr int kTimeoutMs = 15000; // generous: a loaded machine may answer late
const QByteArray kChk = ";:SYSTem:ERRor:ALL?";

/// An M81Simulator on a worker thread, started with a blocking queued call (as the demo does).
class SimRunner
{
public:
    explicit SimRunner(M81Simulator::Config cfg = {})
    {
        cfg.port = 0;
        m_sim = new M81Simulator(cfg);
        m_sim->moveToThread(&m_thread);
        m_thread.start();
        QString error;
        if (!m_sim->start(&error))
            qFatal("simulator did not start: %s", qPrintable(error));
    }
    ~SimRunner()
    {
        QMetaObject::invokeMethod(m_sim, [this] { delete m_sim; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    M81Simulator *operator->() const { return m_sim; }

private:
    QThread m_thread;
    M81Simulator *m_sim = nullptr;
};

/// Blocking line client over TCP or the pty: sends LF-terminated lines, reads CR LF lines.
class Conn
{
public:
    virtual ~Conn() = default;
    virtual void send(const QByteArray &bytes) = 0;
    /// The next answer line with its CR LF; empty on timeout or end of stream.
    QByteArray rawLine(int timeoutMs = kTimeoutMs)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            const qsizetype end = m_buf.indexOf("\r\n");
            if (end >= 0) {
                const QByteArray line = m_buf.left(end + 2);
                m_buf.remove(0, end + 2);
                return line;
            }
            const qint64 left = timeoutMs - t.elapsed();
            if (left <= 0 || !waitRead(int(left)))
                return {};
        }
    }
    QByteArray ask(const QByteArray &line)
    {
        send(line + '\n');
        return rawLine().chopped(2);
    }
    QByteArray askRaw(const QByteArray &line)
    {
        send(line + '\n');
        return rawLine();
    }
    /// Bytes that arrive within ms (the buffered ones included).
    QByteArray drain(int ms)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms && waitRead(int(ms - t.elapsed()))) {
        }
        return std::exchange(m_buf, QByteArray());
    }
    QByteArray pending() const { return m_buf; }

protected:
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
        if (m_fd >= 0) {
            termios tio {};
            ::tcgetattr(m_fd, &tio);
            ::cfmakeraw(&tio);
            ::tcsetattr(m_fd, TCSANOW, &tio);
            ::tcflush(m_fd, TCIOFLUSH);
        }
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

/// One decoded row: every value as a double (bools 0/1, ints exact).
using Row = QList<double>;

/// Decodes little-endian rows of layout `format` (struct codes) from `bytes`.
QList<Row> decodeRows(const QByteArray &bytes, const QByteArray &format)
{
    int size = 0;
    for (char c : format)
        size += structCodeSize(c);
    QList<Row> rows;
    for (qsizetype at = 0; size > 0 && at + size <= bytes.size(); at += size) {
        Row row;
        const char *p = bytes.constData() + at;
        for (char c : format) {
            switch (c) {
            case 'd': row << qFromLittleEndian<double>(p); break;
            case 'f': row << qFromLittleEndian<float>(p); break;
            case '?': row << double(*p != 0); break;
            case 'I': row << double(qFromLittleEndian<quint32>(p)); break;
            default: qFatal("unexpected struct code %c", c);
            }
            p += structCodeSize(c);
        }
        rows << row;
    }
    return rows;
}

/// Configures and starts a stream with the vendor's order (§12), checking each step.
void startStream(Conn &c, const QByteArray &elements, int rate, qint64 count = 0)
{
    QCOMPARE(c.ask("TRACe:RESEt" + kChk), QByteArray("No error"));
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents " + elements + kChk), QByteArray("No error"));
    QCOMPARE(c.ask("TRACe:FORMat:ENCOding B64" + kChk), QByteArray("No error"));
    QCOMPARE(c.ask("TRACe:RATE " + QByteArray::number(rate) + kChk), QByteArray("No error"));
    QCOMPARE(c.ask("TRACe:STARt" + (count ? ' ' + QByteArray::number(count) : QByteArray()) + kChk),
             QByteArray("No error"));
}

QByteArray bformatOf(Conn &c)
{
    QByteArray f = c.ask("TRACe:FORMat:ENCOding:B64:BFORmat?");
    f.replace('"', "");
    return f;
}

/// Polls DATA:ALL? until `n` rows arrived (or the timeout); returns every decoded row.
QList<Row> collect(Conn &c, qint64 n, const QByteArray &format)
{
    QList<Row> rows;
    QByteArray bytes;
    QElapsedTimer t;
    t.start();
    while (rows.size() < n && t.elapsed() < kTimeoutMs) {
        const QByteArray line = c.ask("TRACe:DATA:ALL?");
        bytes += QByteArray::fromBase64(line);
        const QList<Row> more = decodeRows(bytes, format);
        int size = 0;
        for (char ch : format)
            size += structCodeSize(ch);
        bytes.remove(0, more.size() * size);
        rows += more;
        if (line.isEmpty())
            QThread::msleep(2);
    }
    return rows;
}

} // namespace

class TestM81Simulator : public QObject
{
    Q_OBJECT
private slots:
    void vendorSequenceByteForByte();
    void headerForms();
    void semicolonLines();
    void errorQueueAndTexts();
    void undefinedQuery();
    void statusRegisters();
    void rowLayoutForElementLists_data();
    void rowLayoutForElementLists();
    void elementListRefused();
    void fixtureVectors();
    void rowsFollowRateAndRtime();
    void boundedStreamStopsAfterN();
    void overflowWhenNotRead();
    void boundedStreamWithOverflow();
    void faultDropConnection();
    void faultTruncatedRow();
    void faultStall();
    void faultErrorMidStream();
    void emptySlot();
    void moduleSettings();
    void lockInSeesItsSource();
    void unverifiedSwitches();
    void ptyEndToEnd();
    void overlongLineRefused();
    void qcodesSequence();
    void instrumentCommands();
};

void TestM81Simulator::vendorSequenceByteForByte()
{
    SimRunner sim;
    TcpConn c(sim->port());
    // Connect ritual: a lone LF is not answered; nothing is ever sent unasked.
    c.send("\n");
    QCOMPARE(c.askRaw("*IDN?"), QByteArray("LSCI,M81,SIM00001,2.1.0\r\n"));
    c.send("SYSTem:ERRor:CLEar\n");
    QCOMPARE(c.askRaw("SOURce:NCHannels?" + kChk), QByteArray("3;No error\r\n"));
    QCOMPARE(c.askRaw("SENSe:NCHannels?" + kChk), QByteArray("3;No error\r\n"));
    // §6.1, the element list of the vendor's tests.
    QCOMPARE(c.askRaw("TRACe:RESEt" + kChk), QByteArray("No error\r\n"));
    QCOMPARE(c.askRaw("TRACe:FORMat:ELEMents MX,1,MY,2,MR,3" + kChk), QByteArray("No error\r\n"));
    QCOMPARE(c.askRaw("TRACe:FORMat:ENCOding B64" + kChk), QByteArray("No error\r\n"));
    QCOMPARE(c.askRaw("TRACe:RATE 10" + kChk), QByteArray("No error\r\n"));
    QCOMPARE(c.askRaw("TRACe:FORMat:ENCOding:B64:BCOunt?" + kChk), QByteArray("24;No error\r\n"));
    QCOMPARE(c.askRaw("TRACe:FORMat:ENCOding:B64:BFORmat?" + kChk), QByteArray("\"ddd\";No error\r\n"));
    QCOMPARE(c.askRaw("TRACe:FORMat:HEADer?" + kChk), QByteArray("\"MX,1,MY,2,MR,3\";No error\r\n"));
    QCOMPARE(c.askRaw("TRACe:STARt 3" + kChk), QByteArray("No error\r\n"));
    // Busy polling as the client does: empty lines until rows come, whole rows only.
    QByteArray bytes;
    int polls = 0;
    QElapsedTimer t;
    t.start();
    while (bytes.size() < 3 * 24 && t.elapsed() < kTimeoutMs) {
        const QByteArray raw = c.askRaw("TRACe:DATA:ALL?");
        QVERIFY(raw.endsWith("\r\n"));
        const QByteArray decoded = QByteArray::fromBase64(raw.chopped(2));
        QCOMPARE(decoded.size() % 24, 0);
        bytes += decoded;
        ++polls;
    }
    QCOMPARE(bytes.size(), 3 * 24);
    QCOMPARE(c.askRaw("TRACe:DATA:OVERflow?" + kChk), QByteArray("0;No error\r\n"));
    // The bounded stream is over: no row and no stray byte more.
    QCOMPARE(c.askRaw("TRACe:DATA:ALL?"), QByteArray("\r\n"));
    QCOMPARE(c.drain(50), QByteArray());
    QVERIFY(polls >= 1);
}

void TestM81Simulator::headerForms()
{
    SimRunner sim;
    TcpConn c(sim->port());
    c.send("TRACe:FORMat:ELEMents RTIMe,1,SVLimit,1\n");
    for (const char *q : { "TRACe:FORMat:ENCOding:B64:BCOunt?", "TRAC:FORM:ENCO:B64:BCO?", "trace:format:encoding:b64:bcount?",
                           "tRaC:fOrMaT:eNcO:b64:BcOuNt?", ":TRACe:FORMat:ENCOding:B64:BCOunt?" })
        QCOMPARE(c.ask(q), QByteArray("9"));
    // Numeric suffixes; none means 1.
    QCOMPARE(c.ask("SOURce2:MODel?"), QByteArray("\"CS-10\""));
    QCOMPARE(c.ask("sour3:mod?"), QByteArray("\"BCS-10\""));
    QCOMPARE(c.ask("SENS3:MODEL?"), QByteArray("\"CM-10\""));
    QCOMPARE(c.ask("SENSe:MODel?"), QByteArray("\"VM-10\""));
    QCOMPARE(c.ask("SOURce1:NAME?"), QByteArray("\"S1\""));
    // Neither short nor long form: undefined.
    QCOMPARE(c.ask("TRA:RATE?" + kChk), QByteArray("-113,\"Undefined header;TRA:RATE?;\""));
    QCOMPARE(c.ask("TRACES:RATE?" + kChk), QByteArray("-113,\"Undefined header;TRACES:RATE?;\""));
    QCOMPARE(c.ask("SOURce4:MODel?" + kChk), QByteArray("-114,\"Header suffix out of range;SOURce4:MODel?;\""));
    // The empty line and CR LF input.
    c.send("\r\n\n   \n");
    QCOMPARE(c.askRaw("*IDN?\r"), QByteArray("LSCI,M81,SIM00001,2.1.0\r\n"));
}

void TestM81Simulator::semicolonLines()
{
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.ask("*IDN?;*IDN?"), QByteArray("LSCI,M81,SIM00001,2.1.0;LSCI,M81,SIM00001,2.1.0"));
    // `;:` starts again at the root, `;` alone continues in the path of the unit before.
    QCOMPARE(c.ask("SOURce1:FREQuency 13;:SOURce1:FREQuency?;:SOURce2:FREQuency?"), QByteArray("13;1000"));
    QCOMPARE(c.ask("SOURce1:FREQuency 17;FREQuency?;:SYSTem:ERRor:ALL?"), QByteArray("17;No error"));
    QCOMPARE(c.ask("SOURce3:FUNCtion:SHAPe SIN;SHAPe?"), QByteArray("SINUSOID"));
    // Commands alone produce no answer: the next line read belongs to the next query.
    c.send("TRACe:RATE 20;:TRACe:FORMat:ENCOding B64\n");
    c.send("TRACe:RATE 30\n");
    QCOMPARE(c.ask("TRACe:RATE?"), QByteArray("30"));
    QCOMPARE(c.ask("*IDN?;:UNIT?;:SYSTem:ERRor:ALL?"),
             QByteArray("LSCI,M81,SIM00001,2.1.0;-113,\"Undefined header;UNIT?;\""));
}

void TestM81Simulator::errorQueueAndTexts()
{
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("No error"));
    QCOMPARE(c.ask("*IDN? 1" + kChk), QByteArray("-108,\"Parameter not allowed;*IDN? 1;\""));
    QCOMPARE(c.ask("TRACe:RATE" + kChk), QByteArray("-109,\"Missing parameter;TRACe:RATE;\""));
    QCOMPARE(c.ask("NOSUCH:THING 3" + kChk), QByteArray("-113,\"Undefined header;NOSUCH:THING 3;\""));
    QCOMPARE(c.ask("TRACe:RATE 6000" + kChk), QByteArray("-222,\"Data out of range;TRACe:RATE 6000;\""));
    QCOMPARE(c.ask("TRACe:RATE 0" + kChk), QByteArray("-222,\"Data out of range;TRACe:RATE 0;\""));
    QCOMPARE(c.ask("TRACe:RATE 2.5" + kChk), QByteArray("-224,\"Illegal parameter value;TRACe:RATE 2.5;\""));
    QCOMPARE(c.ask("TRACe:FORMat:ENCOding CSV" + kChk),
             QByteArray("-224,\"Illegal parameter value;TRACe:FORMat:ENCOding CSV;\""));
    QCOMPARE(c.ask("TRACe:STARt" + kChk), QByteArray("-221,\"Settings conflict;TRACe:STARt;\""));
    // Several items, joined by ',' (U4), in order; ALL? empties the queue.
    c.send("TRACe:RATE 6000;:BOGUS\n");
    QCOMPARE(c.ask("SYSTem:ERRor:COUNt?"), QByteArray("2"));
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"),
             QByteArray("-222,\"Data out of range;TRACe:RATE 6000;\",-113,\"Undefined header;BOGUS;\""));
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("No error"));
    // One at a time, and CLEar.
    c.send("BOGUS1\nBOGUS2\n");
    QCOMPARE(c.ask("SYSTem:ERRor?"), QByteArray("-113,\"Undefined header;BOGUS1;\""));
    c.send("SYSTem:ERRor:CLEar\n");
    QCOMPARE(c.ask("SYSTem:ERRor?"), QByteArray("0,\"No error\""));
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("No error"));
    // A failed setting leaves the old value.
    QCOMPARE(c.ask("TRACe:RATE?"), QByteArray("1000"));
}

void TestM81Simulator::undefinedQuery()
{
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.askRaw("FAKEQUERY?" + kChk), QByteArray("-113,\"Undefined header;FAKEQUERY?;\"\r\n"));
    // Alone, it answers nothing at all: the next answer is that of the next query.
    c.send("FAKEQUERY?\n");
    QCOMPARE(c.ask("SENSe:NCHannels?"), QByteArray("3"));
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("-113,\"Undefined header;FAKEQUERY?;\""));
}

void TestM81Simulator::statusRegisters()
{
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.ask("*STB?"), QByteArray("0"));
    c.send("BOGUS\n");
    QCOMPARE(c.ask("*STB?").toInt() & 0x04, 0x04); // error queue not empty
    QCOMPARE(c.ask("*ESR?").toInt(), 0x20); // command error
    QCOMPARE(c.ask("*ESR?").toInt(), 0);
    c.send("TRACe:RATE 9999\n");
    QCOMPARE(c.ask("*ESR?").toInt(), 0x10); // execution error
    c.send("*CLS\n");
    QCOMPARE(c.ask("*STB?"), QByteArray("0"));
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("No error"));
    QCOMPARE(c.ask("STATus:OPERation:CONDition?"), QByteArray("0"));
    startStream(c, "RTIMe,1", 10);
    QCOMPARE(c.ask("STATus:OPERation:CONDition?"), QByteArray("64"));
    QCOMPARE(c.ask("STATus:OPERation:EVENt?"), QByteArray("64"));
    QCOMPARE(c.ask("STATus:OPERation?"), QByteArray("0")); // the event register is cleared by reading
    QCOMPARE(c.ask("STATus:QUEStionable:CONDition?"), QByteArray("0"));
    c.send("STATus:OPERation:ENABle 64\n");
    QCOMPARE(c.ask("STATus:OPERation:ENABle?"), QByteArray("64"));
    QCOMPARE(c.ask("STATus:OPERation:SOURce2:CONDition?"), QByteArray("0"));
    c.send("TRACe:STOP\n");
    QCOMPARE(c.ask("STATus:OPERation:CONDition?"), QByteArray("0"));
}

void TestM81Simulator::rowLayoutForElementLists_data()
{
    QTest::addColumn<QByteArray>("elements");
    QTest::addColumn<int>("bcount");
    QTest::addColumn<QByteArray>("bformat");
    QTest::newRow("MX MY MR") << QByteArray("MX,1,MY,2,MR,3") << 24 << QByteArray("ddd");
    QTest::newRow("RTIMe") << QByteArray("RTIMe,1") << 8 << QByteArray("d");
    QTest::newRow("flag + double") << QByteArray("SVLimit,1,MX,2") << 9 << QByteArray("?d");
    QTest::newRow("ranges, masks, flags") << QByteArray("SRANge,1,GPIStates,1,MOVerload,3,MRFRequency,2,MRANge,3,GPOStates,1")
                                          << 25 << QByteArray("fI?dfI");
    QTest::newRow("short forms, any case") << QByteArray("rtim,1,samp,2,mrms,3,munl,1,ssw,2") << 26 << QByteArray("ddd??");
    QTest::newRow("10 pairs") << QByteArray("RTIMe,1,MX,1,MY,1,MR,1,MTHeta,1,MX,2,MY,2,MR,2,MTHeta,2,MDC,3") << 80
                              << QByteArray("dddddddddd");
}

void TestM81Simulator::rowLayoutForElementLists()
{
    QFETCH(QByteArray, elements);
    QFETCH(int, bcount);
    QFETCH(QByteArray, bformat);
    SimRunner sim;
    TcpConn c(sim->port());
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents " + elements + kChk), QByteArray("No error"));
    QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BCOunt?" + kChk), QByteArray::number(bcount) + ";No error");
    QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BFORmat?" + kChk), '"' + bformat + "\";No error");
    // The rows streamed have exactly that layout.
    startStream(c, elements, 100, 4);
    const QList<Row> rows = collect(c, 4, bformat);
    QCOMPARE(rows.size(), 4);
    // Re-sending ELEMents after the stream ended is accepted (and RESEt keeps the list, U5).
    c.send("TRACe:RESEt\n");
    QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BCOunt?"), QByteArray::number(bcount));
}

void TestM81Simulator::elementListRefused()
{
    SimRunner sim;
    TcpConn c(sim->port());
    const QByteArray eleven = "RTIMe,1,MX,1,MY,1,MR,1,MTHeta,1,MX,2,MY,2,MR,2,MTHeta,2,MDC,3,MDC,2";
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents " + eleven + kChk),
             "-108,\"Parameter not allowed;TRACe:FORMat:ELEMents " + eleven + ";\"");
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents MQ,1" + kChk),
             QByteArray("-224,\"Illegal parameter value;TRACe:FORMat:ELEMents MQ,1;\""));
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents MX,4" + kChk),
             QByteArray("-222,\"Data out of range;TRACe:FORMat:ELEMents MX,4;\""));
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents MX" + kChk),
             QByteArray("-109,\"Missing parameter;TRACe:FORMat:ELEMents MX;\""));
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents MX,one" + kChk),
             QByteArray("-224,\"Illegal parameter value;TRACe:FORMat:ELEMents MX,one;\""));
    // U11: the index of RTIMe/GPIStates/GPOStates is not checked by default.
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents RTIMe,7,GPIStates,0" + kChk), QByteArray("No error"));
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents?"), QByteArray("RTIMe,7,GPIStates,0"));
    // Not while a stream runs.
    startStream(c, "MDC,1", 10);
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents MX,1" + kChk),
             QByteArray("-221,\"Settings conflict;TRACe:FORMat:ELEMents MX,1;\""));
}

void TestM81Simulator::fixtureVectors()
{
    struct Case
    {
        M81SimulatorConfig::Fixture fixture;
        QByteArray bformatReply;
        QByteArray data;
        QList<Row> rows;
    };
    const QList<Case> cases {
        { M81SimulatorConfig::Fixture::StreamData, "\"?d\";No error", "AF3cRgN400ZAAVTjpZvEIPQ/AIzbaABveVBA",
          { { 0, 45.6521 }, { 1, 1.258 }, { 0, 65.8974 } } },
        { M81SimulatorConfig::Fixture::GetData, "?d;No error", "AYlBYOXQIilAAFCNl24Sg9A/AXsUrkfhei9A",
          { { 1, 12.568 }, { 0, 0.258 }, { 1, 15.74 } } },
    };
    for (const Case &k : cases) {
        M81Simulator::Config cfg;
        cfg.fixture = k.fixture;
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        QCOMPARE(c.ask("TRACe:RESEt" + kChk), QByteArray("No error"));
        QCOMPARE(c.ask("TRACe:FORMat:ELEMents MX,1,MY,2,MR,3" + kChk), QByteArray("No error"));
        QCOMPARE(c.ask("TRACe:FORMat:ENCOding B64" + kChk), QByteArray("No error"));
        QCOMPARE(c.ask("TRACe:RATE 10" + kChk), QByteArray("No error"));
        QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BCOunt?" + kChk), QByteArray("9;No error"));
        QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BFORmat?" + kChk), k.bformatReply);
        QCOMPARE(c.ask("TRACe:DATA:ALL?"), QByteArray()); // nothing before STARt
        QCOMPARE(c.ask("TRACe:STARt 3" + kChk), QByteArray("No error"));
        QCOMPARE(c.ask("TRACe:DATA:COUNt?"), QByteArray("3"));
        QCOMPARE(c.askRaw("TRACe:DATA:ALL?"), k.data + "\r\n");
        QCOMPARE(decodeRows(QByteArray::fromBase64(k.data), "?d"), k.rows);
        QCOMPARE(c.ask("TRACe:DATA:ALL?"), QByteArray());
        QCOMPARE(c.ask("TRACe:DATA:OVERflow?" + kChk), QByteArray("0;No error"));
    }
}

void TestM81Simulator::rowsFollowRateAndRtime()
{
    M81Simulator::Config cfg;
    cfg.bufferBytes = 1 << 20; // no overflow however late this test polls
    SimRunner sim(cfg);
    TcpConn c(sim->port());
    c.send("SOURce1:FUNCtion:SHAPe SINusoid;:SOURce1:VOLTage:LEVel:AMPLitude 2;:SOURce1:FREQuency 77;:SOURce1:STATe 1\n");
    c.send("SENSe1:MODE LIA;:SENSe1:LIA:RSOurce S1\n");
    startStream(c, "RTIMe,1,MPPeak,1,MRMs,1,MX,1,MRFRequency,1", 5000, 600);
    const QByteArray format = bformatOf(c);
    QCOMPARE(format, QByteArray("ddddd"));
    const QList<Row> rows = collect(c, 600, format);
    QCOMPARE(rows.size(), 600);
    for (int k = 0; k < rows.size(); ++k) {
        QCOMPARE(rows[k][0], double(k) / 5000); // RTIMe exactly row / rate
        // MPPeak updates at 1 kSa/s: repeated within each group of 5 rows, new at each group.
        if (k % 5)
            QCOMPARE(rows[k][1], rows[k - 1][1]);
        else if (k)
            QVERIFY(rows[k][1] != rows[k - 1][1]);
        // MRMs at 5 kSa/s: a new value every row.
        if (k)
            QVERIFY(rows[k][2] != rows[k - 1][2]);
        QCOMPARE(rows[k][4], 77.0);
    }
    // Plausible: measure 1 sees 0.5 × the 2 V sine of source 1: peak 1 V, RMS 0.707 V.
    QVERIFY(std::fabs(rows[10][1] - 1.0) < 1e-3);
    QVERIFY(std::fabs(rows[10][2] - std::sqrt(0.5)) < 1e-3);
    QCOMPARE(c.ask("TRACe:DATA:OVERflow?"), QByteArray("0"));
    QCOMPARE(c.ask("STATus:OPERation:CONDition?"), QByteArray("0"));
}

void TestM81Simulator::boundedStreamStopsAfterN()
{
    SimRunner sim;
    TcpConn c(sim->port());
    startStream(c, "RTIMe,1,MDC,2", 1000, 25);
    const QList<Row> rows = collect(c, 25, "dd");
    QCOMPARE(rows.size(), 25);
    QTRY_COMPARE_WITH_TIMEOUT(c.ask("STATus:OPERation:CONDition?"), QByteArray("0"), kTimeoutMs);
    QCOMPARE(c.ask("TRACe:DATA:COUNt?"), QByteArray("0"));
    QCOMPARE(c.ask("TRACe:DATA:ALL?"), QByteArray());
    QCOMPARE(rows.last()[0], 24.0 / 1000);
    // An unbounded stream goes on until STOP (U7) or RESEt.
    startStream(c, "RTIMe,1", 1000);
    QTRY_VERIFY_WITH_TIMEOUT(c.ask("TRACe:DATA:COUNt?").toInt() >= 30, kTimeoutMs);
    QCOMPARE(c.ask("STATus:OPERation:CONDition?"), QByteArray("64"));
    c.send("TRACe:RESEt\n");
    QCOMPARE(c.ask("STATus:OPERation:CONDition?"), QByteArray("0"));
    QCOMPARE(c.ask("TRACe:DATA:COUNt?"), QByteArray("0"));
}

void TestM81Simulator::overflowWhenNotRead()
{
    M81Simulator::Config cfg;
    cfg.bufferBytes = 1024; // 128 rows of RTIMe
    SimRunner sim(cfg);
    TcpConn c(sim->port());
    startStream(c, "RTIMe,1", 5000);
    // Nobody reads: the buffer fills, rows are dropped, the flag and questionable bit 10 rise.
    QTRY_COMPARE_WITH_TIMEOUT(c.ask("TRACe:DATA:OVERflow?"), QByteArray("1"), kTimeoutMs);
    QCOMPARE(c.ask("STATus:QUEStionable:CONDition?"), QByteArray("1024"));
    QCOMPARE(c.ask("STATus:QUEStionable:EVENt?"), QByteArray("1024"));
    QCOMPARE(c.ask("TRACe:DATA:COUNt?"), QByteArray("128"));
    const QList<Row> first = decodeRows(QByteArray::fromBase64(c.ask("TRACe:DATA:ALL?")), "d");
    QCOMPARE(first.size(), 128);
    for (int k = 0; k < 128; ++k)
        QCOMPARE(first[k][0], k / 5000.0);
    // The rows after the gap come with their own time: RTIMe jumps over the dropped ones.
    QList<Row> later;
    QTRY_VERIFY_WITH_TIMEOUT((later += decodeRows(QByteArray::fromBase64(c.ask("TRACe:DATA:ALL?")), "d"), !later.isEmpty()),
                             kTimeoutMs);
    QVERIFY(later.first()[0] > 127 / 5000.0);
    QCOMPARE(c.ask("STATus:OPERation:CONDition?"), QByteArray("64"));
    // RESEt clears buffer, flag and bit 10 (U5).
    c.send("TRACe:RESEt\n");
    QCOMPARE(c.ask("TRACe:DATA:OVERflow?"), QByteArray("0"));
    QCOMPARE(c.ask("STATus:QUEStionable:CONDition?"), QByteArray("0"));
}

void TestM81Simulator::boundedStreamWithOverflow()
{
    for (const auto mode : { M81SimulatorConfig::BoundedStream::DeliverN, M81SimulatorConfig::BoundedStream::GenerateN }) {
        M81Simulator::Config cfg;
        cfg.bufferBytes = 80; // 10 rows of RTIMe
        cfg.boundedStream = mode;
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        startStream(c, "RTIMe,1", 5000, 30);
        QTRY_COMPARE_WITH_TIMEOUT(c.ask("TRACe:DATA:OVERflow?"), QByteArray("1"), kTimeoutMs);
        if (mode == M81SimulatorConfig::BoundedStream::DeliverN) {
            // §13 default: the stream goes on until 30 rows were delivered, so the client ends.
            const QList<Row> rows = collect(c, 30, "d");
            QCOMPARE(rows.size(), 30);
            for (int k = 1; k < 30; ++k)
                QVERIFY(rows[k][0] > rows[k - 1][0]);
            QVERIFY(rows.last()[0] > 29 / 5000.0); // some rows were dropped on the way
            QTRY_COMPARE_WITH_TIMEOUT(c.ask("STATus:OPERation:CONDition?"), QByteArray("0"), kTimeoutMs);
            QCOMPARE(c.ask("TRACe:DATA:ALL?"), QByteArray());
        } else {
            // The other reading: it ends after 30 generated rows, fewer than 30 delivered.
            QTRY_COMPARE_WITH_TIMEOUT(c.ask("STATus:OPERation:CONDition?"), QByteArray("0"), kTimeoutMs);
            const QList<Row> rows = decodeRows(QByteArray::fromBase64(c.ask("TRACe:DATA:ALL?")), "d");
            QCOMPARE(rows.size(), 10);
            QCOMPARE(c.ask("TRACe:DATA:ALL?"), QByteArray());
        }
    }
}

void TestM81Simulator::faultDropConnection()
{
    SimRunner sim;
    TcpConn c(sim->port());
    startStream(c, "RTIMe,1", 100);
    sim->injectFault(M81Simulator::Fault::DropConnection);
    QTRY_COMPARE_WITH_TIMEOUT(c.socket().state(), QAbstractSocket::UnconnectedState, kTimeoutMs);
    // The device is still there: a new connection finds the stream running.
    TcpConn again(sim->port());
    QCOMPARE(again.ask("STATus:OPERation:CONDition?"), QByteArray("64"));
    // Several clients share the device; a drop closes all of them.
    TcpConn third(sim->port());
    QCOMPARE(third.ask("*IDN?"), QByteArray("LSCI,M81,SIM00001,2.1.0"));
    sim->injectFault(M81Simulator::Fault::DropConnection);
    QTRY_COMPARE_WITH_TIMEOUT(again.socket().state(), QAbstractSocket::UnconnectedState, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(third.socket().state(), QAbstractSocket::UnconnectedState, kTimeoutMs);
    TcpConn fourth(sim->port());
    QCOMPARE(fourth.ask("SENSe:NCHannels?"), QByteArray("3"));
}

void TestM81Simulator::faultTruncatedRow()
{
    SimRunner sim;
    TcpConn c(sim->port());
    startStream(c, "RTIMe,1,MDC,1", 1000);
    sim->injectFault(M81Simulator::Fault::TruncatedRow);
    const auto nextRows = [&c] {
        QByteArray bytes;
        QElapsedTimer t;
        t.start();
        while (bytes.isEmpty() && t.elapsed() < kTimeoutMs)
            bytes = QByteArray::fromBase64(c.ask("TRACe:DATA:ALL?"));
        return bytes;
    };
    const QByteArray cut = nextRows();
    QVERIFY(!cut.isEmpty());
    QCOMPARE(cut.size() % 16, 8); // the last row cut in half
    // Only once: whole rows again after it.
    const QByteArray next = nextRows();
    QVERIFY(!next.isEmpty());
    QCOMPARE(next.size() % 16, 0);
}

void TestM81Simulator::faultStall()
{
    SimRunner sim;
    TcpConn c(sim->port());
    sim->injectFault(M81Simulator::Fault::Stall);
    c.send("SOURce1:FREQuency 21;:SOURce1:FREQuency?\n"); // carried out, never answered
    // The next answer is that of the next query: the stalled one never comes.
    QCOMPARE(c.ask("*IDN?"), QByteArray("LSCI,M81,SIM00001,2.1.0"));
    QCOMPARE(c.ask("SOURce1:FREQuency?"), QByteArray("21"));
}

void TestM81Simulator::faultErrorMidStream()
{
    SimRunner sim;
    TcpConn c(sim->port());
    startStream(c, "RTIMe,1", 100);
    sim->injectFault(M81Simulator::Fault::ErrorMidStream);
    c.ask("TRACe:DATA:ALL?");
    QCOMPARE(c.ask("TRACe:DATA:OVERflow?" + kChk), QByteArray("0;-230,\"Data corrupt or stale;TRACe:DATA:ALL?;\""));
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("No error"));
}

void TestM81Simulator::emptySlot()
{
    M81Simulator::Config cfg;
    cfg.measureModels[1].clear();
    cfg.sourceModels[2].clear();
    SimRunner sim(cfg);
    TcpConn c(sim->port());
    QCOMPARE(c.ask("SENSe:NCHannels?" + kChk), QByteArray("3;No error"));
    QCOMPARE(c.ask("SENSe1:NAME?;:SENSe2:NAME?;:SENSe3:NAME?" + kChk),
             QByteArray("\"M1\";\"M3\";-241,\"Hardware missing;SENSe2:NAME?;\""));
    QCOMPARE(c.ask("SOURce3:MODel?" + kChk), QByteArray("-241,\"Hardware missing;SOURce3:MODel?;\""));
    QCOMPARE(c.ask("SOURce3:FREQuency 5" + kChk), QByteArray("-241,\"Hardware missing;SOURce3:FREQuency 5;\""));
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents MX,2" + kChk),
             QByteArray("-241,\"Hardware missing;TRACe:FORMat:ELEMents MX,2;\""));
    QCOMPARE(c.ask("FETCh? SAMPlitude,3" + kChk), QByteArray("-241,\"Hardware missing;FETCh? SAMPlitude,3;\""));
    QCOMPARE(c.ask("TRACe:FORMat:ELEMents MX,1,MX,3" + kChk), QByteArray("No error"));
}

void TestM81Simulator::moduleSettings()
{
    SimRunner sim;
    TcpConn c(sim->port());
    struct Setting
    {
        QByteArray command, value, reply;
    };
    const QList<Setting> settings {
        { "SOURce1:FUNCtion:SHAPe", "sin", "SINUSOID" },  { "SOURce1:FUNCtion:SHAPe", "SQUare", "SQUARE" },
        { "SOURce2:FUNCtion:SHAPe", "triangle", "TRIANGLE" }, { "SOURce2:FUNCtion:SHAPe", "DC", "DC" },
        { "SOURce1:FUNCtion:MODE", "VOLTage", "VOLTAGE" },  { "SOURce2:FUNCtion:MODE", "CURR", "CURRENT" },
        { "SOURce1:VOLTage:LEVel:AMPLitude", "1.5", "1.5" }, { "SOURce1:VOLTage:LEVel:OFFSet", "-0.25", "-0.25" },
        { "SOURce2:CURRent:LEVel:AMPLitude", "0.001", "0.001" }, { "SOURce3:CURRent:LEVel:OFFSet", "2e-05", "2e-05" },
        { "SOURce1:FREQuency", "1234.5", "1234.5" },        { "SOURce1:STATe", "ON", "1" },
        { "SOURce1:STATe", "0", "0" },                      { "SOURce1:VOLTage:RANGe", "0.5", "1" },
        { "SOURce1:VOLTage:RANGe:AUTO", "1", "1" },         { "SENSe1:MODE", "LIA", "LIA" },
        { "SENSe2:MODE", "ac", "AC" },                      { "SENSe3:MODE", "DC", "DC" },
        { "SENSe1:VOLTage:RANGe", "0.05", "0.1" },          { "SENSe1:VOLTage:RANGe:AUTO", "0", "0" },
        { "SENSe3:CURRent:RANGe", "1e-6", "1e-06" },        { "SENSe1:NPLCycles", "10", "10" },
        { "SENSe1:LIA:RSOurce", "S2", "S2" },               { "SENSe1:LIA:RSOurce", "RIN", "RIN" },
        { "SENSe1:LIA:TIMEconstant", "0.3", "0.3" },        { "SENSe1:LIA:ROLLoff", "R12", "R12" },
        { "SENSe1:LIA:DPHase", "45", "45" },                { "SENSe1:LIA:DHARmonic", "3", "3" },
        { "SENSe1:LIA:FIR:STATe", "1", "1" },               { "SOURce2:NAME", "\"bias\"", "\"bias\"" },
    };
    for (const Setting &s : settings) {
        QCOMPARE(c.ask(s.command + ' ' + s.value + kChk), QByteArray("No error"));
        QCOMPARE(c.ask(s.command + '?' + kChk), s.reply + ";No error");
    }
    const QList<std::pair<QByteArray, int>> refused {
        { "SOURce1:FREQuency 1e6", -222 },             { "SOURce1:FREQuency 0", -222 },
        { "SOURce1:VOLTage:LEVel:AMPLitude 11", -222 }, { "SOURce2:CURRent:LEVel:AMPLitude 0.2", -222 },
        { "SOURce1:FUNCtion:SHAPe SAWTOOTH", -224 },   { "SOURce1:FUNCtion:MODE CURRent", -221 },
        { "SOURce1:CURRent:LEVel:AMPLitude 0.001", -221 }, { "SENSe1:MODE SCOPE", -224 },
        { "SENSe1:LIA:TIMEconstant 1e5", -222 },       { "SENSe1:LIA:RSOurce S4", -224 },
        { "SENSe1:LIA:DHARmonic 1.5", -224 },          { "SENSe3:VOLTage:RANGe 1", -221 },
        { "SENSe1:VOLTage:RANGe 20", -222 },           { "SOURce1:STATe maybe", -224 },
        { "SOURce1:FREQuency abc", -224 },             { "SOURce1:FREQuency", -109 },
    };
    for (const auto &[command, code] : refused) {
        const QByteArray reply = c.ask(command + kChk);
        QVERIFY2(reply.startsWith(QByteArray::number(code) + ",\"") && reply.endsWith(';' + command + ";\""),
                 (command + " -> " + reply).constData());
    }
    // *RST brings the power-on settings back.
    c.send("*RST\n");
    QCOMPARE(c.ask("SOURce1:FREQuency?;:SOURce1:FUNCtion:SHAPe?;:SENSe1:MODE?"), QByteArray("1000;DC;DC"));
}

void TestM81Simulator::lockInSeesItsSource()
{
    SimRunner sim;
    TcpConn c(sim->port());
    c.send("SOURce2:FUNCtion:SHAPe SINusoid;:SOURce2:CURRent:LEVel:AMPLitude 0.001;:SOURce2:FREQuency 321;:SOURce2:STATe 1\n");
    c.send("SENSe2:MODE LIA;:SENSe2:LIA:RSOurce S2;:SENSe2:LIA:DPHase 10\n");
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("No error"));
    // Measure 2 (VM-10) sees source 2 (CS-10) through 1 kΩ at +30°: R = 1 V/√2, θ = 30° − 10°.
    const QByteArrayList v = c.ask("FETCh? MX,2,MY,2,MR,2,MTHeta,2,MRFRequency,2,MUNLock,2").split(',');
    QCOMPARE(v.size(), 6);
    const double x = v[0].toDouble(), y = v[1].toDouble(), r = v[2].toDouble(), th = v[3].toDouble();
    QVERIFY(std::fabs(r - std::hypot(x, y)) < 1e-12);
    QVERIFY(std::fabs(th - std::atan2(y, x) * 180 / std::numbers::pi) < 1e-9);
    QVERIFY2(std::fabs(r - 1 / std::sqrt(2.0)) < 1e-3, v[2].constData());
    QVERIFY2(std::fabs(th - 20) < 0.1, v[3].constData());
    QCOMPARE(v[4], QByteArray("321"));
    QCOMPARE(v[5], QByteArray("0"));
    // Referenced to another source: noise only; to the open reference input: unlocked.
    c.send("SENSe2:LIA:RSOurce S1\n");
    QVERIFY(c.ask("FETCh? MR,2").toDouble() < 1e-3);
    c.send("SENSe2:LIA:RSOurce RIN\n");
    QCOMPARE(c.ask("FETCh? MUNLock,2,MRFRequency,2"), QByteArray("1,0"));
    // DC: the DC level through the gain; READ? refuses lock-in values.
    c.send("SOURce1:FUNCtion:SHAPe DC;:SOURce1:VOLTage:LEVel:AMPLitude 4;:SOURce1:STATe 1\n");
    QVERIFY(std::fabs(c.ask("READ? MDC,1").toDouble() - 2.0) < 1e-3);
    QVERIFY(std::fabs(c.ask("READ:SENSe1:DC?").toDouble() - 2.0) < 1e-3);
    QCOMPARE(c.ask("READ? MX,1" + kChk), QByteArray("-224,\"Illegal parameter value;READ? MX,1;\""));
    QCOMPARE(c.ask("FETCh? GPIStates,1,SVLimit,1,SRANge,1"), QByteArray("5,0,10"));
}

void TestM81Simulator::unverifiedSwitches()
{
    {
        M81Simulator::Config cfg; // U3, U4, U13
        cfg.emptyQueueWithCode = true;
        cfg.errorSeparator = ";";
        cfg.genericErrorCodes = true;
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("0,\"No error\""));
        c.send("BOGUS;:TRACe:RATE 9000\n");
        QCOMPARE(c.ask("SYSTem:ERRor:ALL?"),
                 QByteArray("-100,\"Command error;BOGUS;\";-100,\"Command error;TRACe:RATE 9000;\""));
    }
    {
        M81Simulator::Config cfg; // U5, U6, U7, U2
        cfg.resetClearsSettings = true;
        cfg.roundRate = true;
        cfg.traceExtensions = false;
        cfg.idn = "LSCI,MODEL M81,LSA12345/LSA23456,1.9.0";
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        QCOMPARE(c.ask("*IDN?"), QByteArray("LSCI,MODEL M81,LSA12345/LSA23456,1.9.0"));
        c.send("TRACe:FORMat:ELEMents RTIMe,1;:TRACe:RATE 3000\n");
        QCOMPARE(c.ask("TRACe:RATE?" + kChk), QByteArray("-113,\"Undefined header;TRACe:RATE?;\""));
        QCOMPARE(c.ask("TRACe:STOP" + kChk), QByteArray("-113,\"Undefined header;TRACe:STOP;\""));
        c.send("TRACe:STARt 4\n");
        const QList<Row> rows = collect(c, 4, "d");
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[1][0], 1 / 2500.0); // 3000 rounded to 2500, a divisor of 5000
        c.send("TRACe:RESEt\n");
        QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BCOunt?"), QByteArray("0"));
    }
    {
        M81Simulator::Config cfg; // U8, U11, U12, §5 bare BFORmat
        cfg.structCodes.insert("MX", 'f');
        cfg.checkInstrumentIndex = true;
        cfg.headerWithUnits = true;
        cfg.bformatQuoted = false;
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        QCOMPARE(c.ask("TRACe:FORMat:ELEMents RTIMe,2" + kChk),
                 QByteArray("-222,\"Data out of range;TRACe:FORMat:ELEMents RTIMe,2;\""));
        c.send("TRACe:FORMat:ELEMents RTIMe,1,MX,1,MDC,3\n");
        QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BFORmat?;BCOunt?"), QByteArray("dfd;20"));
        QCOMPARE(c.ask("TRACe:FORMat:HEADer?"), QByteArray("\"RTIMe (s),MX1 (V),MDC3 (A)\""));
    }
    {
        M81Simulator::Config cfg; // U9: rows split across replies; U14 separately
        cfg.partialRows = true;
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        startStream(c, "RTIMe,1,MDC,1", 1000, 20);
        QByteArray all;
        bool sawPartial = false;
        QElapsedTimer t;
        t.start();
        while (all.size() < 20 * 16 && t.elapsed() < kTimeoutMs) {
            const QByteArray b = QByteArray::fromBase64(c.ask("TRACe:DATA:ALL?"));
            sawPartial = sawPartial || b.size() % 16 != 0;
            all += b;
        }
        QVERIFY(sawPartial);
        const QList<Row> rows = decodeRows(all, "dd");
        QCOMPARE(rows.size(), 20);
        for (int k = 0; k < 20; ++k)
            QCOMPARE(rows[k][0], k / 1000.0);
    }
    {
        M81Simulator::Config cfg;
        cfg.repeatLastRow = true;
        SimRunner sim(cfg);
        TcpConn c(sim->port());
        startStream(c, "RTIMe,1", 1000);
        // Each reply after the first starts with the last row of the one before.
        QList<QList<Row>> replies;
        QElapsedTimer t;
        t.start();
        while (replies.size() < 3 && t.elapsed() < kTimeoutMs) {
            const QList<Row> rows = decodeRows(QByteArray::fromBase64(c.ask("TRACe:DATA:ALL?")), "d");
            if (!rows.isEmpty())
                replies << rows;
        }
        QCOMPARE(replies.size(), 3);
        QCOMPARE(replies[1].first(), replies[0].last());
        QCOMPARE(replies[2].first(), replies[1].last());
        QVERIFY(replies[1].size() >= 2 && replies[1][1][0] > replies[1][0][0]);
    }
}

void TestM81Simulator::ptyEndToEnd()
{
    M81Simulator::Config cfg;
    cfg.pty = true;
    cfg.tcp = false;
    cfg.bufferBytes = 1 << 20;
    SimRunner sim(cfg);
    QVERIFY(!sim->ptyPath().isEmpty());
    QCOMPARE(sim->port(), quint16(0));
    PtyConn c(sim->ptyPath());
    QVERIFY(c.isOpen());
    c.send("\n");
    QCOMPARE(c.askRaw("*IDN?"), QByteArray("LSCI,M81,SIM00001,2.1.0\r\n"));
    QCOMPARE(c.askRaw("SOURce:NCHannels?" + kChk + '\r'), QByteArray("3;No error\r\n"));
    QCOMPARE(c.ask("FAKEQUERY?" + kChk), QByteArray("-113,\"Undefined header;FAKEQUERY?;\""));
    startStream(c, "RTIMe,1,MX,1,MOVerload,1", 5000, 2000);
    QCOMPARE(bformatOf(c), QByteArray("dd?"));
    const QList<Row> rows = collect(c, 2000, "dd?");
    QCOMPARE(rows.size(), 2000);
    for (int k = 0; k < rows.size(); ++k)
        QCOMPARE(rows[k][0], k / 5000.0);
    QCOMPARE(c.ask("TRACe:DATA:OVERflow?" + kChk), QByteArray("0;No error"));
    // Opened and closed again: the simulator keeps serving.
    {
        PtyConn other(sim->ptyPath());
        QVERIFY(other.isOpen());
    }
    QCOMPARE(c.ask("SENSe:NCHannels?"), QByteArray("3"));
}

void TestM81Simulator::overlongLineRefused()
{
    SimRunner sim;
    TcpConn c(sim->port());
    c.send(QByteArray(100 * 1024, 'A') + '\n');
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("-363,\"Input buffer overrun;;\""));
    QCOMPARE(c.ask("*IDN?"), QByteArray("LSCI,M81,SIM00001,2.1.0"));
}

void TestM81Simulator::qcodesSequence()
{
    // §6.2: ELEMents before RESEt (RESEt keeps the list), COUNt? polled until n, one DATA:ALL?,
    // BFORmat? only afterwards.
    SimRunner sim;
    TcpConn c(sim->port());
    c.send("TRACe:FORMat:ELEMents MDC,1,MRMs,2,MPTPeak,3\n");
    c.send("TRACe:RESEt\n");
    c.send("TRACe:FORMat:ENCOding B64\n");
    c.send("TRACe:RATE 1000\n");
    c.send("TRACe:STARt 50\n");
    QTRY_VERIFY_WITH_TIMEOUT(c.ask("TRACe:DATA:COUNt?").toInt() >= 50, kTimeoutMs);
    QCOMPARE(c.ask("TRACe:DATA:COUNt?"), QByteArray("50"));
    const QByteArray bytes = QByteArray::fromBase64(c.ask("TRACe:DATA:ALL?"));
    QCOMPARE(c.ask("TRACe:FORMat:ENCOding:B64:BFORmat?"), QByteArray("\"ddd\""));
    QCOMPARE(decodeRows(bytes, "ddd").size(), 50);
    QCOMPARE(bytes.size(), 50 * 24);
    QCOMPARE(c.ask("SYSTem:ERRor:ALL?"), QByteArray("No error"));
}

void TestM81Simulator::instrumentCommands()
{
    SimRunner sim;
    TcpConn c(sim->port());
    c.send("SOURce1:FUNCtion:SHAPe SIN;:SOURce1:VOLTage:LEVel:AMPLitude 1;:SOURce1:STATe 1\n");
    const QByteArrayList mm = c.ask("STAT:MMAX? MDC,1,MPPeak,1" + kChk).split(';').first().split(',');
    QCOMPARE(mm.size(), 4);
    QVERIFY(mm[0].toDouble() <= mm[1].toDouble());
    QVERIFY(std::fabs(mm[3].toDouble() - 0.5) < 1e-3);
    const QList<std::pair<QByteArray, QByteArray>> settings {
        { "INPut:REFerence:EDGe FALL", "FALLING" }, { "OUTPut:REFerence:SOURce S3", "S3" },
        { "OUTPut:REFerence:STATe 1", "1" },        { "OUTPut:MONitor:MODe MANual", "MANUAL" },
        { "OUTPut:MONitor:STATe ON", "1" },         { "OUTPut:MONitor:MLEVel -2.5", "-2.5" },
    };
    for (const auto &[set, reply] : settings) {
        QCOMPARE(c.ask(set + kChk), QByteArray("No error"));
        QCOMPARE(c.ask(set.split(' ').first() + '?'), reply);
    }
    QCOMPARE(c.ask("OUTPut:REFerence:SOURce S4" + kChk),
             QByteArray("-224,\"Illegal parameter value;OUTPut:REFerence:SOURce S4;\""));
    QCOMPARE(c.ask("SYSTem:LFRequency?;:SYSTem:LFRequency:DETected?;:SYSTem:LFRequency:ERRor?"), QByteArray("60;60;0"));
    QCOMPARE(c.ask("CALibration:DATE?").count(','), 5);
    c.send("*RST\n");
    QCOMPARE(c.ask("INPut:REFerence:EDGe?;:OUTPut:MONitor:MODe?"), QByteArray("RISING;M1"));
}

QTEST_GUILESS_MAIN(TestM81Simulator)
#include "test_m81_simulator.moc"
