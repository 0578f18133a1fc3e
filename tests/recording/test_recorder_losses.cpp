// SPDX-License-Identifier: GPL-3.0-or-later
// Losses are counted and stored (device overrun, index gaps, queue overflow), streams may appear
// or change while recording, and failures (bad paths, disk full) are reported with file and reason.
#include "RecordingTestUtil.h"
#include "RecordingWriter.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <csignal>
#include <sys/resource.h>
#include <thread>

using namespace bs;
using namespace bs::test;

namespace {

const QString Dev1 = QStringLiteral("dev1");
constexpr double Dt = 1.0 / 1024;
using Format = RecordingOptions::Format;

const QVector<StreamInfo> OneStream { stream(
    QStringLiteral("s"), { QStringLiteral("v") }, { QStringLiteral("V") }, true, 1024) };

MutableSampleBlockPtr block(
    quint64 first, std::size_t n = 100, int channels = 1, const QString &id = QStringLiteral("s"))
{
    static std::mt19937_64 rng(99);
    return regularBlock(rng, Dev1, id, channels, n, first, Dt);
}

QString target(const QTemporaryDir &dir, Format f)
{
    return dir.filePath(f == Format::Hdf5 ? QStringLiteral("r.h5") : QStringLiteral("csv"));
}

std::vector<std::vector<double>> h5Events(const QString &path, const char *group)
{
    hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    auto rows = readTable(file, (QByteArray(group) + "/events").constData(),
        { "file_row", "time", "sample_index", "count", "kind" });
    H5Fclose(file);
    return rows;
}

double h5Attr(const QString &path, const char *object, const char *name)
{
    hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const double v = readNumberAttr(file, object, name);
    H5Fclose(file);
    return v;
}

/// Compares the totals of the only stream, in the order of its `# end` line; the recorder's dropped
/// and lost totals must be the stream's.
void compareOneStream(
    const RecorderStats &st, quint64 samples, quint64 dropped, quint64 deviceLost, quint64 overflowBlocks)
{
    QCOMPARE(st.streams.size(), 1);
    QCOMPARE(st.streams[0].samples, samples);
    QCOMPARE(st.streams[0].droppedSamples, dropped);
    QCOMPARE(st.streams[0].deviceLostSamples, deviceLost);
    QCOMPARE(st.streams[0].overflowBlocks, overflowBlocks);
    QCOMPARE(st.droppedSamples, dropped);
    QCOMPARE(st.lostSamples, deviceLost);
}

} // namespace

class TestRecorderLosses : public QObject
{
    Q_OBJECT
private slots:
    void deviceLossesCountedAndStored_data();
    void deviceLossesCountedAndStored();
    void queueOverflowCountedExactly_data();
    void queueOverflowCountedExactly();
    void dropsAtTheEndAreStored();
    void concurrentProducersAccountExactly();
    void streamAnnouncedWhileRecording();
    void channelCountChangeStartsNewGroup();
    void stopTwiceAndIdleConsume();
    void startErrorsNamePathAndReason();
    void csvDiskFullStopsCleanly();
    void hdf5WriteFailureStopsCleanly();
};

void TestRecorderLosses::deviceLossesCountedAndStored_data()
{
    QTest::addColumn<Format>("format");
    QTest::newRow("hdf5") << Format::Hdf5;
    QTest::newRow("csv") << Format::Csv;
}

