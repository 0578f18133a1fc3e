// SPDX-License-Identifier: GPL-3.0-or-later
// The Moku simulator over real HTTP (QNetworkAccessManager) and real sockets, no driver: the
// envelope, both URL prefixes, ownership, strict/non-strict limits per model, the deploy delay,
// logging and file download, the NDJSON stream, get_chunk, every fault, and the stand-in mokucli
// run as a process under the name `mokucli`. No wall-clock assertions: waits are generous QTRYs.
#include "MokuProtocolNdjson.h"
#include "MokuSimulator.h"
#include "MokuSimulatorFormat.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace bs::moku;

namespace {

constexpr int kTimeoutMs = 20000;

/// The simulator on a thread of its own, as the demo bench and benchscope-sim run it.
class SimOnThread
{
public:
    explicit SimOnThread(const MokuSimulator::Config &cfg)
    {
        m_sim = new MokuSimulator(cfg);
        m_sim->moveToThread(&m_thread);
        m_thread.start();
        bool ok = false;
        QMetaObject::invokeMethod(m_sim, [&] { ok = m_sim->start(&m_error); }, Qt::BlockingQueuedConnection);
        m_ok = ok;
    }
    ~SimOnThread()
    {
        QMetaObject::invokeMethod(m_sim, [this] { delete m_sim; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    MokuSimulator *operator->() const { return m_sim; }
    bool ok() const { return m_ok; }
    QString error() const { return m_error; }

private:
    QThread m_thread;
    MokuSimulator *m_sim = nullptr;
    QString m_error;
    bool m_ok = false;
};

struct Answer
{
    int status = 0;
    QByteArray body;
    QByteArray key;       ///< Moku-Client-Key response header
    QJsonObject envelope; ///< when the body is a JSON object
    bool finished = false;
    bool success() const { return envelope.value(QStringLiteral("success")) == QJsonValue(true); }
    QJsonValue data() const { return envelope.value(QStringLiteral("data")); }
    QString code() const { return envelope.value(QStringLiteral("code")).toString(); }
    QString messages() const
    {
        QStringList m;
        for (const auto &v : envelope.value(QStringLiteral("messages")).toArray())
            m << v.toString();
        return m.join(QStringLiteral(" | "));
    }
};

class Client
{
public:
    explicit Client(quint16 port) : m_port(port) {}
    QByteArray key;

    QNetworkReply *start(const QByteArray &method, const QString &path, const QByteArray *body)
    {
        m_nam.setProxy(QNetworkProxy::NoProxy); // whatever the environment says
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
        if (!key.isEmpty())
            req.setRawHeader("Moku-Client-Key", key);
        if (body)
            req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        return m_nam.sendCustomRequest(req, method, body ? *body : QByteArray());
    }

    static Answer finish(QNetworkReply *reply, int timeoutMs = kTimeoutMs)
    {
        Answer a;
        if (!reply->isFinished()) {
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            loop.exec();
        }
        a.finished = reply->isFinished();
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        a.key = reply->rawHeader("Moku-Client-Key");
        a.envelope = QJsonDocument::fromJson(a.body).object();
        if (!a.finished)
            reply->abort();
        reply->deleteLater();
        return a;
    }

    Answer get(const QString &path) { return finish(start("GET", path, nullptr)); }
    Answer post(const QString &path, const QJsonObject &body)
    {
        const QByteArray b = QJsonDocument(body).toJson(QJsonDocument::Compact);
        return finish(start("POST", path, &b));
    }
    Answer postRaw(const QString &path, const QByteArray &body) { return finish(start("POST", path, &body)); }
    Answer del(const QString &path) { return finish(start("DELETE", path, nullptr)); }

    Answer claim(bool force = false)
    {
        Answer a = post(QStringLiteral("/api/moku/claim_ownership"),
                        {{QStringLiteral("force_connect"), force},
                         {QStringLiteral("ignore_busy"), false},
                         {QStringLiteral("persist_state"), false}});
        if (a.success())
            key = a.key;
        return a;
    }
    Answer dl(const QString &op, const QJsonObject &body = {})
    {
        return post(QStringLiteral("/api/slot1/datalogger/") + op, body);
    }

private:
    quint16 m_port;
    QNetworkAccessManager m_nam;
};

/// No deploy delay, and a generous idle timeout: on a loaded machine a reader (a thread, a process
/// being started) may take longer than the device's 2 s to begin; idleTimeout() tests the bound.
MokuSimulator::Config quickConfig()
{
    MokuSimulator::Config cfg;
    cfg.deployDelay = 0;
    cfg.idleTimeout = 30;
    return cfg;
}

bool isEnvelope(const Answer &a)
{
    const QJsonObject &e = a.envelope;
    return e.size() == 4 && e.value(QStringLiteral("success")).isBool() && e.contains(QStringLiteral("data"))
           && e.contains(QStringLiteral("code")) && e.contains(QStringLiteral("messages"));
}

/// Reads an NDJSON stream until EOS or the connection ends; checks every line.
struct NdjsonReader
{
    NdjsonLineSplitter splitter{std::size_t(256) << 20};
    StreamLine line;
    StreamContinuity continuity;
    long long samples = 0;
    long long lines = 0;
    long long lost = 0;
    bool eos = false;
    QString error;
    std::vector<int> channels;
    double maxCh1 = -1e9, minCh1 = 1e9;

    void feed(const QByteArray &bytes)
    {
        splitter.append(bytes.constData(), std::size_t(bytes.size()));
        std::string_view l;
        while (splitter.takeLine(l) == NdjsonLineSplitter::Result::Line) {
            if (const QString e = parseStreamLine(l, line); !e.isEmpty()) {
                error = e;
                return;
            }
            if (line.endOfStream) {
                eos = true;
                continue;
            }
            QVERIFY(!eos);
            ++lines;
            samples += (long long)line.sampleCount();
            channels = line.channels;
            const auto c = continuity.check(line.time);
            lost += c.lost() + c.overlap + (long long)c.uneven;
            if (!line.values.empty())
                for (double v : line.values[0]) {
                    maxCh1 = std::max(maxCh1, v);
                    minCh1 = std::min(minCh1, v);
                }
        }
    }
};

} // namespace

class TestMokuSimulator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void envelopeAndDevice();
    void ownership();
    void bothPrefixesAndBodies();
    void limitsPerModel_data();
    void limitsPerModel();
    void proRateWithInputs();
    void waveformAndFrontendReadBack();
    void deployDelay();
    void noBitstream();
    void logging();
    void loggingDelayAndStop();
    void files();
    void settingsFiles();
    void bridgeStream();
    void bridgeStreamFast();
    void getChunk();
    void idleTimeout();
    void slowReaderBounded();
    void faultHttp502();
    void faultStall();
    void faultTruncatedJson();
    void faultStreamError();
    void faultOwnershipTaken();
    void faultNames();
    void mokucliVersionAndConfig();
    void mokucliStream();
    void mokucliStreamError();
    void mokucliConvert();
    void simCommandLine();
};

void TestMokuSimulator::envelopeAndDevice()
{
    SimOnThread sim(quickConfig());
    QVERIFY2(sim.ok(), qPrintable(sim.error()));
    Client c(sim->port());
    const Answer claim = c.claim();
    QVERIFY(claim.success());
    QVERIFY(isEnvelope(claim));
    QVERIFY(!claim.key.isEmpty());
    QCOMPARE(claim.data().toString().toLatin1(), claim.key);

    const Answer d = c.get(QStringLiteral("/api/moku/describe"));
    QVERIFY(isEnvelope(d));
    const QJsonObject desc = d.data().toObject();
    QCOMPARE(desc.value(QStringLiteral("hardware")).toString(), QStringLiteral("Moku:Go"));
    QCOMPARE(desc.value(QStringLiteral("proxy_version")).toVariant().toInt(), 2);
    QVERIFY(!desc.value(QStringLiteral("mokuOS")).toString().isEmpty());
    QVERIFY(desc.value(QStringLiteral("bitstreams")).toObject().contains(QStringLiteral("01-000.bar")));
    QVERIFY(desc.value(QStringLiteral("bitstreams")).toObject().contains(QStringLiteral("01-007-00.bar")));
    for (const char *op : {"name", "serial_number", "summary", "mokuos_version", "calibration_date"}) {
        const Answer a = c.get(QStringLiteral("/api/moku/") + QLatin1String(op));
        QVERIFY2(isEnvelope(a) && a.success() && a.data().isString(), op);
    }
    QCOMPARE(c.dl(QStringLiteral("summary")).data().toString().left(21), QStringLiteral("Moku:Go Data Logger\nI"));
    // unknown operations: HTTP 404
    QCOMPARE(c.dl(QStringLiteral("no_such_operation")).status, 404);
    QCOMPARE(c.get(QStringLiteral("/api/moku/no_such_operation")).status, 404);
    QCOMPARE(c.get(QStringLiteral("/api/oscilloscope/get_samplerate")).status, 404);
    QCOMPARE(c.get(QStringLiteral("/index.html")).status, 404);
    // hwstate: not enveloped
    const Answer hw = c.post(QStringLiteral("/api/v2/hwstate"), {{QStringLiteral("power"), QStringLiteral("reboot")}});
    QCOMPARE(hw.status, 200);
    QCOMPARE(hw.envelope, (QJsonObject{{QStringLiteral("power"), QStringLiteral("reboot")}}));
    QCOMPARE(c.dl(QStringLiteral("get_samplerate")).code(), QStringLiteral("INVALID_REQUEST")); // the reboot forgot us
    QCOMPARE(c.post(QStringLiteral("/api/v2/hwstate"), {{QStringLiteral("power"), QStringLiteral("melt")}}).status, 400);
    // every number finite: no nan/inf token anywhere
    QVERIFY(!d.body.contains("nan") && !d.body.contains("inf"));
}

void TestMokuSimulator::ownership()
{
    SimOnThread sim(quickConfig());
    Client a(sim->port()), b(sim->port());
    QVERIFY(a.claim().success());
    // no key / a made-up key: INVALID_REQUEST (U3)
    Answer r = b.dl(QStringLiteral("get_samplerate"));
    QVERIFY(isEnvelope(r));
    QVERIFY(!r.success());
    QCOMPARE(r.code(), QStringLiteral("INVALID_REQUEST"));
    b.key = "123abc";
    QCOMPARE(b.dl(QStringLiteral("get_samplerate")).code(), QStringLiteral("INVALID_REQUEST"));
    // a second claim without force is refused, the owner keeps the device
    b.key.clear();
    r = b.claim(false);
    QVERIFY(!r.success());
    QCOMPARE(r.code(), QStringLiteral("UNEXPECTED_CHANGE"));
    QVERIFY(r.messages().contains(QStringLiteral("owned by another client")));
    QVERIFY(a.dl(QStringLiteral("get_samplerate")).success());
    // with force the newcomer owns it and the old key is stale
    QVERIFY(b.claim(true).success());
    QVERIFY(b.key != a.key);
    r = a.dl(QStringLiteral("get_samplerate"));
    QCOMPARE(r.code(), QStringLiteral("INVALID_REQUEST"));
    QVERIFY2(r.messages().contains(QStringLiteral("another client")), qPrintable(r.messages()));
    // relinquish: POST with no body at all (as the vendor's client sends it)
    const Answer rel = b.postRaw(QStringLiteral("/api/moku/relinquish_ownership"), QByteArray());
    QVERIFY2(rel.success(), rel.body.constData());
    QVERIFY(a.claim(false).success());
}

void TestMokuSimulator::bothPrefixesAndBodies()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    QVERIFY(c.post(QStringLiteral("/api/datalogger/set_samplerate"),
                   {{QStringLiteral("strict"), true}, {QStringLiteral("sample_rate"), 2000}}).success());
    QCOMPARE(c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).data().toObject().value(QStringLiteral("sample_rate")).toDouble(), 2000.0);
    QCOMPARE(c.get(QStringLiteral("/api/datalogger/get_samplerate")).data().toObject().value(QStringLiteral("sample_rate")).toDouble(), 2000.0);
    // nulls mean "not given"; empty bodies are accepted
    const QByteArray withNulls = R"({"strict":true,"channel":1,"type":"Sine","amplitude":1,"frequency":10000,"offset":0,"phase":0,"duty":null,"symmetry":null,"dc_level":null,"edge_time":null,"pulse_width":null})";
    Answer w = c.postRaw(QStringLiteral("/api/slot1/datalogger/generate_waveform"), withNulls);
    QVERIFY2(w.success(), w.body.constData());
    QCOMPARE(w.data().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("Sine"));
    QVERIFY(c.postRaw(QStringLiteral("/api/slot1/datalogger/stop_streaming"), QByteArray()).success());
    QVERIFY(c.postRaw(QStringLiteral("/api/slot1/datalogger/get_stream_status"), QByteArray()).success());
    QVERIFY(c.postRaw(QStringLiteral("/api/slot1/datalogger/sync_output_phase"), QByteArray()).success());
    // a body that is no JSON: INVALID_REQUEST naming it
    const Answer bad = c.postRaw(QStringLiteral("/api/slot1/datalogger/set_samplerate"), "{sample_rate: 5");
    QCOMPARE(bad.code(), QStringLiteral("INVALID_REQUEST"));
    QVERIFY(bad.messages().contains(QStringLiteral("not JSON")));
    // a missing parameter is named
    const Answer missing = c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("strict"), true}});
    QCOMPARE(missing.code(), QStringLiteral("INVALID_PARAM"));
    QVERIFY(missing.messages().contains(QStringLiteral("sample_rate")));
    // the deploy form of multi-instrument mode
    QVERIFY(c.get(QStringLiteral("/api/slot1/datalogger")).success());
}

