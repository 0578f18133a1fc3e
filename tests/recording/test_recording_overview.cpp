// SPDX-License-Identifier: GPL-3.0-or-later
// The min/max overview of a recording (issue 14, "Recording browser"): written by Hdf5Writer as
// rows arrive, equal at every level to min/max computed from the samples (partial last node, NaN,
// integer types with scale/offset, split parts, gaps); a file cut by a crash keeps its complete
// nodes; Hdf5Browser::envelope() equals a brute-force envelope over every sample for random
// windows; a format-2 file gets its overview built on request (stored or in memory, cancellable).
#include "Hdf5Browser.h"
#include "Hdf5Layout.h"
#include "Hdf5Writer.h"
#include "OverviewTestUtil.h"
#include "RecordingTestUtil.h"

#include <QDir>
#include <QScopeGuard>
#include <QTemporaryDir>

#include <algorithm>
#include <limits>

using namespace bs;
using namespace bs::test;

namespace {

const QString Inst = QStringLiteral("adc");
constexpr double Dt = 1.0 / 1024;

std::vector<SampleFormat> formats()
{
    return { SampleFormat::of(SampleType::Int16, 5.0 / 32767.0), SampleFormat::of(SampleType::Int32, -1e-3, 2.5),
        SampleFormat::of(SampleType::Float32), SampleFormat::of(SampleType::Float64, 2.0, 0.25),
        SampleFormat::of(SampleType::Int8) };
}

StreamInfo streamOf(const QString &id, bool regular)
{
    StreamInfo s;
    s.id = id;
    s.name = id;
    s.regular = regular;
    s.nominalRate = 1024;
    const auto f = formats();
    for (std::size_t c = 0; c < f.size(); ++c) {
        ChannelInfo ch;
        ch.name = QStringLiteral("c%1").arg(c);
        ch.unit = QStringLiteral("V");
        ch.format = f[c];
        s.channels.append(ch);
    }
    return s;
}

/// `v` converted to the integer type T, held to its range (a plain cast of a value outside the
/// range is undefined behaviour, and UBSan says so).
template<typename T>
T saturated(double v)
{
    return T(std::clamp(v, double(std::numeric_limits<T>::min()), double(std::numeric_limits<T>::max())));
}

/// A slow wave with noise (so that node min/max differ), NaN runs in the float channels (one of
/// them a whole node long), integer extremes now and then.
MutableSampleBlockPtr block(std::mt19937_64 &rng, const QString &id, bool regular, std::size_t n, quint64 first,
    quint64 row, double *t)
{
    const auto f = formats();
    auto b = SampleBlock::make(Inst, id, f, n, !regular);
    b->firstIndex = first;
    if (regular) {
        b->dt = Dt;
        b->t0 = double(first) * Dt;
    } else {
        std::uniform_real_distribution<double> step(1e-5, 2e-3);
        for (std::size_t i = 0; i < n; ++i)
            b->times[i] = (*t += step(rng));
        b->t0 = b->times.empty() ? 0 : b->times[0];
    }
    std::normal_distribution<double> noise(0, 0.1);
    for (std::size_t i = 0; i < n; ++i) {
        const quint64 r = row + i;
        const double w = std::sin(double(r) * 1e-4) + noise(rng);
        const bool nanRun = (r >= 5 * 4096 && r < 6 * 4096) || r % 997 == 0;
        b->data<qint16>(0)[i] = r % 5003 == 0 ? qint16(-32768) : saturated<qint16>(w * 20000);
        b->data<qint32>(1)[i] = saturated<qint32>(w * 1e6);
        b->data<float>(2)[i] = nanRun ? NAN : float(w);
        b->data<double>(3)[i] = nanRun && r % 2 ? NAN : w * 3;
        b->data<qint8>(4)[i] = saturated<qint8>(w * 100); // noise may take w past ±1.27
    }
    return b;
}

/// Blocks of random sizes; an index gap and a device loss in the regular stream.
QList<SampleBlockPtr> feed(const QString &id, bool regular, quint64 rows, unsigned seed)
{
    std::mt19937_64 rng(seed);
    QList<SampleBlockPtr> blocks;
    quint64 row = 0, index = 0;
    double t = 0;
    while (row < rows) {
        const std::size_t n = std::size_t(std::min<quint64>(rows - row, 1 + rng() % 6000));
        if (regular && blocks.size() == 7)
            index += 300; // an index gap
        auto b = block(rng, id, regular, n, index, row, &t);
        if (regular && blocks.size() == 13)
            b->lostBefore = 50;
        blocks << b;
        row += n;
        index += n;
    }
    return blocks;
}

constexpr quint64 Rows = 4096 * 16 * 2 + 4096 * 3 + 1234; // levels 0 and 1 full and partial

RecordingOptions options(const QString &path)
{
    return adcOptions(RecordingOptions::Format::Hdf5, path, Inst);
}

RecorderStats record(const RecordingOptions &o)
{
    Recorder rec;
    rec.setStreams(Inst, { streamOf(QStringLiteral("reg"), true), streamOf(QStringLiteral("irr"), false) });
    QString error;
    if (!rec.start(o, &error)) {
        RecorderStats st;
        st.lastError = error;
        return st;
    }
    const auto a = feed(QStringLiteral("reg"), true, Rows, 1), b = feed(QStringLiteral("irr"), false, Rows / 3, 2);
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i < a.size())
            rec.consume(a[i]);
        if (i < b.size())
            rec.consume(b[i]);
    }
    rec.stop();
    return rec.stats();
}

