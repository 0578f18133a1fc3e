// SPDX-License-Identifier: GPL-3.0-or-later
// MinMaxPyramid, TimeColumn (and its Reader) and gallopSearch() against naive scans on seeded
// random data.
#include <GallopSearch.h>
#include <MinMaxPyramid.h>
#include <SampleBlock.h>
#include <TimeColumn.h>

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace bs;

class TestTraceInternals : public QObject
{
    Q_OBJECT

private slots:
    void pyramidMatchesNaive_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::newRow("64") << 64;
        QTest::newRow("1000") << 1000;
        QTest::newRow("65536") << 65536;
    }

    void pyramidMatchesNaive()
    {
        QFETCH(int, capacity);
        QRandomGenerator rng(42u + quint32(capacity));
        MinMaxPyramid p { std::size_t(capacity) };
        std::vector<double> ref;
        while (ref.size() < std::size_t(capacity)) {
            const std::size_t n = std::min<std::size_t>(1 + rng.bounded(3000), capacity - ref.size());
            std::vector<double> v(n);
            for (double &x : v) {
                const int r = int(rng.bounded(20));
                x = r == 0 ? std::nan("") : r == 1 ? -INFINITY : double(rng.bounded(2000)) - 1000.0;
            }
            p.append(v.data(), n);
            ref.insert(ref.end(), v.begin(), v.end());
            QCOMPARE(p.size(), ref.size());
            for (int q = 0; q < 200; ++q) {
                std::size_t a = rng.bounded(quint32(ref.size() + 1));
                std::size_t b = rng.bounded(quint32(ref.size() + 1));
                if (a > b)
                    std::swap(a, b);
                MinMax want;
                for (std::size_t i = a; i < b; ++i)
                    want.add(ref[i]);
                const MinMax got = p.range(a, b);
                QCOMPARE(got.isValid(), want.isValid());
                if (want.isValid()) {
                    QCOMPARE(got.min, want.min);
                    QCOMPARE(got.max, want.max);
                }
            }
        }
        QCOMPARE(p.range(0, ref.size()).isValid(), true);
        QVERIFY(p.bytes() >= ref.size() * sizeof(double));
        QVERIFY(p.bytes() <= ref.size() * sizeof(double) * 115 / 100 + 64 * 16);
    }

    void allNanIsInvalid()
    {
        MinMaxPyramid p { 256 };
        std::vector<double> v(256, std::nan(""));
        p.append(v.data(), v.size());
        QVERIFY(!p.range(0, 256).isValid());
        QVERIFY(!p.range(17, 200).isValid());
    }

    void timeColumnMatchesBlockTimes()
    {
        QRandomGenerator rng(7);
        TimeColumn col { 100000 };
        std::vector<double> ref;
        double t = 0.0;
        while (ref.size() < 90000) {
            const std::size_t n = 1 + rng.bounded(900);
            if (rng.bounded(2)) {
                // A regular piece starting mid-block, as when a block is split across chunks.
                const std::size_t offset = rng.bounded(50);
                auto b = SampleBlock::make({}, {}, 0, offset + n, false);
                b->t0 = t + rng.generateDouble();
                b->dt = 1e-4 * (1 + rng.bounded(3));
                col.appendRegular(b->t0, b->dt, offset, n);
                for (std::size_t i = offset; i < offset + n; ++i)
                    ref.push_back(b->time(i));
            } else {
                std::vector<double> times(n);
                for (double &x : times) {
                    t += rng.bounded(4) == 0 ? 0.0 : 1e-3 * rng.generateDouble();
                    x = t;
                }
                col.appendExplicit(times.data(), n);
                ref.insert(ref.end(), times.begin(), times.end());
            }
            t = ref.back();
        }
        QCOMPARE(col.size(), ref.size());
        for (std::size_t i = 0; i < ref.size(); i += 1 + rng.bounded(50))
            QCOMPARE(col.at(i), ref[i]);
        for (int q = 0; q < 3000; ++q) {
            double x = -1.0 + (ref.back() + 2.0) * rng.generateDouble();
            if (q % 3 == 0)
                x = ref[rng.bounded(quint32(ref.size()))]; // exact hits, incl. runs of equal times
            const auto want = std::size_t(std::lower_bound(ref.begin(), ref.end(), x) - ref.begin());
            QCOMPARE(col.lowerBound(x), want);
        }

        // A Reader: times anywhere (back and forth), and the search from a row with any guess
        // is the first row at or after it whose time is >= x.
        TimeColumn::Reader reader(col);
        for (int q = 0; q < 20000; ++q) {
            const std::size_t row = q % 2 ? std::size_t(rng.bounded(quint32(ref.size())))
                                          : std::min(ref.size() - 1, std::size_t(q) * 4 + rng.bounded(3));
            QCOMPARE(reader.at(row), ref[row]);
            const std::size_t from = q % 5 == 0 ? 0 : std::size_t(rng.bounded(quint32(ref.size() + 1)));
            double x = -1.0 + (ref.back() + 2.0) * rng.generateDouble();
            if (q % 3 == 0)
                x = ref[rng.bounded(quint32(ref.size()))];
            else if (q % 3 == 1 && from < ref.size())
                x = ref[std::min(ref.size() - 1, from + rng.bounded(2000))]; // near `from`
            const auto lb = std::size_t(std::lower_bound(ref.begin(), ref.end(), x) - ref.begin());
            const std::size_t guess = rng.bounded(4) == 0
                ? std::size_t(rng.bounded(quint32(2 * ref.size())))
                : lb + rng.bounded(5) - std::min<std::size_t>(lb, 2);
            QCOMPARE(reader.lowerBound(x, from, guess), std::max(from, lb));
        }
    }

    void timeColumnWithCoarseClock()
    {
        // A regular clock whose t0 + k·dt rounds to the same time for many k (t0 = 1e6 s, dt =
        // 1e-11 s) and a dt = 0 piece: the computed row is off, the search must still be exact.
        TimeColumn col { 20000 };
        std::vector<double> ref;
        double t0 = 1e6;
        for (int piece = 0; piece < 40; ++piece) {
            const double dt = piece % 7 == 3 ? 0.0 : 1e-11;
            const std::size_t n = 100 + std::size_t(piece) * 7;
            col.appendRegular(t0, dt, 0, n);
            for (std::size_t i = 0; i < n; ++i)
                ref.push_back(t0 + double(i) * dt);
            t0 = ref.back() + (piece % 5 == 0 ? 1e-9 : 0.0);
        }
        TimeColumn::Reader reader(col);
        QRandomGenerator rng(9);
        for (int q = 0; q < 5000; ++q) {
            const double x = q % 2 ? ref[rng.bounded(quint32(ref.size()))]
                                   : ref.front() + (ref.back() - ref.front()) * 1.01 * rng.generateDouble();
            const auto lb = std::size_t(std::lower_bound(ref.begin(), ref.end(), x) - ref.begin());
            const std::size_t from = std::size_t(rng.bounded(quint32(lb + 1)));
            QCOMPARE(reader.lowerBound(x, from, from), lb);
            QCOMPARE(col.lowerBound(x), lb);
        }
    }

    void gallopSearchMatchesPartitionPoint()
    {
        QRandomGenerator rng(5);
        for (int q = 0; q < 20000; ++q) {
            const std::size_t n = rng.bounded(300);
            const std::size_t answer = rng.bounded(quint32(n + 1));
            const std::size_t lo = rng.bounded(quint32(n + 1));
            const std::size_t hi = lo + rng.bounded(quint32(n + 1 - lo));
            const std::size_t guess = rng.bounded(quint32(2 * n + 2));
            int calls = 0;
            const auto pred = [&](std::size_t i) {
                ++calls;
                if (i < lo || i >= hi)
                    QTest::qFail("pred called outside [lo, hi)", __FILE__, __LINE__);
                return i >= answer;
            };
            const std::size_t want = std::clamp(answer, lo, hi);
            QCOMPARE(gallopSearch(lo, hi, guess, pred), want);
            // A guess on the answer costs at most two calls.
            calls = 0;
            QCOMPARE(gallopSearch(lo, hi, want, pred), want);
            QVERIFY(calls <= 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestTraceInternals)
#include "test_trace_internals.moc"
