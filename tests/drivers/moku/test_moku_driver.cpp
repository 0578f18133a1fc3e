// SPDX-License-Identifier: GPL-3.0-or-later
// MokuDriver against MokuSimulator over real HTTP and TCP, the driver on its own thread, for each
// model: connecting, ownership, settings, streaming through a bridge address and through the
// stand-in mokucli, on-device logging and download, faults, relinquishing.
#include "../CollectingSink.h"
#include "../SpyText.h"
#include "DriverRegistry.h"
#include "InstrumentHost.h"
#include "MokuDriver.h"
#include "MokuSimulator.h"
#include "SimulatorThread.h"
#include "registry.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <memory>

using namespace bs;
using namespace bs::moku;
using bs::test::CollectingSink;

namespace {

constexpr int kWait = 30000; // generous: a loaded 2-core machine

struct Sim
{
    explicit Sim(const MokuSimulator::Config &cfg)
    {
        thread = std::make_unique<SimulatorThread>(QStringLiteral("moku-sim"), [cfg] { return new MokuSimulator(cfg); });
        thread->call([this](QObject *o) {
            auto *s = static_cast<MokuSimulator *>(o);
            started = s->start(&error);
            port = s->port();
            bridgePort = s->bridgePort();
        });
    }
    MokuSimulator *sim() const { return static_cast<MokuSimulator *>(thread->object()); }
    void fault(MokuSimulator::Fault f) const { sim()->injectFault(f); }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(port); }

    std::unique_ptr<SimulatorThread> thread;
    bool started = false;
    QString error;
    quint16 port = 0, bridgePort = 0;
};

MokuSimulator::Config config(Model model, const std::function<void(MokuSimulator::Config &)> &setup = {})
{
    MokuSimulator::Config c;
    c.model = model;
    c.deployDelay = 0.3;
    c.bridgePort = 0;
    c.idleTimeout = 30;          // a loaded machine may be slow to connect
    c.streamBufferSeconds = 120; // ... and slow to read
    if (setup)
        setup(c);
    return c;
}

struct Client
{
    explicit Client(const QString &address, const QString &id = QStringLiteral("moku"),
                    const std::function<void(MokuDriver &)> &setup = {})
    {
        auto drv = std::make_unique<MokuDriver>();
        if (setup)
            setup(*drv);
        drv->setId(id);
        drv->setAddress(address);
        host = std::make_unique<InstrumentHost>(std::move(drv));
        host->addSink(&sink);
        errors = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::errorOccurred);
        refused = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::parameterRefused);
        events = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::eventOccurred);
        progress = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::progress);
        messages = std::make_unique<QSignalSpy>(host.get(), &InstrumentHost::message);
    }
    bool anyError(const QString &part) const { return bs::test::spyContains(*errors, part); }
    bool progressSaid(const QString &part) const
    {
        for (const auto &p : *progress)
            if (p.at(1).toString().contains(part))
                return true;
        return false;
    }
    QString allErrors() const { return bs::test::spyJoined(*errors); }
    void set(const char *key, const QVariant &v) { host->setParameter(QLatin1String(key), v); }
    QVariant value(const char *key) const { return host->parameters().value(QLatin1String(key)); }
    bool waitState(Instrument::State s, int ms = kWait) const
    {
        QElapsedTimer t;
        t.start();
        while (host->state() != s && t.elapsed() < ms)
            QTest::qWait(5);
        return host->state() == s;
    }
    bool connect()
    {
        host->open();
        return waitState(Instrument::State::Connected);
    }
    /// Waits until every write asked for before has reached the Moku: two round trips through a
    /// harmless call (setParameter queues its write once more on the driver thread, so the first
    /// may go out before it; the REST calls then keep their order). Read-backs may still follow:
    /// check values with QTRY.
    bool settle(int ms = kWait)
    {
        QElapsedTimer t;
        t.start();
        for (int round = 0; round < 2; ++round) {
            const int before = int(messages->size());
            host->invoke(QStringLiteral("sync_phase"));
            bool seen = false;
            while (!seen && t.elapsed() < ms) {
                for (int i = before; i < messages->size() && !seen; ++i)
                    seen = messages->at(i).at(0).toString().contains(QStringLiteral("synchronised"));
                if (!seen)
                    QTest::qWait(5);
            }
            if (!seen)
                return false;
        }
        return true;
    }
    QVector<InstrumentEvent> captureEnds() const
    {
        QVector<InstrumentEvent> out;
        for (const auto &e : *events) {
            const auto ev = e.at(0).value<InstrumentEvent>();
            if (ev.kind == InstrumentEvent::Kind::CaptureEnded)
                out << ev;
        }
        return out;
    }

    CollectingSink sink;
    std::unique_ptr<InstrumentHost> host;
    std::unique_ptr<QSignalSpy> errors, refused, events, progress, messages;
};

