// SPDX-License-Identifier: GPL-3.0-or-later
// TriggerMonitor (issue 14): the trigger of one channel of a TraceStore, polled by hand (store
// cleared, channel removed and back, Single re-armed, a backlog skipped) and on its own thread
// while another thread feeds the store: every edge found once, whatever the block sizes.
#include <TraceStore.h>
#include <TriggerMonitor.h>

#include <QThread>
#include <QTest>

#include <atomic>
#include <cmath>
#include <thread>

using namespace bs;

namespace {

const QString kInst = QStringLiteral("pico");
const QString kStream = QStringLiteral("s");
const ChannelKey kKey { kInst, kStream, 0 };
constexpr double kDt = 1e-5;

/// A ±1 V square wave of period 1000 samples, low first: rising between samples 1000k + 499 and
/// 1000k + 500, at (1000k + 499.5) · 10 µs.
SampleBlockPtr square(std::uint64_t first, std::size_t n)
{
    auto b = SampleBlock::make(kInst, kStream, 1, n, false);
    b->firstIndex = first;
    b->t0 = double(first) * kDt;
    b->dt = kDt;
    for (std::size_t i = 0; i < n; ++i)
        b->channel(0)[i] = ((first + i) / 500) % 2 ? 1.0 : -1.0;
    return b;
}

double edge(int k)
{
    return (1000.0 * k + 499.5) * kDt;
}

/// Feeds rows [from, to) in blocks of varying size.
std::uint64_t feed(TraceStore &store, std::uint64_t from, std::uint64_t to)
{
    std::size_t size = 1;
    while (from < to) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(size, to - from));
        store.consume(square(from, n));
        from += n;
        size = size * 7 % 1013 + 1;
    }
    return to;
}

} // namespace

class TestTriggerMonitor : public QObject
{
    Q_OBJECT

private slots:
    void polledByHand()
    {
        TraceStore store;
        TriggerMonitor mon(store);
        mon.setChannel(kKey);
        mon.setTriggerSettings({ TriggerEdge::Rising, 0.0, 0.5, 0.0 });
        mon.setFrameSettings({ 0.004, 50.0, TriggerMode::Normal });
        mon.poll();
        QVERIFY(!mon.snapshot().channelPresent);

        // 10.5 periods: edges 0…9 (edge 9 at 94.995 ms needs data up to 96.995 ms: not there).
        std::uint64_t row = feed(store, 0, 9650);
        const quint64 pub = mon.publication();
        mon.poll();
        auto s = mon.snapshot();
        QVERIFY(s.channelPresent);
        QCOMPARE(s.samples, quint64(9650));
        QCOMPARE(s.triggers, quint64(10));
        QCOMPARE(s.state, TriggerState::Triggered);
        QVERIFY(s.frame);
        QVERIFY(std::abs(s.frame->trigger - edge(8)) < 1e-12);
        QVERIFY(std::abs(s.frame->from - (edge(8) - 0.002)) < 1e-12);
        QVERIFY(mon.publication() > pub);
        QCOMPARE(s.gaps, quint64(0));

        row = feed(store, row, 10000);
        mon.poll();
        s = mon.snapshot();
        QCOMPARE(s.triggers, quint64(10));
        QVERIFY(std::abs(s.frame->trigger - edge(9)) < 1e-12);

        // The store is cleared (new acquisition): everything starts over, the frame is dropped.
        store.clear();
        mon.poll();
        s = mon.snapshot();
        QCOMPARE(s.restarts, quint64(1));
        QVERIFY(!s.frame);
        row = feed(store, 0, 3000);
        mon.poll();
        s = mon.snapshot();
        QCOMPARE(s.triggers, quint64(13));
        QVERIFY(std::abs(s.frame->trigger - edge(2)) < 1e-12);

        // The channel goes away and comes back.
        store.removeInstrument(kInst);
        mon.poll();
        QVERIFY(!mon.snapshot().channelPresent);
        feed(store, 0, 2000);
        mon.poll(); // the restart is noticed
        mon.poll();
        s = mon.snapshot();
        QVERIFY(s.channelPresent);
        QCOMPARE(s.restarts, quint64(2));
        QCOMPARE(s.triggers, quint64(15));
    }

    void singleAndRearm()
    {
        TraceStore store;
        TriggerMonitor mon(store);
        mon.setChannel(kKey);
        mon.setTriggerSettings({ TriggerEdge::Rising, 0.0, 0.5, 0.0 });
        mon.setFrameSettings({ 0.001, 0.0, TriggerMode::Single }); // [t, t + 1 ms]
        mon.poll(); // taken while the store is empty: read from the start
        std::uint64_t row = feed(store, 0, 5000);
        mon.poll();
        auto s = mon.snapshot();
        QCOMPARE(s.state, TriggerState::Stopped);
        QVERIFY(std::abs(s.frame->trigger - edge(0)) < 1e-12);
        row = feed(store, row, 8000);
        mon.poll();
        s = mon.snapshot();
        QCOMPARE(s.state, TriggerState::Stopped);
        QVERIFY(std::abs(s.frame->trigger - edge(0)) < 1e-12); // kept
        mon.setTriggerSettings({ TriggerEdge::Rising, 0.1, 0.5, 0.0 }); // a new level: still stopped
        mon.poll();
        QCOMPARE(mon.snapshot().state, TriggerState::Stopped);
        mon.arm();
        mon.poll();
        QCOMPARE(mon.snapshot().state, TriggerState::Waiting);
        feed(store, row, 9000);
        mon.poll();
        s = mon.snapshot();
        QCOMPARE(s.state, TriggerState::Stopped);
        QVERIFY(std::abs(s.frame->trigger - (edge(8) + 0.05 * kDt)) < 1e-12); // −1 → 1 meets 0.1 at 55 %
    }

