// SPDX-License-Identifier: GPL-3.0-or-later
// SoftwareTrigger (issue 14): trigger times against crossings worked out exactly for triangle and
// sine signals; hysteresis against seeded noise smaller and larger than it; the same triggers for
// every piece size and random splits (no blind spot at a block boundary), against a plain
// sample-by-sample reference; holdoff, Either, gaps and NaN.
#include <SoftwareTrigger.h>

#include <QTest>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

using namespace bs;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Signal
{
    std::vector<double> t, v;
    void add(double time, double value)
    {
        t.push_back(time);
        v.push_back(value);
    }
};

/// Triangle between −1 and 1 of period P, rising from −1 at k·P to 1 at k·P + P/2.
double triangle(double t, double period)
{
    const double x = t / period - std::floor(t / period);
    return x < 0.5 ? -1.0 + 4.0 * x : 3.0 - 4.0 * x;
}

Signal sampled(double fs, std::size_t n, auto &&fn)
{
    Signal s;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / fs;
        s.add(t, fn(t));
    }
    return s;
}

/// Feeds the signal in pieces of the given sizes (cycled), whole if none.
std::vector<TriggerEvent> run(const TriggerSettings &st, const Signal &s, const std::vector<std::size_t> &pieces = {})
{
    SoftwareTrigger trig(st);
    std::vector<TriggerEvent> out;
    std::size_t at = 0, k = 0;
    while (at < s.v.size()) {
        const std::size_t n = pieces.empty() ? s.v.size() : std::min(pieces[k++ % pieces.size()], s.v.size() - at);
        trig.feed(s.t.data() + at, s.v.data() + at, n, out);
        at += n;
    }
    return out;
}

/// The rules written out sample by sample, without the fast scan: the reference.
std::vector<TriggerEvent> reference(const TriggerSettings &st, const Signal &s)
{
    std::vector<TriggerEvent> out;
    const double L = st.level, h = st.hysteresis > 0 ? st.hysteresis : 0;
    const bool rising = st.edge != TriggerEdge::Falling, falling = st.edge != TriggerEdge::Rising;
    bool armedUp = false, armedDown = false;
    double last = -kInf;
    for (std::size_t i = 0; i < s.v.size(); ++i) {
        const double v = s.v[i];
        if (std::isnan(v)) {
            armedUp = armedDown = false;
            continue;
        }
        auto fire = [&](double t, TriggerEdge e) {
            if (!(st.holdoff > 0) || t - last >= st.holdoff) {
                out.push_back({ t, e });
                last = t;
            }
        };
        if (rising) {
            if (armedUp && v >= L) {
                armedUp = false;
                const double pt = s.t[i - 1], pv = s.v[i - 1];
                fire(pt + (s.t[i] - pt) * ((L - pv) / (v - pv)), TriggerEdge::Rising);
            } else if (!armedUp && v < L && v <= L - h) {
                armedUp = true;
            }
        }
        if (falling) {
            if (armedDown && v <= L) {
                armedDown = false;
                const double pt = s.t[i - 1], pv = s.v[i - 1];
                fire(pt + (s.t[i] - pt) * ((pv - L) / (pv - v)), TriggerEdge::Falling);
            } else if (!armedDown && v > L && v >= L + h) {
                armedDown = true;
            }
        }
    }
    return out;
}

bool same(const std::vector<TriggerEvent> &a, const std::vector<TriggerEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].time != b[i].time || a[i].edge != b[i].edge)
            return false;
    }
    return true;
}

Signal noisySine(double amplitude, double noise, double freq, double fs, std::size_t n, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-noise, noise);
    return sampled(fs, n, [&](double t) { return amplitude * std::sin(2 * std::numbers::pi * freq * t) + u(rng); });
}

} // namespace

