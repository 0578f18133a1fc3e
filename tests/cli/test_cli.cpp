// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope-rec and benchscope-sim as a user runs them: real processes, real sockets, real files.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTcpServer>
#include <QtTest>

#include <cmath>

#include <fcntl.h>
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
        sim.start(QStringLiteral(BENCHSCOPE_SIM),
                  {QStringLiteral("panda"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-port"),
                   QStringLiteral("0"), QStringLiteral("--rate"), QStringLiteral("5000")});
        QVERIFY(sim.waitForReadyRead(10000));
        const QString line = QString::fromUtf8(sim.readLine());
        const auto m = QRegularExpression(QStringLiteral("control 127.0.0.1:(\\d+) data 127.0.0.1:(\\d+)")).match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        QCOMPARE(m.captured(1).toUInt(), uint(port));
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("csv"));
        const Result r = run(QStringLiteral(BENCHSCOPE_REC),
                             {QStringLiteral("--instrument"), QStringLiteral("panda"), QStringLiteral("--address"),
                              QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--set"),
                              QStringLiteral("data_port=") + m.captured(2), QStringLiteral("--set"),
                              QStringLiteral("clock_period=0.0002"), QStringLiteral("--duration"), QStringLiteral("1"),
                              QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"), out});
        sim.kill();
        sim.waitForFinished();
        QVERIFY2(r.code == 0, r.err.constData());
        const Csv csv = readCsv(out);
        QCOMPARE(csv.files, 1);
        QVERIFY(csv.comments.size() >= 4);
        QVERIFY2(csv.header.startsWith("time_s,"), csv.header.constData());
        QVERIFY(csv.header.contains("PCAP.TS_TRIG.Value [s]"));
        QVERIFY(csv.rows.size() > 1000);
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
        QVERIFY2(readCsv(dir.filePath(QStringLiteral("csv"))).rows.size() > 100, r.out.constData());
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
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