/// The envelope by its definition, sample by sample (src/display README, "Envelope semantics",
/// plus a NaN point between two points with a gap of the recording between them).
RecordingEnvelope bruteEnvelope(const std::vector<double> &t, const std::vector<double> &v,
    const std::vector<quint64> &gapRows, double tFrom, double tTo, int columns)
{
    RecordingEnvelope e;
    const quint64 rows = t.size();
    quint64 lo = 0;
    while (lo < rows && t[lo] < tFrom)
        ++lo;
    quint64 end = lo;
    while (end < rows && t[end] < tTo)
        ++end;
    const quint64 first = lo > 0 ? lo - 1 : lo, last = end < rows ? end + 1 : end;
    auto add = [&e](double time, double value) {
        if (!std::isnan(value)) {
            e.t.push_back(time);
            e.v.push_back(value);
        }
    };
    struct Col
    {
        quint64 n = 0;
        double t0 = 0, v0 = 0, t1 = 0, v1 = 0, lo = INFINITY, hi = -INFINITY;
    } col;
    auto flush = [&] {
        if (col.n == 0)
            return;
        if (col.n <= 2) {
            add(col.t0, col.v0);
            if (col.n == 2)
                add(col.t1, col.v1);
        } else if (col.lo <= col.hi) {
            const bool maxFirst = col.v0 > col.v1;
            add(col.t0, maxFirst ? col.hi : col.lo);
            add(col.t1, maxFirst ? col.lo : col.hi);
        }
        col = Col();
    };
    int current = -1;
    for (quint64 i = first; i < last; ++i) {
        if (i > first && std::find(gapRows.begin(), gapRows.end(), i) != gapRows.end()) {
            flush();
            current = -1;
            e.t.push_back(0.5 * (t[i - 1] + t[i]));
            e.v.push_back(NAN);
        }
        if (i < lo || i >= end) {
            flush();
            add(t[i], v[i]);
            continue;
        }
        int c = 0;
        while (c < columns - 1 && t[i] >= tFrom + (tTo - tFrom) * double(c + 1) / double(columns))
            ++c;
        if (c != current)
            flush();
        current = c;
        if (col.n == 0) {
            col.t0 = t[i];
            col.v0 = v[i];
        }
        col.t1 = t[i];
        col.v1 = v[i];
        ++col.n;
        if (v[i] < col.lo)
            col.lo = v[i];
        if (v[i] > col.hi)
            col.hi = v[i];
    }
    flush();
    return e;
}

