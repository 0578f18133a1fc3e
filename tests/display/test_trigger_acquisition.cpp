// SPDX-License-Identifier: GPL-3.0-or-later
// TriggerAcquisition (issue 14): windows from span and pre-trigger, Normal / Auto / Single state
// transitions driven by data time only (no clock), the newest complete frame wins, bounded
// waiting list; and SoftwareTrigger + TriggerAcquisition on a stream fed in pieces.
#include <TriggerAcquisition.h>

#include <QTest>

#include <cmath>
#include <vector>

using namespace bs;

namespace {

TriggerEvent rise(double t)
{
    return TriggerEvent { t, TriggerEdge::Rising };
}

} // namespace

class TestTriggerAcquisition : public QObject
{
    Q_OBJECT

private slots:
    void normalShowsNewestCompleteFrame()
    {
        // (Times in binary fractions, so that the window ends compare exactly.) Span 0.25 s, 25 %
        // before the trigger: window [t − 0.0625, t + 0.1875]. Timeout max(0.25, 0.1).
        TriggerAcquisition acq({ 0.25, 25.0, TriggerMode::Normal });
        QCOMPARE(acq.autoTimeout(), 0.25);
        acq.advance(0.875);
        QCOMPARE(acq.state(), TriggerState::Waiting);
        acq.addTrigger(rise(1.0));
        QCOMPARE(acq.state(), TriggerState::Triggered);
        acq.advance(1.125);
        QVERIFY(!acq.frame()); // the data has not reached the window's end
        acq.advance(1.1875);
        QVERIFY(acq.frame());
        QCOMPARE(acq.frame()->trigger, 1.0);
        QCOMPARE(acq.frame()->from, 0.9375);
        QCOMPARE(acq.frame()->to, 1.1875);
        QVERIFY(!acq.frame()->automatic);
        const quint64 first = acq.frame()->serial;

        // Two triggers complete in one step: only the newest is shown (no stale queue).
        acq.addTrigger(rise(1.25));
        acq.addTrigger(rise(1.5));
        acq.addTrigger(rise(1.75)); // not complete at 1.75
        acq.advance(1.75);
        QCOMPARE(acq.frame()->trigger, 1.5);
        QCOMPARE(acq.frame()->serial, first + 1);
        QCOMPARE(acq.framesCompleted(), quint64(2));
        QCOMPARE(acq.triggersAccepted(), quint64(4));
        QCOMPARE(acq.waiting(), std::size_t(1));

        // No trigger for more than the timeout after 1.75: waiting, the last frame is kept.
        acq.advance(2.0);
        QCOMPARE(acq.frame()->trigger, 1.75);
        QCOMPARE(acq.state(), TriggerState::Triggered);
        acq.advance(2.0001);
        QCOMPARE(acq.state(), TriggerState::Waiting);
        acq.advance(5.0);
        QCOMPARE(acq.frame()->trigger, 1.75);
        QCOMPARE(acq.autoFrames(), quint64(0));
    }

    void autoShowsUntriggeredFramesAfterTimeout()
    {
        // Span 1/16 s: the timeout is the 100 ms minimum.
        TriggerAcquisition acq({ 0.0625, 50.0, TriggerMode::Auto });
        QCOMPARE(acq.autoTimeout(), 0.1);
        acq.advance(2.0); // first data: the timeout counts from here
        acq.advance(2.0625);
        QCOMPARE(acq.state(), TriggerState::Waiting);
        QVERIFY(!acq.frame());
        acq.advance(2.125);
        QCOMPARE(acq.state(), TriggerState::Auto);
        QVERIFY(acq.frame()->automatic);
        QVERIFY(std::isnan(acq.frame()->trigger));
        QCOMPARE(acq.frame()->from, 2.0625);
        QCOMPARE(acq.frame()->to, 2.125);
        acq.advance(2.25); // rolls on with the data
        QCOMPARE(acq.frame()->to, 2.25);
        QCOMPARE(acq.autoFrames(), quint64(2));

        // A trigger: triggered; its frame replaces the automatic one once complete.
        acq.addTrigger(rise(2.28125));
        acq.advance(2.296875);
        QCOMPARE(acq.state(), TriggerState::Triggered);
        QVERIFY(acq.frame()->automatic); // the last automatic frame stays until then
        QCOMPARE(acq.frame()->to, 2.25);
        acq.advance(2.3125);
        QVERIFY(!acq.frame()->automatic);
        QCOMPARE(acq.frame()->trigger, 2.28125);
        QCOMPARE(acq.frame()->from, 2.25);
        // Triggers stop: automatic frames again once the timeout after the last one has passed.
        acq.advance(2.375);
        QCOMPARE(acq.state(), TriggerState::Triggered);
        acq.advance(2.40625);
        QCOMPARE(acq.state(), TriggerState::Auto);
        QVERIFY(acq.frame()->automatic);
    }

