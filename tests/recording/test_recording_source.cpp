// SPDX-License-Identifier: GPL-3.0-or-later
// RecordingSource over the same blocks recorded as HDF5 (Hdf5Writer) and as CSV (CsvWriter): the
// same streams, channels, rows, times, gaps and values from both; a time range read in bounded
// pieces that never span a gap; bad files refused with a message naming the file.
#include "RecordingSource.h"
#include "RecordingTestUtil.h"

#include <QDir>
#include <QTemporaryDir>

#include <map>

using namespace bs;
using namespace bs::test;

namespace {

const QString Dev = QStringLiteral("dev1");
constexpr double Dt = 1.0 / 1024;

/// What a stream holds: times as the blocks had them (recording time) and engineering values.
struct Truth
{
    std::vector<double> times;
    std::vector<std::vector<double>> values;
    std::vector<quint64> gapRows; ///< rows that follow a break
};

InstrumentEvent event(InstrumentEvent::Kind kind, double t)
{
    InstrumentEvent e;
    e.kind = kind;
    e.instrumentId = Dev;
    e.time = t;
    return e;
}

/// One recording of three streams of dev1, fed identically to any format:
/// - wave: regular, float64 V + int16 scaled mV, 260 000 rows (several pieces), an index gap of
///   100 samples (index_gap), a t0 jump of 0.5 s with a continuous index (time_jump), and a
///   Stop/Run (run_stop) after which the index restarts;
/// - trig: irregular int32, a block announcing 7 lost samples (device_lost);
/// - ts: irregular with its times from an int64 channel (time_channel, two captures).
struct Story
{
    std::vector<StreamInfo> streams;
    std::vector<std::function<void(Recorder &)>> steps;
    std::map<QString, Truth> truth;

