// SPDX-License-Identifier: GPL-3.0-or-later
// The session timeline of a Workspace: the first Run starts the clock at 0, Stop then Run
// continues it, resetTimeline() (Clear, New, Open) starts it again unless a recording holds it;
// runAll()/stopAll() post RunStarted/RunStopped for each instrument; runInstrument() and
// stopInstrument() let one instrument begin, join or leave the acquisition alone.
#include "DriverRegistry.h"
#include "FakeInstrument.h"
#include "SessionClock.h"
#include "Workspace.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

using namespace bs;

class TestWorkspaceTimeline : public QObject
{
    Q_OBJECT

    InstrumentHost *addFake(Workspace &ws, const QString &id)
    {
        QString error;
        InstrumentHost *h = ws.addInstrument({ id, QStringLiteral("fake"), id, QString(), {} }, &error);
        if (!h)
            qWarning() << error;
        return h;
    }

    static QList<InstrumentEvent::Kind> kinds(const QSignalSpy &spy)
    {
        QList<InstrumentEvent::Kind> out;
        for (const auto &args : spy) {
            const auto e = args.at(0).value<InstrumentEvent>();
            if (e.kind == InstrumentEvent::Kind::RunStarted || e.kind == InstrumentEvent::Kind::RunStopped)
                out << e.kind;
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<InstrumentEvent>();
        if (DriverRegistry::instance().find(QStringLiteral("fake")))
            return;
        DriverInfo fake;
        fake.type = QStringLiteral("fake");
        fake.displayName = QStringLiteral("Fake");
        fake.create = [] { return std::make_unique<test::FakeInstrument>(); };
        DriverRegistry::instance().add(fake);
    }

    void stopThenRunContinuesTheTimeline()
    {
        Workspace ws;
        InstrumentHost *h = addFake(ws, QStringLiteral("f1"));
        QVERIFY(h);
        QTest::qWait(200); // the clock runs before the first Run
        const auto generation = SessionClock::generation();
        QElapsedTimer sinceRun;
        sinceRun.start();
        ws.runAll();
        QVERIFY(ws.timelineStarted());
        QCOMPARE(SessionClock::generation(), generation + 1); // restarted at Run
        QVERIFY(SessionClock::now() <= double(sinceRun.nsecsElapsed()) * 1e-9);
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Running, 20000);
        ws.stopAll();
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
        QTest::qWait(200);
        const double beforeRun = SessionClock::now();
        ws.runAll(); // not restarted: the second run continues the timeline
        QCOMPARE(SessionClock::generation(), generation + 1);
        QVERIFY(SessionClock::now() >= beforeRun);
        QVERIFY(SessionClock::now() >= 0.2);
        ws.stopAll();
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
    }

    void resetTimelineStartsAgainUnlessRecording()
    {
        Workspace ws;
        ws.runAll(); // nothing to run, but the timeline begins
        QTest::qWait(150);
        QVERIFY(SessionClock::now() >= 0.15);
        QElapsedTimer sinceReset;
        sinceReset.start();
        QVERIFY(ws.resetTimeline());
        QVERIFY(!ws.timelineStarted());
        QVERIFY(SessionClock::now() <= double(sinceReset.nsecsElapsed()) * 1e-9);
        QTest::qWait(150);
        SessionClock::hold(); // what a running recording does
        const auto generation = SessionClock::generation();
        QVERIFY(!ws.resetTimeline());
        QCOMPARE(SessionClock::generation(), generation);
        QVERIFY(SessionClock::now() >= 0.15);
        SessionClock::release();
        // The first Run after a reset starts at 0 again.
        ws.runAll();
        QCOMPARE(SessionClock::generation(), generation + 1);
    }