class TestSoftwareTrigger : public QObject
{
    Q_OBJECT

private slots:
    void triangleCrossingsAreExact()
    {
        // Period 1 s sampled at 1 kHz; level 0.3: rising at k + 0.325, falling at k + 0.5 + 0.175.
        const double P = 1.0, L = 0.3;
        const Signal s = sampled(1000.0, 10000, [&](double t) { return triangle(t, P); });
        for (const TriggerEdge edge : { TriggerEdge::Rising, TriggerEdge::Falling, TriggerEdge::Either }) {
            const auto ev = run({ edge, L, 0.1, 0.0 }, s);
            std::vector<TriggerEvent> want;
            for (int k = 0; k < 10; ++k) {
                // The first rising edge starts at −1 (t = 0), which arms: it counts.
                if (edge != TriggerEdge::Falling)
                    want.push_back({ k * P + (L + 1) / 4 * P, TriggerEdge::Rising });
                if (edge != TriggerEdge::Rising)
                    want.push_back({ k * P + P / 2 + (1 - L) / 4 * P, TriggerEdge::Falling });
            }
            QCOMPARE(ev.size(), want.size());
            for (std::size_t i = 0; i < ev.size(); ++i) {
                QCOMPARE(ev[i].edge, want[i].edge);
                QVERIFY2(std::abs(ev[i].time - want[i].time) < 1e-9,
                    qPrintable(QStringLiteral("trigger %1 at %2, expected %3").arg(i).arg(ev[i].time, 0, 'g', 17).arg(want[i].time, 0, 'g', 17)));
            }
        }
    }

    void sineCrossingsWithinInterpolationError()
    {
        // 50 Hz sine of 2 V at 100 kS/s; rising through 0.5 V at asin(0.25)/(2πf) + k/f.
        const double A = 2.0, f = 50.0, L = 0.5;
        const Signal s = sampled(1e5, 100000, [&](double t) { return A * std::sin(2 * std::numbers::pi * f * t); });
        const auto ev = run({ TriggerEdge::Rising, L, 0.2, 0.0 }, s);
        QCOMPARE(ev.size(), std::size_t(50));
        const double phase = std::asin(L / A) / (2 * std::numbers::pi * f);
        // Linear interpolation misses a sine's crossing by at most dt²/8 · ω · tan(phase) ≈ 1e-9 s.
        for (std::size_t k = 0; k < ev.size(); ++k)
            QVERIFY(std::abs(ev[k].time - (phase + double(k) / f)) < 2e-9);
    }

    void hysteresisAgainstNoise()
    {
        // 10 Hz sine of 1 V with uniform noise of ±0.05 V (peak-to-peak 0.1 V), 10 kS/s, 2 s.
        const Signal s = noisySine(1.0, 0.05, 10.0, 1e4, 20000, 7);
        // Hysteresis above the noise's peak-to-peak: exactly one trigger per period, each where
        // the clean sine is within the noise of the level (slope 2π·10 V/s at 0) plus a sample.
        // At t = 0 the trigger is not armed yet (the signal starts on the level): the edges at
        // 0.1 s, 0.2 s, …, 2.0 s (the noise brings that one forward into the last samples).
        const auto clean = run({ TriggerEdge::Rising, 0.0, 0.15, 0.0 }, s);
        QCOMPARE(clean.size(), std::size_t(20));
        for (std::size_t k = 0; k < clean.size(); ++k)
            QVERIFY(std::abs(clean[k].time - 0.1 * double(k + 1)) < 0.05 / (2 * std::numbers::pi * 10) + 1e-4);
        QVERIFY(same(clean, reference({ TriggerEdge::Rising, 0.0, 0.15, 0.0 }, s)));
        // Hysteresis below the noise: the noise makes extra triggers near every crossing.
        const auto chatter = run({ TriggerEdge::Rising, 0.0, 0.02, 0.0 }, s);
        QVERIFY(chatter.size() > 20);
        QVERIFY(same(chatter, reference({ TriggerEdge::Rising, 0.0, 0.02, 0.0 }, s)));
    }

