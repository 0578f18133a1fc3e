// SPDX-License-Identifier: GPL-3.0-or-later
#include "FakeInstrument.h"
#include "InstrumentHost.h"

#include <QMutex>
#include <QSignalSpy>
#include <QtTest>

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
        host.setParameter(QStringLiteral("rate"), 5000.0);
        QTRY_COMPARE(host.parameters().doubleValue(QStringLiteral("rate")), 5000.0);
        host.setParameter(QStringLiteral("rate"), -1.0);
        QTRY_COMPARE(errors.count(), 1);
        QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("rate")));
        host.setParameter(QStringLiteral("refuse_above"), 600);
        QTRY_COMPARE(errors.count(), 2);
        QCOMPARE(host.parameters().intValue(QStringLiteral("refuse_above")), 100);
        QSignalSpy msgs(&host, &InstrumentHost::message);
        host.invoke(QStringLiteral("ping"));
        QTRY_COMPARE(msgs.count(), 1);
        QVERIFY(msgs.at(0).at(0).toString().contains(QStringLiteral("drv-fake3")));
    }

    void manyHostsShutDownCleanly()
    {
        for (int round = 0; round < 3; ++round) {
            std::vector<std::unique_ptr<InstrumentHost>> hosts;
            for (int i = 0; i < 8; ++i) {
                auto drv = std::make_unique<test::FakeInstrument>();
                drv->setId(QStringLiteral("f%1").arg(i));
                hosts.push_back(std::make_unique<InstrumentHost>(std::move(drv)));
                hosts.back()->start();
            }
            QTest::qWait(30);
            hosts.clear(); // must neither hang nor leak threads
        }
    }
};

QTEST_GUILESS_MAIN(TestInstrumentHost)
#include "test_instrument_host.moc"