    Story()
    {
        StreamInfo wave;
        wave.id = QStringLiteral("wave");
        wave.name = QStringLiteral("Wave");
        wave.regular = true;
        wave.nominalRate = 1024;
        wave.channels = { { QStringLiteral("a"), QStringLiteral("V"), {}, true, SampleFormat() },
            { QStringLiteral("b"), QStringLiteral("mV"), {}, true, SampleFormat::of(SampleType::Int16, 0.001, 0.5) } };
        StreamInfo trig;
        trig.id = QStringLiteral("trig");
        trig.name = QStringLiteral("Trig");
        trig.channels = { { QStringLiteral("pos"), QStringLiteral("counts"), {}, true, SampleFormat::of(SampleType::Int32) } };
        StreamInfo ts;
        ts.id = QStringLiteral("ts");
        ts.name = QStringLiteral("Timestamps");
        ts.timeChannel = 0;
        ts.channels = { { QStringLiteral("TS"), QStringLiteral("s"), {}, false, SampleFormat::of(SampleType::Int64, 8e-9) },
            { QStringLiteral("v"), QStringLiteral("V"), {}, true, SampleFormat() } };
        streams = { wave, trig, ts };

        // wave: blocks of 5000 rows.
        quint64 index = 0, row = 0;
        double t0 = 0;
        auto waveBlock = [&](std::size_t n) {
            auto b = SampleBlock::make(Dev, QStringLiteral("wave"), { SampleFormat(), SampleFormat::of(SampleType::Int16, 0.001, 0.5) }, n, false);
            b->firstIndex = index;
            b->dt = Dt;
            b->t0 = t0;
            for (std::size_t i = 0; i < n; ++i) {
                b->data<double>(0)[i] = std::sin(double(row + i) * 0.001);
                b->data<std::int16_t>(1)[i] = std::int16_t((row + i) % 30000) - 15000;
            }
            add(QStringLiteral("wave"), b);
            index += n;
            row += n;
            t0 += double(n) * Dt;
        };
        for (int k = 0; k < 30; ++k) // rows 0..150 000
            waveBlock(5000);
        index += 100; // 100 samples lost: an index gap at row 150 000
        t0 += 100 * Dt;
        truth[QStringLiteral("wave")].gapRows.push_back(row);
        for (int k = 0; k < 10; ++k) // .. 200 000
            waveBlock(5000);
        t0 += 0.5; // a time jump, index continuous, at row 200 000
        truth[QStringLiteral("wave")].gapRows.push_back(row);
        for (int k = 0; k < 6; ++k) // .. 230 000
            waveBlock(5000);

        // trig: 3000 rows, then 7 lost, then 2000.
        std::mt19937_64 rng(7);
        double tt = 0.01;
        quint64 tIndex = 0;
        auto trigBlock = [&](std::size_t n, quint64 lost) {
            auto b = SampleBlock::make(Dev, QStringLiteral("trig"), { SampleFormat::of(SampleType::Int32) }, n, true);
            b->firstIndex = tIndex;
            b->lostBefore = lost;
            for (std::size_t i = 0; i < n; ++i) {
                tt += 1e-4 + double(rng() % 1000) * 1e-6;
                b->times[i] = tt;
                b->data<std::int32_t>(0)[i] = std::int32_t(rng() % 2000000) - 1000000;
            }
            b->t0 = b->times.front();
            add(QStringLiteral("trig"), b);
            tIndex += n;
        };
        trigBlock(3000, 0);
        truth[QStringLiteral("trig")].gapRows.push_back(3000);
        tIndex += 7;
        trigBlock(2000, 7);

        // ts: two captures with their own offsets.
        std::int64_t tick = 0;
        quint64 sIndex = 0;
        for (const auto &[offset, n] : std::vector<std::pair<double, std::size_t>> { { 1.0, 4000 }, { 120.0, 3000 } }) {
            auto b = SampleBlock::make(Dev, QStringLiteral("ts"), { SampleFormat::of(SampleType::Int64, 8e-9), SampleFormat() }, n, true);
            b->firstIndex = sIndex;
            for (std::size_t i = 0; i < n; ++i) {
                tick += 1 + std::int64_t(rng() % 20000);
                b->data<std::int64_t>(0)[i] = tick;
                b->data<double>(1)[i] = double(i) * 0.25;
            }
            b->toValues(0, 0, n, b->times.data());
            for (double &t : b->times)
                t += offset;
            b->timeOffset = offset;
            b->t0 = b->times.front();
            add(QStringLiteral("ts"), b);
            sIndex += n;
        }

        // Stop and Run: a marker in every stream; wave goes on with its index restarted.
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::RunStopped, 230000 * Dt + 0.6)); });
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::RunStarted, 230000 * Dt + 2.0)); });
        index = 0;
        t0 += 2.0;
        truth[QStringLiteral("wave")].gapRows.push_back(row);
        for (int k = 0; k < 6; ++k) // .. 260 000
            waveBlock(5000);
    }

    void add(const QString &stream, const MutableSampleBlockPtr &b)
    {
        Truth &t = truth[stream];
        t.values.resize(std::size_t(b->channelCount));
        for (std::size_t i = 0; i < b->sampleCount; ++i) {
            t.times.push_back(b->time(i));
            for (int c = 0; c < b->channelCount; ++c)
                t.values[std::size_t(c)].push_back(b->value(c, i));
        }
        SampleBlockPtr block = b;
        steps.push_back([block](Recorder &r) { r.consume(block); });
    }

    bool record(RecordingOptions::Format format, const QString &path) const
    {
        RecordingOptions o = options(format, path);
        Recorder rec;
        rec.setStreams(Dev, QVector<StreamInfo>(streams.begin(), streams.end()));
        QString error;
        if (!rec.start(o, &error)) {
            qWarning() << error;
            return false;
        }
        for (const auto &step : steps)
            step(rec);
        rec.stop();
        return rec.stats().lastError.isEmpty();
    }
};

const RecordingStreamInfo *find(const RecordingSource &s, const QString &key)
{
    for (const RecordingStreamInfo &st : s.streams())
        if (st.key() == key)
            return &st;
    return nullptr;
}

int indexOf(const RecordingSource &s, const QString &key)
{
    for (int i = 0; i < s.streams().size(); ++i)
        if (s.streams()[i].key() == key)
            return i;
    return -1;
}

/// Every row of [from, to] of a stream, all channels, checking the pieces on the way.
struct ReadBack
{
    std::vector<quint64> rows;
    std::vector<double> times;
    std::vector<std::vector<double>> values;
    std::vector<quint64> gapStarts; ///< first rows of pieces with gapBefore
    std::size_t pieces = 0;
    bool piecesOk = true;
};