void TestRecorderLosses::deviceLossesCountedAndStored()
{
    QFETCH(Format, format);
    QTemporaryDir dir;
    auto b1 = block(0), b2 = block(150), b3 = block(250), b4 = block(380), b5 = block(480), b6 = block(580);
    b3->lostBefore = 20; // device reported, no index jump
    b4->lostBefore = 10; // index jumps by 30: max(10, 30) = 30
    b5->flags = SampleBlock::Overflow; // unknown count
    b6->flags = SampleBlock::DataLost;
    b6->lostBefore = 5;
    RecorderStats st;
    QVERIFY(record(options(format, target(dir, format)), OneStream, { b1, b2, b3, b4, b5, b6 }, &st));
    compareOneStream(st, 600, 0, 105, 2);
    if (QTest::currentTestFailed())
        return;

    if (format == Format::Hdf5) {
        const QString path = target(dir, format);
        const auto ev = h5Events(path, "/dev1/s");
        const std::vector<std::vector<double>> want { { 100, 150 * Dt, 100, 50, 3 },
            { 200, 250 * Dt, 250, 20, 2 }, { 300, 380 * Dt, 350, 30, 2 }, { 400, 480 * Dt, 480, 0, 4 },
            { 500, 580 * Dt, 580, 5, 2 } };
        QCOMPARE(ev, want);
        QCOMPARE(h5Attr(path, "/dev1/s", "device_lost_samples"), 105.0);
        QCOMPARE(h5Attr(path, "/dev1/s", "overflow_blocks"), 2.0);
        QCOMPARE(h5Attr(path, "/dev1/s", "dropped_samples"), 0.0);
        hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
        const auto segs = readTable(file, "/dev1/s/segments", { "file_row", "sample_index", "t0", "dt" });
        H5Fclose(file);
        QCOMPARE(segs.size(), std::size_t(3)); // start, after the gap at 150, after the gap at 380
        QCOMPARE(segs[2][0], 300.0);
        QCOMPARE(segs[2][1], 380.0);
    } else {
        const CsvFile f = readCsv(QDir(target(dir, format)).filePath(QStringLiteral("dev1_s.csv")));
        QCOMPARE(f.rows.size(), std::size_t(600));
        const QStringList want { QStringLiteral(
                                     "# gap at t=0.146484375 index=100 lost=50 (sample index gap)"),
            QStringLiteral("# gap at t=0.244140625 index=250 lost=20 (device reported lost samples)"),
            QStringLiteral("# gap at t=0.37109375 index=350 lost=30 (device reported lost samples)"),
            QStringLiteral("# gap at t=0.46875 index=480 lost=0 (device overflow flag)"),
            QStringLiteral("# gap at t=0.56640625 index=580 lost=5 (device reported lost samples)"),
            QStringLiteral("# end: samples=600 dropped=0 device_lost=105 overflow_blocks=2 stops=0 restarts=0 outages=0 outage_s=0") };
        QCOMPARE(f.comments, want);
        QCOMPARE(f.commentRows, (std::vector<std::size_t> { 100, 200, 300, 400, 500, 600 }));
    }
}

void TestRecorderLosses::queueOverflowCountedExactly_data()
{
    deviceLossesCountedAndStored_data();
}

void TestRecorderLosses::queueOverflowCountedExactly()
{
    QFETCH(Format, format);
    QTemporaryDir dir;
    RecordingOptions opts = options(format, target(dir, format));
    opts.queueBudgetBytes = 3 * 1600; // three blocks of 200 values
    Recorder rec;
    rec.setStreams(
        Dev1, { stream(QStringLiteral("s"), { QStringLiteral("a"), QStringLiteral("b") }, {}, true) });
    QString error;
    QVERIFY(rec.start(opts, &error));
    rec.setWriterPaused(true); // a writer that cannot keep up
    for (quint64 k = 0; k < 10; ++k)
        rec.consume(block(k * 100, 100, 2));
    const RecorderStats st = rec.stats();
    QCOMPARE(st.droppedSamples, quint64(700));
    QCOMPARE(st.queuedBytes, qint64(4800));
    QCOMPARE(st.peakQueuedBytes, qint64(4800));
    QCOMPARE(st.streams.size(), 1);
    QCOMPARE(st.streams[0].droppedSamples, quint64(700));
    rec.setWriterPaused(false);
    QTRY_COMPARE(rec.queuedBytes(), qint64(0));
    rec.consume(block(1000, 100, 2));
    rec.stop();
    compareOneStream(rec.stats(), 400, 700, 0, 0);
    if (QTest::currentTestFailed())
        return;
    if (format == Format::Hdf5) {
        const auto ev = h5Events(opts.path, "/dev1/s");
        QCOMPARE(ev, (std::vector<std::vector<double>> { { 300, 300 * Dt, 300, 700, 1 } }));
        QCOMPARE(h5Attr(opts.path, "/dev1/s", "dropped_samples"), 700.0);
    } else {
        const CsvFile f = readCsv(QDir(opts.path).filePath(QStringLiteral("dev1_s.csv")));
        QCOMPARE(f.comments,
            (QStringList {
                QStringLiteral("# gap at t=0.29296875 index=300 lost=700 (recorder queue overflow)"),
                QStringLiteral("# end: samples=400 dropped=700 device_lost=0 overflow_blocks=0 stops=0 restarts=0 outages=0 outage_s=0") }));
        QCOMPARE(f.commentRows, (std::vector<std::size_t> { 300, 400 }));
    }
}

