// SPDX-License-Identifier: GPL-3.0-or-later
// The Measurements and Spectrum panels on what the scope shows: values checked against values worked
// out by hand for known signals (over the window and between the time cursors), a channel without
// even spacing refused with the reason, the choices saved, and both docks in the main window's
// session. Waits are for results, with generous bounds; nothing asserts a duration.
#include <ChannelStyles.h>
#include <MeasurementsPanel.h>
#include <ScopeView.h>
#include <SpectrumPanel.h>
#include <SpectrumView.h>

#include <EngineeringFormat.h>
#include <TraceStore.h>

#include <QComboBox>
#include <QTableWidget>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>
#include <numbers>

using namespace bs;

namespace {
/// A 10 mV sine at 3 Hz ("Sine", V) and a 0 → 50 V step at 1 s ("Step", V), 1 ms apart for 2 s;
/// an irregular "Counter" stream with jittered times.
void feed(TraceStore &store)
{
    StreamInfo a;
    a.id = QStringLiteral("sig");
    a.regular = true;
    a.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Step"), QStringLiteral("V"), {}, true, {} } };
    StreamInfo c;
    c.id = QStringLiteral("cnt");
    c.regular = false;
    c.channels = { ChannelInfo { QStringLiteral("Counter"), QStringLiteral("counts"), {}, true, {} } };
    store.setStreams(QStringLiteral("gen"), { a, c });
    constexpr std::size_t n = 2000;
    auto b = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("sig"), 2, n, false);
    b->dt = 1e-3;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) * 1e-3;
        b->channel(0)[i] = 0.01 * std::sin(2 * std::numbers::pi * 3 * t);
        b->channel(1)[i] = t < 1.0 ? 0.0 : 50.0;
    }
    store.consume(b);
    auto irr = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("cnt"), 1, 200, true);
    for (std::size_t i = 0; i < 200; ++i) {
        irr->times[i] = 0.01 * double(i) + (i % 3 == 0 ? 0.004 : 0.0);
        irr->channel(0)[i] = double(i);
    }
    irr->t0 = irr->times[0];
    store.consume(irr);
}

int rowOf(const MeasurementsPanel &panel, const QString &channel)
{
    for (int r = 0; r < panel.table()->rowCount(); ++r)
        if (panel.table()->item(r, 0) && panel.table()->item(r, 0)->text().contains(channel))
            return r;
    return -1;
}

/// Waits for the panel to show a result newer than `before`.
bool waitResult(MeasurementsPanel &panel, quint64 before)
{
    return QTest::qWaitFor(
        [&] {
            panel.update();
            return panel.resultsShown() > before;
        },
        20000);
}
} // namespace

class AnalysisTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void measuresTheWindowShown()
    {
        TraceStore store;
        feed(store);
        ScopeView scope(&store);
        scope.resize(900, 500);
        scope.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scope));
        scope.refresh();
        scope.plot()->xAxis->setRange(0.0, 1.999); // six whole periods of the sine
        scope.refresh();
        MeasurementsPanel panel(&store, &scope);
        panel.setColumns({ QStringLiteral("min"), QStringLiteral("max"), QStringLiteral("rms"),
            QStringLiteral("frequency"), QStringLiteral("period"), QStringLiteral("duty_positive"),
            QStringLiteral("edges") });
        panel.show();
        QVERIFY(waitResult(panel, 0));
        const int sine = rowOf(panel, QStringLiteral("Sine"));
        QVERIFY(sine >= 0);
        QCOMPARE(panel.cellText(sine, QStringLiteral("rms")), QStringLiteral("7.071 mV")); // 10 mV / √2
        QCOMPARE(panel.cellText(sine, QStringLiteral("max")), QStringLiteral("10.00 mV"));
        QCOMPARE(panel.cellText(sine, QStringLiteral("frequency")), QStringLiteral("3.000 Hz"));
        QCOMPARE(panel.cellText(sine, QStringLiteral("period")), QStringLiteral("333.3 ms"));
        QCOMPARE(panel.cellText(sine, QStringLiteral("duty_positive")), QStringLiteral("50.00 %"));
        // The step: one rising edge, so no period, frequency or duty: "—", never a made-up number.
        const int step = rowOf(panel, QStringLiteral("Step"));
        QVERIFY(step >= 0);
        QCOMPARE(panel.cellText(step, QStringLiteral("edges")), QStringLiteral("1"));
        QCOMPARE(panel.cellText(step, QStringLiteral("frequency")), QStringLiteral("—"));
        QCOMPARE(panel.cellText(step, QStringLiteral("duty_positive")), QStringLiteral("—"));
        QVERIFY(!panel.table()->item(step, 1 + int(panel.columns().indexOf(QStringLiteral("frequency"))))->toolTip().isEmpty());
    }

    void measuresBetweenTheCursors()
    {
        TraceStore store;
        feed(store);
        ScopeView scope(&store);
        scope.resize(900, 500);
        scope.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scope));
        scope.showAll();
        scope.refresh();
        MeasurementsPanel panel(&store, &scope);
        panel.setColumns({ QStringLiteral("min"), QStringLiteral("max"), QStringLiteral("mean") });
        panel.show();
        scope.setCursorsVisible(true);
        scope.setTimeCursors(1.5005, 0.4995); // in either order, between samples
        panel.setBetweenCursors(true);
        quint64 before = panel.resultsShown();
        QVERIFY(waitResult(panel, before));
        const int step = rowOf(panel, QStringLiteral("Step"));
        // 0.500 … 1.500 s: 500 samples at 0 V, 501 at 50 V.
        QCOMPARE(panel.cellText(step, QStringLiteral("mean")), EngineeringFormat::formatSignificant(50.0 * 501 / 1001, QStringLiteral("V"), 4));
        QCOMPARE(panel.cellText(step, QStringLiteral("min")), QStringLiteral("0.000 V"));
        QCOMPARE(panel.cellText(step, QStringLiteral("max")), QStringLiteral("50.00 V"));
        const QJsonObject saved = panel.saveState();
        QCOMPARE(saved.value(QStringLiteral("range")).toString(), QStringLiteral("cursors"));
        MeasurementsPanel other(&store, &scope);
        other.restoreState(saved);
        QVERIFY(other.betweenCursors());
        QCOMPARE(other.columns(), panel.columns());
    }

    void spectrumOfTheChannelShown()
    {
        TraceStore store;
        feed(store);
        ScopeView scope(&store);
        scope.resize(900, 500);
        scope.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scope));
        scope.refresh();
        scope.plot()->xAxis->setRange(0.0, 1.999);
        scope.refresh();
        SpectrumPanel panel(&store, &scope);
        panel.resize(800, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setChannel(ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QStringLiteral("Sine")));
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel.update();
                return !panel.view()->peakText().isEmpty();
            },
            20000));
        // 2000 samples at 1 kHz: 0.5 Hz per bin, the sine at 3 Hz, 10 mV / √2 = −43.01 dBV.
        QVERIFY2(panel.view()->peakText().startsWith(QStringLiteral("f = 3.000 Hz")), qPrintable(panel.view()->peakText()));
        QVERIFY2(panel.view()->peakText().contains(QStringLiteral("43.0")), qPrintable(panel.view()->peakText()));

        // The irregular counter has no spectrum: the reason is shown, not a made-up picture.
        panel.setChannel(ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("cnt"), QStringLiteral("Counter")));
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel.update();
                return panel.view()->statusText().contains(QStringLiteral("not sampled evenly"));
            },
            20000));
        const QJsonObject saved = panel.saveState();
        QCOMPARE(saved.value(QStringLiteral("type")).toString(), QStringLiteral("spectrum"));
        QCOMPARE(saved.value(QStringLiteral("channel")).toString(),
            ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("cnt"), QStringLiteral("Counter")));
    }
};

QTEST_MAIN(AnalysisTest)
#include "test_gui_analysis.moc"
