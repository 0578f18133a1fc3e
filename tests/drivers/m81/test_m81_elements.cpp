// SPDX-License-Identifier: GPL-3.0-or-later
// The M81 element table (§7) and SCPI keyword matching, shared by driver and simulator.
#include "M81ProtocolElements.h"

#include <QTest>

using namespace bs::m81;

class TestM81Elements : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keywords()
    {
        QVERIFY(scpiKeywordMatches("TRAC", "TRACe"));
        QVERIFY(scpiKeywordMatches("trace", "TRACe"));
        QVERIFY(scpiKeywordMatches("Trace", "TRACe"));
        QVERIFY(!scpiKeywordMatches("TRA", "TRACe"));
        QVERIFY(!scpiKeywordMatches("TRACES", "TRACe"));
        QVERIFY(!scpiKeywordMatches("", "TRACe"));
        QVERIFY(scpiKeywordMatches("bco", "BCOunt"));
    }

    void elements()
    {
        QCOMPARE(elementTable().size(), std::size_t(25));
        QCOMPARE(findElement("mx")->longForm, "MX");
        QCOMPARE(findElement("RTIM")->longForm, "RTIMe");
        QCOMPARE(findElement("rtime")->longForm, "RTIMe");
        QCOMPARE(findElement("MRMS")->longForm, "MRMs");
        QCOMPARE(findElement("MRM")->longForm, "MRMs");
        QCOMPARE(findElement("MR")->longForm, "MR");
        QCOMPARE(findElement("mptp")->longForm, "MPTPeak");
        QCOMPARE(findElement("GPIS")->module, ElementModule::Instrument);
        QVERIFY(!findElement("MZ"));
        QVERIFY(!findElement("RTIMES"));
        // Every short form names exactly one element.
        for (const ElementInfo &e : elementTable()) {
            QByteArray shortForm;
            for (const char *c = e.longForm; *c; ++c)
                if (*c >= 'A' && *c <= 'Z')
                    shortForm += *c;
            QCOMPARE(findElement(shortForm), &e);
            QCOMPARE(findElement(e.longForm), &e);
            QVERIFY(structCodeSize(e.structCode) > 0);
        }
        QCOMPARE(elementUnit(*findElement("MX"), QStringLiteral("A")), QStringLiteral("A"));
        QCOMPARE(elementUnit(*findElement("MTH"), QStringLiteral("V")), QStringLiteral("°"));
        QCOMPARE(elementUnit(*findElement("SVL"), QStringLiteral("V")), QString());
        QCOMPARE(structCodeSize('d'), 8);
        QCOMPARE(structCodeSize('?'), 1);
        QCOMPARE(structCodeSize('x'), 0);
    }
};

QTEST_APPLESS_MAIN(TestM81Elements)
#include "test_m81_elements.moc"