void TestRecorderLosses::dropsAtTheEndAreStored()
{
    QTemporaryDir dir;
    RecordingOptions opts = options(Format::Hdf5, target(dir, Format::Hdf5));
    opts.queueBudgetBytes = 2 * 800;
    Recorder rec;
    rec.setStreams(Dev1, OneStream);
    QString error;
    QVERIFY(rec.start(opts, &error));
    rec.setWriterPaused(true);
    for (quint64 k = 0; k < 5; ++k)
        rec.consume(block(k * 100));
    for (quint64 k = 0; k < 4; ++k) // a stream none of whose blocks made it
        rec.consume(block(k * 100, 100, 1, QStringLiteral("late")));
    rec.stop(); // resumes the writer, drains, stores the dropped runs
    const RecorderStats st = rec.stats();
    QCOMPARE(st.droppedSamples, quint64(700));
    QCOMPARE(st.streams.size(), 2);
    QCOMPARE(st.streams[0].samples, quint64(200));
    QCOMPARE(st.streams[0].droppedSamples, quint64(300));
    QCOMPARE(st.streams[1].streamId, QStringLiteral("late"));
    QCOMPARE(st.streams[1].samples, quint64(0));
    QCOMPARE(st.streams[1].droppedSamples, quint64(400));
    QCOMPARE(h5Events(opts.path, "/dev1/s"),
        (std::vector<std::vector<double>> { { 200, 200 * Dt, 200, 300, 1 } }));
    QCOMPARE(h5Events(opts.path, "/dev1/late"), (std::vector<std::vector<double>> { { 0, 0, 0, 400, 1 } }));
    QCOMPARE(h5Attr(opts.path, "/dev1/late", "dropped_samples"), 400.0);
}

