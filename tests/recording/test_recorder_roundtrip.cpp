// SPDX-License-Identifier: GPL-3.0-or-later
// Round trip through both writers: random regular and irregular blocks (NaN, inf, -0, denormals)
// are read back with the raw HDF5 C API / a plain CSV parser; values and times must be bit-exact.
#include "RecordingNames.h"
#include "RecordingTestUtil.h"
#include "RecordingWriter.h"
#include "SessionClock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace bs;
using namespace bs::test;

namespace {

const QString Dev1 = QStringLiteral("dev1");
const QString Dev9 = QStringLiteral("dev9");
constexpr double Dt = 1.0 / 1024; // exact: t0 + i*dt == base + (firstIndex + i)*dt

struct Feed
{
    QVector<StreamInfo> streams;
    std::vector<SampleBlockPtr> blocks;
    Expected wave, trig, x;
    quint64 gap = 0;
};

Feed makeFeed()
{
    Feed f;
    f.streams = { stream(QStringLiteral("wave"), { QStringLiteral("a"), QStringLiteral("b/c") },
                      { QStringLiteral("V"), QStringLiteral("µm") }, true, 1024),
        stream(QStringLiteral("trig"), { QStringLiteral("pos") }, { QStringLiteral("counts") }, false) };
    std::mt19937_64 rng(12345);
    quint64 wi = 0, ti = 0, xi = 0;
    double tt = 0;
    for (int k = 0; k < 40; ++k) {
        const std::size_t n = 1 + rng() % 3000;
        if (k == 17) { // one index gap: a new segment and an index_gap event
            wi += 50;
            f.gap = 50;
        }
        auto w = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, n, wi, Dt);
        wi += n;
        f.wave.add(*w);
        f.blocks.push_back(w);
        if (k % 3 == 0) {
            auto t = irregularBlock(rng, Dev1, QStringLiteral("trig"), 1, 1 + rng() % 500, ti, &tt);
            ti += t->sampleCount;
            f.trig.add(*t);
            f.blocks.push_back(t);
        }
        if (k % 5 == 0) { // never announced: channels become ch1..ch3
            auto x = regularBlock(rng, Dev9, QStringLiteral("x"), 3, 100, xi, 0.25, 10.0);
            xi += 100;
            f.x.add(*x);
            f.blocks.push_back(x);
        }
    }
    return f;
}

void compareBits(const std::vector<double> &got, const std::vector<double> &want, const char *what)
{
    QVERIFY2(got.size() == want.size(),
        qPrintable(QStringLiteral("%1: %2 rows, expected %3")
                       .arg(QLatin1String(what))
                       .arg(got.size())
                       .arg(want.size())));
    for (std::size_t i = 0; i < got.size(); ++i)
        QVERIFY2(sameBits(got[i], want[i]),
            qPrintable(QStringLiteral("%1 row %2: %3 != %4")
                           .arg(QLatin1String(what))
                           .arg(i)
                           .arg(got[i], 0, 'g', 17)
                           .arg(want[i], 0, 'g', 17)));
}

void compareCsv(const CsvFile &f, const Expected &e)
{
    QCOMPARE(f.rows.size(), e.times.size());
    for (std::size_t r = 0; r < f.rows.size(); ++r) {
        QCOMPARE(f.rows[r].size(), e.cols.size() + 1);
        QVERIFY2(sameCsvTime(f.rows[r][0], e.times[r]), qPrintable(QStringLiteral("time row %1").arg(r)));
        for (std::size_t c = 0; c < e.cols.size(); ++c)
            QVERIFY2(sameCsvValue(f.rows[r][c + 1], e.cols[c][r]),
                qPrintable(QStringLiteral("row %1 col %2").arg(r).arg(c)));
    }
}

} // namespace

class TestRecorderRoundTrip : public QObject
{
    Q_OBJECT
private slots:
    void hdf5RoundTrip();
    void csvRoundTrip();
    void inexactDtUsesSegmentTimes();
    void h5pyReadsRecording();
};

