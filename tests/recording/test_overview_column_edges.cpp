// SPDX-License-Identifier: GPL-3.0-or-later
// Zoomed out, Hdf5Browser::envelope() moves the edge between two wide columns to the nearest
// overview node boundary, so that the first picture of a large recording needs no raw reads of
// the columns' ragged ends (issue 14). Checked here: a spike in what would be a column's ragged
// end still appears with its exact value, in that column or its neighbour; a gap is still a break
// exactly where it is, with the samples next to it on their own side; for random windows the
// picture equals the exact one (every column exact, itself checked sample by sample in
// test_recording_overview) to within a column in time and exactly in value; no raw rows are read
// for the moved edges.
#include "Hdf5Browser.h"
#include "Recorder.h"
#include "RecordingTestUtil.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <random>

using namespace bs;

namespace {

const QString Inst = QStringLiteral("adc");
constexpr double Dt = 1.0 / 1024;
constexpr quint64 Node = OverviewAccumulator::BucketRows;
constexpr quint64 Rows = 200 * Node + 777;
constexpr quint64 GapRow = 401000; ///< the stream's index jumps by Jump before this row
constexpr quint64 Jump = 100000;
constexpr int Columns = 12;
constexpr quint64 SnapNodes = 8; ///< 12 columns of ~19 nodes each move their edges
const SampleFormat Format = SampleFormat::of(SampleType::Int16, 5.0 / 32767.0);

/// Recording time of a row as the writer is given it (the file's own times are read back).
double modelTime(quint64 row)
{
    return double(row + (row >= GapRow ? Jump : 0)) * Dt;
}

double edgeTime(int c)
{
    const double end = modelTime(Rows - 1) + Dt;
    return end * double(c) / double(Columns);
}

/// First row at or after time t (by the model).
quint64 rowAt(double t)
{
    quint64 lo = 0, hi = Rows;
    while (lo < hi) {
        const quint64 mid = lo + (hi - lo) / 2;
        if (modelTime(mid) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct Spike
{
    quint64 row = 0;
    qint16 raw = 0;
    int column = 0; ///< the column that holds it in the exact envelope
};

/// Spikes a few rows beside interior column edges whose node straddles the edge (the ragged
/// ends), alternately up and down, each of its own value; and one on each side of the gap.
std::vector<Spike> spikes()
{
    std::vector<Spike> out;
    for (int c = 1; c < Columns; ++c) {
        const quint64 edge = rowAt(edgeTime(c));
        const bool up = c % 2;
        const quint64 row = up ? edge + 3 : edge - 3;
        // The node holding the spike holds rows of both columns; not beside the gap's column
        // (whose own spikes are larger).
        const quint64 column = rowAt(edgeTime(1));
        if (row / Node * Node >= edge - 8 || (row / Node + 1) * Node <= edge + 8
            || (edge + column > GapRow && edge < GapRow + column))
            continue;
        out.push_back({ row, qint16(up ? 32767 - c : -32768 + c), up ? c : c - 1 });
    }
    const int beforeGap = int(modelTime(GapRow - 2) * Columns / (modelTime(Rows - 1) + Dt));
    out.push_back({ GapRow - 2, 32767, beforeGap });
    out.push_back({ GapRow + 1, -32768, int(modelTime(GapRow + 1) * Columns / (modelTime(Rows - 1) + Dt)) });
    return out;
}

QString record(const QString &path)
{
    const RecordingOptions o = test::adcOptions(RecordingOptions::Format::Hdf5, path, Inst);
    StreamInfo s;
    s.id = s.name = QStringLiteral("block");
    s.regular = true;
    s.nominalRate = 1024;
    ChannelInfo ch;
    ch.name = QStringLiteral("A");
    ch.unit = QStringLiteral("V");
    ch.format = Format;
    s.channels.append(ch);
    Recorder rec;
    rec.setStreams(Inst, { s });
    QString error;
    if (!rec.start(o, &error))
        return error;
    std::map<quint64, qint16> spiked;
    for (const Spike &p : spikes())
        spiked[p.row] = p.raw;
    std::mt19937_64 rng(3);
    std::normal_distribution<double> noise(0, 300);
    for (quint64 row = 0; row < Rows;) {
        // Blocks end at the gap, so that the jump comes between two blocks.
        const quint64 n = std::min<quint64>({ 5000, Rows - row, row < GapRow ? GapRow - row : Rows });
        auto b = SampleBlock::make(Inst, s.id, { Format }, std::size_t(n), false);
        b->firstIndex = row + (row >= GapRow ? Jump : 0);
        b->dt = Dt;
        b->t0 = modelTime(row);
        for (quint64 i = 0; i < n; ++i) {
            const auto it = spiked.find(row + i);
            b->data<qint16>(0)[i] = it != spiked.end()
                ? it->second
                : qint16(std::lround(20000 * std::sin(double(row + i) * 2e-5) + noise(rng)));
        }
        rec.consume(b);
        row += n;
    }
    rec.stop();
    return rec.stats().lastError;
}

struct Picture
{
    RecordingEnvelope e;
    quint64 rowsRead = 0;
};

Picture picture(Hdf5Browser &b, quint64 snapNodes, double tFrom, double tTo, int columns)
{
    Picture p;
    QString error;
    b.setSnapNodes(snapNodes);
    if (!b.envelope(0, 0, tFrom, tTo, columns, &p.e, &error))
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
    p.rowsRead = b.lastRowsRead();
    return p;
}

/// Min and max of the numbers among `e`'s points with t in [a, b].
std::pair<double, double> extremes(const RecordingEnvelope &e, double a, double b)
{
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = 0; i < e.size(); ++i)
        if (!std::isnan(e.v[i]) && e.t[i] >= a && e.t[i] <= b) {
            lo = std::min(lo, e.v[i]);
            hi = std::max(hi, e.v[i]);
        }
    return { lo, hi };
}

/// Every number of `got` inside the window lies within the extremes of `want` no further than
/// `slack` away in time (NaN points are compared apart). Empty when so, else what differs.
QString within(const RecordingEnvelope &got, const RecordingEnvelope &want, double tFrom, double tTo, double slack)
{
    for (std::size_t i = 0; i < got.size(); ++i) {
        if (std::isnan(got.v[i]) || got.t[i] < tFrom || got.t[i] >= tTo)
            continue;
        const auto [lo, hi] = extremes(want, got.t[i] - slack, got.t[i] + slack);
        if (got.v[i] < lo || got.v[i] > hi)
            return QStringLiteral("point %1 (%2, %3) outside [%4, %5] within %6 s")
                .arg(i)
                .arg(got.t[i], 0, 'g', 17)
                .arg(got.v[i], 0, 'g', 17)
                .arg(lo, 0, 'g', 17)
                .arg(hi, 0, 'g', 17)
                .arg(slack);
    }
    return {};
}

/// The points of `e` outside [tFrom, tTo) and its breaks, in order.
std::vector<std::pair<double, double>> fixedPoints(const RecordingEnvelope &e, double tFrom, double tTo)
{
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = 0; i < e.size(); ++i)
        if (std::isnan(e.v[i]) || e.t[i] < tFrom || e.t[i] >= tTo)
            out.emplace_back(e.t[i], std::isnan(e.v[i]) ? -999.0 : e.v[i]);
    return out;
}

} // namespace

class TestOverviewColumnEdges : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void spikesInRaggedEndsKeepTheirValue();
    void gapStaysABreak();
    void randomWindowsMatchTheExactPicture();

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::vector<double> m_times;
};