void TestMokuSimulator::limitsPerModel_data()
{
    QTest::addColumn<int>("model");
    QTest::addColumn<QString>("badRange");
    QTest::addColumn<QString>("coercedRange");
    QTest::addColumn<double>("maxRate");
    QTest::newRow("go") << int(Model::Go) << "4Vpp" << "10Vpp" << 1e6;
    QTest::newRow("lab") << int(Model::Lab) << "50Vpp" << "10Vpp" << 2.5e5;
    QTest::newRow("pro") << int(Model::Pro) << "10Vpp" << "4Vpp" << 10e6;
    QTest::newRow("delta") << int(Model::Delta) << "50Vpp" << "40Vpp" << 10e6;
}

void TestMokuSimulator::limitsPerModel()
{
    QFETCH(int, model);
    QFETCH(QString, badRange);
    QFETCH(QString, coercedRange);
    QFETCH(double, maxRate);
    MokuSimulator::Config cfg = quickConfig();
    cfg.model = Model(model);
    SimOnThread sim(cfg);
    Client c(sim->port());
    QVERIFY(c.claim().success());
    const QString hw = QString::fromLatin1(modelInfo(Model(model)).hardware);
    QCOMPARE(c.get(QStringLiteral("/api/moku/describe")).data().toObject().value(QStringLiteral("hardware")).toString(), hw);
    QJsonObject fe{{QStringLiteral("strict"), true}, {QStringLiteral("channel"), 1},
                   {QStringLiteral("impedance"), QStringLiteral("1MOhm")}, {QStringLiteral("coupling"), QStringLiteral("DC")},
                   {QStringLiteral("range"), badRange}};
    Answer r = c.dl(QStringLiteral("set_frontend"), fe);
    QCOMPARE(r.code(), QStringLiteral("INVALID_PARAM"));
    // The model table's sentence, values as a technician reads them ("no 4 Vpp range").
    QVERIFY2(r.messages().contains(choiceLabel(badRange)) && r.messages().contains(hw),
             qPrintable(r.messages()));
    fe[QStringLiteral("strict")] = false;
    r = c.dl(QStringLiteral("set_frontend"), fe);
    QVERIFY2(r.success(), r.body.constData());
    QCOMPARE(r.data().toObject().value(QStringLiteral("range")).toString(), coercedRange);
    QVERIFY2(r.messages().contains(QStringLiteral("coerced")), qPrintable(r.messages()));
    // channel beyond the model's inputs: refused even when not strict
    fe[QStringLiteral("channel")] = modelInfo(Model(model)).inputs + 1;
    QCOMPARE(c.dl(QStringLiteral("set_frontend"), fe).code(), QStringLiteral("INVALID_PARAM"));
    // sample rate (one input on, so the Pro's multi-input limit does not apply)
    QVERIFY(c.dl(QStringLiteral("enable_input"), {{QStringLiteral("channel"), 2}, {QStringLiteral("enable"), false}}).success());
    for (int ch = 3; ch <= modelInfo(Model(model)).inputs; ++ch)
        QVERIFY(c.dl(QStringLiteral("enable_input"), {{QStringLiteral("channel"), ch}, {QStringLiteral("enable"), false}}).success());
    r = c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("strict"), true}, {QStringLiteral("sample_rate"), maxRate * 2}});
    QCOMPARE(r.code(), QStringLiteral("INVALID_PARAM"));
    QVERIFY2(r.messages().contains(QStringLiteral("outside")), qPrintable(r.messages()));
    r = c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("strict"), false}, {QStringLiteral("sample_rate"), maxRate * 2}});
    QVERIFY(r.success());
    QCOMPARE(r.data().toObject().value(QStringLiteral("sample_rate")).toDouble(), maxRate);
    QVERIFY(!r.messages().isEmpty());
    // acquisition modes: Lab has no PeakDetect
    r = c.dl(QStringLiteral("set_acquisition_mode"), {{QStringLiteral("strict"), true}, {QStringLiteral("mode"), QStringLiteral("PeakDetect")}});
    QCOMPARE(r.success(), Model(model) != Model::Lab);
    QCOMPARE(c.get(QStringLiteral("/api/slot1/datalogger/get_acquisition_mode")).data().toObject().value(QStringLiteral("mode")).toString(),
             Model(model) == Model::Lab ? QStringLiteral("Normal") : QStringLiteral("PeakDetect"));
    // output termination: not on Moku:Go
    r = c.dl(QStringLiteral("set_output_termination"), {{QStringLiteral("channel"), 1}, {QStringLiteral("termination"), QStringLiteral("50Ohm")}});
    QCOMPARE(r.success(), Model(model) != Model::Go);
    // waveform limits: strict refuses, non-strict clamps
    QJsonObject wave{{QStringLiteral("strict"), true}, {QStringLiteral("channel"), 1}, {QStringLiteral("type"), QStringLiteral("Sine")},
                     {QStringLiteral("amplitude"), 50}, {QStringLiteral("frequency"), 1000}};
    QCOMPARE(c.dl(QStringLiteral("generate_waveform"), wave).code(), QStringLiteral("INVALID_PARAM"));
    wave[QStringLiteral("strict")] = false;
    r = c.dl(QStringLiteral("generate_waveform"), wave);
    QVERIFY(r.success());
    QCOMPARE(r.data().toObject().value(QStringLiteral("amplitude")).toDouble(), modelInfo(Model(model)).maxAmplitude);
}