void TestRecorderRoundTrip::hdf5RoundTrip()
{
    QTemporaryDir dir;
    const Feed f = makeFeed();
    const QString path = dir.filePath(QStringLiteral("sub/rec.h5"));
    RecorderStats st;
    QVERIFY(record(options(RecordingOptions::Format::Hdf5, path), f.streams, f.blocks, &st));
    QVERIFY(!st.recording);
    QCOMPARE(st.droppedSamples, quint64(0));
    QCOMPARE(st.lostSamples, f.gap);
    QCOMPARE(st.streams.size(), 3);
    QCOMPARE(st.streams[0].group, QStringLiteral("/dev1/wave"));
    QCOMPARE(st.streams[0].file, QFileInfo(path).absoluteFilePath());
    QCOMPARE(st.streams[0].samples, quint64(f.wave.times.size()));
    QVERIFY(sameBits(st.streams[0].firstTime, f.wave.times.front()));
    QVERIFY(sameBits(st.streams[0].lastTime, f.wave.times.back()));
    QCOMPARE(st.bytesWritten,
        qint64((f.wave.times.size() * 2 + f.trig.times.size() * 2 + f.x.times.size() * 3) * 8));
    QVERIFY(st.fileBytes > st.bytesWritten);

    hid_t file = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(file >= 0);
    compareBits(readDoubles(file, "/dev1/wave/a"), f.wave.cols[0], "wave/a");
    compareBits(readDoubles(file, "/dev1/wave/b_c"), f.wave.cols[1], "wave/b_c");
    const auto segs = readTable(file, "/dev1/wave/segments", { "file_row", "sample_index", "t0", "dt" });
    QCOMPARE(segs.size(), std::size_t(2)); // first block, then the index gap
    QCOMPARE(segs[1][1] - segs[1][0], double(f.gap));
    compareBits(timesFromSegments(segs, f.wave.times.size()), f.wave.times, "wave times");
    compareBits(readDoubles(file, "/dev1/trig/pos"), f.trig.cols[0], "trig/pos");
    compareBits(readDoubles(file, "/dev1/trig/time"), f.trig.times, "trig/time");
    for (int c = 0; c < 3; ++c)
        compareBits(readDoubles(file, QStringLiteral("/dev9/x/ch%1").arg(c + 1).toUtf8().constData()),
            f.x.cols[std::size_t(c)], "x");
    compareBits(
        timesFromSegments(readTable(file, "/dev9/x/segments", { "file_row", "sample_index", "t0", "dt" }),
            f.x.times.size()),
        f.x.times, "x times");

    QCOMPARE(readStringAttr(file, "/dev1/wave/a", "unit"), QStringLiteral("V"));
    QCOMPARE(readStringAttr(file, "/dev1/wave/b_c", "unit"), QStringLiteral("µm"));
    QCOMPARE(readStringAttr(file, "/dev1/wave/b_c", "name"), QStringLiteral("b/c"));
    QCOMPARE(readStringAttr(file, "/dev1/wave", "instrument_name"), QStringLiteral("Device One"));
    QCOMPARE(readStringAttr(file, "/dev1/wave", "instrument_type"), QStringLiteral("sim"));
    QCOMPARE(readStringAttr(file, "/dev1/wave", "stream_name"), QStringLiteral("wave stream"));
    QCOMPARE(readStringAttr(file, "/dev9/x", "instrument_name"), QStringLiteral("dev9"));
    QCOMPARE(readNumberAttr(file, "/dev1/wave", "dt"), Dt);
    QCOMPARE(readNumberAttr(file, "/dev1/wave", "samples"), double(f.wave.times.size()));
    QCOMPARE(readNumberAttr(file, "/dev1/wave", "device_lost_samples"), double(f.gap));
    QCOMPARE(readStringAttr(file, "/", "session").toUtf8(),
        options(RecordingOptions::Format::Hdf5, path).sessionSnapshot);
    QCOMPARE(readStringAttr(file, "/", "start_time"), isoUtc(SessionClock::wallClockStartMs()));
    QCOMPARE(readStringAttr(file, "/", "benchscope_version"), benchScopeVersion());
    const auto events
        = readTable(file, "/dev1/wave/events", { "file_row", "time", "sample_index", "count", "kind" });
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0][0], segs[1][0]);
    QCOMPARE(events[0][3], double(f.gap));
    QCOMPARE(events[0][4], double(LossKind::IndexGap));
    H5Fclose(file);
}

