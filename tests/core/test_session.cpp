// SPDX-License-Identifier: GPL-3.0-or-later
#include "DriverRegistry.h"
#include "FakeInstrument.h"
#include "HostPort.h"
#include "Session.h"
#include "Workspace.h"

#include <QJsonArray>
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

    }

    // "Reconnect automatically" per instrument: absent in older files (on), kept through the
    // workspace and a save; a value that is not true/false is refused naming the key.
    void autoReconnectIsPerInstrumentAndSaved()
    {
        QString err;
        auto s = Session::fromBytes(validJson(), &err);
        QVERIFY2(s, qPrintable(err));
        QCOMPARE(s->instruments.value(0).autoReconnect, true);
        QByteArray off = validJson();
        off.replace(R"("address":"x:1",)", R"("address":"x:1","auto_reconnect":false,)");
        s = Session::fromBytes(off, &err);
        QVERIFY2(s, qPrintable(err));
        QCOMPARE(s->instruments.value(0).autoReconnect, false);
        Workspace ws;
        QVERIFY2(ws.applySession(*s, &err), qPrintable(err));
        QCOMPARE(ws.instrument(QStringLiteral("f1"))->autoReconnect(), false);
        const QJsonObject saved = ws.toSession().toJson();
        QCOMPARE(saved[QStringLiteral("instruments")][0][QStringLiteral("auto_reconnect")].toBool(true), false);
        ws.instrument(QStringLiteral("f1"))->setAutoReconnect(true);
        QCOMPARE(ws.toSession().instruments.value(0).autoReconnect, true);

        QByteArray bad = validJson();
        bad.replace(R"("address":"x:1",)", R"("address":"x:1","auto_reconnect":"yes",)");
        const QString why = errorOf(bad);
        QVERIFY2(why.contains(QStringLiteral("instruments[0].auto_reconnect")), qPrintable(why));
    }

    // A refused session leaves the workspace exactly as it was: the same host objects (not
    // re-created), with every id, type, name, address and parameter value, and in the same state.
    void badSessionLeavesTheWorkspaceAsItWas_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("out of range") << "range" << "instruments[1].parameters.rate";
        QTest::newRow("bad id") << "id" << "instruments[1].id";
        QTest::newRow("too many") << "count" << "at most 64";
        QTest::newRow("bad address") << "address" << "instruments[1].address";
    }

    void badSessionLeavesTheWorkspaceAsItWas()
    {
        QFETCH(QString, what);
        QFETCH(QString, mentions);
        Workspace ws;
        QString err;
        QVERIFY2(ws.addInstrument({QStringLiteral("f1"), QStringLiteral("fake"), QStringLiteral("Bench fake"),
                                   QStringLiteral("x:1"), {{QStringLiteral("rate"), 250.5}}},
                                  &err),
                 qPrintable(err));
        QVERIFY2(ws.addInstrument({QStringLiteral("n2"), QStringLiteral("fakenet"), QStringLiteral("Net"),
                                   QStringLiteral("[::1]:8888"), {{QStringLiteral("mode"), QStringLiteral("B")}}},
                                  &err),
                 qPrintable(err));
        ws.instrument(QStringLiteral("f1"))->setParameter(QStringLiteral("refuse_above"), 42);
        ws.instrument(QStringLiteral("n2"))->open();
        QTRY_COMPARE(ws.instrument(QStringLiteral("n2"))->state(), Instrument::State::Connected);
        QTRY_COMPARE(ws.instrument(QStringLiteral("f1"))->parameters().intValue(QStringLiteral("refuse_above")), 42);
        const QVector<InstrumentHost *> hostsBefore = ws.instruments();
        const QJsonObject before = ws.toSession().toJson();

        Session bad;
        bad.instruments.append({QStringLiteral("g1"), QStringLiteral("fake"), {}, {}, {}});
        SessionInstrument second{QStringLiteral("g2"), QStringLiteral("fake"), {}, {}, {}};
        if (what == QLatin1String("range"))
            second.parameters.insert(QStringLiteral("rate"), -5);
        else if (what == QLatin1String("id"))
            second.id = QStringLiteral("g/2");
        else if (what == QLatin1String("address"))
            second = {QStringLiteral("g2"), QStringLiteral("fakenet"), {}, QStringLiteral("host:0"), {}};
        bad.instruments.append(second);
        if (what == QLatin1String("count"))
            for (int n = 3; n <= 65; ++n)
                bad.instruments.append({QStringLiteral("g%1").arg(n), QStringLiteral("fake"), {}, {}, {}});
        QVERIFY(!ws.applySession(bad, &err));
        QVERIFY2(err.contains(mentions), qPrintable(err));

        QCOMPARE(ws.instruments(), hostsBefore);
        QCOMPARE(ws.toSession().toJson(), before);
        QCOMPARE(ws.instrument(QStringLiteral("f1"))->name(), QStringLiteral("Bench fake"));
        QCOMPARE(ws.instrument(QStringLiteral("f1"))->parameters().doubleValue(QStringLiteral("rate")), 250.5);
        QCOMPARE(ws.instrument(QStringLiteral("f1"))->parameters().intValue(QStringLiteral("refuse_above")), 42);
        QCOMPARE(ws.instrument(QStringLiteral("n2"))->address(), QStringLiteral("[::1]:8888"));
        QCOMPARE(ws.instrument(QStringLiteral("n2"))->parameters().stringValue(QStringLiteral("mode")),
                 QStringLiteral("B"));
        QCOMPARE(ws.instrument(QStringLiteral("n2"))->state(), Instrument::State::Connected);
    }

    // What a bench can have: 64 instruments load, 65 are refused before any driver is made.
    static QByteArray sessionWith(int instruments)
    {
        QJsonArray a;
        for (int n = 1; n <= instruments; ++n)
            a.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("f%1").arg(n)},
                                 {QStringLiteral("type"), QStringLiteral("fake")},
                                 {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("rate"), 100 + n}}}});
        return QJsonDocument(QJsonObject{{QStringLiteral("format"), Session::kFormat},
                                         {QStringLiteral("version"), Session::kVersion},
                                         {QStringLiteral("instruments"), a}})
            .toJson();
    }

    void sixtyFourInstrumentsLoad()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("full") + Session::kSuffix);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(sessionWith(64));
        f.close();
        QString err;
        const auto s = Session::load(path, &err);
        QVERIFY2(s, qPrintable(err));
        QCOMPARE(s->instruments.size(), 64);
        QCOMPARE(s->instruments.at(63).id, QStringLiteral("f64"));
        Workspace ws;
        QVERIFY2(ws.applySession(*s, &err), qPrintable(err));
        QCOMPARE(ws.instruments().size(), 64);
        QCOMPARE(ws.instrument(QStringLiteral("f64"))->parameters().doubleValue(QStringLiteral("rate")), 164.0);
    }

    void sixtyFiveInstrumentsAreRefused()
    {
        int created = 0;
        DriverInfo counting;
        counting.type = QStringLiteral("counted");
        counting.create = [&created] {
            ++created;
            return std::make_unique<test::FakeInstrument>();
        };
        DriverRegistry::instance().add(counting);
        const QByteArray json = sessionWith(65).replace("\"fake\"", "\"counted\"");
        QString err;
        QVERIFY(!Session::fromBytes(json, &err));
        QCOMPARE(err, QStringLiteral("instruments: 65 instruments; a session may hold at most 64"));
        QCOMPARE(created, 0); // refused before any driver was made
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("over") + Session::kSuffix);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(json);
        f.close();
        QVERIFY(!Session::load(path, &err));
        QVERIFY2(err.startsWith(path + QStringLiteral(": instruments: 65 instruments")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("at most 64")), qPrintable(err));
        Session s = *Session::fromBytes(sessionWith(64), &err);
        s.instruments.append({QStringLiteral("f65"), QStringLiteral("fake"), {}, {}, {}});
        Workspace ws;
        QVERIFY(!ws.applySession(s, &err));
        QVERIFY2(err.contains(QStringLiteral("at most 64")), qPrintable(err));
        QVERIFY(ws.instruments().isEmpty());
    }

    // The size is checked before the file is read; a file that claims no size (a device, a pipe)
    // is read no further than the limit.
    void tooLargeFilesAreRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big") + Session::kSuffix);
        QByteArray json = sessionWith(1);
        json.insert(json.indexOf('{') + 1, QByteArray((1 << 20) + 1 - json.size(), ' ')); // valid JSON, 1 MiB + 1
        QCOMPARE(json.size(), (1 << 20) + 1);
        QString err;
        QVERIFY(Session::fromBytes(QByteArray(json).remove(1, 1), &err)); // exactly 1 MiB: fine
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(json);
        }
        QVERIFY(!Session::load(path, &err));
        QVERIFY2(err.contains(path) && err.contains(QStringLiteral("at most 1048576 bytes"))
                     && err.contains(QStringLiteral("1048577")),
                 qPrintable(err));
        QVERIFY(!Session::fromBytes(json, &err));
        QVERIFY2(err.contains(QStringLiteral("at most 1048576 bytes")), qPrintable(err));
        // A 3 GiB sparse file: refused by its size, never read (reading it would take 3 GiB).
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(qint64(3) << 30));
        }
        QVERIFY(!Session::load(path, &err));
        QVERIFY2(err.contains(QStringLiteral("at most 1048576 bytes")) && err.contains(QStringLiteral("3221225472")),
                 qPrintable(err));
        if (QFile::exists(QStringLiteral("/dev/zero"))) {
            QVERIFY(!Session::load(QStringLiteral("/dev/zero"), &err)); // endless, size 0
            QVERIFY2(err.contains(QStringLiteral("at most 1048576 bytes")), qPrintable(err));
        }
    }

    void refusesWhatNoBenchHas_data()
    {
        QTest::addColumn<QJsonObject>("instrument");
        QTest::addColumn<QJsonValue>("views");
        QTest::addColumn<QString>("expected");
        const QJsonObject ok{{QStringLiteral("id"), QStringLiteral("f1")}, {QStringLiteral("type"), QStringLiteral("fake")}};
        auto with = [&ok](const char *key, const QJsonValue &v) {
            QJsonObject o = ok;
            o.insert(QLatin1String(key), v);
            return o;
        };
        QJsonObject manyParams;
        for (int n = 0; n < 257; ++n)
            manyParams.insert(QStringLiteral("p%1").arg(n), n);
        QJsonArray channels;
        for (int n = 0; n < 4097; ++n)
            channels.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("f1/s/c%1").arg(n)}});
        QJsonValue deep = QJsonArray{1};
        for (int n = 0; n < 17; ++n)
            deep = QJsonArray{deep};
        QJsonArray manyViews;
        for (int n = 0; n < 17; ++n)
            manyViews.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("scope")}});
        const QJsonValue none;
        QTest::newRow("long name") << with("name", QString(257, u'n')) << none
                                   << "instruments[0].name: 257 characters; the limit is 256";
        QTest::newRow("name with a line break") << with("name", QStringLiteral("a\nb")) << none
                                                << "instruments[0].name: 'a\\nb' holds a character that does not print";
        QTest::newRow("long address") << with("address", QString(1025, u'a')) << none
                                      << "instruments[0].address: 1025 characters; the limit is 1024";
        QTest::newRow("address with ESC") << with("address", QStringLiteral("\x1b[2Jhost")) << none
                                          << "instruments[0].address: '\\x1b[2Jhost' holds a character";
        QTest::newRow("parameters") << with("parameters", manyParams) << none
                                    << "instruments[0].parameters: 257 parameters; the limit is 256";
        QTest::newRow("long parameter string")
            << with("parameters", QJsonObject{{QStringLiteral("mode"), QString(4097, u'A')}}) << none
            << "instruments[0].parameters.mode: a string of 4097 characters; the limit is 4096";
        QTest::newRow("views") << ok << QJsonValue(manyViews) << "views: 17 views; a session may hold at most 16";
        QTest::newRow("channel list")
            << ok << QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("scope")}, {QStringLiteral("channels"), channels}}})
            << "views[0].channels: 4097 entries; the limit is 4096";
        QTest::newRow("view string")
            << ok << QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("y_unit"), QString(4097, u'V')}}})
            << "views[0].y_unit: a string of 4097 characters; the limit is 4096";
        QTest::newRow("nesting") << ok << QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("x"), deep}}})
                                 << "nested more than 16 levels deep";
    }

    void refusesWhatNoBenchHas()
    {
        QFETCH(QJsonObject, instrument);
        QFETCH(QJsonValue, views);
        QFETCH(QString, expected);
        QJsonObject o{{QStringLiteral("format"), Session::kFormat},
                      {QStringLiteral("version"), Session::kVersion},
                      {QStringLiteral("instruments"), QJsonArray{instrument}}};
        if (!views.isUndefined())
            o.insert(QStringLiteral("views"), views);
        const QString err = errorOf(QJsonDocument(o).toJson());
        QVERIFY2(err.contains(expected), qPrintable(err));
    }

    // Ids name HDF5 groups and CSV files: one rule, checked in the loader and in addInstrument,
    // with the id escaped in the message.
    void refusesBadIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("shown");
        QTest::newRow("NUL") << QStringLiteral("pan") + QChar(0) + QStringLiteral("da") << "'pan\\0da'";
        QTest::newRow("slash") << "a/b" << "'a/b'";
        QTest::newRow("line break") << "a\nb" << "'a\\nb'";
        QTest::newRow("ESC") << "\x1b[31m" << "'\\x1b[31m'";
        QTest::newRow("RTL override") << QString(QChar(0x202e)) + QStringLiteral("x") << "'\\u202ex'";
        QTest::newRow("space") << "my panda" << "'my panda'";
        QTest::newRow("dot first") << ".." << "'..'";
        QTest::newRow("too long") << QString(65, u'a') << "has 65 characters";
        QTest::newRow("empty") << "" << "the id is empty";
    }

    void refusesBadIds()
    {
        QFETCH(QString, id);
        QFETCH(QString, shown);
        const QByteArray json = QJsonDocument(QJsonObject{
            {QStringLiteral("format"), Session::kFormat},
            {QStringLiteral("version"), Session::kVersion},
            {QStringLiteral("instruments"),
             QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("ok1")}, {QStringLiteral("type"), QStringLiteral("fake")}},
                        QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("type"), QStringLiteral("fake")}}}}})
                                    .toJson();
        const QString err = errorOf(json);
        QVERIFY2(err.startsWith(QStringLiteral("instruments[1].id: ")), qPrintable(err));
        QVERIFY2(err.contains(shown), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("an instrument id is 1 to 64 characters from A-Z, a-z, 0-9, '_', '-', '.'")),
                 qPrintable(err));
        for (const QChar c : err)
            QVERIFY2(c.isPrint(), qPrintable(err)); // nothing raw reaches a terminal
        Workspace ws;
        QString werr;
        QVERIFY(!ws.addInstrument({id, QStringLiteral("fake"), {}, {}, {}}, &werr));
        QVERIFY2(werr.contains(shown) && werr.contains(QStringLiteral("an instrument id is")), qPrintable(werr));
        QVERIFY(ws.instruments().isEmpty());
    }

    void acceptsGoodIds()
    {
        for (const QString &id : {QStringLiteral("panda1"), QStringLiteral("nv200_1"), QStringLiteral("Pico-2.a"),
                                  QStringLiteral("9"), QString(64, u'z')}) {
            QVERIFY2(Session::checkId(id).isEmpty(), qPrintable(Session::checkId(id)));
            Workspace ws;
            QString err;
            QVERIFY2(ws.addInstrument({id, QStringLiteral("fake"), {}, {}, {}}, &err), qPrintable(err));
        }
        QCOMPARE(errorOf(R"({"format":"benchscope-session","version":1,"instruments":[{"id":"a1","type":"fake"},{"id":"a1","type":"fake"}]})"),
                 QStringLiteral("instruments[1].id: 'a1' is used twice; every instrument needs its own id"));
    }

    // Split-file and auto-stop limits of the recording: read, written only when set, and a bad
    // value refused naming its key.
    void recordingLimitsRoundTrip()
    {
        QString err;
        auto s = Session::fromBytes(R"({"format":"benchscope-session","version":1,"recording":{"format":"hdf5",
            "split_minutes":60,"split_gb":2.5,"stop_after_minutes":480,"stop_after_gb":0}})", &err);
        QVERIFY2(s, qPrintable(err));
        QCOMPARE(s->recording.splitMinutes, 60.0);
        QCOMPARE(s->recording.splitGB, 2.5);
        QCOMPARE(s->recording.stopAfterMinutes, 480.0);
        QCOMPARE(s->recording.stopAfterGB, 0.0);
        const QJsonObject o = s->recording.toJson();
        QCOMPARE(o.value(QStringLiteral("split_gb")).toDouble(), 2.5);
        QVERIFY(!o.contains(QStringLiteral("stop_after_gb"))); // off: not written
        QVERIFY(!SessionRecording().toJson().contains(QStringLiteral("split_minutes")));
        for (const char *bad : {R"("split_minutes":-1)", R"("split_gb":"2")", R"("stop_after_gb":1e7)"}) {
            const QString e = errorOf(QByteArray(R"({"format":"benchscope-session","version":1,"recording":{)") + bad + "}}");
            const QString key = QString::fromLatin1(bad).section(QLatin1Char('"'), 1, 1);
            QVERIFY2(e.contains(QStringLiteral("recording.") + key), qPrintable(e));
        }
    }

    // HDF5 compression of the recording (issue 13): read, written only when on (the level only
    // for deflate), and a bad value refused naming its key.
    void recordingCompressionRoundTrip()
    {
        QString err;
        auto s = Session::fromBytes(R"({"format":"benchscope-session","version":1,"recording":{"format":"hdf5",
            "compression":"deflate","compression_level":4}})", &err);
        QVERIFY2(s, qPrintable(err));
        QCOMPARE(s->recording.compression, QStringLiteral("deflate"));
        QCOMPARE(s->recording.compressionLevel, 4);
        QJsonObject o = s->recording.toJson();
        QCOMPARE(o.value(QStringLiteral("compression")).toString(), QStringLiteral("deflate"));
        QCOMPARE(o.value(QStringLiteral("compression_level")).toInt(), 4);
        s->recording.compression = QStringLiteral("lz4");
        o = s->recording.toJson();
        QCOMPARE(o.value(QStringLiteral("compression")).toString(), QStringLiteral("lz4"));
        QVERIFY(!o.contains(QStringLiteral("compression_level")));
        QVERIFY(!SessionRecording().toJson().contains(QStringLiteral("compression"))); // off: not written
        QCOMPARE(SessionRecording().compression, QStringLiteral("none"));
        for (const char *bad : {R"("compression":"zip")", R"("compression":1)", R"("compression_level":0)",
                                R"("compression_level":10)", R"("compression_level":2.5)"}) {
            const QString e = errorOf(QByteArray(R"({"format":"benchscope-session","version":1,"recording":{)") + bad + "}}");
            const QString key = QString::fromLatin1(bad).section(QLatin1Char('"'), 1, 1);
            QVERIFY2(e.contains(QStringLiteral("recording.") + key), qPrintable(e));
        }
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
