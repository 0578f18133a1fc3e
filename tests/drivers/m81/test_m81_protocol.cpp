// SPDX-License-Identifier: GPL-3.0-or-later
// The M81 protocol code on byte vectors: reply splitting, the error queue, *IDN?, BFORmat?, the
// incremental B64 row decoder and the CR LF line reader.
#include "M81Protocol.h"

#include <QTest>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <limits>

using namespace bs::m81;

namespace {

QByteArray le(auto v)
{
    QByteArray b(sizeof v, '\0');
    qToLittleEndian(v, b.data());
    return b;
}
QByteArray leFloat(float f)
{
    quint32 bits;
    std::memcpy(&bits, &f, 4);
    return le(bits);
}
QByteArray leDouble(double d)
{
    quint64 bits;
    std::memcpy(&bits, &d, 8);
    return le(bits);
}

std::vector<double> decodeAll(RowDecoder &d, const QList<QByteArray> &replies, QString *error = nullptr)
{
    std::vector<double> out;
    for (const QByteArray &r : replies)
        if (!d.feed(r, out, error))
            return {};
    return out;
}

} // namespace

class TestM81Protocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitOutsideQuotes()
    {
        QCOMPARE(splitReplyItems("5.63,4.31,1.33;No error"), (QList<QByteArray>{"5.63,4.31,1.33", "No error"}));
        QCOMPARE(splitReplyItems("\"module_1_name\";No error"),
                 (QList<QByteArray>{"\"module_1_name\"", "No error"}));
        QCOMPARE(splitReplyItems("\"a;b\";'c;d';-113,\"Undefined header;FAKEQUERY?;\""),
                 (QList<QByteArray>{"\"a;b\"", "'c;d'", "-113,\"Undefined header;FAKEQUERY?;\""}));
        QCOMPARE(splitReplyItems(""), (QList<QByteArray>{""}));
        QCOMPARE(splitReplyItems(";"), (QList<QByteArray>{"", ""}));
        QCOMPARE(unquote(" \"VM-10\" "), QStringLiteral("VM-10"));
        QCOMPARE(unquote("'x'"), QStringLiteral("x"));
        QCOMPARE(unquote("\"say \"\"hi\"\"\""), QStringLiteral("say \"hi\""));
        QCOMPARE(unquote("DC"), QStringLiteral("DC"));
    }

    void errorQueueEmpty_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::newRow("vendor fixture") << QByteArray("No error");
        QTest::newRow("common SCPI") << QByteArray("0,\"No error\"");
        QTest::newRow("spaces") << QByteArray("  0, \"No error\" ");
        QTest::newRow("bare code 0") << QByteArray("+0,\"No error\"");
    }
    void errorQueueEmpty()
    {
        QFETCH(QByteArray, reply);
        const ErrorQueue q = parseErrorQueue(reply);
        QVERIFY(q.empty);
        QVERIFY(q.errors.isEmpty());
    }

    void errorQueueItems()
    {
        ErrorQueue q = parseErrorQueue("-113,\"Undefined header;FAKEQUERY?;\"");
        QVERIFY(!q.empty);
        QCOMPARE(q.errors.size(), 1);
        QCOMPARE(q.errors[0].code, -113);
        QCOMPARE(q.errors[0].message, QStringLiteral("Undefined header"));
        QCOMPARE(q.errors[0].command, QStringLiteral("FAKEQUERY?"));
        QCOMPARE(q.errors[0].describe(), QStringLiteral("-113 Undefined header in 'FAKEQUERY?'"));
        QVERIFY(!q.hardwareMissing());

        // Several queued errors joined by ',' (U4); a comma inside a message is text.
        q = parseErrorQueue("-222,\"Data out of range, too high;TRACe:RATE 6000;\",-224,\"Illegal parameter "
                            "value;TRACe:FORMat:ENCOding CSV;\",-113,\"Undefined header;FOO;\"");
        QCOMPARE(q.errors.size(), 3);
        QCOMPARE(q.errors[0].code, -222);
        QCOMPARE(q.errors[0].message, QStringLiteral("Data out of range, too high"));
        QCOMPARE(q.errors[0].command, QStringLiteral("TRACe:RATE 6000"));
        QCOMPARE(q.errors[1].code, -224);
        QCOMPARE(q.errors[1].command, QStringLiteral("TRACe:FORMat:ENCOding CSV"));
        QCOMPARE(q.errors[2].command, QStringLiteral("FOO"));
        QVERIFY(q.describe().contains(QStringLiteral("-224 Illegal parameter value in 'TRACe:FORMat:ENCOding CSV'")));

        // A real error followed by the "no error" end marker some devices add is still an error.
        q = parseErrorQueue("-222,\"Data out of range;TRACe:RATE 6000;\",0,\"No error\"");
        QVERIFY(!q.empty);
        QCOMPARE(q.errors.size(), 1);

        // Something that is neither "No error" nor an error item is never success.
        q = parseErrorQueue("garbage");
        QVERIFY(!q.empty);
        QCOMPARE(q.errors.size(), 1);
        QVERIFY(q.describe().contains(QStringLiteral("garbage")));
        q = parseErrorQueue("");
        QVERIFY(!q.empty);
    }

    void hardwareMissing()
    {
        const ErrorQueue q = parseErrorQueue("-241,\"Hardware missing;SENSe3:MODel?;\"");
        QVERIFY(q.hardwareMissing());
        QCOMPARE(q.errors[0].code, -241);
        QCOMPARE(q.errors[0].command, QStringLiteral("SENSe3:MODel?"));
        const CheckedReply r = parseCheckedReply("-241,\"Hardware missing;SENSe3:MODel?;\"");
        QVERIFY(r.items.isEmpty()); // the failed query gives no reply of its own
        QVERIFY(r.queue.hardwareMissing());
    }

    void checkedReplies()
    {
        CheckedReply r = parseCheckedReply("3;No error");
        QCOMPARE(r.items, (QList<QByteArray>{"3"}));
        QVERIFY(r.queue.empty);
        r = parseCheckedReply("No error");
        QVERIFY(r.items.isEmpty());
        QVERIFY(r.queue.empty);
        r = parseCheckedReply("LSCI,F41,#######,1.2.3;GAUSS;0,\"No error\"");
        QCOMPARE(r.items, (QList<QByteArray>{"LSCI,F41,#######,1.2.3", "GAUSS"}));
        QVERIFY(r.queue.empty);
        r = parseCheckedReply("\"?d\";No error");
        QCOMPARE(unquote(r.items.value(0)), QStringLiteral("?d"));
    }

    void identity()
    {
        auto id = parseIdentity("LSCI,M81,FakeSerial,999.999.999");
        QVERIFY(id);
        QCOMPARE(id->manufacturer, QStringLiteral("LSCI"));
        QCOMPARE(id->model, QStringLiteral("M81"));
        QCOMPARE(id->serial, QStringLiteral("FakeSerial"));
        QCOMPARE(id->optionSerial, QString());
        QCOMPARE(id->firmware, QStringLiteral("999.999.999"));
        id = parseIdentity("LSCI,MeasureSync M81-SSM,LSA1234/OPT42,2.1.0\r\n");
        QVERIFY(id);
        QCOMPARE(id->model, QStringLiteral("MeasureSync M81-SSM"));
        QCOMPARE(id->serial, QStringLiteral("LSA1234"));
        QCOMPARE(id->optionSerial, QStringLiteral("OPT42"));
        QCOMPARE(id->firmware, QStringLiteral("2.1.0"));
        id = parseIdentity("LSCI,M81,S1,2.1.0,build 7");
        QVERIFY(id);
        QCOMPARE(id->firmware, QStringLiteral("2.1.0,build 7"));
        QString error;
        QVERIFY(!parseIdentity("LSCI,M81,S1", &error));
        QVERIFY2(error.contains(QStringLiteral("3 comma-separated fields")), qPrintable(error));
        QVERIFY(!parseIdentity("", &error));
        QVERIFY(!parseIdentity("LSCI,,S1,1.0", &error));
    }

    void numbers()
    {
        QCOMPARE(parseNumber("3").value(), 3.0);
        QCOMPARE(parseNumber(" +1.000000E-01 ").value(), 0.1);
        QVERIFY(!parseNumber("abc"));
        QVERIFY(!parseNumber(""));
        QVERIFY(!parseNumber("nan"));
        QVERIFY(!parseNumber("inf"));
    }

    void rowLayout()
    {
        QString error;
        auto l = parseRowLayout("\"?d\"", 9, &error);
        QVERIFY2(l, qPrintable(error));
        QCOMPARE(l->rowBytes, 9);
        QCOMPARE(l->codes, (QVector<char>{'?', 'd'}));
        QCOMPARE(l->offsets, (QVector<int>{0, 1}));
        QVERIFY(parseRowLayout("?d", 9)); // unquoted, as the vendor's second fixture sends it
        QVERIFY(parseRowLayout(" '<?d' ", 9));
        l = parseRowLayout("?bBhHiIlLqQfd", -1);
        QVERIFY(l);
        QCOMPARE(l->rowBytes, 1 + 1 + 1 + 2 + 2 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8);
        QCOMPARE(l->offsets.last(), l->rowBytes - 8);
        l = parseRowLayout("d3fI", 24);
        QVERIFY(l);
        QCOMPARE(l->codes, (QVector<char>{'d', 'f', 'f', 'f', 'I'}));
        QVERIFY(!l->isInteger(0));
        QVERIFY(l->isInteger(4));

        QVERIFY(!parseRowLayout("\"?d\"", 8, &error));
        QVERIFY2(error.contains(QStringLiteral("9 bytes")) && error.contains(QStringLiteral("8 bytes"))
                     && error.contains(QStringLiteral("BCOunt")),
                 qPrintable(error));
        QVERIFY(!parseRowLayout("\"?x\"", -1, &error));
        QVERIFY2(error.contains(QStringLiteral("unknown code 'x'")), qPrintable(error));
        QVERIFY(!parseRowLayout(">d", 8, &error));
        QVERIFY2(error.contains(QStringLiteral("byte-order")), qPrintable(error));
        QVERIFY(!parseRowLayout("\"\"", 0, &error));
        QVERIFY(!parseRowLayout("3", -1, &error));
    }

    // Every struct code the stream can carry, at its extremes, kept exact.
    void everyStructCode()
    {
        const QByteArray row = QByteArray("\x02", 1) + le(qint8(-128)) + le(quint8(255)) + le(qint16(-32768))
            + le(quint16(65535)) + le(std::numeric_limits<qint32>::min()) + le(quint32(0xFFFFFFFFu))
            + le(qint32(-7)) + le(quint32(0x80000001u)) + le(qint64(-(1LL << 53))) + le(quint64(1ULL << 53))
            + leFloat(1.5f) + leDouble(-2.25);
        auto layout = parseRowLayout("\"?bBhHiIlLqQfd\"", int(row.size()));
        QVERIFY(layout);
        RowDecoder d(*layout);
        std::vector<double> out;
        const QByteArray zeroFlag = QByteArray(1, '\0') + row.mid(1);
        QCOMPARE(d.feed(encodeBase64(row + zeroFlag), out).value(), std::size_t(2));
        const std::vector<double> expect{1, -128, 255, -32768, 65535, -2147483648.0, 4294967295.0, -7,
                                         2147483649.0, -9007199254740992.0, 9007199254740992.0, 1.5, -2.25};
        QCOMPARE(out.size(), expect.size() * 2);
        for (std::size_t i = 0; i < expect.size(); ++i)
            QCOMPARE(out[i], expect[i]);
        QCOMPARE(out[expect.size()], 0.0); // the second row's flag
        QCOMPARE(d.carriedBytes(), 0);
    }

    // Vendor test vectors: lakeshorecryotronics/python-driver, tests/test_ssm_system.py (MIT
    // licence), test_stream_data and test_get_data. BFORmat "?d" (quoted, then unquoted), BCOunt 9.
    void vendorVectors()
    {
        auto layout = parseRowLayout("\"?d\"", 9);
        QVERIFY(layout);
        RowDecoder d(*layout);
        std::vector<double> out;
        QCOMPARE(d.feed("AF3cRgN400ZAAVTjpZvEIPQ/AIzbaABveVBA", out).value(), std::size_t(3));
        QCOMPARE(out, (std::vector<double>{0, 45.6521, 1, 1.258, 0, 65.8974}));
        layout = parseRowLayout("?d", 9);
        QVERIFY(layout);
        d.setLayout(*layout);
        out.clear();
        QCOMPARE(d.feed("AYlBYOXQIilAAFCNl24Sg9A/AXsUrkfhei9A", out).value(), std::size_t(3));
        QCOMPARE(out, (std::vector<double>{1, 12.568, 0, 0.258, 1, 15.74}));
    }

    // A row may be cut anywhere between two replies (U9), each reply its own base64 text.
    void rowsSplitAtEveryByte()
    {
        auto layout = parseRowLayout("d?fI", 17);
        QVERIFY(layout);
        QByteArray bytes;
        std::vector<double> expect;
        for (int r = 0; r < 4; ++r) {
            bytes += leDouble(0.001 * r) + QByteArray(1, char(r & 1)) + leFloat(float(r) + 0.5f) + le(quint32(1u << (r * 8)));
            expect.insert(expect.end(), {0.001 * r, double(r & 1), r + 0.5, double(1u << (r * 8))});
        }
        for (qsizetype a = 0; a <= bytes.size(); ++a) {
            for (qsizetype b = a; b <= bytes.size(); b += 5) {
                RowDecoder d(*layout);
                const auto out = decodeAll(d, {encodeBase64(bytes.left(a)), encodeBase64(bytes.mid(a, b - a)),
                                               QByteArray(), encodeBase64(bytes.mid(b))});
                QCOMPARE(out, expect);
                QCOMPARE(d.carriedBytes(), 0);
            }
        }
        // A partial row at the end waits for the next reply.
        RowDecoder d(*layout);
        std::vector<double> out;
        QCOMPARE(d.feed(encodeBase64(bytes.left(20)), out).value(), std::size_t(1));
        QCOMPARE(d.carriedBytes(), 3);
        QCOMPARE(d.feed("", out).value(), std::size_t(0)); // an empty reply: no data yet
        QCOMPARE(d.feed("  ", out).value(), std::size_t(0));
        QCOMPARE(d.carriedBytes(), 3);
        QCOMPARE(d.feed(encodeBase64(bytes.mid(20)), out).value(), std::size_t(3));
        QCOMPARE(out, expect);
    }

    // A reply that ends in part of a row whose rest never comes (a truncated reply) is told apart
    // from a row split across replies by a check of the row it would complete (RTIMe must follow).
    void abandonedPartialRow()
    {
        auto layout = parseRowLayout("d?", 9);
        QVERIFY(layout);
        QByteArray rows;
        for (int i = 0; i < 6; ++i)
            rows += leDouble(0.001 * i) + QByteArray(1, '\1');
        double last = -1;
        const RowDecoder::RowCheck follows = [&last](const double *rows, int count) {
            double before = last;
            for (int r = 0; r < count; ++r) {
                const double t = rows[r * 2];
                if (!std::isfinite(t) || t <= before || (before >= 0 && t - before > 1.0))
                    return false;
                before = t;
            }
            return true;
        };
        auto run = [&](const QList<QByteArray> &replies, int *abandoned) {
            RowDecoder d(*layout);
            std::vector<double> out;
            last = -1;
            *abandoned = 0;
            for (const QByteArray &r : replies) {
                const auto n = d.feed(encodeBase64(r), out, follows);
                if (!n)
                    return std::vector<double>{};
                *abandoned += d.abandonedBytes();
                if (!out.empty())
                    last = out[out.size() - 2];
            }
            std::vector<double> times;
            for (std::size_t i = 0; i < out.size(); i += 2)
                times.push_back(out[i]);
            return times;
        };
        int abandoned = 0;
        // Row 2 cut after 4 bytes and never completed: rows 0, 1, 3, 4, 5.
        QCOMPARE(run({rows.left(18 + 4), rows.mid(27)}, &abandoned), (std::vector<double>{0, 0.001, 0.003, 0.004, 0.005}));
        QCOMPARE(abandoned, 4);
        // Cut after its time value: the completed row would look right, the one after it not.
        QCOMPARE(run({rows.left(18 + 8), rows.mid(27)}, &abandoned), (std::vector<double>{0, 0.001, 0.003, 0.004, 0.005}));
        QCOMPARE(abandoned, 8);
        // Row 2 split across the replies (U9): every row.
        for (int cut = 19; cut < 27; ++cut) {
            QCOMPARE(run({rows.left(cut), rows.mid(cut)}, &abandoned),
                     (std::vector<double>{0, 0.001, 0.002, 0.003, 0.004, 0.005}));
            QCOMPARE(abandoned, 0);
        }
        // Without a check the carried bytes are kept (the row boundary is then lost).
        RowDecoder d(*layout);
        std::vector<double> out;
        QVERIFY(d.feed(encodeBase64(rows.left(22)), out));
        QVERIFY(d.feed(encodeBase64(rows.mid(27)), out));
        QCOMPARE(d.abandonedBytes(), 0);
        QVERIFY(out[4] != 0.003);
    }

    void invalidBase64()
    {
        auto layout = parseRowLayout("?d", 9);
        RowDecoder d(*layout);
        std::vector<double> out;
        QCOMPARE(d.feed(encodeBase64(QByteArray(12, '\0')), out).value(), std::size_t(1));
        QCOMPARE(d.carriedBytes(), 3);
        QString error;
        QVERIFY(!d.feed("AF3c!gN4", out, &error));
        QVERIFY2(error.contains(QStringLiteral("'!' at character 5")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("base64")), qPrintable(error));
        QCOMPARE(d.carriedBytes(), 0); // the row boundary is lost with it
        QCOMPARE(d.droppedBytes(), 6 + 3);
        QCOMPARE(out.size(), std::size_t(2));
        QVERIFY(!d.feed("AF3cRgN", out, &error)); // truncated
        QVERIFY2(error.contains(QStringLiteral("multiple of 4")), qPrintable(error));
        QVERIFY(!d.feed("AF3=RgN4", out, &error)); // padding in the middle
        QVERIFY(!d.feed("AF3cRgN4\r\n==", out, &error));
        // Padded forms of every length decode.
        for (int n = 0; n < 12; ++n) {
            const QByteArray raw = QByteArray("0123456789ab").left(n);
            QCOMPARE(decodeBase64(encodeBase64(raw)).value(), raw);
        }
    }

    void lineReader()
    {
        const QByteArray stream("No error\r\n3;No error\r\nAF3c\nRgN4\r\r\n\r\n");
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            LineReader r;
            r.feed(QByteArrayView(stream).first(cut));
            r.feed(QByteArrayView(stream).sliced(cut));
            QList<QByteArray> lines;
            while (auto l = r.takeLine())
                lines << *l;
            QCOMPARE(lines, (QList<QByteArray>{"No error", "3;No error", "AF3c\nRgN4\r", ""}));
            QCOMPARE(r.pendingBytes(), 0);
        }
        // Byte by byte.
        LineReader r;
        QList<QByteArray> lines;
        for (char c : stream) {
            r.feed(QByteArrayView(&c, 1));
            while (auto l = r.takeLine())
                lines << *l;
        }
        QCOMPARE(lines.size(), 4);
    }

    void lineReaderBounded()
    {
        LineReader r(16);
        r.feed("short\r\n");
        for (int i = 0; i < 100; ++i)
            r.feed(QByteArray(10, 'x')); // an endless line: never held
        QVERIFY(r.overflowed());
        QVERIFY(r.pendingBytes() <= 16);
        r.feed(QByteArray(5, 'x') + "\r");
        r.feed("\nok\r\n");
        QCOMPARE(r.takeLine().value(), QByteArray("short"));
        QCOMPARE(r.takeLine().value(), QByteArray("ok")); // the overlong line was dropped, the next is kept
        QVERIFY(!r.takeLine());
        r.clearOverflow();
        r.feed(QByteArray(40, 'y') + "\r\nnext\r\n"); // a whole overlong line in one piece
        QVERIFY(r.overflowed());
        QCOMPARE(r.takeLine().value(), QByteArray("next"));
    }

    void errorCheckConvention()
    {
        QVERIFY(!takesErrorCheck("*IDN?"));
        QVERIFY(!takesErrorCheck("*idn?"));
        QVERIFY(!takesErrorCheck("SYSTem:ERRor:CLEar"));
        QVERIFY(!takesErrorCheck("syst:err:cle"));
        QVERIFY(!takesErrorCheck("TRACe:DATA:ALL?"));
        QVERIFY(!takesErrorCheck(":trac:data:all?"));
        QVERIFY(!takesErrorCheck("*STB?"));
        QVERIFY(!takesErrorCheck("STATus:OPERation:CONDition?"));
        QVERIFY(takesErrorCheck("TRACe:RATE 10"));
        QVERIFY(takesErrorCheck("TRACe:DATA:OVERflow?"));
        QVERIFY(takesErrorCheck("TRACe:DATA:COUNt?"));
        QVERIFY(takesErrorCheck("*RST"));
        QVERIFY(takesErrorCheck("SENSe1:MODE?"));
        QVERIFY(takesErrorCheck("SOURce:NCHannels?"));
        QVERIFY(isDataPoll("TRAC:DATA:ALL?"));
        QVERIFY(!isDataPoll("TRACe:DATA:COUNt?"));
        QVERIFY(isQuery("SENSe1:NAME?"));
        QVERIFY(!isQuery("SENSe1:NAME \"a?b\""));
        QCOMPARE(encodeMessage(QStringLiteral("TRACe:RATE 10"), true), QByteArray("TRACe:RATE 10;:SYSTem:ERRor:ALL?\n"));
        QCOMPARE(encodeMessage(QStringLiteral("*IDN?"), false), QByteArray("*IDN?\n"));
        QString error;
        QVERIFY(encodeMessage(QStringLiteral("A\nB"), true, &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestM81Protocol)
#include "test_m81_protocol.moc"
