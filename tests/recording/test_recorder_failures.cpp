// SPDX-License-Identifier: GPL-3.0-or-later
// Faults inflicted for real: a file-size limit (writes fail with EFBIG past it, like a full disk),
// /dev/full, a process killed with SIGKILL. Afterwards the files open, the channels of a stream
// are equally long, the rows on disk are the samples reported written, and written + dropped is
// what was offered.
#include "OverviewTestUtil.h"
#include "RecordingTestUtil.h"
#include "RecordingWriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <thread>

using namespace bs;
using namespace bs::test;

namespace {

const QString Dev1 = QStringLiteral("dev1");
constexpr double Dt = 1.0 / 65536;
using Format = RecordingOptions::Format;

const QVector<StreamInfo> TwoChannels { stream(QStringLiteral("s"), { QStringLiteral("a"), QStringLiteral("b") },
    { QStringLiteral("V"), QStringLiteral("A") }, true, 65536) };

/// Channel a holds the sample index, b its negative: a reader can check every row.
MutableSampleBlockPtr indexBlock(quint64 first, std::size_t n, const QString &id = QStringLiteral("s"))
{
    auto b = SampleBlock::make(Dev1, id, 2, n, false);
    b->firstIndex = first;
    b->dt = Dt;
    b->t0 = double(first) * Dt;
    for (std::size_t i = 0; i < n; ++i) {
        b->channel(0)[i] = double(first + i);
        b->channel(1)[i] = -double(first + i);
    }
    return b;
}

/// Sets RLIMIT_FSIZE for this process while it lives (SIGXFSZ ignored: writes fail with EFBIG).
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = m_old;
        small.rlim_cur = bytes;
        m_ok = setrlimit(RLIMIT_FSIZE, &small) == 0;
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &m_old); }
    bool ok() const { return m_ok; }

private:
    rlimit m_old {};
    bool m_ok = false;
};

/// What an HDF5 stream group holds, read with the plain C API.
struct H5Stream
{
    bool opened = false;
    std::vector<double> a, b;
    double samplesAttr = NAN, droppedAttr = NAN;
};

H5Stream readH5Stream(const QString &path, const char *group)
{
    H5Stream s;
    hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return s;
    hid_t g = H5Gopen2(file, group, H5P_DEFAULT);
    s.opened = g >= 0;
    if (g >= 0)
        H5Gclose(g);
    s.a = readDoubles(file, (QByteArray(group) + "/a").constData());
    s.b = readDoubles(file, (QByteArray(group) + "/b").constData());
    s.samplesAttr = readNumberAttr(file, group, "samples");
    s.droppedAttr = readNumberAttr(file, group, "dropped_samples");
    H5Fclose(file);
    return s;
}

/// Rows of /dev1/s/a in the file at `path`.
quint64 h5Count(const QString &path)
{
    hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const quint64 n = readDoubles(file, "/dev1/s/a").size();
    H5Fclose(file);
    return n;
}

/// Every row of channel a is its index, of b the negative (what indexBlock() wrote).
bool rowsIntact(const H5Stream &s)
{
    for (std::size_t i = 0; i < s.a.size(); ++i) {
        if (s.a[i] != double(i) || s.b[i] != -double(i)) {
            qWarning("row %zu of %zu: a=%g b=%g", i, s.a.size(), s.a[i], s.b[i]);
            return false;
        }
    }
    return true;
}

/// What a recording under a file-size limit left: its stats (read after stop()) and signals.
struct FullDiskRun
{
    bool started = false;
    QString startError;
    RecorderStats stats;
    QStringList errors;
    int stopped = 0;
};

