// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView in Triggered mode: frames around the edges of a known signal found by the TriggerMonitor
// on its worker thread, the trigger bar's state in words, Single + Arm, markers, and the settings
// saved with the view. No wall-clock assertion: every wait is for a state, with a generous bound.
#include <ChannelStyles.h>
#include <ScopeView.h>
#include <TriggerBar.h>

#include <TraceStore.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>
#include <numbers>

using namespace bs;

namespace {
constexpr double kFrequency = 3.0; // Hz: rising zero crossings at k / 3 s
constexpr double kDt = 1e-3;
const QString kSine = ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QStringLiteral("Sine"));

/// Announces a 1 V sine (and a slow ramp on a second channel) sampled every 1 ms.
void announce(TraceStore &store)
{
    StreamInfo s;
    s.id = QStringLiteral("sig");
    s.regular = true;
    s.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Ramp"), QStringLiteral("V"), {}, true, {} } };
    store.setStreams(QStringLiteral("gen"), { s });
}

/// Samples [first, first + n) of the signals.
void feed(TraceStore &store, std::uint64_t first, std::size_t n)
{
    auto b = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("sig"), 2, n, false);
    b->firstIndex = first;
    b->dt = kDt;
    b->t0 = double(first) * kDt;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = b->t0 + double(i) * kDt;
        b->channel(0)[i] = std::sin(2 * std::numbers::pi * kFrequency * t);
        b->channel(1)[i] = 0.1 * t;
    }
    store.consume(b);
}

ScopeSettings::Trigger sineTrigger(TriggerMode sweep)
{
    ScopeSettings::Trigger t;
    t.channel = kSine;
    t.settings.edge = TriggerEdge::Rising;
    t.settings.level = 0.0;
    t.settings.hysteresis = 0.1;
    t.prePercent = 25;
    t.sweep = sweep;
    return t;
}

/// Distance of `t` from the nearest rising zero crossing k / f.
double offEdge(double t)
{
    return std::abs(t * kFrequency - std::round(t * kFrequency)) / kFrequency;
}

/// Refreshes the view until `pred` holds (the monitor works on its own thread); says what the
/// trigger was doing when it does not.
template<typename Pred>
bool refreshUntil(ScopeView &view, Pred pred)
{
    const bool ok = QTest::qWaitFor(
        [&] {
            view.refresh();
            return pred();
        },
        20000);
    if (!ok) {
        const TriggerMonitor::Snapshot s = view.triggerSnapshot();
        qWarning("trigger: state %d, present %d, samples %llu, triggers %llu, frames %llu, auto %llu, gaps %llu, "
                 "data time %g, frame %s; bar: %s",
            int(s.state), int(s.channelPresent), s.samples, s.triggers, s.frames, s.autoFrames, s.gaps, s.dataTime,
            s.frame ? qPrintable(QStringLiteral("%1 … %2 (T %3)").arg(s.frame->from).arg(s.frame->to).arg(s.frame->trigger))
                    : "none",
            qPrintable(view.triggerBar()->stateText()));
    }
    return ok;
}

/// Like a running instrument: feeds 50 ms of signal at a time (from `next` on) and refreshes the
/// view until `pred` holds. The monitor starts reading one frame span before the newest data it
/// finds on its first pass, so a live stream, not a block fed once, is what it is made for.
template<typename Pred>
bool streamUntil(TraceStore &store, std::uint64_t &next, ScopeView &view, Pred pred)
{
    return refreshUntil(view, [&] {
        feed(store, next, 50);
        next += 50;
        QTest::qWait(2);
        return pred();
    });
}
} // namespace

class TriggerViewTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesSitOnTheEdges()
    {
        TraceStore store;
        announce(store);
        feed(store, 0, 2000);
        ScopeView view(&store);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.refresh();
        view.setSpan(0.2);
        view.setTriggerSettings(sineTrigger(TriggerMode::Normal));
        QSignalSpy changed(&view, &ScopeView::triggerChanged);
        auto *mode = view.findChild<QComboBox *>(QStringLiteral("modeBox"));
        QVERIFY(mode);
        mode->setCurrentIndex(mode->findText(QStringLiteral("Triggered")));
        QVERIFY(view.triggered());
        QVERIFY(changed.size() >= 1);
        QVERIFY(view.triggerBar()->isVisible());

        // More data arrives: every frame is 0.2 s wide, 25 % before a rising zero crossing. The
        // time cursors keep their place in the frame (50 ms and 120 ms after its start).
        std::uint64_t next = 2000;
        std::optional<double> frameStart;
        for (int round = 0; round < 3; ++round) {
            feed(store, next, 500);
            next += 500;
            const double newest = double(next - 1) * kDt;
            QVERIFY(refreshUntil(view, [&] {
                const auto f = view.shownFrame();
                // the newest edge whose frame is complete: its 150 ms after the trigger are there
                return f && f->trigger > newest - 0.15 - 1.0 / kFrequency - 1e-9;
            }));
            const TriggerFrame f = *view.shownFrame();
            QVERIFY2(offEdge(f.trigger) < 1e-6, qPrintable(QString::number(f.trigger, 'g', 12)));
            QVERIFY(!f.automatic);
            QCOMPARE(f.from, f.trigger - 0.05);
            QCOMPARE(f.to, f.trigger + 0.15);
            QCOMPARE(view.plot()->xAxis->range().lower, f.from);
            QCOMPARE(view.plot()->xAxis->range().upper, f.to);
            if (!frameStart) {
                view.setCursorsVisible(true);
                view.setTimeCursors(f.from + 0.05, f.from + 0.12);
            } else {
                QVERIFY(f.from > *frameStart);
                QCOMPARE(view.timeCursors().first - f.from + 1.0, 0.05 + 1.0);
                QCOMPARE(view.timeCursors().second - f.from + 1.0, 0.12 + 1.0);
            }
            frameStart = f.from;
        }
        QVERIFY2(view.triggerBar()->stateText().startsWith(QStringLiteral("Triggered"))
                || view.triggerBar()->stateText().startsWith(QStringLiteral("Waiting")),
            qPrintable(view.triggerBar()->stateText()));
        // The trigger marker stands at the trigger, the level line at 0 V on the sine's axis.
        int timeLines = 0;
        bool level = false;
        for (int i = 0; i < view.plot()->itemCount(); ++i) {
            QCPAbstractItem *item = view.plot()->item(i);
            const QString kind = item->property("trigger").toString();
            if (kind == QLatin1String("time")) {
                ++timeLines;
                QVERIFY(item->visible());
                QCOMPARE(static_cast<QCPItemStraightLine *>(item)->point1->coords().x(), view.shownFrame()->trigger);
            } else if (kind == QLatin1String("level")) {
                level = true;
                QCOMPARE(static_cast<QCPItemStraightLine *>(item)->point1->coords().y(), 0.0);
            }
        }
        QCOMPARE(timeLines, view.laneCount());
        QVERIFY(level);
    }

    void normalWaitsWithoutEdgesAndAutoShowsTheSignal()
    {
        TraceStore store;
        announce(store);
        feed(store, 0, 2000);
        ScopeView view(&store);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSpan(0.2);
        ScopeSettings::Trigger t = sineTrigger(TriggerMode::Normal);
        t.settings.level = 5.0; // above the 1 V sine: never crossed
        view.setTriggerSettings(t);
        view.setTriggered(true);
        std::uint64_t next = 2000;
        QVERIFY(streamUntil(store, next, view, [&] { return view.triggerSnapshot().samples > 1000; }));
        QVERIFY(refreshUntil(view, [&] { return view.triggerBar()->stateText().startsWith(QStringLiteral("Waiting for trigger…")); }));
        QVERIFY(!view.shownFrame());

        t.sweep = TriggerMode::Auto;
        view.setTriggerSettings(t);
        QVERIFY(streamUntil(store, next, view, [&] { return view.shownFrame() && view.shownFrame()->automatic; }));
        QVERIFY2(view.triggerBar()->stateText().startsWith(QStringLiteral("Auto")), qPrintable(view.triggerBar()->stateText()));
    }

    void singleStopsUntilArmed()
    {
        TraceStore store;
        announce(store);
        feed(store, 0, 1000);
        ScopeView view(&store);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.refresh();
        view.setSpan(0.2);
        view.setTriggerSettings(sineTrigger(TriggerMode::Single));
        view.setTriggered(true);
        std::uint64_t next = 1000;
        QVERIFY(streamUntil(store, next, view, [&] { return view.triggerSnapshot().state == TriggerState::Stopped; }));
        view.refresh();
        QVERIFY(view.shownFrame());
        const double first = view.shownFrame()->trigger;
        QVERIFY2(offEdge(first) < 1e-6, qPrintable(QString::number(first)));
        QVERIFY(view.triggerBar()->stateText().startsWith(QStringLiteral("Stopped")));
        // More edges come: the picture stays.
        const quint64 seenAtStop = view.triggerSnapshot().samples;
        QVERIFY(streamUntil(store, next, view, [&] { return view.triggerSnapshot().samples >= seenAtStop + 1000; }));
        view.refresh();
        QCOMPARE(view.shownFrame()->trigger, first);
        // Arm: the next edge after the arming.
        auto *arm = view.triggerBar()->findChild<QPushButton *>(QStringLiteral("triggerArm"));
        QVERIFY(arm && arm->isEnabled());
        arm->click();
        QVERIFY(streamUntil(store, next, view, [&] { return view.shownFrame() && view.shownFrame()->trigger > first + 1.0; }));
        QCOMPARE(view.triggerSnapshot().state, TriggerState::Stopped);
        QVERIFY(offEdge(view.shownFrame()->trigger) < 1e-6);
    }

    void newChannelsAreNoChangeOfTheUser()
    {
        // The source list follows the data: channels appearing (a session opened, an instrument
        // connected) must not mark the session modified.
        TraceStore store;
        ScopeView view(&store);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setTriggerSettings(sineTrigger(TriggerMode::Auto));
        view.setTriggered(true);
        QSignalSpy changed(&view, &ScopeView::triggerChanged);
        announce(store);
        feed(store, 0, 1000);
        view.refresh();
        QCOMPARE(view.triggerSettings().channel, kSine);
        auto *source = view.triggerBar()->findChild<QComboBox *>(QStringLiteral("triggerSource"));
        QCOMPARE(source->count(), 2);
        // The user picks the ramp: that is a change.
        source->setCurrentIndex(1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(view.triggerSettings().channel,
            ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QStringLiteral("Ramp")));
        changed.clear();
        view.refresh();
        QCOMPARE(changed.size(), 0);
    }

    void levelToMiddleAndSaved()
    {
        TraceStore store;
        announce(store);
        feed(store, 0, 2000);
        ScopeView view(&store);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.refresh();
        ScopeSettings::Trigger t = sineTrigger(TriggerMode::Auto);
        t.channel = ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QStringLiteral("Ramp"));
        view.setTriggerSettings(t);
        view.setTriggered(true);
        view.showAll();
        view.refresh();
        auto *middle = view.triggerBar()->findChild<QPushButton *>(QStringLiteral("triggerLevelMiddle"));
        QVERIFY(middle);
        middle->click();
        // The ramp shown runs from 0 to 0.1999 V: the level goes to its middle.
        QVERIFY2(std::abs(view.triggerSettings().settings.level - 0.09995) < 1e-3,
            qPrintable(QString::number(view.triggerSettings().settings.level)));
        auto *levelBox = view.triggerBar()->findChild<QDoubleSpinBox *>(QStringLiteral("triggerLevel"));
        QCOMPARE(levelBox->suffix(), QStringLiteral(" V"));

        const QJsonObject saved = view.saveState();
        QCOMPARE(saved.value(QStringLiteral("mode")).toString(), QStringLiteral("triggered"));
        const QJsonObject trig = saved.value(QStringLiteral("trigger")).toObject();
        QCOMPARE(trig.value(QStringLiteral("channel")).toString(), t.channel);
        QCOMPARE(trig.value(QStringLiteral("sweep")).toString(), QStringLiteral("auto"));
        QCOMPARE(trig.value(QStringLiteral("pre_percent")).toDouble(), 25.0);
        ScopeView other(&store);
        other.restoreState(saved);
        QVERIFY(other.triggered());
        QCOMPARE(other.triggerSettings().channel, t.channel);
        QCOMPARE(other.triggerSettings().settings.hysteresis, 0.1);
        QCOMPARE(other.triggerSettings().settings.level, view.triggerSettings().settings.level);
        // Junk in the file keeps the defaults and does not break the view.
        QJsonObject junk = saved;
        junk.insert(QStringLiteral("trigger"),
            QJsonObject { { QStringLiteral("edge"), 7 }, { QStringLiteral("hysteresis"), -1 },
                { QStringLiteral("pre_percent"), 500 }, { QStringLiteral("sweep"), QStringLiteral("sometimes") } });
        junk.insert(QStringLiteral("mode"), QStringLiteral("roll"));
        ScopeView third(&store);
        third.restoreState(junk);
        QVERIFY(!third.triggered());
        QCOMPARE(third.triggerSettings().settings.hysteresis, 0.0);
        QCOMPARE(third.triggerSettings().prePercent, 50.0);
        QCOMPARE(third.triggerSettings().sweep, TriggerMode::Auto);
    }
};

QTEST_MAIN(TriggerViewTest)
#include "test_gui_trigger.moc"
