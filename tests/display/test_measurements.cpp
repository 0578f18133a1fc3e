// SPDX-License-Identifier: GPL-3.0-or-later
// ChannelMeasurer (issue 14): every measurement against a value worked out by hand for a known
// signal (sine, trapezoid square with a known duty, sawtooth ramp, seeded noise); the same result
// whatever the pieces the data comes in (block boundaries); empty where a measurement does not
// apply; nothing counted across a gap.
#include <Measurements.h>

#include <QTest>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

using namespace bs;

namespace {

struct Signal
{
    std::vector<double> t, v;
};

/// Both passes over the signal in pieces of the given sizes (cycled), or whole.
MeasurementResult measure(const Signal &s, const std::vector<std::size_t> &pieces = {})
{
    ChannelMeasurer m;
    auto walk = [&](auto &&fn) {
        std::size_t at = 0, k = 0;
        while (at < s.v.size()) {
            const std::size_t n = pieces.empty() ? s.v.size() : std::min(pieces[k++ % pieces.size()], s.v.size() - at);
            fn(at, n);
            at += n;
        }
    };
    walk([&](std::size_t at, std::size_t n) { m.addStatistics(s.v.data() + at, n); });
    m.beginEdges();
    walk([&](std::size_t at, std::size_t n) { m.addEdges(s.t.data() + at, s.v.data() + at, n); });
    return m.result();
}

Signal sine(double amplitude, double offset, double freq, double fs, int periods)
{
    Signal s;
    const auto n = std::size_t(std::llround(fs / freq * periods));
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / fs;
        s.t.push_back(t);
        s.v.push_back(offset + amplitude * std::sin(2 * std::numbers::pi * freq * t));
    }
    return s;
}

/// 0 … 1 V trapezoid of period P starting low: the rising ramp (length R) is centred at
/// r = (P − D·P) / 2, the falling one at r + D·P, so the signal is high for D·P between the ramps'
/// middles. Samples every `step`.
Signal trapezoid(double period, double ramp, double duty, double step, int periods)
{
    Signal s;
    const double r = (period - duty * period) / 2, f = r + duty * period;
    const auto n = std::size_t(std::llround(period * periods / step));
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) * step;
        const double x = t - std::floor(t / period + 1e-9) * period; // phase in the period
        double v = 0;
        if (x >= r - ramp / 2 && x < r + ramp / 2)
            v = (x - (r - ramp / 2)) / ramp;
        else if (x >= r + ramp / 2 && x < f - ramp / 2)
            v = 1;
        else if (x >= f - ramp / 2 && x < f + ramp / 2)
            v = 1 - (x - (f - ramp / 2)) / ramp;
        s.t.push_back(t);
        s.v.push_back(v);
    }
    return s;
}

void compareResults(const MeasurementResult &a, const MeasurementResult &b)
{
    QCOMPARE(a.samples, b.samples);
    QCOMPARE(a.min, b.min);
    QCOMPARE(a.max, b.max);
    QCOMPARE(a.mean, b.mean);
    QCOMPARE(a.rms, b.rms);
    QCOMPARE(a.acRms, b.acRms);
    QCOMPARE(a.stdDev, b.stdDev);
    QCOMPARE(a.frequency, b.frequency);
    QCOMPARE(a.riseTime, b.riseTime);
    QCOMPARE(a.fallTime, b.fallTime);
    QCOMPARE(a.widthPositive, b.widthPositive);
    QCOMPARE(a.widthNegative, b.widthNegative);
    QCOMPARE(a.dutyPositive, b.dutyPositive);
    QCOMPARE(a.edges, b.edges);
}

