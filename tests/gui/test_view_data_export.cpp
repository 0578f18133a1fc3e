// SPDX-License-Identifier: GPL-3.0-or-later
// ViewDataExport (File ▸ Export View Data): a display store fed with a known sine, a step and a
// gap is exported and read back with RecordingSource, the reader of recordings: every value
// exactly as fed, times within the CSV's 1 ns, the range inclusive at both ends, the gap in its
// place with its kind and count, one file per stream, only the channels asked for; cancel and a
// file that cannot be created leave no file behind.
#include <ViewDataExport.h>

#include <RecordingSource.h>
#include <TraceStore.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <numbers>

#include <sys/resource.h>

using namespace bs;

namespace {

constexpr double Dt = 1e-3;

ChannelInfo channel(const char *name, const char *unit, SampleFormat format = {})
{
    ChannelInfo c;
    c.name = QString::fromLatin1(name);
    c.unit = QString::fromUtf8(unit);
    c.format = format;
    return c;
}

/// What was fed: per row its time (as the store computes it) and values.
struct Fed
{
    std::vector<double> t, sine, step, gain;
};

/// "gen/sig": Sine (V, float64), Step (V), Gain (float32) at 1 kHz: rows 0…999 from t = 0, then
/// 100 samples lost (an index jump), rows 1100…1999. "lab/cnt": an irregular counter.
Fed feed(TraceStore &store)
{
    StreamInfo sig;
    sig.id = QStringLiteral("sig");
    sig.name = QStringLiteral("Signals");
    sig.regular = true;
    sig.channels = { channel("Sine", "V"), channel("Step", "V"), channel("Gain", "", SampleFormat::of(SampleType::Float32)) };
    store.setStreams(QStringLiteral("gen"), { sig });
    StreamInfo cnt;
    cnt.id = QStringLiteral("cnt");
    cnt.channels = { channel("Counter", "counts", SampleFormat::of(SampleType::Int32)) };
    store.setStreams(QStringLiteral("lab"), { cnt });

    Fed fed;
    for (std::uint64_t first : { std::uint64_t(0), std::uint64_t(1100) }) {
        constexpr std::size_t n = 900;
        const std::size_t rows = first == 0 ? 1000 : n;
        auto b = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("sig"), sig.formats(), rows, false);
        b->firstIndex = first;
        b->t0 = double(first) * Dt;
        b->dt = Dt;
        for (std::size_t i = 0; i < rows; ++i) {
            const double t = b->t0 + double(i) * Dt;
            const double s = 0.01 * std::sin(2 * std::numbers::pi * 3 * t);
            const double st = t < 1.5 ? 0.0 : 50.0;
            const float g = float(1.0 / (1.0 + double(first + i)));
            b->channel(0)[i] = s;
            b->channel(1)[i] = st;
            b->data<float>(2)[i] = g;
            fed.sine.push_back(s);
            fed.step.push_back(st);
            fed.gain.push_back(double(g));
        }
        store.consume(b);
    }
    // The times as the store hands them out (the sum t0 + i·dt as it computes it).
    store.readSamples(ChannelKey { QStringLiteral("gen"), QStringLiteral("sig"), 0 }, -1, 10,
        [&](const double *t, const double *, std::size_t n) { fed.t.insert(fed.t.end(), t, t + n); });

    auto c = SampleBlock::make(QStringLiteral("lab"), QStringLiteral("cnt"), cnt.formats(), 300, true);
    for (std::size_t i = 0; i < 300; ++i) {
        c->times[i] = 0.01 * double(i) + (i % 3 == 0 ? 0.004 : 0.0);
        const std::int32_t v = std::int32_t(i) * 1000003;
        c->data<std::int32_t>(0)[i] = v;
    }
    c->t0 = c->times[0];
    store.consume(c);
    return fed;
}

ChannelKey key(const char *inst, const char *stream, int ch)
{
    return { QString::fromLatin1(inst), QString::fromLatin1(stream), ch };
}

/// Every row of stream `s` of the file(s) at `path`: times and the channels' values.
struct ReadBack
{
    std::vector<double> t;
    std::vector<std::vector<double>> v;
};
ReadBack readAll(RecordingSource &src, int s)
{
    ReadBack out;
    const int channels = int(src.streams()[s].channels.size());
    out.v.resize(std::size_t(channels));
    QList<int> all;
    for (int c = 0; c < channels; ++c)
        all << c;
    QString error;
    const bool ok = src.read(s, all, -INFINITY, INFINITY, [&](const RecordingPiece &p) {
        out.t.insert(out.t.end(), p.times, p.times + p.rows);
        for (int c = 0; c < channels; ++c)
            out.v[std::size_t(c)].insert(out.v[std::size_t(c)].end(), p.values[std::size_t(c)], p.values[std::size_t(c)] + p.rows);
        return true;
    }, &error);
    if (!ok)
        qWarning() << error;
    return out;
}

} // namespace

class ViewDataExportTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aRangeWithAGapReadsBackExactly()
    {
        TraceStore store;
        const Fed fed = feed(store);
        QCOMPARE(fed.t.size(), std::size_t(1900));
        QTemporaryDir dir;
        // Rows 200 … 1500 of what was fed (the gap lies between rows 999 and 1000), both ends
        // exactly at a sample: inclusive.
        const std::size_t first = 200, last = 1500;
        ViewDataRequest req;
        req.channels = { key("gen", "sig", 0), key("gen", "sig", 2), key("gen", "sig", 1) };
        req.from = fed.t[first];
        req.to = fed.t[last];
        req.path = dir.filePath(QStringLiteral("view.csv"));
        req.instruments.insert(QStringLiteral("gen"), { QStringLiteral("Generator"), QStringLiteral("fake"), QStringLiteral("here"), {} });
        req.sessionStartWallMs = 1714557600123;
        QVERIFY(!ViewDataExport::writesFolder(req));
        std::vector<double> seen;
        const ViewDataResult r = ViewDataExport(&store).run(req, [&](double f) {
            seen.push_back(f);
            return true;
        });
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.files, QStringList { req.path });
        QCOMPARE(r.rows, quint64(last - first + 1));
        QCOMPARE(r.gaps, quint64(1));
        QVERIFY(!seen.empty());
        QCOMPARE(seen.back(), 1.0);
        QVERIFY(!QFile::exists(req.path + QStringLiteral(".partial")));

        QString error;
        auto src = RecordingSource::open(req.path, &error);
        QVERIFY2(src, qPrintable(error));
        QCOMPARE(src->streams().size(), 1);
        const RecordingStreamInfo &info = src->streams()[0];
        QCOMPARE(info.header.instrumentId, QStringLiteral("gen"));
        QCOMPARE(info.header.instrumentName, QStringLiteral("Generator"));
        QCOMPARE(info.header.streamId, QStringLiteral("sig"));
        QCOMPARE(info.header.timeOffset, 0.0);
        QCOMPARE(info.header.startTime, QStringLiteral("2024-05-01T10:00:00.123Z"));
        QVERIFY(info.regular); // found from the times: nothing was announced for it here
        // Only the channels asked for, in the order asked.
        QCOMPARE(info.channels.size(), 3);
        QCOMPARE(info.channels[0].name, QStringLiteral("Sine"));
        QCOMPARE(info.channels[0].unit, QStringLiteral("V"));
        QCOMPARE(info.channels[1].name, QStringLiteral("Gain"));
        QCOMPARE(info.channels[2].name, QStringLiteral("Step"));
        QCOMPARE(info.rows, quint64(last - first + 1));
        // The gap: 100 samples of an index jump, before the first row after t = 0.999 s.
        QCOMPARE(info.gaps.size(), std::size_t(1));
        QCOMPARE(info.gaps[0].row, quint64(1000 - first));
        QCOMPARE(info.gaps[0].kind, QStringLiteral("index_gap"));
        QCOMPARE(info.gaps[0].lost, quint64(100));
        QVERIFY(std::abs(info.gaps[0].start - fed.t[999]) <= 0.5e-9);
        QVERIFY(std::abs(info.gaps[0].end - fed.t[1000]) <= 0.5e-9);

        const ReadBack back = readAll(*src, 0);
        QCOMPARE(back.t.size(), last - first + 1);
        for (std::size_t i = 0; i < back.t.size(); ++i) {
            const std::size_t k = first + i;
            QVERIFY2(std::abs(back.t[i] - fed.t[k]) <= 0.5e-9, qPrintable(QString::number(i)));
            QCOMPARE(back.v[0][i], fed.sine[k]); // exact
            // A float32 written as the shortest text of the float (as a recording does): reads
            // back to the same float.
            QCOMPARE(float(back.v[1][i]), float(fed.gain[k]));
            QCOMPARE(back.v[2][i], fed.step[k]);
        }
        // The float32 channel reads as a float does, not as its double's 17 digits.
        QFile text(req.path);
        QVERIFY(text.open(QIODevice::ReadOnly));
        const QByteArray all = text.readAll();
        QVERIFY(all.contains(",0.0045454544,")); // 1/220 as a float (row 219)
        QVERIFY(all.contains("\n# gap at t=1.1 index=800 lost=100 (sample index gap)\n"));
        QVERIFY(all.contains("\n# end: samples=1301 dropped=0 device_lost=100 "));
    }

    void betweenSamplesAndPastTheEnd()
    {
        TraceStore store;
        const Fed fed = feed(store);
        QTemporaryDir dir;
        ViewDataRequest req;
        req.channels = { key("gen", "sig", 1) };
        req.from = fed.t[1899] - 0.5 * Dt; // the last sample only
        req.to = 1e9;
        req.path = dir.filePath(QStringLiteral("tail.csv"));
        ViewDataResult r = ViewDataExport(&store).run(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.rows, quint64(1));
        // Inside the gap: a file with its header and no row still opens.
        req.from = fed.t[999] + 0.01;
        req.to = fed.t[1000] - 0.01;
        req.path = dir.filePath(QStringLiteral("none.csv"));
        r = ViewDataExport(&store).run(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.rows, quint64(0));
        QString error;
        auto src = RecordingSource::open(req.path, &error);
        QVERIFY2(src, qPrintable(error));
        QCOMPARE(src->streams()[0].rows, quint64(0));
    }

    void twoStreamsGiveTwoFiles()
    {
        TraceStore store;
        const Fed fed = feed(store);
        QTemporaryDir dir;
        ViewDataRequest req;
        req.channels = { key("gen", "sig", 0), key("lab", "cnt", 0) };
        req.from = 0.5;
        req.to = 1.5;
        req.path = dir.filePath(QStringLiteral("both.csv")); // a folder "both" is written
        QVERIFY(ViewDataExport::writesFolder(req));
        const QStringList planned = ViewDataExport::plannedFiles(req);
        QCOMPARE(planned,
            QStringList({ dir.filePath(QStringLiteral("both/gen_sig.csv")), dir.filePath(QStringLiteral("both/lab_cnt.csv")) }));
        const ViewDataResult r = ViewDataExport(&store).run(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.files, planned);
        QString error;
        auto src = RecordingSource::open(dir.filePath(QStringLiteral("both")), &error);
        QVERIFY2(src, qPrintable(error));
        QCOMPARE(src->streams().size(), 2);
        QCOMPARE(src->streams()[0].channels.size(), 1);
        QCOMPARE(src->streams()[1].header.instrumentId, QStringLiteral("lab"));
        QVERIFY(!src->streams()[1].regular);
        // The counter: irregular times, int32 values written as integers.
        const ReadBack cnt = readAll(*src, 1);
        std::size_t expected = 0;
        for (std::size_t i = 0; i < 300; ++i) {
            const double t = 0.01 * double(i) + (i % 3 == 0 ? 0.004 : 0.0);
            if (t >= 0.5 && t <= 1.5) {
                QVERIFY(expected < cnt.t.size());
                QVERIFY(std::abs(cnt.t[expected] - t) <= 0.5e-9);
                QCOMPARE(cnt.v[0][expected], double(std::int32_t(i) * 1000003));
                ++expected;
            }
        }
        QCOMPARE(cnt.t.size(), expected);
        QVERIFY(src->streams()[1].gaps.empty());
    }

    void cancelAndFailureKeepNoFile()
    {
        TraceStore store;
        feed(store);
        QTemporaryDir dir;
        ViewDataRequest req;
        req.channels = { key("gen", "sig", 0), key("lab", "cnt", 0) };
        req.from = 0;
        req.to = 2;
        req.path = dir.filePath(QStringLiteral("cancelled"));
        const ViewDataResult r = ViewDataExport(&store).run(req, [](double) { return false; });
        QVERIFY(!r.ok);
        QVERIFY(r.canceled);
        QVERIFY(!r.error.isEmpty());
        QVERIFY(!QFileInfo::exists(req.path)); // the folder it made is gone with its files

        // A file where the folder should be: the message names the file and the cause.
        QFile blocker(dir.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        req.channels = { key("gen", "sig", 0) };
        req.path = dir.filePath(QStringLiteral("blocker/x.csv"));
        const ViewDataResult f = ViewDataExport(&store).run(req);
        QVERIFY(!f.ok);
        QVERIFY(!f.canceled);
        QVERIFY2(f.error.contains(QDir::toNativeSeparators(req.path)), qPrintable(f.error));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList { QStringLiteral("blocker") });

        // A channel the store does not hold.
        req.channels = { key("gen", "nosuch", 0) };
        req.path = dir.filePath(QStringLiteral("y.csv"));
        const ViewDataResult g = ViewDataExport(&store).run(req);
        QVERIFY(!g.ok);
        QVERIFY2(g.error.contains(QStringLiteral("gen/nosuch/0")), qPrintable(g.error));
        QVERIFY(!QFile::exists(req.path) && !QFile::exists(req.path + QStringLiteral(".partial")));
    }

    void capturesAndLossesWithoutACount()
    {
        // Three captures of 10 rows (PandA-like, irregular): the second ends with EndOfCapture
        // and the third starts with StartOfCapture; before the third, DataLost without a count.
        TraceStore store;
        StreamInfo cap;
        cap.id = QStringLiteral("pcap");
        cap.channels = { channel("Pos", "mm") };
        store.setStreams(QStringLiteral("panda"), { cap });
        std::uint64_t index = 0;
        for (int k = 0; k < 3; ++k) {
            auto b = SampleBlock::make(QStringLiteral("panda"), QStringLiteral("pcap"), 1, 10, true);
            b->firstIndex = index;
            for (std::size_t i = 0; i < 10; ++i) {
                b->times[i] = double(k) + 0.1 * double(i);
                b->channel(0)[i] = double(k * 100 + int(i));
            }
            b->t0 = b->times[0];
            if (k == 0)
                b->flags |= SampleBlock::EndOfCapture;
            if (k == 1)
                b->flags |= SampleBlock::StartOfCapture | SampleBlock::DataLost;
            if (k == 2)
                b->flags |= SampleBlock::DataLost;
            index += 10;
            store.consume(b);
        }
        QTemporaryDir dir;
        ViewDataRequest req;
        req.channels = { key("panda", "pcap", 0) };
        req.from = 0;
        req.to = 3;
        req.path = dir.filePath(QStringLiteral("cap.csv"));
        const ViewDataResult r = ViewDataExport(&store).run(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.rows, quint64(30));
        QCOMPARE(r.gaps, quint64(2));
        QString error;
        auto src = RecordingSource::open(req.path, &error);
        QVERIFY2(src, qPrintable(error));
        const RecordingStreamInfo &info = src->streams()[0];
        QCOMPARE(info.gaps.size(), std::size_t(2));
        QCOMPARE(info.gaps[0].row, quint64(10));
        QCOMPARE(info.gaps[1].row, quint64(20));
        QCOMPARE(info.gaps[1].kind, QStringLiteral("device_overflow")); // a loss of unknown size
        QCOMPARE(info.gaps[1].lost, quint64(0));
        QFile text(req.path);
        QVERIFY(text.open(QIODevice::ReadOnly));
        const QByteArray all = text.readAll();
        QVERIFY2(all.contains("\n# capture_end at t=0.9: ") && all.contains("\n# capture_start at t=1: "), all.constData());
    }

    void everyGapInItsPlace()
    {
        // 3000 blocks of 10 rows, each after the first with a loss of 1…5 samples; the export
        // runs in several slabs, so gaps fall inside slabs and on their edges.
        TraceStore store;
        StreamInfo st;
        st.id = QStringLiteral("s");
        st.regular = true;
        st.channels = { channel("X", "V") };
        store.setStreams(QStringLiteral("i"), { st });
        std::uint64_t index = 0;
        std::vector<quint64> lost;
        for (int k = 0; k < 3000; ++k) {
            auto b = SampleBlock::make(QStringLiteral("i"), QStringLiteral("s"), 1, 10, false);
            if (k) {
                b->lostBefore = std::uint64_t(k % 5 + 1);
                b->flags |= SampleBlock::DataLost;
                index += b->lostBefore;
                lost.push_back(b->lostBefore);
            }
            b->firstIndex = index;
            b->t0 = double(index) * 1e-3;
            b->dt = 1e-3;
            for (std::size_t i = 0; i < 10; ++i)
                b->channel(0)[i] = double(index + i);
            index += 10;
            store.consume(b);
        }
        QTemporaryDir dir;
        ViewDataRequest req;
        req.channels = { key("i", "s", 0) };
        req.from = 0;
        req.to = 1e6;
        req.path = dir.filePath(QStringLiteral("g.csv"));
        const ViewDataResult r = ViewDataExport(&store).run(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.rows, quint64(30000));
        QCOMPARE(r.gaps, quint64(2999));
        QString error;
        auto src = RecordingSource::open(req.path, &error);
        QVERIFY2(src, qPrintable(error));
        const RecordingStreamInfo &info = src->streams()[0];
        QCOMPARE(info.gaps.size(), std::size_t(2999));
        for (std::size_t k = 0; k < info.gaps.size(); ++k) {
            QCOMPARE(info.gaps[k].row, quint64(10 * (k + 1)));
            QCOMPARE(info.gaps[k].kind, QStringLiteral("device_lost"));
            QCOMPARE(info.gaps[k].lost, lost[k]);
        }
        const ReadBack back = readAll(*src, 0);
        QCOMPARE(back.t.size(), std::size_t(30000));
        for (std::size_t i = 0; i < back.t.size(); ++i)
            QVERIFY(std::abs(back.t[i] - back.v[0][i] * 1e-3) <= 1e-9); // value = sample index
    }

    void aFullDiskNamesTheFileAndKeepsNothing()
    {
        TraceStore store;
        feed(store);
        QTemporaryDir dir;
        ViewDataRequest req;
        req.channels = { key("gen", "sig", 0), key("gen", "sig", 1) };
        req.from = 0;
        req.to = 2;
        req.path = dir.filePath(QStringLiteral("big.csv"));
        ViewDataResult r;
        {
            // A file-size limit stands in for a full disk: writes fail (EFBIG) after 16 KiB.
            rlimit old {};
            getrlimit(RLIMIT_FSIZE, &old);
            std::signal(SIGXFSZ, SIG_IGN);
            rlimit small = old;
            small.rlim_cur = 16 * 1024;
            QVERIFY(setrlimit(RLIMIT_FSIZE, &small) == 0);
            r = ViewDataExport(&store).run(req);
            setrlimit(RLIMIT_FSIZE, &old);
        }
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QDir::toNativeSeparators(req.path)) && r.error.contains(QStringLiteral("large")), qPrintable(r.error));
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void manySlabsGiveEveryRowOnce()
    {
        // 600 000 rows at 1 MHz (1 ps time resolution) with a device loss: more than two slabs.
        TraceStore store;
        StreamInfo fast;
        fast.id = QStringLiteral("fast");
        fast.regular = true;
        fast.channels = { channel("Raw", "V", SampleFormat::of(SampleType::Int16, 0.5e-3, 0.1)) };
        store.setStreams(QStringLiteral("pico"), { fast });
        constexpr std::size_t blockRows = 20000;
        std::uint64_t index = 0;
        for (int b = 0; b < 30; ++b) {
            auto blk = SampleBlock::make(QStringLiteral("pico"), QStringLiteral("fast"), fast.formats(), blockRows, false);
            if (b == 17) {
                blk->lostBefore = 5;
                blk->flags |= SampleBlock::DataLost;
                index += 5;
            }
            blk->firstIndex = index;
            blk->t0 = double(index) * 1e-7;
            blk->dt = 1e-7;
            for (std::size_t i = 0; i < blockRows; ++i) {
                const std::int16_t v = std::int16_t((index + i) % 65536 - 32768);
                blk->data<std::int16_t>(0)[i] = v;
            }
            index += blockRows;
            store.consume(blk);
        }
        QTemporaryDir dir;
        ViewDataRequest req;
        req.channels = { key("pico", "fast", 0) };
        req.from = -1;
        req.to = 1;
        req.path = dir.filePath(QStringLiteral("fast.csv"));
        const ViewDataResult r = ViewDataExport(&store).run(req);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.rows, quint64(30 * blockRows));
        QString error;
        auto src = RecordingSource::open(req.path, &error);
        QVERIFY2(src, qPrintable(error));
        const RecordingStreamInfo &info = src->streams()[0];
        QCOMPARE(info.rows, quint64(30 * blockRows));
        QCOMPARE(info.gaps.size(), std::size_t(1));
        QCOMPARE(info.gaps[0].row, quint64(17 * blockRows));
        QCOMPARE(info.gaps[0].kind, QStringLiteral("device_lost"));
        QCOMPARE(info.gaps[0].lost, quint64(5));
        const ReadBack back = readAll(*src, 0);
        std::uint64_t idx = 0;
        for (std::size_t i = 0; i < back.t.size(); ++i) {
            if (i == 17 * blockRows)
                idx += 5;
            const std::int16_t raw = std::int16_t((idx) % 65536 - 32768);
            if (back.v[0][i] != double(raw) * 0.5e-3 + 0.1 || std::abs(back.t[i] - double(idx) * 1e-7) > 1e-12)
                QFAIL(qPrintable(QStringLiteral("row %1: %2 at %3").arg(i).arg(back.v[0][i]).arg(back.t[i])));
            ++idx;
        }
    }
};

QTEST_GUILESS_MAIN(ViewDataExportTest)
#include "test_view_data_export.moc"
