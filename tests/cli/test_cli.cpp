// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope-rec and benchscope-sim as a user runs them: real processes, real sockets, real files.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <cmath>

#include <functional>
#include <memory>

#include <csignal>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

class TestCli : public QObject
{
    Q_OBJECT

    struct Result
    {
        int code = -1;
        QByteArray out, err;
        QJsonObject summary() const { return QJsonDocument::fromJson(out).object(); }
    };

    static Result run(const QString &program, const QStringList &args, int timeoutMs = 60000)
    {
        QProcess p;
        p.start(program, args);
        Result r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    /// The one CSV file a recording wrote into `dir`: its `#` comment lines, header and data rows.
    struct Csv
    {
        int files = 0;
        QList<QByteArray> comments, rows;
        QByteArray header;
    };
    static Csv readCsv(const QString &dir)
    {
        Csv c;
        const QStringList files = QDir(dir).entryList({QStringLiteral("*.csv")});
        c.files = int(files.size());
        QFile f(QDir(dir).filePath(files.value(0)));
        if (files.isEmpty() || !f.open(QIODevice::ReadOnly))
            return c;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith('#')) {
                if (c.header.isEmpty()) // the header comments; '# gap' and '# end' lines are not rows
                    c.comments.append(line);
            } else if (c.header.isEmpty()) {
                c.header = line;
            } else if (!line.isEmpty()) {
                c.rows.append(line);
            }
        }
        return c;
    }

    static quint16 freePort()
    {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    }

    /// Starts `benchscope-sim nv200 <args>` and returns what it printed on its first lines
    /// (the TCP port and/or the pty path).
    struct Nv200Sim
    {
        std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
        quint16 port = 0;
        QString pty;
        QString printed;
        ~Nv200Sim()
        {
            process->kill();
            process->waitForFinished();
        }
    };
    static std::unique_ptr<Nv200Sim> startNv200(const QStringList &args)
    {
        auto sim = std::make_unique<Nv200Sim>();
        sim->process->start(QStringLiteral(BENCHSCOPE_SIM), QStringList{QStringLiteral("nv200")} + args);
        QElapsedTimer t;
        t.start();
        // The last line it prints at start names the line end and pacing.
        while (!sim->printed.contains(QLatin1String("lines end")) && t.elapsed() < 10000) {
            sim->process->waitForReadyRead(200);
            sim->printed += QString::fromUtf8(sim->process->readAllStandardOutput());
        }
        const auto port = QRegularExpression(QStringLiteral("listening: 127.0.0.1:(\\d+)")).match(sim->printed);
        if (port.hasMatch())
            sim->port = quint16(port.captured(1).toUInt());
        const auto pty = QRegularExpression(QStringLiteral("serial port: (/dev/\\S+)")).match(sim->printed);
        if (pty.hasMatch())
            sim->pty = pty.captured(1);
        return sim;
    }
    /// Sends one command line over TCP and returns the raw answer frame up to XON.
    static QByteArray tcpFrame(quint16 port, const QByteArray &line)
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        if (!s.waitForConnected(5000))
            return {};
        s.write(line + "\r\n");
        QByteArray got;
        while (!got.contains('\x11') && s.waitForReadyRead(5000))
            got += s.readAll();
        return got;
    }
    /// Writes a line to a pty and collects the answer up to XON; returns the bytes (empty on timeout).
    static QByteArray ptyFrame(int fd, const QByteArray &line, int timeoutMs = 30000)
    {
        const QByteArray out = line + '\r';
        if (::write(fd, out.constData(), size_t(out.size())) != ssize_t(out.size()))
            return {};
        QByteArray got;
        QElapsedTimer t;
        t.start();
        while (!got.contains('\x11') && t.elapsed() < timeoutMs) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            char buf[4096];
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n > 0)
                got.append(buf, n);
        }
        return got.contains('\x11') ? got : QByteArray();
    }

    /// `benchscope-sim panda` at 5000 rows/s on `port` with a free data port, as a user starts it:
    /// checks the control port it announces and gives the data port.
    static void startPandaSimulator(QProcess &sim, quint16 port, QString *dataPort)
    {
        sim.start(QStringLiteral(BENCHSCOPE_SIM),
                  {QStringLiteral("panda"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-port"),
                   QStringLiteral("0"), QStringLiteral("--rate"), QStringLiteral("5000")});
        QVERIFY(sim.waitForReadyRead(10000));
        const QString line = QString::fromUtf8(sim.readLine());
        const auto m = QRegularExpression(QStringLiteral("control 127.0.0.1:(\\d+) data 127.0.0.1:(\\d+)")).match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        QCOMPARE(m.captured(1).toUInt(), uint(port));
        *dataPort = m.captured(2);
    }

private Q_SLOTS:
    void usageErrors()
    {
        QCOMPARE(run(QStringLiteral(BENCHSCOPE_REC), {}).code, 64);
        const Result r = run(QStringLiteral(BENCHSCOPE_REC), {QStringLiteral("--demo"), QStringLiteral("--format"), QStringLiteral("xls")});
        QCOMPARE(r.code, 64);
        QVERIFY(r.err.contains("--format"));
        const Result s = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--set"),
                              QStringLiteral("clock_period=-3")});
        QCOMPARE(s.code, 64);
        QVERIFY2(s.err.contains("clock_period"), s.err.constData());
        QCOMPARE(run(QStringLiteral(BENCHSCOPE_REC), {QStringLiteral("--instrument"), QStringLiteral("warp")}).code, 64);
        QCOMPARE(run(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("nosuch")}).code, 64);
        const Result f = run(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("panda"), QStringLiteral("--fault"), QStringLiteral("nosuch")});
        QCOMPARE(f.code, 64);
        QVERIFY2(f.err.contains("--fault: unknown fault 'nosuch'") && f.err.contains("control-stall"), f.err.constData());
    }

    void demoRecordsHdf5WithoutLoss()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("demo.h5"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--demo"), QStringLiteral("--duration"), QStringLiteral("1.5"),
                              QStringLiteral("--output"), out});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject s = r.summary();
        QCOMPARE(s.value(QStringLiteral("ok")).toBool(), true);
        const QJsonArray streams = s.value(QStringLiteral("streams")).toArray();
        QVERIFY(!streams.isEmpty());
        const QJsonObject st = streams.at(0).toObject();
        QVERIFY2(st.value(QStringLiteral("samples")).toDouble() > 500, r.out.constData());
        // Nothing dropped or lost: each stream holds exactly what its instrument received.
        double recorded = 0, received = 0;
        for (const QJsonValue &v : streams)
            recorded += v.toObject().value(QStringLiteral("samples")).toDouble();
        for (const QJsonValue &v : s.value(QStringLiteral("instruments")).toArray())
            received += v.toObject().value(QStringLiteral("samples")).toDouble();
        QVERIFY2(recorded > 0 && recorded == received, r.out.constData());
        QCOMPARE(st.value(QStringLiteral("dropped")).toDouble(), 0.0);
        QCOMPARE(st.value(QStringLiteral("lost")).toDouble(), 0.0);
        QVERIFY(st.value(QStringLiteral("last_time")).toDouble() > st.value(QStringLiteral("first_time")).toDouble());
        QVERIFY(QFile::exists(out));
        QVERIFY(QFileInfo(out).size() > 10000);
        QVERIFY(r.err.contains("rows="));
    }

    void standaloneSimulatorAndCsv()
    {
        const quint16 port = freePort();
        QProcess sim;
        QString dataPort;
        startPandaSimulator(sim, port, &dataPort);
        if (QTest::currentTestFailed())
            return;
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("csv"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--set"),
                              QStringLiteral("data_port=") + dataPort, QStringLiteral("--set"),
                              QStringLiteral("clock_period=0.0002"), QStringLiteral("--duration"), QStringLiteral("1"),
                              QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"), out});
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(r.code == 0, r.err.constData());
        const Csv csv = readCsv(out);
        QCOMPARE(csv.files, 1);
        QVERIFY(csv.comments.contains("# instrument_id: panda1"));
        QVERIFY2(csv.header.startsWith("time_s,"), csv.header.constData());
        QVERIFY(csv.header.contains("PCAP.TS_TRIG.Value [s]"));
        // Nothing can be lost at 5000 rows/s on loopback: dropped and lost are exactly 0, and the
        // file holds exactly the rows the summary counts.
        const QJsonObject s = r.summary();
        QCOMPARE(s.value(QStringLiteral("dropped")).toDouble(), 0.0);
        QCOMPARE(s.value(QStringLiteral("lost")).toDouble(), 0.0);
        const QJsonArray streams = s.value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 1);
        const QJsonObject st = streams.at(0).toObject();
        QCOMPARE(st.value(QStringLiteral("dropped")).toDouble(), 0.0);
        QCOMPARE(st.value(QStringLiteral("lost")).toDouble(), 0.0);
        QVERIFY2(st.value(QStringLiteral("samples")).toDouble() >= 1, r.out.constData());
        QCOMPARE(double(csv.rows.size()), st.value(QStringLiteral("samples")).toDouble());
    }

    /// --split-gb: the recording is written as numbered CSV folders, listed in the summary's
    /// `files`; their rows together are the rows the summary counts, none twice.
    void splitFilesFromTheCommandLine()
    {
        const quint16 port = freePort();
        QProcess sim;
        QString dataPort;
        startPandaSimulator(sim, port, &dataPort);
        if (QTest::currentTestFailed())
            return;
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("split"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--set"),
                              QStringLiteral("data_port=") + dataPort, QStringLiteral("--set"),
                              QStringLiteral("clock_period=0.0002"), QStringLiteral("--duration"), QStringLiteral("2"),
                              QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"), out,
                              QStringLiteral("--split-gb"), QStringLiteral("0.00003")});
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject s = r.summary();
        const QJsonArray files = s.value(QStringLiteral("files")).toArray();
        QVERIFY2(files.size() >= 2, r.out.constData());
        double samples = 0;
        for (const QJsonValue &st : s.value(QStringLiteral("streams")).toArray())
            samples += st.toObject().value(QStringLiteral("samples")).toDouble();
        QVERIFY(samples > 0);
        qsizetype rows = 0;
        QByteArray previousLast;
        for (int i = 0; i < files.size(); ++i) {
            QCOMPARE(files[i].toString(), QStringLiteral("%1_%2").arg(out).arg(i + 1, 3, 10, QLatin1Char('0')));
            const Csv csv = readCsv(files[i].toString());
            QCOMPARE(csv.files, 1);
            QVERIFY(!csv.rows.isEmpty());
            QVERIFY2(csv.rows.first() != previousLast, "a row written twice at the split");
            previousLast = csv.rows.last();
            rows += csv.rows.size();
        }
        QCOMPARE(double(rows), samples);
        QVERIFY(!QFileInfo::exists(out));
        QCOMPARE(run(QStringLiteral(BENCHSCOPE_REC), {QStringLiteral("--demo"), QStringLiteral("--split-gb"), QStringLiteral("-1")}).code, 64);
    }

    /// The simulated PicoSDK library as a user would find it (benchscope-sim picoscope), then a
    /// streaming run from the command line with --set, recorded to CSV.
    void picoscopeStreamsToCsv()
    {
        const Result where = run(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("picoscope")});
        QCOMPARE(where.code, 0);
        const auto m = QRegularExpression(QStringLiteral("library: (\\S+)")).match(QString::fromUtf8(where.out));
        QVERIFY2(m.hasMatch(), where.out.constData());
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("pico"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("picoscope"), QStringLiteral("--set"),
                              QStringLiteral("library=") + m.captured(1), QStringLiteral("--set"),
                              QStringLiteral("mode=streaming"), QStringLiteral("--set"), QStringLiteral("trigger=none"),
                              QStringLiteral("--set"), QStringLiteral("sample_interval=1e-5"), QStringLiteral("--duration"),
                              QStringLiteral("1"), QStringLiteral("--format"), QStringLiteral("csv"),
                              QStringLiteral("--output"), out});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray streams = r.summary().value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 1);
        const QJsonObject st = streams.at(0).toObject();
        const double samples = st.value(QStringLiteral("samples")).toDouble();
        const double span = st.value(QStringLiteral("last_time")).toDouble() - st.value(QStringLiteral("first_time")).toDouble();
        QVERIFY2(samples > 80000, r.out.constData()); // at least ~1 s at 100 kS/s
        QVERIFY2(std::abs(samples - (span / 1e-5 + 1)) < 2, r.out.constData()); // no gap: one sample per 10 µs
        const Csv csv = readCsv(out);
        QCOMPARE(csv.files, 1);
        QVERIFY2(csv.header.startsWith("time_s,A [V],B [V]"), csv.header.constData());
        QCOMPARE(double(csv.rows.size()), samples);
    }

    void nv200SimulatorOnAPty()
    {
        QProcess sim;
        sim.start(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("nv200"), QStringLiteral("--pty")});
        QVERIFY(sim.waitForReadyRead(10000));
        QTRY_VERIFY(sim.canReadLine());
        const QString line = QString::fromUtf8(sim.readLine()).trimmed();
        const auto m = QRegularExpression(QStringLiteral("serial port: (/dev/\\S+)$")).match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        const int fd = ::open(m.captured(1).toLocal8Bit().constData(), O_RDWR | O_NOCTTY | O_NONBLOCK);
        QVERIFY2(fd >= 0, qPrintable(m.captured(1)));
        QCOMPARE(::write(fd, "\r", 1), ssize_t(1));
        QByteArray reply;
        QElapsedTimer t;
        t.start();
        while (!reply.contains('\x11') && t.elapsed() < 5000) {
            QTest::qWait(20);
            char buf[256];
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n > 0)
                reply.append(buf, n);
        }
        ::close(fd);
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(reply.contains("NV200/D_NET>"), reply.toHex().constData());
    }

    /// Two free neighbouring loopback ports N, N+1 (for a simulator's control and data port).
    static quint16 freePortPair()
    {
        for (int attempt = 0; attempt < 50; ++attempt) {
            QTcpServer a, b;
            if (a.listen(QHostAddress::LocalHost, 0) && a.serverPort() < 65535
                && b.listen(QHostAddress::LocalHost, quint16(a.serverPort() + 1)))
                return a.serverPort();
        }
        return 0;
    }

    // One rule for the simulator and the driver: the data port is the control port + 1 unless set.
    // `benchscope-sim panda --port N` serves data on N+1, and the driver finds it with only the address.
    void pandaDataPortFollowsTheControlPort()
    {
        const quint16 port = freePortPair();
        QVERIFY(port != 0);
        QProcess sim;
        sim.start(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("panda"), QStringLiteral("--port"),
                                                   QString::number(port), QStringLiteral("--rate"), QStringLiteral("2000")});
        QVERIFY(sim.waitForReadyRead(10000));
        const QString line = QString::fromUtf8(sim.readLine());
        QVERIFY2(line.contains(QStringLiteral("control 127.0.0.1:%1 data 127.0.0.1:%2").arg(port).arg(port + 1)),
                 qPrintable(line));
        QTemporaryDir dir;
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--duration"), QStringLiteral("1"),
                              QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"),
                              dir.filePath(QStringLiteral("csv"))});
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(r.code == 0, r.err.constData());
        const qsizetype rows = readCsv(dir.filePath(QStringLiteral("csv"))).rows.size();
        QVERIFY2(rows > 100, r.out.constData());
        QCOMPARE(double(rows), r.summary().value(QStringLiteral("streams")).toArray().at(0).toObject()
                                   .value(QStringLiteral("samples")).toDouble());
    }

    // A port out of range is refused before anything connects, naming what is wrong.
    void badAddressesAreRefusedBeforeConnecting()
    {
        const Result a = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:65536"), QStringLiteral("--duration"), QStringLiteral("1")});
        QCOMPARE(a.code, 64);
        QVERIFY2(a.err.contains("--address '127.0.0.1:65536': port '65536' is not a number from 1 to 65535"),
                 a.err.constData());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.benchscope.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format":"benchscope-session","version":1,"instruments":[
                   {"id":"stage","type":"nv200","address":"/dev/ttyUSB0"},
                   {"id":"pandabox","type":"panda","address":"[::1]:0"}]})");
        f.close();
        const Result s = run(QStringLiteral(BENCHSCOPE_REC), {QStringLiteral("--session"), path,
                                                              QStringLiteral("--duration"), QStringLiteral("1")});
        QCOMPARE(s.code, 64);
        QVERIFY2(s.err.contains("instruments[1].address: instrument 'pandabox': address '[::1]:0': port '0'"),
                 s.err.constData());
    }

    // Sessions benchscope-rec cannot record: refused before anything connects or any file is
    // made, the message naming what is wrong. A session without instruments would record nothing:
    // exit 2 (failed), not 0.
    void unusableSessionsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no instruments") << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[]})")
                                        << 2 << "the session has no instruments: nothing to record";
        QTest::newRow("no instruments key") << QByteArray(R"({"format":"benchscope-session","version":1})") << 2
                                            << "the session has no instruments: nothing to record";
        QTest::newRow("NUL in an id")
            << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"pan\u0000da","type":"panda"}]})")
            << 64 << "instruments[0].id: id 'pan\\0da': character '\\0' (at 3) is not allowed";
        QTest::newRow("slash in an id")
            << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a/b","type":"panda"}]})")
            << 64 << "instruments[0].id: id 'a/b': character '/' (at 1) is not allowed";
        QByteArray many = R"({"format":"benchscope-session","version":1,"instruments":[)";
        for (int n = 1; n <= 65; ++n)
            many += QStringLiteral(R"(%1{"id":"panda%2","type":"panda"})").arg(n > 1 ? QStringLiteral(",") : QString()).arg(n).toUtf8();
        many += "]}";
        QTest::newRow("65 instruments") << many << 64 << "instruments: 65 instruments; a session may hold at most 64";
    }

    void unusableSessionsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, code);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.benchscope.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(json);
        f.close();
        const QString out = dir.filePath(QStringLiteral("never.h5"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC), {QStringLiteral("--session"), path, QStringLiteral("--duration"),
                                                              QStringLiteral("1"), QStringLiteral("--output"), out});
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QVERIFY(!QFile::exists(out));
        if (code == 2) {
            QCOMPARE(r.summary().value(QStringLiteral("ok")).toBool(true), false);
            QCOMPARE(r.summary().value(QStringLiteral("exit_code")).toInt(), 2);
        }
    }

    /// --line-end cr-nul-lf: the TCP answers end lines as the real Telnet module does.
    void nv200LineEndOption()
    {
        {
            const auto sim = startNv200({QStringLiteral("--port"), QStringLiteral("0")});
            QVERIFY2(sim->port, qPrintable(sim->printed));
            QCOMPARE(tcpFrame(sim->port, "cl"), QByteArray("\x13" "cl,0\r\n\x11"));
        }
        {
            const auto sim = startNv200({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--line-end"),
                                         QStringLiteral("cr-nul-lf")});
            QVERIFY2(sim->port, qPrintable(sim->printed));
            QVERIFY2(sim->printed.contains(QLatin1String("CR NUL LF")), qPrintable(sim->printed));
            QCOMPARE(tcpFrame(sim->port, "cl"), QByteArray("\x13" "cl,0\r\0\n\x11", 9));
            QCOMPARE(tcpFrame(sim->port, ""), QByteArray("\x13NV200/D_NET>\r\0\n\x11", 17));
        }
        QCOMPARE(run(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("nv200"), QStringLiteral("--line-end"),
                                                     QStringLiteral("lf")}).code, 64);
        QCOMPARE(run(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("nv200"), QStringLiteral("--baud"),
                                                     QStringLiteral("115200")}).code, 64); // no --pty
    }

    /// --baud paces the pty like a real serial line: a 6144-value read-back takes at least the
    /// time its bytes need at 115200 Bd 8N1 (lower bound only).
    void nv200PacedSerialLine()
    {
        const auto sim = startNv200({QStringLiteral("--pty"), QStringLiteral("--baud"), QStringLiteral("115200")});
        QVERIFY2(!sim->pty.isEmpty(), qPrintable(sim->printed));
        QVERIFY2(sim->printed.contains(QLatin1String("paced at 115200 baud")), qPrintable(sim->printed));
        const int fd = ::open(sim->pty.toLocal8Bit().constData(), O_RDWR | O_NOCTTY | O_NONBLOCK);
        QVERIFY(fd >= 0);
        for (const char *cmd : {"recast,0", "recstr,1", "reclen,6144", "recrun,1"})
            QCOMPARE(ptyFrame(fd, cmd), QByteArray("\x13\x11"));
        QTRY_COMPARE_WITH_TIMEOUT(ptyFrame(fd, "recrun"), QByteArray("\x13recrun,0\r\n\x11"), 20000);
        QElapsedTimer t;
        t.start();
        const QByteArray all = ptyFrame(fd, "recoutf,0");
        const double took = t.elapsed() / 1000.0;
        ::close(fd);
        QCOMPARE(all.count(',') , 6145);
        const double lineTime = double(all.size()) * 10 / 115200;
        QVERIFY2(took > 0.9 * lineTime, qPrintable(QStringLiteral("%1 bytes in %2 s, the line needs %3 s")
                                                       .arg(all.size()).arg(took).arg(lineTime)));
    }

    /// A live NV200 that never answers `meas`: benchscope-rec fails (non-zero) and counts the
    /// polls that got no answer as lost; one that answers garbage now and then loses those polls.
    void nv200SilentMeasIsNotOk()
    {
        QTemporaryDir dir;
        {
            const auto sim = startNv200({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--meas-fault"),
                                         QStringLiteral("no-answer")});
            QVERIFY2(sim->port, qPrintable(sim->printed));
            const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                                 {QStringLiteral("--instrument"), QStringLiteral("nv200"), QStringLiteral("--address"),
                                  QStringLiteral("127.0.0.1:%1").arg(sim->port), QStringLiteral("--duration"),
                                  QStringLiteral("5"), QStringLiteral("--output"), dir.filePath(QStringLiteral("silent.h5"))});
            const QJsonObject s = r.summary();
            QVERIFY2(r.code != 0 && !s.value(QStringLiteral("ok")).toBool(), r.out.constData());
            QVERIFY2(s.value(QStringLiteral("lost")).toDouble() > 0, r.out.constData());
            QVERIFY2(r.out.contains("stopped answering") && r.out.contains("'meas'"), r.out.constData());
        }
        {
            const auto sim = startNv200({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--meas-fault"),
                                         QStringLiteral("garbage"), QStringLiteral("--meas-fault-every"), QStringLiteral("2")});
            QVERIFY2(sim->port, qPrintable(sim->printed));
            const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                                 {QStringLiteral("--instrument"), QStringLiteral("nv200"), QStringLiteral("--address"),
                                  QStringLiteral("127.0.0.1:%1").arg(sim->port), QStringLiteral("--duration"),
                                  QStringLiteral("2"), QStringLiteral("--output"), dir.filePath(QStringLiteral("garbage.h5"))});
            const QJsonObject s = r.summary();
            QVERIFY2(r.code == 1 && !s.value(QStringLiteral("ok")).toBool(), r.out.constData());
            QVERIFY2(s.value(QStringLiteral("lost")).toDouble() > 0, r.out.constData());
            QVERIFY2(r.out.contains("garbled answer to 'meas'"), r.out.constData());
        }
    }

    // A PandA capture with a row limit ends by itself: the run ends then (not at --duration, not
    // with "did not start"), exits 0, and the capture's END reason and header times are in the
    // summary and in the file.
    void pandaCaptureThatEndsByItself()
    {
        const quint16 port = freePortPair();
        QVERIFY(port != 0);
        QProcess sim;
        sim.start(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("panda"), QStringLiteral("--port"),
                                                   QString::number(port), QStringLiteral("--rate"), QStringLiteral("1000")});
        QVERIFY(sim.waitForReadyRead(10000));
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("csv"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--set"), QStringLiteral("rows=58"),
                              QStringLiteral("--duration"), QStringLiteral("600"), QStringLiteral("--format"),
                              QStringLiteral("csv"), QStringLiteral("--output"), out},
                             120000);
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject s = r.summary();
        QVERIFY(s.value(QStringLiteral("ok")).toBool());
        QVERIFY(s.value(QStringLiteral("duration_s")).toDouble() < 300); // not the 600 s asked
        const QJsonObject inst = s.value(QStringLiteral("instruments")).toArray().first().toObject();
        QCOMPARE(inst.value(QStringLiteral("state")).toString(), QStringLiteral("Finished"));
        QCOMPARE(inst.value(QStringLiteral("finished")).toBool(), true);
        QCOMPARE(inst.value(QStringLiteral("captures")).toInt(), 1);
        QCOMPARE(inst.value(QStringLiteral("samples")).toDouble(), 58.0);
        QCOMPARE(inst.value(QStringLiteral("lost")).toDouble(), 0.0);
        QCOMPARE(s.value(QStringLiteral("dropped")).toDouble(), 0.0);
        QCOMPARE(s.value(QStringLiteral("lost")).toDouble(), 0.0);
        const QJsonObject st = s.value(QStringLiteral("streams")).toArray().first().toObject();
        QCOMPARE(st.value(QStringLiteral("samples")).toDouble(), 58.0);
        QCOMPARE(st.value(QStringLiteral("dropped")).toDouble(), 0.0);
        QCOMPARE(st.value(QStringLiteral("lost")).toDouble(), 0.0);
        const QJsonObject end = inst.value(QStringLiteral("capture_ends")).toArray().first().toObject();
        QVERIFY(end.value(QStringLiteral("complete")).toBool());
        QCOMPARE(end.value(QStringLiteral("received")).toInt(), 58);
        QVERIFY(!end.value(QStringLiteral("text")).toString().isEmpty());
        const Csv csv = readCsv(out);
        QCOMPARE(csv.rows.size(), 58);
        QFile file(QDir(out).filePath(QDir(out).entryList({QStringLiteral("*.csv")}).value(0)));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray starts, ends;
        for (const QByteArray &c : file.readAll().split('\n')) {
            if (c.startsWith("# capture_start at t="))
                starts += c;
            if (c.startsWith("# capture_end at t="))
                ends += c;
        }
        QVERIFY2(starts.contains("\"arm_time\":\"") && starts.contains("\"armed_by\":\"this program\""), starts.constData());
        QVERIFY2(ends.contains("\"complete\":true") && ends.contains("\"received\":58"), ends.constData());
    }

    /// SIGINT / SIGTERM to a real benchscope-rec: it stops, closes the HDF5 file (read back with
    /// h5py: every channel as long as the summary says), prints the summary and exits 3
    /// (recorded without loss, but not the duration asked), naming the signal.
    void signalStopsTheRecordingCleanly_data()
    {
        QTest::addColumn<int>("signo");
        QTest::addColumn<QString>("name");
        QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("SIGINT");
        QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("SIGTERM");
    }
    void signalStopsTheRecordingCleanly()
    {
        QFETCH(int, signo);
        QFETCH(QString, name);
        const QString python = QStringLiteral("/usr/bin/python3");
        if (QProcess::execute(python, {QStringLiteral("-c"), QStringLiteral("import h5py")}) != 0)
            QSKIP("h5py is not available");
        const quint16 port = freePortPair();
        QVERIFY(port != 0);
        QProcess sim;
        sim.start(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("panda"), QStringLiteral("--port"),
                                                   QString::number(port), QStringLiteral("--rate"), QStringLiteral("2000")});
        QVERIFY(sim.waitForReadyRead(10000));
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("signal.h5"));
        QProcess rec;
        rec.start(QStringLiteral(BENCHSCOPE_REC),
                  {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                   QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--duration"), QStringLiteral("600"),
                   QStringLiteral("--output"), out});
        QVERIFY(rec.waitForStarted(10000));
        QByteArray err;
        const QRegularExpression rows(QStringLiteral("rows=[1-9]"));
        QElapsedTimer t;
        t.start();
        while (!rows.match(QString::fromUtf8(err)).hasMatch() && t.elapsed() < 60000
               && rec.state() == QProcess::Running) {
            rec.waitForReadyRead(200);
            err += rec.readAllStandardError();
        }
        QVERIFY2(rows.match(QString::fromUtf8(err)).hasMatch(), err.constData());
        ::kill(pid_t(rec.processId()), signo);
        QVERIFY(rec.waitForFinished(60000));
        sim.kill();
        sim.waitForFinished();
        err += rec.readAllStandardError();
        QCOMPARE(rec.exitStatus(), QProcess::NormalExit);
        QVERIFY2(rec.exitCode() == 3, err.constData());
        QVERIFY2(err.contains(name.toUtf8() + ", closing the recording"), err.constData());
        const QJsonObject s = QJsonDocument::fromJson(rec.readAllStandardOutput()).object();
        QCOMPARE(s.value(QStringLiteral("exit_code")).toInt(), 3);
        QCOMPARE(s.value(QStringLiteral("interrupted")).toString(), name);
        QCOMPARE(s.value(QStringLiteral("dropped")).toDouble(), 0.0);
        const QJsonArray streams = s.value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 1);
        const QJsonObject st = streams.first().toObject();
        QVERIFY(st.value(QStringLiteral("samples")).toDouble() > 0);
        // An independent reader: every dataset of the group as long as the samples reported.
        QProcess py;
        py.start(python, {QStringLiteral("-c"), QStringLiteral(
                              "import h5py, sys, json\n"
                              "f = h5py.File(sys.argv[1], 'r')\n"
                              "g = f[sys.argv[2]]\n"
                              "cols = [c.decode() if isinstance(c, bytes) else c for c in g.attrs['columns']]\n"
                              "print(json.dumps({'lengths': sorted({len(g[c]) for c in cols}),"
                              " 'samples': int(g.attrs['samples']), 'columns': len(cols)}))\n"),
                          out, st.value(QStringLiteral("group")).toString()});
        QVERIFY(py.waitForFinished(60000));
        const QByteArray pyOut = py.readAllStandardOutput();
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QJsonObject h = QJsonDocument::fromJson(pyOut).object();
        QVERIFY2(h.value(QStringLiteral("columns")).toInt() > 0, pyOut.constData());
        QCOMPARE(h.value(QStringLiteral("lengths")).toArray(), QJsonArray{st.value(QStringLiteral("samples"))});
        QCOMPARE(h.value(QStringLiteral("samples")).toDouble(), st.value(QStringLiteral("samples")).toDouble());
    }

    void unreachableInstrumentFails()
    {
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:%1").arg(freePort()), QStringLiteral("--duration"),
                              QStringLiteral("1"), QStringLiteral("--output"), QDir::temp().filePath(QStringLiteral("bs-unreach.h5"))});
        QFile::remove(QDir::temp().filePath(QStringLiteral("bs-unreach.h5")));
        QCOMPARE(r.code, 2);
        QVERIFY(r.summary().value(QStringLiteral("errors")).toArray().size() >= 1);
    }

    /// An NV200 whose Run is one recorder capture: benchscope-rec ends when the capture has been
    /// read back (the instrument finished), long before its duration, and exits 0. Without the
    /// run mode the run would last the whole 300 s and run() would give up after 60 s.
    void nv200RecorderCaptureEndsTheRun()
    {
        const auto sim = startNv200({QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY2(sim->port, qPrintable(sim->printed));
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("capture"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("nv200"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:%1").arg(sim->port), QStringLiteral("--set"),
                              QStringLiteral("run_mode=recorder capture"), QStringLiteral("--set"),
                              QStringLiteral("recorder_duration=50"), QStringLiteral("--duration"), QStringLiteral("300"),
                              QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"), out});
        QVERIFY2(r.code == 0, (r.err + r.out).constData());
        QVERIFY2(r.err.contains("every instrument has finished its capture"), r.err.constData());
        const QJsonObject s = r.summary();
        const QJsonArray instruments = s.value(QStringLiteral("instruments")).toArray();
        QCOMPARE(instruments.size(), 1);
        const QJsonObject inst = instruments.at(0).toObject();
        QCOMPARE(inst.value(QStringLiteral("state")).toString(), QStringLiteral("Finished"));
        QVERIFY(inst.value(QStringLiteral("finished")).toBool());
        QCOMPARE(inst.value(QStringLiteral("captures")).toInt(), 1);
        QCOMPARE(inst.value(QStringLiteral("incomplete_captures")).toInt(), 0);
        const QJsonObject end = inst.value(QStringLiteral("capture_ends")).toArray().at(0).toObject();
        QCOMPARE(end.value(QStringLiteral("samples")).toInt(), 1000); // 50 ms at 20 kHz
        double recorded = -1;
        for (const QJsonValue &v : s.value(QStringLiteral("streams")).toArray())
            if (v.toObject().value(QStringLiteral("stream")).toString() == QLatin1String("recorder"))
                recorded = v.toObject().value(QStringLiteral("samples")).toDouble();
        QCOMPARE(recorded, 1000.0);
        // The CSV file of the recorder stream holds the 1000 samples and the capture's end.
        int rows = 0;
        bool endLine = false;
        for (const QString &name : QDir(out).entryList({QStringLiteral("*_recorder*.csv")})) {
            QFile f(QDir(out).filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            for (const QByteArray &line : f.readAll().split('\n')) {
                endLine = endLine || line.startsWith("# capture_end");
                if (!line.isEmpty() && !line.startsWith('#') && !line.startsWith("time_s"))
                    ++rows;
            }
        }
        QCOMPARE(rows, 1000);
        QVERIFY(endLine);
    }

    /// One PicoScope block capture with `repeat` off: the run ends by itself when the capture is
    /// in, long before the duration, and that is a normal end (exit 0, the instrument finished).
    /// (Were it to run on, the 60 s duration outlasts the process wait and the test fails.)
    void picoscopeSingleBlockEndsTheRun()
    {
        const Result where = run(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("picoscope")});
        QCOMPARE(where.code, 0);
        const auto m = QRegularExpression(QStringLiteral("library: (\\S+)")).match(QString::fromUtf8(where.out));
        QVERIFY2(m.hasMatch(), where.out.constData());
        QTemporaryDir dir;
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("picoscope"), QStringLiteral("--set"),
                              QStringLiteral("library=") + m.captured(1), QStringLiteral("--set"),
                              QStringLiteral("mode=block"), QStringLiteral("--set"), QStringLiteral("repeat=false"),
                              QStringLiteral("--duration"), QStringLiteral("60"), QStringLiteral("--output"),
                              dir.filePath(QStringLiteral("block.h5"))},
                             50000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QJsonArray instruments = r.summary().value(QStringLiteral("instruments")).toArray();
        QCOMPARE(instruments.size(), 1);
        const QJsonObject pico = instruments.at(0).toObject();
        QVERIFY2(pico.value(QStringLiteral("finished")).toBool(), r.out.constData());
        QCOMPARE(pico.value(QStringLiteral("captures")).toInt(), 1);
        QCOMPARE(pico.value(QStringLiteral("incomplete_captures")).toInt(), 0);
        QCOMPARE(pico.value(QStringLiteral("samples")).toDouble(), 10000.0); // the default samples per capture
        QVERIFY2(r.err.contains("every instrument has finished"), r.err.constData());
    }

    // --- Lake Shore M81 (benchscope-sim m81) ---

    /// Starts `benchscope-sim m81 --port <free port> <args>`; the port is 0 if it did not come up.
    static quint16 startM81(QProcess &sim, const QStringList &args = {})
    {
        const quint16 port = freePort();
        sim.start(QStringLiteral(BENCHSCOPE_SIM),
                  QStringList{QStringLiteral("m81"), QStringLiteral("--port"), QString::number(port)} + args);
        QByteArray printed;
        QElapsedTimer t;
        t.start();
        while (!printed.contains("listening: 127.0.0.1:") && t.elapsed() < 20000 && sim.state() != QProcess::NotRunning) {
            sim.waitForReadyRead(200);
            printed += sim.readAllStandardOutput();
        }
        return printed.contains(QByteArray("listening: 127.0.0.1:") + QByteArray::number(port)) ? port : 0;
    }
    static QStringList m81Args(quint16 port, const QString &output, const QStringList &sets)
    {
        QStringList args{QStringLiteral("--instrument"), QStringLiteral("m81"), QStringLiteral("--address"),
                         QStringLiteral("127.0.0.1:%1").arg(port)};
        for (const QString &s : sets)
            args << QStringLiteral("--set") << s;
        return args << QStringLiteral("--duration") << QStringLiteral("120") << QStringLiteral("--format")
                    << QStringLiteral("csv") << QStringLiteral("--output") << output;
    }

    /// A bounded M81 stream (count = 2000 rows at 1000 rows/s) ends the recording by itself, long
    /// before --duration: exit 0, exactly 2000 rows in the summary and in the CSV, nothing lost.
    void m81BoundedStreamEndsByItself()
    {
        QProcess sim;
        // 256 KiB: 16 s of this stream, so a loaded machine that holds the driver back cannot overflow it.
        const quint16 port = startM81(sim, {QStringLiteral("--buffer"), QStringLiteral("262144")});
        QVERIFY2(port, sim.readAllStandardError().constData());
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("m81"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             m81Args(port, out, {QStringLiteral("elements=RTIMe,1,MX,1"), QStringLiteral("rate=1000"),
                                                 QStringLiteral("count=2000")}),
                             120000);
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QJsonObject s = r.summary();
        QVERIFY(s.value(QStringLiteral("ok")).toBool());
        QVERIFY2(s.value(QStringLiteral("duration_s")).toDouble() < 100, r.out.constData()); // not the 120 s asked
        const QJsonObject inst = s.value(QStringLiteral("instruments")).toArray().first().toObject();
        QCOMPARE(inst.value(QStringLiteral("state")).toString(), QStringLiteral("Finished"));
        QCOMPARE(inst.value(QStringLiteral("samples")).toDouble(), 2000.0);
        QCOMPARE(inst.value(QStringLiteral("lost")).toDouble(), 0.0);
        QCOMPARE(inst.value(QStringLiteral("incomplete_captures")).toInt(), 0);
        QCOMPARE(s.value(QStringLiteral("lost")).toDouble(), 0.0);
        QCOMPARE(s.value(QStringLiteral("dropped")).toDouble(), 0.0);
        const Csv csv = readCsv(out);
        QCOMPARE(csv.files, 1);
        QCOMPARE(csv.rows.size(), 2000);
    }

    /// A capture buffer far too small for 5000 rows/s (`--buffer 64`: 4 rows): the simulator drops
    /// rows and raises TRACe:DATA:OVERflow?. The recording ends with a non-zero exit and the loss
    /// counted in the summary, not as a clean run.
    void m81OverflowIsCountedAndFails()
    {
        QProcess sim;
        const quint16 port = startM81(sim, {QStringLiteral("--buffer"), QStringLiteral("64")});
        QVERIFY2(port, sim.readAllStandardError().constData());
        QTemporaryDir dir;
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             m81Args(port, dir.filePath(QStringLiteral("m81")),
                                     {QStringLiteral("elements=RTIMe,1,MX,1"), QStringLiteral("rate=5000"),
                                      QStringLiteral("count=20000")}),
                             120000);
        sim.kill();
        sim.waitForFinished();
        const QJsonObject s = r.summary();
        QVERIFY2(r.code != 0 && !s.value(QStringLiteral("ok")).toBool(true), (r.out + r.err).constData());
        const QJsonObject inst = s.value(QStringLiteral("instruments")).toArray().first().toObject();
        QVERIFY2(inst.value(QStringLiteral("lost")).toDouble() > 0 || inst.value(QStringLiteral("incomplete_captures")).toInt() > 0,
                 r.out.constData());
        QVERIFY2(s.value(QStringLiteral("lost")).toDouble() > 0, r.out.constData());
    }

    /// A rate above the M81's 5000 rows/s is refused before anything connects, the message naming
    /// the setting; nothing reaches the address given.
    void m81RefusedSettingBeforeConnecting()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("m81"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             m81Args(listener.serverPort(), out, {QStringLiteral("rate=6000")}));
        QCOMPARE(r.code, 64);
        QVERIFY2(r.err.contains("rate") && r.err.contains("6000"), r.err.constData());
        QVERIFY(!listener.waitForNewConnection(100));
        QVERIFY(!QFileInfo::exists(out));
    }

    // --- Liquid Instruments Moku (benchscope-sim moku) ---

    /// `benchscope-rec --instrument moku` on `benchscope-sim moku --bridge-port 0`: the driver reads
    /// the simulator's NDJSON stream through `--set bridge=`; a 3 s stream (`duration=3`) at 1 kSa/s
    /// ends the run by itself long before --duration: exit 0, exactly 3000 rows of two inputs in the
    /// summary and the CSV, nothing lost.
    void mokuStreamThroughTheBridgeEndsTheRun()
    {
        QProcess sim;
        sim.start(QStringLiteral(BENCHSCOPE_SIM),
                  {QStringLiteral("moku"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bridge-port"),
                   QStringLiteral("0"), QStringLiteral("--deploy-delay"), QStringLiteral("0.2")});
        QByteArray printed;
        const QRegularExpression rest(QStringLiteral("listening: 127\\.0\\.0\\.1:(\\d+)"));
        const QRegularExpression bridge(QStringLiteral("stream bridge \\(NDJSON\\): 127\\.0\\.0\\.1:(\\d+)"));
        QElapsedTimer t;
        t.start();
        while (!bridge.match(QString::fromUtf8(printed)).hasMatch() && t.elapsed() < 20000
               && sim.state() != QProcess::NotRunning) {
            sim.waitForReadyRead(200);
            printed += sim.readAllStandardOutput();
        }
        const QString port = rest.match(QString::fromUtf8(printed)).captured(1);
        const QString bridgePort = bridge.match(QString::fromUtf8(printed)).captured(1);
        QVERIFY2(!port.isEmpty() && !bridgePort.isEmpty(), (printed + sim.readAllStandardError()).constData());
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("moku"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("moku"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:") + port, QStringLiteral("--set"),
                              QStringLiteral("bridge=127.0.0.1:") + bridgePort, QStringLiteral("--set"),
                              QStringLiteral("rate=1000"), QStringLiteral("--set"), QStringLiteral("duration=3"),
                              QStringLiteral("--duration"), QStringLiteral("120"), QStringLiteral("--format"),
                              QStringLiteral("csv"), QStringLiteral("--output"), out},
                             120000);
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QJsonObject s = r.summary();
        QVERIFY(s.value(QStringLiteral("ok")).toBool());
        QVERIFY2(s.value(QStringLiteral("duration_s")).toDouble() < 100, r.out.constData()); // not the 120 s asked
        const QJsonObject inst = s.value(QStringLiteral("instruments")).toArray().first().toObject();
        QCOMPARE(inst.value(QStringLiteral("type")).toString(), QStringLiteral("moku"));
        QCOMPARE(inst.value(QStringLiteral("state")).toString(), QStringLiteral("Finished"));
        QCOMPARE(inst.value(QStringLiteral("samples")).toDouble(), 3000.0);
        QCOMPARE(inst.value(QStringLiteral("lost")).toDouble(), 0.0);
        QCOMPARE(inst.value(QStringLiteral("incomplete_captures")).toInt(), 0);
        QCOMPARE(s.value(QStringLiteral("lost")).toDouble(), 0.0);
        QCOMPARE(s.value(QStringLiteral("dropped")).toDouble(), 0.0);
        const Csv csv = readCsv(out);
        QCOMPARE(csv.files, 1);
        QCOMPARE(csv.rows.size(), 3000);
        QVERIFY2(csv.header.contains("Input 1") && csv.header.contains("Input 2"), csv.header.constData());
    }

    /// `benchscope-sim m81`: prints where it listens, answers SCPI there (and on its pty), takes
    /// its switches, refuses bad ones with exit 64.
    void m81SimulatorCommandLine()
    {
        const auto startM81 = [](QProcess &p, const QStringList &args) {
            p.start(QStringLiteral(BENCHSCOPE_SIM), QStringList{QStringLiteral("m81")} + args);
            QString printed;
            QElapsedTimer t;
            t.start();
            while (!printed.contains(QLatin1String(" bytes\n")) && t.elapsed() < 10000) {
                p.waitForReadyRead(200);
                printed += QString::fromUtf8(p.readAllStandardOutput());
            }
            return printed;
        };
        const auto ask = [](QIODevice &io, const QByteArray &line, const std::function<bool()> &wait) {
            io.write(line + '\n');
            QByteArray got;
            QElapsedTimer t;
            t.start();
            while (!got.endsWith("\r\n") && t.elapsed() < 10000) {
                wait();
                got += io.readAll();
            }
            return got;
        };
        {
            QProcess sim;
            const QString printed = startM81(sim, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--empty-slot"),
                                                   QStringLiteral("M2"), QStringLiteral("--buffer"), QStringLiteral("800"),
                                                   QStringLiteral("--no-trace-extensions")});
            const auto m = QRegularExpression(QStringLiteral("listening: 127.0.0.1:(\\d+)")).match(printed);
            QVERIFY2(m.hasMatch(), qPrintable(printed));
            QVERIFY2(printed.contains(QLatin1String("measures VM-10,,CM-10; buffer 800 bytes")), qPrintable(printed));
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, quint16(m.captured(1).toUInt()));
            QVERIFY(s.waitForConnected(5000));
            const auto wait = [&s] { return s.waitForReadyRead(200); };
            QCOMPARE(ask(s, "*IDN?", wait), QByteArray("LSCI,M81,SIM00001,2.1.0\r\n"));
            QCOMPARE(ask(s, "SENSe2:MODel?;:SYSTem:ERRor:ALL?", wait),
                     QByteArray("-241,\"Hardware missing;SENSe2:MODel?;\"\r\n"));
            QCOMPARE(ask(s, "TRACe:RATE?;:SYSTem:ERRor:ALL?", wait), QByteArray("-113,\"Undefined header;TRACe:RATE?;\"\r\n"));
            sim.kill();
            sim.waitForFinished();
        }
        {
            QProcess sim;
            const QString printed = startM81(sim, {QStringLiteral("--pty")});
            QVERIFY2(!printed.contains(QLatin1String("listening")), qPrintable(printed)); // --pty alone: no TCP
            const auto m = QRegularExpression(QStringLiteral("serial port: (/dev/\\S+)")).match(printed);
            QVERIFY2(m.hasMatch(), qPrintable(printed));
            QFile tty(m.captured(1));
            QVERIFY(tty.open(QIODevice::ReadWrite | QIODevice::Unbuffered));
            const int fd = tty.handle();
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            const auto wait = [fd] {
                pollfd p{fd, POLLIN, 0};
                return ::poll(&p, 1, 200) > 0;
            };
            QCOMPARE(ask(tty, "SOURce3:MODel?", wait), QByteArray("\"BCS-10\"\r\n"));
            sim.kill();
            sim.waitForFinished();
        }
        for (const QStringList &bad : {QStringList{QStringLiteral("--empty-slot"), QStringLiteral("X9")},
                                       QStringList{QStringLiteral("--bounded"), QStringLiteral("sometimes")},
                                       QStringList{QStringLiteral("--fault"), QStringLiteral("fire")},
                                       QStringList{QStringLiteral("--struct-code"), QStringLiteral("MX=z")},
                                       QStringList{QStringLiteral("--fixture"), QStringLiteral("other")},
                                       QStringList{QStringLiteral("--port"), QStringLiteral("70000")},
                                       QStringList{QStringLiteral("--frobnicate")}}) {
            const Result r = run(QStringLiteral(BENCHSCOPE_SIM), QStringList{QStringLiteral("m81")} + bad);
            QVERIFY2(r.code == 64 && r.err.contains(bad.first().toUtf8()), r.err.constData());
        }
        const Result help = run(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("--help")});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("m81     Lake Shore M81-SSM"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
