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
    explicit Client(const QString &address, const QString &id = QStringLiteral("moku"))
    {
        auto drv = std::make_unique<MokuDriver>();
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
    /// Waits until the driver thread has handled everything queued (setParameter's writes are
    /// queued once more on it) and the replies came back: a round trip through a harmless write.
    bool settle(int ms = kWait)
    {
        QElapsedTimer t;
        t.start();
        const int before = int(messages->size());
        host->invoke(QStringLiteral("sync_phase"));
        while (t.elapsed() < ms) {
            for (int i = before; i < messages->size(); ++i)
                if (messages->at(i).at(0).toString().contains(QStringLiteral("synchronised")))
                    return true;
            QTest::qWait(5);
        }
        return false;
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
        QCOMPARE(c.value("model").toString(), QString::fromLatin1(m.hardware));
        QCOMPARE(c.value("mokuos").toString(), QStringLiteral("4.0.1"));
        QCOMPARE(c.value("name").toString(), QStringLiteral("MokuSim"));
        QCOMPARE(c.value("serial").toString(), QStringLiteral("000123"));
        QVERIFY(c.progressSaid(QStringLiteral("Loading the Datalogger on the Moku")));
        QCOMPARE(c.value("owned_by_other").toBool(), false);
        QTRY_COMPARE_WITH_TIMEOUT(c.host->streams().size(), 1, kWait);
        const StreamInfo st = c.host->streams().at(0);
        QCOMPARE(st.channels.size(), 2); // inputs 1 and 2 on by default
        QCOMPARE(st.channels.at(1).name, QStringLiteral("Input 2"));
        QCOMPARE(st.channels.at(1).unit, QStringLiteral("V"));
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));
        c.host->close();
        QVERIFY(c.waitState(Instrument::State::Disconnected));
    }

    void ownershipRefusedThenTakenOver()
    {
        Sim s(config(Model::Go));
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
        QCOMPARE(c.value("in1_range").toString(), other);
        QCOMPARE(c.value("in2_coupling").toString(), QStringLiteral("AC"));
        QCOMPARE(c.value("mode").toString(), QStringLiteral("Precision"));
        QCOMPARE(c.value("actual_rate").toDouble(), 12345.0);
        QVERIFY2(c.errors->isEmpty(), qPrintable(c.allErrors()));

        const QString missing = m.model == Model::Go ? QStringLiteral("4Vpp") : QStringLiteral("50Vpp");
        c.set("in1_range", missing);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        const QString why = c.refused->last().at(1).toString();
        QVERIFY2(why.contains(missing) && why.contains(m.ranges.last()), qPrintable(why));
        QCOMPARE(c.value("in1_range").toString(), other);
        if (m.model == Model::Lab) {
            QVERIFY(!c.value("mode").isNull());
            c.refused->clear();
            c.set("mode", QStringLiteral("PeakDetect"));
            QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
            QCOMPARE(c.value("mode").toString(), QStringLiteral("Precision"));
        }
        // The waveform generator: only the fields of the type; the reply is shown.
        c.set("out1_type", QStringLiteral("Square"));
        c.set("out1_frequency", 2500.0);
        c.set("out1_duty", 25.0);
        if (m.hasTermination)
            c.set("out2_termination", QStringLiteral("50Ohm"));
        QVERIFY(c.settle());
        QCOMPARE(c.value("out1_type").toString(), QStringLiteral("Square"));
        QCOMPARE(c.value("out1_frequency").toDouble(), 2500.0);
        QCOMPARE(c.value("out1_duty").toDouble(), 25.0);
        if (m.hasTermination)
            QCOMPARE(c.value("out2_termination").toString(), QStringLiteral("50Ohm"));
        c.refused->clear();
        c.set("out1_frequency", m.maxFrequency * 2);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        QCOMPARE(c.value("out1_frequency").toDouble(), 2500.0);
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
        QCOMPARE(c.value("rate").toDouble(), 1000.0);
        c.set("rate", 5e6);
        QVERIFY(c.settle());
        QCOMPARE(c.value("actual_rate").toDouble(), 5e6);
        // Enabling input 3 at 5 MSa/s: refused (1.25 MSa/s with 3–4 inputs), lower the rate first.
        c.refused->clear();
        c.set("in3_enable", true);
        QTRY_VERIFY_WITH_TIMEOUT(!c.refused->isEmpty(), kWait);
        QVERIFY2(c.refused->last().at(1).toString().contains(QStringLiteral("3 inputs")),
                 qPrintable(c.refused->last().at(1).toString()));
        QCOMPARE(c.value("in3_enable").toBool(), false);
        c.set("rate", 1e6);
        c.set("in3_enable", true);
        c.set("in4_enable", true);
        QVERIFY(c.settle());
        QCOMPARE(c.value("in4_enable").toBool(), true);
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
        QCOMPARE(c.value("actual_rate").toDouble(), 1000.0);
    }

    void sessionSettingTheModelCannotTakeIsAWarning()
    {
        Sim s(config(Model::Go));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("in1_range", QStringLiteral("4Vpp")); // not a Moku:Go range: kept until connecting
        c.set("mode", QStringLiteral("Precision"));
        QVERIFY2(c.connect(), qPrintable(c.allErrors()));
        QCOMPARE(c.value("in1_range").toString(), QStringLiteral("10Vpp")); // what the Moku holds
        QCOMPARE(c.value("mode").toString(), QStringLiteral("Precision"));
        QVERIFY(!c.host->report().warnings.isEmpty());
        QVERIFY2(c.host->report().warnings.join(QLatin1Char('|')).contains(QStringLiteral("4Vpp")),
                 qPrintable(c.host->report().warnings.join(QLatin1Char('|'))));
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

    void logsWithProgressAndDownload()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Sim s(config(Model::Pro));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("download_folder", dir.path());
        c.set("log_duration", 2);
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
        QCOMPARE(c.value("in1_range").toString(), QStringLiteral("10Vpp"));
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
            QCOMPARE(c.value("mode").toString(), QStringLiteral("PeakDetect"));
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

    void stopEndsTheStream()
    {
        Sim s(config(Model::Delta));
        QVERIFY2(s.started, qPrintable(s.error));
        Client c(s.address());
        c.set("bridge", QStringLiteral("127.0.0.1:%1").arg(s.bridgePort));
        c.set("rate", 100000.0);
        c.set("duration", 600);
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
