// SPDX-License-Identifier: GPL-3.0-or-later
// parseHostPort(): every form of host[:port] the drivers accept, and every refusal with its reason.
#include "HostPort.h"

#include <QtTest>

using namespace bs;

class TestHostPort : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsGoodForms_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("canonical");
        const int name = int(HostPort::Kind::Name), v4 = int(HostPort::Kind::IPv4),
                  v6 = int(HostPort::Kind::IPv6);
        QTest::newRow("name") << "pandabox"
                              << "pandabox" << 8888 << name << "pandabox:8888";
        QTest::newRow("name:port") << "pandabox.lab.example:9000"
                                   << "pandabox.lab.example" << 9000 << name << "pandabox.lab.example:9000";
        QTest::newRow("localhost") << "localhost:1"
                                   << "localhost" << 1 << name << "localhost:1";
        QTest::newRow("spaces") << "  10.0.0.2:23 \t"
                                << "10.0.0.2" << 23 << v4 << "10.0.0.2:23";
        QTest::newRow("ipv4") << "127.0.0.1"
                              << "127.0.0.1" << 8888 << v4 << "127.0.0.1:8888";
        QTest::newRow("ipv4:65535") << "192.168.1.255:65535"
                                    << "192.168.1.255" << 65535 << v4 << "192.168.1.255:65535";
        QTest::newRow("[::1]:8888") << "[::1]:8888"
                                    << "::1" << 8888 << v6 << "[::1]:8888";
        QTest::newRow("[::1]") << "[::1]"
                               << "::1" << 8888 << v6 << "[::1]:8888";
        QTest::newRow("[zone]:23") << "[fe80::1%eth0]:23"
                                   << "fe80::1%eth0" << 23 << v6 << "[fe80::1%eth0]:23";
        QTest::newRow("[full]") << "[2001:db8:0:0:1:0:0:1]:80"
                                << "2001:db8:0:0:1:0:0:1" << 80 << v6 << "[2001:db8:0:0:1:0:0:1]:80";
        QTest::newRow("[mapped]") << "[::ffff:192.0.2.7]:7777"
                                  << "::ffff:192.0.2.7" << 7777 << v6 << "[::ffff:192.0.2.7]:7777";
        QTest::newRow("bare ::1") << "::1"
                                  << "::1" << 8888 << v6 << "[::1]:8888";
        QTest::newRow("bare ::") << "::"
                                 << "::" << 8888 << v6 << "[::]:8888";
        QTest::newRow("bare zone") << "fe80::1%eth0"
                                   << "fe80::1%eth0" << 8888 << v6 << "[fe80::1%eth0]:8888";
        QTest::newRow("bare full") << "2001:db8:0:0:1:0:0:1"
                                   << "2001:db8:0:0:1:0:0:1" << 8888 << v6 << "[2001:db8:0:0:1:0:0:1]:8888";
        QTest::newRow("bare hex end") << "2001:db8::abcd"
                                      << "2001:db8::abcd" << 8888 << v6 << "[2001:db8::abcd]:8888";
    }

    void acceptsGoodForms()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(int, kind);
        QFETCH(QString, canonical);
        QString error;
        const auto hp = parseHostPort(text, 8888, &error);
        QVERIFY2(hp, qPrintable(error));
        QCOMPARE(hp->host, host);
        QCOMPARE(int(hp->port), port);
        QCOMPARE(int(hp->kind), kind);
        QCOMPARE(hp->toString(), canonical);
        // What toString() writes reads back to the same endpoint.
        const auto again = parseHostPort(hp->toString(), 1, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->host, host);
        QCOMPARE(int(again->port), port);
    }

    void refusesBadForms_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason"); // a part of the message
        QTest::newRow("empty") << ""
                               << "no host name";
        QTest::newRow("blank") << "   "
                               << "no host name";
        QTest::newRow(":port") << ":8888"
                               << "no host name";
        QTest::newRow("port 0") << "host:0"
                                << "port '0' is not a number from 1 to 65535";
        QTest::newRow("port 65536") << "host:65536"
                                    << "port '65536'";
        QTest::newRow("port 99999999999") << "host:99999999999"
                                          << "port '99999999999'";
        QTest::newRow("port letters") << "host:http"
                                      << "port 'http'";
        QTest::newRow("port sign") << "host:+80"
                                   << "port '+80'";
        QTest::newRow("port empty") << "host:"
                                    << "port ''";
        QTest::newRow("port hex") << "host:0x50"
                                  << "port '0x50'";
        QTest::newRow("[v6]:0") << "[::1]:0"
                                << "port '0'";
        QTest::newRow("[v6]:65536") << "[::1]:65536"
                                    << "port '65536'";
        QTest::newRow("[v6]:") << "[::1]:"
                               << "port ''";
        QTest::newRow("[v6]junk") << "[::1]8888"
                                  << "after ']'";
        QTest::newRow("no ]") << "[::1:8888"
                              << "without a closing ']'";
        QTest::newRow("no [") << "::1]:8888"
                              << "without an opening '['";
        QTest::newRow("[v4]") << "[127.0.0.1]:80"
                              << "not an IPv6 address";
        QTest::newRow("[name]") << "[panda]:80"
                                << "not an IPv6 address";
        QTest::newRow("[]") << "[]:80"
                            << "not an IPv6 address";
        QTest::newRow("two ::") << "[1::2::3]"
                                << "not an IPv6 address";
        QTest::newRow("group too long") << "[12345::1]"
                                        << "not an IPv6 address";
        QTest::newRow("nine groups") << "[1:2:3:4:5:6:7:8:9]"
                                     << "not an IPv6 address";
        QTest::newRow("empty zone") << "[fe80::1%]:23"
                                    << "not an IPv6 address";
        QTest::newRow("ambiguous ::1:8888") << "::1:8888"
                                            << "ambiguous: write [::1:8888]";
        QTest::newRow("ambiguous zone-less") << "2001:db8::7:23"
                                             << "or [2001:db8::7]:23";
        QTest::newRow("bare v6 junk") << "::g"
                                      << "not an IPv6 address";
        QTest::newRow("two colons name") << "host:1:2"
                                         << "not an IPv6 address";
        QTest::newRow("bad ipv4") << "256.1.1.1:80"
                                  << "not an IPv4 address";
        QTest::newRow("short ipv4") << "10.1"
                                    << "not an IPv4 address";
        QTest::newRow("space inside") << "panda box:80"
                                      << "not a host name";
        QTest::newRow("path") << "/dev/ttyUSB0"
                              << "not a host name";
        QTest::newRow("empty label") << "a..b"
                                     << "not a host name";
        QTest::newRow("url") << "tcp://host"
                             << "port '//host'";
    }

    void refusesBadForms()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString error;
        const auto hp = parseHostPort(text, 8888, &error);
        QVERIFY2(!hp, qPrintable(hp ? hp->toString() : QString()));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void literals()
    {
        QVERIFY(isIpv6Literal(QStringLiteral("::")));
        QVERIFY(isIpv6Literal(QStringLiteral("1::")));
        QVERIFY(isIpv6Literal(QStringLiteral("::ffff:10.0.0.1")));
        QVERIFY(isIpv6Literal(QStringLiteral("1:2:3:4:5:6:10.0.0.1")));
        QVERIFY(!isIpv6Literal(QStringLiteral("1:2:3:4:5:6:7:10.0.0.1"))); // nine groups
        QVERIFY(!isIpv6Literal(QStringLiteral("10.0.0.1::"))); // IPv4 only at the end
        QVERIFY(!isIpv6Literal(QStringLiteral(":1::")));
        QVERIFY(!isIpv6Literal(QStringLiteral("1:2:3:4:5:6:7:8::"))); // "::" stands for ≥ 1 group
        QVERIFY(isIpv4Literal(QStringLiteral("0.0.0.0")));
        QVERIFY(!isIpv4Literal(QStringLiteral("1.2.3.4.5")));
        QVERIFY(!isIpv4Literal(QStringLiteral("1.2.3.")));
    }
};

QTEST_GUILESS_MAIN(TestHostPort)
#include "test_host_port.moc"