void TestMokuSimulator::proRateWithInputs()
{
    MokuSimulator::Config cfg = quickConfig();
    cfg.model = Model::Pro;
    SimOnThread sim(cfg);
    Client c(sim->port());
    QVERIFY(c.claim().success());
    for (int ch = 1; ch <= 4; ++ch)
        QVERIFY(c.dl(QStringLiteral("enable_input"), {{QStringLiteral("channel"), ch}, {QStringLiteral("enable"), ch <= 2}}).success());
    Answer r = c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("sample_rate"), 5e6}});
    QVERIFY2(r.success(), r.body.constData());
    r = c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("sample_rate"), 6e6}});
    QCOMPARE(r.code(), QStringLiteral("INVALID_PARAM"));
    QVERIFY2(r.messages().contains(QStringLiteral("2 inputs")), qPrintable(r.messages()));
    // a third input lowers the rate to 1.25 MSa/s, and says so
    r = c.dl(QStringLiteral("enable_input"), {{QStringLiteral("channel"), 3}, {QStringLiteral("enable"), true}});
    QVERIFY(r.success());
    QVERIFY2(r.messages().contains(QStringLiteral("1250000")), qPrintable(r.messages()));
    QCOMPARE(c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).data().toObject().value(QStringLiteral("sample_rate")).toDouble(), 1.25e6);
    r = c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("sample_rate"), 2e6}});
    QCOMPARE(r.code(), QStringLiteral("INVALID_PARAM"));
}

