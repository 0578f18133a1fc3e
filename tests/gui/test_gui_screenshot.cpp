// SPDX-License-Identifier: GPL-3.0-or-later
// Saves a PNG of the main window with live data from two fake instruments to the build
// directory (benchscope-main.png; benchscope-empty.png before any instrument is added).
#include "FakeSignalInstrument.h"

#include <ChannelStyles.h>
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <MeasurementsPanel.h>
#include <WelcomeWidget.h>
#include <ScopeView.h>

#include <Recorder.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QDir>
#include <QDockWidget>
#include <QStandardPaths>
#include <QTest>

using namespace bs;

class ScreenshotTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_screenshot"));
        test::FakeSignalInstrument::registerType();
    }

    void mainWindowWithLiveData()
    {
        TraceStore store;
        Recorder recorder;
        Workspace ws;
        ws.addSink(&store);
        ws.addSink(&recorder);
        MainWindow window(&ws, &store, &recorder);
        window.resize(1440, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // The first thing a technician sees: the first screen (demo, recent sessions, Add
        // Instrument) in place of the empty scope.
        QTest::qWait(100);
        const QDir out(QStringLiteral(BS_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(out.filePath(QStringLiteral("benchscope-empty.png"))));
        window.scopeView()->refresh(); // hidden behind the first screen, the scope's timer pulls nothing
        QVERIFY(window.scopeView()->emptyText().startsWith(QStringLiteral("Add an instrument or press Run")));
        QVERIFY(window.welcomeWidget()->isVisible());

        const QString kFake = QString::fromLatin1(test::FakeSignalInstrument::kType);
        QString error;
        QVERIFY2(ws.addInstrument({ QStringLiteral("gen1"), kFake, QStringLiteral("Signal generator"),
                                      QStringLiteral("sim://gen1"), { { QStringLiteral("period"), 0.8 } } },
                     &error),
            qPrintable(error));
        QVERIFY(ws.addInstrument(
            { QStringLiteral("stage1"), kFake, QStringLiteral("Piezo stage"), QStringLiteral("sim://stage1"),
                { { QStringLiteral("shape"), QStringLiteral("Triangle") },
                    { QStringLiteral("amplitude"), 0.5 } } },
            &error));
        // Show the stage's position but not its second sine, to keep the picture readable.
        window.scopeView()->channelStyles()->setVisible(
            ChannelStyles::keyOf(QStringLiteral("stage1"), QStringLiteral("sig"), QStringLiteral("Position")),
            false);
        window.scopeView()->setSpan(5.0);
        window.panel(QStringLiteral("gen1"))->raise();
        window.setRunning(true);
        QTRY_VERIFY_WITH_TIMEOUT(window.scopeView()->traceCount() >= 3, 5000);
        QTest::qWait(3000);

        const QString path = out.filePath(QStringLiteral("benchscope-main.png"));
        QVERIFY(window.grab().save(path));
        qInfo("screenshot: %s", qPrintable(path));

        // The scope as a scope: Triggered on the generator's first channel, cursors, and the
        // Measurements and Spectrum docks open (benchscope-analysis.png).
        ScopeView *scope = window.scopeView();
        const QString source = scope->shownChannels().first().styleKey;
        ScopeSettings::Trigger trigger;
        trigger.channel = source;
        trigger.settings.hysteresis = 0.05;
        trigger.prePercent = 20;
        scope->setSpan(2.0);
        scope->setTriggerSettings(trigger);
        scope->setTriggered(true);
        for (const char *dock : { "measurementsDock", "spectrumDock" }) {
            auto *d = window.findChild<QDockWidget *>(QLatin1String(dock));
            QVERIFY(d);
            d->show();
        }
        QTRY_VERIFY_WITH_TIMEOUT(scope->shownFrame().has_value(), 20000);
        const TriggerFrame frame = *scope->shownFrame();
        scope->setCursorsVisible(true);
        scope->setTimeCursors(frame.from + 0.25 * (frame.to - frame.from), frame.from + 0.65 * (frame.to - frame.from));
        QTRY_VERIFY_WITH_TIMEOUT(window.measurementsPanel()->resultsShown() > 0, 20000);
        QTest::qWait(1500);
        const QString analysis = out.filePath(QStringLiteral("benchscope-analysis.png"));
        QVERIFY(window.grab().save(analysis));
        qInfo("screenshot: %s", qPrintable(analysis));
        window.setRunning(false);
        ws.clear();
    }
};

QTEST_MAIN(ScreenshotTest)
#include "test_gui_screenshot.moc"
