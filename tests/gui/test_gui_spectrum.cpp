// SPDX-License-Identifier: GPL-3.0-or-later
// SpectrumView with a SpectrumWorker on its own thread (issue 14): a known sine goes through the
// worker into the view; the peak label, the plotted points (≤ 2 per pixel column, each a real bin,
// the peak kept), scales, log axis, averaging through the controls, a refusal shown, the FFT never
// on the GUI thread. Saves spectrum-view.png into the build directory.
#include <SpectrumView.h>

#include <EngineeringFormat.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QThread>
#include <qcustomplot.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace bs;

namespace {

SpectrumInputPtr sineInput(std::size_t n, double fs, double amplitude, double freq, double noise = 0,
    unsigned seed = 1, double harmonic = 0)
{
    auto in = std::make_shared<SpectrumInput>();
    in->dt = 1.0 / fs;
    in->channel = QStringLiteral("PicoScope A");
    in->unit = QStringLiteral("V");
    in->values.resize(n);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, noise > 0 ? noise : 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / fs;
        in->values[i] = amplitude * std::sin(2 * std::numbers::pi * freq * t)
            + harmonic * std::sin(2 * std::numbers::pi * 3 * freq * t + 0.4) + (noise > 0 ? g(rng) : 0.0);
    }
    return in;
}

/// A worker on its own thread, stopped and deleted at the end of the scope.
struct WorkerThread
{
    QThread thread;
    SpectrumWorker *worker = new SpectrumWorker;
    WorkerThread()
    {
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
    }
    ~WorkerThread()
    {
        thread.quit();
        thread.wait();
    }
};

/// Submits `input` and waits for the view to show the result of it.
bool computeInto(SpectrumView &view, SpectrumWorker *worker, SpectrumInputPtr input)
{
    const SpectrumResultPtr before = view.result();
    worker->submit(std::move(input));
    return QTest::qWaitFor([&] { return view.result() && view.result() != before; }, 20000);
}

} // namespace

class SpectrumViewTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sineThroughTheWorkerIntoTheView();
    void scalesAxisAndAveragingControls();
    void refusalIsShown();
    void onlyTheNewestWaitingInputIsComputed();
    void readoutDigits();
    void savedState();
};