void TestMokuSimulator::waveformAndFrontendReadBack()
{
    MokuSimulator::Config cfg = quickConfig();
    cfg.model = Model::Pro;
    SimOnThread sim(cfg);
    Client c(sim->port());
    QVERIFY(c.claim().success());
    Answer r = c.dl(QStringLiteral("set_frontend"), {{QStringLiteral("channel"), 2}, {QStringLiteral("impedance"), QStringLiteral("50Ohm")},
                                                     {QStringLiteral("coupling"), QStringLiteral("AC")}, {QStringLiteral("range"), QStringLiteral("400mVpp")}});
    QVERIFY2(r.success(), r.body.constData());
    const QJsonObject expected{{QStringLiteral("impedance"), QStringLiteral("50Ohm")}, {QStringLiteral("coupling"), QStringLiteral("AC")},
                               {QStringLiteral("range"), QStringLiteral("400mVpp")}, {QStringLiteral("bandwidth"), QStringLiteral("300MHz")}};
    QCOMPARE(r.data().toObject(), expected);
    QCOMPARE(c.dl(QStringLiteral("get_frontend"), {{QStringLiteral("channel"), 2}}).data().toObject(), expected);
    r = c.dl(QStringLiteral("generate_waveform"), {{QStringLiteral("channel"), 1}, {QStringLiteral("type"), QStringLiteral("Square")},
                                                   {QStringLiteral("amplitude"), 2}, {QStringLiteral("frequency"), 50}, {QStringLiteral("duty"), 25}});
    QVERIFY(r.success());
    QCOMPARE(r.data().toObject().value(QStringLiteral("duty")).toDouble(), 25.0);
    r = c.dl(QStringLiteral("generate_waveform"), {{QStringLiteral("channel"), 2}, {QStringLiteral("type"), QStringLiteral("DC")},
                                                   {QStringLiteral("dc_level"), 1.5}});
    QCOMPARE(r.data().toObject(), (QJsonObject{{QStringLiteral("type"), QStringLiteral("DC")}, {QStringLiteral("dc_level"), 1.5}}));
    QCOMPARE(c.dl(QStringLiteral("generate_waveform"), {{QStringLiteral("channel"), 5}, {QStringLiteral("type"), QStringLiteral("Sine")}}).code(),
             QStringLiteral("INVALID_PARAM"));
    QCOMPARE(c.dl(QStringLiteral("generate_waveform"), {{QStringLiteral("channel"), 1}, {QStringLiteral("type"), QStringLiteral("Triangle")}}).code(),
             QStringLiteral("INVALID_PARAM"));
}

void TestMokuSimulator::deployDelay()
{
    MokuSimulator::Config cfg;
    cfg.deployDelay = 3;
    SimOnThread sim(cfg);
    Client c(sim->port());
    QVERIFY(c.claim().success()); // device calls do not deploy
    QNetworkReply *first = c.start("GET", QStringLiteral("/api/slot1/datalogger/get_samplerate"), nullptr);
    const QByteArray body = R"({"strict":true,"sample_rate":500})";
    QNetworkReply *second = c.start("POST", QStringLiteral("/api/slot1/datalogger/set_samplerate"), &body);
    QList<int> order;
    QObject::connect(first, &QNetworkReply::finished, [&] { order << 1; });
    QObject::connect(second, &QNetworkReply::finished, [&] { order << 2; });
    QTest::qWait(500); // a lower bound only: the deploy takes 3 s, nothing can answer before
    QVERIFY(!first->isFinished());
    QVERIFY(!second->isFinished());
    QVERIFY(c.get(QStringLiteral("/api/moku/name")).success()); // the device itself answers meanwhile
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 2, kTimeoutMs);
    QCOMPARE(order, (QList<int>{1, 2}));
    QCOMPARE(Client::finish(first).data().toObject().value(QStringLiteral("sample_rate")).toDouble(), 1000.0);
    QVERIFY(Client::finish(second).success());
    // deployed: later calls do not wait again (answered within the generous timeout is all we check)
    QVERIFY(c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).success());
}

void TestMokuSimulator::noBitstream()
{
    MokuSimulator::Config cfg = quickConfig();
    cfg.instrumentBitstream = false;
    SimOnThread sim(cfg);
    Client c(sim->port());
    QVERIFY(c.claim().success());
    QVERIFY(!c.get(QStringLiteral("/api/moku/describe")).data().toObject().value(QStringLiteral("bitstreams")).toObject().contains(QStringLiteral("01-007-00.bar")));
    QCOMPARE(c.dl(QStringLiteral("get_samplerate")).code(), QStringLiteral("NO_BIT_STREAM"));
    const QByteArray bar = "a simulated bitstream";
    QVERIFY(c.postRaw(QStringLiteral("/api/bitstreams/upload/01-007-00.bar"), bar).success());
    const QJsonObject bits = c.get(QStringLiteral("/api/moku/describe")).data().toObject().value(QStringLiteral("bitstreams")).toObject();
    QCOMPARE(bits.value(QStringLiteral("01-007-00.bar")).toString().toLatin1(),
             QCryptographicHash::hash(bar, QCryptographicHash::Sha256).toHex());
    QVERIFY(c.dl(QStringLiteral("get_samplerate")).success());
}

void TestMokuSimulator::logging()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    QVERIFY(c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("sample_rate"), 1000}}).success());
    Answer r = c.dl(QStringLiteral("start_logging"), {{QStringLiteral("strict"), true}, {QStringLiteral("duration"), 1.5},
                                                      {QStringLiteral("sample_rate"), QJsonValue::Null}, {QStringLiteral("delay"), 0},
                                                      {QStringLiteral("trigger_source"), QJsonValue::Null}, {QStringLiteral("trigger_level"), QJsonValue::Null},
                                                      {QStringLiteral("file_name_prefix"), QString()}, {QStringLiteral("comments"), QStringLiteral("test")}});
    QVERIFY2(r.success(), r.body.constData());
    const QString name = r.data().toObject().value(QStringLiteral("file_name")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^MokuDataLoggerData_\\d{8}_\\d{6}\\.li$")).match(name).hasMatch(), qPrintable(name));
    QCOMPARE(r.data().toObject().value(QStringLiteral("rate")).toDouble(), 1000.0);
    // a second start while logging is refused
    QCOMPARE(c.dl(QStringLiteral("start_logging"), {{QStringLiteral("duration"), 1}}).code(), QStringLiteral("INVALID_REQUEST"));
    double last = -1;
    bool monotonic = true;
    QJsonObject progress;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 progress = c.get(QStringLiteral("/api/slot1/datalogger/logging_progress")).data().toObject();
                                 const double s = progress.value(QStringLiteral("samples_logged")).toDouble();
                                 monotonic = monotonic && s >= last;
                                 last = s;
                                 return progress.value(QStringLiteral("complete")).toBool();
                             }()),
                             kTimeoutMs);
    QVERIFY(monotonic);
    QCOMPARE(progress.value(QStringLiteral("samples_logged")).toDouble(), 1500.0);
    QCOMPARE(progress.value(QStringLiteral("running")).toBool(), false);
    QCOMPARE(progress.value(QStringLiteral("file_name")).toString(), name);
    QVERIFY(progress.contains(QStringLiteral("time_remaining")));
    // list (no key needed) and download
    Client anon(sim->port());
    QVERIFY(anon.get(QStringLiteral("/api/persist/list")).data().toArray().contains(name));
    const Answer file = anon.get(QStringLiteral("/api/persist/download/") + name);
    QCOMPARE(file.status, 200);
    QVERIFY(file.body.startsWith("LI"));
    QJsonObject header;
    qint64 offset = 0;
    QCOMPARE(readLogFileHeader(file.body, &header, &offset), QString());
    QCOMPARE(file.body.size(), offset + 1500 * logRecordBytes(2)); // proportional to the samples
    QCOMPARE(anon.get(QStringLiteral("/api/persist/download_file/") + name).body, file.body);
    // other targets do not exist on a Moku:Go
    QCOMPARE(anon.get(QStringLiteral("/api/ssd/list")).status, 404);
}

