// SPDX-License-Identifier: GPL-3.0-or-later
#include "DriverRegistry.h"
#include "FakeInstrument.h"
#include "HostPort.h"
#include "Session.h"
#include "Workspace.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace bs;

class TestSession : public QObject
{
    Q_OBJECT

    static QByteArray validJson()
    {
        return R"({"format":"benchscope-session","version":1,
                   "instruments":[{"id":"f1","type":"fake","name":"Bench fake","address":"x:1",
                                   "parameters":{"rate":250.5,"mode":"B"}}],
                   "views":[{"type":"scope","span_s":5}],
                   "recording":{"format":"csv","directory":"/tmp","base_name":"run","queue_mib":64}})";
    }

    static QString errorOf(const QByteArray &json)
    {
        QString err;
        auto s = Session::fromBytes(json, &err);
        return s ? QString() : err;
    }

private Q_SLOTS:
    void initTestCase()
    {
        DriverInfo fake;
        fake.type = QStringLiteral("fake");
        fake.displayName = QStringLiteral("Fake");
        fake.defaultAddress = QStringLiteral("x:1");
        fake.create = [] { return std::make_unique<test::FakeInstrument>(); };
        DriverRegistry::instance().add(fake);
        // A network instrument that declares its address kinds: host[:port] as parseHostPort() reads it.
        DriverInfo net;
        net.type = QStringLiteral("fakenet");
        net.displayName = QStringLiteral("Fake network instrument");
        net.defaultAddress = QStringLiteral("127.0.0.1:1234");
        net.create = [] { return std::make_unique<test::FakeInstrument>(); };
        net.checkAddress = [](const QString &address) {
            QString why;
            parseHostPort(address, 1234, &why);
            return why;
        };
        DriverRegistry::instance().add(net);
    }

    static QByteArray withAddress(const QString &type, const QString &address)
    {
        return QStringLiteral(R"({"format":"benchscope-session","version":1,"instruments":[)"
                              R"({"id":"ok1","type":"fakenet","address":"[::1]:8888"},)"
                              R"({"id":"bench7","type":"%1","address":"%2"}]})")
            .arg(type, address)
            .toUtf8();
    }

    void acceptsNetworkAddresses_data()
    {
        QTest::addColumn<QString>("address");
        for (const char *a : {"[::1]:8888", "[fe80::1%eth0]:23", "::1", "fe80::1%eth0", "10.0.0.2:7777", "panda.lab",
                              "localhost:65535", ""})
            QTest::newRow(a) << QString::fromLatin1(a);
    }

    void acceptsNetworkAddresses()
    {
        QFETCH(QString, address);
        QString err;
        const auto s = Session::fromBytes(withAddress(QStringLiteral("fakenet"), address), &err);
        QVERIFY2(s, qPrintable(err));
        QCOMPARE(s->instruments.at(1).address, address);
    }

    // A port out of range is refused when the session is loaded, naming the instrument and the key
    // `address` — not later, when the instrument connects.
    void refusesBadAddressesOnLoad_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("reason");
        QTest::newRow("port 0") << "127.0.0.1:0" << "port '0'";
        QTest::newRow("port 65536") << "127.0.0.1:65536" << "port '65536'";
        QTest::newRow("port letters") << "pandabox:abc" << "port 'abc'";
        QTest::newRow("[v6] port 65536") << "[::1]:65536" << "port '65536'";
        QTest::newRow("ambiguous") << "::1:8888" << "ambiguous";
        QTest::newRow("not ipv6") << "[panda]:8888" << "not an IPv6 address";
    }

    void refusesBadAddressesOnLoad()
    {
        QFETCH(QString, address);
        QFETCH(QString, reason);
        const QString err = errorOf(withAddress(QStringLiteral("fakenet"), address));
        QVERIFY2(err.startsWith(QStringLiteral("instruments[1].address: ")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("'bench7'")), qPrintable(err));
        QVERIFY2(err.contains(address), qPrintable(err));
        QVERIFY2(err.contains(reason), qPrintable(err));

        // The same entry added directly (Add Instrument dialog, benchscope-rec --address).
        Workspace ws;
        QString werr;
        QVERIFY(!ws.addInstrument({QStringLiteral("bench7"), QStringLiteral("fakenet"), {}, address, {}}, &werr));
        QVERIFY2(werr.startsWith(QStringLiteral("bench7.address: ")) && werr.contains(reason), qPrintable(werr));
        QVERIFY(ws.instruments().isEmpty());
    }

    void driversWithoutCheckAcceptAnyAddress()
    {
        QString err;
        QVERIFY2(Session::fromBytes(withAddress(QStringLiteral("fake"), QStringLiteral("GR925/0147:x:y")), &err),
                 qPrintable(err));
    }

    void parsesValidFile()
    {
        QString err;
        auto s = Session::fromBytes(validJson(), &err);
        QVERIFY2(s, qPrintable(err));
        QCOMPARE(s->instruments.size(), 1);
        QCOMPARE(s->instruments[0].name, QStringLiteral("Bench fake"));
        QCOMPARE(s->recording.format, QStringLiteral("csv"));
        QCOMPARE(s->recording.queueMiB, 64);
        QCOMPARE(s->views.size(), 1);
    }

    void refusesBadFilesNamingTheKey_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{nope") << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("top level");
        QTest::newRow("format") << QByteArray(R"({"format":"x","version":1})") << QStringLiteral("format");
        QTest::newRow("version") << QByteArray(R"({"format":"benchscope-session","version":2})") << QStringLiteral("version");
        QTest::newRow("type") << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a","type":"warp"}]})")
                              << QStringLiteral("instruments[0].type");
        QTest::newRow("range") << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a","type":"fake","parameters":{"rate":1e9}}]})")
                               << QStringLiteral("instruments[0].parameters.rate");
        QTest::newRow("enum") << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a","type":"fake","parameters":{"mode":"Z"}}]})")
                              << QStringLiteral("instruments[0].parameters.mode");
        QTest::newRow("unknown param") << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a","type":"fake","parameters":{"warp":1}}]})")
                                       << QStringLiteral("instruments[0].parameters.warp");
        QTest::newRow("dup id") << QByteArray(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a","type":"fake"},{"id":"a","type":"fake"}]})")
                                << QStringLiteral("instruments[1].id");
        QTest::newRow("rec format") << QByteArray(R"({"format":"benchscope-session","version":1,"recording":{"format":"xls"}})")
                                    << QStringLiteral("recording.format");
        QTest::newRow("views") << QByteArray(R"({"format":"benchscope-session","version":1,"views":{}})") << QStringLiteral("views");
    }

    void refusesBadFilesNamingTheKey()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const QString err = errorOf(json);
        QVERIFY2(err.contains(expected), qPrintable(err));
    }

    void saveLoadRoundTripThroughWorkspace()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a") + Session::kSuffix);
        Workspace ws;
        QString err;
        auto s = Session::fromBytes(validJson(), &err);
        QVERIFY2(ws.applySession(*s, &err), qPrintable(err));
        auto *h = ws.instrument(QStringLiteral("f1"));
        QVERIFY(h);
        QCOMPARE(h->parameters().doubleValue(QStringLiteral("rate")), 250.5);
        QCOMPARE(h->name(), QStringLiteral("Bench fake"));
        Session out = ws.toSession();
        out.views = s->views;
        out.recording = s->recording;
        QVERIFY2(out.save(path, &err), qPrintable(err));
        auto back = Session::load(path, &err);
        QVERIFY2(back, qPrintable(err));
        QCOMPARE(back->toJson(), out.toJson());

        // A bad session leaves the workspace as it was.
        Session bad = *back;
        bad.instruments[0].parameters.insert(QStringLiteral("rate"), -5);
        QVERIFY(!ws.applySession(bad, &err));
        QVERIFY(err.contains(QStringLiteral("rate")));
        QVERIFY(ws.instrument(QStringLiteral("f1")));
        QCOMPARE(ws.instruments().size(), 1);
    }

    void loadReportsMissingFile()
    {
        QString err;
        QVERIFY(!Session::load(QStringLiteral("/nonexistent/x.benchscope.json"), &err));
        QVERIFY(err.contains(QStringLiteral("/nonexistent/x.benchscope.json")));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"
