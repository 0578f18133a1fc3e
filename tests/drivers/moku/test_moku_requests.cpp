// SPDX-License-Identifier: GPL-3.0-or-later
// The driver's pure request code (MokuDriverRequests): URLs, bodies as the vendor's client sends
// them, read-back keys, describe and mokucli version checks. No I/O.
#include "MokuDriverParameters.h"
#include "MokuDriverRequests.h"

#include <QJsonArray>
#include <QtTest>

using namespace bs;
using namespace bs::moku;

namespace {

HostPort hp(const QString &text)
{
    return *parseHostPort(text, 80);
}

} // namespace

class TestMokuRequests : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void urls()
    {
        QCOMPARE(apiUrl(hp(QStringLiteral("192.168.73.1")), QStringLiteral("moku/describe")).toString(),
                 QStringLiteral("http://192.168.73.1:80/api/moku/describe"));
        QCOMPARE(apiUrl(hp(QStringLiteral("127.0.0.1:8090")), kDataloggerPath + QStringLiteral("set_frontend")).toString(),
                 QStringLiteral("http://127.0.0.1:8090/api/slot1/datalogger/set_frontend"));
        const QUrl v6 = apiUrl(hp(QStringLiteral("[::1]:8090")), QStringLiteral("moku/name"));
        QVERIFY(v6.isValid());
        QVERIFY2(v6.toString().startsWith(QStringLiteral("http://[::1]:8090/api/")), qPrintable(v6.toString()));
        const QUrl zone = apiUrl(hp(QStringLiteral("[fe80::1%eth0]")), QStringLiteral("moku/name"));
        QVERIFY2(zone.toString().contains(QStringLiteral("[fe80::1%")), qPrintable(zone.toString()));
    }

    void mokucliAddresses()
    {
        QCOMPARE(mokucliAddress(hp(QStringLiteral("10.0.0.2"))), QStringLiteral("10.0.0.2"));
        QCOMPARE(mokucliAddress(hp(QStringLiteral("127.0.0.1:8090"))), QStringLiteral("127.0.0.1:8090"));
        QCOMPARE(mokucliAddress(hp(QStringLiteral("[::1]:8090"))), QStringLiteral("[::1]:8090"));
    }

    void blockingPostText()
    {
        const QByteArray t = httpPostText(hp(QStringLiteral("127.0.0.1:8090")), QStringLiteral("moku/relinquish_ownership"),
                                          QStringLiteral("17cfd311ecb"), "{}");
        QVERIFY(t.startsWith("POST /api/moku/relinquish_ownership HTTP/1.1\r\n"));
        QVERIFY(t.contains("\r\nHost: 127.0.0.1:8090\r\n"));
        QVERIFY(t.contains("\r\nMoku-Client-Key: 17cfd311ecb\r\n"));
        QVERIFY(t.contains("\r\nContent-Length: 2\r\n"));
        QVERIFY(t.endsWith("\r\n\r\n{}"));
        QCOMPARE(parseHttpStatus("HTTP/1.1 200 OK\r\n"), std::optional<int>(200));
        QCOMPARE(parseHttpStatus("HTTP/1.1 502 Bad Gateway\r\nX"), std::optional<int>(502));
        QCOMPARE(parseHttpStatus("HTTP/1.1 20"), std::nullopt);
        QCOMPARE(parseHttpStatus("garbage\n"), std::optional<int>(0));
    }

    void claim()
    {
        QCOMPARE(claimKey("17cfd311ecb", QJsonValue()), QStringLiteral("17cfd311ecb"));
        QCOMPARE(claimKey("", QJsonValue(QStringLiteral("abc"))), QStringLiteral("abc")); // C++/Go examples
        QCOMPARE(claimKey("", QJsonValue(QStringLiteral("  "))), QString());
        QCOMPARE(claimKey("", QJsonValue(5)), QString());
        const QJsonObject b = claimBody(false);
        QCOMPARE(b.value(QStringLiteral("force_connect")), QJsonValue(false));
        QCOMPARE(b.value(QStringLiteral("ignore_busy")), QJsonValue(false));
        QCOMPARE(b.value(QStringLiteral("persist_state")), QJsonValue(false));
        QCOMPARE(claimBody(true).value(QStringLiteral("force_connect")), QJsonValue(true));
    }

    void proxyVersions()
    {
        QCOMPARE(proxyVersion(QJsonValue(2)), std::optional<int>(2));
        QCOMPARE(proxyVersion(QJsonValue(2.0)), std::optional<int>(2));
        QCOMPARE(proxyVersion(QJsonValue(QStringLiteral("2"))), std::optional<int>(2));
        QCOMPARE(proxyVersion(QJsonValue(QStringLiteral("2.0"))), std::nullopt); // int("2.0") fails in Python
        QCOMPARE(proxyVersion(QJsonValue()), std::nullopt);
        QCOMPARE(proxyVersion(QJsonValue(1)), std::optional<int>(1));
    }

    void mokucliVersions()
    {
        QCOMPARE(parseMokucliVersion(QStringLiteral("4.0.1\n")), std::optional<QVersionNumber>(QVersionNumber(4, 0, 1)));
        QCOMPARE(parseMokucliVersion(QStringLiteral("mokucli 4.0.3")), std::optional<QVersionNumber>(QVersionNumber(4, 0, 3)));
        QCOMPARE(parseMokucliVersion(QStringLiteral("3.2")), std::optional<QVersionNumber>(QVersionNumber(3, 2, 0)));
        QCOMPARE(parseMokucliVersion(QStringLiteral("unknown")), std::nullopt);
        QVERIFY(QVersionNumber(4, 0, 0) < minimumMokucliVersion());
        QVERIFY(!(QVersionNumber(4, 0, 1) < minimumMokucliVersion()));
    }

    void waveformBodiesCarryOnlyTheirType()
    {
        WaveformSettings w;
        w.type = QStringLiteral("Square");
        w.amplitude = 2;
        w.frequency = 5000;
        w.duty = 20;
        w.dcLevel = 1;
        const QJsonObject sq = waveformBody(2, w);
        QCOMPARE(sq.value(QStringLiteral("strict")), QJsonValue(true));
        QCOMPARE(sq.value(QStringLiteral("channel")), QJsonValue(2));
        QCOMPARE(sq.value(QStringLiteral("duty")), QJsonValue(20.0));
        QVERIFY(sq.value(QStringLiteral("symmetry")).isNull());
        QVERIFY(sq.value(QStringLiteral("dc_level")).isNull());
        QVERIFY(sq.value(QStringLiteral("edge_time")).isNull());
        QCOMPARE(sq.size(), 12); // every keyword, as the vendor's client sends them
        w.type = QStringLiteral("DC");
        const QJsonObject dc = waveformBody(1, w);
        QCOMPARE(dc.value(QStringLiteral("dc_level")), QJsonValue(1.0));
        QVERIFY(dc.value(QStringLiteral("amplitude")).isNull());
        QVERIFY(dc.value(QStringLiteral("frequency")).isNull());
        w.type = QStringLiteral("Off");
        const QJsonObject off = waveformBody(1, w);
        QCOMPARE(off.value(QStringLiteral("type")), QJsonValue(QStringLiteral("Off")));
        QVERIFY(off.value(QStringLiteral("amplitude")).isNull());
        w.type = QStringLiteral("Noise");
        const QJsonObject noise = waveformBody(1, w);
        QCOMPARE(noise.value(QStringLiteral("amplitude")), QJsonValue(2.0));
        QVERIFY(noise.value(QStringLiteral("frequency")).isNull());
    }

    // The lists show a technician's words and offer what the connected model takes (§8); the
    // values stay the API's words.
    void choicesAreLabelledAndFollowTheModel()
    {
        ParameterSet p;
        QVector<ActionSpec> actions;
        addParameters(p, actions);
        const ParameterSpec &imp = *p.spec(QStringLiteral("in1_impedance"));
        QCOMPARE(imp.choiceList(), QStringLiteral("1 MΩ, 50 Ω"));
        QCOMPARE(p.spec(QStringLiteral("in1_range"))->choiceLabel(QStringLiteral("400mVpp")), QStringLiteral("400 mVpp"));
        QCOMPARE(p.spec(QStringLiteral("out1_termination"))->choiceLabel(QStringLiteral("HiZ")), QStringLiteral("High-Z"));
        QCOMPARE(p.spec(QStringLiteral("in1_bandwidth"))->choiceLabel(QStringLiteral("600MHz")), QStringLiteral("600 MHz"));
        QCOMPARE(p.spec(QStringLiteral("mode"))->choiceLabel(QStringLiteral("PeakDetect")), QStringLiteral("Peak detect"));
        QCOMPARE(p.spec(QStringLiteral("trigger_source"))->choiceLabel(QStringLiteral("Input3")), QStringLiteral("Input 3"));
        // Not connected: every value.
        QCOMPARE(p.choices(QStringLiteral("in1_impedance")).size(), 2);
        QCOMPARE(p.choices(QStringLiteral("in1_range")).size(), 7);
        auto model = [&p](const char *m) { QVERIFY(p.set(QStringLiteral("model"), QLatin1String(m), true).isEmpty()); };
        model("Moku:Go");
        QCOMPARE(p.choices(QStringLiteral("in1_impedance")), QStringList{QStringLiteral("1MOhm")});
        QCOMPARE(p.choices(QStringLiteral("in2_range")), (QStringList{QStringLiteral("10Vpp"), QStringLiteral("50Vpp")}));
        QCOMPARE(p.choices(QStringLiteral("trigger_source")),
                 (QStringList{QStringLiteral("None"), QStringLiteral("Input1"), QStringLiteral("Input2")}));
        const QString why = p.checkChoice(QStringLiteral("in1_impedance"), QStringLiteral("50Ohm"));
        QVERIFY2(why.contains(QStringLiteral("Moku:Go")) && why.contains(QStringLiteral("1 MΩ"))
                     && why.contains(QStringLiteral("50 Ω")),
                 qPrintable(why));
        model("Moku:Lab");
        QCOMPARE(p.choices(QStringLiteral("in1_impedance")), (QStringList{QStringLiteral("1MOhm"), QStringLiteral("50Ohm")}));
        QCOMPARE(p.choices(QStringLiteral("in1_range")), (QStringList{QStringLiteral("1Vpp"), QStringLiteral("10Vpp")}));
        QCOMPARE(p.choices(QStringLiteral("mode")), (QStringList{QStringLiteral("Normal"), QStringLiteral("Precision")}));
        QVERIFY(p.choices(QStringLiteral("trigger_source")).contains(QStringLiteral("External")));
        model("Moku:Pro");
        QCOMPARE(p.choices(QStringLiteral("in3_range")),
                 (QStringList{QStringLiteral("400mVpp"), QStringLiteral("4Vpp"), QStringLiteral("40Vpp")}));
        model("Moku:Delta");
        QCOMPARE(p.choices(QStringLiteral("trigger_source")).size(), 10); // None, Input1…8, External
        // Every model's table is on offer exactly (nothing the model check would refuse).
        for (const ModelInfo &m : models()) {
            QVERIFY(p.set(QStringLiteral("model"), QString::fromLatin1(m.hardware), true).isEmpty());
            const QStringList impedances = p.choices(QStringLiteral("in1_impedance"));
            const QStringList ranges = p.choices(QStringLiteral("in1_range"));
            QCOMPARE(QSet<QString>(impedances.begin(), impedances.end()), QSet<QString>(m.impedances.begin(), m.impedances.end()));
            QCOMPARE(QSet<QString>(ranges.begin(), ranges.end()), QSet<QString>(m.ranges.begin(), m.ranges.end()));
            for (const QString &v : impedances)
                QVERIFY(checkFrontend(m, 1, v, QStringLiteral("DC"), m.ranges.first()).isEmpty());
        }
    }

    void streamingAndLoggingBodies()
    {
        ParameterSet p;
        QVector<ActionSpec> actions;
        addParameters(p, actions);
        QJsonObject s = startStreamingBody(p, 1e6);
        QVERIFY(!s.contains(QStringLiteral("strict"))); // §11: the client sends none
        // Until Stop by default: the longest stream; a duration given is sent as it is.
        QCOMPARE(p.intValue(QStringLiteral("duration")), 0);
        QCOMPARE(s.value(QStringLiteral("duration")), QJsonValue(double(kLongestStreamS)));
        QCOMPARE(startStreamingBody(p, 1e6, 5).value(QStringLiteral("duration")), QJsonValue(5.0));
        QVERIFY(p.set(QStringLiteral("duration"), 60).isEmpty());
        QCOMPARE(startStreamingBody(p, 1e6).value(QStringLiteral("duration")), QJsonValue(60.0));
        QVERIFY(!p.set(QStringLiteral("duration"), double(kLongestStreamS + 1)).isEmpty());
        QCOMPARE(p.spec(QStringLiteral("duration"))->specialValueText, QStringLiteral("Until Stop"));
        QCOMPARE(s.value(QStringLiteral("sample_rate")), QJsonValue(1e6));
        QVERIFY(s.value(QStringLiteral("trigger_source")).isNull());
        QVERIFY(s.value(QStringLiteral("trigger_level")).isNull());
        p.set(QStringLiteral("trigger_source"), QStringLiteral("Input2"));
        p.set(QStringLiteral("trigger_level"), 0.5);
        s = startStreamingBody(p, 1000);
        QCOMPARE(s.value(QStringLiteral("trigger_source")), QJsonValue(QStringLiteral("Input2")));
        QCOMPARE(s.value(QStringLiteral("trigger_level")), QJsonValue(0.5));
        p.set(QStringLiteral("log_prefix"), QStringLiteral("Run"));
        p.set(QStringLiteral("log_delay"), 3);
        const QJsonObject l = startLoggingBody(p);
        QCOMPARE(l.value(QStringLiteral("strict")), QJsonValue(true));
        QCOMPARE(l.value(QStringLiteral("file_name_prefix")), QJsonValue(QStringLiteral("Run")));
        QCOMPARE(l.value(QStringLiteral("delay")), QJsonValue(3.0));
        QCOMPARE(l.value(QStringLiteral("duration")), QJsonValue(60.0));
        QVERIFY(l.contains(QStringLiteral("comments")));
    }

    void frontendBodyAndReadBack()
    {
        ParameterSet p;
        QVector<ActionSpec> actions;
        addParameters(p, actions);
        const QJsonObject go = frontendBody(modelInfo(Model::Go), p, 1);
        QVERIFY(!go.contains(QStringLiteral("bandwidth")));
        QCOMPARE(go.value(QStringLiteral("range")), QJsonValue(QStringLiteral("10Vpp")));
        QVERIFY(frontendBody(modelInfo(Model::Pro), p, 3).contains(QStringLiteral("bandwidth")));
        const QJsonObject reply{{QStringLiteral("bandwidth"), QStringLiteral("2GHz")},
                                {QStringLiteral("coupling"), QStringLiteral("AC")},
                                {QStringLiteral("impedance"), QStringLiteral("50Ohm")},
                                {QStringLiteral("range"), QStringLiteral("1Vpp")}};
        const auto delta = frontendReadBack(modelInfo(Model::Delta), 5, reply);
        QCOMPARE(delta.size(), 3); // Delta's bandwidth follows the impedance: not a setting
        QCOMPARE(delta[2].first, QStringLiteral("in5_range"));
        QCOMPARE(delta[2].second.toString(), QStringLiteral("1Vpp"));
        QCOMPARE(frontendReadBack(modelInfo(Model::Pro), 1, reply).size(), 4);
        QVERIFY(frontendReadBack(modelInfo(Model::Go), 1, QJsonValue(QStringLiteral("x"))).isEmpty());
    }

    void waveformReadBackSkipsWhatIsNotThere()
    {
        const auto r = waveformReadBack(
            2, QJsonObject{{QStringLiteral("type"), QStringLiteral("Sine")}, {QStringLiteral("amplitude"), 1.5},
                           {QStringLiteral("frequency"), QStringLiteral("inf")}, {QStringLiteral("duty"), QJsonValue()}});
        QCOMPARE(r.size(), 2);
        QCOMPARE(r[0].first, QStringLiteral("out2_type"));
        QCOMPARE(r[1].first, QStringLiteral("out2_amplitude"));
    }

    void fieldsOfReadBacks()
    {
        QCOMPARE(field(QJsonObject{{QStringLiteral("sample_rate"), 100.0}}, QStringLiteral("sample_rate")), QJsonValue(100.0));
        QCOMPARE(field(QJsonValue(100.0), QStringLiteral("sample_rate")), QJsonValue(100.0)); // U4: a bare value
        QVERIFY(field(QJsonValue(), QStringLiteral("sample_rate")).isUndefined());
    }

    void listedFileNames()
    {
        QCOMPARE(listedFiles(QJsonArray{QStringLiteral("a.li"), QStringLiteral("b.li")}),
                 (QStringList{QStringLiteral("a.li"), QStringLiteral("b.li")}));
        QCOMPARE(listedFiles(QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("a.li")}, {QStringLiteral("size"), 3}}}),
                 QStringList{QStringLiteral("a.li")});
        QCOMPARE(listedFiles(QJsonObject{{QStringLiteral("files"), QJsonArray{QStringLiteral("c.li")}}}),
                 QStringList{QStringLiteral("c.li")});
        QCOMPARE(listedFiles(QJsonValue()), QStringList());
    }

    void enabledInputsFollowTheModel()
    {
        ParameterSet p;
        QVector<ActionSpec> actions;
        addParameters(p, actions);
        p.set(QStringLiteral("in3_enable"), true);
        QCOMPARE(enabledInputs(p, modelInfo(Model::Go)), (QList<int>{1, 2}));
        QCOMPARE(enabledInputs(p, modelInfo(Model::Pro)), (QList<int>{1, 2, 3}));
    }
};

QTEST_GUILESS_MAIN(TestMokuRequests)
#include "test_moku_requests.moc"