void TestMokuSimulator::loggingDelayAndStop()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    Answer r = c.dl(QStringLiteral("start_logging"), {{QStringLiteral("duration"), 100}, {QStringLiteral("delay"), 60},
                                                      {QStringLiteral("file_name_prefix"), QStringLiteral("delayed")}});
    QVERIFY2(r.success(), r.body.constData());
    QJsonObject p = c.get(QStringLiteral("/api/slot1/datalogger/logging_progress")).data().toObject();
    QVERIFY(p.value(QStringLiteral("running")).toBool());
    QCOMPARE(p.value(QStringLiteral("samples_logged")).toDouble(), 0.0);
    QVERIFY2(p.value(QStringLiteral("message")).toString().contains(QStringLiteral("delay")), qPrintable(p.value(QStringLiteral("message")).toString()));
    QVERIFY(c.get(QStringLiteral("/api/slot1/datalogger/stop_logging")).success());

    r = c.dl(QStringLiteral("start_logging"), {{QStringLiteral("duration"), 100}, {QStringLiteral("sample_rate"), 2000}});
    QVERIFY(r.success());
    const QString name = r.data().toObject().value(QStringLiteral("file_name")).toString();
    QTRY_VERIFY_WITH_TIMEOUT(c.get(QStringLiteral("/api/slot1/datalogger/logging_progress")).data().toObject()
                                     .value(QStringLiteral("samples_logged")).toDouble() > 0, kTimeoutMs);
    QVERIFY(c.get(QStringLiteral("/api/slot1/datalogger/stop_logging")).success());
    p = c.get(QStringLiteral("/api/slot1/datalogger/logging_progress")).data().toObject();
    QCOMPARE(p.value(QStringLiteral("running")).toBool(), false);
    const double logged = p.value(QStringLiteral("samples_logged")).toDouble();
    QVERIFY(logged > 0 && logged < 200000);
    const Answer file = c.get(QStringLiteral("/api/persist/download/") + name);
    QJsonObject header;
    qint64 offset = 0;
    QCOMPARE(readLogFileHeader(file.body, &header, &offset), QString());
    QCOMPARE(double(file.body.size() - offset) / logRecordBytes(2), logged); // the partial file stays
    // the sample count no longer moves
    QCOMPARE(c.get(QStringLiteral("/api/slot1/datalogger/logging_progress")).data().toObject().value(QStringLiteral("samples_logged")).toDouble(), logged);
}

void TestMokuSimulator::files()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port()); // no key: file endpoints need none
    QVERIFY(c.postRaw(QStringLiteral("/api/tmp/upload/hello.txt"), "hello").success());
    QCOMPARE(c.get(QStringLiteral("/api/tmp/list")).data().toArray(), QJsonArray{QStringLiteral("hello.txt")});
    QCOMPARE(c.get(QStringLiteral("/api/tmp/download/hello.txt")).body, QByteArray("hello"));
    QCOMPARE(c.get(QStringLiteral("/api/tmp/download_file/hello.txt")).body, QByteArray("hello"));
    QVERIFY(c.del(QStringLiteral("/api/tmp/delete_file/hello.txt")).success());
    QVERIFY(c.get(QStringLiteral("/api/tmp/list")).data().toArray().isEmpty());
    QCOMPARE(c.del(QStringLiteral("/api/tmp/delete/hello.txt")).code(), QStringLiteral("INVALID_PARAM"));
    QVERIFY(c.postRaw(QStringLiteral("/api/tmp/upload/b.txt"), "b").success());
    QVERIFY(c.del(QStringLiteral("/api/tmp/delete/b.txt")).success());
    const Answer missing = c.get(QStringLiteral("/api/persist/download/nothing.li"));
    QCOMPARE(missing.code(), QStringLiteral("INVALID_PARAM"));
    QVERIFY(missing.messages().contains(QStringLiteral("nothing.li")));
}

void TestMokuSimulator::settingsFiles()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    QVERIFY(c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("sample_rate"), 1234}}).success());
    const Answer saved = c.get(QStringLiteral("/api/slot1/datalogger/save_settings"));
    QCOMPARE(saved.status, 200);
    QVERIFY(!saved.body.isEmpty());
    QVERIFY(c.dl(QStringLiteral("set_samplerate"), {{QStringLiteral("sample_rate"), 99}}).success());
    const Answer loaded = c.postRaw(QStringLiteral("/api/slot1/datalogger/load_settings"), saved.body);
    QVERIFY2(loaded.success(), loaded.body.constData());
    QCOMPARE(c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).data().toObject().value(QStringLiteral("sample_rate")).toDouble(), 1234.0);
    const Answer bad = c.postRaw(QStringLiteral("/api/slot1/datalogger/load_settings"), "\x01\x02 not a settings file");
    QCOMPARE(bad.code(), QStringLiteral("INVALID_PARAM"));
}

namespace {

/// Connects to the bridge port and reads until EOS or close.
NdjsonReader readBridge(quint16 port, bool *closed)
{
    NdjsonReader reader;
    QTcpSocket sock;
    sock.connectToHost(QHostAddress::LocalHost, port);
    if (!sock.waitForConnected(kTimeoutMs))
        return reader;
    QElapsedTimer guard;
    guard.start();
    while (!reader.eos && guard.elapsed() < 120000) {
        if (sock.bytesAvailable() == 0 && !sock.waitForReadyRead(kTimeoutMs))
            break;
        reader.feed(sock.readAll());
    }
    if (sock.state() != QAbstractSocket::UnconnectedState)
        sock.waitForDisconnected(kTimeoutMs);
    *closed = sock.state() == QAbstractSocket::UnconnectedState;
    return reader;
}

void setupTwoInputs(Client &c)
{
    QVERIFY(c.claim().success());
    QVERIFY(c.dl(QStringLiteral("generate_waveform"), {{QStringLiteral("channel"), 1}, {QStringLiteral("type"), QStringLiteral("Sine")},
                                                       {QStringLiteral("amplitude"), 1}, {QStringLiteral("frequency"), 10}}).success());
}

} // namespace

