// SPDX-License-Identifier: GPL-3.0-or-later
// NV200 protocol on byte vectors: framing, replies, error codes, status bits, recorder timing,
// recorder read-out, waveform tables.
#include "Nv200Protocol.h"

#include <QtTest>

#include <cmath>

using namespace bs::nv200;

namespace {
QByteArray frame(const QByteArray &text, bool xoff = true, const QByteArray &eol = "\r\n")
{
    return (xoff ? QByteArray(1, kXoff) : QByteArray()) + (text.isEmpty() ? QByteArray() : text + eol) + QByteArray(1, kXon);
}

QByteArray recoutfLine(int ch, int n)
{
    QByteArray s = "recoutf," + QByteArray::number(ch);
    for (int i = 0; i < n; ++i)
        s += ',' + QByteArray::number(i * 0.001, 'f', 3);
    return s;
}
} // namespace

class TestNv200Protocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encodesCommands()
    {
        QCOMPARE(encodeCommand(QStringLiteral("set"), {QStringLiteral("80.5")}), QByteArray("set,80.5\r"));
        QCOMPARE(encodeCommand(QStringLiteral("recoutf"), {QStringLiteral("0")}), QByteArray("recoutf,0\r"));
        QCOMPARE(encodeCommand(QString()), QByteArray("\r"));
        QCOMPARE(encodeLine(QStringLiteral("recsrc,1,2")), QByteArray("recsrc,1,2\r"));
        QString err;
        QVERIFY(encodeCommand(QStringLiteral("set"), {QStringLiteral("1\r2")}, &err).isEmpty());
        QVERIFY(err.contains(QStringLiteral("CR")));
        QVERIFY(encodeLine(QStringLiteral("set,1\n"), &err).isEmpty());
        QVERIFY(encodeLine(QStringLiteral("desc,\u20ac")).isEmpty()); // not latin-1
        QCOMPARE(encodeLine(QStringLiteral("unitcl,\u00b5m")), QByteArray("unitcl,\xb5m\r"));
        QCOMPARE(formatNumber(80), QStringLiteral("80"));
        QCOMPARE(formatNumber(80.5), QStringLiteral("80.5"));
        QCOMPARE(formatNumber(-0.0000001), QStringLiteral("0"));
        QCOMPARE(formatNumber(1e-3), QStringLiteral("0.001"));
    }

    void framesWithAndWithoutXoff()
    {
        FrameReader r;
        r.feed(frame("set,80.000") + frame("cl,1", false) + frame(QByteArray()));
        QVERIFY(r.hasFrame());
        QCOMPARE(r.takeFrame(), QByteArray("set,80.000"));
        QCOMPARE(r.takeFrame(), QByteArray("cl,1"));
        QVERIFY(r.hasFrame());
        QCOMPARE(r.takeFrame(), QByteArray()); // a setter's empty XOFF … XON
        QVERIFY(!r.hasFrame());
    }

    void strayBytesAndTelnetLineEnds()
    {
        FrameReader r;
        r.feed(QByteArray("\x13" "cl,0\r\0\n\x11", 9));
        QCOMPARE(r.takeFrame(), QByteArray("cl,0"));
        r.feed(QByteArray("\x01\x13\x00" "meas,\x01" "12.5\r\x11", 16));
        QCOMPARE(r.takeFrame(), QByteArray("meas,12.5"));
        r.feed(frame("desc,TRITOR100SG ", true, "\n") + frame("x,1", true, "\r"));
        QCOMPARE(r.takeFrame(), QByteArray("desc,TRITOR100SG "));
        QCOMPARE(r.takeFrame(), QByteArray("x,1"));
        // Two lines in one frame stay apart.
        r.feed(frame("a,1\r\nerror,2"));
        QCOMPARE(r.takeFrame(), QByteArray("a,1\nerror,2"));
    }

    void promptIsRecognised()
    {
        FrameReader r;
        r.feed(frame("NV200/D_NET>"));
        const QByteArray t = r.takeFrame();
        QCOMPARE(promptDevice(t), QStringLiteral("NV200/D_NET"));
        QCOMPARE(promptDevice("<SPI Controller Box>"), QStringLiteral("SPI Controller Box"));
        QVERIFY(promptDevice("set,80.000").isEmpty());
    }

    void survivesSplitAtEveryByte()
    {
        const QByteArray stream = frame("NV200/D_NET>") + frame("set,80.000", false) + QByteArray("\x13\x11", 2)
            + QByteArray("\x13" "cl,0\r\0\n\x11", 9) + frame("error,4");
        const QList<QByteArray> expected{"NV200/D_NET>", "set,80.000", "", "cl,0", "error,4"};
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            FrameReader r;
            r.feed(stream.left(cut));
            r.feed(stream.mid(cut));
            QList<QByteArray> got;
            while (r.hasFrame())
                got << r.takeFrame();
            QCOMPARE(got, expected);
        }
        FrameReader r; // one byte at a time
        for (const char c : stream)
            r.feed(QByteArray(1, c));
        QList<QByteArray> got;
        while (r.hasFrame())
            got << r.takeFrame();
        QCOMPARE(got, expected);
    }

    void longRecoutfSplitAcrossReads()
    {
        const QByteArray line = recoutfLine(1, kRecorderBufferSize);
        const QByteArray bytes = frame(line, true, QByteArray("\r\0\n", 3));
        FrameReader r;
        qsizetype at = 0, piece = 1;
        while (at < bytes.size()) {
            QVERIFY(!r.hasFrame());
            r.feed(bytes.mid(at, piece));
            at += piece;
            piece = piece % 97 + 13; // uneven chunks, many reads
        }
        QVERIFY(r.hasFrame());
        const RecorderValues v = parseRecoutf(r.takeFrame(), 1);
        QVERIFY2(v.ok(), qPrintable(v.error));
        QCOMPARE(v.channel, 1);
        QCOMPARE(int(v.values.size()), kRecorderBufferSize);
        QCOMPARE(v.values[6143], 6.143);
        QCOMPARE(r.pendingBytes(), 0);
    }

    /// A frame that never ends is dropped as it comes (the reader never holds more than its
    /// limit); the next frame after its XON is read as usual. Text before an XOFF inside a frame
    /// is a left-over of an earlier answer.
    void endlessFrameIsBoundedAndDropped()
    {
        FrameReader r(4096);
        const QByteArray chunk(1000, '7');
        for (int i = 0; i < 1000; ++i) { // 1 MB without XON
            r.feed(chunk);
            QVERIFY2(r.pendingBytes() <= 4096 + chunk.size(), qPrintable(QString::number(r.pendingBytes())));
        }
        QVERIFY(r.overflowed());
        QCOMPARE(r.overflowHead().left(4), QByteArray("7777"));
        QVERIFY(!r.hasFrame());
        r.feed(QByteArray("77", 3) + frame("set,1.000"));
        QVERIFY(r.hasFrame());
        QCOMPARE(r.takeFrame(), QByteArray("set,1.000"));
        QVERIFY(!r.hasFrame());
        // A whole frame over the limit in one piece is dropped too.
        FrameReader small(100);
        small.feed(frame(recoutfLine(0, 100)) + frame("cl,1"));
        QVERIFY(small.overflowed());
        QCOMPARE(small.takeFrame(), QByteArray("cl,1"));
        QVERIFY(!small.hasFrame());
        // Left-over bytes of an earlier answer before the XOFF that opens this one.
        FrameReader resync;
        resync.feed(QByteArray("1.000,1.000,1.0") + frame("recrun,0"));
        QCOMPARE(resync.takeFrame(), QByteArray("recrun,0"));
        resync.reset();
        QVERIFY(!resync.overflowed());
        QCOMPARE(resync.pendingBytes(), 0);
    }

    /// More values than were asked for (the recorder holds at most 6144 per channel) is refused.
    void recoutfWithMoreValuesThanAskedIsRefused()
    {
        const RecorderValues ok = parseRecoutf(recoutfLine(1, 1000) + ',', 1, 1000);
        QVERIFY2(ok.ok(), qPrintable(ok.error));
        QCOMPARE(ok.values.size(), std::size_t(1000));
        const RecorderValues tooMany = parseRecoutf(recoutfLine(1, 1001), 1, 1000);
        QVERIFY(!tooMany.ok());
        QVERIFY(tooMany.values.empty());
        QCOMPARE(tooMany.error, QStringLiteral("the 'recoutf' answer holds 1001 values, more than the 1000 asked for"));
        QVERIFY(!parseRecoutf(recoutfLine(0, kRecorderBufferSize + 1), 0).ok()); // default: the buffer size
        QVERIFY(parseRecoutf(recoutfLine(0, kRecorderBufferSize), 0).ok());
        const RecorderValues chunk = parseRecout("recout,0,64,1.0,2.0,3.0", 0, 64, 2);
        QCOMPARE(chunk.error, QStringLiteral("the 'recout' answer holds 3 values, more than the 2 asked for"));
    }

    void parsesReplies()
    {
        Reply r = parseReply("recsrc,1,2");
        QCOMPARE(r.name, QStringLiteral("recsrc"));
        QCOMPARE(r.fields, (QStringList{QStringLiteral("1"), QStringLiteral("2")}));
        QCOMPARE(r.integer(1).value(), 2);
        r = parseReply("desc,TRITOR100SG   ");
        QCOMPARE(r.field(0), QStringLiteral("TRITOR100SG"));
        r = parseReply("unitcl,\xb5m  ");
        QCOMPARE(r.field(0), QStringLiteral("\u00b5m"));
        r = parseReply("pcf,0.000000e+00,1.500000e+00,0.000000e+00");
        QCOMPARE(r.number(1).value(), 1.5);
        r = parseReply("meas,12.3x4");
        QVERIFY(!r.number(0));
        QVERIFY(parseReply("").isEmpty());
        QVERIFY(!parseReply("set,80.000").isError);
    }

    void errorReplies_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("meaning");
        QTest::newRow("2") << QByteArray("error,2") << 2 << QStringLiteral("Unknown command");
        QTest::newRow("3") << QByteArray("error,3") << 3 << QStringLiteral("Parameter missing");
        QTest::newRow("4") << QByteArray("error,4") << 4 << QStringLiteral("Admissible parameter range exceeded");
        QTest::newRow("5") << QByteArray("error,5") << 5 << QStringLiteral("Command's parameter count exceeded");
        QTest::newRow("6") << QByteArray("error,6") << 6 << QStringLiteral("Parameter is locked or read only");
        QTest::newRow("7") << QByteArray("error,7") << 7 << QStringLiteral("Underload");
        QTest::newRow("8") << QByteArray("error,8") << 8 << QStringLiteral("Overload");
        QTest::newRow("9") << QByteArray("error,9") << 9 << QStringLiteral("Parameter too low");
        QTest::newRow("10") << QByteArray("error,10") << 10 << QStringLiteral("Parameter too high");
        QTest::newRow("missing") << QByteArray("error") << 1 << QStringLiteral("Error not specified");
        QTest::newRow("empty") << QByteArray("error,") << 1 << QStringLiteral("Error not specified");
        QTest::newRow("non-numeric") << QByteArray("error,x") << 1 << QStringLiteral("Error not specified");
        QTest::newRow("unknown") << QByteArray("error,42") << 1 << QStringLiteral("Error not specified");
        QTest::newRow("after echo") << QByteArray("set,500\nerror,4") << 4 << QStringLiteral("Admissible parameter range exceeded");
    }
    void errorReplies()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, code);
        QFETCH(QString, meaning);
        FrameReader fr;
        fr.feed(frame(text));
        const Reply r = parseReply(fr.takeFrame());
        QVERIFY(r.isError);
        QCOMPARE(r.errorCode, code);
        QCOMPARE(errorMeaning(r.errorCode), meaning);
    }

    void decodesStatusBits()
    {
        // connected, capacitive sensor, closed loop, notch, upper limit
        const quint32 stat = 1u | (2u << 1) | (1u << 3) | (1u << 5) | (1u << 15);
        const QStringList f = statusFlags(stat);
        QCOMPARE(f.value(0), QStringLiteral("actuator connected"));
        QCOMPARE(f.value(1), QStringLiteral("sensor: capacitive"));
        QCOMPARE(f.value(2), QStringLiteral("closed loop"));
        QVERIFY(f.contains(QStringLiteral("notch filter on")));
        QVERIFY(f.contains(QStringLiteral("upper control limit reached")));
        QVERIFY(!f.contains(QStringLiteral("low-pass filter on")));
        QCOMPARE(sensorType(1u << 1), QStringLiteral("strain gauge"));
        QCOMPARE(statusFlags(0).mid(0, 3),
                 (QStringList{QStringLiteral("no actuator"), QStringLiteral("sensor: none"), QStringLiteral("open loop")}));
        QVERIFY(statusFlags(0xffff).contains(QStringLiteral("I2C error")));
    }

    void recorderTimingRule_data()
    {
        QTest::addColumn<double>("ms");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("length");
        QTest::newRow("0.05 ms") << 0.05 << 1 << 1;
        QTest::newRow("1 ms") << 1.0 << 1 << 20;
        QTest::newRow("50 ms") << 50.0 << 1 << 1000;
        QTest::newRow("100 ms") << 100.0 << 1 << 2000;
        QTest::newRow("300 ms") << 300.0 << 1 << 6000;
        QTest::newRow("307 ms") << 307.0 << 1 << 6140;
        QTest::newRow("307.2 ms") << 307.2 << 2 << 3072; // an exact multiple takes the next stride
        QTest::newRow("500 ms") << 500.0 << 2 << 5000;
        QTest::newRow("1000 ms") << 1000.0 << 4 << 5000;
        QTest::newRow("10 s") << 10000.0 << 33 << 6061;
    }
    void recorderTimingRule()
    {
        QFETCH(double, ms);
        QFETCH(int, stride);
        QFETCH(int, length);
        const RecorderTiming t = recorderTiming(ms);
        QCOMPARE(t.stride, stride);
        QCOMPARE(t.length, length);
        QCOMPARE(t.rateHz, 20000.0 / stride);
        QCOMPARE(t.period(), stride * 50e-6);
        QVERIFY(t.length <= kRecorderBufferSize);
        QVERIFY(recorderTiming(recorderMaxDurationMs()).stride <= kRecorderMaxStride);
    }

    void recorderSourcesAndUnits()
    {
        QCOMPARE(recorderSourceNames().size(), 8);
        QCOMPARE(recorderSourceNames().at(2), QStringLiteral("Piezo voltage"));
        const QString um = QStringLiteral("\u00b5m");
        QCOMPARE(recorderSourceUnit(0, true, um), um);
        QCOMPARE(recorderSourceUnit(0, false, um), QStringLiteral("V"));
        QCOMPARE(recorderSourceUnit(1, true, QStringLiteral("mrad")), QStringLiteral("mrad"));
        QCOMPARE(recorderSourceUnit(1, false, um), QStringLiteral("V"));
        QCOMPARE(recorderSourceUnit(2, true, um), QStringLiteral("V"));
        QCOMPARE(recorderSourceUnit(6, true, um), QStringLiteral("A"));
        QCOMPARE(recorderSourceUnit(7, false, um), QStringLiteral("A"));
        QCOMPARE(recorderAutostartNames().size(), 3);
    }

    // Found by fuzz_nv200_frames: an integer field far outside int (e.g. "stat,1.25e+101") was
    // converted to int before the range was known (undefined behaviour; UBSan stops the test).
    void integerOutOfIntRangeIsNoInteger()
    {
        for (const char *v : {"1.25e+101", "-1.25e+101", "2147483648", "-2147483649", "4294967296", "1e10"})
            QVERIFY2(!parseReply(QByteArray("stat,") + v).integer(0), v);
        QCOMPARE(parseReply("stat,2147483647").integer(0).value(), 2147483647);
        QCOMPARE(parseReply("stat,-2147483648").integer(0).value(), -2147483647 - 1);
        QVERIFY(!parseReply("stat,2.5").integer(0));
    }

    void nonFiniteValuesAreNoReadings()
    {
        // nan and inf parse as doubles, but no device reports them as a reading.
        for (const char *v : {"nan", "NaN", "inf", "-inf", "+inf"}) {
            QVERIFY2(!parseReply(QByteArray("meas,") + v).number(0), v);
            const RecorderValues r = parseRecoutf(QByteArray("recoutf,0,1.0,") + v, 0);
            QVERIFY2(!r.ok() && r.error.contains(QStringLiteral("value #1")), qPrintable(r.error));
        }
        QCOMPARE(parseReply("meas,-0.125").number(0).value(), -0.125);
    }

    void escapedTextNeverCarriesRawBytes()
    {
        QCOMPARE(escapedText("meas,7\x7f\x1b.#\xe9"), QStringLiteral("meas,7\\x7f\\x1b.#\\xe9"));
        QCOMPARE(escapedText(QByteArray("a\r\0\nb\\", 6)), QStringLiteral("a\\r\\x00\\nb\\\\"));
        QCOMPARE(escapedText("0123456789", 4), QStringLiteral("0123\u2026"));
        const RecorderValues r = parseRecoutf("recoutf,0,1.0,\x13\x11", 0);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("\\x13\\x11")), qPrintable(r.error));
    }

    void recorderReadOut()
    {
        RecorderValues v = parseRecoutf("recoutf,0,0.029,80.000,-1.5", 0);
        QVERIFY(v.ok());
        QCOMPARE(v.values, (std::vector<double>{0.029, 80.0, -1.5}));
        v = parseRecoutf("recoutf,0", 0); // nothing recorded (U6)
        QVERIFY(v.ok());
        QVERIFY(v.values.empty());
        QVERIFY(!parseRecoutf("recoutf,1,1.0", 0).ok());           // wrong channel
        QVERIFY(!parseRecoutf("recout,0,0,1.0", 0).ok());          // wrong command
        v = parseRecoutf("recoutf,0,1.0,2.#00,3.0", 0);            // garbled value
        QVERIFY(!v.ok());
        QVERIFY(v.error.contains(QStringLiteral("garbled value #1")));
        QVERIFY(!parseRecoutf("error,2", 0).ok());
        v = parseRecout("recout,1,64,0.5,0.6", 1, 64);
        QVERIFY(v.ok());
        QCOMPARE(v.index, 64);
        QCOMPARE(v.values, (std::vector<double>{0.5, 0.6}));
        QVERIFY(!parseRecout("recout,1,65,0.5", 1, 64).ok());
        QVERIFY(!parseRecout("recout,1", 1, 0).ok());
    }

    void waveformTables()
    {
        QString err;
        // 10 Hz: period 100 ms → factor ceil(0.1 / 1024 / 50 µs) = 2, 1000 samples.
        auto t = waveformTable(WaveShape::Sine, 10, 40, 50, &err);
        QVERIFY2(t, qPrintable(err));
        QCOMPARE(t->factor, 2);
        QCOMPARE(int(t->percent.size()), 1000);
        QCOMPARE(t->percent[0], 50.0);
        QVERIFY(std::abs(t->percent[250] - 70.0) < 1e-9);
        QVERIFY(std::abs(t->percent[750] - 30.0) < 1e-9);
        QVERIFY(std::abs(t->frequency() - 10.0) < 1e-9);
        // 1024 × 50 µs exactly: factor 1, 1024 samples.
        t = waveformTable(WaveShape::Triangle, 1.0 / (1024 * 50e-6), 100, 50);
        QCOMPARE(t->factor, 1);
        QCOMPARE(int(t->percent.size()), 1024);
        QCOMPARE(t->percent[0], 0.0);
        QCOMPARE(t->percent[512], 100.0);
        // 1 kHz: factor 1, 20 samples.
        t = waveformTable(WaveShape::Square, 1000, 20, 50);
        QCOMPARE(int(t->percent.size()), 20);
        QCOMPARE(t->percent[0], 60.0);
        QCOMPARE(t->percent[19], 40.0);
        t = waveformTable(WaveShape::Step, 1, 100, 50);
        QCOMPARE(t->factor, 20);
        QCOMPARE(int(t->percent.size()), 1000);
        QCOMPARE(t->percent[0], 0.0);
        QCOMPARE(t->percent[99], 0.0);
        QCOMPARE(t->percent[100], 100.0);
        // Clamped to 0–100 %.
        t = waveformTable(WaveShape::Square, 100, 100, 90);
        QCOMPARE(t->percent.front(), 100.0);
        QCOMPARE(t->percent.back(), 40.0);
        QVERIFY(!waveformTable(WaveShape::Sine, 10000, 10, 50, &err));
        QVERIFY(err.contains(QStringLiteral("too fast")));
        QVERIFY(!waveformTable(WaveShape::Sine, 1e-4, 10, 50, &err));
        QVERIFY(!waveformTable(WaveShape::Sine, 0, 10, 50));
        QCOMPARE(awgFactorForSampleTime(100e-6), 2);
        QCOMPARE(awgFactorForSampleTime(1e-6), 1);
        QCOMPARE(awgFactorForSampleTime(10.0), 65535);
        QCOMPARE(waveShapeNames().size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestNv200Protocol)
#include "test_nv200_protocol.moc"
