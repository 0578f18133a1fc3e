// SPDX-License-Identifier: GPL-3.0-or-later
// EnvelopeGraph (issue 14, the scope's speed): a dense trace drawn as per-column spans covers the
// pixels a 1-pixel polyline through its points covers, within a pixel, and nothing else.
#include <EnvelopeGraph.h>
#include <ScopePlot.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace bs;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Columns {
    std::vector<int> top, bottom;
    bool covered(int c) const { return top[std::size_t(c)] <= bottom[std::size_t(c)]; }
};

Columns rasterise(const QVector<QPointF> &points, int width, int height)
{
    Columns c;
    rasteriseColumns(points.constData(), points.size(), width, height, c.top, c.bottom);
    return c;
}

/// A plot with one graph of the given kind on `keys`/`values`, 1-pixel pen without antialiasing.
template <typename Graph>
QImage render(const QVector<double> &keys, const QVector<double> &values, Graph **graphOut = nullptr)
{
    QCustomPlot plot;
    plot.resize(420, 260);
    plot.setAntialiasedElements(QCP::aeNone);
    auto *graph = new Graph(plot.xAxis, plot.yAxis);
    graph->setAdaptiveSampling(false);
    graph->setAntialiased(false);
    graph->setPen(QPen(Qt::blue, 1.0));
    graph->setData(keys, values, true);
    plot.xAxis->setRange(0, 1);
    plot.yAxis->setRange(-1.2, 1.2);
    plot.xAxis->grid()->setVisible(false);
    plot.yAxis->grid()->setVisible(false);
    if (graphOut)
        *graphOut = graph;
    return plot.toPixmap(420, 260, 1.0).toImage();
}

/// The trace's pixels: blue ones (the axes are black).
QVector<QPoint> bluePixels(const QImage &image)
{
    QVector<QPoint> out;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.blue() > 200 && c.red() < 80 && c.green() < 80)
                out.append({ x, y });
        }
    return out;
}

/// Every pixel of `a` has a pixel of `b` at most `reach` away (in x and in y).
int farPixels(const QVector<QPoint> &a, const QImage &b, int reach)
{
    int far = 0;
    for (const QPoint &p : a) {
        bool near = false;
        for (int dy = -reach; dy <= reach && !near; ++dy)
            for (int dx = -reach; dx <= reach && !near; ++dx) {
                const QPoint q = p + QPoint(dx, dy);
                if (!b.rect().contains(q))
                    continue;
                const QColor c = b.pixelColor(q);
                near = c.blue() > 200 && c.red() < 80 && c.green() < 80;
            }
        far += near ? 0 : 1;
    }
    return far;
}

/// A min/max envelope of a noisy sine: two points per column of `columns`, a break in the middle,
/// then a sparse part with points several columns apart.
void envelope(QVector<double> &keys, QVector<double> &values, int columns, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.08);
    keys.clear();
    values.clear();
    for (int c = 0; c < columns; ++c) {
        const double t = (c + 0.25) / columns * 0.7;
        const double v = std::sin(2 * M_PI * 4 * t);
        if (c == columns / 3) { // a gap: a break, never bridged
            keys.append(t);
            values.append(kNaN);
            continue;
        }
        const double a = v + noise(rng), b = v + noise(rng);
        keys.append(t);
        values.append(std::min(a, b));
        keys.append(t + 0.5 / columns * 0.7);
        values.append(std::max(a, b));
    }
    for (double t = 0.72; t <= 1.0; t += 0.02) { // sparse: segments wider than a column
        keys.append(t);
        values.append(0.8 * std::cos(2 * M_PI * 3 * t));
    }
}
} // namespace

class TestEnvelopeGraph : public QObject
{
    Q_OBJECT

private slots:
    void flatLineCoversEveryColumnAtAnySpacing()
    {
        for (double step : { 0.3, 0.7, 1.0, 1.3, 1.9 }) {
            QVector<QPointF> pts;
            for (double x = 2.0; x <= 90.0; x += step)
                pts.append({ x, 10.5 });
            const Columns c = rasterise(pts, 100, 20);
            const int last = int(std::floor(pts.last().x()));
            for (int x = 2; x <= last; ++x) {
                QVERIFY2(c.covered(x), qPrintable(QStringLiteral("step %1: column %2").arg(step).arg(x)));
                QCOMPARE(c.top[std::size_t(x)], 10);
                QCOMPARE(c.bottom[std::size_t(x)], 10);
            }
            QVERIFY(!c.covered(0) && !c.covered(1) && !c.covered(last + 1));
        }
    }