void TestMokuSimulator::bridgeStream()
{
    MokuSimulator::Config cfg = quickConfig();
    cfg.bridgePort = 0;
    SimOnThread sim(cfg);
    QVERIFY(sim->bridgePort() != 0);
    Client c(sim->port());
    setupTwoInputs(c);
    const Answer s = c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("duration"), 2}, {QStringLiteral("sample_rate"), 1000},
                                                              {QStringLiteral("trigger_source"), QJsonValue::Null},
                                                              {QStringLiteral("trigger_level"), QJsonValue::Null}});
    QVERIFY2(s.success(), s.body.constData());
    QCOMPARE(s.data().toObject().value(QStringLiteral("stream_id")).toString(), QStringLiteral("logsink0"));
    bool closed = false;
    const NdjsonReader r = readBridge(sim->bridgePort(), &closed);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.eos);
    QVERIFY(closed);
    QCOMPARE(r.samples, 2000LL);
    QCOMPARE(r.lines, 20LL); // one line per 0.1 s (U8)
    QCOMPARE(r.lost, 0LL);
    QCOMPARE(r.channels, (std::vector<int>{1, 2}));
    QVERIFY(r.maxCh1 > 0.45 && r.maxCh1 < 0.55); // 1 Vpp sine on output 1 reaches input 1
    QVERIFY(r.minCh1 < -0.45 && r.minCh1 > -0.55);
    QCOMPARE(c.postRaw(QStringLiteral("/api/slot1/datalogger/get_stream_status"), QByteArray()).data().toObject()
                 .value(QStringLiteral("status")).toString(), QStringLiteral("STOPPED"));
    // a second stream, ended by stop_streaming, on a bridge that connected before it started
    bool closed2 = false;
    NdjsonReader r2;
    QThread *reader = QThread::create([&] { r2 = readBridge(sim->bridgePort(), &closed2); });
    reader->start();
    QTest::qWait(300);
    const Answer s2 = c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("sample_rate"), 1000}});
    QCOMPARE(s2.data().toObject().value(QStringLiteral("stream_id")).toString(), QStringLiteral("logsink1"));
    QTRY_VERIFY_WITH_TIMEOUT(c.postRaw(QStringLiteral("/api/slot1/datalogger/get_stream_status"), QByteArray()).data().toObject()
                                     .value(QStringLiteral("memory_usage")).toInt() >= 0, kTimeoutMs);
    QTest::qWait(500);
    QVERIFY(c.postRaw(QStringLiteral("/api/slot1/datalogger/stop_streaming"), QByteArray()).success());
    QVERIFY(reader->wait(60000));
    delete reader;
    QVERIFY2(r2.error.isEmpty(), qPrintable(r2.error));
    QVERIFY(r2.eos);
    QVERIFY(r2.samples > 0);
    QCOMPARE(r2.lost, 0LL);
}

void TestMokuSimulator::bridgeStreamFast()
{
    // 5 s at 1 MSa/s, two inputs: every sample arrives once, in order.
    MokuSimulator::Config cfg = quickConfig();
    cfg.bridgePort = 0;
    SimOnThread sim(cfg);
    Client c(sim->port());
    setupTwoInputs(c);
    QVERIFY(c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("duration"), 5}, {QStringLiteral("sample_rate"), 1e6}}).success());
    bool closed = false;
    const NdjsonReader r = readBridge(sim->bridgePort(), &closed);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.eos);
    QCOMPARE(r.samples, 5000000LL);
    QCOMPARE(r.lost, 0LL);
    QCOMPARE(r.lines, 50LL);
}

void TestMokuSimulator::getChunk()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    setupTwoInputs(c);
    const QString id = c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("duration"), 1}, {QStringLiteral("sample_rate"), 100}})
                           .data().toObject().value(QStringLiteral("stream_id")).toString();
    Client anon(sim->port()); // mokucli has no client key
    const QJsonObject nested{{QStringLiteral("stream_id"), QJsonObject{{id, QJsonObject{{QStringLiteral("topic"), QStringLiteral("logformat0")}}}}}};
    long long samples = 0;
    bool end = false;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 const Answer a = anon.post(QStringLiteral("/api/v2/get_chunk"), nested);
                                 if (a.status != 200 || !a.body.startsWith("LI") || !QJsonDocument::fromJson(a.body).isNull())
                                     return true; // fails below
                                 SimChunk chunk;
                                 if (!decodeChunk(a.body, chunk).isEmpty())
                                     return true;
                                 if (chunk.first != samples)
                                     return true;
                                 samples += (long long)chunk.count();
                                 end = chunk.end;
                                 return end;
                             }()),
                             kTimeoutMs);
    QVERIFY(end);
    QCOMPARE(samples, 100LL);
    // the documentation's flat body (U2) and an unknown id: a JSON error, not bytes
    Answer flat = anon.post(QStringLiteral("/api/v2/get_chunk"), {{QStringLiteral("stream_id"), id}});
    QVERIFY(flat.body.startsWith("LI"));
    Answer unknown = anon.post(QStringLiteral("/api/v2/get_chunk"), {{QStringLiteral("stream_id"), QStringLiteral("logsink9")}});
    QVERIFY(unknown.envelope.value(QStringLiteral("error")).toString().contains(QStringLiteral("logsink9")));
}

void TestMokuSimulator::idleTimeout()
{
    MokuSimulator::Config cfg = quickConfig();
    cfg.bridgePort = 0;
    cfg.idleTimeout = 0.5;
    SimOnThread sim(cfg);
    Client c(sim->port());
    setupTwoInputs(c);
    QVERIFY(c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("duration"), 100}, {QStringLiteral("sample_rate"), 1000}}).success());
    QJsonObject status;
    QTRY_VERIFY_WITH_TIMEOUT((status = c.postRaw(QStringLiteral("/api/slot1/datalogger/get_stream_status"), QByteArray()).data().toObject(),
                              status.value(QStringLiteral("status")).toString() == QLatin1String("ERROR")),
                             kTimeoutMs);
    QVERIFY2(status.value(QStringLiteral("error")).toString().contains(QStringLiteral("nobody read")),
             qPrintable(status.value(QStringLiteral("error")).toString()));
    // a bridge that connects now is closed at once, without EOS
    bool closed = false;
    const NdjsonReader r = readBridge(sim->bridgePort(), &closed);
    QVERIFY(!r.eos);
    QCOMPARE(r.samples, 0LL);
}

void TestMokuSimulator::slowReaderBounded()
{
    // A reader that connects and never reads: the socket fills, the backlog passes the device's
    // buffer and the stream goes to ERROR instead of growing memory.
    MokuSimulator::Config cfg = quickConfig();
    cfg.bridgePort = 0;
    cfg.streamBufferSeconds = 0.5;
    SimOnThread sim(cfg);
    Client c(sim->port());
    setupTwoInputs(c);
    QTcpSocket lazy;
    lazy.setReadBufferSize(4096);
    lazy.connectToHost(QHostAddress::LocalHost, sim->bridgePort());
    QVERIFY(lazy.waitForConnected(kTimeoutMs));
    QVERIFY(c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("sample_rate"), 1e6}}).success());
    QJsonObject status;
    QTRY_VERIFY_WITH_TIMEOUT((status = c.postRaw(QStringLiteral("/api/slot1/datalogger/get_stream_status"), QByteArray()).data().toObject(),
                              status.value(QStringLiteral("status")).toString() == QLatin1String("ERROR")),
                             60000);
    QVERIFY2(status.value(QStringLiteral("error")).toString().contains(QStringLiteral("behind")),
             qPrintable(status.value(QStringLiteral("error")).toString()));
}

