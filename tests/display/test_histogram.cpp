// SPDX-License-Identifier: GPL-3.0-or-later
// The statistics dock's display side (issue 14): ChannelHistogram against counts worked out by hand
// (a ramp gives flat bins, known values land in known bins, NaN/inf counted apart, a constant
// signal), the same bins whatever the pieces the data comes in, HistogramWorker reading a window
// of a TraceStore across block boundaries, MeasurementTrend's bound and statistics, and the
// measurement ids shared with benchscope-inspect.
#include <ChannelHistogram.h>
#include <HistogramWorker.h>
#include <Measurements.h>
#include <MeasurementTrend.h>
#include <TraceStore.h>

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace bs;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Both passes over `v` in pieces of the given sizes (cycled), or whole.
HistogramResult binned(const std::vector<double> &v, int bins, const std::vector<std::size_t> &pieces = {})
{
    ChannelHistogram h(bins);
    auto walk = [&](auto &&fn) {
        std::size_t at = 0, k = 0;
        while (at < v.size()) {
            const std::size_t n = pieces.empty() ? v.size() : std::min(pieces[k++ % pieces.size()], v.size() - at);
            fn(v.data() + at, n);
            at += n;
        }
    };
    walk([&](const double *p, std::size_t n) { h.addRange(p, n); });
    h.beginBins();
    walk([&](const double *p, std::size_t n) { h.addBins(p, n); });
    return h.result();
}

void feedRamp(TraceStore &store, int blocks, std::size_t perBlock)
{
    StreamInfo s;
    s.id = QStringLiteral("s");
    s.regular = true;
    s.channels = { ChannelInfo { QStringLiteral("Ramp"), QStringLiteral("V"), {}, true, {} } };
    store.setStreams(QStringLiteral("i"), { s });
    for (int b = 0; b < blocks; ++b) {
        auto block = SampleBlock::make(QStringLiteral("i"), QStringLiteral("s"), 1, perBlock, false);
        block->firstIndex = std::uint64_t(b) * perBlock;
        block->t0 = double(block->firstIndex) * 1e-3;
        block->dt = 1e-3;
        for (std::size_t k = 0; k < perBlock; ++k)
            block->channel(0)[k] = double(block->firstIndex + k); // the value is the sample's index
        store.consume(block);
    }
}
} // namespace

class HistogramTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rampGivesFlatBins()
    {
        std::vector<double> v;
        for (int i = 0; i < 1000; ++i)
            v.push_back(i);
        const HistogramResult r = binned(v, 100);
        QCOMPARE(r.counts.size(), 100);
        QCOMPARE(r.lo, 0.0);
        QCOMPARE(r.hi, 999.0);
        for (int b = 0; b < 100; ++b)
            QCOMPARE(r.counts[b], quint64(10)); // bin b: values 10b … 10b + 9 (width 9.99)
        QCOMPARE(r.count, quint64(1000));
        QCOMPARE(r.nonFinite, quint64(0));
        QCOMPARE(*r.min, 0.0);
        QCOMPARE(*r.max, 999.0);
        QVERIFY(std::abs(*r.mean - 499.5) < 1e-9);
        // 0 … n − 1: variance n(n + 1) / 12 with n − 1 in the denominator
        QVERIFY(std::abs(*r.stdDev - std::sqrt(1000.0 * 1001.0 / 12.0)) < 1e-9);
        // half the samples (500) are in bins 0 … 49, which end at 50 × 9.99 = 499.5
        QVERIFY(std::abs(*r.median - 499.5) < 1e-9);
    }

    void knownValuesLandInKnownBins()
    {
        ChannelHistogram h(10);
        QVERIFY(h.setRange(0.0, 10.0)); // bins of 1, edges 0, 1, … 10
        const std::vector<double> v { 0.0, 0.999, 1.0, 2.5, 2.5, 7.5, 9.99, 10.0, -0.5, 10.5 };
        h.addBins(v.data(), v.size());
        const HistogramResult r = h.result();
        const QVector<quint64> expected { 2, 1, 2, 0, 0, 0, 0, 1, 0, 2 }; // an edge goes to the bin above; 10 to the last
        QCOMPARE(r.counts, expected);
        QCOMPARE(r.count, quint64(8));
        QCOMPARE(r.outside, quint64(2)); // −0.5 and 10.5
        QCOMPARE(*r.min, 0.0);
        QCOMPARE(*r.max, 10.0);
        QVERIFY(std::abs(*r.mean - (0.999 + 1.0 + 2.5 + 2.5 + 7.5 + 9.99 + 10.0) / 8) < 1e-12);
        // 4 of 8 reached at the end of bin 1 (2 + 1) … inside bin 2: 2 + (4 − 3) / 2 = 2.5
        QVERIFY(std::abs(*r.median - 2.5) < 1e-12);
        QVERIFY(!h.setRange(1.0, 1.0));
        QVERIFY(!h.setRange(0.0, kInf));
    }

    void nanAndInfinityAreCountedApart()
    {
        const std::vector<double> v { 1.0, kNaN, 2.0, kInf, -kInf, 3.0, kNaN };
        const HistogramResult r = binned(v, 16);
        QCOMPARE(r.nonFinite, quint64(4));
        QCOMPARE(r.count, quint64(3));
        QCOMPARE(r.lo, 1.0);
        QCOMPARE(r.hi, 3.0);
        quint64 total = 0;
        for (quint64 c : r.counts)
            total += c;
        QCOMPARE(total, quint64(3));
        QCOMPARE(r.counts.first(), quint64(1));
        QCOMPARE(r.counts[8], quint64(1)); // 2.0 is the middle edge: bin 8 of 16
        QCOMPARE(r.counts.last(), quint64(1));
        QCOMPARE(*r.mean, 2.0);
        QCOMPARE(*r.stdDev, 1.0);

        const HistogramResult none = binned({ kNaN, kInf, kNaN }, 16);
        QVERIFY(none.counts.isEmpty());
        QCOMPARE(none.count, quint64(0));
        QCOMPARE(none.nonFinite, quint64(3));
        QVERIFY(!none.mean && !none.median && !none.min);
        const HistogramResult empty = binned({}, 16);
        QVERIFY(empty.counts.isEmpty());
        QCOMPARE(empty.count + empty.nonFinite, quint64(0));
    }

    void constantSignalFillsOneBin()
    {
        const HistogramResult r = binned(std::vector<double>(500, 5.0), 100);
        QCOMPARE(r.count, quint64(500));
        QVERIFY(r.lo < 5.0 && r.hi > 5.0);
        QVERIFY(std::abs(r.lo - 4.95) < 1e-12 && std::abs(r.hi - 5.05) < 1e-12);
        int filled = 0;
        for (int b = 0; b < r.counts.size(); ++b)
            if (r.counts[b] > 0) {
                ++filled;
                QVERIFY(b == 49 || b == 50); // in the middle
                QCOMPARE(r.counts[b], quint64(500));
            }
        QCOMPARE(filled, 1);
        QCOMPARE(*r.stdDev, 0.0);
        QCOMPARE(*r.median, 5.0); // held to the samples' range
        const HistogramResult zero = binned(std::vector<double>(3, 0.0), 16);
        QCOMPARE(zero.lo, -1.0);
        QCOMPARE(zero.hi, 1.0);
    }

    void piecesGiveTheSameBinsAsOnePiece()
    {
        std::mt19937_64 rng(14);
        std::normal_distribution<double> noise(0.3, 2.0);
        std::vector<double> v(200000);
        for (double &x : v)
            x = noise(rng);
        v[1234] = kNaN;
        const HistogramResult whole = binned(v, 1024);
        for (const std::vector<std::size_t> &pieces :
            { std::vector<std::size_t> { 1 }, { 7, 4096, 3 }, { 65536 }, { 65535, 1, 2 } }) {
            const HistogramResult r = binned(v, 1024, pieces);
            QCOMPARE(r.counts, whole.counts);
            QCOMPARE(r.count, whole.count);
            QCOMPARE(r.nonFinite, quint64(1));
            QCOMPARE(*r.mean, *whole.mean); // the same sums in the same order
            QCOMPARE(*r.stdDev, *whole.stdDev);
            QCOMPARE(*r.median, *whole.median);
        }
        // against its own statistics: mean 0.3, std 2 (a seeded draw, within a few standard errors)
        QVERIFY(std::abs(*whole.mean - 0.3) < 0.02);
        QVERIFY(std::abs(*whole.stdDev - 2.0) < 0.02);
        QVERIFY(std::abs(*whole.median - 0.3) < 0.03);
        // the naive mean/std of the finite values
        double sum = 0, n = 0;
        for (double x : v)
            if (std::isfinite(x)) {
                sum += x;
                ++n;
            }
        QVERIFY(std::abs(*whole.mean - sum / n) < 1e-9);
    }

    void workerReadsAWindowAcrossBlocks()
    {
        TraceStore store;
        feedRamp(store, 5, 1000); // values 0 … 4999 at 1 ms, blocks of 1000
        const ChannelKey key { QStringLiteral("i"), QStringLiteral("s"), 0 };
        // 0.5 … 3.4995 s holds the values 500 … 3499 (3000 samples), across three block boundaries
        const HistogramWorker::Result r = HistogramWorker::compute(store, { key, 0.5, 3.4995, 30, 1 });
        QCOMPARE(r.histogram.count, quint64(3000));
        QCOMPARE(r.histogram.lo, 500.0);
        QCOMPARE(r.histogram.hi, 3499.0);
        for (int b = 0; b < 30; ++b)
            QCOMPARE(r.histogram.counts[b], quint64(100)); // width 99.97: 100 values each
        std::vector<double> v;
        for (int i = 500; i < 3500; ++i)
            v.push_back(i);
        QCOMPARE(r.histogram.counts, binned(v, 30).counts);
        // A window past the data is clamped to the newest sample; one before it has nothing.
        const HistogramWorker::Result tail = HistogramWorker::compute(store, { key, 4.9, 100.0, 16, 2 });
        QCOMPARE(tail.to, 4.999);
        QCOMPARE(tail.histogram.count, quint64(100));
        const HistogramWorker::Result before = HistogramWorker::compute(store, { key, -10.0, -5.0, 16, 3 });
        QCOMPARE(before.histogram.count, quint64(0));
        const HistogramWorker::Result unknown = HistogramWorker::compute(store, { { QStringLiteral("x"), QStringLiteral("y"), 0 }, 0.0, 1.0, 16, 4 });
        QCOMPARE(unknown.histogram.count, quint64(0));
    }

    void workerOnItsThreadAnswersTheNewestRequest()
    {
        TraceStore store;
        feedRamp(store, 2, 1000);
        QThread thread;
        HistogramWorker worker(store);
        worker.moveToThread(&thread);
        QSignalSpy spy(&worker, &HistogramWorker::computed);
        thread.start();
        const ChannelKey key { QStringLiteral("i"), QStringLiteral("s"), 0 };
        for (quint64 s = 1; s <= 50; ++s)
            worker.request({ key, 0.0, 2.0, 100, s });
        QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty() && spy.last().at(0).value<HistogramWorker::ResultPtr>()->serial == 50, 20000);
        QVERIFY(spy.size() <= 50); // stale requests were replaced, never queued
        const auto last = spy.last().at(0).value<HistogramWorker::ResultPtr>();
        QCOMPARE(last->histogram.count, quint64(2000));
        thread.quit();
        thread.wait();
        worker.moveToThread(QThread::currentThread());
    }

    void trendIsBoundedAndOrdered()
    {
        MeasurementTrend t(3);
        QVERIFY(t.isEmpty());
        QCOMPARE(t.stats().count, quint64(0));
        QVERIFY(!t.stats().mean);
        QVERIFY(t.append(1.0, 10.0));
        QVERIFY(!t.append(1.0, 11.0)); // not later
        QVERIFY(!t.append(0.5, 11.0));
        QVERIFY(!t.append(2.0, kNaN)); // no value: no point
        QVERIFY(!t.append(kInf, 1.0));
        QVERIFY(t.append(2.0, 20.0));
        QVERIFY(t.append(3.0, 30.0));
        QVERIFY(t.append(4.0, 60.0)); // the oldest (10) goes
        QCOMPARE(t.size(), 3);
        QCOMPARE(t.dropped(), quint64(1));
        QCOMPARE(t.at(0).t, 2.0);
        QCOMPARE(t.last().v, 60.0);
        const MeasurementTrend::Stats s = t.stats();
        QCOMPARE(s.count, quint64(3));
        QCOMPARE(*s.min, 20.0);
        QCOMPARE(*s.max, 60.0);
        QCOMPARE(*s.mean, 110.0 / 3);
        // deviations −16.67, −6.67, 23.33: squares sum 1266.67, / 2
        QVERIFY(std::abs(*s.stdDev - std::sqrt((std::pow(20 - 110.0 / 3, 2) + std::pow(30 - 110.0 / 3, 2) + std::pow(60 - 110.0 / 3, 2)) / 2)) < 1e-12);
        QVERIFY(std::abs(*s.stdDev - 20.8166599947) < 1e-9);
        t.clear();
        QVERIFY(t.isEmpty());
        QCOMPARE(t.dropped(), quint64(0));
        QVERIFY(t.append(0.1, 1.0)); // after a clear, any time again
        QVERIFY(!t.stats().stdDev); // one point: no spread
    }

    void measurementIdsAreInspectsKeys()
    {
        MeasurementResult m;
        m.min = -1.0;
        m.max = 2.0;
        m.dutyPositive = 25.0;
        m.edges = 7;
        QCOMPARE(*measurementValue(m, u"min"), -1.0);
        QCOMPARE(*measurementValue(m, u"max"), 2.0);
        QCOMPARE(*measurementValue(m, u"duty_positive"), 25.0);
        QCOMPARE(*measurementValue(m, u"edges"), 7.0);
        QVERIFY(!measurementValue(m, u"frequency")); // does not apply: empty, not 0
        QVERIFY(!measurementValue(m, u"nonsense"));
        m.edges.reset();
        QVERIFY(!measurementValue(m, u"edges"));
    }
};

QTEST_GUILESS_MAIN(HistogramTest)
#include "test_histogram.moc"