bool sameEnvelope(const RecordingEnvelope &a, const RecordingEnvelope &b, QString *why)
{
    if (a.size() != b.size()) {
        *why = QStringLiteral("%1 points, expected %2").arg(a.size()).arg(b.size());
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a.t[i] != b.t[i] || !sameNumber(a.v[i], b.v[i])) {
            *why = QStringLiteral("point %1: (%2, %3), expected (%4, %5)")
                       .arg(i)
                       .arg(a.t[i], 0, 'g', 17)
                       .arg(a.v[i], 0, 'g', 17)
                       .arg(b.t[i], 0, 'g', 17)
                       .arg(b.v[i], 0, 'g', 17);
            return false;
        }
    return true;
}

/// envelope() against the brute force for every channel and `windows` random windows (zoomed
/// far in, far out, across gaps, beyond the ends). Returns how many windows were compared.
int compareEnvelopes(Hdf5Browser &browser, unsigned seed, int windows)
{
    std::mt19937_64 rng(seed);
    const Hdf5RecordingReader &r = browser.source().reader();
    int compared = 0;
    // Every column exact (column edges moved to node boundaries: test_overview_column_edges).
    const quint64 snapNodes = browser.snapNodes();
    browser.setSnapNodes(0);
    const auto restore = qScopeGuard([&] { browser.setSnapNodes(snapNodes); });
    for (int s = 0; s < browser.streams().size(); ++s) {
        const RecordingStreamInfo &info = browser.streams()[s];
        if (info.rows == 0)
            continue;
        std::vector<double> t(info.rows);
        QString error;
        if (!r.readTimes(s, 0, info.rows, t.data(), &error)) {
            QTest::qFail(qPrintable(error), __FILE__, __LINE__);
            return compared;
        }
        std::vector<quint64> gapRows;
        for (const RecordingGap &g : info.gaps)
            gapRows.push_back(g.row);
        for (int c = 0; c < info.channels.size(); ++c) {
            std::vector<double> v(info.rows);
            if (!r.readValues(s, c, 0, info.rows, v.data(), &error)) {
                QTest::qFail(qPrintable(error), __FILE__, __LINE__);
                return compared;
            }
            const double span = info.lastTime - info.firstTime;
            for (int w = 0; w < windows; ++w) {
                std::uniform_real_distribution<double> u(-0.05, 1.05);
                const double zoom = std::pow(10.0, -double(rng() % 6)); // whole … a few samples
                const double from = info.firstTime + u(rng) * span;
                const double to = from + zoom * span * (0.1 + double(rng() % 100) / 50.0);
                const int columns = w == 0 ? 2000 : int(1 + rng() % 700);
                const double a = w == 0 ? info.firstTime : from, b = w == 0 ? info.lastTime + 1 : to;
                RecordingEnvelope got, viaOverview;
                browser.setScanRows(65536);
                const bool ok = browser.envelope(s, c, a, b, columns, &got, &error);
                browser.setScanRows(0); // every window of more than 4 rows per column: the overview path
                if (!ok || !browser.envelope(s, c, a, b, columns, &viaOverview, &error)) {
                    QTest::qFail(qPrintable(error), __FILE__, __LINE__);
                    return compared;
                }
                browser.setScanRows(65536);
                const RecordingEnvelope want = bruteEnvelope(t, v, gapRows, a, b, columns);
                QString why;
                if (!sameEnvelope(got, want, &why) || !sameEnvelope(viaOverview, want, &why)) {
                    QTest::qFail(qPrintable(QStringLiteral("stream %1 channel %2 window [%3, %4) in %5 columns: %6")
                                                .arg(s)
                                                .arg(c)
                                                .arg(a, 0, 'g', 17)
                                                .arg(b, 0, 'g', 17)
                                                .arg(columns)
                                                .arg(why)),
                        __FILE__, __LINE__);
                    return compared;
                }
                ++compared;
            }
        }
    }
    return compared;
}

} // namespace

class TestRecordingOverview : public QObject
{
    Q_OBJECT
private slots:
    void writerOverviewEqualsSamples();
    void splitPartsHaveTheirOwn();
    void fileCutByACrashKeepsCompleteNodes();
    void envelopeEqualsBruteForce();
    void formatTwoFileGetsAnOverviewOnRequest();
};

