// SPDX-License-Identifier: GPL-3.0-or-later
// Split files and auto-stop (RecordingOptions::split*/stopAfter*): the numbered parts of a split
// recording, put one after the other, hold exactly the rows, gaps and times of the same blocks
// recorded without splitting (nothing lost or written twice at a split, CSV line for line and HDF5
// bit for bit); auto-stop ends the recording by itself, with the reason, at a size or a duration.
#include "RecordingNames.h"
#include "RecordingTestUtil.h"

#include <QDir>
#include <QTemporaryDir>

#include <thread>

using namespace bs;
using namespace bs::test;

namespace {

using Format = RecordingOptions::Format;
const QString Dev1 = QStringLiteral("dev1");
constexpr double Dt = 1.0 / 1024;

const QVector<StreamInfo> Streams {
    stream(QStringLiteral("s"), { QStringLiteral("a"), QStringLiteral("b") }, { QStringLiteral("V"), QStringLiteral("A") },
        true, 1024),
    stream(QStringLiteral("t"), { QStringLiteral("pos") }, { QStringLiteral("mm") }, false),
};

/// 300 blocks of two streams: a regular one (2 channels, 100 samples, an index gap at block 120
/// and a device loss at block 200) and an irregular one every third block.
std::vector<SampleBlockPtr> makeBlocks()
{
    std::mt19937_64 rng(7);
    std::vector<SampleBlockPtr> blocks;
    quint64 index = 0, tIndex = 0;
    double t = 0;
    for (int i = 0; i < 300; ++i) {
        if (i == 120)
            index += 37; // a gap the recorder must store once, in whichever part
        auto b = regularBlock(rng, Dev1, QStringLiteral("s"), 2, 100, index, Dt);
        if (i == 200)
            b->lostBefore = 5;
        blocks.push_back(b);
        index += 100;
        if (i % 3 == 0) {
            blocks.push_back(irregularBlock(rng, Dev1, QStringLiteral("t"), 1, 40, tIndex, &t));
            tIndex += 40;
        }
    }
    return blocks;
}

/// The lines after the column line, without the `# end:` total (each part has its own).
QStringList bodyLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return { QStringLiteral("cannot open ") + path };
    QStringList out;
    bool header = true;
    for (const QByteArray &raw : f.readAll().split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (header) {
            header = line.startsWith(QLatin1Char('#'));
            continue; // the header comments and the column line
        }
        if (!line.isEmpty() && !line.startsWith(QStringLiteral("# end:")))
            out << line;
    }
    return out;
}

QString columnLine(const QString &path)
{
    const CsvFile f = readCsv(path);
    return f.columns;
}

quint64 csvEndSamples(const QString &path)
{
    const CsvFile f = readCsv(path);
    const QString end = f.comments.value(f.comments.size() - 1);
    const QString prefix = QStringLiteral("# end: samples=");
    return end.startsWith(prefix) ? end.mid(prefix.size()).section(QLatin1Char(' '), 0, 0).toULongLong() : 0;
}

quint64 streamSamples(const RecorderStats &st, const QString &streamId)
{
    quint64 n = 0;
    for (const StreamRecordStats &s : st.streams)
        if (s.streamId == streamId)
            n += s.samples;
    return n;
}

std::vector<double> h5Column(const QString &file, const char *path)
{
    hid_t f = H5Fopen(file.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return {};
    std::vector<double> v = readDoubles(f, path);
    H5Fclose(f);
    return v;
}

std::vector<double> h5RegularTimes(const QString &file, const char *group)
{
    hid_t f = H5Fopen(file.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return {};
    const auto segs = readTable(f, (QByteArray(group) + "/segments").constData(),
        { QStringLiteral("file_row"), QStringLiteral("sample_index"), QStringLiteral("t0"), QStringLiteral("dt") });
    const std::size_t rows = readDoubles(f, (QByteArray(group) + "/a").constData()).size();
    H5Fclose(f);
    return segs.empty() ? std::vector<double>() : timesFromSegments(segs, rows);
}

bool sameSeries(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!sameBits(a[i], b[i]))
            return false;
    return true;
}

} // namespace