void TestRecorderRoundTrip::csvRoundTrip()
{
    QTemporaryDir dir;
    const Feed f = makeFeed();
    const QString out = dir.filePath(QStringLiteral("csv"));
    RecorderStats st;
    QVERIFY(record(options(RecordingOptions::Format::Csv, out), f.streams, f.blocks, &st));
    QCOMPARE(st.streams.size(), 3);
    QCOMPARE(st.streams[0].file, QDir(out).filePath(QStringLiteral("dev1_wave.csv")));
    QCOMPARE(st.streams[0].samples, quint64(f.wave.times.size()));
    QCOMPARE(st.fileBytes,
        QFileInfo(st.streams[0].file).size() + QFileInfo(st.streams[1].file).size()
            + QFileInfo(st.streams[2].file).size());

    const CsvFile wave = readCsv(QDir(out).filePath(QStringLiteral("dev1_wave.csv")));
    QVERIFY(wave.header.contains(QStringLiteral("# instrument_id: dev1")));
    QVERIFY(wave.header.contains(QStringLiteral("# instrument_name: Device One")));
    QVERIFY(wave.header.contains(QStringLiteral("# instrument_type: sim")));
    QVERIFY(wave.header.contains(QStringLiteral("# stream_id: wave")));
    QVERIFY(
        wave.header.contains(QStringLiteral("# start_time: ") + isoUtc(SessionClock::wallClockStartMs())));
    QVERIFY(wave.header.contains(QStringLiteral("# units: s,V,µm")));
    QVERIFY(wave.header.contains(QStringLiteral("# session:"))); // then the snapshot, indented
    QVERIFY(wave.header.contains(QStringLiteral("#       \"format\": \"benchscope-session\",")));
    QCOMPARE(wave.columns, QStringLiteral("time_s,a [V],b/c [µm]"));
    compareCsv(wave, f.wave);
    QCOMPARE(wave.comments.size(), 2);
    QVERIFY(wave.comments[0].startsWith(QStringLiteral("# gap at t=")));
    QVERIFY(wave.comments[0].endsWith(QStringLiteral(" lost=50 (sample index gap)")));
    QCOMPARE(wave.comments[1],
        QStringLiteral("# end: samples=%1 dropped=0 device_lost=50 overflow_blocks=0 stops=0 restarts=0 outages=0 outage_s=0")
            .arg(f.wave.times.size()));

    const CsvFile trig = readCsv(QDir(out).filePath(QStringLiteral("dev1_trig.csv")));
    QCOMPARE(trig.columns, QStringLiteral("time_s,pos [counts]"));
    QVERIFY(trig.header.contains(QStringLiteral("# time_base: irregular")));
    compareCsv(trig, f.trig);
    const CsvFile x = readCsv(QDir(out).filePath(QStringLiteral("dev9_x.csv")));
    QCOMPARE(x.columns, QStringLiteral("time_s,ch1,ch2,ch3"));
    compareCsv(x, f.x);
}