    void minMaxPairsGiveTheColumnSpanAndTheStepToTheNext()
    {
        // Column 5 from 2 to 8, column 6 from 12 to 15: the step 8 → 12 is split at the border.
        const QVector<QPointF> pts { { 5.2, 2.0 }, { 5.7, 8.0 }, { 6.2, 12.0 }, { 6.7, 15.0 } };
        const Columns c = rasterise(pts, 10, 20);
        QCOMPARE(c.top[5], 2);
        QVERIFY(c.bottom[5] >= 8 && c.bottom[5] <= 10);
        QVERIFY(c.top[6] >= 9 && c.top[6] <= 12);
        QCOMPARE(c.bottom[6], 15);
        QCOMPARE(c.bottom[5] + 1 >= c.top[6], true); // no hole in the step
    }

    void breaksAreNotBridgedAndLonePointsAreDots()
    {
        const QVector<QPointF> pts { { 1.5, 3.0 }, { 2.5, 3.0 }, { kNaN, kNaN }, { 6.5, 9.0 }, { kNaN, kNaN },
            { 8.5, 4.0 }, { 9.5, 4.0 } };
        const Columns c = rasterise(pts, 12, 12);
        QVERIFY(c.covered(1) && c.covered(2));
        for (int x : { 3, 4, 5, 7 })
            QVERIFY2(!c.covered(x), qPrintable(QString::number(x)));
        QVERIFY(c.covered(6)); // the lone point
        QCOMPARE(c.top[6], 9);
        QVERIFY(c.covered(8) && c.covered(9));
    }

    void farOffValuesAreClippedWithoutOverflow()
    {
        const QVector<QPointF> pts { { 1.2, -1e300 }, { 1.8, 1e300 }, { 2.2, 1e300 }, { 2.8, 5.0 }, { kNaN, kNaN },
            { 4.5, 3.0 }, { 1e12, 3.0 } };
        const Columns c = rasterise(pts, 8, 10);
        QCOMPARE(c.top[1], 0);
        QCOMPARE(c.bottom[1], 9);
        QCOMPARE(c.bottom[2], 9);
        QVERIFY(!c.covered(3));
        QCOMPARE(c.top[4], 3); // the segment to x = 10^12 crosses the image at its own height
        QCOMPARE(c.top[7], 3);
    }

    void drawsWhatTheStockGraphDrawsWithinAPixel()
    {
        QVector<double> keys, values;
        envelope(keys, values, 300, 7);
        QCPGraph *stockGraph = nullptr;
        EnvelopeGraph *spanGraph = nullptr;
        const QImage stock = render(keys, values, &stockGraph);
        const QImage spans = render(keys, values, &spanGraph);
        const QVector<QPoint> stockPixels = bluePixels(stock), spanPixels = bluePixels(spans);
        QVERIFY(stockPixels.size() > 2000);
        // Same amount of ink (±10 %), and every pixel of one has a pixel of the other beside it.
        QVERIFY2(std::abs(spanPixels.size() - stockPixels.size()) < stockPixels.size() / 10,
            qPrintable(QStringLiteral("%1 against %2").arg(spanPixels.size()).arg(stockPixels.size())));
        QCOMPARE(farPixels(spanPixels, stock, 1), 0);
        QCOMPARE(farPixels(stockPixels, spans, 1), 0);
    }

    void slowLinesDrawWhatTheStockGraphDrawsWithinAPixel()
    {
        QVector<double> keys, values;
        for (double t = 0; t <= 1.0; t += 0.0013) {
            keys.append(t);
            values.append(0.9 * std::sin(2 * M_PI * 1.3 * t) + 0.1 * t);
        }
        const QImage stock = render<QCPGraph>(keys, values);
        const QImage spans = render<EnvelopeGraph>(keys, values);
        const QVector<QPoint> stockPixels = bluePixels(stock), spanPixels = bluePixels(spans);
        // A slow line with several points per column: a line within a pixel of the stock one (it may be
        // a pixel thicker where a column holds several rows), without holes.
        QVERIFY(stockPixels.size() > 300);
        QCOMPARE(farPixels(spanPixels, stock, 1), 0);
        QCOMPARE(farPixels(stockPixels, spans, 1), 0);
        QVERIFY(spanPixels.size() < 2 * stockPixels.size());
    }