    void everyPieceSizeGivesTheSameTriggers()
    {
        Signal s = noisySine(1.0, 0.2, 370.0, 1e4, 6000, 11);
        // A few NaN samples, one inside an edge.
        for (std::size_t i : { 100, 101, 2500, 4100 })
            s.v[i] = kNaN;
        for (const TriggerSettings &st : { TriggerSettings { TriggerEdge::Rising, 0.1, 0.05, 0.0 },
                 TriggerSettings { TriggerEdge::Falling, -0.3, 0.0, 0.0 },
                 TriggerSettings { TriggerEdge::Either, 0.0, 0.1, 0.004 } }) {
            const auto whole = run(st, s);
            QVERIFY(whole.size() > 100);
            QVERIFY(same(whole, reference(st, s)));
            for (std::size_t size = 1; size <= 300; ++size)
                QVERIFY2(same(run(st, s, { size }), whole), qPrintable(QStringLiteral("piece size %1").arg(size)));
            std::mt19937 rng(3);
            for (int trial = 0; trial < 50; ++trial) {
                std::vector<std::size_t> split(37);
                for (auto &n : split)
                    n = 1 + rng() % 700;
                QVERIFY(same(run(st, s, split), whole));
            }
        }
    }

    void edgeAcrossTwoPieces()
    {
        SoftwareTrigger trig({ TriggerEdge::Rising, 0.0, 0.5, 0.0 });
        std::vector<TriggerEvent> out;
        const double t0[] = { 0.0, 1.0 }, v0[] = { -2.0, -1.0 };
        const double t1[] = { 2.0 }, v1[] = { 3.0 };
        QCOMPARE(trig.feed(t0, v0, 2, out), std::size_t(0));
        QCOMPARE(trig.feed(t1, v1, 1, out), std::size_t(1));
        QCOMPARE(out.at(0).time, 1.25); // −1 → 3 between t = 1 and 2 meets 0 a quarter of the way
        // Found once: the next pieces stay above the level.
        const double t2[] = { 3.0, 4.0 }, v2[] = { 4.0, 0.0 };
        QCOMPARE(trig.feed(t2, v2, 2, out), std::size_t(0));
        QCOMPARE(trig.triggers(), quint64(1));
    }

    void hysteresisArming()
    {
        // Level 0, hysteresis 1: dipping to −0.5 does not re-arm; −1 does (at or below).
        const Signal s { { 0, 1, 2, 3, 4, 5, 6, 7 }, { -1, 1, -0.5, 1, -1, 1, 0, 0 } };
        const auto ev = run({ TriggerEdge::Rising, 0.0, 1.0, 0.0 }, s);
        QCOMPARE(ev.size(), std::size_t(2));
        QCOMPARE(ev[0].time, 0.5);
        QCOMPARE(ev[1].time, 4.5);
        // A signal sitting on the level makes no edges, even without hysteresis.
        const Signal flat { { 0, 1, 2, 3 }, { 0, 0, 0, 0 } };
        QVERIFY(run({ TriggerEdge::Either, 0.0, 0.0, 0.0 }, flat).empty());
        // Without hysteresis a sample exactly on the level fires (reached) and the next one below arms.
        const Signal touch { { 0, 1, 2, 3 }, { -1, 0, -1, 0 } };
        const auto t = run({ TriggerEdge::Rising, 0.0, 0.0, 0.0 }, touch);
        QCOMPARE(t.size(), std::size_t(2));
        QCOMPARE(t[0].time, 1.0);
        QCOMPARE(t[1].time, 3.0);
        // A level that is not a number never fires.
        QVERIFY(run({ TriggerEdge::Either, kNaN, 0.0, 0.0 }, touch).empty());
    }