/// Records `blocks` index blocks of `rows` rows, every block reaching the writer, with files
/// limited to `limitBytes` (EFBIG past it, as on a full disk), until the recorder stops by itself.
FullDiskRun recordOnFullDisk(Format format, const QString &path, rlim_t limitBytes, quint64 blocks, quint64 rows)
{
    FullDiskRun run;
    Recorder rec;
    rec.setStreams(Dev1, TwoChannels);
    RecorderSignals sig(&rec);
    {
        FileSizeLimit limit(limitBytes);
        if (!limit.ok()) {
            run.startError = QStringLiteral("setrlimit(RLIMIT_FSIZE) failed");
            return run;
        }
        RecordingOptions opts = options(format, path);
        opts.maxQueueSeconds = 0; // every block reaches the writer
        run.started = rec.start(opts, &run.startError);
        if (!run.started)
            return run;
        for (quint64 k = 0; k < blocks; ++k)
            rec.consume(indexBlock(k * rows, rows));
        [[maybe_unused]] const bool stopped = QTest::qWaitFor([&] { return sig.stopped == 1; }, 20000);
        rec.stop();
        run.stats = rec.stats();
    }
    run.errors = sig.errors;
    run.stopped = sig.stopped;
    return run;
}

// ---- child process: records until killed ----