void TestMokuSimulator::faultHttp502()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    sim->injectFault(MokuSimulator::Fault::Http502);
    // (the fault is queued to the simulator's thread: calls before it lands are answered normally)
    // (QTRY evaluates once more after success: the flag keeps what was seen)
    int status = 200;
    QTRY_VERIFY_WITH_TIMEOUT(status != 200 || (status = c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).status) != 200,
                             kTimeoutMs);
    QCOMPARE(status, 502);
    QVERIFY(c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).success()); // once
}

void TestMokuSimulator::faultStall()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    QMetaObject::invokeMethod(sim.operator->(), [&] { sim->injectFault(MokuSimulator::Fault::Stall); }, Qt::BlockingQueuedConnection);
    QNetworkReply *stalled = c.start("GET", QStringLiteral("/api/slot1/datalogger/get_samplerate"), nullptr);
    QTest::qWait(1000); // lower bound only: it is never answered
    QVERIFY(!stalled->isFinished());
    // the device itself is still there for the next call (on another connection)
    QVERIFY(c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).success());
    QVERIFY(!stalled->isFinished());
    stalled->abort();
    stalled->deleteLater();
}

void TestMokuSimulator::faultTruncatedJson()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    QMetaObject::invokeMethod(sim.operator->(), [&] { sim->injectFault(MokuSimulator::Fault::TruncatedJson); },
                              Qt::BlockingQueuedConnection);
    const Answer a = c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate"));
    QCOMPARE(a.status, 200);
    QVERIFY(a.body.startsWith("{\"")); // the start of the envelope…
    QJsonParseError err;
    QJsonDocument::fromJson(a.body, &err);
    QVERIFY(err.error != QJsonParseError::NoError); // …cut in the middle
    QVERIFY(c.get(QStringLiteral("/api/slot1/datalogger/get_samplerate")).success());
}

void TestMokuSimulator::faultStreamError()
{
    MokuSimulator::Config cfg = quickConfig();
    cfg.bridgePort = 0;
    SimOnThread sim(cfg);
    Client c(sim->port());
    setupTwoInputs(c);
    QVERIFY(c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("duration"), 100}, {QStringLiteral("sample_rate"), 1000}}).success());
    bool closed = false;
    NdjsonReader r;
    QThread *reader = QThread::create([&] { r = readBridge(sim->bridgePort(), &closed); });
    reader->start();
    QTRY_VERIFY_WITH_TIMEOUT(c.postRaw(QStringLiteral("/api/slot1/datalogger/get_stream_status"), QByteArray()).data().toObject()
                                     .value(QStringLiteral("status")).toString() == QLatin1String("RUNNING"), kTimeoutMs);
    QTest::qWait(300);
    sim->injectFault(MokuSimulator::Fault::StreamError);
    QVERIFY(reader->wait(60000));
    delete reader;
    QVERIFY(closed);
    QVERIFY(!r.eos); // ended without EOS
    const QJsonObject status = c.postRaw(QStringLiteral("/api/slot1/datalogger/get_stream_status"), QByteArray()).data().toObject();
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("ERROR"));
    QVERIFY(!status.value(QStringLiteral("error")).toString().isEmpty());
}

void TestMokuSimulator::faultOwnershipTaken()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    QVERIFY(c.claim().success());
    sim->injectFault(MokuSimulator::Fault::OwnershipTaken);
    QTRY_COMPARE_WITH_TIMEOUT(c.dl(QStringLiteral("get_samplerate")).code(), QStringLiteral("INVALID_REQUEST"), kTimeoutMs);
    QCOMPARE(c.claim(false).code(), QStringLiteral("UNEXPECTED_CHANGE"));
    QVERIFY(c.claim(true).success());
    QVERIFY(c.dl(QStringLiteral("get_samplerate")).success());
}

void TestMokuSimulator::faultNames()
{
    for (auto f : {MokuSimulator::Fault::None, MokuSimulator::Fault::Http502, MokuSimulator::Fault::Stall,
                   MokuSimulator::Fault::TruncatedJson, MokuSimulator::Fault::StreamError, MokuSimulator::Fault::OwnershipTaken}) {
        MokuSimulator::Fault back{};
        QVERIFY(MokuSimulator::faultFromName(MokuSimulator::faultName(f), &back));
        QCOMPARE(back, f);
    }
    MokuSimulator::Fault x{};
    QVERIFY(!MokuSimulator::faultFromName(QStringLiteral("melt"), &x));
}

namespace {

struct Mokucli
{
    QTemporaryDir dir;
    QString path;
    Mokucli()
    {
        path = dir.filePath(QStringLiteral("mokucli"));
        QFile::link(QStringLiteral(BENCHSCOPE_SIM), path);
    }
};

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

void TestMokuSimulator::mokucliVersionAndConfig()
{
    Mokucli cli;
    QProcess p;
    p.start(cli.path, {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(kTimeoutMs));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("4.0.3\n"));
    QCOMPARE(p.readAllStandardError(), QByteArray());
    p.start(cli.path, {QStringLiteral("config"), QStringLiteral("which")});
    QVERIFY(p.waitForFinished(kTimeoutMs));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(!p.readAllStandardOutput().trimmed().isEmpty());
    // also as `benchscope-sim mokucli ...`
    p.start(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("mokucli"), QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(kTimeoutMs));
    QCOMPARE(p.readAllStandardOutput(), QByteArray("4.0.3\n"));
}

namespace {

/// Starts the stand-in as the vendor's client does and reads its NDJSON port.
NdjsonReader runStandIn(const QString &cli, quint16 simPort, const QString &id, bool spaced, QProcess &p)
{
    const quint16 target = freePort();
    const QStringList args = spaced ? QStringList{QStringLiteral("stream"), QStringLiteral("--ip-address"),
                                                 QStringLiteral("127.0.0.1:%1").arg(simPort), QStringLiteral("--stream-id"), id,
                                                 QStringLiteral("--target"), QString::number(target)}
                                    : QStringList{QStringLiteral("stream"), QStringLiteral("--ip-address=127.0.0.1:%1").arg(simPort),
                                                  QStringLiteral("--stream-id=%1").arg(id),
                                                  QStringLiteral("--target=%1").arg(target)};
    if (spaced) {
        // an HTTP proxy in the environment (as on many lab PCs) must not catch the loopback fetch
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("http_proxy"), QStringLiteral("http://127.0.0.1:9"));
        env.insert(QStringLiteral("HTTP_PROXY"), QStringLiteral("http://127.0.0.1:9"));
        env.remove(QStringLiteral("no_proxy"));
        env.remove(QStringLiteral("NO_PROXY"));
        p.setProcessEnvironment(env);
    }
    p.start(cli, args);
    NdjsonReader r;
    QTcpSocket sock;
    for (int attempt = 0; attempt < 100; ++attempt) { // the client retries; we are more patient
        sock.connectToHost(QHostAddress::LocalHost, target);
        if (sock.waitForConnected(2000))
            break;
        sock.abort();
        QThread::msleep(100);
    }
    if (sock.state() != QAbstractSocket::ConnectedState)
        return r;
    while (!r.eos) {
        if (sock.bytesAvailable() == 0 && !sock.waitForReadyRead(kTimeoutMs))
            break;
        r.feed(sock.readAll());
    }
    return r;
}

} // namespace