class TestRecordingSplit : public QObject
{
    Q_OBJECT
private slots:
    void partNames()
    {
        QCOMPARE(recordingPartPath(QStringLiteral("/d/rec_20261206-101500.h5"), 1),
            QStringLiteral("/d/rec_20261206-101500_001.h5"));
        QCOMPARE(recordingPartPath(QStringLiteral("/d/x.HDF5"), 12), QStringLiteral("/d/x_012.HDF5"));
        QCOMPARE(recordingPartPath(QStringLiteral("/d/rec_csv/"), 3), QStringLiteral("/d/rec_csv_003"));
        QCOMPARE(recordingPartPath(QStringLiteral("/d/rec"), 1000), QStringLiteral("/d/rec_1000"));
    }

    // CSV: the parts' lines, one part after the other, are the unsplit recording's lines.
    void csvPartsConcatenateToTheUnsplitRecording()
    {
        QTemporaryDir dir;
        const std::vector<SampleBlockPtr> blocks = makeBlocks();
        RecorderStats whole, split;
        QVERIFY(record(options(Format::Csv, dir.filePath(QStringLiteral("whole"))), Streams, blocks, &whole));
        RecordingOptions o = options(Format::Csv, dir.filePath(QStringLiteral("split")));
        o.splitBytes = 40 << 10; // ~40 KiB of samples per part
        QVERIFY(record(o, Streams, blocks, &split));
        QCOMPARE(whole.files, QStringList { dir.filePath(QStringLiteral("whole")) });
        QVERIFY2(split.files.size() >= 4, qPrintable(split.files.join(u' ')));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("split"))));
        for (int i = 0; i < split.files.size(); ++i)
            QCOMPARE(split.files[i], recordingPartPath(dir.filePath(QStringLiteral("split")), i + 1));

        for (const QString &name : { QStringLiteral("dev1_s.csv"), QStringLiteral("dev1_t.csv") }) {
            const QString wholeFile = QDir(dir.filePath(QStringLiteral("whole"))).filePath(name);
            QStringList joined;
            quint64 totals = 0;
            for (const QString &part : std::as_const(split.files)) {
                const QString file = QDir(part).filePath(name);
                if (!QFileInfo::exists(file))
                    continue; // the irregular stream may have no block in a part
                QCOMPARE(columnLine(file), columnLine(wholeFile));
                joined << bodyLines(file);
                totals += csvEndSamples(file);
            }
            const QStringList expected = bodyLines(wholeFile);
            QCOMPARE(joined.size(), expected.size());
            for (qsizetype i = 0; i < expected.size(); ++i)
                QVERIFY2(joined[i] == expected[i],
                    qPrintable(QStringLiteral("%1 line %2: %3 vs %4").arg(name).arg(i).arg(joined[i], expected[i])));
            QCOMPARE(totals, csvEndSamples(wholeFile));
        }
        QCOMPARE(streamSamples(split, QStringLiteral("s")), streamSamples(whole, QStringLiteral("s")));
        QCOMPARE(streamSamples(split, QStringLiteral("t")), streamSamples(whole, QStringLiteral("t")));
        QCOMPARE(streamSamples(whole, QStringLiteral("s")), quint64(300 * 100));
        QCOMPARE(split.droppedSamples, quint64(0));
        QCOMPARE(split.lostSamples, whole.lostSamples);
    }

    // A block without samples (a driver's last word after its capture) never opens a part of
    // its own: every part holds rows. (A PandA capture ends with such a block.)
    void emptyBlockOpensNoPart()
    {
        QTemporaryDir dir;
        std::mt19937_64 rng(3);
        std::vector<SampleBlockPtr> blocks;
        for (int i = 0; i < 4; ++i)
            blocks.push_back(regularBlock(rng, Dev1, QStringLiteral("s"), 2, 100, quint64(i) * 100, Dt));
        blocks.push_back(regularBlock(rng, Dev1, QStringLiteral("s"), 2, 0, 400, Dt));
        RecordingOptions o = options(Format::Csv, dir.filePath(QStringLiteral("split")));
        o.splitBytes = 1; // every block with samples fills a part
        RecorderStats st;
        QVERIFY(record(o, Streams, blocks, &st));
        QCOMPARE(st.files.size(), 4);
        for (const QString &part : std::as_const(st.files))
            QCOMPARE(csvEndSamples(QDir(part).filePath(QStringLiteral("dev1_s.csv"))), quint64(100));
        QCOMPARE(streamSamples(st, QStringLiteral("s")), quint64(400));
    }

    // HDF5: every part is a complete file; their channels and times, concatenated, are the
    // unsplit file's bit for bit, and each stream keeps its group name in every part.
    void hdf5PartsConcatenateToTheUnsplitRecording()
    {
        QTemporaryDir dir;
        const std::vector<SampleBlockPtr> blocks = makeBlocks();
        RecorderStats whole, split;
        const QString wholePath = dir.filePath(QStringLiteral("whole.h5"));
        QVERIFY(record(options(Format::Hdf5, wholePath), Streams, blocks, &whole));
        RecordingOptions o = options(Format::Hdf5, dir.filePath(QStringLiteral("split.h5")));
        o.splitBytes = 64 << 10;
        QVERIFY(record(o, Streams, blocks, &split));
        QVERIFY2(split.files.size() >= 3, qPrintable(split.files.join(u' ')));
        QCOMPARE(split.files.first(), dir.filePath(QStringLiteral("split_001.h5")));

        std::vector<double> a, b, times, pos, posTimes;
        for (const QString &part : std::as_const(split.files)) {
            for (const auto &[from, to] : { std::pair { "/dev1/s/a", &a }, std::pair { "/dev1/s/b", &b },
                     std::pair { "/dev1/t/pos", &pos }, std::pair { "/dev1/t/time", &posTimes } }) {
                const std::vector<double> v = h5Column(part, from);
                to->insert(to->end(), v.begin(), v.end());
            }
            const std::vector<double> t = h5RegularTimes(part, "/dev1/s");
            times.insert(times.end(), t.begin(), t.end());
        }
        QVERIFY(sameSeries(a, h5Column(wholePath, "/dev1/s/a")));
        QVERIFY(sameSeries(b, h5Column(wholePath, "/dev1/s/b")));
        QVERIFY(sameSeries(times, h5RegularTimes(wholePath, "/dev1/s")));
        QVERIFY(sameSeries(pos, h5Column(wholePath, "/dev1/t/pos")));
        QVERIFY(sameSeries(posTimes, h5Column(wholePath, "/dev1/t/time")));
        QCOMPARE(a.size(), std::size_t(300 * 100));

        // The gap and the device loss are stored once, in the part where they happened.
        double lost = 0;
        int events = 0;
        for (const QString &part : std::as_const(split.files)) {
            hid_t f = H5Fopen(part.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
            QVERIFY(f >= 0);
            for (const auto &row : readTable(f, "/dev1/s/events", { QStringLiteral("count") })) {
                lost += row[0];
                ++events;
            }
            H5Fclose(f);
        }
        QCOMPARE(events, 2);
        QCOMPARE(lost, 37.0 + 5.0);
        QCOMPARE(split.fileBytes, [&] {
            qint64 n = 0;
            for (const QString &part : std::as_const(split.files))
                n += QFileInfo(part).size();
            return n;
        }());
    }

    // The size the recorder reports once it has stopped is the file's final size on disk (the
    // Last Recording dialog shows it right then): no reserve left behind a file still open.
    void sizeAtStopIsTheFinalSize()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("final.h5"));
        qint64 atStop = -1, reported = -1;
        {
            Recorder rec;
            rec.setStreams(Dev1, Streams);
            QString error;
            QVERIFY2(rec.start(options(Format::Hdf5, path), &error), qPrintable(error));
            InstrumentEvent e;
            e.kind = InstrumentEvent::Kind::CaptureStarted;
            e.instrumentId = Dev1;
            e.time = 0;
            rec.event(e);
            for (const SampleBlockPtr &b : makeBlocks())
                rec.consume(b);
            rec.stop();
            atStop = QFileInfo(path).size();
            reported = rec.stats().fileBytes;
        }
        QCOMPARE(reported, atStop);
        QCOMPARE(QFileInfo(path).size(), atStop);
        // ~0.6 MB of samples: the file holds them and its metadata, not the writer's 33 MiB
        // reserve of zeros (every closed file kept it before).
        QVERIFY2(atStop < (2 << 20), qPrintable(QString::number(atStop)));
        hid_t f = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
        QVERIFY(f >= 0);
        QCOMPARE(readDoubles(f, "/dev1/s/a").size(), std::size_t(300 * 100));
        H5Fclose(f);
    }

    // A split by time: each batch fed after a pause longer than the part time starts a new part.
    void splitByTime()
    {
        QTemporaryDir dir;
        const std::vector<SampleBlockPtr> blocks = makeBlocks();
        RecordingOptions o = options(Format::Csv, dir.filePath(QStringLiteral("timed")));
        o.splitSeconds = 0.05;
        Recorder rec;
        rec.setStreams(Dev1, Streams);
        QString error;
        QVERIFY2(rec.start(o, &error), qPrintable(error));
        quint64 fed = 0;
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            rec.consume(blocks[i]);
            fed += blocks[i]->sampleCount;
            if (i % 100 == 99) { // wait until the writer has it all, then let the part time pass
                QTRY_VERIFY_WITH_TIMEOUT(streamSamples(rec.stats(), QStringLiteral("s"))
                        + streamSamples(rec.stats(), QStringLiteral("t")) == fed,
                    20000);
                std::this_thread::sleep_for(std::chrono::milliseconds(120));
            }
        }
        rec.stop();
        const RecorderStats st = rec.stats();
        QVERIFY2(st.files.size() >= 3, qPrintable(st.files.join(u' ')));
        QCOMPARE(streamSamples(st, QStringLiteral("s")) + streamSamples(st, QStringLiteral("t")), fed);
        quint64 rows = 0;
        for (const QString &part : std::as_const(st.files))
            rows += csvEndSamples(QDir(part).filePath(QStringLiteral("dev1_s.csv")));
        QCOMPARE(rows, streamSamples(st, QStringLiteral("s")));
    }

    // Auto-stop at a size: the recorder stops by itself, says why, and keeps what it wrote.
    void autoStopAtSize()
    {
        QTemporaryDir dir;
        const std::vector<SampleBlockPtr> blocks = makeBlocks();
        RecordingOptions o = options(Format::Hdf5, dir.filePath(QStringLiteral("auto.h5")));
        o.stopAfterBytes = 100 << 10;
        Recorder rec;
        RecorderSignals events(&rec);
        rec.setStreams(Dev1, Streams);
        QString error;
        QVERIFY2(rec.start(o, &error), qPrintable(error));
        std::size_t i = 0;
        for (; i < blocks.size() && rec.isRecording(); ++i) {
            rec.consume(blocks[i]);
            if (i % 20 == 19) // let the writer catch up so that the limit is seen on the way
                QTRY_VERIFY_WITH_TIMEOUT(rec.stats().queuedBytes == 0, 20000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(events.stopped, 1, 20000);
        QVERIFY(!rec.isRecording());
        QVERIFY2(i < blocks.size(), "the recording did not stop at its size");
        rec.stop();
        const RecorderStats st = rec.stats();
        QVERIFY2(st.stopReason.contains(QStringLiteral("auto-stop")), qPrintable(st.stopReason));
        QVERIFY(events.errors.isEmpty());
        QVERIFY(st.fileBytes >= o.stopAfterBytes || st.bytesWritten >= o.stopAfterBytes);
        QCOMPARE(h5Column(o.path, "/dev1/s/a").size(), std::size_t(streamSamples(st, QStringLiteral("s"))));
        QCOMPARE(st.droppedSamples, quint64(0));
    }

    // Auto-stop after a duration, with nothing arriving at all.
    void autoStopAfterDuration()
    {
        QTemporaryDir dir;
        RecordingOptions o = options(Format::Csv, dir.filePath(QStringLiteral("dur")));
        o.stopAfterSeconds = 0.2;
        Recorder rec;
        RecorderSignals events(&rec);
        QString error;
        QVERIFY2(rec.start(o, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(events.stopped, 1, 20000);
        QVERIFY(!rec.isRecording());
        QVERIFY2(rec.stats().stopReason.contains(QStringLiteral("0.2 s")), qPrintable(rec.stats().stopReason));
        rec.stop();
        QString again;
        QVERIFY2(rec.start(options(Format::Csv, dir.filePath(QStringLiteral("next"))), &again), qPrintable(again));
        QVERIFY(rec.stats().stopReason.isEmpty());
        rec.stop();
    }
};

QTEST_GUILESS_MAIN(TestRecordingSplit)
#include "test_recording_split.moc"