/// Records index blocks of stream s to `path` (HDF5) with no periodic flush; the one flush comes
/// when stream t appears (a new stream is flushed at once, with everything buffered). Prints "ready <rows flushed>" and goes on writing s (raw data, no flush) until killed.
int childRecordUntilKilled(const QString &path)
{
    RecordingOptions opts = options(Format::Hdf5, path);
    opts.flushIntervalS = 1e6; // no periodic flush: the kill comes between flushes, deterministically
    Recorder rec;
    rec.setStreams(Dev1, TwoChannels);
    QString error;
    if (!rec.start(opts, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    auto drain = [&rec] {
        while (rec.queuedBytes() > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    };
    constexpr std::size_t Block = 3000; // not a multiple of the chunk (65536 rows at 65536 S/s)
    quint64 next = 0;
    while (next < 200000) {
        rec.consume(indexBlock(next, Block));
        next += Block;
    }
    drain();
    rec.consume(indexBlock(0, Block, QStringLiteral("t")));
    drain();
    if (rec.stats().streams.size() != 2)
        return 3;
    std::printf("ready %llu\n", static_cast<unsigned long long>(next));
    std::fflush(stdout);
    for (;;) { // more whole chunks of s reach the file as raw data; its metadata is not flushed
        rec.consume(indexBlock(next, Block));
        next += Block;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

} // namespace

class TestRecorderFailures : public QObject
{
    Q_OBJECT
private slots:
    void hdf5FullDiskKeepsTheFileReadable();
    void csvFullDiskWritesWholeLines();
    void devFullCountsWhatWasNotWritten();
    void blocksAfterAFailureAreCounted();
    void failedHdf5CreateRemovesOnlyItsOwnFile();
    void queueIsBoundedByTime();
    void hdf5KilledRecordingKeepsTheLastFlush();
};

void TestRecorderFailures::hdf5FullDiskKeepsTheFileReadable()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("full.h5"));
    constexpr quint64 Blocks = 60, Rows = 10000; // 9.6 MB of samples for a 3 MiB "disk"
    const FullDiskRun run = recordOnFullDisk(Format::Hdf5, path, 3 << 20, Blocks, Rows);
    QVERIFY2(run.started, qPrintable(run.startError));
    const RecorderStats &st = run.stats;
    QCOMPARE(run.stopped, 1);
    QCOMPARE(run.errors.size(), 1);
    QVERIFY2(run.errors.first().contains(path) && run.errors.first().contains(QStringLiteral("File too large")),
        qPrintable(run.errors.first()));
    QCOMPARE(st.streams.size(), 1);
    const StreamRecordStats &s = st.streams.first();
    QCOMPARE(s.samples + s.droppedSamples, Blocks * Rows);
    QCOMPARE(st.droppedSamples, s.droppedSamples);
    QVERIFY2(s.samples > 0 && s.droppedSamples > 0, qPrintable(QString::number(s.samples)));
    const H5Stream f = readH5Stream(path, "/dev1/s");
    QVERIFY(f.opened);
    QCOMPARE(f.a.size(), f.b.size());
    QCOMPARE(quint64(f.a.size()), s.samples);
    QVERIFY(rowsIntact(f));
    QCOMPARE(f.samplesAttr, double(s.samples)); // closed properly: totals written
    // Blocks that came after the file was closed are counted in the stats only.
    QVERIFY2(f.droppedAttr > 0 && f.droppedAttr <= double(s.droppedSamples), qPrintable(QString::number(f.droppedAttr)));
    QCOMPARE(s.lastTime, double(s.samples - 1) * Dt);
    qInfo("3 MiB limit: %llu rows in the file, %llu dropped (file: %g)", static_cast<unsigned long long>(s.samples),
        static_cast<unsigned long long>(s.droppedSamples), f.droppedAttr);
}

void TestRecorderFailures::csvFullDiskWritesWholeLines()
{
    QTemporaryDir dir;
    const QString csvDir = dir.filePath(QStringLiteral("csv"));
    constexpr quint64 Blocks = 40, Rows = 10000;
    const FullDiskRun run = recordOnFullDisk(Format::Csv, csvDir, (3 << 20) + 7 /* mid-line */, Blocks, Rows);
    QVERIFY2(run.started, qPrintable(run.startError));
    const RecorderStats &st = run.stats;
    const QString file = QDir(csvDir).filePath(QStringLiteral("dev1_s.csv"));
    QCOMPARE(run.stopped, 1);
    QCOMPARE(run.errors.size(), 1);
    QVERIFY2(run.errors.first().contains(file) && run.errors.first().contains(QStringLiteral("File too large")),
        qPrintable(run.errors.first()));
    QFile raw(file);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QByteArray text = raw.readAll();
    QVERIFY(text.endsWith('\n')); // no line cut mid-value
    const CsvFile f = readCsv(file);
    QCOMPARE(f.columns, QStringLiteral("time_s,a [V],b [A]"));
    for (std::size_t i = 0; i < f.rows.size(); ++i) {
        QCOMPARE(f.rows[i].size(), std::size_t(3));
        QCOMPARE(f.rows[i][1], double(i));
        QCOMPARE(f.rows[i][2], -double(i));
    }
    const StreamRecordStats &s = st.streams.value(0);
    QCOMPARE(quint64(f.rows.size()), s.samples);
    QCOMPARE(s.samples + s.droppedSamples, Blocks * Rows);
    QVERIFY(s.droppedSamples > 0);
    QCOMPARE(st.droppedSamples, s.droppedSamples);
    // The end line holds the totals at close; blocks the test hands over after the writer has
    // closed the file (it races the writer on a slow machine) are counted in the stats only, and
    // only whole blocks can arrive that late.
    const QRegularExpression endLine(QStringLiteral("^# end: samples=(\\d+) dropped=(\\d+) device_lost=0 overflow_blocks=0 stops=0 restarts=0 outages=0 outage_s=0$"));
    const QRegularExpressionMatch end = endLine.match(f.comments.value(f.comments.size() - 1));
    QVERIFY2(end.hasMatch(), qPrintable(f.comments.value(f.comments.size() - 1)));
    QCOMPARE(end.captured(1).toULongLong(), s.samples);
    const quint64 droppedInFile = end.captured(2).toULongLong();
    QVERIFY(droppedInFile > 0 && droppedInFile <= s.droppedSamples);
    QCOMPARE((s.droppedSamples - droppedInFile) % Rows, quint64(0));
}

void TestRecorderFailures::devFullCountsWhatWasNotWritten()
{
    if (!QFileInfo(QStringLiteral("/dev/full")).isWritable())
        QSKIP("/dev/full is not available");
    QTemporaryDir dir;
    const QString csvDir = dir.filePath(QStringLiteral("csv"));
    QVERIFY(QDir().mkpath(csvDir));
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), QDir(csvDir).filePath(QStringLiteral("dev1_s.csv"))));
    RecordingOptions opts = options(Format::Csv, csvDir);
    Recorder rec;
    rec.setStreams(Dev1, TwoChannels);
    RecorderSignals sig(&rec);
    QString error;
    QVERIFY(rec.start(opts, &error));
    rec.consume(indexBlock(0, 100000));
    QTRY_COMPARE_WITH_TIMEOUT(sig.stopped, 1, 20000);
    rec.stop();
    const RecorderStats st = rec.stats();
    QCOMPARE(st.streams.size(), 1);
    QCOMPARE(st.streams[0].samples, quint64(0));
    QCOMPARE(st.streams[0].droppedSamples, quint64(100000));
    QCOMPARE(st.droppedSamples, quint64(100000));
    QVERIFY(std::isnan(st.streams[0].lastTime));
    QVERIFY2(st.lastError.contains(QStringLiteral("No space left on device")), qPrintable(st.lastError));
}