    void runAndStopAreEvents()
    {
        Workspace ws;
        InstrumentHost *h = addFake(ws, QStringLiteral("f2"));
        QVERIFY(h);
        QSignalSpy events(h, &InstrumentHost::eventOccurred);
        ws.stopAll(); // not running: no event
        ws.runAll();
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Running, 20000);
        ws.stopAll();
        ws.stopAll(); // stopped once only
        ws.runAll();
        ws.stopAll();
        using K = InstrumentEvent::Kind;
        QCOMPARE(kinds(events), (QList<K> { K::RunStarted, K::RunStopped, K::RunStarted, K::RunStopped }));
        const auto first = events.at(0).at(0).value<InstrumentEvent>();
        QCOMPARE(first.instrumentId, QStringLiteral("f2"));
        QVERIFY(std::isfinite(first.time));
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
    }

    void oneInstrumentRunsAloneJoinsAndLeaves()
    {
        Workspace ws;
        InstrumentHost *a = addFake(ws, QStringLiteral("a"));
        InstrumentHost *b = addFake(ws, QStringLiteral("b"));
        QVERIFY(a && b);
        QSignalSpy running(&ws, &Workspace::runningChanged);
        QSignalSpy eventsA(a, &InstrumentHost::eventOccurred);
        QSignalSpy eventsB(b, &InstrumentHost::eventOccurred);
        using K = InstrumentEvent::Kind;

        // Nothing runs: a's own Run begins the acquisition with a alone (connecting it first).
        ws.runInstrument(QStringLiteral("a"));
        QVERIFY(ws.isRunning());
        QVERIFY(ws.timelineStarted());
        QCOMPARE(running.size(), 1);
        QCOMPARE(running.at(0).at(0).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(a->state(), Instrument::State::Running, 20000);
        QCOMPARE(b->state(), Instrument::State::Disconnected);
        QVERIFY(a->acquisitionRunning());
        QVERIFY(!b->acquisitionRunning()); // b is not part of it: connecting b does not start it
        b->open();
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), Instrument::State::Connected, 20000);
        QTest::qWait(100);
        QCOMPARE(b->state(), Instrument::State::Connected);
        // An instrument added now does not join either: only runAll() takes everyone along.
        InstrumentHost *c = addFake(ws, QStringLiteral("c"));
        QVERIFY(c && !c->acquisitionRunning());

        // b joins the running acquisition: no new acquisition, b's own Run event.
        ws.runInstrument(QStringLiteral("b"));
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), Instrument::State::Running, 20000);
        QCOMPARE(running.size(), 1);
        ws.runInstrument(QStringLiteral("b")); // twice: one Run event

        // a leaves; b goes on and the acquisition with it.
        ws.stopInstrument(QStringLiteral("a"));
        QTRY_COMPARE_WITH_TIMEOUT(a->state(), Instrument::State::Connected, 20000);
        QCOMPARE(b->state(), Instrument::State::Running);
        QVERIFY(!a->acquisitionRunning());
        QVERIFY(ws.isRunning());
        QCOMPARE(running.size(), 1);

        // The last one leaves: the acquisition ends.
        ws.stopInstrument(QStringLiteral("b"));
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), Instrument::State::Connected, 20000);
        QVERIFY(!ws.isRunning());
        QCOMPARE(running.size(), 2);
        QCOMPARE(running.at(1).at(0).toBool(), false);
        QCOMPARE(kinds(eventsA), (QList<K> { K::RunStarted, K::RunStopped }));
        QCOMPARE(kinds(eventsB), (QList<K> { K::RunStarted, K::RunStopped }));
        QCOMPARE(c->state(), Instrument::State::Disconnected);

        // After runAll() an instrument added meanwhile belongs to the acquisition too.
        ws.runAll();
        QCOMPARE(running.size(), 3);
        InstrumentHost *d = addFake(ws, QStringLiteral("d"));
        QVERIFY(d && d->acquisitionRunning());
        ws.stopAll();
        QCOMPARE(running.size(), 4);
        for (InstrumentHost *h : { a, b, c, d })
            QTRY_VERIFY_WITH_TIMEOUT(h->state() != Instrument::State::Running, 20000);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceTimeline)
#include "test_workspace_timeline.moc"
