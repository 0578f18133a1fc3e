// SPDX-License-Identifier: GPL-3.0-or-later
// The pure PicoScope helpers: tables, timebase formulas, streaming intervals, scaling, status texts.
#include "PicoProtocol.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace bs::picoscope;

class TestPicoscopeProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ranges()
    {
        QCOMPARE(rangeVolts(0), 0.01);
        QCOMPARE(rangeVolts(7), 2.0);
        QCOMPARE(rangeVolts(11), 50.0);
        QCOMPARE(rangeVolts(12), 0.0);
        QCOMPARE(rangeName(0), QStringLiteral("\u00b110 mV"));
        QCOMPARE(rangeName(6), QStringLiteral("\u00b11 V"));
        QCOMPARE(rangeIndexFromName(QStringLiteral("\u00b120 V")), 10);
        QCOMPARE(rangeIndexFromName(QStringLiteral("nonsense")), -1);
        QCOMPARE(rangeNames(0, 10).size(), 11);
    }

    void resolutions()
    {
        QCOMPARE(resolutionNames().size(), 5);
        QCOMPARE(resolutionBits(resolutionEnumFromName(QStringLiteral("14 bit"))), 14);
        QCOMPARE(maxChannelsForResolution(8), 4);
        QCOMPARE(maxChannelsForResolution(15), 2);
        QCOMPARE(maxChannelsForResolution(16), 1);
    }

    void variantChannels()
    {
        QCOMPARE(channelCountFromVariant(QStringLiteral("5444D")), 4);
        QCOMPARE(channelCountFromVariant(QStringLiteral("5242D")), 2);
        QCOMPARE(channelCountFromVariant(QStringLiteral("2206B")), 2);
        QCOMPARE(channelCountFromVariant(QString()), 4);
    }

    void timebaseTables_data()
    {
        QTest::addColumn<int>("family");
        QTest::addColumn<int>("bits");
        QTest::addColumn<uint>("timebase");
        QTest::addColumn<double>("seconds");
        const int ps5 = int(Family::Ps5000a), ps2 = int(Family::Ps2000a);
        QTest::newRow("8 bit tb0") << ps5 << 8 << 0u << 1e-9;
        QTest::newRow("8 bit tb2") << ps5 << 8 << 2u << 4e-9;
        QTest::newRow("8 bit tb3") << ps5 << 8 << 3u << 8e-9;
        QTest::newRow("8 bit tb127") << ps5 << 8 << 127u << 1e-6;
        QTest::newRow("12 bit tb1") << ps5 << 12 << 1u << 2e-9;
        QTest::newRow("12 bit tb3") << ps5 << 12 << 3u << 8e-9;
        QTest::newRow("12 bit tb4") << ps5 << 12 << 4u << 16e-9;
        QTest::newRow("14 bit tb3") << ps5 << 14 << 3u << 8e-9;
        QTest::newRow("16 bit tb4") << ps5 << 16 << 4u << 16e-9;
        QTest::newRow("16 bit tb66") << ps5 << 16 << 66u << 1.008e-6;
        QTest::newRow("2000a tb1") << ps2 << 8 << 1u << 2e-9;
        QTest::newRow("2000a tb10") << ps2 << 8 << 10u << 64e-9;
    }
    void timebaseTables()
    {
        QFETCH(int, family);
        QFETCH(int, bits);
        QFETCH(uint, timebase);
        QFETCH(double, seconds);
        QVERIFY(std::abs(tableIntervalSeconds(Family(family), bits, timebase) - seconds) < 1e-15);
        // The nearest timebase to a table value is that timebase.
        QCOMPARE(timebaseNearest(Family(family), bits, seconds), timebase);
    }

    void timebaseNearestRounds()
    {
        QCOMPARE(timebaseNearest(Family::Ps5000a, 8, 1e-6), 127u);
        QCOMPARE(timebaseNearest(Family::Ps5000a, 8, 1.003e-6), 127u);
        QCOMPARE(timebaseNearest(Family::Ps5000a, 8, 0.1e-9), 0u);   // faster than the fastest
        QCOMPARE(timebaseNearest(Family::Ps5000a, 12, 0.1e-9), 1u);
        QCOMPARE(timebaseNearest(Family::Ps5000a, 8, 5e-9), 2u);     // 4 ns is nearer than 8 ns
        QVERIFY(timebaseNearest(Family::Ps5000a, 8, 1e6) > 1000000u); // very slow: no overflow
    }

    void streamingIntervals()
    {
        auto check = [](double s, std::uint32_t value, int unit) {
            const StreamingInterval i = streamingInterval(s);
            QCOMPARE(i.value, value);
            QCOMPARE(i.unit, unit);
            QVERIFY(std::abs(i.seconds() - s) <= 1e-6 * s);
        };
        check(1e-7, 100, Ns);
        check(1e-6, 1, Us);
        check(2.5e-7, 250, Ns);
        check(1e-3, 1, Ms);
        check(2.0, 2, S);
        check(1.5e-3, 1500, Us);
        QCOMPARE(streamingInterval(1e-12).value, 1u); // below 1 ns: the fastest the API can ask
    }

    void scaling()
    {
        ChannelScale s{2.0, 32512, 0.0};
        QCOMPARE(s.volts(32512), 2.0);
        QCOMPARE(s.volts(-16256), -1.0);
        QCOMPARE(s.counts(1.0), std::int16_t(16256));
        QCOMPARE(s.counts(5.0), std::int16_t(32512)); // clamped
        ChannelScale off{1.0, 32767, 0.5};           // offset added before digitising
        QCOMPARE(off.counts(0.0), std::int16_t(16384));
        QVERIFY(std::abs(off.volts(off.counts(0.2)) - 0.2) < 1e-4);
        const std::int16_t raw[3] = {0, 32767, -32767};
        double v[3];
        off.toVolts(raw, 3, v);
        QCOMPARE(v[0], -0.5);
        QCOMPARE(v[1], 0.5);
        QCOMPARE(v[2], -1.5);
        QCOMPARE(analogueOffsetLimit(2), 0.25);
        QCOMPARE(analogueOffsetLimit(7), 2.5);
        QCOMPARE(analogueOffsetLimit(10), 20.0);
    }

    // Found by fuzz_pico_protocol: a NaN interval or threshold was converted to an integer
    // (undefined behaviour; UBSan stops the test). NaN asks for nothing: the fastest timebase,
    // 1 ns, a threshold of 0 counts.
    void notANumberIsNoInteger()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QCOMPARE(timebaseNearest(Family::Ps5000a, 8, nan), 0u);
        QCOMPARE(timebaseNearest(Family::Ps5000a, 16, nan), 4u);
        QCOMPARE(timebaseNearest(Family::Ps2000a, 8, nan), 0u);
        const StreamingInterval i = streamingInterval(nan);
        QCOMPARE(i.value, 1u);
        QCOMPARE(i.unit, int(Ns));
        ChannelScale s;
        s.rangeVolts = 2.0;
        QCOMPARE(s.counts(nan), std::int16_t(0));
        s.offsetVolts = nan;
        QCOMPARE(s.counts(0.5), std::int16_t(0));
    }

    void statusTexts()
    {
        QCOMPARE(statusName(0x0E), QStringLiteral("PICO_INVALID_TIMEBASE"));
        QCOMPARE(statusName(0x11A), QStringLiteral("PICO_POWER_SUPPLY_NOT_CONNECTED"));
        QCOMPARE(statusName(0xABCDE), QStringLiteral("PICO_STATUS 0xabcde"));
        const QString d = describeStatus(QStringLiteral("ps5000aRunBlock"), 0x0E);
        QVERIFY2(d.startsWith(QStringLiteral("ps5000aRunBlock returned PICO_INVALID_TIMEBASE (0x0e): ")), qPrintable(d));
        QVERIFY(isPowerStatus(0x119));
        QVERIFY(isPowerStatus(0x11E));
        QVERIFY(!isPowerStatus(0x11B));
    }

    void formatting()
    {
        QCOMPARE(formatInterval(1e-6), QStringLiteral("1 \u00b5s"));
        QCOMPARE(formatInterval(8e-9), QStringLiteral("8 ns"));
        QCOMPARE(formatInterval(0.25), QStringLiteral("250 ms"));
        QCOMPARE(formatRate(1e7), QStringLiteral("10 MS/s"));
        QCOMPARE(formatRate(125e6), QStringLiteral("125 MS/s"));
        QCOMPARE(formatRate(500), QStringLiteral("500 S/s"));
    }

    void names()
    {
        QCOMPARE(directionFromName(QStringLiteral("rising")), int(Rising));
        QCOMPARE(ratioModeFromName(QStringLiteral("average")), int(RatioAverage));
        QCOMPARE(waveTypeFromName(QStringLiteral("dc")), kWaveDcVoltage);
        QVERIFY(waveTypeNames(Family::Ps5000a).contains(QStringLiteral("white noise")));
        QVERIFY(!waveTypeNames(Family::Ps2000a).contains(QStringLiteral("white noise")));
        QCOMPARE(familyFromName(QStringLiteral("ps2000a")), Family::Ps2000a);
        QCOMPARE(channelLetter(4), QStringLiteral("EXT"));
    }
};

QTEST_MAIN(TestPicoscopeProtocol)
#include "test_picoscope_protocol.moc"