void TestRecorderRoundTrip::inexactDtUsesSegmentTimes()
{
    // dt = 1e-5 with t0 = 0.1 + firstIndex*dt: not exactly continuable, but within rounding, so
    // the stream stays one segment; recorded times follow segmentTime() exactly and stay within
    // a few ulps of SampleBlock::time().
    QTemporaryDir dir;
    std::mt19937_64 rng(7);
    std::vector<SampleBlockPtr> blocks;
    Expected e;
    quint64 idx = 0;
    for (int k = 0; k < 50; ++k) {
        auto b = regularBlock(rng, Dev1, QStringLiteral("fast"), 1, 997, idx, 1e-5, 0.1);
        idx += b->sampleCount;
        e.add(*b);
        blocks.push_back(b);
    }
    const QVector<StreamInfo> streams { stream(
        QStringLiteral("fast"), { QStringLiteral("v") }, { QStringLiteral("V") }, true, 1e5) };
    const QString h5 = dir.filePath(QStringLiteral("r.h5")), csvDir = dir.filePath(QStringLiteral("csv"));
    QVERIFY(record(options(RecordingOptions::Format::Hdf5, h5), streams, blocks));
    QVERIFY(record(options(RecordingOptions::Format::Csv, csvDir), streams, blocks));
    hid_t file = H5Fopen(h5.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const auto segs = readTable(file, "/dev1/fast/segments", { "file_row", "sample_index", "t0", "dt" });
    H5Fclose(file);
    QCOMPARE(segs.size(), std::size_t(1));
    const std::vector<double> t = timesFromSegments(segs, e.times.size());
    const CsvFile csv = readCsv(QDir(csvDir).filePath(QStringLiteral("dev1_fast.csv")));
    QCOMPARE(csv.rows.size(), t.size());
    for (std::size_t r = 0; r < t.size(); ++r) {
        QVERIFY(sameCsvTime(csv.rows[r][0], t[r]));
        QVERIFY(std::abs(t[r] - e.times[r]) <= 1e-6 * 1e-5);
    }
    QVERIFY(sameBits(t[0], e.times[0]));
}

void TestRecorderRoundTrip::h5pyReadsRecording()
{
    const QString py = pythonWithH5py();
    if (py.isEmpty())
        QSKIP("python3 with h5py is not available");
    QTemporaryDir dir;
    const Feed f = makeFeed();
    const QString path = dir.filePath(QStringLiteral("rec.h5"));
    QVERIFY(record(options(RecordingOptions::Format::Hdf5, path), f.streams, f.blocks));
    const QString script = QStringLiteral(
        "import h5py, json, sys, numpy as np\n"
        "f = h5py.File(sys.argv[1], 'r')\n"
        "g = f['dev1/wave']\n"
        "s = g['segments'][:]\n"
        "rows = np.arange(len(g['a']))\n"
        "k = np.searchsorted(s['file_row'], rows, side='right') - 1\n"
        "t = s['t0'][k] + (rows - s['file_row'][k]) * s['dt'][k]\n"
        "print(json.dumps({'unit': g['b_c'].attrs['unit'], 'name': g.attrs['instrument_name'],\n"
        "  'session': f.attrs['session'], 'rows': len(g['a']), 'sum_a': "
        "float(np.nansum(g['a'][:][np.isfinite(g['a'][:])])),\n"
        "  't_last': float(t[-1]), 'events': [int(e['kind']) for e in g['events'][:]],\n"
        "  'trig_time_last': float(f['dev1/trig/time'][-1]), 'columns': list(g.attrs['columns'])}))\n");
    QProcess p;
    p.start(py, { QStringLiteral("-c"), script, path });
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(o.value(QStringLiteral("unit")).toString(), QStringLiteral("µm"));
    QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("Device One"));
    QCOMPARE(o.value(QStringLiteral("session")).toString().toUtf8(),
        options(RecordingOptions::Format::Hdf5, path).sessionSnapshot);
    QCOMPARE(o.value(QStringLiteral("rows")).toInt(), int(f.wave.times.size()));
    QCOMPARE(o.value(QStringLiteral("t_last")).toDouble(), f.wave.times.back());
    QCOMPARE(o.value(QStringLiteral("trig_time_last")).toDouble(), f.trig.times.back());
    QCOMPARE(o.value(QStringLiteral("events")).toVariant().toList().size(), 1);
    QCOMPARE(o.value(QStringLiteral("columns")).toVariant().toStringList(),
        (QStringList { QStringLiteral("a"), QStringLiteral("b_c") }));
    double sum = 0;
    for (double v : f.wave.cols[0])
        if (std::isfinite(v))
            sum += v;
    QVERIFY(
        std::abs(o.value(QStringLiteral("sum_a")).toDouble() - sum) <= 1e-9 * std::max(1.0, std::abs(sum)));
}

QTEST_GUILESS_MAIN(TestRecorderRoundTrip)
#include "test_recorder_roundtrip.moc"