void modelRows()
{
    QTest::addColumn<int>("model");
    QTest::newRow("go") << int(Model::Go);
    QTest::newRow("lab") << int(Model::Lab);
    QTest::newRow("pro") << int(Model::Pro);
    QTest::newRow("delta") << int(Model::Delta);
}

/// Every block follows the one before: indices without a gap, times on one regular grid, no loss.
bool continuous(const std::vector<SampleBlockPtr> &blocks, double dt, QString *why)
{
    quint64 next = blocks.empty() ? 0 : blocks.front()->firstIndex;
    const double t0 = blocks.empty() ? 0 : blocks.front()->t0 - double(next) * dt;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const auto &b = blocks[i];
        if (b->firstIndex != next) {
            *why = QStringLiteral("block %1 starts at %2, expected %3").arg(i).arg(b->firstIndex).arg(next);
            return false;
        }
        if (b->flags & SampleBlock::DataLost || b->lostBefore) {
            *why = QStringLiteral("block %1 says data was lost").arg(i);
            return false;
        }
        if (std::abs(b->dt - dt) > 1e-12 || std::abs(b->t0 - (t0 + double(b->firstIndex) * dt)) > 1e-6) {
            *why = QStringLiteral("block %1: t0 %2 dt %3 off the grid").arg(i).arg(b->t0).arg(b->dt);
            return false;
        }
        next = b->endIndex();
    }
    return true;
}

} // namespace