    void holdoff()
    {
        // Triangle of period 1 s: rising crossings of 0 at k + 0.25. Holdoff 2.5 s: every third.
        const Signal s = sampled(1000.0, 10000, [](double t) { return triangle(t, 1.0); });
        SoftwareTrigger trig({ TriggerEdge::Rising, 0.0, 0.1, 2.5 });
        std::vector<TriggerEvent> out;
        trig.feed(s.t.data(), s.v.data(), s.v.size(), out);
        QCOMPARE(out.size(), std::size_t(4));
        for (std::size_t i = 0; i < out.size(); ++i)
            QVERIFY(std::abs(out[i].time - (0.25 + 3.0 * double(i))) < 1e-9);
        QCOMPARE(trig.heldOff(), quint64(6));
        // Holdoff exactly one period: every edge (not earlier than holdoff after the last).
        QCOMPARE(run({ TriggerEdge::Rising, 0.0, 0.1, 1.0 - 1e-9 }, s).size(), std::size_t(10));
        // Either with holdoff: a falling edge within the holdoff of a rising one is dropped.
        const auto e = run({ TriggerEdge::Either, 0.0, 0.1, 0.6 }, s);
        QCOMPARE(e.size(), std::size_t(10));
        for (const auto &x : e)
            QCOMPARE(x.edge, TriggerEdge::Rising);
    }

    void gapsAndNaN()
    {
        std::vector<TriggerEvent> out;
        SoftwareTrigger trig({ TriggerEdge::Rising, 0.0, 0.0, 0.0 });
        const double t[] = { 0, 1, 2, 3 }, lo[] = { -1, -1 }, hi[] = { 1 };
        trig.feed(t, lo, 1, out);
        trig.gap();
        trig.feed(t + 1, hi, 1, out);
        QVERIFY(out.empty()); // no edge interpolated across the gap
        trig.feed(t + 2, lo, 1, out);
        trig.feed(t + 3, hi, 1, out);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].time, 2.5);

        // A NaN sample is a gap of one sample: −1, NaN, 1 makes no edge; −1, NaN, −1, 1 makes one.
        const Signal a { { 0, 1, 2 }, { -1, kNaN, 1 } };
        QVERIFY(run({ TriggerEdge::Either, 0.0, 0.0, 0.0 }, a).empty());
        const Signal b { { 0, 1, 2, 3 }, { -1, kNaN, -1, 1 } };
        const auto e = run({ TriggerEdge::Either, 0.0, 0.0, 0.0 }, b);
        QCOMPARE(e.size(), std::size_t(1));
        QCOMPARE(e[0].time, 2.5);
        // Falling edge with an infinite sample: still a crossing at the infinite side's time.
        const Signal c { { 0, 1 }, { 1, -kInf } };
        const auto f = run({ TriggerEdge::Falling, 0.0, 0.0, 0.0 }, c);
        QCOMPARE(f.size(), std::size_t(1));
        QVERIFY(f[0].time >= 0.0 && f[0].time <= 1.0);
    }

    void fastScanAgainstPlainScan()
    {
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(-1.0, 1.0);
        std::vector<double> v(4096);
        for (int trial = 0; trial < 200; ++trial) {
            for (auto &x : v)
                x = u(rng) * 0.5;
            // One sample outside (or NaN) at a random place, sometimes none.
            const std::size_t at = rng() % (v.size() + 1);
            if (at < v.size())
                v[at] = trial % 3 == 0 ? kNaN : (trial % 3 == 1 ? 0.9 : -0.9);
            const std::size_t from = rng() % 64;
            std::size_t want = v.size();
            for (std::size_t i = from; i < v.size(); ++i) {
                if (!(v[i] > -0.6 && v[i] < 0.6)) {
                    want = i;
                    break;
                }
            }
            QCOMPARE(SoftwareTrigger::firstOutside(v.data(), from, v.size(), -0.6, 0.6), want);
        }
    }
};

QTEST_GUILESS_MAIN(TestSoftwareTrigger)
#include "test_software_trigger.moc"
