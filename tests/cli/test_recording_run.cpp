// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope-rec's run logic in process, with a driver whose capture ends by itself: the run ends
// when every instrument has finished (not at the duration, not with "did not start"), the capture
// boundaries are in the file and the summary, and the exit code tells the truth (incomplete
// capture → 1, refused setting → 3).
#include "DriverRegistry.h"
#include "FiniteInstrument.h"
#include "Hdf5RecordingReader.h"
#include "Nv200Simulator.h"
#include "RecordingRun.h"
#include "SimulatorThread.h"
#include "registry.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace bs;
using namespace bs::cli;

namespace {

void registerFinite()
{
    if (DriverRegistry::instance().find(QStringLiteral("finite")))
        return;
    DriverInfo info;
    info.type = QStringLiteral("finite");
    info.displayName = QStringLiteral("Finite test driver");
    info.create = [] { return std::make_unique<test::FiniteInstrument>(); };
    DriverRegistry::instance().add(info);
}

struct Outcome
{
    int code = -1;
    QJsonObject summary;
    QString csv; ///< the stream's CSV file
};

Outcome record(const QJsonObject &params, const QString &dir)
{
    registerFinite();
    RecOptions opts;
    opts.durationS = 600; // far longer than the test may take: the run must end by itself
    opts.format = RecordingOptions::Format::Csv;
    opts.output = dir;
    opts.quiet = true;
    Session session;
    session.instruments.append({QStringLiteral("fin1"), QStringLiteral("finite"), QStringLiteral("Finite"),
                                QString(), params});
    RecordingRun run(opts, session);
    QSignalSpy done(&run, &RecordingRun::finished);
    run.start();
    Outcome o;
    if (!done.wait(60000))
        return o;
    o.code = done.first().first().toInt();
    o.summary = run.summary();
    QFile f(QDir(dir).filePath(QStringLiteral("fin1_s.csv")));
    if (f.open(QIODevice::ReadOnly))
        o.csv = QString::fromUtf8(f.readAll());
    return o;
}

QJsonObject instrument(const Outcome &o)
{
    return o.summary.value(QStringLiteral("instruments")).toArray().first().toObject();
}

} // namespace

class TestRecordingRun : public QObject
{
    Q_OBJECT
private slots:
    void captureThatEndsByItselfIsANormalEnd();
    void incompleteCaptureIsALoss();
    void refusedSettingIsNotOk();
    void lostConnectionRejoinsWithReconnect();
    void lostConnectionFailsTheRunWithoutReconnect();
    void compressionOptionReachesTheFile();

private:
    /// An NV200 simulator in process; the run records it as CSV; once rows are on disk the
    /// device reboots (the link drops, the simulator comes back on the same port).
    Outcome recordThroughAReboot(bool reconnect, const QString &dir);
};

void TestRecordingRun::captureThatEndsByItselfIsANormalEnd()
{
    QTemporaryDir dir;
    const Outcome o = record({{QStringLiteral("blocks"), 6}}, dir.path());
    QCOMPARE(o.code, int(RecordingRun::Ok));
    QCOMPARE(o.summary.value(QStringLiteral("ok")).toBool(), true);
    const QJsonObject inst = instrument(o);
    QCOMPARE(inst.value(QStringLiteral("finished")).toBool(), true);
    QCOMPARE(inst.value(QStringLiteral("state")).toString(), Instrument::stateName(Instrument::State::Finished));
    QCOMPARE(inst.value(QStringLiteral("samples")).toInt(), 60);
    QCOMPARE(inst.value(QStringLiteral("captures")).toInt(), 1);
    QCOMPARE(inst.value(QStringLiteral("incomplete_captures")).toInt(), 0);
    const QJsonObject end = inst.value(QStringLiteral("capture_ends")).toArray().first().toObject();
    QCOMPARE(end.value(QStringLiteral("text")).toString(), QStringLiteral("Ok"));
    QCOMPARE(end.value(QStringLiteral("complete")).toBool(), true);
    QCOMPARE(end.value(QStringLiteral("samples")).toInt(), 60);
    QVERIFY(o.summary.value(QStringLiteral("warnings")).toArray().isEmpty());
    QVERIFY(o.summary.value(QStringLiteral("duration_s")).toDouble() < 300); // not the 600 s asked
    // The file holds the capture's boundaries around its 60 rows.
    const QStringList lines = o.csv.split(QLatin1Char('\n'));
    // (times from the recording's start, which is where the session clock started, a few µs
    // before this driver's own t = 0)
    const QRegularExpression startLine(QStringLiteral("^# capture_start at t=(\\S+): .*"));
    const QRegularExpression endLine(QStringLiteral("^# capture_end at t=(\\S+): .*\"text\":\"Ok\".*"));
    const qsizetype start = lines.indexOf(startLine);
    const qsizetype stop = lines.indexOf(endLine);
    QVERIFY2(start > 0 && stop > start, qPrintable(o.csv.left(3000)));
    QCOMPARE(stop - start - 1, 60);
    const double t0 = startLine.match(lines[start]).captured(1).toDouble();
    const double t1 = endLine.match(lines[stop]).captured(1).toDouble();
    QVERIFY2(std::abs((t1 - t0) - 0.06) < 1e-6, qPrintable(lines[start] + u'\n' + lines[stop]));
    // The driver was told the recording's folder before its start (Instrument::outputFolder()).
    QVERIFY2(lines[start].contains(QStringLiteral("\"folder\":\"%1\"").arg(QFileInfo(dir.path()).absoluteFilePath())),
             qPrintable(lines[start]));
}