void TestOverviewColumnEdges::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("edges.h5"));
    const QString error = record(m_path);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    Hdf5Browser b;
    QString why;
    QVERIFY2(b.open(m_path, &why), qPrintable(why));
    QCOMPARE(b.snapNodes(), quint64(4)); // the default: ≤ 1/8 of a column
    QCOMPARE(b.streams()[0].rows, Rows);
    QCOMPARE(b.streams()[0].gaps.size(), qsizetype(1));
    QCOMPARE(b.streams()[0].gaps[0].row, GapRow);
    m_times.resize(Rows);
    QVERIFY2(b.source().reader().readTimes(0, 0, Rows, m_times.data(), &why), qPrintable(why));
}

void TestOverviewColumnEdges::spikesInRaggedEndsKeepTheirValue()
{
    Hdf5Browser b;
    QString error;
    QVERIFY2(b.open(m_path, &error), qPrintable(error));
    const double tFrom = m_times.front(), tTo = m_times.back() + Dt;
    const Picture moved = picture(b, SnapNodes, tFrom, tTo, Columns);
    const Picture exact = picture(b, 0, tFrom, tTo, Columns);
    // The moved edges read nothing raw: only the ragged ends at the gap and at the file's end.
    QVERIFY2(moved.rowsRead <= 3 * (Node - 1) && moved.rowsRead < exact.rowsRead,
        qPrintable(QStringLiteral("%1 rows read, %2 with every column exact").arg(moved.rowsRead).arg(exact.rowsRead)));
    const double nodeTime = double(Node) * Dt;
    int inRaggedEnds = 0;
    for (const Spike &s : spikes()) {
        const double value = Format.toValue(s.raw);
        // Where it is in the exact picture: an extreme of its own column.
        const auto [lo, hi] = extremes(exact.e, edgeTime(s.column), edgeTime(s.column + 1));
        QVERIFY2(value == (s.raw > 0 ? hi : lo),
            qPrintable(QStringLiteral("spike %1 at row %2").arg(value).arg(s.row)));
        // In its own column or a neighbour (by time, with half a node's slack), value exact.
        const double a = edgeTime(std::max(s.column - 1, 0)) - nodeTime, b2 = edgeTime(s.column + 2) + nodeTime;
        bool found = false;
        for (std::size_t i = 0; i < moved.e.size(); ++i)
            found = found || (moved.e.v[i] == value && moved.e.t[i] >= a && moved.e.t[i] <= b2);
        QVERIFY2(found,
            qPrintable(QStringLiteral("spike %1 at row %2 (column %3) missing").arg(value).arg(s.row).arg(s.column)));
        if (s.row != GapRow - 2 && s.row != GapRow + 1)
            ++inRaggedEnds;
    }
    QVERIFY2(inRaggedEnds >= 6, qPrintable(QString::number(inRaggedEnds)));
}

