// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: pulls ≤ 2 points per pixel column from the TraceStore, replots only on change,
// one axis per unit, Follow and zoom, empty-state text, saved state.
#include <ChannelStyles.h>
#include <ScopeView.h>

#include <TraceStore.h>

#include <QSignalSpy>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>
#include <numbers>

using namespace bs;

namespace {
StreamInfo twoUnitStream()
{
    StreamInfo s;
    s.id = QStringLiteral("sig");
    s.name = QStringLiteral("Signals");
    s.regular = true;
    s.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {} },
        ChannelInfo { QStringLiteral("Position"), QStringLiteral("µm"), {} } };
    return s;
}

SampleBlockPtr block(std::uint64_t first, std::size_t n, double dt)
{
    auto b = SampleBlock::make(QStringLiteral("inst"), QStringLiteral("sig"), 2, n, false);
    b->firstIndex = first;
    b->dt = dt;
    b->t0 = double(first) * dt;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = b->t0 + double(i) * dt;
        b->channel(0)[i] = std::sin(2 * std::numbers::pi * 3 * t);
        b->channel(1)[i] = 50 + 10 * std::cos(2 * std::numbers::pi * 0.5 * t);
    }
    return b;
}

/// Announces the two-unit stream and feeds it `rows` samples 1 ms apart.
void feed(TraceStore &store, std::size_t rows)
{
    store.setStreams(QStringLiteral("inst"), { twoUnitStream() });
    store.consume(block(0, rows, 1e-3));
}

/// Sizes and shows a view; true once its window is exposed.
bool showExposed(ScopeView &view, int width = 800, int height = 400)
{
    view.resize(width, height);
    view.show();
    return QTest::qWaitForWindowExposed(&view);
}
} // namespace

class ScopeViewTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyStateText()
    {
        TraceStore store;
        ScopeView view(&store);
        QVERIFY(showExposed(view, 800, 500));
        view.refresh();
        QVERIFY2(view.emptyText().startsWith(QStringLiteral("Add an instrument or press Run")),
            qPrintable(view.emptyText()));
        QCOMPARE(view.plot()->xAxis->label(), QStringLiteral("Time [s]"));
    }

    void pullsAtMostTwoPointsPerColumn()
    {
        TraceStore store;
        store.setStreams(QStringLiteral("inst"), { twoUnitStream() });
        // 1 M rows over 10 s.
        for (int k = 0; k < 10; ++k)
            store.consume(block(std::uint64_t(k) * 100000, 100000, 1e-5));
        ScopeView view(&store);
        QVERIFY(showExposed(view, 900, 500));
        view.refresh();
        view.refresh(); // the first replot laid out the axis rect
        const int columns = view.plot()->axisRect()->width();
        QCOMPARE(view.columns(), columns);
        QVERIFY(columns > 500);
        QCOMPARE(view.traceCount(), 2);
        QVERIFY(view.maxPointsPerTrace() > columns); // the envelope is really used
        QVERIFY2(view.maxPointsPerTrace() <= 2 * columns + 2,
            qPrintable(
                QStringLiteral("%1 points for %2 columns").arg(view.maxPointsPerTrace()).arg(columns)));
        for (int g = 0; g < view.plot()->graphCount(); ++g)
            QVERIFY(view.plot()->graph(g)->dataCount() <= 2 * columns + 2);
        QVERIFY(view.emptyText().isEmpty());

        // Follow with the default 10 s span shows the whole 10 s, filled from the left.
        QVERIFY(view.follow());
        QCOMPARE(view.plot()->xAxis->range().lower, 0.0);
        QCOMPARE(view.plot()->xAxis->range().upper, 10.0);

        // A narrower window: still ≤ 2 per column.
        view.setSpan(1.0);
        view.refresh();
        QVERIFY(qAbs(view.plot()->xAxis->range().size() - 1.0) < 1e-9);
        QCOMPARE(view.plot()->xAxis->range().upper, 10.0 - 1e-5); // rolling: ends at the newest sample
        QVERIFY(view.maxPointsPerTrace() <= 2 * view.columns() + 2);
    }

    void replotsOnlyWhenSomethingChanged()
    {
        TraceStore store;
        feed(store, 1000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.refresh();
        view.refresh();
        const quint64 n = view.replotCount();
        QVERIFY(!view.refresh());
        QCOMPARE(view.replotCount(), n);
        store.consume(block(1000, 1000, 1e-3));
        QVERIFY(view.refresh());
        QVERIFY(!view.refresh());
        view.channelStyles()->setVisible(
            ChannelStyles::keyOf(QStringLiteral("inst"), QStringLiteral("sig"), QStringLiteral("Sine")),
            false);
        QVERIFY(view.refresh());
        QCOMPARE(view.traceCount(), 1);
    }

    void oneAxisPerUnit()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView view(&store);
        view.resize(800, 400);
        view.show();
        view.refresh();
        QCustomPlot *p = view.plot();
        QVERIFY(p->yAxis2->visible());
        QCOMPARE(p->yAxis->label(), QStringLiteral("Sine [V]"));
        QCOMPARE(p->yAxis2->label(), QStringLiteral("Position [µm]"));
        QCOMPARE(p->graph(0)->valueAxis(), p->yAxis);
        QCOMPARE(p->graph(1)->valueAxis(), p->yAxis2);
        QCOMPARE(p->graph(0)->name(), QStringLiteral("Sine [V]"));
        // Autoscaled to the data (sine within ±1 V, position 40…60 µm).
        QVERIFY(
            p->yAxis->range().lower < -0.9 && p->yAxis->range().upper > 0.9 && p->yAxis->range().upper < 1.5);
        QVERIFY(p->yAxis2->range().lower > 30 && p->yAxis2->range().upper < 70);
    }

    void zoomTurnsFollowOffAndDoubleClickBack()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.refresh();
        QSignalSpy followSpy(&view, &ScopeView::followChanged);
        QCustomPlot *p = view.plot();
        const QPointF centre = p->axisRect()->rect().center();
        QWheelEvent wheel(centre, p->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(p, &wheel);
        QVERIFY(!view.follow());
        QCOMPARE(followSpy.count(), 1);
        QVERIFY(view.yAuto());
        QVERIFY(p->xAxis->range().size() < 9.0); // zoomed in around the cursor (one notch: × 0.85)

        QWheelEvent ctrlWheel(centre, p->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
            Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(p, &ctrlWheel);
        QVERIFY(!view.yAuto());

        QTest::mouseDClick(p, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        QVERIFY(view.follow());
        QVERIFY(view.yAuto());
        view.followAction()->trigger();
        QVERIFY(!view.follow());
    }

    void stateRoundTrip()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView a(&store);
        a.resize(800, 400);
        a.show();
        a.refresh();
        const QString sine
            = ChannelStyles::keyOf(QStringLiteral("inst"), QStringLiteral("sig"), QStringLiteral("Sine"));
        a.setSpan(2.5);
        a.setFollow(false);
        a.setYRange(-3, 3);
        a.channelStyles()->setColor(sine, QColor(QStringLiteral("#123456")));
        const QJsonObject saved = a.saveState();
        QCOMPARE(saved.value(QStringLiteral("type")).toString(), QStringLiteral("scope"));
        QCOMPARE(saved.value(QStringLiteral("span_s")).toDouble(), 2.5);
        QCOMPARE(saved.value(QStringLiteral("y_min")).toDouble(), -3.0);
        QCOMPARE(saved.value(QStringLiteral("y_max")).toDouble(), 3.0);

        ScopeView b(&store);
        b.resize(800, 400);
        b.show();
        QJsonObject withJunk = saved;
        QJsonArray channels = withJunk.value(QStringLiteral("channels")).toArray();
        channels.append(QJsonObject {
            { QStringLiteral("key"), QStringLiteral("gone/stream/X") }, { QStringLiteral("color"), 7 } });
        channels.append(QStringLiteral("not an object"));
        withJunk.insert(QStringLiteral("channels"), channels);
        b.restoreState(withJunk);
        b.refresh();
        QCOMPARE(b.span(), 2.5);
        QVERIFY(!b.follow());
        QVERIFY(!b.yAuto());
        QCOMPARE(b.plot()->yAxis->range().lower, -3.0);
        QCOMPARE(b.plot()->yAxis->range().upper, 3.0);
        QCOMPARE(b.channelStyles()->style(sine).color, QColor(QStringLiteral("#123456")));
        QCOMPARE(b.traceCount(), 2);

        // Mistyped members keep the defaults.
        ScopeView c(&store);
        c.restoreState(QJsonObject { { QStringLiteral("type"), QStringLiteral("scope") },
            { QStringLiteral("span_s"), QStringLiteral("ten") }, { QStringLiteral("follow"), 3 },
            { QStringLiteral("channels"), 5 } });
        QCOMPARE(c.span(), 10.0);
        QVERIFY(c.follow());
        QVERIFY(c.yAuto());
    }
};

QTEST_MAIN(ScopeViewTest)
#include "test_gui_scope.moc"