#define CLOSE(actual, expected, tolerance)                                                                        \
    do {                                                                                                           \
        QVERIFY2((actual).has_value(), #actual " is empty");                                                       \
        QVERIFY2(std::abs(*(actual) - (expected)) <= (tolerance),                                                  \
                 qPrintable(QStringLiteral(#actual " = %1, expected %2").arg(*(actual), 0, 'g', 15).arg(expected, 0, 'g', 15))); \
    } while (0)

} // namespace

class TestMeasurements : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void infiniteSamplesGiveNoMadeUpStatistics()
    {
        // ∞ in the data: sums become undefined; the measurement is empty, not 0 (max(0, NaN) was 0).
        const double values[] = { 1.0, std::numeric_limits<double>::infinity(), 2.0 };
        const double times[] = { 0.0, 1.0, 2.0 };
        ChannelMeasurer m;
        m.addStatistics(values, 3);
        m.beginEdges();
        m.addEdges(times, values, 3);
        const MeasurementResult r = m.result();
        QCOMPARE(r.samples, quint64(3));
        QCOMPARE(*r.min, 1.0);
        QVERIFY(std::isinf(*r.max));
        QVERIFY(!r.mean);
        QVERIFY(!r.rms);
        QVERIFY(!r.acRms);
        QVERIFY(!r.stdDev);
        QVERIFY(!r.frequency);
    }

    void sineByHand()
    {
        // 2 V amplitude on 0.5 V, 1 kHz sampled at 1 MHz, 10 whole periods.
        const Signal s = sine(2.0, 0.5, 1000.0, 1e6, 10);
        const MeasurementResult r = measure(s);
        QCOMPARE(r.samples, quint64(10000));
        CLOSE(r.max, 2.5, 1e-12);
        CLOSE(r.min, -1.5, 1e-12);
        CLOSE(r.peakToPeak, 4.0, 1e-12);
        CLOSE(r.mean, 0.5, 1e-12);
        CLOSE(r.acRms, 2.0 / std::sqrt(2.0), 1e-12);                         // A / √2
        CLOSE(r.rms, std::sqrt(0.25 + 2.0), 1e-12);                          // √(DC² + A²/2)
        CLOSE(r.stdDev, 2.0 / std::sqrt(2.0) * std::sqrt(10000.0 / 9999.0), 1e-12);
        CLOSE(r.frequency, 1000.0, 1e-6);
        CLOSE(r.period, 1e-3, 1e-12);
        // 10 % … 90 % of the peak-to-peak: sin from -0.8 to 0.8, i.e. 2·asin(0.8) / (2π f).
        const double rise = 2 * std::asin(0.8) / (2 * std::numbers::pi * 1000.0);
        // Linear interpolation between 1 µs samples on the sine's curve: off by ~Δt²·ω·tan(θ)/4,
        // about 2 ns here (0.001 % of the 295 µs).
        CLOSE(r.riseTime, rise, 1e-8);
        CLOSE(r.fallTime, rise, 1e-8);
        CLOSE(r.widthPositive, 0.5e-3, 1e-9);
        CLOSE(r.widthNegative, 0.5e-3, 1e-9);
        CLOSE(r.dutyPositive, 50.0, 1e-4);
        CLOSE(r.dutyNegative, 50.0, 1e-4);
        // It starts at the middle going up (no edge: the passage from 10 % is not seen), then 10
        // falls and 9 rises (the 10th rise would be at the first sample after the end).
        QCOMPARE(r.edges, std::optional<quint64>(19));
    }

    void squareWithKnownDuty()
    {
        // 1 kHz, 30 % duty, 20 µs ramps, sampled every 1 µs: 20 periods.
        const Signal s = trapezoid(1e-3, 20e-6, 0.3, 1e-6, 20);
        const MeasurementResult r = measure(s);
        CLOSE(r.min, 0.0, 0);
        CLOSE(r.max, 1.0, 0);
        CLOSE(r.frequency, 1000.0, 1e-6);
        CLOSE(r.riseTime, 0.8 * 20e-6, 1e-12); // a linear ramp: 80 % of its length, exactly
        CLOSE(r.fallTime, 0.8 * 20e-6, 1e-12);
        CLOSE(r.widthPositive, 300e-6, 1e-12);
        CLOSE(r.widthNegative, 700e-6, 1e-12);
        CLOSE(r.dutyPositive, 30.0, 1e-6);
        CLOSE(r.dutyNegative, 70.0, 1e-6);
        QCOMPARE(r.edges, std::optional<quint64>(40));
        // Mean by hand: high 300 µs − 20 µs of full level plus two half ramps = 0.3 of the period.
        CLOSE(r.mean, 0.3, 1e-9);
    }

    void rampByHand()
    {
        // Sawtooth 0 → 1 V in 1 ms (1000 samples of 1 µs), then back to 0 within one sample.
        Signal s;
        for (int i = 0; i < 5000; ++i) {
            s.t.push_back(i * 1e-6);
            s.v.push_back(double(i % 1000) / 999.0);
        }
        const MeasurementResult r = measure(s);
        CLOSE(r.riseTime, 0.8 * 999e-6, 1e-12);  // 10 % … 90 % of a 999-step ramp
        CLOSE(r.fallTime, 0.8 * 1e-6, 1e-12);    // the drop between two samples, interpolated
        CLOSE(r.frequency, 1000.0, 1e-6);
        CLOSE(r.mean, 0.5, 1e-12);
        QCOMPARE(r.edges, std::optional<quint64>(9)); // 5 ramps up, 4 drops (none after the last ramp)
    }

    void noiseWithKnownSeed()
    {
        std::mt19937_64 rng(1234);
        std::normal_distribution<double> g(3.0, 0.25);
        Signal s;
        long double sum = 0;
        for (int i = 0; i < 100000; ++i) {
            s.t.push_back(i * 1e-3);
            s.v.push_back(g(rng));
            sum += s.v.back();
        }
        const long double mean = sum / s.v.size();
        long double ss = 0, sq = 0;
        for (double v : s.v) {
            ss += (v - mean) * (v - mean);
            sq += (long double)v * v;
        }
        const MeasurementResult r = measure(s);
        CLOSE(r.mean, double(mean), 1e-13);
        CLOSE(r.acRms, double(std::sqrt(ss / s.v.size())), 1e-13);
        CLOSE(r.stdDev, double(std::sqrt(ss / (s.v.size() - 1))), 1e-13);
        CLOSE(r.rms, double(std::sqrt(sq / s.v.size())), 1e-13);
        CLOSE(r.min, *std::min_element(s.v.begin(), s.v.end()), 0);
        CLOSE(r.max, *std::max_element(s.v.begin(), s.v.end()), 0);
    }

    void sameResultWhateverThePieces()
    {
        const Signal shapes[] = { sine(1.0, 0.0, 997.0, 1e6, 7), trapezoid(1e-3, 20e-6, 0.3, 1e-6, 9) };
        for (const Signal &s : shapes) {
            const MeasurementResult whole = measure(s);
            for (const std::vector<std::size_t> &pieces :
                 { std::vector<std::size_t>{ 1 }, { 2, 3 }, { 7 }, { 999, 1, 1001 }, { 4096 } }) {
                compareResults(measure(s, pieces), whole);
                if (QTest::currentTestFailed())
                    return;
            }
        }
    }

    void emptyWhereItDoesNotApply()
    {
        MeasurementResult r = measure(Signal{});
        QCOMPARE(r.samples, quint64(0));
        QVERIFY(!r.min && !r.mean && !r.rms && !r.frequency && !r.edges);
        Signal one{ { 0.0 }, { 4.0 } };
        r = measure(one);
        CLOSE(r.mean, 4.0, 0);
        QVERIFY(!r.stdDev); // needs two samples
        QVERIFY(!r.edges && !r.frequency);
        Signal flat{ { 0.0, 1.0, 2.0 }, { 1.0, 1.0, 1.0 } };
        r = measure(flat);
        CLOSE(r.peakToPeak, 0.0, 0);
        QVERIFY(!r.edges && !r.riseTime && !r.dutyPositive); // no amplitude: no reference levels
        // One rising edge only: its rise time, but no period, frequency or duty.
        Signal step{ { 0, 1, 2, 3, 4 }, { 0, 0, 1, 1, 1 } };
        r = measure(step);
        QCOMPARE(r.edges, std::optional<quint64>(1));
        CLOSE(r.riseTime, 0.8, 1e-12);
        QVERIFY(!r.frequency && !r.period && !r.dutyPositive && !r.widthPositive);
        // NaN values are skipped by the statistics and break the edge search.
        Signal withNan{ { 0, 1, 2, 3 }, { 0, std::nan(""), 1, 0 } };
        r = measure(withNan);
        QCOMPARE(r.samples, quint64(3));
        QCOMPARE(r.edges, std::optional<quint64>(1)); // 0 | NaN | 1 → 0: only the fall is seen whole
    }

    void noEdgeAcrossAGap()
    {
        // A square wave whose samples stop while low and resume while high: the passage is not
        // seen, so no rising edge and no width is made up across the gap.
        const Signal s = trapezoid(1e-3, 20e-6, 0.5, 1e-6, 4);
        const std::size_t cut = 100, resume = 600; // low at 100 µs, high at 600 µs (first period)
        ChannelMeasurer m;
        m.addStatistics(s.v.data(), s.v.size());
        m.beginEdges();
        m.addEdges(s.t.data(), s.v.data(), cut);
        m.gap();
        m.addEdges(s.t.data() + resume, s.v.data() + resume, s.v.size() - resume);
        const MeasurementResult withGap = m.result();
        const MeasurementResult whole = measure(s);
        QCOMPARE(*withGap.edges + 1, *whole.edges); // the rising edge in the gap is not counted
        CLOSE(withGap.widthPositive, 500e-6, 1e-12);
    }

    void periodIsNotStretchedByAnEdgeInAGap()
    {
        // 1 kHz square wave, 8 periods, rising at 0.25 ms + k ms; the samples of the second rising
        // edge (1.2 … 1.3 ms) are missing. First to last rising edge seen over their count − 1
        // would give 7 ms in 6 steps (1.167 ms); edge to next edge, never across the gap: 1.000 ms.
        const Signal s = trapezoid(1e-3, 20e-6, 0.5, 1e-6, 8);
        std::size_t cut = 0, resume = 0;
        while (s.t[cut] < 1.2e-3)
            ++cut;
        resume = cut;
        while (s.t[resume] < 1.3e-3)
            ++resume;
        ChannelMeasurer m;
        m.addStatistics(s.v.data(), s.v.size());
        m.beginEdges();
        m.addEdges(s.t.data(), s.v.data(), cut);
        m.gap();
        m.addEdges(s.t.data() + resume, s.v.data() + resume, s.v.size() - resume);
        const MeasurementResult r = m.result();
        QCOMPARE(*r.edges + 1, *measure(s).edges);
        CLOSE(r.period, 1e-3, 1e-12);
        CLOSE(r.frequency, 1e3, 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestMeasurements)
#include "test_measurements.moc"
