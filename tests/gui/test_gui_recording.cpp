// SPDX-License-Identifier: GPL-3.0-or-later
// File ▸ Open Recording: a recording (HDF5 and CSV) made by the Recorder from known samples, read
// back through RecordingTraceSource (samples exact, the gap where it was, the envelope broken
// there), shown in a RecordingWindow with its measurements, and opened from the main window
// (a bad file refused naming it). Waits are for results, with generous bounds.
#include <MainWindow.h>
#include <MeasurementsPanel.h>
#include <RecordingTraceSource.h>
#include <RecordingWindow.h>
#include <ScopeView.h>
#include <StatisticsPanel.h>
#include <ViewDataExportJob.h>
#include <ViewDataExporter.h>

#include <Hdf5RecordingReader.h>
#include <EngineeringFormat.h>
#include <Recorder.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#include <hdf5.h>

#include <cmath>
#include <numbers>

using namespace bs;

namespace {
constexpr double kDt = 1e-5; // 100 kS/s
constexpr std::uint64_t kRows = 200000; // 2 s of samples, in two halves
constexpr std::uint64_t kLost = 500; // lost between the halves

double sine(std::uint64_t index)
{
    return std::sin(2 * std::numbers::pi * 3.0 * double(index) * kDt); // 1 V, 3 Hz
}

/// Sample indices recorded: 0 … 99 999, then (after 500 lost) 100 500 … 200 499.
std::uint64_t indexOfRow(std::uint64_t row)
{
    return row < kRows / 2 ? row : row + kLost;
}

/// Removes the overview of the first stream of an HDF5 recording (the state of an older file).
bool dropOverview(const QString &path)
{
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    QByteArray overview;
    {
        Hdf5RecordingReader r;
        QString error;
        if (!r.open(path, &error) || r.streams().isEmpty())
            return false;
        overview = (r.streams().at(0).group + QStringLiteral("/overview")).toUtf8();
    } // closed before it is opened for writing
    hid_t f = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return false;
    const bool ok = H5Ldelete(f, overview.constData(), H5P_DEFAULT) >= 0;
    H5Fclose(f);
    return ok;
}

bool makeRecording(RecordingOptions::Format format, const QString &path)
{
    StreamInfo s;
    s.id = QStringLiteral("sig");
    s.name = QStringLiteral("Signal");
    s.regular = true;
    s.nominalRate = 1.0 / kDt;
    s.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} } };
    RecordingOptions o;
    o.format = format;
    o.path = path;
    o.instruments = { { QStringLiteral("gen"), QStringLiteral("sim"), QStringLiteral("Generator"),
        QStringLiteral("127.0.0.1:1") } };
    o.sessionSnapshot = "{\n  \"format\": \"benchscope-session\",\n  \"version\": 1\n}\n";
    o.maxQueueSeconds = 0;
    o.timeOrigin = 0;
    Recorder rec;
    rec.setStreams(QStringLiteral("gen"), { s });
    QString error;
    if (!rec.start(o, &error)) {
        qWarning() << error;
        return false;
    }
    constexpr std::size_t block = 10000;
    for (std::uint64_t row = 0; row < kRows; row += block) {
        auto b = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("sig"), 1, block, false);
        b->firstIndex = indexOfRow(row);
        b->t0 = double(b->firstIndex) * kDt;
        b->dt = kDt;
        if (row == kRows / 2) {
            b->flags |= SampleBlock::DataLost;
            b->lostBefore = kLost;
        }
        for (std::size_t i = 0; i < block; ++i)
            b->channel(0)[i] = sine(b->firstIndex + i);
        rec.consume(b);
    }
    rec.stop();
    return true; // what was written is checked by reading it back
}
} // namespace

class RecordingBrowserTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_h5, m_csv;
    const ChannelKey m_key { QStringLiteral("gen"), QStringLiteral("sig"), 0 };

    void checkSource(const RecordingTraceSource &src, double timeTolerance)
    {
        QCOMPARE(src.channels(), QVector<ChannelKey> { m_key });
        QCOMPARE(src.channelInfo(m_key)->name, QStringLiteral("Sine"));
        QCOMPARE(src.channelInfo(m_key)->unit, QStringLiteral("V"));
        QVERIFY(!src.channelInfo(ChannelKey { QStringLiteral("gen"), QStringLiteral("sig"), 1 }));
        QVERIFY(!src.live());
        const TimeRange r = src.timeRange(m_key);
        QVERIFY(r.isValid());
        QCOMPARE(r.first, 0.0);
        QVERIFY(std::abs(r.last - double(indexOfRow(kRows - 1)) * kDt) <= timeTolerance);

        // Every sample of a range across the gap, exactly as fed, with the gap between them.
        std::vector<double> times, values;
        int gapsSeen = 0;
        std::size_t rowsBeforeGap = 0;
        const SampleReadStatus st = src.readSamples(
            m_key, 0.9, 1.1,
            [&](const double *t, const double *v, std::size_t n) {
                times.insert(times.end(), t, t + n);
                values.insert(values.end(), v, v + n);
            },
            [&] {
                ++gapsSeen;
                rowsBeforeGap = times.size();
            });
        QVERIFY(st.found);
        std::vector<std::uint64_t> expected;
        for (std::uint64_t row = 0; row < kRows; ++row) {
            const double t = double(indexOfRow(row)) * kDt;
            if (t >= 0.9 - 1e-12 && t <= 1.1 + 1e-12)
                expected.push_back(indexOfRow(row));
        }
        QCOMPARE(values.size(), expected.size());
        QCOMPARE(st.rows, quint64(expected.size()));
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(values[i], sine(expected[i]));
            QVERIFY2(std::abs(times[i] - double(expected[i]) * kDt) <= timeTolerance, qPrintable(QString::number(i)));
        }
        QCOMPARE(gapsSeen, 1);
        QCOMPARE(rowsBeforeGap, std::size_t(kRows / 2 - 90000)); // rows 90 000 … 99 999

        const std::vector<TraceGap> gaps = src.gaps(m_key, 0.0, 3.0, 100);
        QCOMPARE(gaps.size(), std::size_t(1));
        QVERIFY(std::abs(gaps[0].start - 99999 * kDt) <= timeTolerance);
        QVERIFY(std::abs(gaps[0].end - 100500 * kDt) <= timeTolerance);
        QVERIFY(src.gaps(m_key, 1.5, 2.0, 100).empty());

        // The whole recording in 1000 columns: ±1 V, at most 2 points a column (+ a few), a break
        // (NaN) inside the gap and nowhere else.
        const Envelope e = src.envelope(m_key, 0.0, 2.005, 1000);
        QVERIFY(e.size() <= 2 * 1000 + 4);
        QVERIFY(e.size() >= 1000);
        double lo = INFINITY, hi = -INFINITY;
        int breaks = 0;
        for (std::size_t i = 0; i < e.size(); ++i) {
            if (std::isnan(e.v[i])) {
                ++breaks;
                QVERIFY(e.t[i] >= 99999 * kDt - timeTolerance && e.t[i] <= 100500 * kDt + timeTolerance);
                continue;
            }
            lo = std::min(lo, e.v[i]);
            hi = std::max(hi, e.v[i]);
        }
        QCOMPARE(breaks, 1);
        QVERIFY(hi > 0.9999 && hi <= 1.0);
        QVERIFY(lo < -0.9999 && lo >= -1.0);
        QVERIFY(src.lastError().isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_recording"));
        QVERIFY(m_dir.isValid());
        m_h5 = m_dir.filePath(QStringLiteral("rec.h5"));
        m_csv = m_dir.filePath(QStringLiteral("rec_csv"));
        QVERIFY(makeRecording(RecordingOptions::Format::Hdf5, m_h5));
        QVERIFY(makeRecording(RecordingOptions::Format::Csv, m_csv));
    }

    void hdf5RecordingReadsBackExactly()
    {
        QString error;
        auto src = RecordingTraceSource::open(m_h5, {}, &error);
        QVERIFY2(src, qPrintable(error));
        QCOMPARE(src->format(), QStringLiteral("hdf5"));
        checkSource(*src, 1e-12);
    }

    void overviewMissingIsBuiltOnceAndKept()
    {
        // A recording without its overview (as an older BenchScope wrote them): the first opening
        // builds it (progress reported up to 1) and keeps it in the file; the next opening finds it.
        const QString old = m_dir.filePath(QStringLiteral("old.h5"));
        QVERIFY(QFile::copy(m_h5, old));
        QVERIFY(dropOverview(old));
        double last = 0.0;
        QString error;
        auto src = RecordingTraceSource::open(old, [&last](double f) { last = f; return true; }, &error);
        QVERIFY2(src, qPrintable(error));
        QCOMPARE(last, 1.0);
        QVERIFY2(src->notes().join(QLatin1Char(' ')).contains(QStringLiteral("stored in the file")),
            qPrintable(src->notes().join(QLatin1Char(' '))));
        checkSource(*src, 1e-12);
        src.reset();
        auto again = RecordingTraceSource::open(old, {}, &error);
        QVERIFY2(again, qPrintable(error));
        QVERIFY(again->notes().isEmpty());

        // Cancelled: no source, no message (the user knows).
        QVERIFY(QFile::copy(m_h5, m_dir.filePath(QStringLiteral("old2.h5"))));
        QVERIFY(dropOverview(m_dir.filePath(QStringLiteral("old2.h5"))));
        error.clear();
        QVERIFY(!RecordingTraceSource::open(m_dir.filePath(QStringLiteral("old2.h5")), [](double) { return false; }, &error));
        QVERIFY2(error.contains(QStringLiteral("cancelled")), qPrintable(error));
    }

    void csvRecordingReadsBackExactly()
    {
        QString error;
        auto src = RecordingTraceSource::open(m_csv, {}, &error);
        QVERIFY2(src, qPrintable(error));
        QCOMPARE(src->format(), QStringLiteral("csv"));
        checkSource(*src, 1e-9); // CSV times are rounded to 1 ns
    }

    void badFilesAreRefusedNamingThem()
    {
        const QString junk = m_dir.filePath(QStringLiteral("junk.h5"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not an HDF5 file\n");
        f.close();
        QString error;
        QVERIFY(!RecordingTraceSource::open(junk, {}, &error));
        QVERIFY2(error.contains(QStringLiteral("junk.h5")), qPrintable(error));
        error.clear();
        QVERIFY(!RecordingTraceSource::open(m_dir.filePath(QStringLiteral("missing.h5")), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("missing.h5")), qPrintable(error));
    }

    void windowShowsTheRecordingWithMeasurements()
    {
        QString error;
        auto src = RecordingTraceSource::open(m_h5, {}, &error);
        QVERIFY2(src, qPrintable(error));
        RecordingWindow *w = new RecordingWindow(std::move(src));
        w->resize(1200, 760);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        ScopeView *scope = w->scopeView();
        scope->refresh();
        QCOMPARE(scope->traceCount(), 1);
        QVERIFY(!scope->follow());
        QVERIFY(!scope->followAction()->isEnabled());
        QVERIFY(!scope->freezeAction()->isEnabled());
        scope->setTriggered(true); // no Triggered mode on a file
        QVERIFY(!scope->triggered());
        const auto shown = scope->visibleTimeRange();
        QVERIFY(shown.first <= 0.0 && shown.second >= double(indexOfRow(kRows - 1)) * kDt);
        QVERIFY(scope->maxPointsPerTrace() <= 2 * scope->columns() + 8);
        QCOMPARE(scope->gapMarkerCount(), 1);
        QVERIFY(w->summary().contains(QStringLiteral("1 gap")));
        QVERIFY(w->summary().contains(QStringLiteral("rec.h5")));

        // Measurements of what is shown: a 1 V, 3 Hz sine.
        w->measurementsDock()->show();
        MeasurementsPanel *panel = w->measurements();
        panel->setColumns({ QStringLiteral("max"), QStringLiteral("min"), QStringLiteral("frequency"), QStringLiteral("mean") });
        QVERIFY(QTest::qWaitFor(
            [&] {
                panel->update();
                return panel->resultsShown() > 0;
            },
            30000));
        QCOMPARE(panel->cellText(0, QStringLiteral("max")), QStringLiteral("1.000 V"));
        QCOMPARE(panel->cellText(0, QStringLiteral("min")), QStringLiteral("−1.000 V"));
        QCOMPARE(panel->cellText(0, QStringLiteral("frequency")), QStringLiteral("3.000 Hz"));
        // Six whole periods: the mean is 0 up to the rounding of its sum, shown as 0 (not "fV").
        QCOMPARE(panel->cellText(0, QStringLiteral("mean")), EngineeringFormat::formatSignificant(0.0, QStringLiteral("V"), 4));

        // The histogram of the whole recording: every sample, binned.
        w->statisticsDock()->show();
        QVERIFY(QTest::qWaitFor(
            [&] {
                w->statistics()->update();
                return w->statistics()->histogram() != nullptr;
            },
            30000));
        QCOMPARE(w->statistics()->histogram()->histogram.count, quint64(kRows));
        QCOMPARE(w->statistics()->histogram()->histogram.nonFinite, quint64(0));
        QVERIFY2(!w->statistics()->histogramText().contains(QStringLiteral("fV")), qPrintable(w->statistics()->histogramText()));

        // Zoomed in to a few samples: raw points.
        scope->plot()->xAxis->setRange(0.25, 0.25 + 20 * kDt);
        scope->refresh();
        QVERIFY(scope->maxPointsPerTrace() >= 20 && scope->maxPointsPerTrace() <= 24);

        // File ▸ Export View Data of the recording: every sample of the window, as recorded.
        scope->showAll();
        scope->refresh();
        const QString csv = m_dir.filePath(QStringLiteral("from-the-window.csv"));
        ViewDataExportJob *job = w->viewDataExporter()->start(csv, false, &error);
        QVERIFY2(job, qPrintable(error));
        QSignalSpy done(job, &ViewDataExportJob::finished);
        QVERIFY(done.wait(30000));
        const auto result = done.at(0).at(0).value<ViewDataResult>();
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.rows, quint64(kRows));
        auto back = RecordingSource::open(csv, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->streams().size(), 1);
        QCOMPARE(back->streams().at(0).rows, quint64(kRows));
        QCOMPARE(back->streams().at(0).header.instrumentName, QStringLiteral("Generator"));
        std::uint64_t row = 0;
        bool exact = true;
        int gapsBack = 0;
        QVERIFY(back->read(0, { 0 }, -INFINITY, INFINITY, [&](const RecordingPiece &p) {
            gapsBack += p.gapBefore ? 1 : 0;
            for (std::size_t i = 0; i < p.rows; ++i, ++row)
                exact = exact && p.values[0][i] == sine(indexOfRow(row));
            return true;
        }, &error));
        QVERIFY(exact);
        QCOMPARE(gapsBack, 1);

        const QString png = QStringLiteral(BS_SCREENSHOT_DIR "/recording-window.png");
        QVERIFY(w->grab().save(png));
        w->close(); // deletes itself
    }

    void mainWindowOpensRecordingsAndSaysWhyNot()
    {
        TraceStore store;
        Recorder recorder;
        Workspace ws;
        ws.addSink(&store);
        ws.addSink(&recorder);
        MainWindow window(&ws, &store, &recorder);
        window.resize(1000, 700);
        window.show();
        QVERIFY(window.findChild<QAction *>(QStringLiteral("actionOpenRecording")));
        QVERIFY(window.findChild<QAction *>(QStringLiteral("actionOpenCsvFolder")));

        QSignalSpy opened(&window, &MainWindow::recordingOpened);
        QVERIFY(window.openRecording(m_h5));
        QVERIFY(!window.openRecording(m_csv)); // one at a time
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
        auto *rw = opened.at(0).at(0).value<RecordingWindow *>();
        QVERIFY(rw);
        QCOMPARE(window.recordingWindows(), QList<RecordingWindow *> { rw });
        QVERIFY(rw->isVisible());

        QVERIFY(window.openRecording(m_csv));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 30000);
        QVERIFY(opened.at(1).at(0).value<RecordingWindow *>());
        QCOMPARE(window.recordingWindows().size(), 2);

        QVERIFY(window.openRecording(m_dir.filePath(QStringLiteral("nothing-here.h5"))));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 3, 30000);
        QVERIFY(!opened.at(2).at(0).value<RecordingWindow *>());
        QVERIFY(opened.at(2).at(1).toString().contains(QStringLiteral("nothing-here.h5")));
        QTRY_VERIFY(window.findChild<QWidget *>(QStringLiteral("openRecordingError")));
    }
};

QTEST_MAIN(RecordingBrowserTest)
#include "test_gui_recording.moc"