    void backlogIsSkipped()
    {
        TraceStore store;
        TriggerMonitor mon(store);
        mon.setChannel(kKey);
        mon.setTriggerSettings({ TriggerEdge::Rising, 0.0, 0.5, 0.0 });
        mon.setFrameSettings({ 0.004, 75.0, TriggerMode::Normal }); // [t − 3 ms, t + 1 ms]
        mon.setMaxBacklogRows(5000);
        feed(store, 0, 1000);
        mon.poll(); // starts one span before the newest data
        const quint64 first = mon.snapshot().samples;
        QVERIFY(first > 0 && first < 1000);
        // 99 700 rows behind: skipped to one span (~400 rows) before the newest, which holds the
        // edge at row 100 500 and the 1 ms after it.
        feed(store, 1000, 100700);
        mon.poll();
        const auto s = mon.snapshot();
        QVERIFY(s.skipped > 90000);
        QCOMPARE(s.samples + s.skipped, first + 99700);
        QCOMPARE(s.gaps, quint64(1));
        QCOMPARE(s.triggers, quint64(1));
        QVERIFY(std::abs(s.frame->trigger - edge(100)) < 1e-12);
    }

    void polledOnOneThreadReadOnAnother()
    {
        // Without Qt's event loop (so ThreadSanitizer sees every hand-over): one thread polls,
        // one feeds, this one changes settings and reads snapshots meanwhile.
        TraceStore store;
        TriggerMonitor mon(store);
        mon.setChannel(kKey);
        mon.setTriggerSettings({ TriggerEdge::Rising, 0.0, 0.5, 0.0 });
        mon.setFrameSettings({ 0.002, 50.0, TriggerMode::Normal });
        mon.poll();
        constexpr std::uint64_t rows = 500 * 1000;
        std::atomic<bool> fed { false }, quit { false };
        std::thread poller([&] {
            while (!quit.load())
                mon.poll();
        });
        std::thread producer([&] {
            feed(store, 0, rows);
            fed = true;
        });
        quint64 seen = 0;
        while (!fed.load() || mon.snapshot().samples < rows) {
            const auto s = mon.snapshot();
            QVERIFY(s.samples >= seen); // published state only moves forward
            seen = s.samples;
            mon.setFrameSettings({ 0.002, 50.0, TriggerMode::Normal }); // handed over, applied by the poller
            std::this_thread::yield();
        }
        quit = true;
        producer.join();
        poller.join();
        const auto s = mon.snapshot();
        QCOMPARE(s.samples, rows);
        QCOMPARE(s.triggers, quint64(500));
        QCOMPARE(s.gaps + s.lost + s.skipped, quint64(0));
    }

    void onItsOwnThreadWhileAnotherFeeds()
    {
        TraceStore store;
        QThread worker;
        auto *mon = new TriggerMonitor(store);
        mon->setChannel(kKey);
        mon->setTriggerSettings({ TriggerEdge::Either, 0.0, 0.5, 0.0 });
        mon->setFrameSettings({ 0.002, 25.0, TriggerMode::Auto });
        mon->moveToThread(&worker);
        worker.start();
        QMetaObject::invokeMethod(mon, "start", Qt::QueuedConnection, Q_ARG(int, 2));

        mon->poll(); // the channel is taken while the store is empty: it will be read from its start
        // 2000 periods in blocks of 1 … 1013 rows from another thread: 2000 rising edges and 1999
        // falling ones (the last period's falls after the data).
        constexpr std::uint64_t rows = 2000 * 1000;
        std::thread producer([&] { feed(store, 0, rows); });
        producer.join();
        QTRY_VERIFY_WITH_TIMEOUT(mon->snapshot().samples == rows, 120000);
        const auto s = mon->snapshot();
        QCOMPARE(s.triggers, quint64(3999));
        QCOMPARE(s.gaps, quint64(0));
        QCOMPARE(s.lost + s.skipped, quint64(0));
        QCOMPARE(s.state, TriggerState::Triggered);
        // Newest complete frame: the last rising edge (5 ms before the data ends; it needs 1.5 ms).
        QVERIFY(s.frame && !s.frame->automatic);
        QVERIFY(std::abs(s.frame->trigger - edge(1999)) < 1e-9);
        QCOMPARE(s.frame->edge, TriggerEdge::Rising);

        QMetaObject::invokeMethod(mon, "stop", Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();
        delete mon;
    }
};

QTEST_GUILESS_MAIN(TestTriggerMonitor)
#include "test_trigger_monitor.moc"
