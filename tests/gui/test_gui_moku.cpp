// SPDX-License-Identifier: GPL-3.0-or-later
// The Moku Datalogger in the main window: the real driver against the in-process simulator, its
// NDJSON stream read through the `bridge` setting. The panel shows model and MokuOS and only the
// inputs and outputs the model has; a setting is read back, a value the model cannot take is
// refused under its field; Run plots input 1 seeing output 1's sine; Take over asks first, quoting
// the Moku's message; the on-device log shows its progress and lands in the download folder; the
// settings survive a session saved and opened; the demo's Moku streams. Saves moku-panel.png and
// moku-panel-full.png in the build directory.
#include <InstrumentPanel.h>
#include <MainWindow.h>
#include <ParameterEditor.h>
#include <RecordController.h>
#include <CollapsibleGroupBox.h>

#include <DemoBench.h>
#include <InstrumentHost.h>
#include <MokuSimulator.h>
#include <Recorder.h>
#include <Session.h>
#include <SimulatorThread.h>
#include <TraceStore.h>
#include <Workspace.h>
#include <registry.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace bs;
using bs::moku::MokuSimulator;

namespace {
constexpr int kWaitMs = 20000;

bool choose(QComboBox *cb, const QString &text)
{
    const int target = cb ? cb->findText(text) : -1;
    if (target < 0)
        return false;
    cb->setCurrentIndex(target);
    Q_EMIT cb->activated(target);
    return true;
}

QString labelText(InstrumentPanel *panel, const QString &key)
{
    ParameterEditor *e = panel ? panel->editor(key) : nullptr;
    auto *l = e ? qobject_cast<QLabel *>(e->widget()) : nullptr;
    return l ? l->text() : QStringLiteral("<no label for %1>").arg(key);
}

/// Answers the next dialog named `name` with its button `button`; `text` gets the dialog's text.
void answerDialog(const QString &name, const QString &button, QString *text)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [=] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != name)
            return;
        *text = box->text();
        box->grab().save(QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(name + QStringLiteral(".png")));
        if (auto *b = box->findChild<QPushButton *>(button))
            b->click();
        timer->deleteLater();
    });
    timer->start();
}
} // namespace

class MokuPanelTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimulatorThread> m_sim;
    std::unique_ptr<TraceStore> m_store;
    std::unique_ptr<Recorder> m_recorder;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    quint16 m_bridgePort = 0;

    void startSimulator(moku::Model model = moku::Model::Go, quint16 port = 0)
    {
        MokuSimulator::Config cfg;
        cfg.model = model;
        cfg.port = port;
        cfg.deployDelay = 0.2;
        cfg.bridgePort = 0;
        cfg.idleTimeout = 30; // a loaded machine may start reading later than the device's 2 s
        m_sim = std::make_unique<SimulatorThread>(QStringLiteral("moku-sim"), [cfg] { return new MokuSimulator(cfg); });
        m_sim->call([this](QObject *o) {
            auto *s = static_cast<MokuSimulator *>(o);
            QString error;
            if (s->start(&error)) {
                m_port = s->port();
                m_bridgePort = s->bridgePort();
            } else {
                qWarning("Moku simulator: %s", qPrintable(error));
            }
        });
    }

    SessionInstrument entry() const
    {
        SessionInstrument e;
        e.id = QStringLiteral("moku-1");
        e.type = QStringLiteral("moku");
        e.name = QStringLiteral("Moku");
        e.address = QStringLiteral("127.0.0.1:%1").arg(m_port);
        e.parameters = QJsonObject{{QStringLiteral("bridge"), QStringLiteral("127.0.0.1:%1").arg(m_bridgePort)},
                                   {QStringLiteral("download_folder"), m_dir.filePath(QStringLiteral("logs"))}};
        return e;
    }

    InstrumentHost *addMoku(bool connect = true)
    {
        QString error;
        InstrumentHost *host = m_ws->addInstrument(entry(), &error);
        if (!host) {
            qWarning("%s", qPrintable(error));
            return nullptr;
        }
        if (connect)
            host->open();
        return host;
    }
    InstrumentPanel *panel() const { return m_window->panel(QStringLiteral("moku-1")); }
    CollapsibleGroupBox *group(const QString &name) const
    {
        return panel() ? panel()->findChild<CollapsibleGroupBox *>(QStringLiteral("group_") + name) : nullptr;
    }

    /// Another program (the Moku app, a script) claims the Moku first.
    bool claimByAnotherClient()
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/api/moku/claim_ownership").arg(m_port)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = nam.post(req, QByteArrayLiteral("{\"force_connect\":true}"));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, kWaitMs))
            return false;
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return o.value(QStringLiteral("success")).toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BenchScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_gui_moku"));
        registerBuiltinDrivers();
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
        m_window->resize(1600, 1000);
        m_window->show();
    }

    void cleanup()
    {
        m_window.reset();
        m_ws.reset();
        m_recorder->stop();
        m_recorder.reset();
        m_store.reset();
        m_sim.reset();
        m_port = 0;
        m_bridgePort = 0;
    }

    void panelShowsTheModelAndOnlyItsChannels()
    {
        startSimulator(moku::Model::Go);
        QVERIFY(m_port && m_bridgePort);
        InstrumentHost *host = addMoku(false);
        QVERIFY(host && panel());
        // Not connected: inputs and outputs 1–2 only; outputs Off and the log folded.
        QVERIFY(!group(QStringLiteral("Input 1"))->isHidden());
        QVERIFY(group(QStringLiteral("Input 3"))->isHidden());
        QVERIFY(group(QStringLiteral("Output 3"))->isHidden());
        QVERIFY(group(QStringLiteral("Output 1"))->isCollapsed());
        QVERIFY(group(QStringLiteral("Logging"))->isCollapsed());
        QVERIFY(!group(QStringLiteral("Acquisition"))->isCollapsed());
        host->open();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(labelText(panel(), QStringLiteral("model")), QStringLiteral("Moku:Go"), kWaitMs);
        QCOMPARE(labelText(panel(), QStringLiteral("mokuos")), QStringLiteral("4.0.1"));
        QVERIFY(group(QStringLiteral("Input 3"))->isHidden());
        QVERIFY(group(QStringLiteral("Output 8"))->isHidden());
        // A Moku:Go has no output termination and no input bandwidth setting.
        QVERIFY(!panel()->editor(QStringLiteral("out1_termination"))->widget()->isEnabled());
        QVERIFY(!panel()->editor(QStringLiteral("in1_bandwidth"))->widget()->isEnabled());
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
        host->close();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Disconnected, kWaitMs);

        // A Moku:Pro: four inputs and outputs.
        m_window->newSession();
        startSimulator(moku::Model::Pro);
        QVERIFY(m_port);
        host = addMoku();
        QVERIFY(host && panel());
        QTRY_COMPARE_WITH_TIMEOUT(labelText(panel(), QStringLiteral("model")), QStringLiteral("Moku:Pro"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!group(QStringLiteral("Input 4"))->isHidden(), kWaitMs);
        QVERIFY(!group(QStringLiteral("Output 4"))->isHidden());
        QVERIFY(group(QStringLiteral("Input 5"))->isHidden());
    }

    void settingsAreReadBackAndRefusalsShown()
    {
        startSimulator();
        InstrumentHost *host = addMoku();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        // The sample rate as the Moku set it.
        host->setParameter(QStringLiteral("rate"), 2000.0);
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().doubleValue(QStringLiteral("actual_rate")), 2000.0, kWaitMs);
        // The lists speak a technician's words and offer what a Moku:Go takes: 1 MΩ only, 10 or
        // 50 Vpp; the session and the Moku keep the API's words.
        auto items = [](QComboBox *cb) {
            QStringList out;
            for (int i = 0; cb && i < cb->count(); ++i)
                out << cb->itemText(i);
            return out;
        };
        auto *impedance = qobject_cast<QComboBox *>(panel()->editor(QStringLiteral("in1_impedance"))->widget());
        auto *range = qobject_cast<QComboBox *>(panel()->editor(QStringLiteral("in1_range"))->widget());
        QTRY_COMPARE_WITH_TIMEOUT(items(impedance), QStringList{QStringLiteral("1 MΩ")}, kWaitMs);
        QCOMPARE(items(range), (QStringList{QStringLiteral("10 Vpp"), QStringLiteral("50 Vpp")}));
        QCOMPARE(impedance->currentText(), QStringLiteral("1 MΩ"));
        QVERIFY(choose(range, QStringLiteral("50 Vpp")));
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().stringValue(QStringLiteral("in1_range")), QStringLiteral("50Vpp"),
                                  kWaitMs);
        QCOMPARE(range->currentText(), QStringLiteral("50 Vpp"));
        auto *mode = qobject_cast<QComboBox *>(panel()->editor(QStringLiteral("mode"))->widget());
        QVERIFY(items(mode).contains(QStringLiteral("Peak detect")));
        // 50 Ω asked for anyway (a script, a session): refused under the field, naming the model
        // and what it offers; the field keeps 1 MΩ.
        host->setParameter(QStringLiteral("in1_impedance"), QStringLiteral("50Ohm"));
        QTRY_VERIFY_WITH_TIMEOUT(!panel()->editor(QStringLiteral("in1_impedance"))->problem().isEmpty(), kWaitMs);
        const QString problem = panel()->editor(QStringLiteral("in1_impedance"))->problem();
        QVERIFY2(problem.contains(QLatin1String("Moku:Go")) && problem.contains(QStringLiteral("1 MΩ")), qPrintable(problem));
        QCOMPARE(impedance->currentText(), QStringLiteral("1 MΩ"));
        QCOMPARE(host->parameters().stringValue(QStringLiteral("in1_impedance")), QStringLiteral("1MOhm"));
        // A Moku:Lab offers both, and no Peak detect.
        host->close();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Disconnected, kWaitMs);
        m_window->newSession();
        startSimulator(moku::Model::Lab);
        host = addMoku();
        QVERIFY(host && panel());
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        impedance = qobject_cast<QComboBox *>(panel()->editor(QStringLiteral("in1_impedance"))->widget());
        mode = qobject_cast<QComboBox *>(panel()->editor(QStringLiteral("mode"))->widget());
        QTRY_COMPARE_WITH_TIMEOUT(items(impedance), (QStringList{QStringLiteral("1 MΩ"), QStringLiteral("50 Ω")}), kWaitMs);
        QCOMPARE(items(mode), (QStringList{QStringLiteral("Normal"), QStringLiteral("Precision")}));
        QVERIFY(choose(impedance, QStringLiteral("50 Ω")));
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().stringValue(QStringLiteral("in1_impedance")), QStringLiteral("50Ohm"),
                                  kWaitMs);
        // An output switched on opens its settings.
        host->setParameter(QStringLiteral("out1_type"), QStringLiteral("Square"));
        QTRY_VERIFY_WITH_TIMEOUT(panel()->editor(QStringLiteral("out1_duty"))->widget()->isEnabled(), kWaitMs);
    }

    void runPlotsInputOneSeeingOutputOne()
    {
        startSimulator();
        InstrumentHost *host = addMoku();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        host->setParameter(QStringLiteral("rate"), 1000.0);
        host->setParameter(QStringLiteral("out1_type"), QStringLiteral("DC"));
        host->setParameter(QStringLiteral("out1_dc_level"), 1.5);
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().doubleValue(QStringLiteral("out1_dc_level")), 1.5, kWaitMs);
        // The panel's own Run starts the stream (the toolbar's Run would start every instrument).
        auto *run = panel()->findChild<QPushButton *>(QStringLiteral("runButton"));
        QVERIFY(run);
        QCOMPARE(run->text(), QStringLiteral("Run"));
        run->click();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Running, kWaitMs);
        QVERIFY(m_window->isRunning());
        QCOMPARE(run->text(), QStringLiteral("Stop"));
        QTRY_VERIFY_WITH_TIMEOUT(!host->streams().isEmpty(), kWaitMs);
        const StreamInfo stream = host->streams().first();
        QVERIFY(stream.channels.size() >= 1);
        QCOMPARE(stream.channels[0].name, QStringLiteral("Input 1"));
        QCOMPARE(stream.channels[0].unit, QStringLiteral("V"));
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld >= 500, kWaitMs);
        // What the plot draws: input 1 sees output 1's 1.5 V (with the simulator's millivolt noise).
        const auto v = m_store->latestValue({host->id(), stream.id, 0});
        QVERIFY(v);
        QVERIFY2(std::abs(*v - 1.5) < 0.05, qPrintable(QString::number(*v)));
        run->click(); // stop_streaming; the Moku stays connected
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        QVERIFY(!m_window->isRunning());
        QCOMPARE(run->text(), QStringLiteral("Run"));
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
        QVERIFY(panel()->grab().save(QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("moku-panel.png"))));
        auto *scroll = qobject_cast<QScrollArea *>(panel()->widget());
        QVERIFY(scroll && scroll->widget());
        QVERIFY(scroll->widget()->grab().save(
            QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("moku-panel-full.png"))));
    }

    void sessionValueTheModelLacksIsRefusedUnderItsField()
    {
        // A session written for a Moku:Lab (50 Ω) opened on a Moku:Go.
        startSimulator(moku::Model::Go);
        InstrumentHost *host = addMoku(false);
        QVERIFY(host && panel());
        host->setParameter(QStringLiteral("in1_impedance"), QStringLiteral("50Ohm"));
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().stringValue(QStringLiteral("in1_impedance")), QStringLiteral("50Ohm"),
                                  kWaitMs);
        host->open();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!panel()->editor(QStringLiteral("in1_impedance"))->problem().isEmpty(), kWaitMs);
        const QString problem = panel()->editor(QStringLiteral("in1_impedance"))->problem();
        QVERIFY2(problem.contains(QLatin1String("Moku:Go")) && problem.contains(QStringLiteral("50 Ω"))
                     && problem.contains(QStringLiteral("1 MΩ only")),
                 qPrintable(problem));
        auto *impedance = qobject_cast<QComboBox *>(panel()->editor(QStringLiteral("in1_impedance"))->widget());
        QTRY_COMPARE_WITH_TIMEOUT(impedance->currentText(), QStringLiteral("1 MΩ"), kWaitMs);
        QCOMPARE(impedance->count(), 1);
    }

    // Per-instrument Run/Stop on a Moku: its panel's Run streams it alone (another Moku stays
    // stopped), its Stop ends the stream with every sample kept, and a Run while another
    // instrument records joins the recording.
    void panelRunStreamsTheMokuAloneAndJoinsARecording()
    {
        startSimulator(moku::Model::Go);
        auto second = std::make_unique<SimulatorThread>(QStringLiteral("moku-sim-2"), [] {
            MokuSimulator::Config cfg;
            cfg.model = moku::Model::Go;
            cfg.deployDelay = 0.2;
            cfg.bridgePort = 0;
            cfg.idleTimeout = 30;
            return new MokuSimulator(cfg);
        });
        quint16 port2 = 0, bridge2 = 0;
        second->call([&](QObject *o) {
            auto *s = static_cast<MokuSimulator *>(o);
            if (s->start())
                port2 = s->port(), bridge2 = s->bridgePort();
        });
        QVERIFY(m_port && port2);
        InstrumentHost *h1 = addMoku();
        SessionInstrument e2 = entry();
        e2.id = QStringLiteral("moku-2");
        e2.name = QStringLiteral("Moku 2");
        e2.address = QStringLiteral("127.0.0.1:%1").arg(port2);
        e2.parameters.insert(QStringLiteral("bridge"), QStringLiteral("127.0.0.1:%1").arg(bridge2));
        QString error;
        InstrumentHost *h2 = m_ws->addInstrument(e2, &error);
        QVERIFY2(h2, qPrintable(error));
        h2->open();
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Connected, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(h2->state(), Instrument::State::Connected, kWaitMs);
        QSignalSpy events1(h1, &InstrumentHost::eventOccurred);
        auto ends = [&events1] {
            QVector<InstrumentEvent> out;
            for (const auto &e : events1)
                if (const auto ev = e.at(0).value<InstrumentEvent>(); ev.kind == InstrumentEvent::Kind::CaptureEnded)
                    out << ev;
            return out;
        };
        auto runButton = [this](const QString &id) {
            InstrumentPanel *p = m_window->panel(id);
            return p ? p->findChild<QPushButton *>(QStringLiteral("runButton")) : nullptr;
        };
        QPushButton *run1 = runButton(QStringLiteral("moku-1"));
        QPushButton *run2 = runButton(QStringLiteral("moku-2"));
        QVERIFY(run1 && run2);

        // Alone: moku-1 streams, moku-2 stays connected and idle.
        run1->click();
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Running, kWaitMs);
        QVERIFY(m_window->isRunning());
        QCOMPARE(run1->text(), QStringLiteral("Stop"));
        QTRY_VERIFY_WITH_TIMEOUT(h1->stats().samples >= 2000, kWaitMs);
        QCOMPARE(h2->state(), Instrument::State::Connected);
        QCOMPARE(run2->text(), QStringLiteral("Run"));
        QCOMPARE(h2->stats().samples, quint64(0));
        // Stop: the stream ends complete, every sample the Moku sent is kept.
        run1->click();
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Connected, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(ends().size(), 1, kWaitMs);
        QVERIFY2(ends()[0].complete, qPrintable(ends()[0].text));
        QCOMPARE(quint64(ends()[0].details.value(QStringLiteral("samples")).toDouble()), h1->stats().samples);
        QCOMPARE(h1->stats().lostSamples, quint64(0));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isRunning(), kWaitMs);
        QCOMPARE(run1->text(), QStringLiteral("Run"));

        // moku-2 records alone; moku-1's Run joins the recording, its Stop leaves it.
        run2->click();
        QTRY_COMPARE_WITH_TIMEOUT(h2->state(), Instrument::State::Running, kWaitMs);
        SessionRecording rec;
        rec.directory = m_dir.filePath(QStringLiteral("moku-rec"));
        rec.baseName = QStringLiteral("join");
        m_window->recordController()->setSettings(rec);
        QAction *record = m_window->findChild<QAction *>(QStringLiteral("actionRecord"));
        QVERIFY(record);
        record->trigger();
        QVERIFY(m_window->recordController()->isRecording());
        const quint64 before = h1->stats().samples;
        run1->click();
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Running, kWaitMs);
        QCOMPARE(h2->state(), Instrument::State::Running);
        QTRY_VERIFY_WITH_TIMEOUT(h1->stats().samples >= before + 2000, kWaitMs);
        run1->click();
        QTRY_COMPARE_WITH_TIMEOUT(h1->state(), Instrument::State::Connected, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(ends().size(), 2, kWaitMs);
        QVERIFY2(ends()[1].complete, qPrintable(ends()[1].text));
        QCOMPARE(h2->state(), Instrument::State::Running); // the other goes on recording
        QVERIFY(m_window->isRunning());
        record->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->recordController()->isRecording(), kWaitMs);
        run2->click();
        QTRY_COMPARE_WITH_TIMEOUT(h2->state(), Instrument::State::Connected, kWaitMs);
        // The recording holds every sample of moku-1's second stream, none lost or dropped.
        const quint64 streamed = quint64(ends()[1].details.value(QStringLiteral("samples")).toDouble());
        QCOMPARE(streamed, h1->stats().samples - before);
        const RecorderStats st = m_recorder->stats();
        quint64 recorded = 0;
        for (const StreamRecordStats &s : st.streams)
            if (s.instrumentId == QLatin1String("moku-1")) {
                recorded += s.samples;
                QCOMPARE(s.droppedSamples, quint64(0));
                QCOMPARE(s.deviceLostSamples, quint64(0));
            }
        QCOMPARE(recorded, streamed);
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
        m_window->newSession(); // the hosts go before their simulator
    }

    void takeOverAsksFirstQuotingTheMoku()
    {
        startSimulator();
        QVERIFY(claimByAnotherClient());
        InstrumentHost *host = addMoku();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Error, kWaitMs);
        auto *take = panel()->findChild<QPushButton *>(QStringLiteral("action_take_over"));
        QVERIFY(take);
        QTRY_VERIFY_WITH_TIMEOUT(take->isEnabled(), kWaitMs);
        const QString said = host->lastError();
        QVERIFY(!said.isEmpty());
        QString text;
        answerDialog(QStringLiteral("confirm_take_over"), QStringLiteral("cancelButton"), &text);
        take->click();
        QVERIFY2(text.contains(said) && text.contains(QLatin1String("loses")), qPrintable(text));
        QTest::qWait(300);
        QCOMPARE(host->state(), Instrument::State::Error); // cancelled: nothing done
        text.clear();
        answerDialog(QStringLiteral("confirm_take_over"), QStringLiteral("confirmButton"), &text);
        take->click();
        QVERIFY(!text.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!take->isEnabled(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(labelText(panel(), QStringLiteral("model")), QStringLiteral("Moku:Go"), kWaitMs);
    }

    void logShowsProgressAndIsDownloaded()
    {
        startSimulator();
        InstrumentHost *host = addMoku();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        host->setParameter(QStringLiteral("log_duration"), qint64(2));
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().value(QStringLiteral("log_duration")).toInt(), 2, kWaitMs);
        group(QStringLiteral("Logging"))->setCollapsed(false);
        auto *start = panel()->findChild<QPushButton *>(QStringLiteral("action_log_start"));
        QVERIFY(start);
        start->click();
        QProgressBar *bar = panel()->progressBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), kWaitMs);
        // The log's progress, then the download's, each with its words.
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible() && bar->text().contains(QLatin1String("Logging")), kWaitMs);
        QTest::qWait(200); // a settled layout for the picture
        QVERIFY(panel()->grab().save(QDir(QStringLiteral(BS_SCREENSHOT_DIR)).filePath(QStringLiteral("moku-log-progress.png"))));
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible() && bar->text().contains(QLatin1String("Download")), kWaitMs);
        // The file is downloaded into the download folder once the log is done.
        QTRY_VERIFY_WITH_TIMEOUT(!host->parameters().stringValue(QStringLiteral("log_file")).isEmpty(), kWaitMs);
        const QString file = host->parameters().stringValue(QStringLiteral("log_file"));
        QVERIFY2(QFileInfo::exists(file), qPrintable(file));
        QVERIFY2(file.startsWith(m_dir.filePath(QStringLiteral("logs"))), qPrintable(file));
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
    }

    void settingsSurviveASession()
    {
        startSimulator();
        InstrumentHost *host = addMoku();
        QVERIFY(host);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        const QList<QPair<QString, QVariant>> settings{
            {QStringLiteral("rate"), 5000.0},
            {QStringLiteral("mode"), QStringLiteral("Precision")},
            {QStringLiteral("in2_enable"), false},
            {QStringLiteral("in1_coupling"), QStringLiteral("AC")},
            {QStringLiteral("in1_range"), QStringLiteral("50Vpp")},
            {QStringLiteral("out1_type"), QStringLiteral("Sine")},
            {QStringLiteral("out1_frequency"), 250.0},
            {QStringLiteral("out1_amplitude"), 0.5},
            {QStringLiteral("log_duration"), qint64(120)},
            {QStringLiteral("log_comments"), QStringLiteral("bench A")},
        };
        for (const auto &[key, value] : settings)
            host->setParameter(key, value);
        for (const auto &[key, value] : settings)
            QTRY_COMPARE_WITH_TIMEOUT(host->parameters().value(key).toString(), value.toString(), kWaitMs);
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));

        const QString path = m_dir.filePath(QStringLiteral("moku") + Session::kSuffix);
        QString error;
        QVERIFY2(m_window->saveSessionFile(path, &error), qPrintable(error));
        m_window->newSession();
        QVERIFY(m_ws->instruments().isEmpty());
        // The Moku forgets (power cycle): a fresh simulator on the same port.
        const quint16 port = m_port;
        m_sim.reset();
        startSimulator(moku::Model::Go, port);
        QCOMPARE(m_port, port);

        QVERIFY2(m_window->openSessionFile(path, &error), qPrintable(error));
        host = m_ws->instrument(QStringLiteral("moku-1"));
        QVERIFY(host);
        for (const auto &[key, value] : settings)
            QCOMPARE(host->parameters().value(key).toString(), value.toString());
        // Connecting writes them to the Moku, which reads them back unchanged.
        host->setParameter(QStringLiteral("bridge"), QStringLiteral("127.0.0.1:%1").arg(m_bridgePort));
        host->open();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(host->parameters().doubleValue(QStringLiteral("actual_rate")), 5000.0, kWaitMs);
        for (const auto &[key, value] : settings)
            QTRY_COMPARE_WITH_TIMEOUT(host->parameters().value(key).toString(), value.toString(), kWaitMs);
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
        QVERIFY(!group(QStringLiteral("Output 1"))->isCollapsed()); // on: open
    }

    void demoBenchMokuStreamsASine()
    {
        DemoBench bench;
        QString error;
        QVERIFY2(bench.start(&error), qPrintable(error));
        const auto &all = bench.session().instruments;
        const auto it = std::find_if(all.begin(), all.end(),
                                     [](const SessionInstrument &e) { return e.type == QLatin1String("moku"); });
        QVERIFY2(it != all.end(), "the demo has no Moku");
        InstrumentHost *host = m_ws->addInstrument(*it, &error);
        QVERIFY2(host, qPrintable(error));
        m_ws->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Running, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_store->stats().rowsHeld >= 1000, kWaitMs);
        const StreamInfo stream = host->streams().first();
        QCOMPARE(stream.channels[0].name, QStringLiteral("Input 1"));
        // Input 1 sees output 1's sine: over a while its values span most of ±amplitude/2.
        double lo = 1e9, hi = -1e9;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (const auto v = m_store->latestValue({host->id(), stream.id, 0})) {
                    lo = std::min(lo, *v);
                    hi = std::max(hi, *v);
                }
                return hi - lo > 1.0;
            }(),
            kWaitMs);
        m_ws->stopAll();
        QTRY_VERIFY_WITH_TIMEOUT(host->state() != Instrument::State::Running, kWaitMs);
        QVERIFY2(panel()->errorText().isEmpty(), qPrintable(panel()->errorText()));
    }
};

QTEST_MAIN(MokuPanelTest)
#include "test_gui_moku.moc"