// `--compression` is checked when parsed and reaches the HDF5 datasets; without it the session's
// recording.compression does.
void TestRecordingRun::compressionOptionReachesTheFile()
{
    QString error;
    RecOptions bad;
    QVERIFY(!bad.parse({QStringLiteral("--demo"), QStringLiteral("--compression"), QStringLiteral("zip")}, &error));
    QVERIFY2(error.contains(QStringLiteral("--compression")) && error.contains(QStringLiteral("'zip'")), qPrintable(error));
    QVERIFY(!bad.parse({QStringLiteral("--demo"), QStringLiteral("--compression"), QStringLiteral("deflate:0")}, &error));
    RecOptions opts;
    QVERIFY2(opts.parse({QStringLiteral("--demo"), QStringLiteral("--compression"), QStringLiteral("Deflate:3")}, &error),
             qPrintable(error));
    QCOMPARE(opts.compression, QStringLiteral("deflate:3"));
    registerFinite();
    QTemporaryDir dir;
    opts.durationS = 600;
    opts.format = RecordingOptions::Format::Hdf5;
    opts.output = dir.filePath(QStringLiteral("r.h5"));
    opts.quiet = true;
    Session session;
    session.instruments.append({QStringLiteral("fin1"), QStringLiteral("finite"), QStringLiteral("Finite"), QString(),
                                QJsonObject{{QStringLiteral("blocks"), 3}}});
    RecordingRun run(opts, session);
    QSignalSpy done(&run, &RecordingRun::finished);
    run.start();
    QVERIFY(done.wait(60000));
    QCOMPARE(done.first().first().toInt(), int(RecordingRun::Ok));
    Hdf5RecordingReader reader;
    QVERIFY2(reader.open(opts.output, &error), qPrintable(error));
    QCOMPARE(reader.streams().size(), 1);
    QCOMPARE(reader.streams().front().compression, QStringLiteral("deflate"));
    QCOMPARE(reader.streams().front().rows, quint64(30));
    reader.close();

    // Without --compression the session's recording.compression is used.
    opts.compression.clear();
    opts.output = dir.filePath(QStringLiteral("s.h5"));
    session.recording.compression = QStringLiteral("deflate");
    session.recording.compressionLevel = 9;
    RecordingRun fromSession(opts, session);
    QSignalSpy done2(&fromSession, &RecordingRun::finished);
    fromSession.start();
    QVERIFY(done2.wait(60000));
    QCOMPARE(done2.first().first().toInt(), int(RecordingRun::Ok));
    QVERIFY2(reader.open(opts.output, &error), qPrintable(error));
    QCOMPARE(reader.streams().front().compression, QStringLiteral("deflate"));
    QCOMPARE(reader.streams().front().rows, quint64(30));
}

void TestRecordingRun::incompleteCaptureIsALoss()
{
    QTemporaryDir dir;
    const Outcome o = record({{QStringLiteral("blocks"), 3}, {QStringLiteral("complete"), false}}, dir.path());
    QCOMPARE(o.code, int(RecordingRun::SamplesLost));
    QCOMPARE(o.summary.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(instrument(o).value(QStringLiteral("incomplete_captures")).toInt(), 1);
    QVERIFY(o.csv.contains(QStringLiteral("\"complete\":false,\"event\":\"capture_end\"")));
    QVERIFY(o.csv.contains(QStringLiteral("\"text\":\"Data overrun\"")));
}

void TestRecordingRun::refusedSettingIsNotOk()
{
    QTemporaryDir dir;
    const Outcome o = record({{QStringLiteral("blocks"), 2}, {QStringLiteral("refuse"), true}}, dir.path());
    QCOMPARE(o.code, int(RecordingRun::NotAsAsked));
    QCOMPARE(o.summary.value(QStringLiteral("ok")).toBool(), false);
    const QJsonArray warnings = o.summary.value(QStringLiteral("warnings")).toArray();
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.first().toString().startsWith(QStringLiteral("fin1: TRIG refused")));
    QCOMPARE(instrument(o).value(QStringLiteral("warnings")).toArray().size(), 1);
    QVERIFY(o.csv.contains(QStringLiteral("# warning at t=nan: ")));
}