class TestMokuDriver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { registerBuiltinDrivers(); }

    void registered()
    {
        const DriverInfo *i = DriverRegistry::instance().find(QStringLiteral("moku"));
        QVERIFY(i);
        QCOMPARE(i->shortName, QStringLiteral("Moku"));
        QVERIFY(i->checkAddress(QStringLiteral("192.168.73.1")).isEmpty());
        QVERIFY(i->checkAddress(QStringLiteral("192.168.73.1:8080")).isEmpty());
        QVERIFY(i->checkAddress(QStringLiteral("[fe80::1%eth0]")).isEmpty());
        QVERIFY(!i->checkAddress(QStringLiteral("host:99999")).isEmpty());
        QVERIFY(i->describeAddress(QStringLiteral("10.0.0.2")).contains(QStringLiteral("10.0.0.2:80")));
        QVERIFY(i->describeAddress(QStringLiteral("::1")).contains(QStringLiteral("[::1]:80")));
    }

    void connects_data() { modelRows(); }
    void connects()
    {
        QFETCH(int, model);
        Sim s(config(Model(model)));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        const ModelInfo &m = modelInfo(Model(model));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("model").toString(), QString::fromLatin1(m.hardware), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("mokuos").toString(), QStringLiteral("4.0.1"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("name").toString(), QStringLiteral("MokuSim"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("serial").toString(), QStringLiteral("000123"), kWait);
        QVERIFY(c.progressSaid(QStringLiteral("Loading the Datalogger on the Moku")));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("owned_by_other").toBool(), false, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.host->streams().size(), 1, kWait);
        const StreamInfo st = c.host->streams().at(0);
        QCOMPARE(st.channels.size(), 2); // inputs 1 and 2 on by default
        QCOMPARE(st.channels.at(1).name, QStringLiteral("Input 2"));
        QCOMPARE(st.channels.at(1).unit, QStringLiteral("V"));
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
        c.host->close();
        QVERIFY(c.waitState(Instrument::State::Disconnected));
    }

    void deployMayTakeLongerThanTheTimeout()
    {
        // The first Datalogger call loads the instrument: it gets deploy_timeout, not timeout.
        Sim s(config(Model::Go, [](MokuSimulator::Config &c) { c.deployDelay = 2.5; }));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("timeout", 1.0);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        QVERIFY(c.progressSaid(QStringLiteral("Loading the Datalogger on the Moku")));
        QVERIFY(c.progressSaid(QStringLiteral("Datalogger loaded")));
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
    }

    void ownershipRefusedThenTakenOver_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("HTTP 200 envelope") << 200;
        QTest::newRow("HTTP 403") << 403; // the other reading of U3
    }
    void ownershipRefusedThenTakenOver()
    {
        QFETCH(int, status);
        Sim s(config(Model::Go, [status](MokuSimulator::Config &c) { c.refusalHttpStatus = status; }));
        QVERIFY2(s.started, qPrintable(s.error));
        Client first(s.address(), QStringLiteral("first"));
        QVERIFY2(first.connect(), qPrintable(first.allErrors()));

        Client second(s.address(), QStringLiteral("second"));
        second.host->open();
        QVERIFY(second.waitState(Instrument::State::Error));
        QVERIFY2(second.anyError(QStringLiteral("another client")), qPrintable(second.allErrors()));
        QVERIFY2(second.anyError(QStringLiteral("Moku is owned by another client")), qPrintable(second.allErrors()));
        QTRY_VERIFY_WITH_TIMEOUT(second.value("owned_by_other").toBool(), kWait);

        second.host->invoke(QStringLiteral("take_over"));
        QVERIFY2(second.waitState(Instrument::State::Connected), qPrintable(second.allErrors()));
        QTRY_VERIFY_WITH_TIMEOUT(!second.value("owned_by_other").toBool(), kWait);

        // The first client learns it at its next call: ownership lost, nothing given back.
        first.set("mode", QStringLiteral("Precision"));
        QVERIFY(first.waitState(Instrument::State::Error));
        QVERIFY2(first.anyError(QStringLiteral("another client")), qPrintable(first.allErrors()));
        QTRY_VERIFY_WITH_TIMEOUT(first.value("owned_by_other").toBool(), kWait);
        // ... and the second still owns the Moku.
        QVERIFY(second.settle());
        QCOMPARE(second.host->state(), Instrument::State::Connected);
    }

    void settingsReadBack_data() { modelRows(); }
    void settingsReadBack()
    {
        QFETCH(int, model);
        const ModelInfo &m = modelInfo(Model(model));
        Sim s(config(Model(model)));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        // A range the model has, then one it has not: refused where typed, naming the choices.
        const QString other = m.ranges.first();
        c.set("in1_range", other);
        c.set("in2_coupling", QStringLiteral("AC"));
        c.set("mode", QStringLiteral("Precision"));
        c.set("rate", 12345.0);
        QVERIFY(c.settle());
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in1_range").toString(), other, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in2_coupling").toString(), QStringLiteral("AC"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("mode").toString(), QStringLiteral("Precision"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("actual_rate").toDouble(), 12345.0, kWait);
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));

        const QString missing = m.model == Model::Go ? QStringLiteral("4Vpp") : QStringLiteral("50Vpp");
        c.set("in1_range", missing);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        const QString why = c.refused->last().at(1).toString();
        // In a technician's words, with what the model offers: "Range: 4 Vpp is not available with
        // Model Moku:Go (choose 10 Vpp, 50 Vpp)".
        QVERIFY2(why.contains(choiceLabel(missing)) && why.contains(choiceLabel(m.ranges.last()))
                     && why.contains(QString::fromLatin1(m.hardware)),
                 qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in1_range").toString(), other, kWait);
        if (m.model == Model::Lab) {
            QVERIFY(!c.value("mode").isNull());
            c.refused->clear();
            c.set("mode", QStringLiteral("PeakDetect"));
            QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
            QTRY_COMPARE_WITH_TIMEOUT(c.value("mode").toString(), QStringLiteral("Precision"), kWait);
        }
        // The waveform generator: only the fields of the type; the reply is shown.
        c.set("out1_type", QStringLiteral("Square"));
        c.set("out1_frequency", 2500.0);
        c.set("out1_duty", 25.0);
        if (m.hasTermination)
            c.set("out2_termination", QStringLiteral("50Ohm"));
        QVERIFY(c.settle());
        QTRY_COMPARE_WITH_TIMEOUT(c.value("out1_type").toString(), QStringLiteral("Square"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("out1_frequency").toDouble(), 2500.0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("out1_duty").toDouble(), 25.0, kWait);
        if (m.hasTermination)
            QTRY_COMPARE_WITH_TIMEOUT(c.value("out2_termination").toString(), QStringLiteral("50Ohm"), kWait);
        c.refused->clear();
        c.set("out1_frequency", m.maxFrequency * 2);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("out1_frequency").toDouble(), 2500.0, kWait);
        if (!m.hasTermination) {
            c.refused->clear();
            c.set("out1_termination", QStringLiteral("50Ohm"));
            QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
            QVERIFY(c.refused->last().at(1).toString().contains(QStringLiteral("no termination")));
        }
    }

    void proRateLimitsFollowTheInputs()
    {
        Sim s(config(Model::Pro));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.set("rate", 6e6); // two inputs on: 5 MSa/s at most
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        QVERIFY2(c.refused->last().at(1).toString().contains(QStringLiteral("2 inputs")),
                 qPrintable(c.refused->last().at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("rate").toDouble(), 1000.0, kWait);
        c.set("rate", 5e6);
        QVERIFY(c.settle());
        QTRY_COMPARE_WITH_TIMEOUT(c.value("actual_rate").toDouble(), 5e6, kWait);
        // Enabling input 3 at 5 MSa/s: refused (1.25 MSa/s with 3–4 inputs), lower the rate first.
        c.refused->clear();
        c.set("in3_enable", true);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        QVERIFY2(c.refused->last().at(1).toString().contains(QStringLiteral("3 inputs")),
                 qPrintable(c.refused->last().at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in3_enable").toBool(), false, kWait);
        c.set("rate", 1e6);
        c.set("in3_enable", true);
        c.set("in4_enable", true);
        QVERIFY(c.settle());
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in4_enable").toBool(), true, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.host->streams().value(0).channels.size(), 4, kWait);
        c.refused->clear();
        c.set("rate", 2e6);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        QVERIFY2(c.refused->last().at(1).toString().contains(QStringLiteral("4 inputs")),
                 qPrintable(c.refused->last().at(1).toString()));
    }

    void deviceRefusalShowsTheDevicesValue()
    {
        // A Moku:Lab whose logging rate ends at 100 kSa/s (the other reading of U6): the driver's
        // table lets 200 kSa/s through, the Moku refuses it; the refusal and its rate are shown.
        Sim s(config(Model::Lab, [](MokuSimulator::Config &c) { c.labMaxRate = 1e5; }));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.set("rate", 2e5);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        const QString why = c.refused->last().at(1).toString();
        QVERIFY2(why.contains(QStringLiteral("INVALID_PARAM")) || why.contains(QStringLiteral("refused")), qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("rate").toDouble(), 1000.0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("actual_rate").toDouble(), 1000.0, kWait);
    }

    void sessionValueTheModelLacksIsRefused()
    {
        // A session saved for a Moku:Lab (50 Ω, 1 Vpp) opened on a Moku:Go: each value the Go
        // lacks is refused at its setting, naming the model and what it offers; the Moku's own
        // value is shown instead.
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("in1_impedance", QStringLiteral("50Ohm")); // taken while the model is not known
        c.set("in1_range", QStringLiteral("4Vpp"));
        c.set("mode", QStringLiteral("Precision"));
        QVERIFY2(c.refused->isEmpty(), qPrintable(c.allErrors()));
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in1_impedance").toString(), QStringLiteral("1MOhm"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in1_range").toString(), QStringLiteral("10Vpp"), kWait); // what the Moku holds
        QTRY_COMPARE_WITH_TIMEOUT(c.value("mode").toString(), QStringLiteral("Precision"), kWait);
        QString impedance, range;
        for (const auto &r : *c.refused) {
            if (r.at(0).toString() == QLatin1String("in1_impedance"))
                impedance = r.at(1).toString();
            if (r.at(0).toString() == QLatin1String("in1_range"))
                range = r.at(1).toString();
        }
        QVERIFY2(impedance.contains(QStringLiteral("Moku:Go")) && impedance.contains(QStringLiteral("50 Ω"))
                     && impedance.contains(QStringLiteral("1 MΩ only")),
                 qPrintable(impedance));
        QVERIFY2(range.contains(QStringLiteral("Moku:Go")) && range.contains(QStringLiteral("4 Vpp"))
                     && range.contains(QStringLiteral("10 Vpp or 50 Vpp")),
                 qPrintable(range));
        const QString warnings = c.host->report().warnings.join(QLatin1Char('|'));
        QVERIFY2(warnings.contains(QStringLiteral("in1_impedance")) && warnings.contains(QStringLiteral("4 Vpp")),
                 qPrintable(warnings));
        // Connected, the Go's lists offer 1 MΩ only, and a value it lacks is refused at once.
        QCOMPARE(c.host->parameters().choices(QStringLiteral("in1_impedance")), QStringList{QStringLiteral("1MOhm")});
        c.refused->clear();
        c.set("in2_impedance", QStringLiteral("50Ohm"));
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        const QString now = c.refused->last().at(1).toString();
        QVERIFY2(now.contains(QStringLiteral("Moku:Go")) && now.contains(QStringLiteral("1 MΩ")), qPrintable(now));
        QCOMPARE(c.value("in2_impedance").toString(), QStringLiteral("1MOhm"));
    }

    void streamsThroughBridgeAddress_data() { modelRows(); }
    void streamsThroughBridgeAddress()
    {
        QFETCH(int, model);
        Sim s(config(Model(model)));
        QVERIFY2(s.started, qPrintable(s.error));
        QVERIFY(s.bridgePort);
        Client c(s.address());
        c.set("bridge", QStringLiteral("127.0.0.1:%1").arg(s.bridgePort));
        c.set("rate", 1e6);
        c.set("duration", 5);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QVERIFY2(c.waitState(Instrument::State::Finished, 120000), qPrintable(c.allErrors()));
        QCOMPARE(c.sink.rows(), quint64(5000000));
        const auto blocks = c.sink.blocks(QStringLiteral("datalogger"));
        QVERIFY(!blocks.empty());
        QCOMPARE(blocks.front()->firstIndex, quint64(0));
        QCOMPARE(blocks.front()->channelCount, 2);
        QString why;
        QVERIFY2(continuous(blocks, 1e-6, &why), qPrintable(why));
        QVERIFY(blocks.back()->flags & SampleBlock::EndOfCapture);
        QCOMPARE(c.host->stats().lostSamples, quint64(0));
        const auto ends = c.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(ends[0].complete);
        // Plausible volts: the inputs see noise around 0 with the outputs off.
        const auto in1 = c.sink.column(QStringLiteral("Input 1"));
        QVERIFY(std::all_of(in1.begin(), in1.begin() + 1000, [](double v) { return std::abs(v) < 1.0; }));
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
    }

    void streamsThroughStandInMokucli()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString cli = dir.filePath(QStringLiteral("mokucli"));
        QVERIFY(QFile::link(QStringLiteral(BENCHSCOPE_SIM), cli));
        Sim s(config(Model::Go, [](MokuSimulator::Config &c) { c.bridgePort = -1; }));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("mokucli", cli);
        c.set("rate", 10000.0);
        c.set("duration", 2);
        c.set("in2_enable", false);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QVERIFY2(c.waitState(Instrument::State::Finished, 60000), qPrintable(c.allErrors()));
        QCOMPARE(c.sink.rows(), quint64(20000));
        QString why;
        QVERIFY2(continuous(c.sink.blocks(QStringLiteral("datalogger")), 1e-4, &why), qPrintable(why));
        QCOMPARE(c.host->streams().value(0).channels.size(), 1);
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));

        // A mokucli that is not there: said before anything starts on the Moku.
        c.set("mokucli", dir.filePath(QStringLiteral("nothing-here")));
        c.errors->clear();
        c.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(c.anyError(QStringLiteral("not an executable")), kWait);
        QVERIFY(c.host->state() != Instrument::State::Running);
    }

    void mokucliProblemsAreShown_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("said");
        QTest::newRow("stderr") << QStringLiteral("if [ \"$1\" = --version ]; then echo 4.0.3; exit 0; fi\n"
                                                  "echo 'Error: stream logsink0 not found' >&2; exec sleep 30\n")
                                << QStringLiteral("mokucli stream: Error: stream logsink0 not found");
        QTest::newRow("too old") << QStringLiteral("echo 3.9.2\n") << QStringLiteral("needs mokucli 4.0.1 or later");
        QTest::newRow("exit code") << QStringLiteral("if [ \"$1\" = --version ]; then echo 4.0.3; exit 0; fi\nexit 3\n")
                                   << QStringLiteral("exit code 3");
    }
    void mokucliProblemsAreShown()
    {
        QFETCH(QString, script);
        QFETCH(QString, said);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString cli = dir.filePath(QStringLiteral("mokucli"));
        QFile f(cli);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n" + script.toUtf8());
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        Sim s(config(Model::Go, [](MokuSimulator::Config &c) { c.bridgePort = -1; }));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("mokucli", cli);
        c.set("duration", 60);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(c.anyError(said), kWait);
        // The stream is ended on the Moku and the instrument is idle again, still connected.
        QVERIFY(c.waitState(Instrument::State::Connected));
        const auto ends = c.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(!ends[0].complete);
        c.errors->clear();
        QVERIFY(c.settle());
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
    }

    void downloadedLogIsConvertedWithMokucli()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString cli = dir.filePath(QStringLiteral("mokucli"));
        QVERIFY(QFile::link(QStringLiteral(BENCHSCOPE_SIM), cli));
        const QString out = dir.filePath(QStringLiteral("logs"));
        Sim s(config(Model::Lab));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("mokucli", cli);
        c.set("log_convert", QStringLiteral("csv"));
        c.set("log_duration", 1);
        c.host->setOutputFolder(out); // a recording in progress: its folder
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->invoke(QStringLiteral("log_start"));
        QTRY_VERIFY_WITH_TIMEOUT(bs::test::spyContains(*c.messages, QStringLiteral("Converted")), 60000);
        const QString path = c.value("log_file").toString();
        QVERIFY2(path.startsWith(out), qPrintable(path));
        const QFileInfo li(path);
        QVERIFY(QFileInfo::exists(li.dir().filePath(li.completeBaseName() + QStringLiteral(".csv"))));
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));

        // Without mokucli: downloaded, not converted, and a warning says why.
        c.set("mokucli", dir.filePath(QStringLiteral("nothing-here")));
        c.host->invoke(QStringLiteral("log_start"));
        QTRY_VERIFY_WITH_TIMEOUT(bs::test::spyContains(*c.messages, QStringLiteral("not converted")), 60000);
        QVERIFY(c.host->report().warnings.join(QLatin1Char('|')).contains(QStringLiteral("not converted")));
    }

    void logsWithProgressAndDownload_data()
    {
        QTest::addColumn<bool>("oldKeys");
        QTest::addColumn<int>("delay");
        QTest::newRow("current keys") << false << 0;
        QTest::newRow("old firmware's keys") << true << 0;
        QTest::newRow("start delay") << false << 1;
    }
    void logsWithProgressAndDownload()
    {
        QFETCH(bool, oldKeys);
        QFETCH(int, delay);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Sim s(config(Model::Pro, [oldKeys](MokuSimulator::Config &c) { c.oldProgressKeys = oldKeys; }));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("download_folder", dir.path());
        c.set("log_duration", 2);
        c.set("log_delay", delay);
        c.set("log_prefix", QStringLiteral("BenchTest"));
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->invoke(QStringLiteral("log_start"));
        QTRY_VERIFY_WITH_TIMEOUT(!c.value("log_file").toString().isEmpty(), 60000);
        const QString path = c.value("log_file").toString();
        QVERIFY2(path.startsWith(dir.path()), qPrintable(path));
        QVERIFY2(QFileInfo(path).fileName().startsWith(QStringLiteral("BenchTest")), qPrintable(path));
        QVERIFY(QFileInfo(path).size() > 0);
        QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
        bool partial = false, whole = false;
        for (const auto &p : *c.progress) {
            const double f = p.at(0).toDouble();
            partial |= f > 0 && f < 1 && p.at(1).toString().startsWith(QStringLiteral("Logging"));
            whole |= f >= 1 && p.at(1).toString().startsWith(QStringLiteral("Downloaded"));
        }
        QVERIFY(partial);
        QVERIFY(whole);
        if (delay)
            QVERIFY(c.progressSaid(QStringLiteral("Logging: Waiting for the start delay")));
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
    }

    void logStoppedEarlyIsStillDownloaded()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("download_folder", dir.path());
        c.set("log_duration", 600);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->invoke(QStringLiteral("log_start"));
        QTRY_VERIFY_WITH_TIMEOUT(bs::test::spyContains(*c.messages, QStringLiteral("Logging to")), kWait);
        c.host->invoke(QStringLiteral("log_stop"));
        QTRY_VERIFY_WITH_TIMEOUT(!c.value("log_file").toString().isEmpty(), 60000);
        QVERIFY(QFileInfo(c.value("log_file").toString()).size() > 0);
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
    }

    void settingsFileRoundTrip()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Sim s(config(Model::Lab));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("settings_file", dir.filePath(QStringLiteral("bench.mokuconf")));
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.set("in1_range", QStringLiteral("1Vpp"));
        QVERIFY(c.settle());
        c.host->invoke(QStringLiteral("save_settings"));
        QTRY_VERIFY_WITH_TIMEOUT(bs::test::spyContains(*c.messages, QStringLiteral("were saved")), kWait);
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("bench.mokuconf"))).size() > 0);
        c.set("in1_range", QStringLiteral("10Vpp"));
        QVERIFY(c.settle());
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in1_range").toString(), QStringLiteral("10Vpp"), kWait);
        c.host->invoke(QStringLiteral("load_settings"));
        QTRY_COMPARE_WITH_TIMEOUT(c.value("in1_range").toString(), QStringLiteral("1Vpp"), kWait);
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
    }

    void restFaults_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("said");
        QTest::addColumn<bool>("fatal");
        QTest::newRow("502") << int(MokuSimulator::Fault::Http502) << QStringLiteral("502") << false;
        QTest::newRow("truncated") << int(MokuSimulator::Fault::TruncatedJson) << QStringLiteral("not understood") << false;
        QTest::newRow("stall") << int(MokuSimulator::Fault::Stall) << QStringLiteral("did not answer") << true;
        QTest::newRow("ownership") << int(MokuSimulator::Fault::OwnershipTaken) << QStringLiteral("another client") << true;
    }
    void restFaults()
    {
        QFETCH(int, fault);
        QFETCH(QString, said);
        QFETCH(bool, fatal);
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("timeout", 2.0);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        s.fault(MokuSimulator::Fault(fault));
        c.set("mode", QStringLiteral("Precision"));
        QTRY_VERIFY_WITH_TIMEOUT(c.anyError(said), kWait);
        if (fatal) {
            QVERIFY(c.waitState(Instrument::State::Error));
            if (MokuSimulator::Fault(fault) == MokuSimulator::Fault::OwnershipTaken)
                QTRY_VERIFY_WITH_TIMEOUT(c.value("owned_by_other").toBool(), kWait);
            // Connecting again works (a stalled Moku answers again; a taken one only by taking over).
            if (MokuSimulator::Fault(fault) == MokuSimulator::Fault::OwnershipTaken)
                c.host->invoke(QStringLiteral("take_over"));
            else
                c.host->open();
            QVERIFY2(c.waitState(Instrument::State::Connected), qPrintable(c.allErrors()));
        } else {
            // One failed call: the connection stays and the next setting goes through.
            QCOMPARE(c.host->state(), Instrument::State::Connected);
            c.set("mode", QStringLiteral("PeakDetect"));
            QVERIFY(c.settle());
            QTRY_COMPARE_WITH_TIMEOUT(c.value("mode").toString(), QStringLiteral("PeakDetect"), kWait);
        }
    }

    void streamErrorKeepsEverySample()
    {
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("bridge", QStringLiteral("127.0.0.1:%1").arg(s.bridgePort));
        c.set("rate", 10000.0);
        c.set("duration", 600);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QVERIFY(c.waitState(Instrument::State::Running));
        QTRY_VERIFY_WITH_TIMEOUT(c.sink.rows() >= 5000, kWait);
        s.fault(MokuSimulator::Fault::StreamError);
        QTRY_VERIFY_WITH_TIMEOUT(c.anyError(QStringLiteral("every sample received before is kept")), kWait);
        QVERIFY(c.waitState(Instrument::State::Connected));
        const auto ends = c.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(!ends[0].complete);
        QCOMPARE(quint64(ends[0].details.value(QStringLiteral("samples")).toDouble()), c.sink.rows());
        QString why;
        QVERIFY2(continuous(c.sink.blocks(QStringLiteral("datalogger")), 1e-4, &why), qPrintable(why));
        QVERIFY(c.sink.blocks().back()->flags & SampleBlock::EndOfCapture);
        // The Moku is still ours: a new stream runs.
        c.sink.clear();
        c.set("duration", 1);
        c.host->start();
        QVERIFY2(c.waitState(Instrument::State::Finished), qPrintable(c.allErrors()));
        QCOMPARE(c.sink.rows(), quint64(10000));
    }

    void ownershipTakenWhileStreaming()
    {
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("bridge", QStringLiteral("127.0.0.1:%1").arg(s.bridgePort));
        c.set("rate", 10000.0);
        c.set("duration", 600);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(c.sink.rows() >= 5000, kWait);
        s.fault(MokuSimulator::Fault::OwnershipTaken);
        c.host->stop();
        QVERIFY(c.waitState(Instrument::State::Error));
        QVERIFY2(c.anyError(QStringLiteral("another client")), qPrintable(c.allErrors()));
        QTRY_VERIFY_WITH_TIMEOUT(c.value("owned_by_other").toBool(), kWait);
        const auto ends = c.captureEnds();
        QCOMPARE(ends.size(), 1);
        QCOMPARE(quint64(ends[0].details.value(QStringLiteral("samples")).toDouble()), c.sink.rows());
        QVERIFY(c.sink.blocks().back()->flags & SampleBlock::EndOfCapture);
    }

    void gapsRepeatsAndBadLinesFromTheBridge()
    {
        // A bridge of our own (the driver's "bridge address" mode) sending what a real one might:
        // a jump in time (5 samples lost), a time stamp sent twice, a line that is not JSON, a
        // line without ch2, then EOS. REST goes to the simulator as usual.
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        auto line = [](int from, int to, bool ch2) {
            QStringList t, a, b;
            for (int i = from; i < to; ++i) {
                t << QString::number(i / 10000.0, 'g', 15);
                a << QString::number(i);
                b << QString::number(-i);
            }
            QString l = QStringLiteral("{\"time\":[%1],\"ch1\":[%2]").arg(t.join(QLatin1Char(',')), a.join(QLatin1Char(',')));
            if (ch2)
                l += QStringLiteral(",\"ch2\":[%1]").arg(b.join(QLatin1Char(',')));
            return (l + QStringLiteral("}\n")).toUtf8();
        };
        const QByteArray lines = line(0, 10, true) + line(15, 20, true) + line(19, 25, true)
            + QByteArray("{\"time\":[0.0025,\n") + line(25, 30, false) + QByteArray("EOS\n");
        QTcpServer bridge;
        QVERIFY(bridge.listen(QHostAddress::LocalHost, 0));
        QObject::connect(&bridge, &QTcpServer::newConnection, &bridge, [&bridge, lines] {
            QTcpSocket *sock = bridge.nextPendingConnection();
            sock->write(lines);
            sock->disconnectFromHost();
        });
        Client c(s.address());
        c.set("bridge", QStringLiteral("127.0.0.1:%1").arg(bridge.serverPort()));
        c.set("rate", 10000.0);
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QVERIFY2(c.waitState(Instrument::State::Finished), qPrintable(c.allErrors()));
        QCOMPARE(c.sink.rows(), quint64(25)); // 10 + 5 + 5 (one repeat dropped) + 5
        QCOMPARE(c.host->stats().lostSamples, quint64(5));
        const auto blocks = c.sink.blocks(QStringLiteral("datalogger"));
        std::vector<double> in1, in2;
        bool sawLoss = false;
        for (const auto &b : blocks) {
            QCOMPARE(b->dt, 1e-4);
            QVERIFY(std::abs(b->t0 - (blocks.front()->t0 + double(b->firstIndex) * 1e-4)) < 1e-9);
            if (b->lostBefore) {
                QCOMPARE(b->lostBefore, quint64(5));
                QCOMPARE(b->firstIndex, quint64(15));
                QVERIFY(b->flags & SampleBlock::DataLost);
                sawLoss = true;
            }
            in1.insert(in1.end(), b->channel(0), b->channel(0) + b->sampleCount);
            in2.insert(in2.end(), b->channel(1), b->channel(1) + b->sampleCount);
        }
        QVERIFY(sawLoss);
        std::vector<double> expected;
        for (int i : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29})
            expected.push_back(i);
        QCOMPARE(in1, expected); // each value at its own index: the sample's time
        QCOMPARE(in2[24 - 5], -24.0);
        QVERIFY(std::isnan(in2.back())); // no ch2 in the last line
        QVERIFY2(c.anyError(QStringLiteral("not understood")), qPrintable(c.allErrors()));
        QVERIFY2(c.anyError(QStringLiteral("no ch2")), qPrintable(c.allErrors()));
        const auto ends = c.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(!ends[0].complete); // samples were lost
        QCOMPARE(ends[0].details.value(QStringLiteral("lost")).toDouble(), 5.0);
    }

    void stopEndsTheStream()
    {
        Sim s(config(Model::Delta));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("bridge", QStringLiteral("127.0.0.1:%1").arg(s.bridgePort));
        c.set("rate", 100000.0); // duration: until Stop (the default)
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QTRY_VERIFY_WITH_TIMEOUT(c.sink.rows() >= 20000, kWait);
        c.host->stop();
        QVERIFY(c.waitState(Instrument::State::Connected));
        const auto ends = c.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY2(ends[0].complete, qPrintable(ends[0].text));
        QString why;
        QVERIFY2(continuous(c.sink.blocks(QStringLiteral("datalogger")), 1e-5, &why), qPrintable(why));
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
    }

    void untilStopSaysWhenTheLongestStreamEnds()
    {
        // Until Stop asks the Moku for its longest stream (shortened here to 6 s): a warning before
        // the end (an hour before, on the real length; here at once, so that no wall-clock race
        // between the warning's timer and the stream's end decides the test), then the Moku's end
        // of stream is an error that says to press Run, with every sample kept.
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address(), QStringLiteral("moku"), [](MokuDriver &d) {
            d.setLongestStream(6);
            d.setEndWarningLead(6000);
        });
        c.set("bridge", QStringLiteral("127.0.0.1:%1").arg(s.bridgePort));
        c.set("rate", 1000.0);
        c.set("duration", 0);
        QVERIFY2(c.refused->isEmpty(), qPrintable(c.allErrors()));
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        c.host->start();
        QVERIFY2(c.waitState(Instrument::State::Finished), qPrintable(c.allErrors()));
        QCOMPARE(c.sink.rows(), quint64(6000));
        QVERIFY2(bs::test::spyContains(*c.messages, QStringLiteral("ends by itself in")), qPrintable(c.allErrors()));
        QVERIFY2(c.host->report().warnings.join(QLatin1Char('|')).contains(QStringLiteral("Stop and Run again")),
                 qPrintable(c.host->report().warnings.join(QLatin1Char('|'))));
        QVERIFY2(c.anyError(QStringLiteral("press Run to continue")), qPrintable(c.allErrors()));
        const auto ends = c.captureEnds();
        QCOMPARE(ends.size(), 1);
        QVERIFY(ends[0].complete);
    }

    void closeDuringTheClaimGivesTheMokuBack()
    {
        // The claim is carried out but its answer (with the key) is still on its way when the
        // user disconnects: close waits for it and gives the Moku back.
        Sim s(config(Model::Go, [](MokuSimulator::Config &c) { c.holdClaimAnswers = true; }));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.host->open();
        QTRY_COMPARE_WITH_TIMEOUT(s.sim()->heldClaims(), 1, kWait);
        QVERIFY(s.sim()->isOwned());
        c.host->close();
        // The driver waits (and says so); a driver that does not closes at once.
        QTRY_VERIFY_WITH_TIMEOUT(bs::test::spyContains(*c.messages, QStringLiteral("to answer the claim"))
                                     || c.host->state() == Instrument::State::Disconnected,
                                 kWait);
        s.sim()->releaseClaimAnswers();
        QVERIFY(c.waitState(Instrument::State::Disconnected));
        QTRY_VERIFY_WITH_TIMEOUT(!s.sim()->isOwned(), kWait);
        QVERIFY(bs::test::spyContains(*c.messages, QStringLiteral("to answer the claim")));
        // Nobody owns it: another client connects without taking over.
        Client other(s.address(), QStringLiteral("other"));
        other.host->open(); // its answer is held too
        QTRY_COMPARE_WITH_TIMEOUT(s.sim()->heldClaims(), 1, kWait);
        s.sim()->releaseClaimAnswers();
        QVERIFY2(other.waitState(Instrument::State::Connected), qPrintable(other.allErrors()));
    }

    void relinquishesOnClose()
    {
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        {
            Client first(s.address(), QStringLiteral("first"));
            QVERIFY2(first.connect(), qPrintable(first.allErrors()));
            first.host->close();
            QVERIFY(first.waitState(Instrument::State::Disconnected));
        }
        Client second(s.address(), QStringLiteral("second"));
        QVERIFY2(second.connect(), qPrintable(second.allErrors())); // no force needed
        // Destroying a connected driver gives the Moku back too.
        second.host.reset();
        Client third(s.address(), QStringLiteral("third"));
        QVERIFY2(third.connect(), qPrintable(third.allErrors()));
    }
};

QTEST_GUILESS_MAIN(TestMokuDriver)
#include "test_moku_driver.moc"
