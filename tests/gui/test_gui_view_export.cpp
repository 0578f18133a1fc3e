// SPDX-License-Identifier: GPL-3.0-or-later
// File ▸ Export View Data (CSV) in the main window (offscreen): the channels the scope shows, over
// the window shown or between the time cursors, written on a worker thread and read back with
// RecordingSource; a hidden channel is not written; the menu's range dialog offers "between the
// cursors" first when they are on (saved as view-data-export.png in the build directory).
#include <ChannelStyles.h>
#include <MainWindow.h>
#include <ScopeView.h>
#include <ViewDataExportJob.h>

#include <RecordingSource.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <qcustomplot.h>

#include <cmath>
#include <numbers>

using namespace bs;

namespace {

/// "gen/sig": Sine and Cosine (V) at 1 kHz for 2 s; "lab/cnt": a counter every 10 ms.
void feed(TraceStore &store)
{
    StreamInfo sig;
    sig.id = QStringLiteral("sig");
    sig.regular = true;
    sig.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Cosine"), QStringLiteral("V"), {}, true, {} } };
    StreamInfo cnt;
    cnt.id = QStringLiteral("cnt");
    cnt.channels = { ChannelInfo { QStringLiteral("Counter"), QStringLiteral("counts"), {}, true, {} } };
    store.setStreams(QStringLiteral("gen"), { sig });
    store.setStreams(QStringLiteral("lab"), { cnt });
    auto b = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("sig"), 2, 2000, false);
    b->dt = 1e-3;
    for (std::size_t i = 0; i < 2000; ++i) {
        b->channel(0)[i] = std::sin(2 * std::numbers::pi * 5 * double(i) * 1e-3);
        b->channel(1)[i] = std::cos(2 * std::numbers::pi * 5 * double(i) * 1e-3);
    }
    store.consume(b);
    auto c = SampleBlock::make(QStringLiteral("lab"), QStringLiteral("cnt"), 1, 200, true);
    for (std::size_t i = 0; i < 200; ++i) {
        c->times[i] = 0.01 * double(i);
        c->channel(0)[i] = double(i);
    }
    store.consume(c);
}

ViewDataResult waitFor(ViewDataExportJob *job)
{
    QSignalSpy spy(job, &ViewDataExportJob::finished);
    if (!spy.wait(30000))
        return {};
    return spy.front().front().value<ViewDataResult>();
}

} // namespace

class GuiViewExportTest : public QObject
{
    Q_OBJECT

private:
    TraceStore m_store;
    Workspace m_ws;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;

