// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: docks follow the workspace, session round trip, bad session files refused with the
// current session intact, Run/Stop, status bar rates, recording start/stop.
#include "FakeSignalInstrument.h"

#include <AddInstrumentDialog.h>
#include <ChannelStyles.h>
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <ParameterEditor.h>
#include <RecordController.h>
#include <ScopeView.h>
#include <StatusMonitor.h>

#include <Recorder.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <qcustomplot.h>

#include <memory>

using namespace bs;

namespace {
const QString kFake = QString::fromLatin1(test::FakeSignalInstrument::kType);

SessionInstrument fakeEntry(const QString &id, const QJsonObject &params = {})
{
    return { id, kFake, id + QStringLiteral(" bench"), QStringLiteral("sim://") + id, params };
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}
} // namespace

class MainWindowTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TraceStore> m_store;
    std::unique_ptr<Recorder> m_recorder;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;

    QAction *action(const char *name) { return m_window->findChild<QAction *>(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_mainwindow"));
        test::FakeSignalInstrument::registerType();
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_store = std::make_unique<TraceStore>();
        m_recorder = std::make_unique<Recorder>();
        m_ws = std::make_unique<Workspace>();
        m_ws->addSink(m_store.get());
        m_ws->addSink(m_recorder.get());
        m_window = std::make_unique<MainWindow>(m_ws.get(), m_store.get(), m_recorder.get());
        m_window->resize(1200, 800);
        m_window->show();
    }

    void cleanup()
    {
        m_window.reset();
        m_ws.reset();
        m_recorder->stop();
        m_recorder.reset();
        m_store.reset();
    }

    void docksFollowTheWorkspace()
    {
        QString error;
        QVERIFY2(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error), qPrintable(error));
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake2")), &error));
        QVERIFY(m_window->panel(QStringLiteral("fake1")));
        QVERIFY(m_window->panel(QStringLiteral("fake2")));
        QCOMPARE(m_window->panel(QStringLiteral("fake1"))->windowTitle(), QStringLiteral("fake1 bench"));
        m_ws->removeInstrument(QStringLiteral("fake1"));
        QVERIFY(!m_window->panel(QStringLiteral("fake1")));
        QCOMPARE(m_window->panels().size(), 1);
    }

    void sessionRoundTrip()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(
            fakeEntry(QStringLiteral("fake1"), { { QStringLiteral("rate"), 500.0 } }), &error));
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake2")), &error));
        InstrumentHost *h2 = m_ws->instrument(QStringLiteral("fake2"));
        h2->setParameter(QStringLiteral("shape"), QStringLiteral("Square"));
        h2->setParameter(QStringLiteral("period"), 2e-3);
        QTRY_COMPARE(h2->parameters().stringValue(QStringLiteral("shape")), QStringLiteral("Square"));
        QTRY_COMPARE(h2->parameters().doubleValue(QStringLiteral("period")), 2e-3);
        ScopeView *scope = m_window->scopeView();
        scope->setSpan(4.0);
        scope->setFollow(false);
        const QString key
            = ChannelStyles::keyOf(QStringLiteral("fake2"), QStringLiteral("sig"), QStringLiteral("Sine"));
        scope->channelStyles()->setColor(key, QColor(QStringLiteral("#aa5500")));
        scope->channelStyles()->setVisible(key, false);
        SessionRecording rec;
        rec.format = QStringLiteral("csv");
        rec.baseName = QStringLiteral("run");
        rec.queueMiB = 64;
        m_window->recordController()->setSettings(rec);

        const Session before = m_window->currentSession();
        const QString path = m_dir.filePath(QStringLiteral("round") + Session::kSuffix);
        QVERIFY2(m_window->saveSessionFile(path, &error), qPrintable(error));
        QCOMPARE(m_window->sessionPath(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(QSettings().value(QStringLiteral("recentSessions")).toStringList().value(0),
            QFileInfo(path).absoluteFilePath());

        m_window->newSession();
        QVERIFY(m_ws->instruments().isEmpty());
        QVERIFY(m_window->panels().isEmpty());
        QCOMPARE(m_window->scopeView()->span(), 10.0);
        QVERIFY(m_window->scopeView()->channelStyles()->toJson().isEmpty());

        QVERIFY2(m_window->openSessionFile(path, &error), qPrintable(error));
        const Session after = m_window->currentSession();
        QCOMPARE(after.toJson(), before.toJson());
        QCOMPARE(m_ws->instruments().size(), 2);
        QCOMPARE(m_ws->instrument(QStringLiteral("fake2"))->parameters().stringValue(QStringLiteral("shape")),
            QStringLiteral("Square"));
        QCOMPARE(m_ws->instrument(QStringLiteral("fake1"))->parameters().doubleValue(QStringLiteral("rate")),
            500.0);
        QCOMPARE(m_window->panels().size(), 2);
        QCOMPARE(
            m_window->panel(QStringLiteral("fake2"))->editor(QStringLiteral("shape"))->value().toString(),
            QStringLiteral("Square"));
        QCOMPARE(m_window->scopeView()->span(), 4.0);
        QVERIFY(!m_window->scopeView()->follow());
        QCOMPARE(m_window->scopeView()->channelStyles()->style(key).color, QColor(QStringLiteral("#aa5500")));
        QVERIFY(!m_window->scopeView()->channelStyles()->style(key).visible);
        QCOMPARE(m_window->recordController()->settings().format, QStringLiteral("csv"));
        QCOMPARE(m_window->recordController()->settings().queueMiB, qint64(64));
    }

    void badSessionFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mentions");
        const QByteArray good
            = R"({"format":"benchscope-session","version":1,"instruments":[{"id":"x1","type":"fakesig","parameters":{"amplitude":2.0}}]})";
        QTest::newRow("not JSON") << QByteArray("{ this is not json") << QStringLiteral("JSON");
        QTest::newRow("wrong version")
            << QByteArray(good).replace("\"version\":1", "\"version\":7") << QStringLiteral("version");
        QTest::newRow("unknown type")
            << QByteArray(good).replace("fakesig", "warpdrive") << QStringLiteral("instruments[0].type");
        QTest::newRow("out of range")
            << QByteArray(good).replace("2.0", "99.0") << QStringLiteral("amplitude");
        QTest::newRow("unknown parameter")
            << QByteArray(good).replace("amplitude", "warp_factor") << QStringLiteral("warp_factor");
        QTest::newRow("id with a slash") << QByteArray(good).replace("\"x1\"", "\"x/1\"") << QStringLiteral("'x/1'");
        QByteArray many = R"({"format":"benchscope-session","version":1,"instruments":[)";
        for (int n = 1; n <= 65; ++n)
            many += QStringLiteral(R"(%1{"id":"x%2","type":"fakesig"})").arg(n > 1 ? QStringLiteral(",") : QString()).arg(n).toUtf8();
        QTest::newRow("65 instruments") << many + "]}" << QStringLiteral("at most 64");
    }

    void badSessionFilesAreRefused()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1"), { { QStringLiteral("rate"), 750.0 } }), &error));
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake2")), &error));
        m_ws->instrument(QStringLiteral("fake2"))->setParameter(QStringLiteral("shape"), QStringLiteral("Triangle"));
        QTRY_COMPARE(m_ws->instrument(QStringLiteral("fake2"))->parameters().stringValue(QStringLiteral("shape")),
            QStringLiteral("Triangle"));
        m_window->scopeView()->setSpan(3.0);
        m_window->scopeView()->setFollow(false);
        const QString key
            = ChannelStyles::keyOf(QStringLiteral("fake2"), QStringLiteral("sig"), QStringLiteral("Position"));
        m_window->scopeView()->channelStyles()->setColor(key, QColor(QStringLiteral("#123456")));
        m_window->scopeView()->channelStyles()->setVisible(key, false);
        SessionRecording rec;
        rec.format = QStringLiteral("csv");
        rec.baseName = QStringLiteral("kept");
        m_window->recordController()->setSettings(rec);
        const QVector<InstrumentHost *> hostsBefore = m_ws->instruments();
        const QJsonObject before = m_window->currentSession().toJson();
        const QString path = m_dir.filePath(QStringLiteral("bad.benchscope.json"));
        QVERIFY(writeFile(path, content));
        error.clear();
        QVERIFY(!m_window->openSessionFile(path, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
        // The whole workspace as it was: the same instruments (not re-created) with their
        // parameters, the colours, hidden channels, time span and follow mode, the recording settings.
        QCOMPARE(m_window->currentSession().toJson(), before);
        QCOMPARE(m_ws->instruments(), hostsBefore);
        QCOMPARE(m_ws->instrument(QStringLiteral("fake1"))->parameters().doubleValue(QStringLiteral("rate")), 750.0);
        QVERIFY(m_window->panel(QStringLiteral("fake1")) && m_window->panel(QStringLiteral("fake2")));
        QCOMPARE(m_window->scopeView()->span(), 3.0);
        QVERIFY(!m_window->scopeView()->follow());
        QCOMPARE(m_window->scopeView()->channelStyles()->style(key).color, QColor(QStringLiteral("#123456")));
        QVERIFY(!m_window->scopeView()->channelStyles()->style(key).visible);
        QCOMPARE(m_window->recordController()->settings().baseName, QStringLiteral("kept"));
    }

    void runStopToggles()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        InstrumentHost *h = m_ws->instrument(QStringLiteral("fake1"));
        QAction *run = action("actionRun");
        QVERIFY(run);
        QCOMPARE(run->shortcut(), QKeySequence(Qt::Key_F5)); // Space: see spaceActsOnTheFocusedControl
        run->trigger();
        QVERIFY(m_window->isRunning());
        QTRY_COMPARE(h->state(), Instrument::State::Running);
        QVERIFY(run->isChecked());
        QCOMPARE(run->text(), QStringLiteral("&Stop"));
        QTRY_VERIFY(
            m_window->scopeView()->traceCount() == 2 && m_window->scopeView()->maxPointsPerTrace() > 0);
        run->trigger();
        QTRY_COMPARE(h->state(), Instrument::State::Connected);
        QVERIFY(!m_window->isRunning());
        QCOMPARE(run->text(), QStringLiteral("&Run"));
        // Started from elsewhere (main.cpp --run): the action follows.
        m_ws->runAll();
        QTRY_VERIFY(m_window->isRunning());
        m_ws->stopAll();
        QTRY_VERIFY(!m_window->isRunning());
    }

    // A panel's own Run/Stop: one instrument begins the acquisition alone, another joins and
    // leaves it, the toolbar's Run/Stop and the panels' buttons follow.
    void panelRunStopsOneInstrument()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake2")), &error));
        InstrumentHost *h1 = m_ws->instrument(QStringLiteral("fake1"));
        InstrumentHost *h2 = m_ws->instrument(QStringLiteral("fake2"));
        auto runButton = [this](const char *id) {
            auto *panel = m_window->findChild<InstrumentPanel *>(QStringLiteral("panel_") + QLatin1String(id));
            return panel ? panel->findChild<QPushButton *>(QStringLiteral("runButton")) : nullptr;
        };
        QPushButton *run1 = runButton("fake1");
        QPushButton *run2 = runButton("fake2");
        QVERIFY(run1 && run2);
        QCOMPARE(run1->text(), QStringLiteral("Run"));
        QAction *run = action("actionRun");

        run1->click(); // connects fake1 first, then runs it alone
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Running, 20000);
        QVERIFY(m_window->isRunning());
        QCOMPARE(run->text(), QStringLiteral("&Stop"));
        QCOMPARE(run1->text(), QStringLiteral("Stop"));
        QCOMPARE(h2->state(), Instrument::State::Disconnected);
        QCOMPARE(run2->text(), QStringLiteral("Run"));
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld > 0, 20000);
        QCOMPARE(m_window->scopeView()->runMarkers().size(), 1);

        run2->click(); // joins
        QTRY_COMPARE_WITH_TIMEOUT(h2->state(), Instrument::State::Running, 20000);
        QCOMPARE(run2->text(), QStringLiteral("Stop"));
        run1->click(); // leaves: fake2 and the acquisition go on
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Connected, 20000);
        QCOMPARE(run1->text(), QStringLiteral("Run"));
        QCOMPARE(h2->state(), Instrument::State::Running);
        QVERIFY(m_window->isRunning());
        QCOMPARE(run->text(), QStringLiteral("&Stop"));

        run2->click(); // the last one: the acquisition ends
        QTRY_COMPARE_WITH_TIMEOUT(h2->state(), Instrument::State::Connected, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isRunning(), 20000);
        QCOMPARE(run->text(), QStringLiteral("&Run"));
        QVERIFY(!m_ws->isRunning());

        // The toolbar's Run starts both; a panel's Stop then takes one out.
        run->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(h1->state() == Instrument::State::Running && h2->state() == Instrument::State::Running, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(run1->text(), QStringLiteral("Stop"), 20000);
        run2->click();
        QTRY_COMPARE_WITH_TIMEOUT(h2->state(), Instrument::State::Connected, 20000);
        QVERIFY(m_window->isRunning());
        run->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Connected, 20000);
        QVERIFY(!m_window->isRunning());
    }

    // Issue 10.5: Run used to throw the plot history away; earlier runs stay on the timeline.
    void runKeepsEarlierRunsAndMarksThem()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        InstrumentHost *h = m_ws->instrument(QStringLiteral("fake1"));
        ScopeView *scope = m_window->scopeView();
        m_window->setRunning(true);
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld >= 200, 20000);
        m_window->setRunning(false);
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
        const TimeRange first = m_store->timeRange();
        const quint64 rows = m_store->stats().rowsHeld;
        QVERIFY(first.valid);
        QCOMPARE(scope->runMarkers().size(), 2);
        QVERIFY(scope->runMarkers().at(0).started);
        QVERIFY(!scope->runMarkers().at(1).started);

        m_window->setRunning(true);
        QVERIFY2(m_store->stats().rowsHeld >= rows, "Run cleared the display history");
        QCOMPARE(m_store->timeRange().first, first.first);
        QCOMPARE(scope->runMarkers().size(), 3);
        QVERIFY(scope->runMarkers().at(2).started);
        m_window->setRunning(false);
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
    }

    void clearEmptiesTheDisplayButNotWhileRecording()
    {
        QAction *clear = action("actionClearDisplay");
        QVERIFY(clear);
        QCOMPARE(clear->shortcut(), QKeySequence(QStringLiteral("Ctrl+L")));
        QVERIFY(m_window->findChild<QToolBar *>(QStringLiteral("mainToolBar"))->actions().contains(clear));
        QVERIFY(m_window->findChild<QMenu *>(QStringLiteral("menuView"))->actions().contains(clear));

        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        InstrumentHost *h = m_ws->instrument(QStringLiteral("fake1"));
        m_window->setRunning(true);
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld >= 200, 20000);
        m_window->setRunning(false);
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
        QVERIFY(m_window->scopeView()->runMarkers().size() >= 2);
        clear->trigger();
        QCOMPARE(m_store->stats().rowsHeld, quint64(0));
        QVERIFY(m_window->scopeView()->runMarkers().isEmpty());

        // While recording the recording's time must keep increasing: Clear is refused, and says so.
        SessionRecording rec;
        rec.directory = m_dir.filePath(QStringLiteral("clear-rec"));
        rec.baseName = QStringLiteral("clear");
        m_window->recordController()->setSettings(rec);
        action("actionRecord")->trigger();
        QVERIFY(m_window->recordController()->isRecording());
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld >= 100, 20000);
        QVERIFY(!clear->isEnabled());
        m_window->clearDisplay();
        QVERIFY(m_store->stats().rowsHeld >= 100);
        QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("recording")),
            qPrintable(m_window->statusBar()->currentMessage()));
        m_window->setRunning(false);
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
        action("actionRecord")->trigger();
        QTRY_VERIFY(!m_window->recordController()->isRecording());
        QVERIFY(clear->isEnabled());
    }

    // Space toggles a focused checkbox, not Run/Stop; on the plot (or with no input focused) it
    // is Run/Stop.
    void spaceActsOnTheFocusedControl()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        InstrumentHost *h = m_ws->instrument(QStringLiteral("fake1"));
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        auto *check = m_window->panel(QStringLiteral("fake1"))->findChild<QCheckBox *>(QStringLiteral("param_enabled"));
        QVERIFY(check);
        const bool before = check->isChecked();
        check->setFocus(Qt::OtherFocusReason);
        QTRY_VERIFY(check->hasFocus());
        QTest::keyClick(check, Qt::Key_Space);
        QCOMPARE(check->isChecked(), !before);
        QVERIFY2(!m_window->isRunning(), "Space on a checkbox started the acquisition");

        QWidget *plot = m_window->scopeView()->plot();
        plot->setFocus(Qt::OtherFocusReason);
        QTRY_VERIFY(plot->hasFocus());
        QTest::keyClick(plot, Qt::Key_Space);
        QVERIFY(m_window->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Running, 20000);
        QTest::keyClick(plot, Qt::Key_Space);
        QVERIFY(!m_window->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        QVERIFY(m_window->isRunning());
        m_window->setRunning(false);
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);

        // No widget has the focus: the key goes to the window, Space is Run/Stop.
        plot->clearFocus();
        QVERIFY(!QApplication::focusWidget());
        QTest::keyClick(m_window.get(), Qt::Key_Space);
        QVERIFY(m_window->isRunning());
        m_window->setRunning(false);
        QTRY_COMPARE_WITH_TIMEOUT(h->state(), Instrument::State::Connected, 20000);
    }

    void statusBarShowsRates()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        auto *rate = m_window->statusBar()->findChild<QLabel *>(QStringLiteral("rateLabel"));
        auto *lost = m_window->statusBar()->findChild<QLabel *>(QStringLiteral("lostLabel"));
        auto *states = m_window->statusBar()->findChild<QLabel *>(QStringLiteral("instrumentStates"));
        QVERIFY(rate && lost && states);
        QVERIFY(rate->text().contains(QStringLiteral("rows/s")));
        m_window->setRunning(true);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->statusMonitor()->rowsPerSecond() > 500, 5000);
        const QRegularExpression nonZero(QStringLiteral("^[1-9][0-9.]*( k)? rows/s"));
        QVERIFY2(nonZero.match(rate->text()).hasMatch(), qPrintable(rate->text()));
        // (the state arrives by its own queued signal, not with the rows: wait for it too)
        QTRY_VERIFY_WITH_TIMEOUT(states->text().contains(QStringLiteral("Running")), 10000);
        QCOMPARE(lost->text(), QStringLiteral("Lost: 0"));
        m_window->setRunning(false);
    }

    void recordStartsAndStops()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        SessionRecording rec;
        rec.directory = m_dir.filePath(QStringLiteral("recordings"));
        rec.baseName = QStringLiteral("bench");
        m_window->recordController()->setSettings(rec);
        QAction *record = action("actionRecord");
        QCOMPARE(record->shortcut(), QKeySequence(QStringLiteral("Ctrl+R")));
        record->trigger();
        QVERIFY(m_window->recordController()->isRecording());
        QVERIFY(m_window->isRunning()); // recording an idle bench would write nothing
        const QString path = m_window->recordController()->currentPath();
        QVERIFY2(QRegularExpression(QStringLiteral("/bench_\\d{8}-\\d{6}\\.h5$")).match(path).hasMatch(),
            qPrintable(path));
        InstrumentHost *host = m_ws->instrument(QStringLiteral("fake1"));
        QTRY_VERIFY_WITH_TIMEOUT(host->stats().samples >= 300, 20000);
        // A connection outage (as the reconnect logic posts it) shows next to the recording.
        InstrumentEvent outage;
        outage.kind = InstrumentEvent::Kind::ConnectionLost;
        host->postEvent(outage);
        outage.kind = InstrumentEvent::Kind::ConnectionRestored;
        host->postEvent(outage);
        auto *recLabel = m_window->statusBar()->findChild<QLabel *>(QStringLiteral("recordLabel"));
        QVERIFY(recLabel);
        QTRY_VERIFY_WITH_TIMEOUT(recLabel->text().contains(QStringLiteral("1 outage")), 20000);
        QVERIFY2(recLabel->toolTip().contains(QStringLiteral("fake1: 1 connection outage")), qPrintable(recLabel->toolTip()));
        m_window->setRunning(false); // no more blocks: the recording must hold exactly what arrived
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, 20000);
        record->trigger();
        QTRY_VERIFY(!m_window->recordController()->isRecording());
        QVERIFY(!record->isChecked());

        // File ▸ Export CSV… uses the same helper, off the GUI thread.
        QSignalSpy exported(m_window->recordController(), &RecordController::exportFinished);
        const QString outDir = m_dir.filePath(QStringLiteral("csv"));
        QVERIFY(m_window->recordController()->exportCsv(path, outDir));
        QTRY_COMPARE(exported.count(), 1);
        QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(2).toString()));
        const QStringList files = exported.first().at(1).toStringList();
        QCOMPARE(files, QStringList{ QDir(outDir).filePath(QStringLiteral("fake1_sig.csv")) });
        QFile csv(files.first());
        QVERIFY(csv.open(QIODevice::ReadOnly));
        qsizetype rows = 0;
        QByteArray last;
        for (const QByteArray &line : csv.readAll().split('\n')) {
            if (!line.isEmpty() && !line.startsWith('#') && !line.startsWith("time_s"))
                ++rows;
            if (!line.isEmpty())
                last = line;
        }
        QCOMPARE(quint64(rows), host->stats().samples); // every sample that arrived, no more
        QVERIFY2(last.startsWith(QStringLiteral("# end: samples=%1 dropped=0 device_lost=0 overflow_blocks=0 stops=1 restarts=0 "
                                                "outages=1 outage_s=").arg(rows).toUtf8()), last.constData());
    }

    void addInstrumentDialog()
    {
        AddInstrumentDialog dialog(m_ws.get());
        dialog.setType(kFake);
        const SessionInstrument e = dialog.entry();
        QCOMPARE(e.type, kFake);
        QCOMPARE(e.id, QStringLiteral("fakesig-1")); // issue 10: readable, not a model number
        QCOMPARE(e.address, QStringLiteral("sim://fake"));
        auto *combo = dialog.findChild<QComboBox *>(QStringLiteral("typeCombo"));
        QVERIFY(combo->findText(QStringLiteral("Fake signal generator (tests)")) >= 0);
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("addressHelp"))->text(),
            QStringLiteral("Any text; the fake ignores it"));
        QString error;
        QVERIFY(m_ws->addInstrument(e, &error));
        AddInstrumentDialog second(m_ws.get());
        second.setType(kFake);
        QCOMPARE(second.entry().id, QStringLiteral("fakesig-2"));
    }
};

QTEST_MAIN(MainWindowTest)
#include "test_gui_mainwindow.moc"