    void aRedrawLeavesNothingOfThePictureBefore()
    {
        // The graph reuses its image between pictures: after new data the picture must be exactly
        // that of a graph drawing the new data first.
        QCustomPlot plot;
        plot.resize(420, 260);
        auto *graph = new EnvelopeGraph(plot.xAxis, plot.yAxis);
        graph->setAntialiased(false);
        graph->setPen(QPen(Qt::blue, 1.0));
        plot.xAxis->setRange(0, 1);
        plot.yAxis->setRange(-1.2, 1.2);
        QVector<double> keys, values;
        envelope(keys, values, 300, 1);
        graph->setData(keys, values, true);
        plot.toPixmap(420, 260, 1.0);
        envelope(keys, values, 280, 2);
        for (double &v : values)
            v *= 0.5;
        graph->setData(keys, values, true);
        const QImage redrawn = plot.toPixmap(420, 260, 1.0).toImage();
        QCOMPARE(graph->spanDraws(), 2);

        EnvelopeGraph *fresh = nullptr;
        QCustomPlot other;
        other.resize(420, 260);
        fresh = new EnvelopeGraph(other.xAxis, other.yAxis);
        fresh->setAntialiased(false);
        fresh->setPen(QPen(Qt::blue, 1.0));
        other.xAxis->setRange(0, 1);
        other.yAxis->setRange(-1.2, 1.2);
        fresh->setData(keys, values, true);
        QCOMPARE(redrawn, other.toPixmap(420, 260, 1.0).toImage());

        // A new colour repaints every pixel in it.
        graph->setPen(QPen(Qt::red, 1.0));
        fresh->setPen(QPen(Qt::red, 1.0));
        QCOMPARE(plot.toPixmap(420, 260, 1.0).toImage(), other.toPixmap(420, 260, 1.0).toImage());
    }

    void theScopeBufferGetsTheSamePixels()
    {
        // In the scope's own plot the trace is written straight into its opaque image buffer, which
        // a repaint copies to the widget: the same trace pixels as the picture QCustomPlot exports
        // (drawn through an image of the plot area), and the plot's white around them.
        ScopePlot plot;
        plot.resize(420, 260);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        auto *graph = new EnvelopeGraph(plot.xAxis, plot.yAxis);
        graph->setAntialiased(false);
        graph->setPen(QPen(Qt::blue, 1.0));
        QVector<double> keys, values;
        envelope(keys, values, 300, 5);
        graph->setData(keys, values, true);
        plot.xAxis->setRange(0, 1);
        plot.yAxis->setRange(-1.2, 1.2);
        plot.replot();
        const QImage shown = plot.grab().toImage();
        QVERIFY(plot.opaqueRepaints() > 0);
        const QImage exported = plot.toPixmap(420, 260, 1.0).toImage();
        QVERIFY(bluePixels(shown).size() > 2000);
        QCOMPARE(bluePixels(shown), bluePixels(exported));
        QCOMPARE(shown.pixelColor(2, 2), QColor(Qt::white));

        // A translucent pen cannot be written in place: an image of the plot area is blended instead.
        const int before = graph->spanDraws();
        graph->setPen(QPen(QColor(0, 0, 255, 128), 1.0));
        plot.replot();
        QCOMPARE(graph->spanDraws(), before + 1);
        const QImage translucent = plot.grab().toImage();
        QCOMPARE(translucent.pixelColor(2, 2), QColor(Qt::white));
    }

    void smoothPensAndVectorExportsTakeTheStockPath()
    {
        QCustomPlot plot;
        plot.resize(420, 260);
        auto *graph = new EnvelopeGraph(plot.xAxis, plot.yAxis);
        QVector<double> keys, values;
        envelope(keys, values, 300, 3);
        graph->setData(keys, values, true);
        plot.xAxis->setRange(0, 1);
        graph->setPen(QPen(Qt::blue, 1.5));
        graph->setAntialiased(true);
        plot.toPixmap(420, 260, 1.0);
        QCOMPARE(graph->spanDraws(), 0);
        graph->setPen(QPen(Qt::blue, 1.0));
        graph->setAntialiased(false);
        QTemporaryDir dir;
        QVERIFY(plot.savePdf(dir.filePath(QStringLiteral("v.pdf")), 420, 260));
        QCOMPARE(graph->spanDraws(), 0); // PDF keeps real lines
        plot.toPixmap(420, 260, 2.0); // a scaled raster picture (HiDPI or export at 2×) uses spans
        QCOMPARE(graph->spanDraws(), 1);
    }
};

QTEST_MAIN(TestEnvelopeGraph)
#include "test_envelope_graph.moc"