void TestRecorderFailures::blocksAfterAFailureAreCounted()
{
    if (!QFileInfo(QStringLiteral("/dev/full")).isWritable())
        QSKIP("/dev/full is not available");
    QTemporaryDir dir;
    const QString csvDir = dir.filePath(QStringLiteral("csv"));
    QVERIFY(QDir().mkpath(csvDir));
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), QDir(csvDir).filePath(QStringLiteral("dev1_s.csv"))));
    RecordingOptions opts = options(Format::Csv, csvDir);
    opts.flushIntervalS = 0.01;
    Recorder rec;
    rec.setStreams(Dev1, TwoChannels);
    RecorderSignals sig(&rec);
    QString error;
    QVERIFY(rec.start(opts, &error));
    rec.consume(indexBlock(0, 1000));
    QTRY_COMPARE_WITH_TIMEOUT(sig.stopped, 1, 20000);
    // The driver has not been told yet: its blocks are counted, device losses included.
    auto late = indexBlock(1500, 1000); // 500 samples the device lost before it
    late->lostBefore = 500;
    late->flags |= SampleBlock::DataLost;
    rec.consume(late);
    rec.consume(indexBlock(2500, 1000, QStringLiteral("other")));
    RecorderStats st = rec.stats();
    QCOMPARE(st.droppedSamples, quint64(3000));
    QCOMPARE(st.lostSamples, quint64(500));
    QCOMPARE(st.streams.size(), 2);
    QCOMPARE(st.streams[0].samples, quint64(0));
    QCOMPARE(st.streams[0].droppedSamples, quint64(2000));
    QCOMPARE(st.streams[0].deviceLostSamples, quint64(500));
    QCOMPARE(st.streams[0].overflowBlocks, quint64(1));
    QCOMPARE(st.streams[1].streamId, QStringLiteral("other"));
    QCOMPARE(st.streams[1].droppedSamples, quint64(1000));
    QVERIFY(!st.lastError.isEmpty());
    rec.stop(); // now the recording is over: later blocks are not part of it
    rec.consume(indexBlock(3500, 1000));
    QCOMPARE(rec.stats().droppedSamples, quint64(3000));
}

void TestRecorderFailures::failedHdf5CreateRemovesOnlyItsOwnFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new.h5"));
    const QString existing = dir.filePath(QStringLiteral("existing.h5"));
    {
        QFile f(existing);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    Recorder rec;
    QString error1, error2;
    {
        FileSizeLimit limit(0);
        QVERIFY(limit.ok());
        QVERIFY(!rec.start(options(Format::Hdf5, path), &error1));
        QVERIFY(!rec.start(options(Format::Hdf5, existing), &error2));
    }
    QVERIFY2(error1.contains(path) && error1.contains(QStringLiteral("File too large")), qPrintable(error1));
    QVERIFY(!QFileInfo::exists(path)); // no 0-byte file left behind
    QVERIFY(QFileInfo::exists(existing)); // not ours: not removed
    QVERIFY(!error2.isEmpty());
}

