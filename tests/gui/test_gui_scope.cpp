// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView: pulls ≤ 2 points per pixel column from the TraceStore, replots only on change,
// one axis per unit, Follow and zoom, empty-state text, saved state.
#include <ChannelStyles.h>
#include <ScopeView.h>

#include <TraceStore.h>

#include <QDir>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolButton>
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
    s.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Position"), QStringLiteral("µm"), {}, true, {} } };
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

/// Feeds `store` 50 ms of the two-unit stream every 20 ms while alive, like a running instrument.
class Streamer
{
public:
    explicit Streamer(TraceStore &store)
        : m_store(store)
    {
        store.setStreams(QStringLiteral("inst"), { twoUnitStream() });
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_store.consume(block(m_next, 50, 1e-3));
            m_next += 50;
        });
        m_timer.start(20);
    }

private:
    TraceStore &m_store;
    QTimer m_timer;
    std::uint64_t m_next = 0;
};

/// Waits until the view has replotted `n` more times (the data keeps coming meanwhile).
bool waitReplots(const ScopeView &view, int n)
{
    const quint64 target = view.replotCount() + quint64(n);
    return QTest::qWaitFor([&] { return view.replotCount() >= target; }, 20000);
}

/// Gives `box` the keyboard focus, selects its text and types `text` (no Enter yet).
void typeInto(QAbstractSpinBox *box, const QString &text)
{
    box->setFocus(Qt::OtherFocusReason);
    QTRY_VERIFY_WITH_TIMEOUT(box->hasFocus(), 10000);
    box->selectAll();
    QTest::keyClicks(box, text);
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
        view.setLanes(ScopeSettings::Lanes::Single); // both units in one lane (test_gui_views: lanes)
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

    // Issue 10.1: typing into Time span / Y min / Y max while data streams; every replot used to
    // rewrite the field under the user's fingers.
    void typedSpanIsNotOverwrittenWhileDataRuns()
    {
        TraceStore store;
        Streamer streamer(store);
        ScopeView view(&store);
        QVERIFY(showExposed(view, 1000, 400));
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        auto *box = view.findChild<QDoubleSpinBox *>(QStringLiteral("spanBox"));
        QVERIFY(box);
        typeInto(box, QStringLiteral("2.5"));
        QVERIFY(waitReplots(view, 10));
        QCOMPARE(box->findChild<QLineEdit *>()->text(), QStringLiteral("2.5"));
        QCOMPARE(view.span(), 10.0); // nothing applied before Enter
        QTest::keyClick(box, Qt::Key_Return);
        QCOMPARE(view.span(), 2.5);
        QVERIFY(waitReplots(view, 3));
        QVERIFY(qAbs(view.plot()->xAxis->range().size() - 2.5) < 1e-9);

        // Focus-out applies too, and "500 ms" is understood.
        typeInto(box, QStringLiteral("500 ms"));
        QVERIFY(waitReplots(view, 5));
        QCOMPARE(box->findChild<QLineEdit *>()->text(), QStringLiteral("500 ms"));
        view.plot()->setFocus(Qt::OtherFocusReason);
        QTRY_COMPARE_WITH_TIMEOUT(view.span(), 0.5, 10000);
        QVERIFY(waitReplots(view, 3));
        QVERIFY(qAbs(view.plot()->xAxis->range().size() - 0.5) < 1e-9);
    }

    void typedYRangeIsNotOverwrittenWhileDataRuns()
    {
        TraceStore store;
        Streamer streamer(store);
        ScopeView view(&store);
        QVERIFY(showExposed(view, 1000, 400));
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        QTRY_COMPARE_WITH_TIMEOUT(view.traceCount(), 2, 10000);
        auto *minBox = view.findChild<QDoubleSpinBox *>(QStringLiteral("yMinBox"));
        auto *maxBox = view.findChild<QDoubleSpinBox *>(QStringLiteral("yMaxBox"));
        QVERIFY(minBox && maxBox);
        typeInto(minBox, QStringLiteral("-2"));
        QVERIFY(waitReplots(view, 10));
        QVERIFY2(minBox->findChild<QLineEdit *>()->text().startsWith(QStringLiteral("-2")),
            qPrintable(minBox->findChild<QLineEdit *>()->text()));
        QTest::keyClick(minBox, Qt::Key_Return);
        QVERIFY(!view.yAuto()); // typing a range is a manual range
        QVERIFY(waitReplots(view, 3));
        QCOMPARE(view.plot()->yAxis->range().lower, -2.0);

        typeInto(maxBox, QStringLiteral("3"));
        QVERIFY(waitReplots(view, 10));
        QVERIFY(maxBox->findChild<QLineEdit *>()->text().startsWith(QStringLiteral("3")));
        view.plot()->setFocus(Qt::OtherFocusReason);
        QTRY_COMPARE_WITH_TIMEOUT(view.plot()->yAxis->range().upper, 3.0, 10000);
        QCOMPARE(view.plot()->yAxis->range().lower, -2.0);
    }

    // Issue 10.15: the Time span field shows the span really displayed after a zoom or pan.
    void spanFieldShowsTheDisplayedSpanAfterZoom()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.refresh();
        QCustomPlot *p = view.plot();
        const QPointF centre = p->axisRect()->rect().center();
        QWheelEvent wheel(centre, p->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(p, &wheel);
        view.refresh();
        const double shown = p->xAxis->range().size();
        QVERIFY(shown < 9.0);
        auto *box = view.findChild<QDoubleSpinBox *>(QStringLiteral("spanBox"));
        QVERIFY2(qAbs(box->value() - shown) < 1e-6 * shown,
            qPrintable(QStringLiteral("field %1, shown %2").arg(box->value()).arg(shown)));
        QVERIFY(qAbs(view.span() - shown) < 1e-9);
        // Follow again keeps the zoomed span.
        view.setFollow(true);
        view.refresh();
        QVERIFY(qAbs(p->xAxis->range().size() - shown) < 1e-9);
        // A span typed while not following zooms around the centre of what is shown.
        view.setFollow(false);
        const double centreT = p->xAxis->range().center();
        box->setValue(1.0);
        view.refresh();
        QVERIFY(qAbs(p->xAxis->range().size() - 1.0) < 1e-9);
        QVERIFY(qAbs(p->xAxis->range().center() - centreT) < 1e-9);
    }

    void spanArrowsStepOneTwoFive()
    {
        TraceStore store;
        ScopeView view(&store);
        auto *box = view.findChild<QDoubleSpinBox *>(QStringLiteral("spanBox"));
        QCOMPARE(box->text(), QStringLiteral("10 s"));
        box->stepBy(1);
        QCOMPARE(view.span(), 20.0);
        box->stepBy(-2);
        QCOMPARE(view.span(), 5.0);
        box->stepBy(-1);
        QCOMPARE(view.span(), 2.0);
        view.setSpan(0.0005);
        QCOMPARE(box->text(), QStringLiteral("500 µs"));
    }

    // Issue 10.13: the legend packs as many columns as fit (per-column widths), so a long name
    // does not force one entry per row.
    static int legendEntries(QCPLegend *legend) // itemCount() counts the grid's empty cells too
    {
        int n = 0;
        for (int i = 0; i < legend->elementCount(); ++i)
            n += legend->elementAt(i) != nullptr;
        return n;
    }

    void legendIsCompact()
    {
        TraceStore store;
        StreamInfo s;
        s.id = QStringLiteral("many");
        s.name = QStringLiteral("Many");
        s.regular = true;
        s.channels.append(ChannelInfo { QStringLiteral("Position of the piezo actuator, filtered"), QStringLiteral("µm"), {}, true, {} });
        for (const char *n : { "A", "B", "C", "D", "E", "F", "G" })
            s.channels.append(ChannelInfo { QString::fromLatin1(n), QStringLiteral("V"), {}, true, {} });
        store.setStreams(QStringLiteral("inst"), { s });
        auto b = SampleBlock::make(QStringLiteral("inst"), QStringLiteral("many"), 8, 100, false);
        b->dt = 1e-3;
        for (int c = 0; c < 8; ++c)
            for (int i = 0; i < 100; ++i)
                b->channel(c)[i] = c + std::sin(i * 0.1);
        store.consume(b);
        ScopeView view(&store);
        QVERIFY(showExposed(view, 900, 500));
        view.refresh();
        view.refresh();
        QCPLegend *legend = view.plot()->legend;
        QCOMPARE(legendEntries(legend), 8);
        QVERIFY2(legend->rowCount() <= 2, qPrintable(QStringLiteral("%1 legend rows").arg(legend->rowCount())));
        QVERIFY(legend->outerRect().height() < view.plot()->height() / 8);
        for (int i = 0; i < legend->elementCount(); ++i) // nothing clipped
            if (QCPLayoutElement *item = legend->elementAt(i))
                QVERIFY(item->outerRect().width() >= item->minimumOuterSizeHint().width());
    }

    // A legend wrapped into columns has empty grid cells after its last entry: re-flowing it at
    // another width, and rebuilding it with another channel count, must skip them (the demo
    // crashed there).
    void legendRewrapsAcrossWidthsAndRebuilds()
    {
        TraceStore store;
        auto streamOf = [](int channels) {
            StreamInfo s;
            s.id = QStringLiteral("five");
            s.name = QStringLiteral("Five");
            s.regular = true;
            for (int c = 0; c < channels; ++c)
                s.channels.append(ChannelInfo { QStringLiteral("Channel number %1").arg(c + 1), QStringLiteral("V"), {}, true, {} });
            return s;
        };
        auto feedRows = [&store](int channels) {
            auto b = SampleBlock::make(QStringLiteral("inst"), QStringLiteral("five"), channels, 50, false);
            b->dt = 1e-3;
            for (int c = 0; c < channels; ++c)
                for (int i = 0; i < 50; ++i)
                    b->channel(c)[i] = c + 0.01 * i;
            store.consume(b);
        };
        store.setStreams(QStringLiteral("inst"), { streamOf(5) });
        feedRows(5);
        ScopeView view(&store);
        QVERIFY(showExposed(view, 1400, 500));
        for (int width : { 1400, 520, 380, 700, 300, 1400 }) {
            view.resize(width, 500);
            view.refresh();
            view.refresh();
            QCOMPARE(legendEntries(view.plot()->legend), 5);
        }
        store.setStreams(QStringLiteral("inst"), { streamOf(3) }); // fewer entries than cells
        feedRows(3);
        for (int width : { 380, 1400, 300 }) {
            view.resize(width, 500);
            view.refresh();
            view.refresh();
            QCOMPARE(legendEntries(view.plot()->legend), int(store.channels().size()));
        }
    }

    void legendClickHidesAndShowsTheChannel()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.refresh();
        view.refresh();
        const QString sine
            = ChannelStyles::keyOf(QStringLiteral("inst"), QStringLiteral("sig"), QStringLiteral("Sine"));
        QCPLegend *legend = view.plot()->legend;
        QCOMPARE(legend->itemCount(), 2);
        auto entryOf = [legend](const QString &name) -> QCPAbstractLegendItem * {
            for (int i = 0; i < legend->itemCount(); ++i)
                if (auto *it = qobject_cast<QCPPlottableLegendItem *>(legend->item(i)))
                    if (it->plottable()->name() == name)
                        return it;
            return nullptr;
        };
        QCPAbstractLegendItem *item = entryOf(QStringLiteral("Sine [V]"));
        QVERIFY(item);
        QSignalSpy changed(view.channelStyles(), &ChannelStyles::styleChanged);
        QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::NoModifier, item->outerRect().center());
        QCOMPARE(changed.count(), 1);
        QVERIFY(!view.channelStyles()->style(sine).visible); // through ChannelStyles: panels follow
        view.refresh();
        QCOMPARE(view.traceCount(), 1);
        QCOMPARE(legend->itemCount(), 2); // still listed (greyed), so a click brings it back
        item = entryOf(QStringLiteral("Sine [V]"));
        QCOMPARE(item, legend->item(0)); // in its place
        QCOMPARE(item->textColor(), QColor(0x9a, 0x9a, 0x9a));
        QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::NoModifier, item->outerRect().center());
        QVERIFY(view.channelStyles()->style(sine).visible);
        view.refresh();
        QCOMPARE(view.traceCount(), 2);
    }

    void axesAreColouredLikeTheirTrace()
    {
        TraceStore store;
        feed(store, 1000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.refresh();
        const QString sine
            = ChannelStyles::keyOf(QStringLiteral("inst"), QStringLiteral("sig"), QStringLiteral("Sine"));
        const QColor c = view.channelStyles()->style(sine).color;
        QCOMPARE(view.plot()->yAxis->labelColor(), c.darker(115));
        QCOMPARE(view.plot()->yAxis->basePen().color(), c.darker(115));
        view.channelStyles()->setColor(sine, QColor(QStringLiteral("#aa3300")));
        view.refresh();
        QCOMPARE(view.plot()->yAxis->tickLabelColor(), QColor(QStringLiteral("#aa3300")).darker(115));
    }

    void axisSideIsSavedAndRestored()
    {
        TraceStore store;
        feed(store, 1000);
        ScopeView a(&store);
        a.setLanes(ScopeSettings::Lanes::Single); // two units side by side in one lane
        QVERIFY(showExposed(a));
        a.refresh();
        QCOMPARE(a.axisForUnitIfShown(QStringLiteral("V"))->axisType(), QCPAxis::atLeft);
        QCOMPARE(a.axisForUnitIfShown(QStringLiteral("µm"))->axisType(), QCPAxis::atRight);
        QSignalSpy sides(&a, &ScopeView::axisSidesChanged);
        a.setAxisOnRight(QStringLiteral("V"), true);
        a.setAxisOnRight(QStringLiteral("µm"), false);
        QCOMPARE(sides.count(), 2);
        a.refresh();
        QCOMPARE(a.axisForUnitIfShown(QStringLiteral("V"))->axisType(), QCPAxis::atRight);
        QCOMPARE(a.axisForUnitIfShown(QStringLiteral("µm"))->axisType(), QCPAxis::atLeft);
        const QJsonObject saved = a.saveState();
        QCOMPARE(saved.value(QStringLiteral("y_sides")).toObject(),
            (QJsonObject { { QStringLiteral("V"), QStringLiteral("right") }, { QStringLiteral("µm"), QStringLiteral("left") } }));

        ScopeView b(&store);
        QVERIFY(showExposed(b));
        b.restoreState(saved);
        b.refresh();
        QCOMPARE(b.axisForUnitIfShown(QStringLiteral("V"))->axisType(), QCPAxis::atRight);
        QCOMPARE(b.axisForUnitIfShown(QStringLiteral("µm"))->axisType(), QCPAxis::atLeft);
        // Hiding and showing a channel does not move its axis.
        const QString sine
            = ChannelStyles::keyOf(QStringLiteral("inst"), QStringLiteral("sig"), QStringLiteral("Sine"));
        b.channelStyles()->setVisible(sine, false);
        b.refresh();
        b.channelStyles()->setVisible(sine, true);
        b.refresh();
        QCOMPARE(b.axisForUnitIfShown(QStringLiteral("V"))->axisType(), QCPAxis::atRight);
    }

    // Double-click turns Follow and Autoscale back on visibly (toolbar toggles, status message)
    // and Backspace/Esc takes it back.
    void doubleClickSaysWhatItDidAndCanBeUndone()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.refresh();
        QCustomPlot *p = view.plot();
        view.setFollow(false);
        view.setYRange(-3, 3);
        view.refresh();
        const QCPRange x = p->xAxis->range();
        QSignalSpy messages(&view, &ScopeView::statusMessage);
        QTest::mouseDClick(p, Qt::LeftButton, Qt::NoModifier, p->axisRect()->rect().center());
        QVERIFY(view.follow() && view.yAuto());
        QVERIFY(view.followAction()->isChecked() && view.autoScaleAction()->isChecked());
        QCOMPARE(messages.count(), 1);
        QVERIFY(messages.first().first().toString().contains(QStringLiteral("Follow")));
        view.refresh();
        p->setFocus(Qt::OtherFocusReason);
        QTest::keyClick(p, Qt::Key_Escape);
        QVERIFY(!view.follow() && !view.yAuto());
        view.refresh();
        QCOMPARE(p->xAxis->range().lower, x.lower);
        QCOMPARE(p->yAxis->range().lower, -3.0);
        QCOMPARE(p->yAxis->range().upper, 3.0);
    }

    // Issue 10.15: box zoom (right-drag or Ctrl+drag), back with Backspace/Esc, gestures listed.
    void boxZoomAndBack()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.refresh();
        view.refresh();
        QCustomPlot *p = view.plot();
        const QRect r = p->axisRect()->rect();
        const QPoint from(r.left() + r.width() / 4, r.top() + r.height() / 4);
        const QPoint to(r.left() + r.width() / 2, r.top() + r.height() / 2);
        const double x0 = p->xAxis->pixelToCoord(from.x()), x1 = p->xAxis->pixelToCoord(to.x());
        const double yTop = p->yAxis->pixelToCoord(from.y()), yBottom = p->yAxis->pixelToCoord(to.y());
        QTest::mousePress(p, Qt::RightButton, Qt::NoModifier, from);
        QTest::mouseMove(p, to);
        QTest::mouseRelease(p, Qt::RightButton, Qt::NoModifier, to);
        QVERIFY(!view.follow());
        QVERIFY(!view.yAuto());
        QVERIFY(qAbs(p->xAxis->range().lower - x0) < 1e-9 && qAbs(p->xAxis->range().upper - x1) < 1e-9);
        QVERIFY(qAbs(p->yAxis->range().lower - yBottom) < 1e-9 && qAbs(p->yAxis->range().upper - yTop) < 1e-9);
        QVERIFY(qAbs(view.span() - (x1 - x0)) < 1e-9); // the span field shows the box's width
        QCOMPARE(view.zoomHistoryDepth(), 1);

        // Ctrl+drag does the same with the left button (and does not pan).
        const QCPRange before = p->xAxis->range();
        QTest::mousePress(p, Qt::LeftButton, Qt::ControlModifier, from);
        QTest::mouseMove(p, QPoint(to.x(), from.y() + 2)); // flat box: time only
        QTest::mouseRelease(p, Qt::LeftButton, Qt::ControlModifier, QPoint(to.x(), from.y() + 2));
        QVERIFY(p->xAxis->range().size() < before.size() * 0.6);
        QCOMPARE(view.zoomHistoryDepth(), 2);

        p->setFocus(Qt::OtherFocusReason);
        QTest::keyClick(p, Qt::Key_Backspace);
        QCOMPARE(p->xAxis->range().lower, before.lower);
        QCOMPARE(p->xAxis->range().upper, before.upper);
        QTest::keyClick(p, Qt::Key_Escape);
        QVERIFY(view.follow());
        QVERIFY(view.yAuto());
        QCOMPARE(view.zoomHistoryDepth(), 0);
        QVERIFY(!view.zoomBack());

        // The gestures are discoverable: the "?" button's tooltip lists them.
        auto *help = view.findChild<QToolButton *>(QStringLiteral("gestureHelpButton"));
        QVERIFY(help);
        for (const char *g : { "Wheel", "Right-drag", "Ctrl+drag", "Backspace", "Double-click", "legend" })
            QVERIFY2(help->toolTip().contains(QLatin1String(g)), g);
    }

    void runMarkersMergeRepeatsAndDraw()
    {
        TraceStore store;
        feed(store, 5000);
        ScopeView view(&store);
        QVERIFY(showExposed(view));
        view.addRunMarker(0.0, true);
        view.addRunMarker(0.2, true); // a second instrument reporting the same Run
        view.addRunMarker(2.0, false);
        view.addRunMarker(3.0, true);
        QCOMPARE(view.runMarkers().size(), 3);
        view.refresh();
        int labels = 0;
        for (int i = 0; i < view.plot()->itemCount(); ++i)
            if (auto *t = qobject_cast<QCPItemText *>(view.plot()->item(i)))
                labels += t->text().contains(QStringLiteral("Run 2")) || t->text().contains(QStringLiteral("Stop"));
        QCOMPARE(labels, 2);
        view.clearRunMarkers();
        QVERIFY(view.runMarkers().isEmpty());
    }

    // A picture of the scope for the user guide: two runs of two instruments on one timeline,
    // compact legend, axes coloured like their single trace, Run/Stop marks.
    void screenshotOfTheScope()
    {
        TraceStore store;
        StreamInfo gen;
        gen.id = QStringLiteral("sig");
        gen.name = QStringLiteral("Signals");
        gen.regular = true;
        gen.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
            ChannelInfo { QStringLiteral("Square"), QStringLiteral("V"), {}, true, {} } };
        StreamInfo stage;
        stage.id = QStringLiteral("rec");
        stage.name = QStringLiteral("Recorder");
        stage.regular = true;
        stage.channels = { ChannelInfo { QStringLiteral("Position"), QStringLiteral("µm"), {}, true, {} } };
        store.setStreams(QStringLiteral("gen1"), { gen });
        store.setStreams(QStringLiteral("stage1"), { stage });
        ScopeView view(&store);
        view.setInstrumentName(QStringLiteral("gen1"), QStringLiteral("Signal generator"));
        view.setInstrumentName(QStringLiteral("stage1"), QStringLiteral("Piezo stage"));
        const double dt = 2e-3;
        for (const auto &[start, stop] : { std::pair { 0.5, 6.0 }, std::pair { 8.0, 13.5 } }) {
            view.addRunMarker(start, true);
            view.addRunMarker(stop, false);
            const auto n = std::size_t((stop - start) / dt);
            auto g = SampleBlock::make(QStringLiteral("gen1"), QStringLiteral("sig"), 2, n, false);
            auto s = SampleBlock::make(QStringLiteral("stage1"), QStringLiteral("rec"), 1, n, false);
            g->t0 = s->t0 = start;
            g->dt = s->dt = dt;
            g->firstIndex = s->firstIndex = std::uint64_t(start / dt);
            for (std::size_t i = 0; i < n; ++i) {
                const double t = start + double(i) * dt;
                g->channel(0)[i] = 1.2 * std::sin(2 * std::numbers::pi * 0.8 * t);
                g->channel(1)[i] = std::sin(2 * std::numbers::pi * 0.25 * t) > 0 ? 0.8 : -0.8;
                s->channel(0)[i] = 40 + 25 * std::asin(std::sin(2 * std::numbers::pi * 0.15 * t)) / std::numbers::pi;
            }
            store.consume(g);
            store.consume(s);
        }
        QVERIFY(showExposed(view, 1000, 460));
        view.refresh();
        view.showAll();
        view.refresh();
        view.refresh();
        QCOMPARE(view.traceCount(), 3);
        // No line across the time between Stop and the next Run: a break (NaN) in the middle.
        const auto data = view.plot()->graph(0)->data();
        const auto gap = data->findBegin(7.0, false);
        QVERIFY(gap != data->constEnd());
        QCOMPARE(gap->key, 7.0);
        QVERIFY(std::isnan(gap->value));
        const QDir out(QStringLiteral(BS_SCREENSHOT_DIR));
        const QString path = out.filePath(QStringLiteral("scope-view.png"));
        view.plot()->setFocus(Qt::OtherFocusReason); // no text cursor in a field
        QVERIFY(view.grab().save(path));
        qInfo("screenshot: %s", qPrintable(path));
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