    ScopeView *scope() const { return m_window->scopeView(); }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ViewDataResult>();
        feed(m_store);
        m_window = std::make_unique<MainWindow>(&m_ws, &m_store, nullptr);
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        scope()->resize(900, 500);
        scope()->refresh();
        scope()->setFollow(false);
        scope()->plot()->xAxis->setRange(0.25, 1.25);
        scope()->refresh();
        QCOMPARE(scope()->shownChannels().size(), 3);
    }

    void cleanupTestCase() { m_window.reset(); }

    void theMenuHasIt()
    {
        auto *action = m_window->findChild<QAction *>(QStringLiteral("actionExportViewData"));
        QVERIFY(action);
        QVERIFY(action->text().contains(QStringLiteral("CSV")));
        bool inFile = false;
        for (QAction *menu : m_window->menuBar()->actions())
            if (menu->menu() && menu->menu()->actions().contains(action))
                inFile = menu->text().contains(QStringLiteral("File"));
        QVERIFY(inFile);
    }

    void exportsTheWindowShown()
    {
        const auto [from, to] = scope()->visibleTimeRange();
        QString error;
        const QString out = m_dir.filePath(QStringLiteral("window"));
        ViewDataExportJob *job = m_window->exportViewData(out, false, &error);
        QVERIFY2(job, qPrintable(error));
        const ViewDataResult r = waitFor(job);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.files.size(), 2); // two streams: a folder of two files
        auto src = RecordingSource::open(out, &error);
        QVERIFY2(src, qPrintable(error));
        QCOMPARE(src->streams().size(), 2);
        const RecordingStreamInfo &sig = src->streams()[0];
        QCOMPARE(sig.channels.size(), 2);
        quint64 expected = 0;
        for (int i = 0; i < 2000; ++i)
            expected += double(i) * 1e-3 >= from && double(i) * 1e-3 <= to;
        QCOMPARE(sig.rows, expected);
        QVERIFY(sig.firstTime >= from - 1e-9 && sig.lastTime <= to + 1e-9);
        QVERIFY(!sig.header.session.isEmpty()); // the session snapshot is in the header
    }

    void exportsBetweenTheCursorsOnlyWhatIsShown()
    {
        ChannelStyles *styles = scope()->channelStyles();
        styles->setVisible(ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QStringLiteral("Cosine")), false);
        styles->setVisible(ChannelStyles::keyOf(QStringLiteral("lab"), QStringLiteral("cnt"), QStringLiteral("Counter")), false);
        scope()->refresh();
        QCOMPARE(scope()->shownChannels().size(), 1);
        scope()->setCursorsVisible(true);
        scope()->setTimeCursors(0.9, 0.5); // either order
        QString error;
        const QString out = m_dir.filePath(QStringLiteral("cursors.csv"));
        ViewDataExportJob *job = m_window->exportViewData(out, true, &error);
        QVERIFY2(job, qPrintable(error));
        const ViewDataResult r = waitFor(job);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.files, QStringList { out });
        auto src = RecordingSource::open(out, &error);
        QVERIFY2(src, qPrintable(error));
        const RecordingStreamInfo &sig = src->streams()[0];
        QCOMPARE(sig.channels.size(), 1);
        QCOMPARE(sig.channels[0].name, QStringLiteral("Sine"));
        QCOMPARE(sig.rows, quint64(401)); // 0.500 … 0.900 s, both ends
        QVERIFY(std::abs(sig.firstTime - 0.5) <= 1e-9);
        QVERIFY(std::abs(sig.lastTime - 0.9) <= 1e-9);
        // A second one while the first runs is refused; once done, a new one is accepted.
        ViewDataExportJob *again = m_window->exportViewData(out, false, &error);
        QVERIFY(again);
        QVERIFY(!m_window->exportViewData(out, false, &error));
        QVERIFY(error.contains(QStringLiteral("already")));
        QVERIFY(waitFor(again).ok);
        styles->setVisible(ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QStringLiteral("Cosine")), true);
        styles->setVisible(ChannelStyles::keyOf(QStringLiteral("lab"), QStringLiteral("cnt"), QStringLiteral("Counter")), true);
        scope()->refresh();
    }

    void aCancelledJobKeepsNoFile()
    {
        ViewDataRequest req;
        req.channels = { ChannelKey { QStringLiteral("gen"), QStringLiteral("sig"), 0 } };
        req.from = 0;
        req.to = 2;
        req.path = m_dir.filePath(QStringLiteral("cancelled.csv"));
        ViewDataExportJob job(&m_store, req);
        job.cancel(); // before the first slab is written: the worker stops at its first report
        job.start();
        QVERIFY(job.isRunning());
        const ViewDataResult r = waitFor(&job);
        QVERIFY(!job.isRunning());
        QVERIFY(r.canceled);
        QVERIFY(!r.ok);
        QVERIFY(!QFile::exists(req.path));
        QVERIFY(!QFile::exists(req.path + QStringLiteral(".partial")));
    }

    void theDialogOffersTheCursorsFirst()
    {
        scope()->setCursorsVisible(true);
        bool seen = false, betweenChecked = false, saysFolder = false;
        QTimer::singleShot(0, this, [&] {
            QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QDialog *>(QApplication::activeModalWidget()), 10000);
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            seen = true;
            auto *between = dialog->findChild<QRadioButton *>(QStringLiteral("betweenCursors"));
            betweenChecked = between && between->isChecked();
            for (QLabel *l : dialog->findChildren<QLabel *>())
                saysFolder = saysFolder || l->text().contains(QStringLiteral("folder"));
#ifdef BS_SCREENSHOT_DIR
            dialog->grab().save(QStringLiteral(BS_SCREENSHOT_DIR "/view-data-export.png"));
#endif
            dialog->reject();
        });
        m_window->findChild<QAction *>(QStringLiteral("actionExportViewData"))->trigger();
        QVERIFY(seen);
        QVERIFY(betweenChecked);
        QVERIFY(saysFolder); // three channels of two streams
        scope()->setCursorsVisible(false);
    }
};

QTEST_MAIN(GuiViewExportTest)
#include "test_gui_view_export.moc"