void TestRecordingOverview::writerOverviewEqualsSamples()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ov.h5"));
    const RecorderStats st = record(options(path));
    QVERIFY2(st.lastError.isEmpty(), qPrintable(st.lastError));
    QCOMPARE(st.droppedSamples, quint64(0));
    // 5 channels × (levels 0…5 of 144 594 rows: 36 + 3 + 1 + 1 + 1 + 1, of 48 198 rows: 12 + 5 × 1).
    QCOMPARE(verifyOverview(path, true), std::size_t(5 * (43 + 17)));
    QCOMPARE(readNumberAttr(H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT), "/", "format_version"),
        5.0);
    Hdf5Browser b;
    QString error;
    QVERIFY2(b.open(path, &error), qPrintable(error));
    QCOMPARE(b.rowsWithoutOverview(0), quint64(0));
    QCOMPARE(b.rowsWithoutOverview(1), quint64(0));
    QVERIFY(!b.streams()[0].gaps.empty()); // the index gap and the device loss
}

void TestRecordingOverview::splitPartsHaveTheirOwn()
{
    QTemporaryDir dir;
    RecordingOptions o = options(dir.filePath(QStringLiteral("split.h5")));
    o.splitBytes = 600 * 1024;
    const RecorderStats st = record(o);
    QVERIFY2(st.lastError.isEmpty(), qPrintable(st.lastError));
    QVERIFY2(st.files.size() >= 2, qPrintable(st.files.join(QLatin1Char(' '))));
    quint64 rows = 0;
    for (const QString &part : st.files) {
        QVERIFY(verifyOverview(part, true) > 0);
        Hdf5RecordingReader r;
        QString error;
        QVERIFY2(r.open(part, &error), qPrintable(error));
        for (const auto &stream : r.streams())
            if (stream.streamId == QStringLiteral("reg"))
                rows += stream.rows;
    }
    QCOMPARE(rows, Rows);
}

void TestRecordingOverview::fileCutByACrashKeepsCompleteNodes()
{
    // The file on disk between flushes is the last flush (README.md, flush discipline): a copy
    // taken then is what a crash would leave.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.h5"));
    Hdf5Writer w;
    QString error;
    QVERIFY2(w.open(options(path), &error), qPrintable(error));
    StreamHeader h;
    h.instrument = options(path).instruments.front();
    h.stream = streamOf(QStringLiteral("reg"), true);
    h.dt = Dt;
    const int s = w.addStream(h, nullptr, &error);
    QVERIFY2(s >= 0, qPrintable(error));
    const auto blocks = feed(QStringLiteral("reg"), true, Rows, 3);
    quint64 written = 0;
    int k = 0;
    Segment seg;
    seg.dt = Dt;
    for (; k < blocks.size() && written < 4096 * 21 + 77; ++k) {
        seg.fileRow = written;
        seg.sampleIndex = blocks[k]->firstIndex;
        seg.t0 = blocks[k]->t0;
        QVERIFY2(w.write(s, *blocks[k], &seg, &error), qPrintable(error));
        written += blocks[k]->sampleCount;
    }
    QVERIFY2(w.flush(&error), qPrintable(error));
    const quint64 flushed = written;
    for (; k < blocks.size() && written < Rows - 5000; ++k) { // more rows, not flushed
        seg.fileRow = written;
        seg.sampleIndex = blocks[k]->firstIndex;
        seg.t0 = blocks[k]->t0;
        QVERIFY2(w.write(s, *blocks[k], &seg, &error), qPrintable(error));
        written += blocks[k]->sampleCount;
    }
    const QString cut = dir.filePath(QStringLiteral("cut.h5"));
    QVERIFY(QFile::copy(path, cut));
    QVERIFY2(w.close(&error), qPrintable(error));

    Hdf5RecordingReader r;
    QVERIFY2(r.open(cut, &error), qPrintable(error));
    QCOMPARE(r.streams()[0].rows, flushed);
    QVERIFY(!r.streams()[0].closed);
    r.close(); // (HDF5 opens a file for writing only when nobody has it open)
    QVERIFY(verifyOverview(cut, false) >= 5 * 21);
    // The browser completes the last partial node from the rows (in memory) and draws it all.
    Hdf5Browser b;
    QVERIFY2(b.open(cut, &error), qPrintable(error));
    QCOMPARE(b.rowsWithoutOverview(0), flushed % 4096);
    QVERIFY(compareEnvelopes(b, 7, 12) > 0);
    bool stored = false;
    QVERIFY2(b.buildOverview({}, true, &stored, &error), qPrintable(error));
    QVERIFY(stored);
    QCOMPARE(b.rowsWithoutOverview(0), quint64(0));
    QVERIFY(verifyOverview(cut, true) > 0);
}