    void singleStopsAfterOneFrame()
    {
        TriggerAcquisition acq({ 1.0, 0.0, TriggerMode::Single }); // window [t, t + 1]
        acq.advance(0.0);
        acq.addTrigger(rise(0.5));
        acq.addTrigger(rise(0.7)); // Single keeps the first
        QCOMPARE(acq.state(), TriggerState::Triggered);
        acq.advance(1.4);
        QVERIFY(!acq.frame());
        acq.advance(1.5);
        QCOMPARE(acq.state(), TriggerState::Stopped);
        QCOMPARE(acq.frame()->trigger, 0.5);
        QCOMPARE(acq.frame()->from, 0.5);
        QCOMPARE(acq.frame()->to, 1.5);
        // Stopped: nothing changes, however long and whatever comes.
        acq.addTrigger(rise(2.0));
        acq.advance(10.0);
        QCOMPARE(acq.frame()->trigger, 0.5);
        QCOMPARE(acq.state(), TriggerState::Stopped);
        // A reset (store cleared) drops the frame; stopped stays stopped.
        acq.reset();
        QVERIFY(!acq.frame());
        QCOMPARE(acq.state(), TriggerState::Stopped);
        // Re-armed: the next trigger makes the next frame.
        acq.arm();
        QCOMPARE(acq.state(), TriggerState::Waiting);
        acq.advance(20.0);
        QCOMPARE(acq.state(), TriggerState::Waiting); // Single never goes automatic
        acq.addTrigger(rise(20.5));
        acq.advance(21.5);
        QCOMPARE(acq.state(), TriggerState::Stopped);
        QCOMPARE(acq.frame()->trigger, 20.5);
        QCOMPARE(acq.framesCompleted(), quint64(2));
    }

    void preTriggerAndSettingsAreSane()
    {
        TriggerAcquisition acq({ 0.125, 100.0, TriggerMode::Normal }); // all before: [t − 0.125, t]
        acq.addTrigger(rise(1.0));
        acq.advance(1.0);
        QCOMPARE(acq.frame()->from, 0.875);
        QCOMPARE(acq.frame()->to, 1.0);
        acq.setSettings({ -1.0, 250.0, TriggerMode::Normal }); // nonsense is clamped
        QVERIFY(acq.settings().span > 0);
        QCOMPARE(acq.settings().preTriggerPercent, 100.0);
        acq.setSettings({ std::nan(""), std::nan(""), TriggerMode::Normal });
        QVERIFY(acq.settings().span > 0);
        QCOMPARE(acq.settings().preTriggerPercent, 50.0);
    }

    void waitingListIsBounded()
    {
        // 10 000 triggers waiting for a 10 s window: the oldest beyond MaxPending are dropped.
        TriggerAcquisition acq({ 10.0, 0.0, TriggerMode::Normal });
        for (int i = 0; i < 10000; ++i)
            acq.addTrigger(rise(i / 16384.0));
        QCOMPARE(acq.waiting(), TriggerAcquisition::MaxPending);
        acq.advance(10.25); // the triggers up to 0.25 s were dropped: no frame
        QVERIFY(!acq.frame());
        acq.advance(10.5);
        QCOMPARE(acq.frame()->trigger, 0.5);
        acq.advance(11.0);
        QCOMPARE(acq.frame()->trigger, 9999 / 16384.0);
        QCOMPARE(acq.waiting(), std::size_t(0));
    }

    void triggerAndAcquisitionOnPieces()
    {
        // Square wave ±1 of period 10 ms, 100 kS/s, in pieces of 173 samples: rising between
        // samples 1000k + 499 and 1000k + 500, at (1000k + 499.5) · 10 µs. The data ends at
        // 96.49 ms. Span 4 ms, 50 %: the frame of the edge at 84.995 ms is the newest complete
        // one (the one at 94.995 ms needs data up to 96.995 ms).
        std::vector<double> t, v;
        for (int i = 0; i < 9650; ++i) {
            t.push_back(i * 1e-5);
            v.push_back((i / 500) % 2 ? 1.0 : -1.0);
        }
        SoftwareTrigger trig({ TriggerEdge::Rising, 0.0, 0.5, 0.0 });
        TriggerAcquisition acq({ 0.004, 50.0, TriggerMode::Normal });
        std::vector<TriggerEvent> ev;
        quint64 found = 0;
        for (std::size_t at = 0; at < t.size(); at += 173) {
            const std::size_t n = std::min<std::size_t>(173, t.size() - at);
            ev.clear();
            found += trig.feed(t.data() + at, v.data() + at, n, ev);
            for (const auto &e : ev)
                acq.addTrigger(e);
            acq.advance(t[at + n - 1]);
        }
        QCOMPARE(found, quint64(10)); // rising at 5, 15, …, 95 ms (between samples 499 and 500, …)
        QVERIFY(std::abs(acq.frame()->trigger - 8499.5e-5) < 1e-12);
        QCOMPARE(acq.framesCompleted(), quint64(9)); // one per piece that completed a frame
        QCOMPARE(acq.state(), TriggerState::Triggered);
    }
};

QTEST_GUILESS_MAIN(TestTriggerAcquisition)
#include "test_trigger_acquisition.moc"