void TestMokuSimulator::mokucliStream()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    setupTwoInputs(c);
    Mokucli cli;
    for (bool spaced : {false, true}) {
        const QString id = c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("duration"), 1}, {QStringLiteral("sample_rate"), 10000}})
                               .data().toObject().value(QStringLiteral("stream_id")).toString();
        QProcess p;
        const NdjsonReader r = runStandIn(cli.path, sim->port(), id, spaced, p);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.eos);
        QCOMPARE(r.samples, 10000LL);
        QCOMPARE(r.lost, 0LL);
        QCOMPARE(r.lines, 10LL);
        QVERIFY(p.waitForFinished(kTimeoutMs));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardError(), QByteArray()); // the vendor's client takes any stderr text as an error
    }
}

void TestMokuSimulator::mokucliStreamError()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    setupTwoInputs(c);
    Mokucli cli;
    const QString id = c.dl(QStringLiteral("start_streaming"), {{QStringLiteral("duration"), 100}, {QStringLiteral("sample_rate"), 1000}})
                           .data().toObject().value(QStringLiteral("stream_id")).toString();
    // injectFault is thread-safe; the reading below blocks this thread, so the fault comes from another
    QThread *faulter = QThread::create([&] {
        QThread::msleep(1500);
        sim->injectFault(MokuSimulator::Fault::StreamError);
    });
    faulter->start();
    QProcess p;
    const NdjsonReader r = runStandIn(cli.path, sim->port(), id, false, p);
    QVERIFY(faulter->wait(kTimeoutMs));
    delete faulter;
    QVERIFY(!r.eos);
    QVERIFY(p.waitForFinished(kTimeoutMs));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("Stream error"));
    // an unknown stream id: stderr, exit 1
    QProcess q;
    const NdjsonReader none = runStandIn(cli.path, sim->port(), QStringLiteral("logsink77"), false, q);
    QVERIFY(!none.eos);
    QVERIFY(q.waitForFinished(kTimeoutMs));
    QCOMPARE(q.exitCode(), 1);
    QVERIFY(q.readAllStandardError().contains("logsink77"));
}

void TestMokuSimulator::mokucliConvert()
{
    SimOnThread sim(quickConfig());
    Client c(sim->port());
    setupTwoInputs(c);
    const QString name = c.dl(QStringLiteral("start_logging"), {{QStringLiteral("duration"), 0.5}, {QStringLiteral("sample_rate"), 200}})
                             .data().toObject().value(QStringLiteral("file_name")).toString();
    QTRY_VERIFY_WITH_TIMEOUT(c.get(QStringLiteral("/api/slot1/datalogger/logging_progress")).data().toObject()
                                     .value(QStringLiteral("complete")).toBool(), kTimeoutMs);
    Mokucli cli;
    const QString li = cli.dir.filePath(name);
    {
        QFile f(li);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(c.get(QStringLiteral("/api/persist/download/") + name).body);
    }
    QProcess p;
    p.start(cli.path, {QStringLiteral("convert"), li, QStringLiteral("--format=csv")});
    QVERIFY(p.waitForFinished(kTimeoutMs));
    QCOMPARE(p.exitCode(), 0);
    QFile csv(cli.dir.filePath(QFileInfo(name).completeBaseName() + QStringLiteral(".csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    int rows = 0;
    double maxV = -10;
    QByteArray headerLine;
    while (!csv.atEnd()) {
        const QByteArray line = csv.readLine().trimmed();
        if (line.startsWith('%')) {
            headerLine = line;
            continue;
        }
        const QList<QByteArray> cols = line.split(',');
        QCOMPARE(cols.size(), 3);
        QCOMPARE(cols[0].trimmed().toDouble(), rows / 200.0);
        maxV = std::max(maxV, cols[1].trimmed().toDouble());
        ++rows;
    }
    QCOMPARE(rows, 100);
    QCOMPARE(headerLine, QByteArray("% Time (s), Input 1 (V), Input 2 (V)"));
    QVERIFY(maxV > 0.4); // the 10 Hz 1 Vpp sine
    p.start(cli.path, {QStringLiteral("convert"), li, QStringLiteral("--format=npy")});
    QVERIFY(p.waitForFinished(kTimeoutMs));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("not supported"));
}

void TestMokuSimulator::simCommandLine()
{
    // benchscope-sim moku prints its ports and answers there; bad switches exit 64 naming them
    QProcess p;
    p.start(QStringLiteral(BENCHSCOPE_SIM), {QStringLiteral("moku"), QStringLiteral("--port"), QStringLiteral("0"),
                                             QStringLiteral("--model"), QStringLiteral("pro"), QStringLiteral("--bridge-port"),
                                             QStringLiteral("0"), QStringLiteral("--deploy-delay"), QStringLiteral("0")});
    QVERIFY(p.waitForStarted(kTimeoutMs));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput(), out.contains("NDJSON")), kTimeoutMs);
    const auto m = QRegularExpression(QStringLiteral("listening: 127\\.0\\.0\\.1:(\\d+)")).match(QString::fromLatin1(out));
    QVERIFY2(m.hasMatch(), out.constData());
    Client c(quint16(m.captured(1).toUInt()));
    QCOMPARE(c.get(QStringLiteral("/api/moku/describe")).data().toObject().value(QStringLiteral("hardware")).toString(),
             QStringLiteral("Moku:Pro"));
    p.kill();
    p.waitForFinished(kTimeoutMs);
    for (const QStringList &bad : {QStringList{QStringLiteral("--model"), QStringLiteral("mini")},
                                   QStringList{QStringLiteral("--fault"), QStringLiteral("melt")},
                                   QStringList{QStringLiteral("--bogus")}}) {
        QProcess q;
        q.start(QStringLiteral(BENCHSCOPE_SIM), QStringList{QStringLiteral("moku")} + bad);
        QVERIFY(q.waitForFinished(kTimeoutMs));
        QCOMPARE(q.exitCode(), 64);
        QVERIFY2(q.readAllStandardError().contains(bad.last().toUtf8()), qPrintable(bad.join(QLatin1Char(' '))));
    }
}

QTEST_GUILESS_MAIN(TestMokuSimulator)
#include "test_moku_simulator.moc"