void TestRecorderFailures::queueIsBoundedByTime()
{
    // A writer that does not keep up: at most ~1 s of each stream's data waits in memory.
    QTemporaryDir dir;
    for (double bound : { 1.0, 0.0 }) {
        RecordingOptions opts = options(Format::Hdf5, dir.filePath(QStringLiteral("q%1.h5").arg(bound)));
        opts.maxQueueSeconds = bound;
        Recorder rec;
        rec.setStreams(Dev1, TwoChannels);
        QString error;
        QVERIFY(rec.start(opts, &error));
        rec.setWriterPaused(true);
        constexpr quint64 Rows = 16384; // 0.25 s per block at 65536 S/s
        for (quint64 k = 0; k < 10; ++k)
            rec.consume(indexBlock(k * Rows, Rows));
        const RecorderStats during = rec.stats();
        rec.stop();
        const RecorderStats st = rec.stats();
        if (bound > 0) {
            // Four blocks span exactly 1 s (last sample - first t0 < 1 s); the fifth would exceed it.
            QCOMPARE(during.droppedSamples, 6 * Rows);
            QCOMPARE(st.streams.value(0).samples, 4 * Rows);
            QCOMPARE(st.streams.value(0).droppedSamples, 6 * Rows);
            QCOMPARE(h5Count(opts.path), 4 * Rows);
        } else {
            QCOMPARE(during.droppedSamples, quint64(0));
            QCOMPARE(st.streams.value(0).samples, 10 * Rows);
        }
    }
    // A stream of unknown rate (irregular, no nominal rate): bounded by the time its queue spans.
    RecordingOptions opts = options(Format::Hdf5, dir.filePath(QStringLiteral("irregular.h5")));
    opts.maxQueueSeconds = 1.0;
    Recorder rec;
    rec.setStreams(Dev1, { stream(QStringLiteral("trig"), { QStringLiteral("v") }, {}, false) });
    QString error;
    QVERIFY(rec.start(opts, &error));
    rec.setWriterPaused(true);
    constexpr std::size_t N = 1000; // 0.25 s per block
    for (quint64 k = 0; k < 10; ++k) {
        auto b = SampleBlock::make(Dev1, QStringLiteral("trig"), 1, N, true);
        b->firstIndex = k * N;
        for (std::size_t i = 0; i < N; ++i)
            b->times[i] = double(k) * 0.25 + double(i) * (0.25 / N);
        b->t0 = b->times[0];
        rec.consume(b);
    }
    QCOMPARE(rec.stats().droppedSamples, quint64(6 * N));
    rec.stop();
    QCOMPARE(rec.stats().streams.value(0).samples, quint64(4 * N));
}

void TestRecorderFailures::hdf5KilledRecordingKeepsTheLastFlush()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("killed.h5"));
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BS_RECORD_UNTIL_KILLED"), path);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted(20000));
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (!out.contains('\n') && t.elapsed() < 60000 && child.state() == QProcess::Running) {
        child.waitForReadyRead(200);
        out += child.readAllStandardOutput();
    }
    QVERIFY2(out.startsWith("ready "), out.constData() + child.readAllStandardError());
    const quint64 flushed = out.mid(6).trimmed().toULongLong();
    QThread::msleep(300); // more rows written, never flushed (no timing depends on it)
    ::kill(pid_t(child.processId()), SIGKILL);
    QVERIFY(child.waitForFinished(20000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    const H5Stream f = readH5Stream(path, "/dev1/s");
    QVERIFY(f.opened);
    QCOMPARE(f.a.size(), f.b.size());
    QCOMPARE(quint64(f.a.size()), flushed); // exactly the state of the last flush
    QVERIFY(rowsIntact(f));
    QVERIFY(readH5Stream(path, "/dev1/t").opened);
    // The time base is there too: the segment table describes the rows.
    hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const auto segs = readTable(file, "/dev1/s/segments", { "file_row", "sample_index", "t0", "dt" });
    H5Fclose(file);
    QCOMPARE(segs.size(), std::size_t(1));
    QCOMPARE(segs[0], (std::vector<double> { 0, 0, 0, Dt }));
    // The overview holds the complete nodes of the flushed rows, equal to their samples.
    QCOMPARE(verifyOverview(path, false), std::size_t(2 * (flushed / 4096 + flushed / 65536)));
}

int main(int argc, char *argv[])
{
    const QByteArray childPath = qgetenv("BS_RECORD_UNTIL_KILLED");
    if (!childPath.isEmpty()) {
        QCoreApplication app(argc, argv);
        return childRecordUntilKilled(QString::fromLocal8Bit(childPath));
    }
    QCoreApplication app(argc, argv);
    TestRecorderFailures t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_recorder_failures.moc"