void TestRecorderLosses::concurrentProducersAccountExactly()
{
    // Four driver threads, a small budget: whatever was dropped is counted and stored exactly.
    QTemporaryDir dir;
    RecordingOptions opts = options(Format::Hdf5, target(dir, Format::Hdf5));
    opts.queueBudgetBytes = 256 * 1024;
    Recorder rec;
    QString error;
    QVERIFY(rec.start(opts, &error));
    constexpr int Threads = 4, Blocks = 400;
    std::vector<std::thread> producers;
    for (int t = 0; t < Threads; ++t)
        producers.emplace_back([&rec, t] {
            std::mt19937_64 rng { quint64(t) };
            const QString id = QStringLiteral("p%1").arg(t);
            rec.setStreams(
                id, { stream(QStringLiteral("s"), { QStringLiteral("a"), QStringLiteral("b") }, {}, true) });
            for (int k = 0; k < Blocks; ++k) {
                auto b = regularBlock(rng, id, QStringLiteral("s"), 2, 1000, quint64(k) * 1000, Dt);
                rec.consume(b);
            }
        });
    for (auto &p : producers)
        p.join();
    rec.stop();
    const RecorderStats st = rec.stats();
    QCOMPARE(st.streams.size(), Threads);
    QCOMPARE(st.lostSamples, quint64(0));
    quint64 dropped = 0;
    hid_t file = H5Fopen(opts.path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    for (const StreamRecordStats &s : st.streams) {
        QCOMPARE(s.samples + s.droppedSamples, quint64(Blocks) * 1000);
        const QByteArray group = s.group.toUtf8();
        QCOMPARE(readDoubles(file, (group + "/a").constData()).size(), std::size_t(s.samples));
        quint64 stored = 0;
        for (const auto &e : readTable(file, (group + "/events").constData(), { "count", "kind" })) {
            QCOMPARE(e[1], double(LossKind::QueueOverflow));
            stored += quint64(e[0]);
        }
        QCOMPARE(stored, s.droppedSamples);
        QCOMPARE(readNumberAttr(file, group.constData(), "dropped_samples"), double(s.droppedSamples));
        dropped += s.droppedSamples;
    }
    H5Fclose(file);
    QCOMPARE(st.droppedSamples, dropped);
    qInfo("dropped %llu of %d samples", static_cast<unsigned long long>(dropped), Threads * Blocks * 1000);
}

void TestRecorderLosses::streamAnnouncedWhileRecording()
{
    QTemporaryDir dir;
    for (Format format : { Format::Hdf5, Format::Csv }) {
        RecordingOptions opts = options(format, target(dir, format));
        opts.instruments.append(
            { QStringLiteral("dev2"), QStringLiteral("moku"), QStringLiteral("Moku"), QString() });
        Recorder rec;
        rec.setStreams(Dev1, OneStream);
        QString error;
        QVERIFY(rec.start(opts, &error));
        rec.consume(block(0));
        rec.setStreams(QStringLiteral("dev2"),
            { stream(QStringLiteral("s2"), { QStringLiteral("u"), QStringLiteral("v") },
                { QStringLiteral("A"), QStringLiteral("B") }, true) });
        auto b = block(0, 100, 2, QStringLiteral("s2"));
        b->instrumentId = QStringLiteral("dev2");
        rec.consume(b);
        rec.stop();
        QCOMPARE(rec.stats().streams.size(), 2);
        if (format == Format::Hdf5) {
            hid_t file = H5Fopen(opts.path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
            QCOMPARE(readStringAttr(file, "/dev2/s2/v", "unit"), QStringLiteral("B"));
            QCOMPARE(readStringAttr(file, "/dev2/s2", "instrument_name"), QStringLiteral("Moku"));
            QCOMPARE(readDoubles(file, "/dev2/s2/u").size(), std::size_t(100));
            H5Fclose(file);
        } else {
            const CsvFile f = readCsv(QDir(opts.path).filePath(QStringLiteral("dev2_s2.csv")));
            QCOMPARE(f.columns, QStringLiteral("time_s,u [A],v [B]"));
            QVERIFY(f.header.contains(QStringLiteral("# instrument_name: Moku")));
            QCOMPARE(f.rows.size(), std::size_t(100));
        }
    }
}

void TestRecorderLosses::channelCountChangeStartsNewGroup()
{
    QTemporaryDir dir;
    for (Format format : { Format::Hdf5, Format::Csv }) {
        RecordingOptions opts = options(format, target(dir, format));
        Recorder rec;
        rec.setStreams(
            Dev1, { stream(QStringLiteral("pcap"), { QStringLiteral("a"), QStringLiteral("b") }, {}, true) });
        QString error;
        QVERIFY(rec.start(opts, &error));
        rec.consume(block(0, 100, 2, QStringLiteral("pcap")));
        rec.consume(block(100, 100, 2, QStringLiteral("pcap")));
        rec.setStreams(Dev1,
            { stream(QStringLiteral("pcap"),
                { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }, {}, true) });
        rec.consume(block(200, 100, 3, QStringLiteral("pcap")));
        rec.consume(block(300, 50, 3, QStringLiteral("pcap")));
        rec.stop();
        const RecorderStats st = rec.stats();
        QCOMPARE(st.streams.size(), 2);
        QCOMPARE(st.streams[0].generation, 1);
        QCOMPARE(st.streams[0].samples, quint64(200));
        QCOMPARE(st.streams[1].generation, 2);
        QCOMPARE(st.streams[1].samples, quint64(150));
        QCOMPARE(st.lostSamples, quint64(0));
        if (format == Format::Hdf5) {
            QCOMPARE(st.streams[1].group, QStringLiteral("/dev1/pcap_2"));
            hid_t file = H5Fopen(opts.path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
            QCOMPARE(readDoubles(file, "/dev1/pcap/b").size(), std::size_t(200));
            QCOMPARE(readDoubles(file, "/dev1/pcap/c").size(), std::size_t(0)); // no such dataset
            QCOMPARE(readDoubles(file, "/dev1/pcap_2/c").size(), std::size_t(150));
            QCOMPARE(readNumberAttr(file, "/dev1/pcap", "samples"), 200.0);
            QCOMPARE(readNumberAttr(file, "/dev1/pcap_2", "generation"), 2.0);
            H5Fclose(file);
        } else {
            const CsvFile f1 = readCsv(QDir(opts.path).filePath(QStringLiteral("dev1_pcap.csv")));
            const CsvFile f2 = readCsv(QDir(opts.path).filePath(QStringLiteral("dev1_pcap_2.csv")));
            QCOMPARE(f1.columns, QStringLiteral("time_s,a,b"));
            QCOMPARE(f1.rows.size(), std::size_t(200));
            QCOMPARE(f1.comments.last(),
                QStringLiteral("# end: samples=200 dropped=0 device_lost=0 overflow_blocks=0 stops=0 restarts=0 outages=0 outage_s=0"));
            QCOMPARE(f2.columns, QStringLiteral("time_s,a,b,c"));
            QCOMPARE(f2.rows.size(), std::size_t(150));
        }
    }
}

void TestRecorderLosses::stopTwiceAndIdleConsume()
{
    QTemporaryDir dir;
    Recorder rec;
    QSignalSpy stopped(&rec, &Recorder::stopped);
    rec.stop(); // never started
    rec.consume(block(0)); // not recording: ignored, not counted
    QCOMPARE(rec.stats().droppedSamples, quint64(0));
    QString error;
    const RecordingOptions opts = options(Format::Hdf5, target(dir, Format::Hdf5));
    QVERIFY(rec.start(opts, &error));
    QVERIFY(rec.isRecording());
    QVERIFY(!rec.start(opts, &error));
    QVERIFY(error.contains(QStringLiteral("already")));
    rec.consume(block(0));
    rec.stop();
    rec.stop();
    QVERIFY(!rec.isRecording());
    QCOMPARE(stopped.count(), 1);
    rec.consume(block(100));
    QCOMPARE(rec.stats().streams.value(0).samples, quint64(100));
    { // destroyed while recording: the file is still complete
        Recorder r2;
        QVERIFY(r2.start(options(Format::Hdf5, dir.filePath(QStringLiteral("r2.h5"))), &error));
        r2.consume(block(0));
    }
    QCOMPARE(h5Attr(dir.filePath(QStringLiteral("r2.h5")), "/dev1/s", "samples"), 100.0);
    Recorder r3;
    QVERIFY(r3.start(options(Format::Null, QString()), &error));
    r3.consume(block(0));
    r3.stop();
    QCOMPARE(r3.stats().streams.value(0).samples, quint64(100));
}

void TestRecorderLosses::startErrorsNamePathAndReason()
{
    QTemporaryDir dir;
    QFile plain(dir.filePath(QStringLiteral("plainfile")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    Recorder rec;
    QString error;
    const QString h5 = dir.filePath(QStringLiteral("plainfile/sub/r.h5"));
    QVERIFY(!rec.start(options(Format::Hdf5, h5), &error));
    QVERIFY2(error.contains(h5) && error.contains(QStringLiteral("Not a directory")), qPrintable(error));
    QVERIFY(!rec.isRecording());
    const QString csvDir = dir.filePath(QStringLiteral("plainfile/csv"));
    QVERIFY(!rec.start(options(Format::Csv, csvDir), &error));
    QVERIFY2(error.contains(csvDir), qPrintable(error));
    QVERIFY(!rec.start(options(Format::Hdf5, QString()), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(rec.start(options(Format::Hdf5, dir.filePath(QStringLiteral("ok.h5"))), &error)); // still usable
    rec.stop();
}

void TestRecorderLosses::csvDiskFullStopsCleanly()
{
    if (!QFileInfo(QStringLiteral("/dev/full")).isWritable())
        QSKIP("/dev/full is not available");
    QTemporaryDir dir;
    const QString csvDir = dir.filePath(QStringLiteral("csv"));
    QVERIFY(QDir().mkpath(csvDir));
    const QString full = QDir(csvDir).filePath(QStringLiteral("dev1_s.csv"));
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), full));
    RecordingOptions opts = options(Format::Csv, csvDir);
    opts.flushIntervalS = 10; // the failure comes from the full 1 MiB buffer
    Recorder rec;
    rec.setStreams(Dev1, OneStream);
    RecorderSignals sig(&rec);
    QString error;
    QVERIFY(rec.start(opts, &error));
    rec.consume(block(0, 100, 1, QStringLiteral("t")));
    rec.consume(block(0, 100000));
    QTRY_COMPARE_WITH_TIMEOUT(sig.errors.size(), 1, 5000);
    const QString message = sig.errors.first();
    QVERIFY2(message.contains(full) && message.contains(QStringLiteral("No space left on device")),
        qPrintable(message));
    QTRY_COMPARE_WITH_TIMEOUT(sig.stopped, 1, 5000);
    QVERIFY(!rec.isRecording());
    rec.stop();
    QCOMPARE(rec.stats().lastError, message);
    const CsvFile t = readCsv(QDir(csvDir).filePath(QStringLiteral("dev1_t.csv")));
    QCOMPARE(t.rows.size(), std::size_t(100));
    QCOMPARE(
        t.comments.value(0), QStringLiteral("# end: samples=100 dropped=0 device_lost=0 overflow_blocks=0 stops=0 restarts=0 outages=0 outage_s=0"));
}

void TestRecorderLosses::hdf5WriteFailureStopsCleanly()
{
    // A file-size limit makes every write beyond 1 MiB fail with EFBIG, like a full disk.
    QTemporaryDir dir;
    rlimit old {};
    QVERIFY(getrlimit(RLIMIT_FSIZE, &old) == 0);
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 1 << 20;
    const QString path = dir.filePath(QStringLiteral("r.h5"));
    Recorder rec;
    rec.setStreams(Dev1, OneStream);
    RecorderSignals sig(&rec);
    QString error;
    QVERIFY(rec.start(options(Format::Hdf5, path), &error));
    QVERIFY(setrlimit(RLIMIT_FSIZE, &small) == 0);
    for (quint64 k = 0; k < 8; ++k)
        rec.consume(block(k * 65536, 65536));
    const bool gotError = QTest::qWaitFor([&] { return sig.errors.size() == 1; }, 5000);
    rec.stop();
    setrlimit(RLIMIT_FSIZE, &old);
    QVERIFY(gotError);
    const QString message = sig.errors.first();
    QVERIFY2(
        message.contains(path) && message.contains(QStringLiteral("File too large")), qPrintable(message));
    QVERIFY(!rec.isRecording());
    QVERIFY(rec.start(
        options(Format::Hdf5, dir.filePath(QStringLiteral("again.h5"))), &error)); // the app goes on
    rec.consume(block(0));
    rec.stop();
    QCOMPARE(rec.stats().streams.value(0).samples, quint64(100));
}

QTEST_GUILESS_MAIN(TestRecorderLosses)
#include "test_recorder_losses.moc"
