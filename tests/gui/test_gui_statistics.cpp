// SPDX-License-Identifier: GPL-3.0-or-later
// The Statistics dock (issue 14) on what the scope shows: the histogram's counts against counts
// worked out by hand (a ramp gives flat bins, NaN counted apart, the window or between the time
// cursors), the trend gaining one point each time the window moves on (none where the measurement
// does not apply), its choices saved and restored, and the dock in the main window's session and
// View menu. Writes statistics-dock.png into the build directory. Waits are for results, with
// generous bounds; nothing asserts a duration.
#include <ChannelStyles.h>
#include <ChartTicks.h>
#include <MainWindow.h>
#include <ScopeView.h>
#include <StatisticsPanel.h>

#include <Recorder.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QAction>
#include <QCategoryAxis>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QJsonArray>
#include <QLineSeries>
#include <QStandardPaths>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>
#include <limits>
#include <numbers>

using namespace bs;

namespace {
/// At 1 ms: "Sine" 10 mV at 3 Hz, "Ramp" 1 mV a sample (0 … 1.999 V over the first 2 s), "Holes"
/// the sine with every 100th sample NaN. Rows [first, first + rows), in blocks of 300.
void append(TraceStore &store, std::size_t first, std::size_t rows)
{
    constexpr std::size_t perBlock = 300; // the window spans several blocks
    for (std::size_t at = first; at < first + rows; at += perBlock) {
        const std::size_t n = std::min(perBlock, first + rows - at);
        auto b = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("sig"), 3, n, false);
        b->firstIndex = at;
        b->t0 = double(at) * 1e-3;
        b->dt = 1e-3;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = at + k;
            const double s = 0.01 * std::sin(2 * std::numbers::pi * 3 * double(i) * 1e-3);
            b->channel(0)[k] = s;
            b->channel(1)[k] = double(i) * 1e-3;
            b->channel(2)[k] = i % 100 == 0 ? std::numeric_limits<double>::quiet_NaN() : s;
        }
        store.consume(b);
    }
}

/// The three channels for 2 s (2000 samples; 20 NaN in "Holes").
void feed(TraceStore &store)
{
    StreamInfo a;
    a.id = QStringLiteral("sig");
    a.regular = true;
    a.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Ramp"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Holes"), QStringLiteral("V"), {}, true, {} } };
    store.setStreams(QStringLiteral("gen"), { a });
    append(store, 0, 2000);
}

QString key(const char *channel)
{
    return ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QLatin1String(channel));
}

/// Waits for a histogram of `channel` with `count` samples binned.
bool waitHistogram(StatisticsPanel &panel, quint64 count, int bins)
{
    return QTest::qWaitFor(
        [&] {
            panel.update();
            const auto &h = panel.histogram();
            return h && h->histogram.count == count && h->histogram.counts.size() == bins;
        },
        20000);
}

struct Scope
{
    TraceStore store;
    ScopeView scope { &store };
    Scope()
    {
        feed(store);
        scope.resize(900, 400);
        scope.show();
        scope.setFollow(false);
        scope.refresh();
    }
    void window(double from, double to)
    {
        scope.plot()->xAxis->setRange(from, to);
        scope.refresh();
    }
};
} // namespace

class StatisticsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_statistics"));
    }

    void histogramOfTheWindowShown()
    {
        Scope s;
        QVERIFY(QTest::qWaitForWindowExposed(&s.scope));
        s.window(-0.5, 2.5); // all 2000 samples
        StatisticsPanel panel(&s.store, &s.scope);
        panel.resize(1100, 380);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setChannel(key("Ramp"));
        QVERIFY(waitHistogram(panel, 2000, 100));
        const HistogramResult &h = panel.histogram()->histogram;
        QCOMPARE(h.lo, 0.0);
        QCOMPARE(h.hi, 1.999);
        for (int b = 0; b < 100; ++b)
            QCOMPARE(h.counts[b], quint64(20)); // width 19.99 mV: 20 samples of 1 mV each
        QVERIFY2(panel.histogramText().startsWith(QStringLiteral("2000 samples · mean 999.5 mV")),
            qPrintable(panel.histogramText()));
        QVERIFY(panel.histogramText().contains(QStringLiteral("min 0.000 V")));
        QVERIFY(panel.histogramText().contains(QStringLiteral("max 1.999 V")));
        QVERIFY(panel.histogramText().contains(QStringLiteral("from the bins")));
        QVERIFY(!panel.histogramText().contains(QStringLiteral("NaN")));
        // The chart: a step outline of 2 points per bin plus the two feet, the tallest 20.
        auto *outline = panel.histogramView()->chart()->findChild<QLineSeries *>();
        QVERIFY(outline);
        QCOMPARE(outline->count(), 2 * 100 + 2);
        QCOMPARE(outline->at(1).y(), 20.0);
        QVERIFY(panel.histogramView()->chart()->title().contains(QStringLiteral("Ramp")));

        // 64 bins: the same samples, other counts (1999 / 64 = 31.23 mV: 31 or 32 a bin).
        panel.setBins(64);
        QVERIFY(waitHistogram(panel, 2000, 64));
        for (quint64 c : panel.histogram()->histogram.counts)
            QVERIFY(c == 31 || c == 32);
        panel.setBins(5000); // held to 1024
        QCOMPARE(panel.bins(), StatisticsPanel::kMaxBins);

        // NaN samples are counted apart and said, never binned.
        panel.setBins(100);
        panel.setChannel(key("Holes"));
        QVERIFY(waitHistogram(panel, 1980, 100));
        QCOMPARE(panel.histogram()->histogram.nonFinite, quint64(20));
        QVERIFY2(panel.histogramText().contains(QStringLiteral("⚠ 20 NaN/∞ not binned")), qPrintable(panel.histogramText()));
    }

    void histogramBetweenTheCursors()
    {
        Scope s;
        QVERIFY(QTest::qWaitForWindowExposed(&s.scope));
        s.window(-0.5, 2.5);
        StatisticsPanel panel(&s.store, &s.scope);
        panel.show();
        panel.setChannel(key("Ramp"));
        s.scope.setCursorsVisible(true);
        s.scope.setTimeCursors(1.5005, 0.4995); // in either order, between samples: 0.500 … 1.500 s
        panel.setBetweenCursors(true);
        QVERIFY(waitHistogram(panel, 1001, 100));
        QCOMPARE(panel.histogram()->histogram.lo, 0.5);
        QCOMPARE(panel.histogram()->histogram.hi, 1.5);
        QVERIFY(panel.histogramView()->chart()->title().contains(QStringLiteral("between the cursors")));
    }

    void trendGainsAPointEachTimeTheWindowMoves()
    {
        Scope s;
        QVERIFY(QTest::qWaitForWindowExposed(&s.scope));
        StatisticsPanel panel(&s.store, &s.scope);
        panel.resize(1100, 380);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setChannel(key("Sine"));
        panel.setMeasurement(QStringLiteral("rms"));
        panel.clearTrend();
        const double twoPeriods = 2.0 / 3.0;
        for (int k = 1; k <= 6; ++k) {
            const double from = 0.1 * k;
            s.window(from, from + twoPeriods);
            QVERIFY(QTest::qWaitFor(
                [&] {
                    panel.update();
                    return panel.trend().size() == k;
                },
                20000));
            const MeasurementTrend::Point p = panel.trend().last();
            QCOMPARE(p.t, s.scope.visibleTimeRange().second); // at the window's end
            QVERIFY2(std::abs(p.v - 0.01 / std::sqrt(2.0)) < 5e-5, qPrintable(QString::number(p.v))); // whole periods
        }
        // Moving back adds nothing: the trend runs forwards in time.
        s.window(0.0, twoPeriods);
        panel.update();
        QTest::qWait(300);
        panel.update();
        QCOMPARE(panel.trend().size(), 6);
        QVERIFY2(panel.trendText().startsWith(QStringLiteral("6 points · min 7.0")), qPrintable(panel.trendText()));
        auto *series = panel.trendView()->chart()->findChild<QLineSeries *>();
        QVERIFY(series);
        QCOMPARE(series->count(), 6);
        QVERIFY(panel.trendView()->chart()->title().contains(QStringLiteral("RMS of Sine")));

        // Saved for the session's screenshot of the user guide: both charts with data.
        s.window(0.7, 1.15);
        panel.setChannel(key("Holes")); // a new trend, its first point from the window shown
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel.update();
                return panel.trend().size() == 1;
            },
            20000));
        for (int k = 1; k <= 30; ++k) {
            s.window(0.7 + 0.025 * k, 1.15 + 0.025 * k);
            QVERIFY(QTest::qWaitFor(
                [&] {
                    panel.update();
                    return panel.trend().size() == k + 1;
                },
                20000));
        }
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel.update();
                return panel.histogram() && panel.histogram()->to == s.scope.visibleTimeRange().second
                    && panel.histogram()->histogram.nonFinite > 0;
            },
            20000));
        const QString png = QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("statistics-dock.png"));
        QVERIFY(panel.grab().save(png));
        qInfo("screenshot: %s", qPrintable(png));

        // Clear empties it; a measurement that does not apply gives no point, never a made-up 0.
        panel.setChannel(key("Ramp"));
        panel.setMeasurement(QStringLiteral("frequency")); // one slope: no period, no frequency
        QCOMPARE(panel.trend().size(), 0);
        s.window(0.0, 1.0);
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel.update();
                return panel.trendText().contains(QStringLiteral("does not apply"));
            },
            20000));
        QCOMPARE(panel.trend().size(), 0);
        panel.setMeasurement(QStringLiteral("max")); // a new trend: the window shown (0 … 1 s) first
        s.window(0.5, 1.5);
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel.update();
                return !panel.trend().isEmpty() && panel.trend().last().t == s.scope.visibleTimeRange().second;
            },
            20000));
        QVERIFY(panel.trend().size() <= 2);
        QVERIFY(std::abs(panel.trend().last().v - 1.5) < 1e-12);
        panel.clearTrend();
        QCOMPARE(panel.trend().size(), 0);
    }

    void axisLabelsHaveSiPrefixes()
    {
        QCOMPARE(niceTicks(-0.01, 0.01, 4), (QVector<double> { -0.01, -0.005, 0.0, 0.005, 0.01 }));
        QCOMPARE(niceTicks(0.0, 1.0, 5), (QVector<double> { 0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0 }));
        QVERIFY(niceTicks(1.0, 1.0, 5).isEmpty());
        QCategoryAxis axis;
        setEngineeringTicks(&axis, -0.0105, 0.0105, QStringLiteral("V"), 5);
        QCOMPARE(axis.categoriesLabels(), (QStringList { QStringLiteral("−10 mV"), QStringLiteral("−5 mV"),
                                              QStringLiteral("0 V"), QStringLiteral("5 mV"), QStringLiteral("10 mV") }));
        QCOMPARE(axis.min(), -0.0105);
        // Far from zero, a narrow range still has labels that differ: an hour into a session.
        setEngineeringTicks(&axis, 12345.01, 12345.09, QStringLiteral("s"), 4);
        QCOMPARE(axis.categoriesLabels().size(), 4);
        QCOMPARE(axis.categoriesLabels().first(), QStringLiteral("12\u2009345.02 s")); // a thin space groups the digits
    }

    void trendFollowsTheRollingWindow()
    {
        Scope s;
        QVERIFY(QTest::qWaitForWindowExposed(&s.scope));
        s.scope.setSpan(2.0 / 3.0); // two periods of the sine
        s.scope.setFollow(true); // Roll mode: the window ends at the newest sample
        s.scope.refresh();
        StatisticsPanel panel(&s.store, &s.scope);
        panel.show();
        panel.setChannel(key("Sine"));
        panel.setMeasurement(QStringLiteral("frequency"));
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel.update();
                return panel.trend().size() == 1;
            },
            20000));
        // New data arrives; the scope follows it; each window moved gives one point.
        for (int k = 1; k <= 5; ++k) {
            append(s.store, 2000 + std::size_t(k - 1) * 100, 100);
            QVERIFY(QTest::qWaitFor(
                [&] {
                    s.scope.refresh();
                    panel.update();
                    return panel.trend().size() == k + 1;
                },
                20000));
            QVERIFY(std::abs(panel.trend().last().v - 3.0) < 0.05); // 3 Hz
            QVERIFY(panel.trend().last().t > panel.trend().at(k - 1).t);
        }
        QVERIFY2(panel.trendText().startsWith(QStringLiteral("6 points · min 2.9")) || panel.trendText().startsWith(QStringLiteral("6 points · min 3.0")),
            qPrintable(panel.trendText()));
        // Clear Display: the store is emptied, the trend starts again with the new data.
        s.store.clear();
        append(s.store, 0, 1000);
        QVERIFY(QTest::qWaitFor(
            [&] {
                s.scope.refresh();
                panel.update();
                return panel.trend().size() == 1 && panel.trend().last().t < 1.5;
            },
            20000));
    }

    void stateRoundTrips()
    {
        Scope s;
        StatisticsPanel panel(&s.store, &s.scope);
        panel.setChannel(key("Ramp"));
        panel.setBins(256);
        panel.setMeasurement(QStringLiteral("frequency"));
        panel.setBetweenCursors(true);
        const QJsonObject saved = panel.saveState();
        QCOMPARE(saved.value(QStringLiteral("type")).toString(), QStringLiteral("statistics"));
        QCOMPARE(saved.value(QStringLiteral("bins")).toInt(), 256);
        StatisticsPanel other(&s.store, &s.scope);
        other.restoreState(saved);
        QCOMPARE(other.channel(), key("Ramp"));
        QCOMPARE(other.bins(), 256);
        QCOMPARE(other.measurement(), QStringLiteral("frequency"));
        QVERIFY(other.betweenCursors());
        // Lenient: nonsense keeps the defaults, never a crash.
        other.restoreState(QJsonObject { { QStringLiteral("bins"), QStringLiteral("many") },
            { QStringLiteral("measurement"), QStringLiteral("loudness") }, { QStringLiteral("range"), 3 } });
        QCOMPARE(other.bins(), StatisticsPanel::kDefaultBins);
        QCOMPARE(other.measurement(), QStringLiteral("rms"));
        QVERIFY(!other.betweenCursors());
        other.restoreState(QJsonObject { { QStringLiteral("bins"), 3 } });
        QCOMPARE(other.bins(), StatisticsPanel::kMinBins);
    }

    void dockInTheMainWindowsSession()
    {
        TraceStore store;
        Recorder recorder;
        Workspace ws;
        MainWindow window(&ws, &store, &recorder);
        QDockWidget *dock = window.statisticsDock();
        QVERIFY(dock);
        QVERIFY(dock->isHidden());
        QCOMPARE(dock->toggleViewAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+H")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.isWindowModified());
        dock->toggleViewAction()->trigger();
        QVERIFY(dock->isVisible());
        QVERIFY(window.isWindowModified());
        window.statisticsPanel()->setBins(50);
        window.statisticsPanel()->setMeasurement(QStringLiteral("period"));
        const Session session = window.currentSession();
        QJsonObject view;
        for (const QJsonValue &v : session.views)
            if (v.toObject().value(QStringLiteral("type")).toString() == QLatin1String("statistics"))
                view = v.toObject();
        QCOMPARE(view.value(QStringLiteral("visible")).toBool(), true);
        QCOMPARE(view.value(QStringLiteral("bins")).toInt(), 50);
        QCOMPARE(view.value(QStringLiteral("measurement")).toString(), QStringLiteral("period"));

        // With data and the three analysis docks open: they share the space under the scope.
        feed(store);
        window.resize(1440, 900);
        for (const char *name : { "measurementsDock", "spectrumDock" })
            window.findChild<QDockWidget *>(QLatin1String(name))->show();
        window.scopeView()->showAll();
        QVERIFY(QTest::qWaitFor(
            [&] {
                // No instrument: the first screen hides the scope, whose timer then pulls nothing.
                window.scopeView()->refresh();
                window.statisticsPanel()->update();
                return window.statisticsPanel()->histogram() && window.statisticsPanel()->histogram()->histogram.count > 0;
            },
            20000));
        QTest::qWait(500);
        const QString png = QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("statistics-main.png"));
        QVERIFY(window.grab().save(png));
        qInfo("screenshot: %s", qPrintable(png));

        TraceStore store2;
        Recorder recorder2;
        Workspace ws2;
        MainWindow other(&ws2, &store2, &recorder2);
        other.show();
        QVERIFY(other.applySession(session, nullptr));
        QVERIFY(!other.statisticsDock()->isHidden());
        QCOMPARE(other.statisticsPanel()->bins(), 50);
        QCOMPARE(other.statisticsPanel()->measurement(), QStringLiteral("period"));
        QVERIFY(!other.isWindowModified());
        // A session without the view: defaults, dock hidden.
        Session plain = session;
        plain.views = QJsonArray();
        QVERIFY(other.applySession(plain, nullptr));
        QVERIFY(other.statisticsDock()->isHidden());
        QCOMPARE(other.statisticsPanel()->bins(), StatisticsPanel::kDefaultBins);
    }
};

QTEST_MAIN(StatisticsTest)
#include "test_gui_statistics.moc"
