// SPDX-License-Identifier: GPL-3.0-or-later
#include "FakeInstrument.h"
#include "InstrumentHost.h"

#include <QMutex>
#include <QSignalSpy>
#include <QtTest>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace bs;

namespace {
/// Records which thread delivered blocks and how many samples arrived.
class CountingSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &s) override
    {
        QMutexLocker l(&mutex);
        streams = s;
    }
    void consume(const SampleBlockPtr &b) override
    {
        QMutexLocker l(&mutex);
        samples += b->sampleCount;
        threads.insert(QThread::currentThread());
    }
    QMutex mutex;
    QVector<StreamInfo> streams;
    quint64 samples = 0;
    QSet<QThread *> threads;
};
} // namespace

class TestInstrumentHost : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsOnItsOwnThreadAndRoutesBlocks()
    {
        auto drv = std::make_unique<test::FakeInstrument>();
        drv->setId(QStringLiteral("fake1"));
        CountingSink sink;
        {
            InstrumentHost host(std::move(drv));
            host.addSink(&sink);
            QSignalSpy states(&host, &InstrumentHost::stateChanged);
            host.start(); // disconnected: connects first, then starts
            QTRY_COMPARE(host.state(), Instrument::State::Running);
            QTRY_VERIFY(host.stats().samples >= 100);
            QCOMPARE(host.streams().size(), 1);
            host.stop();
            QTRY_COMPARE(host.state(), Instrument::State::Connected);
            QVERIFY(states.count() >= 3);
            QMutexLocker l(&sink.mutex);
            QCOMPARE(sink.streams.size(), 1);
            QVERIFY(!sink.threads.contains(QThread::currentThread()));
            QCOMPARE(sink.threads.size(), 1);
        }
        // Host destroyed: the driver thread has been joined; no more blocks arrive.
        const quint64 n = sink.samples;
        QTest::qWait(50);
        QCOMPARE(sink.samples, n);
    }

    void stopRightAfterRunFromFinishedStops()
    {
        // Run from Finished then Stop before the driver's Running has reached this thread: the
        // host's mirrored state still says Finished, yet the new run must be stopped.
        auto drv = std::make_unique<test::FakeInstrument>();
        auto *raw = drv.get();
        drv->setId(QStringLiteral("fake5"));
        InstrumentHost host(std::move(drv));
        raw->finishAfterBlocks = 2;
        host.start();
        QTRY_COMPARE_WITH_TIMEOUT(host.state(), Instrument::State::Finished, 10000);
        raw->finishAfterBlocks = 0; // the next run goes on until stopped
        host.start();
        host.stop();
        QTRY_COMPARE_WITH_TIMEOUT(host.state(), Instrument::State::Connected, 10000);
        // Stop on a Finished instrument (nothing started since) still leaves it alone.
        raw->finishAfterBlocks = 2;
        host.start();
        QTRY_COMPARE_WITH_TIMEOUT(host.state(), Instrument::State::Finished, 10000);
        host.stop();
        QTest::qWait(100);
        QCOMPARE(host.state(), Instrument::State::Finished);
    }

    void countsGaps()
    {
        auto drv = std::make_unique<test::FakeInstrument>();
        auto *raw = drv.get();
        drv->setId(QStringLiteral("fake2"));
        InstrumentHost host(std::move(drv));
        host.start();
        QTRY_VERIFY(host.stats().samples >= 20);
        raw->skipNext = 7;
        QTRY_COMPARE(host.stats().lostSamples, quint64(7));
        // A gap the driver also announces in lostBefore is one loss, not two (as the recorder counts).
        raw->skipAndAnnounceNext = 5;
        QTRY_COMPARE(host.stats().lostSamples, quint64(12));
        QTest::qWait(50);
        QCOMPARE(host.stats().lostSamples, quint64(12));
    }

    void parametersAreMirroredAndRefusalsSnapBack()
    {
        auto drv = std::make_unique<test::FakeInstrument>();
        drv->setId(QStringLiteral("fake3"));
        InstrumentHost host(std::move(drv));
        QSignalSpy errors(&host, &InstrumentHost::errorOccurred);
        QSignalSpy refused(&host, &InstrumentHost::parameterRefused);
        host.setParameter(QStringLiteral("rate"), 5000.0);
        QTRY_COMPARE(host.parameters().doubleValue(QStringLiteral("rate")), 5000.0);
        host.setParameter(QStringLiteral("rate"), -1.0);
        QTRY_COMPARE(errors.count(), 1);
        // Named by its label, in the user's words (issue 10), and tied to its key.
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("Rate: −1 Hz is outside 1 Hz … 1 MHz"));
        QCOMPARE(refused.count(), 1);
        QCOMPARE(refused.at(0).at(0).toString(), QStringLiteral("rate"));
        host.setParameter(QStringLiteral("refuse_above"), 600);
        QTRY_COMPARE(errors.count(), 2);
        QCOMPARE(host.parameters().intValue(QStringLiteral("refuse_above")), 100);
        QSignalSpy msgs(&host, &InstrumentHost::message);
        host.invoke(QStringLiteral("ping"));
        QTRY_COMPARE(msgs.count(), 1);
        QVERIFY(msgs.at(0).at(0).toString().contains(QStringLiteral("drv-fake3")));
    }

    // Destroying running hosts closes every driver on its own thread, deletes it, and ends the
    // thread: nothing left running, nothing left alive. A watchdog turns a hang into a failure
    // with a message (a generous bound, not a timing goal).
    void manyHostsShutDownCleanly()
    {
        constexpr int kHosts = 8;
        for (int round = 0; round < 3; ++round) {
            QCOMPARE(test::FakeInstrument::alive.load(), 0);
            std::vector<std::unique_ptr<InstrumentHost>> hosts;
            std::atomic<int> closedOnOwnThread{0}, threadsFinished{0};
            QVector<QThread *> threads;
            for (int i = 0; i < kHosts; ++i) {
                auto drv = std::make_unique<test::FakeInstrument>();
                drv->setId(QStringLiteral("f%1").arg(i));
                Instrument *raw = drv.get();
                connect(raw, &Instrument::stateChanged, raw,
                        [raw, &closedOnOwnThread](Instrument::State s, const QString &) {
                            if (s == Instrument::State::Disconnected && QThread::currentThread() == raw->thread())
                                ++closedOnOwnThread;
                        }, Qt::DirectConnection);
                hosts.push_back(std::make_unique<InstrumentHost>(std::move(drv)));
                QThread *t = hosts.back()->instrument()->thread();
                QVERIFY(t != QThread::currentThread());
                QVERIFY(!threads.contains(t)); // one thread per instrument
                threads.append(t);
                connect(t, &QThread::finished, t, [&threadsFinished] { ++threadsFinished; }, Qt::DirectConnection);
                hosts.back()->start();
            }
            QCOMPARE(test::FakeInstrument::alive.load(), kHosts);
            for (const auto &h : hosts) {
                QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Running, 20000);
                QTRY_VERIFY_WITH_TIMEOUT(h->stats().samples > 0, 20000);
                QVERIFY(h->instrument()->thread()->isRunning());
            }

            std::mutex m;
            std::condition_variable cv;
            bool done = false;
            std::thread watchdog([&] {
                std::unique_lock l(m);
                if (!cv.wait_for(l, std::chrono::seconds(60), [&] { return done; }))
                    qFatal("round %d: destroying %d running InstrumentHosts took more than 60 s (hung)", round, kHosts);
            });
            hosts.clear();
            {
                std::lock_guard l(m);
                done = true;
            }
            cv.notify_one();
            watchdog.join();

            QCOMPARE(closedOnOwnThread.load(), kHosts); // every driver closed, on its own thread
            QCOMPARE(threadsFinished.load(), kHosts);   // every thread ended
            QCOMPARE(test::FakeInstrument::alive.load(), 0); // every driver deleted
        }
    }
};

QTEST_GUILESS_MAIN(TestInstrumentHost)
#include "test_instrument_host.moc"
