// SPDX-License-Identifier: GPL-3.0-or-later
// The pure protocol code of the Moku Datalogger (docs/protocols/moku.md §2.3, §6, §9): the REST
// reply envelope with its nan/inf quirk, the failure sentences, logging_progress in both key sets,
// and the NDJSON live-data path (splitter, line parser, continuity checker, writer). Byte vectors.
#include "MokuProtocolEnvelope.h"
#include "MokuProtocolNdjson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace bs::moku;

namespace {

std::string_view sv(const char *s)
{
    return std::string_view(s, std::strlen(s));
}

/// Every line a splitter yields for `bytes` appended in pieces of `piece` bytes.
QStringList splitAll(std::string_view bytes, std::size_t piece, std::size_t maxLine = 1000)
{
    NdjsonLineSplitter s(maxLine);
    QStringList lines;
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        s.append(bytes.substr(at, piece));
        std::string_view line;
        while (s.takeLine(line) == NdjsonLineSplitter::Result::Line)
            lines << QString::fromUtf8(line.data(), qsizetype(line.size()));
    }
    return lines;
}

} // namespace

class TestMokuProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ---- envelope ---------------------------------------------------------------------------

    void successEnvelope()
    {
        const Reply r = parseReply("{\"success\":true,\"data\":{\"sample_rate\":100.0},\"code\":null,\"messages\":null}");
        QVERIFY2(r.problem.isEmpty(), qPrintable(r.problem));
        QVERIFY(r.success);
        QCOMPARE(r.data.toObject().value(QStringLiteral("sample_rate")).toDouble(), 100.0);
        QVERIFY(r.code.isEmpty());
        QVERIFY(r.messages.isEmpty());
        QVERIFY(explainFailure(QStringLiteral("set_samplerate"), 200, r).isEmpty());
    }

    void successWithWarnings()
    {
        const Reply r = parseReply("{\"success\":true,\"data\":{\"sample_rate\":1000.0},\"code\":null,"
                                   "\"messages\":[\"Sample rate coerced to 1000\"]}");
        QVERIFY(r.success);
        QCOMPARE(r.messages, QStringList{QStringLiteral("Sample rate coerced to 1000")});
    }

    void failureEnvelope()
    {
        const Reply r = parseReply("{\"success\":false,\"data\":null,\"code\":\"INVALID_PARAM\","
                                   "\"messages\":[\"Invalid channel. Should be in between 1 and 2\"]}");
        QVERIFY(r.problem.isEmpty());
        QVERIFY(!r.success);
        QVERIFY(r.data.isNull());
        QCOMPARE(r.code, QStringLiteral("INVALID_PARAM"));
        QCOMPARE(r.messages, QStringList{QStringLiteral("Invalid channel. Should be in between 1 and 2")});
    }

    void nonFiniteNumbersBecomeStrings()
    {
        QCOMPARE(normaliseNonFinite("{\"a\":nan,\"b\":inf,\"c\":-inf}"),
                 QByteArray("{\"a\":\"nan\",\"b\":\"inf\",\"c\":\"-inf\"}"));
        QCOMPARE(normaliseNonFinite("[NaN, Infinity,-Infinity,1e-5,2E+3,-0.5]"),
                 QByteArray("[\"nan\", \"inf\",\"-inf\",1e-5,2E+3,-0.5]"));
        // inside strings nothing changes: a file name, a message, an escaped quote before "nan"
        const QByteArray strings = "{\"file_name\":\"info.li\",\"m\":\"nan inf -inf\",\"e\":\"a\\\"nan\"}";
        QCOMPARE(normaliseNonFinite(strings), strings);
        // true/false/null and keys untouched
        const QByteArray literals = "{\"inf\":true,\"nan\":false,\"x\":null}";
        QCOMPARE(normaliseNonFinite(literals), literals);
        QCOMPARE(normaliseNonFinite(""), QByteArray());
    }

    void nonFiniteInReplies()
    {
        const Reply r = parseReply("{\"success\":true,\"data\":{\"v\":nan,\"a\":[1.0,inf,-inf,nan],"
                                   "\"file_name\":\"info.li\"},\"code\":null,\"messages\":null}");
        QVERIFY2(r.problem.isEmpty(), qPrintable(r.problem));
        const QJsonObject d = r.data.toObject();
        QVERIFY(std::isnan(jsonNumber(d.value(QStringLiteral("v")))));
        const QJsonArray a = d.value(QStringLiteral("a")).toArray();
        QCOMPARE(jsonNumber(a.at(0)), 1.0);
        QCOMPARE(jsonNumber(a.at(1)), std::numeric_limits<double>::infinity());
        QCOMPARE(jsonNumber(a.at(2)), -std::numeric_limits<double>::infinity());
        QVERIFY(std::isnan(jsonNumber(a.at(3))));
        QCOMPARE(d.value(QStringLiteral("file_name")).toString(), QStringLiteral("info.li"));
        QCOMPARE(jsonNumber(QJsonValue(QStringLiteral("Infinity"))), std::numeric_limits<double>::infinity());
        QCOMPARE(jsonNumber(QJsonValue(QStringLiteral("info.li")), 7.0), 7.0);
        QCOMPARE(jsonNumber(QJsonValue(true), -1.0), -1.0);
    }

    void badEnvelopes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("html") << QByteArray("<html>502 Bad Gateway</html>") << QStringLiteral("not valid JSON");
        QTest::newRow("truncated") << QByteArray("{\"success\":true,\"data\":{\"sample_ra") << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not an object");
        QTest::newRow("missing success") << QByteArray("{\"data\":null,\"code\":null,\"messages\":null}")
                                         << QStringLiteral("no \"success\"");
        QTest::newRow("success not bool") << QByteArray("{\"success\":1,\"data\":null}")
                                          << QStringLiteral("not true or false");
        QTest::newRow("success string") << QByteArray("{\"success\":\"true\"}") << QStringLiteral("not true or false");
    }

    void badEnvelopes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        const Reply r = parseReply(body);
        QVERIFY(!r.success);
        QVERIFY2(r.problem.contains(expected), qPrintable(r.problem));
        const QString s = explainFailure(QStringLiteral("describe"), 200, r);
        QVERIFY2(s.contains(QStringLiteral("describe")) && s.contains(r.problem), qPrintable(s));
    }

    void missingOptionalKeysAreTolerated()
    {
        const Reply r = parseReply("{\"success\":true}");
        QVERIFY(r.problem.isEmpty());
        QVERIFY(r.success);
        QVERIFY(r.data.isNull());
        const Reply f = parseReply("{\"success\":false,\"messages\":\"one sentence\"}");
        QVERIFY(!f.success);
        QCOMPARE(f.messages, QStringList{QStringLiteral("one sentence")});
    }

    // ---- failure sentences ------------------------------------------------------------------

    void explainsHttpStatuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("404") << 404 << QStringList{QStringLiteral("does not know"), QStringLiteral("MokuOS")};
        QTest::newRow("500") << 500 << QStringList{QStringLiteral("internal error"), QStringLiteral("HTTP 500")};
        QTest::newRow("502") << 502
                             << QStringList{QStringLiteral("API server"),
                                            QStringLiteral("mokucli feature install <moku> api-server")};
        QTest::newRow("504") << 504 << QStringList{QStringLiteral("in time"), QStringLiteral("504")};
        QTest::newRow("418") << 418 << QStringList{QStringLiteral("HTTP status 418")};
    }

    void explainsHttpStatuses()
    {
        QFETCH(int, status);
        QFETCH(QStringList, words);
        const Reply r = parseReply("{\"success\":false,\"data\":null,\"code\":null,\"messages\":null}");
        const QString s = explainFailure(QStringLiteral("set_samplerate"), status, r);
        QVERIFY2(s.contains(QStringLiteral("set_samplerate")), qPrintable(s));
        for (const QString &w : words)
            QVERIFY2(s.contains(w), qPrintable(s + QStringLiteral(" / ") + w));
        // a 404 page that is not an envelope at all still gives the 404 sentence
        const QString html = explainFailure(QStringLiteral("set_samplerate"), status, parseReply("<html></html>"));
        QVERIFY2(html.contains(words.first()), qPrintable(html));
    }

    void explainsCodes_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("NO_PLATFORM_BIT_STREAM") << QStringLiteral("NO_PLATFORM_BIT_STREAM")
                                                << QStringList{QStringLiteral("platform bitstream")};
        QTest::newRow("NO_BIT_STREAM") << QStringLiteral("NO_BIT_STREAM")
                                       << QStringList{QStringLiteral("Datalogger is not installed"),
                                                      QStringLiteral("Moku app"), QStringLiteral("upload")};
        QTest::newRow("INVALID_PARAM") << QStringLiteral("INVALID_PARAM") << QStringList{QStringLiteral("out of range")};
        QTest::newRow("INVALID_REQUEST") << QStringLiteral("INVALID_REQUEST") << QStringList{QStringLiteral("malformed")};
        QTest::newRow("NETWORK_ERROR") << QStringLiteral("NETWORK_ERROR") << QStringList{QStringLiteral("network error")};
        QTest::newRow("UNEXPECTED_CHANGE") << QStringLiteral("UNEXPECTED_CHANGE")
                                           << QStringList{QStringLiteral("changed unexpectedly")};
        QTest::newRow("unknown") << QStringLiteral("FLUX_CAPACITOR")
                                 << QStringList{QStringLiteral("error code FLUX_CAPACITOR")};
        QTest::newRow("no code") << QString() << QStringList{QStringLiteral("without an error code")};
    }

    void explainsCodes()
    {
        QFETCH(QString, code);
        QFETCH(QStringList, words);
        const QByteArray body = "{\"success\":false,\"data\":null,\"code\":"
            + (code.isEmpty() ? QByteArray("null") : "\"" + code.toUtf8() + "\"")
            + ",\"messages\":[\"Sample rate must be between 10 and 1e6\"]}";
        const Reply r = parseReply(body);
        QVERIFY(r.problem.isEmpty());
        const QString s = explainFailure(QStringLiteral("set_samplerate"), 200, r);
        QVERIFY2(s.contains(QStringLiteral("set_samplerate")), qPrintable(s));
        QVERIFY2(s.contains(QStringLiteral("Sample rate must be between 10 and 1e6")), qPrintable(s));
        for (const QString &w : words)
            QVERIFY2(s.contains(w), qPrintable(s + QStringLiteral(" / ") + w));
    }

    void refusedClaimMeansInUse()
    {
        // §9 U3: whatever the code, success:false on claim_ownership is "in use by another client"
        for (const char *code : {"UNEXPECTED_CHANGE", "INVALID_REQUEST", "SOMETHING_NEW"}) {
            const Reply r = parseReply(QByteArray("{\"success\":false,\"data\":null,\"code\":\"") + code
                                       + "\",\"messages\":[\"Moku is owned by another client (Lab PC 3)\"]}");
            const QString s = explainFailure(QStringLiteral("claim_ownership"), 200, r);
            QVERIFY2(s.contains(QStringLiteral("in use by another client")), qPrintable(s));
            QVERIFY2(s.contains(QStringLiteral("Lab PC 3")), qPrintable(s));
        }
        const QString forbidden = explainFailure(QStringLiteral("claim_ownership"), 403, parseReply("{}"));
        QVERIFY2(forbidden.contains(QStringLiteral("in use by another client")), qPrintable(forbidden));
        // the same code on another operation is not about ownership
        const Reply r = parseReply("{\"success\":false,\"code\":\"UNEXPECTED_CHANGE\",\"messages\":[\"x\"]}");
        QVERIFY(!explainFailure(QStringLiteral("start_logging"), 200, r).contains(QStringLiteral("in use")));
    }

    // ---- logging_progress -------------------------------------------------------------------

    void loggingProgressCurrentKeys()
    {
        const Reply r = parseReply("{\"success\":true,\"data\":{\"complete\":false,\"file_name\":"
                                   "\"MokuDataLoggerData_20210603_101533.li\",\"running\":true,"
                                   "\"samples_logged\":2238,\"time_remaining\":2,\"message\":\"Waiting for trigger\"},"
                                   "\"code\":null,\"messages\":null}");
        const LoggingProgress p = parseLoggingProgress(r.data);
        QVERIFY(p.running);
        QVERIFY(!p.complete);
        QCOMPARE(p.fileName, QStringLiteral("MokuDataLoggerData_20210603_101533.li"));
        QCOMPARE(p.samplesLogged, 2238.0);
        QCOMPARE(p.timeRemaining, 2.0);
        QCOMPARE(p.timeToStart, -1.0);
        QCOMPARE(p.bytesLogged, -1.0);
        QCOMPARE(p.message, QStringLiteral("Waiting for trigger"));
    }

    void loggingProgressOldKeys()
    {
        const Reply r = parseReply("{\"success\":true,\"data\":{\"complete\":true,\"file_name\":\"a.li\","
                                   "\"running\":false,\"time_to_end\":0,\"time_to_start\":3.5,"
                                   "\"words_logged\":1000,\"bytes_logged\":8000},\"code\":null,\"messages\":null}");
        const LoggingProgress p = parseLoggingProgress(r.data);
        QVERIFY(!p.running);
        QVERIFY(p.complete);
        QCOMPARE(p.samplesLogged, 1000.0);
        QCOMPARE(p.bytesLogged, 8000.0);
        QCOMPARE(p.timeRemaining, 0.0);
        QCOMPARE(p.timeToStart, 3.5);
        const LoggingProgress none = parseLoggingProgress(QJsonValue(QJsonValue::Null));
        QVERIFY(!none.running && !none.complete);
        QCOMPARE(none.samplesLogged, -1.0);
        // a non-finite remaining time (sent bare, normalised) is "unknown", not a number
        const LoggingProgress nan = parseLoggingProgress(
            parseReply("{\"success\":true,\"data\":{\"running\":true,\"time_remaining\":nan}}").data);
        QCOMPARE(nan.timeRemaining, -1.0);
    }

    // ---- NDJSON splitter --------------------------------------------------------------------

    void splitsAtEveryBoundary()
    {
        const std::string_view stream = sv("{\"time\":[0.0,0.001],\"ch1\":[1,2]}\n"
                                           "\n"
                                           "{\"time\":[],\"ch1\":[]}\r\n"
                                           "{\"time\":[0.002],\"ch1\":[3]}\n"
                                           "EOS\n");
        const QStringList expected{QStringLiteral("{\"time\":[0.0,0.001],\"ch1\":[1,2]}"), QString(),
                                   QStringLiteral("{\"time\":[],\"ch1\":[]}"),
                                   QStringLiteral("{\"time\":[0.002],\"ch1\":[3]}"), QStringLiteral("EOS")};
        for (std::size_t piece = 1; piece <= stream.size(); ++piece)
            QCOMPARE(splitAll(stream, piece), expected);
        // two pieces cut at every byte
        for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
            NdjsonLineSplitter s(1000);
            s.append(stream.substr(0, cut));
            QStringList lines;
            std::string_view line;
            while (s.takeLine(line) == NdjsonLineSplitter::Result::Line)
                lines << QString::fromUtf8(line.data(), qsizetype(line.size()));
            s.append(stream.substr(cut));
            while (s.takeLine(line) == NdjsonLineSplitter::Result::Line)
                lines << QString::fromUtf8(line.data(), qsizetype(line.size()));
            QCOMPARE(lines, expected);
            QCOMPARE(s.pendingBytes(), std::size_t(0));
        }
    }

    void keepsAnUnfinishedLine()
    {
        NdjsonLineSplitter s(100);
        s.append(sv("EOS\n{\"time\":[1"));
        std::string_view line;
        QCOMPARE(s.takeLine(line), NdjsonLineSplitter::Result::Line);
        QCOMPARE(line, sv("EOS"));
        QCOMPARE(s.takeLine(line), NdjsonLineSplitter::Result::NeedMore);
        QCOMPARE(s.pendingBytes(), std::size_t(10));
        QVERIFY(!s.failed());
    }

    void refusesOverlongLines()
    {
        // the bound holds both for a line that never ends and for one whose LF arrives too late
        NdjsonLineSplitter s(64);
        std::string_view line;
        for (int i = 0; i < 6; ++i) {
            s.append(sv("0123456789012345"));
            const auto r = s.takeLine(line);
            if (i < 4)
                QCOMPARE(r, NdjsonLineSplitter::Result::NeedMore);
            else
                QCOMPARE(r, NdjsonLineSplitter::Result::TooLong);
        }
        QVERIFY(s.failed());
        QVERIFY2(s.error().contains(QStringLiteral("64 bytes")), qPrintable(s.error()));
        s.append(sv("\nEOS\n"));
        QCOMPARE(s.takeLine(line), NdjsonLineSplitter::Result::TooLong);
        QCOMPARE(s.pendingBytes(), std::size_t(0)); // nothing kept after the failure
        s.reset();
        s.append(sv("EOS\n"));
        QCOMPARE(s.takeLine(line), NdjsonLineSplitter::Result::Line);

        NdjsonLineSplitter t(8);
        t.append(sv("123456789\nEOS\n")); // 9 bytes and the LF in one piece
        QCOMPARE(t.takeLine(line), NdjsonLineSplitter::Result::TooLong);
        NdjsonLineSplitter u(8);
        u.append(sv("12345678\r\n")); // exactly the maximum, CR not counted
        QCOMPARE(u.takeLine(line), NdjsonLineSplitter::Result::Line);
        QCOMPARE(line, sv("12345678"));
    }

    // ---- NDJSON line parser -----------------------------------------------------------------

    void parsesTheDocumentedExample()
    {
        StreamLine l;
        QCOMPARE(parseStreamLine(sv("{\"time\":[0.0,0.001,0.002],\"ch1\":[0.0123,0.0131,0.0128],"
                                    "\"ch2\":[-0.5,-0.4998,-0.4995]}"),
                                 l),
                 QString());
        QVERIFY(!l.endOfStream);
        QCOMPARE(l.time, (std::vector<double>{0.0, 0.001, 0.002}));
        QCOMPARE(l.channels, (std::vector<int>{1, 2}));
        QCOMPARE(l.values.at(0), (std::vector<double>{0.0123, 0.0131, 0.0128}));
        QCOMPARE(l.values.at(1), (std::vector<double>{-0.5, -0.4998, -0.4995}));
        // input 1 disabled
        QCOMPARE(parseStreamLine(sv("{\"time\":[0.1],\"ch2\":[5]}"), l), QString());
        QCOMPARE(l.channels, (std::vector<int>{2}));
        QCOMPARE(l.values.size(), std::size_t(1));
        QCOMPARE(l.values.at(0), (std::vector<double>{5.0}));
    }

    void endOfStream()
    {
        StreamLine l;
        QCOMPARE(parseStreamLine(sv("{\"time\":[1],\"ch1\":[2]}"), l), QString());
        QCOMPARE(parseStreamLine(sv("EOS"), l), QString());
        QVERIFY(l.endOfStream);
        QVERIFY(l.time.empty() && l.channels.empty() && l.values.empty());
        QCOMPARE(parseStreamLine(sv("  EOS \r"), l), QString());
        QVERIFY(l.endOfStream);
        QVERIFY(!parseStreamLine(sv("EOSX"), l).isEmpty());
        QVERIFY(!l.endOfStream);
    }

    void upToEightChannelsInAnyOrderAndWhitespace()
    {
        StreamLine l;
        const auto line = sv(" {\t\"ch8\" : [ 8 ] , \"time\":[ 0.5 ],\"ch3\":[3],\"ch5\":[5],\"ch4\":[4],"
                             "\"ch7\":[7],\"ch6\":[6] } \r");
        QCOMPARE(parseStreamLine(line, l), QString());
        QCOMPARE(l.channels, (std::vector<int>{3, 4, 5, 6, 7, 8}));
        for (std::size_t i = 0; i < l.channels.size(); ++i)
            QCOMPARE(l.values.at(i), (std::vector<double>{double(l.channels[i])}));
    }

    void ignoresUnknownKeys()
    {
        StreamLine l;
        QCOMPARE(parseStreamLine(sv("{\"meta\":{\"rate\":[1,2,{\"x\":\"]}\"}]},\"time\":[0],\"name\":\"ch1 \\\"q\\\"\","
                                    "\"ok\":true,\"n\":null,\"ch1\":[1],\"chx\":[1,2,3],\"ch\":[9],\"x\":-1e3}"),
                                 l),
                 QString());
        QCOMPARE(l.channels, (std::vector<int>{1}));
        QCOMPARE(l.values.at(0), (std::vector<double>{1.0}));
    }

    void toleratesNonFiniteTokens()
    {
        StreamLine l;
        QCOMPARE(parseStreamLine(sv("{\"time\":[0,1,2,3,4,5,6],\"ch1\":[nan,inf,-inf,NaN,Infinity,-Infinity,null]}"), l),
                 QString());
        const auto &v = l.values.at(0);
        QVERIFY(std::isnan(v[0]) && std::isnan(v[3]) && std::isnan(v[6]));
        QCOMPARE(v[1], std::numeric_limits<double>::infinity());
        QCOMPARE(v[2], -std::numeric_limits<double>::infinity());
        QCOMPARE(v[4], std::numeric_limits<double>::infinity());
        QCOMPARE(v[5], -std::numeric_limits<double>::infinity());
        QCOMPARE(parseStreamLine(sv("{\"time\":[0,1,2],\"ch1\":[\"nan\",\"inf\",\"-inf\"]}"), l), QString());
        QCOMPARE(l.values.at(0)[2], -std::numeric_limits<double>::infinity());
        // numbers beyond double: overflow to infinity, underflow to zero, never an error
        QCOMPARE(parseStreamLine(sv("{\"time\":[0,1],\"ch1\":[1e999,-1e-999]}"), l), QString());
        QCOMPARE(l.values.at(0)[0], std::numeric_limits<double>::infinity());
        QCOMPARE(l.values.at(0)[1], 0.0);
    }

    void namesWhatIsWrong_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("words");
        QTest::newRow("empty") << QByteArray("") << QStringLiteral("empty line");
        QTest::newRow("not json") << QByteArray("hello") << QStringLiteral("not a JSON object");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
        QTest::newRow("no time") << QByteArray("{\"ch1\":[1,2]}") << QStringLiteral("no \"time\"");
        QTest::newRow("empty object") << QByteArray("{}") << QStringLiteral("no \"time\"");
        QTest::newRow("unequal") << QByteArray("{\"time\":[0,1,2],\"ch1\":[1,2,3],\"ch2\":[1,2]}")
                                 << QStringLiteral("\"time\" has 3 values, \"ch2\" has 2");
        QTest::newRow("bad number") << QByteArray("{\"time\":[0,1],\"ch1\":[1.5,2..5]}")
                                    << QStringLiteral("bad number at byte 25 in the \"ch1\" array");
        QTest::newRow("letters") << QByteArray("{\"time\":[0,x1]}")
                                 << QStringLiteral("bad number at byte 11 in the \"time\" array");
        QTest::newRow("string") << QByteArray("{\"time\":[0,\"1\"]}") << QStringLiteral("bad number at byte 11");
        QTest::newRow("missing comma") << QByteArray("{\"time\":[0 1]}") << QStringLiteral("expected , or ]");
        QTest::newRow("not array") << QByteArray("{\"time\":5}") << QStringLiteral("not an array");
        QTest::newRow("truncated") << QByteArray("{\"time\":[0,0.001],\"ch1\":[1,") << QStringLiteral("bad number");
        QTest::newRow("truncated2") << QByteArray("{\"time\":[0,0.001],\"ch1\":[1") << QStringLiteral("truncated");
        QTest::newRow("truncated3") << QByteArray("{\"time\":[0,0.001]") << QStringLiteral("truncated");
        QTest::newRow("twice") << QByteArray("{\"time\":[0],\"ch1\":[1],\"ch1\":[2]}") << QStringLiteral("appears twice");
        QTest::newRow("trailing") << QByteArray("{\"time\":[0]} x") << QStringLiteral("text after");
        QTest::newRow("no colon") << QByteArray("{\"time\" [0]}") << QStringLiteral("expected :");
        QTest::newRow("bare key") << QByteArray("{time:[0]}") << QStringLiteral("quoted key");
    }

    void namesWhatIsWrong()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, words);
        StreamLine l;
        const QString e = parseStreamLine(std::string_view(line.constData(), std::size_t(line.size())), l);
        QVERIFY2(e.contains(words), qPrintable(e));
        QCOMPARE(l.values.size(), l.channels.size()); // consistent even after an error
        // a good line afterwards parses as if nothing happened
        QCOMPARE(parseStreamLine(sv("{\"time\":[7],\"ch2\":[8]}"), l), QString());
        QCOMPARE(l.channels, (std::vector<int>{2}));
        QCOMPARE(l.values.at(0), (std::vector<double>{8.0}));
    }

    void storageIsReused()
    {
        StreamLine l;
        const auto line = sv("{\"time\":[0,1,2,3],\"ch1\":[1,2,3,4],\"ch2\":[5,6,7,8]}");
        QCOMPARE(parseStreamLine(line, l), QString());
        const double *t = l.time.data();
        const double *a = l.values[0].data();
        const double *b = l.values[1].data();
        QCOMPARE(parseStreamLine(sv("{\"time\":[4,5],\"ch1\":[1,2],\"ch2\":[5,6]}"), l), QString());
        QCOMPARE(l.time.data(), t);
        QCOMPARE(l.values[0].data(), a);
        QCOMPARE(l.values[1].data(), b);
    }

    void linesOfAnyLength()
    {
        StreamLine l;
        std::string text;
        for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(2), std::size_t(1000),
                              std::size_t(1000000)}) {
            std::vector<double> t(n), a(n), b(n);
            for (std::size_t i = 0; i < n; ++i) {
                t[i] = double(i) * 1e-7;
                a[i] = std::sin(double(i) * 0.001) * 0.7;
                b[i] = -double(i % 4096) / 4096.0;
            }
            text.clear();
            appendStreamLine(text, t.data(), {a.data(), b.data()}, {1, 2}, n);
            QCOMPARE(text.back(), '\n');
            // the whole line through a splitter fed in 64 KiB pieces, bounded at 64 MiB
            NdjsonLineSplitter s(64u << 20);
            std::string_view line;
            bool got = false;
            for (std::size_t at = 0; at < text.size(); at += 65536) {
                s.append(std::string_view(text).substr(at, 65536));
                if (s.takeLine(line) == NdjsonLineSplitter::Result::Line) {
                    got = true;
                    break;
                }
            }
            QVERIFY(got);
            QCOMPARE(parseStreamLine(line, l), QString());
            QCOMPARE(l.time.size(), n);
            QVERIFY(l.time == t);
            QVERIFY(l.values.at(0) == a);
            QVERIFY(l.values.at(1) == b);
        }
    }

    void writerRoundTripIsExact()
    {
        std::mt19937_64 rng(12);
        std::uniform_real_distribution<double> uni(-10, 10);
        std::vector<double> t(500), c1(500), c3(500);
        for (std::size_t i = 0; i < t.size(); ++i) {
            t[i] = 1234.5 + double(i) / 3e6;
            c1[i] = uni(rng) * std::pow(10.0, double(int(i % 40) - 20));
            c3[i] = i % 7 == 0 ? 0.0 : std::nextafter(uni(rng), 100.0);
        }
        c1[0] = std::numeric_limits<double>::denorm_min();
        c1[1] = std::numeric_limits<double>::max();
        c1[2] = -0.0;
        std::string text;
        appendStreamLine(text, t.data(), {c1.data(), c3.data()}, {1, 3}, t.size());
        appendEndOfStream(text);
        QVERIFY(text.starts_with("{\"time\":[1234.5,"));
        QVERIFY(text.ends_with("]}\nEOS\n"));
        StreamLine l;
        const std::size_t lf = text.find('\n');
        QCOMPARE(parseStreamLine(std::string_view(text).substr(0, lf), l), QString());
        QCOMPARE(l.channels, (std::vector<int>{1, 3}));
        QVERIFY(l.time == t);
        QVERIFY(l.values[0] == c1);
        QVERIFY(std::signbit(l.values[0][2]));
        QVERIFY(l.values[1] == c3);
        QCOMPARE(parseStreamLine(std::string_view(text).substr(lf + 1, 3), l), QString());
        QVERIFY(l.endOfStream);

        std::string small;
        const double tt[2] = {0.0, 0.001};
        const double v[2] = {0.01, 0.02};
        appendStreamLine(small, tt, {v}, {1}, 2);
        QCOMPARE(small, std::string("{\"time\":[0,0.001],\"ch1\":[0.01,0.02]}\n"));
        small.clear();
        appendStreamLine(small, tt, {}, {}, 0);
        QCOMPARE(small, std::string("{\"time\":[]}\n"));
    }

    // ---- continuity -------------------------------------------------------------------------

    void continuousStreamHasNoGaps()
    {
        const double dt = 1e-4;
        StreamContinuity c(dt);
        std::vector<double> t(1000);
        for (int line = 0; line < 50; ++line) {
            for (std::size_t i = 0; i < t.size(); ++i)
                t[i] = double(line * 1000 + int(i)) * dt; // as a device would compute it: index × dt
            const auto r = c.check(t);
            QVERIFY2(r.ok(), qPrintable(StreamContinuity::describe(r)));
        }
        QCOMPARE(c.totalLost(), 0LL);
        // an empty line changes nothing
        QVERIFY(c.check(nullptr, 0).ok());
        // accumulated (t += dt) time stamps, with their rounding, are continuous too
        StreamContinuity acc(1.0 / 3.0);
        double now = 0;
        for (int line = 0; line < 100; ++line) {
            for (double &x : t) {
                x = now;
                now += 1.0 / 3.0;
            }
            QVERIFY(acc.check(t).ok());
        }
    }

    void gapOfKSamplesBeforeALine()
    {
        const double dt = 0.001;
        for (long long k : {1LL, 2LL, 7LL, 1000LL}) {
            StreamContinuity c(dt);
            const double a[3] = {0.0, 0.001, 0.002};
            QVERIFY(c.check(a, 3).ok());
            const double start = double(3 + k) * dt;
            const double b[3] = {start, start + dt, start + 2 * dt};
            const auto r = c.check(b, 3);
            QCOMPARE(r.lostBefore, k);
            QCOMPARE(r.lostWithin, 0LL);
            QVERIFY(StreamContinuity::describe(r).contains(QString::number(k)));
            QCOMPARE(c.totalLost(), k);
            const double next[1] = {start + 3 * dt};
            QVERIFY(c.check(next, 1).ok());
        }
    }

    void gapInsideALineAndUnevenSpacing()
    {
        const double dt = 0.5;
        StreamContinuity c(dt);
        const double a[5] = {0.0, 0.5, 2.0, 2.5, 3.0}; // 1.0 and 1.5 missing
        auto r = c.check(a, 5);
        QCOMPARE(r.lostWithin, 2LL);
        QCOMPARE(r.uneven, std::size_t(0));
        const double b[4] = {3.5, 3.8, 4.3, 4.8}; // a step of 0.3: not a whole number of intervals
        r = c.check(b, 4);
        QCOMPARE(r.lostBefore, 0LL);
        QCOMPARE(r.uneven, std::size_t(1));
        QCOMPARE(r.firstUneven, std::size_t(1));
        QVERIFY(StreamContinuity::describe(r).contains(QStringLiteral("not a whole number")));
        const double back[2] = {4.8, 5.3}; // repeats the last time stamp
        r = c.check(back, 2);
        QCOMPARE(r.overlap, 1LL);
        QVERIFY(!r.ok());
        const double restart[3] = {0.0, 0.5, 1.0}; // a new stream from zero: goes back in time
        r = c.check(restart, 3);
        QVERIFY(r.overlap > 0);
    }

    void nonFiniteTimeIsNotContinuous()
    {
        StreamContinuity c(1.0);
        const double a[3] = {0.0, std::numeric_limits<double>::quiet_NaN(), 2.0};
        QVERIFY(!c.check(a, 3).ok());
        const double b[2] = {std::numeric_limits<double>::quiet_NaN(), 4.0};
        QVERIFY(!c.check(b, 2).ok());
    }

    void intervalTakenFromTheData()
    {
        StreamContinuity c; // interval unknown
        const double one[1] = {0.0};
        QVERIFY(c.check(one, 1).ok());
        QCOMPARE(c.sampleInterval(), 0.0);
        const double a[4] = {1.0, 1.25, 1.5, 1.75};
        QVERIFY(c.check(a, 4).ok());
        QCOMPARE(c.sampleInterval(), 0.25);
        const double b[2] = {2.5, 2.75}; // 2.0 and 2.25 lost
        QCOMPARE(c.check(b, 2).lostBefore, 2LL);
    }
};

QTEST_GUILESS_MAIN(TestMokuProtocol)
#include "test_moku_protocol.moc"