void SpectrumViewTest::sineThroughTheWorkerIntoTheView()
{
    WorkerThread wt;
    QThread *computedOn = nullptr;
    QObject::connect(
        wt.worker, &SpectrumWorker::resultReady, wt.worker, [&] { computedOn = QThread::currentThread(); },
        Qt::DirectConnection);
    SpectrumView view;
    view.attach(wt.worker);
    SpectrumSettings s = view.settings();
    s.window = SpectrumWindow::FlatTop;
    view.setSettings(s);
    view.resize(900, 480);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.peakText(), QString());

    // 1 V peak at 1 kHz, 100 kS/s, 65536 points: 32769 bins, far more than the pixel columns.
    QVERIFY(computeInto(view, wt.worker, sineInput(65536, 100e3, 1.0, 1000.0)));
    QCOMPARE(computedOn, &wt.thread);
    QVERIFY(computedOn != QThread::currentThread());
    const SpectrumResult &r = *view.result();
    QVERIFY(r.ok());
    QCOMPARE(r.window, SpectrumWindow::FlatTop);
    QCOMPARE(view.peakText(), QStringLiteral("f = 1.000 kHz, −3.01 dBV"));
    QCOMPARE(view.valueUnit(), QStringLiteral("dBV"));
    QVERIFY2(view.statusText().contains(QStringLiteral("65\u2009536 points")), qPrintable(view.statusText()));
    QVERIFY(view.statusText().contains(QStringLiteral("1.526 Hz per bin")));

    // The plotted data: at most 2 points per pixel column (+ the bins beyond both edges), every
    // point a real bin's value, and the peak among them.
    view.plot()->replot();
    const int columns = view.columns();
    QVERIFY(columns > 300);
    QVERIFY2(view.pointsDrawn() <= 2 * columns + 4, qPrintable(QStringLiteral("%1 points for %2 columns")
                                                                   .arg(view.pointsDrawn())
                                                                   .arg(columns)));
    QVERIFY(view.pointsDrawn() > columns); // min and max per column, not one point
    double best = -1e9, bestKey = 0;
    for (auto it = view.graph()->data()->constBegin(); it != view.graph()->data()->constEnd(); ++it) {
        const double bin = it->key / r.binWidth;
        QVERIFY(std::abs(bin - std::round(bin)) < 1e-6);
        QCOMPARE(it->value, SpectrumResult::decibels(r.rms[std::size_t(std::llround(bin))]));
        if (it->value > best) {
            best = it->value;
            bestKey = it->key;
        }
    }
    double maxAll = -1e9;
    for (double v : r.rms)
        maxAll = std::max(maxAll, SpectrumResult::decibels(v));
    QCOMPARE(best, maxAll);
    QVERIFY(std::abs(bestKey - 1000.0) <= r.binWidth);
    QVERIFY(std::abs(best - (-3.0103)) < 0.01);
    // A narrower window: decimated again to its own pixel columns.
    view.resize(600, 480);
    QTRY_VERIFY(view.columns() < columns - 200);
    QVERIFY(view.pointsDrawn() <= 2 * view.columns() + 4);
    view.resize(900, 480);
    QTRY_COMPARE(view.columns(), columns);
    // The marker sits on the tone.
    QVERIFY(view.peakMarker()->visible());
    QVERIFY(std::abs(view.peakMarker()->position->key() - 1000.0) < 0.01 * r.binWidth);
    QVERIFY(std::abs(view.peakMarker()->position->value() - (-3.0103)) < 0.001);

    // Harmonic and noise, Blackman-Harris, averaged: the picture of the user guide.
    s.window = SpectrumWindow::BlackmanHarris;
    s.averaging = SpectrumAveraging::Linear;
    s.averages = 8;
    view.setSettings(s);
    for (unsigned i = 1; i <= 8; ++i)
        QVERIFY(computeInto(view, wt.worker, sineInput(65536, 100e3, 1.0, 1000.0, 1e-3, i, 0.01)));
    QCOMPARE(view.result()->frames, 8);
    QCOMPARE(view.peakText(), QStringLiteral("f = 1.000 kHz, −3.01 dBV"));
    // The third harmonic (10 mV peak = −43.0 dBV) stands out of the averaged noise.
    const auto &rr = *view.result();
    const auto h = std::size_t(std::llround(3000.0 / rr.binWidth));
    QVERIFY(std::abs(SpectrumResult::decibels(*std::max_element(rr.rms.begin() + std::ptrdiff_t(h) - 3,
                         rr.rms.begin() + std::ptrdiff_t(h) + 4))
                - (-43.01))
        < 1.0);
    view.plot()->replot();
    const QString path = QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("spectrum-view.png"));
    QVERIFY(view.grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

void SpectrumViewTest::scalesAxisAndAveragingControls()
{
    WorkerThread wt;
    SpectrumView view;
    view.attach(wt.worker);
    view.resize(800, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *windowBox = view.findChild<QComboBox *>(QStringLiteral("spectrumWindowBox"));
    auto *scaleBox = view.findChild<QComboBox *>(QStringLiteral("spectrumScaleBox"));
    auto *axisBox = view.findChild<QComboBox *>(QStringLiteral("spectrumFrequencyAxisBox"));
    auto *avgBox = view.findChild<QComboBox *>(QStringLiteral("spectrumAveragingBox"));
    auto *nBox = view.findChild<QSpinBox *>(QStringLiteral("spectrumAveragesBox"));
    auto *peakBox = view.findChild<QCheckBox *>(QStringLiteral("spectrumPeakBox"));
    QVERIFY(windowBox && scaleBox && axisBox && avgBox && nBox && peakBox);
    QVERIFY(!nBox->isEnabled());

    QSignalSpy changed(&view, &SpectrumView::settingsChanged);
    windowBox->setCurrentIndex(windowBox->findData(int(SpectrumWindow::FlatTop)));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(wt.worker->settings().window, SpectrumWindow::FlatTop);

    // 4096 points at 48 kS/s: fewer bins than... no: 2049 bins in ~700 columns, decimated too.
    QVERIFY(computeInto(view, wt.worker, sineInput(4096, 48000, 0.5, 3000.0)));
    QCOMPARE(view.peakText(), QStringLiteral("f = 3.000 kHz, −9.03 dBV"));
    scaleBox->setCurrentIndex(scaleBox->findData(int(SpectrumView::Scale::Linear)));
    QCOMPARE(view.scale(), SpectrumView::Scale::Linear);
    QCOMPARE(changed.count(), 1); // the scale is the view's own business
    QCOMPARE(view.peakText(), QStringLiteral("f = 3.000 kHz, 353.6 mV RMS"));
    QCOMPARE(view.plot()->yAxis->label(), QStringLiteral("Amplitude [RMS]"));
    double top = 0;
    for (auto it = view.graph()->data()->constBegin(); it != view.graph()->data()->constEnd(); ++it)
        top = std::max(top, it->value);
    QVERIFY(std::abs(top - 0.5 / std::sqrt(2.0)) < 1e-3);

    axisBox->setCurrentIndex(1);
    QVERIFY(view.logFrequency());
    QCOMPARE(view.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(view.graph()->data()->size() > 0);
    for (auto it = view.graph()->data()->constBegin(); it != view.graph()->data()->constEnd(); ++it)
        QVERIFY(it->key > 0); // DC is not on a log axis
    QVERIFY(view.plot()->xAxis->range().lower > 0);

    view.plot()->replot();
    QVERIFY(view.grab().save(QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("spectrum-view-log.png"))));
    peakBox->setChecked(false);
    QVERIFY(!view.peakShown());
    QVERIFY(!view.peakMarker()->visible());

    avgBox->setCurrentIndex(avgBox->findData(int(SpectrumAveraging::Linear)));
    QVERIFY(nBox->isEnabled());
    nBox->setValue(4);
    QCOMPARE(wt.worker->settings().averaging, SpectrumAveraging::Linear);
    QCOMPARE(wt.worker->settings().averages, 4);
    for (unsigned i = 0; i < 6; ++i)
        QVERIFY(computeInto(view, wt.worker, sineInput(4096, 48000, 0.5, 3000.0, 0.01, i + 1)));
    QVERIFY2(view.statusText().contains(QStringLiteral("averaged 4 of 4 spectra")), qPrintable(view.statusText()));
    auto *restart = view.findChild<QToolButton *>(QStringLiteral("spectrumRestartButton"));
    QVERIFY(restart && restart->isEnabled());
    restart->click();
    QVERIFY(computeInto(view, wt.worker, sineInput(4096, 48000, 0.5, 3000.0, 0.01, 9)));
    QVERIFY2(view.statusText().contains(QStringLiteral("averaged 1 of 4 spectra")), qPrintable(view.statusText()));
}

void SpectrumViewTest::refusalIsShown()
{
    WorkerThread wt;
    SpectrumView view;
    view.attach(wt.worker);
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(computeInto(view, wt.worker, sineInput(10, 1000, 1, 10)));
    QVERIFY(!view.result()->ok());
    QVERIFY2(view.statusText().contains(QStringLiteral("at least 16 samples")), qPrintable(view.statusText()));
    QCOMPARE(view.peakText(), QString());
    QCOMPARE(view.pointsDrawn(), 0);
    auto *status = view.findChild<QLabel *>(QStringLiteral("spectrumStatus"));
    QVERIFY(status && status->text() == view.statusText());
}

void SpectrumViewTest::onlyTheNewestWaitingInputIsComputed()
{
    // The worker's thread is busy (not started yet): five inputs wait, only the newest is computed.
    QThread thread;
    auto *worker = new SpectrumWorker;
    worker->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    QSignalSpy results(worker, &SpectrumWorker::resultReady);
    for (int i = 1; i <= 5; ++i)
        worker->submit(sineInput(256, 1000, 1, 10.0 * i));
    QCOMPARE(worker->droppedInputs(), quint64(4));
    thread.start();
    QTRY_COMPARE(results.count(), 1);
    QTest::qWait(50);
    QCOMPARE(results.count(), 1);
    QCOMPARE(worker->computedInputs(), quint64(1));
    const auto r = results.at(0).at(0).value<SpectrumResultPtr>();
    QVERIFY(r && r->ok());
    QVERIFY(std::abs(r->peak->frequency - 50.0) < 0.1); // the fifth input's 50 Hz
    thread.quit();
    thread.wait();
}

void SpectrumViewTest::readoutDigits()
{
    QCOMPARE(EngineeringFormat::formatSignificant(1000.0, QStringLiteral("Hz"), 4), QStringLiteral("1.000 kHz"));
    QCOMPARE(EngineeringFormat::formatSignificant(999.96, QStringLiteral("Hz"), 4), QStringLiteral("1.000 kHz"));
    QCOMPARE(EngineeringFormat::formatSignificant(0.353553, QStringLiteral("V"), 4), QStringLiteral("353.6 mV"));
    QCOMPARE(EngineeringFormat::formatSignificant(-12.5e-6, QStringLiteral("s"), 4), QStringLiteral("−12.50 µs"));
    QCOMPARE(EngineeringFormat::formatSignificant(12345.0, QStringLiteral("counts"), 4), QStringLiteral("12\u2009350 counts"));
    QCOMPARE(EngineeringFormat::formatSignificant(1.52587890625, QStringLiteral("Hz"), 4), QStringLiteral("1.526 Hz"));
    QCOMPARE(EngineeringFormat::formatSignificant(0.0, QStringLiteral("Hz"), 4), QStringLiteral("0.000 Hz"));
}

void SpectrumViewTest::savedState()
{
    SpectrumView a;
    QSignalSpy changed(&a, &SpectrumView::settingsChanged);
    a.restoreState(QJsonObject { { QStringLiteral("type"), QStringLiteral("spectrum") },
        { QStringLiteral("window"), QStringLiteral("blackman-harris") }, { QStringLiteral("scale"), QStringLiteral("linear") },
        { QStringLiteral("frequency_axis"), QStringLiteral("log") }, { QStringLiteral("averaging"), QStringLiteral("exponential") },
        { QStringLiteral("averages"), 32 }, { QStringLiteral("peak"), false } });
    QCOMPARE(changed.count(), 1);
    QCOMPARE(a.settings().window, SpectrumWindow::BlackmanHarris);
    QCOMPARE(a.settings().averaging, SpectrumAveraging::Exponential);
    QCOMPARE(a.settings().averages, 32);
    QCOMPARE(a.scale(), SpectrumView::Scale::Linear);
    QVERIFY(a.logFrequency());
    QVERIFY(!a.peakShown());
    auto *windowBox = a.findChild<QComboBox *>(QStringLiteral("spectrumWindowBox"));
    QCOMPARE(windowBox->currentText(), QStringLiteral("Blackman-Harris"));
    SpectrumView b;
    b.restoreState(a.saveState());
    QCOMPARE(b.saveState(), a.saveState());
    // Unknown or mistyped members change nothing.
    const QJsonObject before = b.saveState();
    b.restoreState(QJsonObject { { QStringLiteral("window"), QStringLiteral("kaiser") }, { QStringLiteral("averages"), -3 },
        { QStringLiteral("scale"), 7 }, { QStringLiteral("frequency_axis"), QStringLiteral("octaves") },
        { QStringLiteral("averaging"), true }, { QStringLiteral("peak"), QStringLiteral("yes") } });
    QCOMPARE(b.saveState(), before);
}

QTEST_MAIN(SpectrumViewTest)
#include "test_gui_spectrum.moc"
