// SPDX-License-Identifier: GPL-3.0-or-later
// ScopeView lanes (channels stacked one lane per unit, per instrument or all in one, each lane with
// its own value axes on one shared time axis; the choice is saved with the view), Freeze, and the
// view exported as PNG, SVG and PDF.
#include <ChannelStyles.h>
#include <EnvelopeGraph.h>
#include <ScopeLegendItem.h>
#include <ScopeView.h>

#include <TraceStore.h>

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>
#include <numbers>

using namespace bs;

namespace {
/// A 3 Hz sine in V and a position around 50 µm (instrument "scope"), and a 50 V step
/// (instrument "piezo"), 1 ms apart for 2 s.
void feed(TraceStore &store)
{
    StreamInfo a;
    a.id = QStringLiteral("sig");
    a.regular = true;
    a.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Position"), QStringLiteral("µm"), {}, true, {} } };
    StreamInfo b;
    b.id = QStringLiteral("drive");
    b.regular = true;
    b.channels = { ChannelInfo { QStringLiteral("Step"), QStringLiteral("V"), {}, true, {} } };
    store.setStreams(QStringLiteral("scope"), { a });
    store.setStreams(QStringLiteral("piezo"), { b });
    constexpr std::size_t n = 2000;
    auto ba = SampleBlock::make(QStringLiteral("scope"), QStringLiteral("sig"), 2, n, false);
    auto bb = SampleBlock::make(QStringLiteral("piezo"), QStringLiteral("drive"), 1, n, false);
    for (auto *blk : { ba.get(), bb.get() }) {
        blk->dt = 1e-3;
        blk->t0 = 0.0;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) * 1e-3;
        ba->channel(0)[i] = 0.01 * std::sin(2 * std::numbers::pi * 3 * t);
        ba->channel(1)[i] = 50 + 10 * std::cos(2 * std::numbers::pi * 0.5 * t);
        bb->channel(0)[i] = t < 1.0 ? 0.0 : 50.0;
    }
    store.consume(ba);
    store.consume(bb);
}

const QString kSine = ChannelStyles::keyOf(QStringLiteral("scope"), QStringLiteral("sig"), QStringLiteral("Sine"));
const QString kPosition
    = ChannelStyles::keyOf(QStringLiteral("scope"), QStringLiteral("sig"), QStringLiteral("Position"));
const QString kStep = ChannelStyles::keyOf(QStringLiteral("piezo"), QStringLiteral("drive"), QStringLiteral("Step"));

QCPAxis *timeAxis(const ScopeView &view, int lane)
{
    return view.laneRect(lane)->axis(QCPAxis::atBottom);
}

/// The value axes of a lane that carry a graph.
QList<QCPAxis *> usedValueAxes(const ScopeView &view, int lane)
{
    QList<QCPAxis *> axes;
    for (int i = 0; i < view.plot()->graphCount(); ++i) {
        QCPGraph *g = view.plot()->graph(i);
        if (g->visible() && g->valueAxis()->axisRect() == view.laneRect(lane) && !axes.contains(g->valueAxis()))
            axes.append(g->valueAxis());
    }
    return axes;
}
} // namespace

class ViewsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onePerUnitByDefault()
    {
        TraceStore store;
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store);
        view.showAll();
        view.refresh();
        QCOMPARE(view.lanes(), ScopeSettings::Lanes::PerUnit);
        QCOMPARE(view.laneCount(), 2);
        QCOMPARE(view.laneOfChannel(kSine), 0);
        QCOMPARE(view.laneOfChannel(kStep), 0); // same unit, other instrument: same lane
        QCOMPARE(view.laneOfChannel(kPosition), 1);
        // Each lane has its own value axis; the µm lane is scaled to the position alone.
        QCOMPARE(usedValueAxes(view, 0).size(), 1);
        QCOMPARE(usedValueAxes(view, 1).size(), 1);
        const QCPRange um = usedValueAxes(view, 1).first()->range();
        QVERIFY2(um.lower > 35 && um.upper < 65, qPrintable(QStringLiteral("%1 … %2").arg(um.lower).arg(um.upper)));
        QCOMPARE(usedValueAxes(view, 1).first()->label(), QStringLiteral("Position [µm]"));
        // Lanes are stacked top to bottom with the same plot width.
        QVERIFY(view.laneRect(1)->top() > view.laneRect(0)->bottom());
        QCOMPARE(view.laneRect(1)->width(), view.laneRect(0)->width());
        QCOMPARE(view.laneRect(1)->left(), view.laneRect(0)->left());
        // One time axis: the tick labels under the bottom lane only, every lane on the same range.
        QVERIFY(!timeAxis(view, 0)->tickLabels());
        QVERIFY(timeAxis(view, 1)->tickLabels());
        QCOMPARE(timeAxis(view, 1)->label(), QStringLiteral("Time [s]"));
        QCOMPARE(timeAxis(view, 1)->range(), timeAxis(view, 0)->range());
    }

    void densePicturesGetCheapPens()
    {
        // 2000 samples over ~800 columns: min/max points in every column, drawn with a 1-pixel line
        // without antialiasing; zoomed in to 20 samples the same trace gets the smooth 1.5-pixel line.
        TraceStore store;
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store);
        view.showAll();
        view.refresh();
        auto graphOf = [&view](const QString &name) -> QCPGraph * {
            for (int i = 0; i < view.plot()->graphCount(); ++i)
                if (view.plot()->graph(i)->name().contains(name))
                    return view.plot()->graph(i);
            return nullptr;
        };
        QCPGraph *sine = graphOf(QStringLiteral("Sine"));
        QVERIFY(sine);
        QVERIFY(sine->dataCount() > view.columns() / 2);
        QVERIFY(!sine->antialiased());
        QCOMPARE(sine->pen().widthF(), 1.0);
        view.plot()->xAxis->setRange(0.5, 0.52);
        view.refresh();
        QVERIFY(sine->dataCount() < view.columns() / 2);
        QVERIFY(sine->antialiased());
        QCOMPARE(sine->pen().widthF(), 1.5);
    }

    void legendEntriesAreDrawnOnceUntilTheyChange()
    {
        // The legend's text is laid out and drawn once; new pictures reuse it until the entry's
        // name (or colour, font, icon) changes. The traces are the scope's EnvelopeGraphs.
        TraceStore store;
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store);
        view.showAll();
        view.refresh();
        QCPLegend *legend = view.plot()->legend;
        QVERIFY(legend->itemCount() >= 2);
        auto *first = dynamic_cast<ScopeLegendItem *>(legend->item(0));
        QVERIFY(first);
        for (int i = 0; i < 3; ++i)
            view.plot()->replot();
        QCOMPARE(first->renders(), 1);
        auto *graph = dynamic_cast<EnvelopeGraph *>(first->plottable());
        QVERIFY(graph);
        graph->setName(graph->name() + QStringLiteral(" (renamed)"));
        view.plot()->replot();
        QCOMPARE(first->renders(), 2);
    }

    void zoomingOneLaneMovesEveryLane()
    {
        TraceStore store;
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store);
        view.showAll();
        view.refresh();
        QCOMPARE(view.laneCount(), 2);
        timeAxis(view, 1)->setRange(0.5, 0.75); // what a wheel or drag in the lower lane does
        QCOMPARE(timeAxis(view, 0)->range(), QCPRange(0.5, 0.75));
        QCOMPARE(view.span(), 0.25);
        view.plot()->xAxis->setRange(0.1, 0.2);
        QCOMPARE(timeAxis(view, 1)->range(), QCPRange(0.1, 0.2));

        // A box drawn in the lower lane zooms its value axis only.
        view.refresh();
        QCPAxis *volts = usedValueAxes(view, 0).first();
        QCPAxis *microns = usedValueAxes(view, 1).first();
        const QCPRange voltsBefore = volts->range();
        const QCPRange micronsBefore = microns->range();
        const QRect lane1 = view.laneRect(1)->rect();
        view.zoomToBox(QRect(lane1.left() + 10, lane1.top() + 5, lane1.width() / 2, lane1.height() / 2));
        QCOMPARE(volts->range(), voltsBefore);
        QVERIFY(microns->range().size() < 0.6 * micronsBefore.size());
        QVERIFY(microns->range().lower > micronsBefore.lower);
        QVERIFY(!view.yAuto());
    }

    void perInstrumentAndSingle()
    {
        TraceStore store;
        ScopeView view(&store);
        view.setInstrumentName(QStringLiteral("piezo"), QStringLiteral("NV200 1"));
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store);
        QSignalSpy changed(&view, &ScopeView::lanesChanged);
        view.setLanes(ScopeSettings::Lanes::PerInstrument);
        QCOMPARE(changed.size(), 1);
        view.showAll();
        view.refresh();
        QCOMPARE(view.laneCount(), 2);
        QCOMPARE(view.laneOfChannel(kSine), 0);
        QCOMPARE(view.laneOfChannel(kPosition), 0);
        QCOMPARE(view.laneOfChannel(kStep), 1);
        QCOMPARE(usedValueAxes(view, 0).size(), 2); // V and µm of one instrument: left and right
        const QList<QCPAxis *> lane1 = usedValueAxes(view, 1);
        QCOMPARE(lane1.size(), 1);
        QCOMPARE(lane1.first()->label(), QStringLiteral("NV200 1: Step [V]"));
        QVERIFY(lane1.first()->range().upper >= 50); // the step has its own axis, not the sine's

        view.setLanes(ScopeSettings::Lanes::Single);
        view.refresh();
        QCOMPARE(view.laneCount(), 1);
        QCOMPARE(view.laneOfChannel(kStep), 0);
        QCOMPARE(usedValueAxes(view, 0).size(), 2); // one axis per unit, as before lanes

        auto *box = view.findChild<QComboBox *>(QStringLiteral("lanesBox"));
        QVERIFY(box);
        QCOMPARE(box->currentData().toString(), QStringLiteral("single"));
        box->setCurrentIndex(box->findData(QStringLiteral("unit")));
        QCOMPARE(view.lanes(), ScopeSettings::Lanes::PerUnit);
        view.refresh();
        QCOMPARE(view.laneCount(), 2);
    }

    void savedWithTheView()
    {
        TraceStore store;
        ScopeView a(&store);
        a.setLanes(ScopeSettings::Lanes::PerInstrument);
        const QJsonObject saved = a.saveState();
        QCOMPARE(saved.value(QStringLiteral("lanes")).toString(), QStringLiteral("instrument"));
        ScopeView b(&store);
        b.restoreState(saved);
        QCOMPARE(b.lanes(), ScopeSettings::Lanes::PerInstrument);
        QCOMPARE(b.findChild<QComboBox *>(QStringLiteral("lanesBox"))->currentData().toString(),
            QStringLiteral("instrument"));
        // A session from before lanes (no member) or with a value we do not know: one per unit.
        ScopeView c(&store);
        c.setLanes(ScopeSettings::Lanes::Single);
        QJsonObject old = saved;
        old.remove(QStringLiteral("lanes"));
        c.restoreState(old);
        QCOMPARE(c.lanes(), ScopeSettings::Lanes::PerUnit);
        old.insert(QStringLiteral("lanes"), QStringLiteral("diagonal"));
        c.setLanes(ScopeSettings::Lanes::Single);
        c.restoreState(old);
        QCOMPARE(c.lanes(), ScopeSettings::Lanes::PerUnit);
    }

    void freezeKeepsThePictureWhileDataComes()
    {
        TraceStore store;
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store); // 0 … 1.999 s
        view.setSpan(1.0);
        view.refresh();
        const QCPRange before = view.plot()->xAxis->range();
        QCOMPARE(before.upper, 1.999);
        QSignalSpy frozen(&view, &ScopeView::frozenChanged);
        view.freezeAction()->trigger();
        QVERIFY(view.frozen());
        QCOMPARE(frozen.size(), 1);
        QVERIFY(view.refresh()); // draws the "Frozen" tag
        // Two more seconds arrive: the picture does not move and shows nothing newer.
        auto more = SampleBlock::make(QStringLiteral("scope"), QStringLiteral("sig"), 2, 2000, false);
        more->dt = 1e-3;
        more->t0 = 2.0;
        more->firstIndex = 2000;
        for (std::size_t i = 0; i < 2000; ++i) {
            more->channel(0)[i] = 0.0;
            more->channel(1)[i] = 50.0;
        }
        store.consume(more);
        QVERIFY(!view.refresh());
        QCOMPARE(view.plot()->xAxis->range(), before);
        // Zooming out while frozen redraws, still without the newer samples.
        view.plot()->xAxis->setRange(0.0, 4.0);
        QVERIFY(view.refresh());
        for (int i = 0; i < view.plot()->graphCount(); ++i) {
            const auto data = view.plot()->graph(i)->data();
            if (!data->isEmpty())
                QVERIFY2((data->constEnd() - 1)->key <= 1.999, qPrintable(QString::number((data->constEnd() - 1)->key)));
        }
        // Live again: Follow moves to the newest data.
        view.setFrozen(false);
        view.setFollow(true);
        view.setSpan(1.0);
        QVERIFY(view.refresh());
        QCOMPARE(view.plot()->xAxis->range().upper, 3.999);
    }

    void cursorsReadDeltasAndAreDragged()
    {
        TraceStore store;
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store);
        view.showAll();
        view.refresh();
        QVERIFY(view.cursorReadout().isEmpty());
        QSignalSpy changed(&view, &ScopeView::cursorsChanged);
        view.cursorsAction()->trigger();
        QVERIFY(view.cursorsVisible());
        view.setTimeCursors(0.5, 0.75);
        QVERIFY2(view.cursorReadout().contains(QStringLiteral("Δt 250.0 ms")), qPrintable(view.cursorReadout()));
        QVERIFY2(view.cursorReadout().contains(QStringLiteral("1/Δt 4.000 Hz")), qPrintable(view.cursorReadout()));
        view.setValueCursors(1, 40, 55); // the µm lane
        QVERIFY2(view.cursorReadout().contains(QStringLiteral("ΔY 15.00 µm")), qPrintable(view.cursorReadout()));
        QVERIFY2(view.cursorReadout().contains(QStringLiteral("Position [µm]")), qPrintable(view.cursorReadout()));
        QVERIFY(changed.size() >= 3);
        view.refresh();

        // A time cursor line in every lane, two value lines in the µm lane.
        int timeLines = 0, valueLines = 0;
        for (int i = 0; i < view.plot()->itemCount(); ++i)
            if (auto *l = qobject_cast<QCPItemStraightLine *>(view.plot()->item(i)); l && l->property("cursor").isValid())
                (l->property("cursor").toInt() < 2 ? timeLines : valueLines)++;
        QCOMPARE(timeLines, 2 * view.laneCount());
        QCOMPARE(valueLines, 2);

        // Dragging the first time cursor moves it, not the plot.
        QCustomPlot *p = view.plot();
        const QCPRange x = p->xAxis->range();
        const int y = view.laneRect(0)->center().y();
        const QPoint from(int(std::lround(p->xAxis->coordToPixel(0.5))), y);
        const QPoint to(int(std::lround(p->xAxis->coordToPixel(1.0))), y);
        QTest::mousePress(p, Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(p, to);
        QTest::mouseRelease(p, Qt::LeftButton, Qt::NoModifier, to);
        const double pixel = x.size() / view.laneRect(0)->width();
        QVERIFY2(std::abs(view.timeCursors().first - 1.0) <= 2 * pixel, qPrintable(QString::number(view.timeCursors().first)));
        QCOMPARE(p->xAxis->range(), x);
        QVERIFY2(view.cursorReadout().contains(QStringLiteral("t2 750 ms")), qPrintable(view.cursorReadout()));

        // The lanes are rebuilt (a channel hidden): the cursors stay where they were.
        view.channelStyles()->setVisible(kStep, false);
        view.refresh();
        QCOMPARE(view.timeCursors().second, 0.75);
        view.setCursorsVisible(false);
        QVERIFY(view.cursorReadout().isEmpty());
    }

    void gapsAreBreaksWithMarkers()
    {
        // Samples 1000 … 1499 never came (the stream's index jumps): no line across, a band there.
        TraceStore store;
        StreamInfo info;
        info.id = QStringLiteral("sig");
        info.regular = true;
        info.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
            ChannelInfo { QStringLiteral("Position"), QStringLiteral("µm"), {}, true, {} } };
        store.setStreams(QStringLiteral("scope"), { info });
        for (const auto &[first, n] : { std::pair<std::uint64_t, std::size_t> { 0, 1000 }, { 1500, 500 } }) {
            auto b = SampleBlock::make(QStringLiteral("scope"), QStringLiteral("sig"), 2, n, false);
            b->firstIndex = first;
            b->dt = 1e-3;
            b->t0 = double(first) * 1e-3;
            for (std::size_t i = 0; i < n; ++i) {
                b->channel(0)[i] = std::sin(double(first + i) * 1e-2);
                b->channel(1)[i] = 50.0;
            }
            store.consume(b);
        }
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showAll();
        view.refresh();
        QCOMPARE(view.laneCount(), 2);
        QCOMPARE(view.gapMarkerCount(), 2); // the stream's gap, in each of its two lanes
        for (int i = 0; i < view.plot()->graphCount(); ++i) {
            QCPGraph *g = view.plot()->graph(i);
            if (!g->visible() || g->data()->isEmpty())
                continue;
            bool broken = false;
            for (auto it = g->data()->constBegin(); it + 1 != g->data()->constEnd(); ++it) {
                QVERIFY2(!(it->key <= 0.999 && (it + 1)->key >= 1.5 && !std::isnan(it->value) && !std::isnan((it + 1)->value)),
                    "a line bridges the gap");
                broken = broken || std::isnan(it->value);
            }
            QVERIFY(broken);
        }
        int bands = 0;
        for (int i = 0; i < view.plot()->itemCount(); ++i)
            if (auto *r = qobject_cast<QCPItemRect *>(view.plot()->item(i)); r && r->visible()) {
                ++bands;
                QCOMPARE(r->topLeft->coords().x(), 0.999);
                QCOMPARE(r->bottomRight->coords().x(), 1.5);
            }
        QCOMPARE(bands, 2);
        // Zoomed away from the gap: no marker.
        view.plot()->xAxis->setRange(0.1, 0.5);
        view.refresh();
        QCOMPARE(view.gapMarkerCount(), 0);
    }

    void exportsPngSvgPdf()
    {
        TraceStore store;
        ScopeView view(&store);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feed(store);
        view.showAll();
        view.refresh();
        QTemporaryDir dir;
        QString error;
        QVERIFY2(view.exportImage(dir.filePath(QStringLiteral("v.png")), &error), qPrintable(error));
        const QImage png(dir.filePath(QStringLiteral("v.png")));
        QCOMPARE(png.width(), 2 * view.plot()->width());
        QVERIFY2(view.exportImage(dir.filePath(QStringLiteral("v.svg")), &error), qPrintable(error));
        QFile svg(dir.filePath(QStringLiteral("v.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray svgText = svg.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("Position [µm]")); // text stays text: searchable, scalable
        QVERIFY2(view.exportImage(dir.filePath(QStringLiteral("v.pdf")), &error), qPrintable(error));
        QFile pdf(dir.filePath(QStringLiteral("v.pdf")));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        // Unknown type and unwritable place: refused with a message naming the file.
        QVERIFY(!view.exportImage(dir.filePath(QStringLiteral("v.bmpx")), &error));
        QVERIFY2(error.contains(QStringLiteral("v.bmpx")) && error.contains(QStringLiteral(".png")), qPrintable(error));
        QVERIFY(!view.exportImage(dir.filePath(QStringLiteral("missing/folder/v.png")), &error));
        QVERIFY2(error.contains(QStringLiteral("missing/folder/v.png")), qPrintable(error));
    }
};

QTEST_MAIN(ViewsTest)
#include "test_gui_views.moc"