ReadBack readAll(RecordingSource &src, int stream, double from, double to)
{
    ReadBack r;
    QList<int> channels;
    for (int c = 0; c < src.streams()[stream].channels.size(); ++c)
        channels << c;
    r.values.resize(std::size_t(channels.size()));
    QString error;
    const bool ok = src.read(stream, channels, from, to, [&](const RecordingPiece &p) {
        ++r.pieces;
        if (!(p.rows > 0 && p.rows <= RecordingSource::PieceRows && (r.rows.empty() || p.firstRow == r.rows.back() + 1)))
            qWarning() << "piece" << r.pieces << p.firstRow << p.rows << (r.rows.empty() ? -1 : qint64(r.rows.back()));
        r.piecesOk = r.piecesOk && p.rows > 0 && p.rows <= RecordingSource::PieceRows
            && (r.rows.empty() || p.firstRow == r.rows.back() + 1);
        if (p.gapBefore)
            r.gapStarts.push_back(p.firstRow);
        for (std::size_t i = 0; i < p.rows; ++i) {
            r.rows.push_back(p.firstRow + i);
            r.times.push_back(p.times[i]);
            for (std::size_t k = 0; k < r.values.size(); ++k)
                r.values[k].push_back(p.values[k][i]);
        }
        return true;
    }, &error);
    if (!ok)
        qWarning() << error;
    r.piecesOk = r.piecesOk && ok;
    return r;
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

QByteArray readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestRecordingSource : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Story m_story;
    QString m_h5, m_csv;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_h5 = m_dir.filePath(QStringLiteral("rec.h5"));
        m_csv = m_dir.filePath(QStringLiteral("rec"));
        QVERIFY(m_story.record(RecordingOptions::Format::Hdf5, m_h5));
        QVERIFY(m_story.record(RecordingOptions::Format::Csv, m_csv));
    }

    // Streams, channels, rows, first/last times and gaps: as fed, and the same from both formats.
    void sameStreamsFromBothFormats()
    {
        QString error;
        const auto h5 = RecordingSource::open(m_h5, &error);
        QVERIFY2(h5, qPrintable(error));
        const auto csv = RecordingSource::open(m_csv, &error);
        QVERIFY2(csv, qPrintable(error));
        QCOMPARE(h5->format(), QStringLiteral("hdf5"));
        QCOMPARE(csv->format(), QStringLiteral("csv"));
        QCOMPARE(h5->streams().size(), 3);
        QCOMPARE(csv->streams().size(), 3);
        for (const QString &id : { QStringLiteral("wave"), QStringLiteral("trig"), QStringLiteral("ts") }) {
            const Truth &truth = m_story.truth.at(id);
            const RecordingStreamInfo *a = find(*h5, QStringLiteral("dev1/") + id);
            const RecordingStreamInfo *b = find(*csv, QStringLiteral("dev1/") + id);
            QVERIFY(a && b);
            QCOMPARE(a->rows, quint64(truth.times.size()));
            QCOMPARE(b->rows, a->rows);
            QCOMPARE(a->channels.size(), int(truth.values.size()));
            for (int c = 0; c < a->channels.size(); ++c) {
                QCOMPARE(b->channels[c].name, a->channels[c].name);
                QCOMPARE(b->channels[c].unit, a->channels[c].unit);
            }
            QCOMPARE(a->firstTime, truth.times.front());
            QCOMPARE(a->lastTime, truth.times.back());
            QVERIFY(sameCsvTime(b->firstTime, a->firstTime));
            QVERIFY(sameCsvTime(b->lastTime, a->lastTime));
            QCOMPARE(b->regular, a->regular);
            // Gaps: the rows the story broke at, plus the Stop/Run in every stream that had rows
            // on both sides of it (only wave).
            std::vector<quint64> rowsA, rowsB;
            for (const RecordingGap &g : a->gaps)
                rowsA.push_back(g.row);
            for (const RecordingGap &g : b->gaps)
                rowsB.push_back(g.row);
            QCOMPARE(rowsA, truth.gapRows);
            QCOMPARE(rowsB, truth.gapRows);
            for (std::size_t g = 0; g < a->gaps.size(); ++g) {
                QCOMPARE(b->gaps[g].kind, a->gaps[g].kind);
                QCOMPARE(b->gaps[g].lost, a->gaps[g].lost);
                QCOMPARE(a->gaps[g].start, truth.times[a->gaps[g].row - 1]);
                QCOMPARE(a->gaps[g].end, truth.times[a->gaps[g].row]);
                QVERIFY(sameCsvTime(b->gaps[g].start, a->gaps[g].start));
                QVERIFY(sameCsvTime(b->gaps[g].end, a->gaps[g].end));
            }
        }
        const RecordingStreamInfo *wave = find(*h5, QStringLiteral("dev1/wave"));
        QCOMPARE(wave->gaps[0].kind, QStringLiteral("index_gap"));
        QCOMPARE(wave->gaps[0].lost, quint64(100));
        QCOMPARE(wave->gaps[1].kind, QStringLiteral("time_jump"));
        QCOMPARE(wave->gaps[2].kind, QStringLiteral("run_stop"));
        const RecordingStreamInfo *trig = find(*h5, QStringLiteral("dev1/trig"));
        QCOMPARE(trig->gaps[0].kind, QStringLiteral("device_lost"));
        QCOMPARE(trig->gaps[0].lost, quint64(7));
        QCOMPARE(find(*h5, QStringLiteral("dev1/ts"))->header.instrumentId, Dev);
    }

    // Every row in pieces of at most 64 Ki rows; a new piece at every gap, flagged; the values
    // exactly as fed (HDF5 bit for bit, CSV as its text reads back), the same from both.
    void readsEveryRowInPieces()
    {
        QString error;
        const auto h5 = RecordingSource::open(m_h5, &error);
        const auto csv = RecordingSource::open(m_csv, &error);
        QVERIFY(h5 && csv);
        for (const QString &id : { QStringLiteral("wave"), QStringLiteral("trig"), QStringLiteral("ts") }) {
            const Truth &truth = m_story.truth.at(id);
            const double inf = std::numeric_limits<double>::infinity();
            const ReadBack a = readAll(*h5, indexOf(*h5, QStringLiteral("dev1/") + id), -inf, inf);
            const ReadBack b = readAll(*csv, indexOf(*csv, QStringLiteral("dev1/") + id), -inf, inf);
            QVERIFY(a.piecesOk && b.piecesOk);
            QCOMPARE(a.times.size(), truth.times.size());
            QCOMPARE(b.times.size(), truth.times.size());
            QCOMPARE(a.gapStarts, truth.gapRows);
            QCOMPARE(b.gapStarts, truth.gapRows);
            QVERIFY(a.pieces >= truth.times.size() / RecordingSource::PieceRows + 1);
            for (std::size_t r = 0; r < truth.times.size(); ++r) {
                QVERIFY2(sameBits(a.times[r], truth.times[r]), qPrintable(QStringLiteral("%1 row %2").arg(id).arg(r)));
                QVERIFY(sameCsvTime(b.times[r], truth.times[r]));
                for (std::size_t c = 0; c < truth.values.size(); ++c) {
                    QVERIFY(sameBits(a.values[c][r], truth.values[c][r]));
                    QVERIFY(sameCsvValue(b.values[c][r], truth.values[c][r]));
                }
            }
        }
    }

    // A time range: exactly the rows whose times lie in [from, to] (inclusive), found by binary
    // search (HDF5) or from the nearest checkpoint (CSV); a range inside a gap has no rows.
    void readsATimeRange()
    {
        QString error;
        const auto h5 = RecordingSource::open(m_h5, &error);
        const auto csv = RecordingSource::open(m_csv, &error);
        QVERIFY(h5 && csv);
        struct Case
        {
            QString stream;
            double from, to;
        };
        const Truth &wave = m_story.truth.at(QStringLiteral("wave"));
        const Truth &trig = m_story.truth.at(QStringLiteral("trig"));
        const QList<Case> cases = {
            { QStringLiteral("wave"), wave.times[70000] + Dt / 2, wave.times[210000] + Dt / 3 }, // spans two gaps
            { QStringLiteral("wave"), wave.times[1000], wave.times[1000] }, // one row, on its time
            { QStringLiteral("wave"), wave.times[199999] + 0.1, wave.times[199999] + 0.2 }, // inside the jump
            { QStringLiteral("trig"), (trig.times[10] + trig.times[11]) / 2, (trig.times[4500] + trig.times[4501]) / 2 },
            { QStringLiteral("ts"), 100.0, 1e9 },
            { QStringLiteral("wave"), -5.0, -1.0 },
        };
        for (const Case &k : cases) {
            const Truth &truth = m_story.truth.at(k.stream);
            std::vector<quint64> expected;
            for (std::size_t r = 0; r < truth.times.size(); ++r)
                if (truth.times[r] >= k.from && truth.times[r] <= k.to)
                    expected.push_back(r);
            const ReadBack a = readAll(*h5, indexOf(*h5, QStringLiteral("dev1/") + k.stream), k.from, k.to);
            const ReadBack b = readAll(*csv, indexOf(*csv, QStringLiteral("dev1/") + k.stream), k.from, k.to);
            QVERIFY(a.piecesOk && b.piecesOk);
            QCOMPARE(a.rows, expected);
            QCOMPARE(b.rows, expected);
            std::vector<quint64> gapsInside;
            for (quint64 g : truth.gapRows)
                if (!expected.empty() && g > expected.front() && g <= expected.back())
                    gapsInside.push_back(g);
            QCOMPARE(a.gapStarts, gapsInside);
            QCOMPARE(b.gapStarts, gapsInside);
        }
    }

    // Stopping early: the reader's callback returning false ends the read.
    void stopsWhenAsked()
    {
        QString error;
        const auto h5 = RecordingSource::open(m_h5, &error);
        QVERIFY(h5);
        int calls = 0;
        QVERIFY(h5->read(indexOf(*h5, QStringLiteral("dev1/wave")), { 0 }, -1e9, 1e9, [&](const RecordingPiece &) {
            ++calls;
            return false;
        }, &error));
        QCOMPARE(calls, 1);
    }

    // Files that are no recording, cut short, of a newer format or with a malformed line: refused
    // with a message naming the file and what is wrong.
    void refusesBadFiles()
    {
        QString error;
        QTemporaryDir dir;
        const QString text = dir.filePath(QStringLiteral("notes.h5"));
        writeText(text, "just some text\n");
        QVERIFY(!RecordingSource::open(text, &error));
        QVERIFY2(error.contains(QStringLiteral("notes.h5")) && error.contains(QStringLiteral("not a BenchScope recording")), qPrintable(error));

        QVERIFY(!RecordingSource::open(dir.filePath(QStringLiteral("missing.h5")), &error));
        QVERIFY2(error.contains(QStringLiteral("missing.h5")) && error.contains(QStringLiteral("does not exist")), qPrintable(error));

        // HDF5 cut to half its size.
        const QString cut = dir.filePath(QStringLiteral("cut.h5"));
        QVERIFY(QFile::copy(m_h5, cut));
        QVERIFY(QFile::resize(cut, QFileInfo(m_h5).size() / 2));
        if (auto s = RecordingSource::open(cut, &error)) {
            bool allRead = true;
            for (int i = 0; i < s->streams().size(); ++i)
                allRead = allRead && s->read(i, { 0 }, -1e300, 1e300, [](const RecordingPiece &) { return true; }, &error);
            QVERIFY(!allRead);
        }
        QVERIFY2(error.contains(QStringLiteral("cut.h5")), qPrintable(error));

        // HDF5 of a newer format version.
        const QString newer = dir.filePath(QStringLiteral("newer.h5"));
        QVERIFY(QFile::copy(m_h5, newer));
        QFile::setPermissions(newer, QFile::ReadOwner | QFile::WriteOwner);
        {
            hid_t f = H5Fopen(newer.toLocal8Bit().constData(), H5F_ACC_RDWR, H5P_DEFAULT);
            QVERIFY(f >= 0);
            hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
            const qint64 v = 99;
            QVERIFY(H5Awrite(a, H5T_NATIVE_INT64, &v) >= 0);
            H5Aclose(a);
            H5Fclose(f);
        }
        QVERIFY(!RecordingSource::open(newer, &error));
        QVERIFY2(error.contains(QStringLiteral("newer.h5")) && error.contains(QStringLiteral("99")), qPrintable(error));

        // CSV: a newer format, a malformed number, a row with a field missing.
        const QByteArray good = readText(QDir(m_csv).filePath(QStringLiteral("dev1_trig.csv")));
        QVERIFY(good.startsWith("# BenchScope recording, format benchscope-csv 2\n"));
        const QString bad = dir.filePath(QStringLiteral("bad.csv"));
        QByteArray t = good;
        t.replace("format benchscope-csv 2", "format benchscope-csv 9");
        writeText(bad, t);
        QVERIFY(!RecordingSource::open(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("bad.csv")) && error.contains(QStringLiteral("format version 9")), qPrintable(error));
        QList<QByteArray> lines = good.split('\n');
        int firstRow = 0;
        while (lines[firstRow].startsWith('#'))
            ++firstRow;
        ++firstRow; // after the column line
        lines[firstRow + 5] = lines[firstRow + 5].split(',').front() + ",12x";
        writeText(bad, lines.join('\n'));
        QVERIFY(!RecordingSource::open(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("bad.csv")) && error.contains(QStringLiteral("line %1").arg(firstRow + 6))
                && error.contains(QStringLiteral("12x")),
            qPrintable(error));
        lines[firstRow + 5] = lines[firstRow + 5].split(',').front();
        writeText(bad, lines.join('\n'));
        QVERIFY(!RecordingSource::open(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("line %1 has 1 fields").arg(firstRow + 6)), qPrintable(error));

        // A last line cut short (a writer killed mid-write) is ignored, as the format says.
        QByteArray cutCsv = good;
        cutCsv.chop(cutCsv.size() - cutCsv.lastIndexOf("\n# end"));
        cutCsv.append("\n0.99,12");
        writeText(bad, cutCsv);
        auto s = RecordingSource::open(bad, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->streams().front().rows, quint64(5000));

        // A folder: a CSV that is not BenchScope's is skipped with a warning; a folder with none
        // of ours is refused.
        const QString folder = dir.filePath(QStringLiteral("folder"));
        QVERIFY(QDir().mkpath(folder));
        writeText(QDir(folder).filePath(QStringLiteral("a_other.csv")), "x,y\n1,2\n");
        QVERIFY(!RecordingSource::open(folder, &error));
        QVERIFY2(error.contains(QStringLiteral("no BenchScope CSV")), qPrintable(error));
        writeText(QDir(folder).filePath(QStringLiteral("dev1_trig.csv")), good);
        s = RecordingSource::open(folder, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->streams().size(), 1);
        QCOMPARE(s->warnings().size(), 1);
        QVERIFY(s->warnings().front().contains(QStringLiteral("a_other.csv")));
    }

    // Damaged files (seeded): CSV cut at many lengths, bytes changed, lines doubled or dropped;
    // HDF5 cut. Each is refused with a message or reads to its end — nothing crashes or hangs.
    void survivesDamagedFiles()
    {
        QTemporaryDir dir;
        std::mt19937_64 rng(14);
        const QByteArray csvText = readText(QDir(m_csv).filePath(QStringLiteral("dev1_ts.csv")));
        const QString csvPath = dir.filePath(QStringLiteral("damaged.csv"));
        int opened = 0, refused = 0;
        auto exercise = [&](const QString &path) {
            QString error;
            const auto s = RecordingSource::open(path, &error);
            if (!s) {
                QVERIFY2(!error.isEmpty() && error.contains(QFileInfo(path).fileName()), qPrintable(error));
                ++refused;
                return;
            }
            ++opened;
            for (int i = 0; i < s->streams().size(); ++i) {
                QList<int> all;
                for (int c = 0; c < s->streams()[i].channels.size(); ++c)
                    all << c;
                std::size_t rows = 0;
                const bool ok = s->read(i, all, -1e300, 1e300, [&](const RecordingPiece &p) {
                    rows += p.rows;
                    return p.rows <= RecordingSource::PieceRows;
                }, &error);
                QVERIFY2(ok || !error.isEmpty(), "a failed read says why");
                QVERIFY(rows <= s->streams()[i].rows);
            }
        };
        for (int k = 0; k < 300; ++k) {
            QByteArray t = csvText;
            switch (k % 4) {
            case 0: // cut short
                t.truncate(qsizetype(rng() % quint64(t.size())));
                break;
            case 1: // bytes changed
                for (int j = 0; j < 1 + int(rng() % 8); ++j)
                    t[qsizetype(rng() % quint64(t.size()))] = char(rng() % 256);
                break;
            case 2: { // a line doubled, one dropped
                QList<QByteArray> lines = t.split('\n');
                const qsizetype a = qsizetype(rng() % quint64(lines.size()));
                lines.insert(a, lines[a]);
                lines.removeAt(qsizetype(rng() % quint64(lines.size())));
                t = lines.join('\n');
                break;
            }
            default: // separators and signs where numbers were
                for (int j = 0; j < 4; ++j)
                    t[qsizetype(t.size() / 2 + qsizetype(rng() % quint64(t.size() / 2)))] = ",-e.#\n"[rng() % 6];
            }
            writeText(csvPath, t);
            exercise(csvPath);
        }
        // HDF5 cut at many lengths (a copy that stopped, a disk that filled). Bytes changed inside
        // an HDF5 file are not tried: libhdf5 1.10 itself may crash on those (README.md).
        const QByteArray h5 = readText(m_h5);
        const QString h5Path = dir.filePath(QStringLiteral("damaged.h5"));
        for (int k = 0; k < 60; ++k) {
            QByteArray t = h5;
            t.truncate(k < 20 ? qsizetype(k * 97) : qsizetype(rng() % quint64(t.size())));
            writeText(h5Path, t);
            exercise(h5Path);
        }
        QVERIFY(opened > 0 && refused > 0);
    }
};

QTEST_GUILESS_MAIN(TestRecordingSource)
#include "test_recording_source.moc"