void TestRecordingOverview::envelopeEqualsBruteForce()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("env.h5"));
    const RecorderStats st = record(options(path));
    QVERIFY2(st.lastError.isEmpty(), qPrintable(st.lastError));
    Hdf5Browser b;
    QString error;
    QVERIFY2(b.open(path, &error), qPrintable(error));
    QCOMPARE(compareEnvelopes(b, 11, 40), 2 * 5 * 40);
    // Zoomed out, the picture comes from the overview: far fewer rows read than the window holds.
    RecordingEnvelope e;
    QVERIFY2(b.envelope(0, 0, b.streams()[0].firstTime, b.streams()[0].lastTime, 3, &e, &error), qPrintable(error));
    // Per column part (a gap cuts a column in two) at most its two ragged ends, each < 4096 rows.
    const std::size_t parts = 3 + b.streams()[0].gaps.size();
    QVERIFY2(b.lastRowsRead() <= parts * 2 * 4095 && b.lastRowsRead() < Rows / 2,
        qPrintable(QStringLiteral("%1 rows read, %2 column parts").arg(b.lastRowsRead()).arg(parts)));
    QVERIFY(e.size() >= 3 && e.size() <= 2 * 3 + 2 + b.streams()[0].gaps.size() * 3);
}

void TestRecordingOverview::formatTwoFileGetsAnOverviewOnRequest()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("old.h5"));
    QVERIFY(QFile::copy(QStringLiteral(BS_FIXTURES_DIR "/recording/format2.h5"), path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    Hdf5Browser b;
    QString error;
    QVERIFY2(b.open(path, &error), qPrintable(error));
    QCOMPARE(b.source().reader().formatVersion(), qint64(2));
    quint64 missing = 0;
    for (int s = 0; s < b.streams().size(); ++s) {
        QCOMPARE(b.rowsWithoutOverview(s), b.streams()[s].rows);
        missing += b.streams()[s].rows;
    }
    QVERIFY(missing > 0);
    // Cancelled: nothing is kept, nothing written.
    int calls = 0;
    bool stored = true;
    QVERIFY(!b.buildOverview([&calls](double) { return ++calls < 1; }, true, &stored, &error));
    QVERIFY(!stored);
    QVERIFY2(error.contains(QStringLiteral("cancelled")), qPrintable(error));
    QCOMPARE(b.rowsWithoutOverview(0), b.streams()[0].rows);
    // In memory only.
    double last = -1;
    QVERIFY2(b.buildOverview([&last](double f) { return (last = f), true; }, false, &stored, &error), qPrintable(error));
    QVERIFY(!stored);
    QCOMPARE(last, 1.0);
    QVERIFY(compareEnvelopes(b, 5, 10) > 0);
    // Stored in the file: a new browser finds it, and it equals the samples.
    QVERIFY2(b.buildOverview({}, true, &stored, &error), qPrintable(error));
    QVERIFY(stored);
    Hdf5Browser again;
    QVERIFY2(again.open(path, &error), qPrintable(error));
    for (int s = 0; s < again.streams().size(); ++s)
        QCOMPARE(again.rowsWithoutOverview(s), quint64(0));
    QVERIFY(verifyOverview(path, true) > 0);
    QVERIFY(compareEnvelopes(again, 6, 10) > 0);
}

QTEST_GUILESS_MAIN(TestRecordingOverview)
#include "test_recording_overview.moc"
