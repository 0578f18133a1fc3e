// SPDX-License-Identifier: GPL-3.0-or-later
// CSV export of an HDF5 recording must be byte-identical to what CsvWriter writes for the same
// blocks: same file names, header, rows (NaN, segments, irregular times), gap lines and totals.
#include "CsvExport.h"
#include "RecordingTestUtil.h"

#include <QDirIterator>
#include <QTemporaryDir>

#include <thread>

using namespace bs;
using namespace bs::test;

namespace {

const QString Dev1 = QStringLiteral("dev1");
using Format = RecordingOptions::Format;

QVector<StreamInfo> dev1Streams()
{
    return { stream(QStringLiteral("wave"), { QStringLiteral("a,b"), QStringLiteral("c\"d") },
                 { QStringLiteral("V"), QStringLiteral("µ\"m") }, true, 1e5),
        stream(QStringLiteral("trig"), { QStringLiteral("pos") }, { QStringLiteral("counts") }, false),
        stream(QStringLiteral("pcap"), { QStringLiteral("x"), QStringLiteral("y") }, {}, true) };
}

/// Waits until the writer has taken everything (keeps the feed free of unplanned drops).
void drain(const Recorder &rec)
{
    while (rec.queuedBytes() > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(100));
}

/// Records a feed with every feature the export has to reproduce; the writer is paused once so
/// that the queue overflows at a known point.
void recordFeed(const RecordingOptions &base)
{
    RecordingOptions opts = base;
    opts.queueBudgetBytes = 2 << 20;
    Recorder rec;
    rec.setStreams(Dev1, dev1Streams());
    QString error;
    QVERIFY2(rec.start(opts, &error), qPrintable(error));
    std::mt19937_64 rng(2024);
    quint64 wi = 0, ti = 0, pi = 0;
    double tt = 0;
    auto event = [&rec](InstrumentEvent::Kind kind, const QString &stream, double t, const QString &text,
                     bool complete = true) {
        InstrumentEvent e;
        e.kind = kind;
        e.instrumentId = Dev1;
        e.streamId = stream;
        e.time = t;
        e.text = text;
        e.complete = complete;
        e.details = QJsonObject { { QStringLiteral("capture"), 1 }, { QStringLiteral("note"), QStringLiteral("a,\"b\"\nc") } };
        rec.event(e);
    };
    // Before any stream exists: held, then written into each stream of dev1.
    event(InstrumentEvent::Kind::Warning, {}, NAN, QStringLiteral("PCAP.TRIG refused"));
    for (int k = 0; k < 40; ++k) {
        drain(rec);
        if (k == 4)
            event(InstrumentEvent::Kind::CaptureStarted, QStringLiteral("trig"), tt, {});
        if (k == 12)
            event(InstrumentEvent::Kind::CaptureEnded, QStringLiteral("trig"), tt, QStringLiteral("Data overrun"), false);
        if (k == 21)
            event(InstrumentEvent::Kind::Warning, QStringLiteral("wave"), 0.3, QStringLiteral("clock quantised"));
        const std::size_t n = 1000 + rng() % 6000;
        if (k == 9)
            wi += 123; // index gap
        auto w = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, n, wi, 1e-5, 0.1);
        if (k == 14)
            w->t0 += 0.5; // t0 jump: new segment
        if (k == 20)
            w->lostBefore = 77;
        if (k == 25)
            w->flags = SampleBlock::Overflow;
        wi += n;
        if (k == 30) { // the writer stalls: with a tiny budget two blocks are dropped
            rec.setWriterPaused(true);
            rec.consume(w);
            auto d1 = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, 500, wi, 1e-5, 0.1);
            auto d2 = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, 500, wi + 500, 1e-5, 0.1);
            wi += 1000;
            // The budget is checked against what is queued: fill it up to the limit.
            const qint64 room = (2 << 20) - rec.queuedBytes();
            auto filler
                = regularBlock(rng, Dev1, QStringLiteral("pcap"), 2, std::size_t(room / 16), pi, 1e-3);
            pi += filler->sampleCount;
            rec.consume(filler);
            rec.consume(d1);
            rec.consume(d2);
            QVERIFY2(rec.stats().lastError.isEmpty(), qPrintable(rec.stats().lastError));
            QCOMPARE(rec.stats().droppedSamples, quint64(1000));
            rec.setWriterPaused(false);
            continue;
        }
        rec.consume(w);
        if (k % 4 == 0) {
            auto t = irregularBlock(rng, Dev1, QStringLiteral("trig"), 1, 1 + rng() % 300, ti, &tt);
            ti += t->sampleCount;
            rec.consume(t);
        }
        if (k == 33) {
            auto empty = SampleBlock::make(Dev1, QStringLiteral("trig"), 1, 0, true);
            empty->firstIndex = ti + 5;
            empty->t0 = tt;
            empty->lostBefore = 5;
            ti += 5;
            rec.consume(empty);
            // An end right after a loss at the same row: the export must keep the writer's order.
            event(InstrumentEvent::Kind::CaptureEnded, QStringLiteral("trig"), tt, QStringLiteral("Ok"));
        }
        if (k == 35) // channel-count change
            rec.setStreams(Dev1,
                { dev1Streams()[0], dev1Streams()[1],
                    stream(QStringLiteral("pcap"),
                        { QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z") }, {}, true) });
        if (k % 7 == 0) {
            auto p = regularBlock(rng, Dev1, QStringLiteral("pcap"), k >= 35 ? 3 : 2, 50, pi, 1e-3);
            pi += 50;
            rec.consume(p);
        }
        if (k == 38) {
            auto o = regularBlock(rng, QStringLiteral("other/inst"), QStringLiteral("x"), 1, 10, 0, 0.5);
            rec.consume(o);
        }
    }
    rec.stop();
    QVERIFY(rec.stats().lastError.isEmpty());
}

QStringList filesIn(const QString &dir)
{
    QStringList names = QDir(dir).entryList(QDir::Files, QDir::Name);
    return names;
}

} // namespace

class TestCsvExport : public QObject
{
    Q_OBJECT
private slots:
    void exportIsByteIdenticalToCsvWriter();
    void exportErrors();
};

void TestCsvExport::exportIsByteIdenticalToCsvWriter()
{
    QTemporaryDir dir;
    dir.setAutoRemove(qEnvironmentVariableIsEmpty("BS_KEEP_OUTPUT"));
    const QString csvDir = dir.filePath(QStringLiteral("direct")),
                  h5 = dir.filePath(QStringLiteral("rec.h5")),
                  outDir = dir.filePath(QStringLiteral("exported"));
    recordFeed(options(Format::Csv, csvDir));
    if (QTest::currentTestFailed())
        return;
    recordFeed(options(Format::Hdf5, h5));
    if (QTest::currentTestFailed())
        return;
    QStringList written;
    QString error;
    QVERIFY2(exportCsv(h5, outDir, &written, &error), qPrintable(error));
    const QStringList names = filesIn(csvDir);
    QCOMPARE(names,
        (QStringList { QStringLiteral("dev1_pcap.csv"), QStringLiteral("dev1_pcap_2.csv"),
            QStringLiteral("dev1_trig.csv"), QStringLiteral("dev1_wave.csv"),
            QStringLiteral("other_inst_x.csv") }));
    QCOMPARE(filesIn(outDir).join(QLatin1Char(' ')), names.join(QLatin1Char(' ')));
    QCOMPARE(written.size(), names.size());
    for (const QString &name : names) {
        QFile a(QDir(csvDir).filePath(name)), b(QDir(outDir).filePath(name));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray da = a.readAll(), db = b.readAll();
        if (da != db) {
            const QList<QByteArray> la = da.split('\n'), lb = db.split('\n');
            for (qsizetype i = 0; i < std::min(la.size(), lb.size()); ++i)
                QVERIFY2(la[i] == lb[i],
                    qPrintable(QStringLiteral("%1 line %2:\n  %3\n  %4")
                                   .arg(name)
                                   .arg(i + 1)
                                   .arg(QString::fromUtf8(la[i]), QString::fromUtf8(lb[i]))));
            QCOMPARE(la.size(), lb.size());
        }
    }
    // Capture boundaries and warnings are in the files, at their rows, in the writer's order.
    auto text = [&](const QString &name) {
        QFile f(QDir(csvDir).filePath(name));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    };
    for (const QString &name : { QStringLiteral("dev1_wave.csv"), QStringLiteral("dev1_trig.csv"),
             QStringLiteral("dev1_pcap.csv"), QStringLiteral("dev1_pcap_2.csv") })
        QVERIFY2(text(name).contains(QStringLiteral("# warning at t=nan: {\"capture\":1,\"event\":\"warning\","
                                                    "\"note\":\"a,\\\"b\\\"\\nc\",\"text\":\"PCAP.TRIG refused\"}\n")),
            qPrintable(name));
    const QString trig = text(QStringLiteral("dev1_trig.csv"));
    QCOMPARE(trig.count(QStringLiteral("# capture_start at t=")), 1);
    QCOMPARE(trig.count(QStringLiteral("# capture_end at t=")), 2);
    QVERIFY(trig.contains(QStringLiteral("\"complete\":false,\"event\":\"capture_end\"")));
    QVERIFY(trig.contains(QStringLiteral("\"text\":\"Data overrun\"")));
    QVERIFY(trig.indexOf(QStringLiteral("# capture_start")) < trig.indexOf(QStringLiteral("# capture_end")));
    QVERIFY(text(QStringLiteral("dev1_wave.csv")).contains(QStringLiteral("\"text\":\"clock quantised\"")));
    QVERIFY(!text(QStringLiteral("other_inst_x.csv")).contains(QStringLiteral("# warning")));

    const CsvFile wave = readCsv(QDir(outDir).filePath(QStringLiteral("dev1_wave.csv")));
    QCOMPARE(wave.columns, QStringLiteral("time_s,\"a,b [V]\",\"c\"\"d [µ\"\"m]\""));
    QVERIFY(wave.rows.size() > 2 * 64 * 1024); // crosses the export's slabs
    QCOMPARE(wave.comments.size(), 7); // 2 warnings, index gap, lost, overflow flag, queue overflow, end
    QVERIFY(wave.comments.filter(QStringLiteral("lost=1000 (recorder queue overflow)")).size() == 1);
    QVERIFY(wave.comments.last().startsWith(QStringLiteral("# end: ")));
}

void TestCsvExport::exportErrors()
{
    QTemporaryDir dir;
    QStringList written;
    QString error;
    const QString missing = dir.filePath(QStringLiteral("missing.h5"));
    QVERIFY(!exportCsv(missing, dir.filePath(QStringLiteral("out")), &written, &error));
    QVERIFY2(error.contains(missing) && error.contains(QStringLiteral("No such file")), qPrintable(error));
    const QString foreign = dir.filePath(QStringLiteral("foreign.h5"));
    hid_t f = H5Fcreate(foreign.toLocal8Bit().constData(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    QVERIFY(!exportCsv(foreign, dir.filePath(QStringLiteral("out")), &written, &error));
    QVERIFY2(error.contains(foreign) && error.contains(QStringLiteral("not a BenchScope recording")),
        qPrintable(error));
    QVERIFY(written.isEmpty());
}

QTEST_GUILESS_MAIN(TestCsvExport)
#include "test_csv_export.moc"