Outcome TestRecordingRun::recordThroughAReboot(bool reconnect, const QString &dir)
{
    registerBuiltinDrivers();
    using bs::nv200::Nv200Simulator;
    Nv200Simulator::Config cfg;
    cfg.port = 0;
    SimulatorThread sim(QStringLiteral("nv200-sim"), [cfg] { return new Nv200Simulator(cfg); });
    quint16 port = 0;
    sim.call([&port](QObject *o) {
        auto *s = static_cast<Nv200Simulator *>(o);
        s->start();
        port = s->port();
    });
    RecOptions opts;
    opts.durationS = 20; // the reboot and the 1 s back-off fit many times over
    opts.format = RecordingOptions::Format::Csv;
    opts.output = dir;
    opts.quiet = true;
    opts.reconnect = reconnect;
    Session session;
    session.instruments.append({QStringLiteral("nv1"), QStringLiteral("nv200"), QStringLiteral("NV200"),
                                QStringLiteral("127.0.0.1:%1").arg(port),
                                QJsonObject{{QStringLiteral("live_rate"), 50.0}}});
    RecordingRun run(opts, session);
    QSignalSpy done(&run, &RecordingRun::finished);
    run.start();
    const QString csv = QDir(dir).filePath(QStringLiteral("nv1_live.csv"));
    auto dataOnDisk = [&csv] {
        QFile f(csv);
        static const QRegularExpression row(QStringLiteral("\\n-?[0-9]"));
        return f.open(QIODevice::ReadOnly) && QString::fromUtf8(f.readAll()).contains(row);
    };
    Outcome o;
    if (!QTest::qWaitFor(dataOnDisk, 20000))
        return o;
    sim.call([](QObject *obj) {
        auto *s = static_cast<Nv200Simulator *>(obj);
        s->stop();
        s->start(); // the same port again
    });
    if (!done.wait(60000))
        return o;
    o.code = done.first().first().toInt();
    o.summary = run.summary();
    QFile f(csv);
    if (f.open(QIODevice::ReadOnly))
        o.csv = QString::fromUtf8(f.readAll());
    return o;
}

void TestRecordingRun::lostConnectionRejoinsWithReconnect()
{
    QTemporaryDir dir;
    const Outcome o = recordThroughAReboot(true, dir.path());
    QVERIFY2(o.code >= 0, "the run did not end");
    // Recorded, but not as asked: the outage is in the summary and the file. A live poll that was
    // on the wire when the device went away is a lost sample (counted, exit 1 instead of 3); which
    // of the two depends on when the reboot falls between polls (a slow machine, ASan).
    const double lost = instrument(o).value(QStringLiteral("lost")).toDouble()
        + o.summary.value(QStringLiteral("lost")).toDouble() + o.summary.value(QStringLiteral("dropped")).toDouble();
    if (o.code == int(RecordingRun::SamplesLost))
        QVERIFY2(lost > 0, "exit 1 without a lost or dropped sample in the summary");
    else
        QCOMPARE(o.code, int(RecordingRun::NotAsAsked));
    QCOMPARE(instrument(o).value(QStringLiteral("connections_lost")).toInt(), 1);
    QVERIFY2(o.csv.contains(QStringLiteral("connection_lost")), qPrintable(o.csv.left(2000)));
    const qsizetype restored = o.csv.indexOf(QStringLiteral("connection_restored"));
    QVERIFY2(restored > 0, qPrintable(o.csv.left(2000)));
    // Rows after the restoration, in the same file.
    QVERIFY(o.csv.indexOf(QRegularExpression(QStringLiteral("\\n[0-9]")), restored) > restored);
}

void TestRecordingRun::lostConnectionFailsTheRunWithoutReconnect()
{
    QTemporaryDir dir;
    const Outcome o = recordThroughAReboot(false, dir.path());
    QVERIFY2(o.code >= 0, "the run did not end");
    QCOMPARE(o.code, int(RecordingRun::Failed));
    QCOMPARE(instrument(o).value(QStringLiteral("connections_lost")).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestRecordingRun)
#include "test_recording_run.moc"