void TestOverviewColumnEdges::gapStaysABreak()
{
    Hdf5Browser b;
    QString error;
    QVERIFY2(b.open(m_path, &error), qPrintable(error));
    const double tGap = 0.5 * (m_times[GapRow - 1] + m_times[GapRow]);
    for (const int columns : { Columns, 3, 40 }) {
        const Picture moved = picture(b, columns == 40 ? 1 : SnapNodes, m_times.front(), m_times.back() + Dt, columns);
        std::size_t breaks = 0, at = 0;
        for (std::size_t i = 0; i < moved.e.size(); ++i)
            if (std::isnan(moved.e.v[i])) {
                ++breaks;
                at = i;
            }
        QCOMPARE(breaks, std::size_t(1));
        QCOMPARE(moved.e.t[at], tGap);
        for (std::size_t i = 0; i < moved.e.size(); ++i)
            QVERIFY(i == at || (i < at ? moved.e.t[i] <= m_times[GapRow - 1] : moved.e.t[i] >= m_times[GapRow]));
        // The spikes beside the gap stay on their side.
        bool before = false, after = false;
        for (std::size_t i = 0; i < moved.e.size(); ++i) {
            before = before || (i < at && moved.e.v[i] == Format.toValue(qint16(32767)));
            after = after || (i > at && moved.e.v[i] == Format.toValue(qint16(-32768)));
        }
        QVERIFY(before && after);
    }
}

void TestOverviewColumnEdges::randomWindowsMatchTheExactPicture()
{
    Hdf5Browser b;
    QString error;
    QVERIFY2(b.open(m_path, &error), qPrintable(error));
    b.setScanRows(0);
    std::mt19937_64 rng(17);
    const double span = m_times.back() - m_times.front();
    int compared = 0;
    for (int w = 0; w < 60; ++w) {
        std::uniform_real_distribution<double> u(-0.05, 0.9);
        const double tFrom = m_times.front() + u(rng) * span;
        const double tTo = tFrom + span * (0.05 + double(rng() % 100) / 100.0);
        const int columns = int(1 + rng() % 40);
        const quint64 snap = 1 + rng() % 8;
        const Picture moved = picture(b, snap, tFrom, tTo, columns);
        const Picture exact = picture(b, 0, tFrom, tTo, columns);
        // Breaks and the samples outside the window: the same.
        QVERIFY(fixedPoints(moved.e, tFrom, tTo) == fixedPoints(exact.e, tFrom, tTo));
        // Values: each picture's numbers within the other's extremes two columns (the sample's
        // own, drawn at its column's first or last time, and a neighbour) and a node away.
        const double slack = 2 * (tTo - tFrom) / columns + double(Node) * Dt;
        QString why = within(moved.e, exact.e, tFrom, tTo, slack);
        if (why.isEmpty())
            why = within(exact.e, moved.e, tFrom, tTo, slack);
        QVERIFY2(why.isEmpty(),
            qPrintable(QStringLiteral("window [%1, %2) in %3 columns, %4 nodes: %5")
                           .arg(tFrom, 0, 'g', 17)
                           .arg(tTo, 0, 'g', 17)
                           .arg(columns)
                           .arg(snap)
                           .arg(why)));
        ++compared;
    }
    QCOMPARE(compared, 60);
}

QTEST_GUILESS_MAIN(TestOverviewColumnEdges)
#include "test_overview_column_edges.moc"
