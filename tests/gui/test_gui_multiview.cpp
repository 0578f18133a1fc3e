// SPDX-License-Identifier: GPL-3.0-or-later
// Several scope views in the main window: each with its own channels, lanes and span, all saved in
// the session and restored (same JSON after a round trip, old and junk entries lenient); the
// Measurements dock follows the view last clicked and goes back to the central one when that view
// is closed; a view tabbed behind another does not replot. Waits are for results, with generous
// bounds; nothing asserts a duration. Writes multiview.png (two views split) into the build directory.
#include "FakeSignalInstrument.h"

#include <ChannelListWidget.h>
#include <ChannelStyles.h>
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <MeasurementsPanel.h>
#include <ScopeView.h>
#include <ScopeViewDock.h>
#include <SpectrumPanel.h>

#include <Recorder.h>
#include <TraceStore.h>
#include <Workspace.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <qcustomplot.h>

#include <cmath>
#include <memory>
#include <numbers>

using namespace bs;

namespace {
const QString kFake = QString::fromLatin1(test::FakeSignalInstrument::kType);

SessionInstrument fakeEntry(const QString &id)
{
    return { id, kFake, id + QStringLiteral(" bench"), QStringLiteral("sim://") + id, {} };
}

/// One block of a 5 Hz, 1 V sine ("Sine", V) and a slow ramp ("Ramp", µm) of "gen/sig", 1 ms apart.
void feedBlock(TraceStore &store, std::uint64_t first, std::size_t n)
{
    auto b = SampleBlock::make(QStringLiteral("gen"), QStringLiteral("sig"), 2, n, false);
    b->dt = 1e-3;
    b->firstIndex = first;
    b->t0 = double(first) * 1e-3;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(first + i) * 1e-3;
        b->channel(0)[i] = std::sin(2 * std::numbers::pi * 5 * t);
        b->channel(1)[i] = 10.0 * t;
    }
    store.consume(b);
}

void declare(TraceStore &store)
{
    StreamInfo s;
    s.id = QStringLiteral("sig");
    s.regular = true;
    s.channels = { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
        ChannelInfo { QStringLiteral("Ramp"), QStringLiteral("µm"), {}, true, {} } };
    store.setStreams(QStringLiteral("gen"), { s });
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QList<QJsonObject> scopeEntries(const QJsonObject &session)
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : session.value(QStringLiteral("views")).toArray())
        if (v.toObject().value(QStringLiteral("type")).toString() == QLatin1String("scope"))
            out.append(v.toObject());
    return out;
}

void deleteClosedDocks()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
}
} // namespace

class MultiViewTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TraceStore> m_store;
    std::unique_ptr<Recorder> m_recorder;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_multiview"));
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
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_ws.reset();
        m_recorder->stop();
        m_recorder.reset();
        m_store.reset();
    }

    // Two more views, each with its own hidden channels, lanes, span and title, two of them tabbed:
    // saved, a new session, opened again: the same views, and saving again gives the same JSON.
    void viewsRoundTrip()
    {
        QString error;
        QVERIFY2(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error), qPrintable(error));
        const QString sine = ChannelStyles::keyOf(QStringLiteral("fake1"), QStringLiteral("sig"), QStringLiteral("Sine"));
        ScopeView *central = m_window->scopeView();
        central->setSpan(4.0);
        ScopeView *second = m_window->addScopeView();
        ScopeView *third = m_window->addScopeView();
        QCOMPARE(m_window->scopeViews().size(), 3);
        QCOMPARE(m_window->scopeTitle(central), QStringLiteral("Scope 1"));
        QCOMPARE(m_window->scopeTitle(second), QStringLiteral("Scope 2"));
        QCOMPARE(m_window->scopeTitle(third), QStringLiteral("Scope 3"));
        QCOMPARE(m_window->currentScope(), third); // a new view is the current one
        m_window->scopeDock(second)->setTitle(QStringLiteral("Encoder"));
        second->channelStyles()->setVisible(sine, false);
        second->setLanes(ScopeSettings::Lanes::PerInstrument);
        second->setSpan(0.5);
        third->setLanes(ScopeSettings::Lanes::Single);
        third->setSpan(20.0);
        third->channelStyles()->setColor(sine, QColor(QStringLiteral("#aa5500")));
        m_window->tabifyDockWidget(m_window->scopeDock(second), m_window->scopeDock(third));
        QVERIFY(central->channelStyles()->style(sine).visible); // each view its own styles

        const QString path = m_dir.filePath(QStringLiteral("views.benchscope.json"));
        QVERIFY2(m_window->saveSessionFile(path, &error), qPrintable(error));
        const QJsonObject saved = readJson(path);
        const QList<QJsonObject> entries = scopeEntries(saved);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[1].value(QStringLiteral("title")).toString(), QStringLiteral("Encoder"));
        QCOMPARE(entries[2].value(QStringLiteral("tab_of")).toInt(), 1);
        QCOMPARE(entries[1].value(QStringLiteral("area")).toString(), QStringLiteral("top"));

        m_window->newSession();
        QCOMPARE(m_window->scopeViews().size(), 1);
        QVERIFY(m_window->openSessionFile(path, &error));
        const QList<ScopeView *> views = m_window->scopeViews();
        QCOMPARE(views.size(), 3);
        QCOMPARE(m_window->scopeTitle(views[1]), QStringLiteral("Encoder"));
        QCOMPARE(m_window->scopeTitle(views[2]), QStringLiteral("Scope 3"));
        QCOMPARE(views[0]->span(), 4.0);
        QCOMPARE(views[1]->span(), 0.5);
        QCOMPARE(views[2]->span(), 20.0);
        QCOMPARE(views[1]->lanes(), ScopeSettings::Lanes::PerInstrument);
        QCOMPARE(views[2]->lanes(), ScopeSettings::Lanes::Single);
        QVERIFY(!views[1]->channelStyles()->style(sine).visible);
        QVERIFY(views[0]->channelStyles()->style(sine).visible);
        QCOMPARE(views[2]->channelStyles()->style(sine).color, QColor(QStringLiteral("#aa5500")));
        QVERIFY(m_window->tabifiedDockWidgets(m_window->scopeDock(views[1])).contains(m_window->scopeDock(views[2])));

        const QString again = m_dir.filePath(QStringLiteral("again.benchscope.json"));
        QVERIFY(m_window->saveSessionFile(again, &error));
        QCOMPARE(QJsonDocument(readJson(again)).toJson(), QJsonDocument(saved).toJson());
    }

    // A session of an older BenchScope (one scope entry, no title) opens with one view; junk in
    // the views' titles and places falls back to defaults.
    void oldAndJunkEntries()
    {
        Session old;
        old.instruments = { fakeEntry(QStringLiteral("fake1")) };
        old.views = QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("scope") }, { QStringLiteral("span_s"), 2.0 } } };
        QString error;
        QVERIFY2(m_window->applySession(old, &error), qPrintable(error));
        QCOMPARE(m_window->scopeViews().size(), 1);
        QCOMPARE(m_window->scopeView()->span(), 2.0);
        QCOMPARE(m_window->scopeTitle(m_window->scopeView()), QStringLiteral("Scope 1"));

        Session junk = old;
        junk.views = QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("scope") }, { QStringLiteral("title"), 5 } },
            QJsonObject { { QStringLiteral("type"), QStringLiteral("scope") }, { QStringLiteral("title"), QJsonArray {} },
                { QStringLiteral("area"), QStringLiteral("nowhere") }, { QStringLiteral("tab_of"), 7 },
                { QStringLiteral("floating"), QStringLiteral("yes") }, { QStringLiteral("span_s"), -3 } },
            QJsonObject { { QStringLiteral("type"), QStringLiteral("scope") }, { QStringLiteral("title"), QStringLiteral("  ") },
                { QStringLiteral("tab_of"), 1 } } };
        QVERIFY2(m_window->applySession(junk, &error), qPrintable(error));
        const QList<ScopeView *> views = m_window->scopeViews();
        QCOMPARE(views.size(), 3);
        QCOMPARE(m_window->scopeTitle(views[0]), QStringLiteral("Scope 1"));
        QCOMPARE(m_window->scopeTitle(views[1]), QStringLiteral("Scope 2"));
        QCOMPARE(m_window->scopeTitle(views[2]), QStringLiteral("Scope 3"));
        QCOMPARE(m_window->dockWidgetArea(m_window->scopeDock(views[1])), Qt::TopDockWidgetArea);
        QVERIFY(!m_window->scopeDock(views[1])->isFloating());
        QVERIFY(views[1]->span() > 0);
        QVERIFY(m_window->tabifiedDockWidgets(m_window->scopeDock(views[1])).contains(m_window->scopeDock(views[2])));
    }

    // Measurements, Spectrum and the channel lists follow the view last clicked; closing that view
    // sends them back to the central one, with no crash and new results.
    void analysisFollowsTheCurrentView()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        declare(*m_store);
        feedBlock(*m_store, 0, 2000);
        ScopeView *central = m_window->scopeView();
        ScopeView *second = m_window->addScopeView();
        ScopeViewDock *dock = m_window->scopeDock(second);
        QVERIFY(dock);
        QCOMPARE(m_window->measurementsPanel()->scope(), second);
        QCOMPARE(m_window->spectrumPanel()->scope(), second);

        QTest::mouseClick(central->controls(), Qt::LeftButton, {}, QPoint(2, 2));
        QCOMPARE(m_window->currentScope(), central);
        QCOMPARE(m_window->measurementsPanel()->scope(), central);
        QTest::mouseClick(second->controls(), Qt::LeftButton, {}, QPoint(2, 2));
        QCOMPARE(m_window->currentScope(), second);
        QCOMPARE(m_window->measurementsPanel()->scope(), second);
        QVERIFY2(m_window->findChild<MeasurementsPanel *>()->parentWidget()->windowTitle().contains(QStringLiteral("Scope 2")),
            qPrintable(m_window->findChild<MeasurementsPanel *>()->parentWidget()->windowTitle()));
        InstrumentPanel *panel = m_window->panel(QStringLiteral("fake1"));
        QCOMPARE(panel->channelList()->styles(), second->channelStyles());

        // One action per one-key shortcut is live in the window: the current view's.
        QHash<QKeySequence, QString> live;
        for (QAction *a : m_window->findChildren<QAction *>())
            if (a->shortcutContext() == Qt::WindowShortcut || a->shortcutContext() == Qt::ApplicationShortcut)
                for (const QKeySequence &k : a->shortcuts()) {
                    QVERIFY2(!live.contains(k), qPrintable(k.toString()));
                    live.insert(k, a->objectName());
                }
        QCOMPARE(m_window->findChild<QAction *>(QStringLiteral("actionNewScopeView"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+T")));

        // Measure the second view, then close it while the panel follows it.
        QDockWidget *measurements = qobject_cast<QDockWidget *>(m_window->measurementsPanel()->parentWidget());
        QVERIFY(measurements);
        measurements->show();
        MeasurementsPanel *mp = m_window->measurementsPanel();
        QVERIFY(QTest::qWaitFor([&] { return mp->resultsShown() > 0; }, 20000));
        QVERIFY(dock->close());
        QCOMPARE(m_window->currentScope(), central);
        QCOMPARE(mp->scope(), central);
        QCOMPARE(m_window->spectrumPanel()->scope(), central);
        QCOMPARE(panel->channelList()->styles(), central->channelStyles());
        QPointer<ScopeViewDock> gone(dock);
        deleteClosedDocks();
        QVERIFY(gone.isNull()); // the view and its state are gone
        QCOMPARE(m_window->scopeViews().size(), 1);
        QCOMPARE(measurements->windowTitle(), QStringLiteral("Measurements"));
        const quint64 before = mp->resultsShown();
        feedBlock(*m_store, 2000, 500);
        QVERIFY(QTest::qWaitFor([&] { return mp->resultsShown() > before; }, 20000));
        QVERIFY(mp->table()->rowCount() > 0);
    }

    // A view tabbed behind another pulls and replots nothing; shown again, it catches up.
    void hiddenViewDoesNotReplot()
    {
        declare(*m_store);
        std::uint64_t next = 0;
        feedBlock(*m_store, next, 1000);
        next += 1000;
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error)); // the scope instead of the first screen
        ScopeView *back = m_window->addScopeView();
        ScopeView *front = m_window->addScopeView();
        m_window->tabifyDockWidget(m_window->scopeDock(back), m_window->scopeDock(front));
        m_window->scopeDock(front)->raise();
        // QMainWindow keeps a dock tabbed behind another "visible", moved outside the window.
        QTRY_VERIFY_WITH_TIMEOUT(back->plot()->visibleRegion().isEmpty() && !front->plot()->visibleRegion().isEmpty(), 10000);
        QTest::qWait(100);
        const quint64 backReplots = back->replotCount();
        const quint64 frontReplots = front->replotCount();
        const quint64 centralReplots = m_window->scopeView()->replotCount();
        for (int i = 0; i < 5; ++i) { // new data: the visible views replot, the hidden one does not
            feedBlock(*m_store, next, 100);
            next += 100;
            const quint64 seen = front->replotCount();
            QTRY_VERIFY_WITH_TIMEOUT(front->replotCount() > seen, 10000);
        }
        QVERIFY(front->replotCount() > frontReplots);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->scopeView()->replotCount() > centralReplots, 10000);
        QCOMPARE(back->replotCount(), backReplots);

        m_window->scopeDock(back)->raise();
        QTRY_VERIFY_WITH_TIMEOUT(!back->plot()->visibleRegion().isEmpty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(back->replotCount() > backReplots, 10000);
    }

    // A double-click on a view's title renames it (instead of floating it); blanks keep the name.
    void renameByDoubleClickOnTheTitle()
    {
        ScopeView *v = m_window->addScopeView();
        ScopeViewDock *dock = m_window->scopeDock(v);
        QTRY_VERIFY_WITH_TIMEOUT(dock->isVisible() && v->geometry().top() > 4, 10000);
        QString answer = QStringLiteral("  Beam   current ");
        QTimer answerer;
        connect(&answerer, &QTimer::timeout, this, [&answer] {
            if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
                dialog->setTextValue(answer);
                dialog->accept();
            }
        });
        answerer.start(20);
        QTest::mouseDClick(dock, Qt::LeftButton, {}, QPoint(30, v->geometry().top() / 2));
        QTRY_COMPARE_WITH_TIMEOUT(dock->title(), QStringLiteral("Beam current"), 10000);
        QVERIFY(!dock->isFloating());
        QCOMPARE(m_window->scopeTitle(v), QStringLiteral("Beam current"));
        answer = QStringLiteral("   ");
        QTest::mouseDClick(dock, Qt::LeftButton, {}, QPoint(30, v->geometry().top() / 2));
        QCOMPARE(dock->title(), QStringLiteral("Beam current"));
        // The current view's content keeps its own font (only the title is bold).
        QVERIFY(dock->font().bold());
        QVERIFY(!v->font().bold());
    }

    // The picture: the central view and a second one split above it, the Measurements dock on the second.
    void screenshot()
    {
        QString error;
        QVERIFY(m_ws->addInstrument(fakeEntry(QStringLiteral("fake1")), &error));
        declare(*m_store);
        feedBlock(*m_store, 0, 4000);
        ScopeView *central = m_window->scopeView();
        const QString ramp = ChannelStyles::keyOf(QStringLiteral("gen"), QStringLiteral("sig"), QStringLiteral("Ramp"));
        central->setSpan(4.0);
        central->refresh(); // its channels get their colours, which the new view copies
        ScopeView *second = m_window->addScopeView();
        QCOMPARE(second->channelStyles()->toJson(), central->channelStyles()->toJson());
        m_window->scopeDock(second)->setTitle(QStringLiteral("Sine close-up"));
        second->channelStyles()->setVisible(ramp, false);
        second->setSpan(0.5);
        QDockWidget *measurements = qobject_cast<QDockWidget *>(m_window->measurementsPanel()->parentWidget());
        measurements->show();
        m_window->resizeDocks({ m_window->scopeDock(second) }, { 330 }, Qt::Vertical);
        MeasurementsPanel *mp = m_window->measurementsPanel();
        QVERIFY(QTest::qWaitFor([&] { return mp->resultsShown() > 0; }, 20000));
        QTRY_VERIFY_WITH_TIMEOUT(second->replotCount() > 0 && central->replotCount() > 0, 10000);
        QTest::qWait(300);
        const QString out = QStringLiteral(BS_SCREENSHOT_DIR "/multiview.png");
        QVERIFY(m_window->grab().save(out));
    }
};

QTEST_MAIN(MultiViewTest)
#include "test_gui_multiview.moc"
