// SPDX-License-Identifier: GPL-3.0-or-later
// Byte-exact tests of the pure PandA protocol code: upstream fixtures plus hand-built streams.

#include "PandaProtocol.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtEndian>
#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

using namespace bs;
using namespace bs::panda;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(BS_FIXTURES_DIR "/panda/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(f.fileName()));
    return f.readAll();
}

QJsonObject expectedFor(const QString &name)
{
    static const QJsonObject files = QJsonDocument::fromJson(fixture(QStringLiteral("expected.json")))
                                         .object()
                                         .value(QLatin1String("files"))
                                         .toObject();
    return files.value(name).toObject();
}

bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool close(double a, double b, double rel = 1e-12)
{
    return same(a, b) || std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

// Everything a parser produced for one input.
struct Run
{
    std::vector<DataEvent> events;
    bool failed = false;
    QString error;
    std::uint64_t consumed = 0;

    int count(DataEvent::Kind k) const
    {
        return int(
            std::count_if(events.begin(), events.end(), [k](const DataEvent &e) { return e.kind == k; }));
    }
    const DataEvent *nth(DataEvent::Kind k, int n) const
    {
        for (const DataEvent &e : events) {
            if (e.kind == k && n-- == 0)
                return &e;
        }
        return nullptr;
    }
    // Rows of capture `capture` (frames between its Start and the next Start), per column.
    std::vector<std::vector<double>> columns(int capture = 0) const
    {
        std::vector<std::vector<double>> cols;
        int seen = -1;
        for (const DataEvent &e : events) {
            if (e.kind == DataEvent::Kind::Start) {
                ++seen;
                if (seen == capture)
                    cols.resize(std::size_t(e.header.fields.size()));
            } else if (e.kind == DataEvent::Kind::Frame && seen == capture) {
                const std::vector<double> values = e.values();
                for (std::size_t c = 0; c < cols.size(); ++c)
                    cols[c].insert(cols[c].end(), values.begin() + std::ptrdiff_t(c * e.rows),
                        values.begin() + std::ptrdiff_t((c + 1) * e.rows));
            }
        }
        return cols;
    }
};

Run parse(const QByteArray &bytes, const DataOptions &options, qsizetype chunk = 0,
    const std::optional<DataHeader> &assumed = std::nullopt)
{
    DataStreamParser p(options);
    if (assumed)
        p.setAssumedHeader(*assumed);
    Run run;
    const qsizetype step = chunk > 0 ? chunk : std::max<qsizetype>(1, bytes.size());
    for (qsizetype pos = 0; pos < bytes.size(); pos += step) {
        p.feed(bytes.constData() + pos, std::size_t(std::min(step, bytes.size() - pos)));
        DataEvent ev;
        while (p.takeEvent(ev))
            run.events.push_back(std::move(ev));
    }
    run.failed = p.failed();
    run.error = p.error();
    run.consumed = p.bytesConsumed();
    return run;
}

DataOptions options(const char *line)
{
    return *DataOptions::parse(line);
}

// ---- hand-built streams ------------------------------------------------------------------

// RAW layout used by the non-fixture tests (current-server style, 28 bytes):
// gate int32 (scale 8e-9 s) | BITS0 uint32 | C1.Value int32 (x0.5+10 mm) | TS_START int64 | C2.Mean int64
// (x2+1)
struct RawRow
{
    qint32 gate;
    quint32 bits;
    qint32 c1;
    qint64 ts;
    qint64 c2sum;
};

constexpr int kRawBytes = 28;

const char *const kRawFieldsXml
    = "<fields>\n"
      "<field name=\"PCAP.GATE_DURATION\" type=\"int32\" capture=\"Value\" scale=\"8e-09\" offset=\"0\" "
      "units=\"s\" />\n"
      "<field name=\"PCAP.BITS0\" type=\"uint32\" capture=\"Value\" />\n"
      "<field capture=\"Value\" units=\"mm\" offset=\"10\" scale=\"0.5\" type=\"int32\" "
      "name=\"COUNTER1.OUT\" />\n"
      "<field name=\"PCAP.TS_START\" type=\"int64\" capture=\"Value\" scale=\"8e-09\" offset=\"0\" "
      "units=\"s\" />\n"
      "<field name=\"COUNTER2.OUT\" type=\"int64\" capture=\"Mean\" scale=\"2\" offset=\"1\" "
      "units=\"&lt;&amp;&gt;&quot;&apos;\" />\n"
      "</fields>\n";

QByteArray rawXmlHeader(const char *format, const char *extra = "")
{
    return QByteArray("<header>\n<data arm_time=\"2026-01-22T01:43:02.190522630Z\" "
                      "start_time=\"2026-01-22T01:43:02.290522630Z\" hw_time_offset_ns=\"-42\" missed=\"3\" "
                      "process=\"Raw\" format=\"")
        + format + "\" " + extra + "/>\n" + kRawFieldsXml + "</header>\n\n";
}

DataHeader rawHeader(DataFormat format)
{
    DataHeader h;
    QString err;
    const QByteArray xml = rawXmlHeader("Framed");
    if (!parseXmlHeader(xml.left(xml.size() - 1), h, &err) || !completeHeader(h, &err))
        qFatal("bad test header: %s", qPrintable(err));
    h.format = format;
    return h;
}

std::vector<RawRow> makeRows(int n)
{
    std::vector<RawRow> rows;
    for (int i = 0; i < n; ++i) {
        RawRow r;
        r.gate = i % 5 == 3 ? 0 : 100 + i;
        r.bits = 0x80000000u | quint32(i);
        r.c1 = -3 * i;
        r.ts = (qint64(1) << 33) + qint64(i) * 12345;
        r.c2sum = -(qint64(1) << 40) - qint64(i) * 1000003;
        rows.push_back(r);
    }
    return rows;
}

QByteArray encodeRows(const std::vector<RawRow> &rows)
{
    QByteArray out(qsizetype(rows.size()) * kRawBytes, Qt::Uninitialized);
    auto *p = reinterpret_cast<uchar *>(out.data());
    for (const RawRow &r : rows) {
        qToLittleEndian<qint32>(r.gate, p);
        qToLittleEndian<quint32>(r.bits, p + 4);
        qToLittleEndian<qint32>(r.c1, p + 8);
        qToLittleEndian<qint64>(r.ts, p + 12);
        qToLittleEndian<qint64>(r.c2sum, p + 20);
        p += kRawBytes;
    }
    return out;
}

QByteArray asciiRawRows(const std::vector<RawRow> &rows)
{
    QByteArray out;
    const QByteArray bin = encodeRows(rows);
    for (qsizetype i = 0; i < bin.size(); i += kRawBytes) {
        for (int w = 0; w < kRawBytes / 4; ++w)
            out += " 0x"
                + QByteArray::number(qFromLittleEndian<quint32>(bin.constData() + i + 4 * w), 16)
                      .rightJustified(8, '0');
        out += '\n';
    }
    return out;
}

// The processed values expected for rows (column-major, 5 columns).
void checkRawColumns(const std::vector<std::vector<double>> &cols, const std::vector<RawRow> &rows)
{
    QCOMPARE(cols.size(), std::size_t(5));
    for (const auto &c : cols)
        QCOMPARE(c.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const RawRow &r = rows[i];
        QVERIFY(same(cols[0][i], double(r.gate) * 8e-09));
        QVERIFY(same(cols[1][i], double(r.bits)));
        QVERIFY(same(cols[2][i], double(r.c1) * 0.5 + 10));
        QVERIFY(same(cols[3][i], double(r.ts) * 8e-09));
        const double mean = r.gate == 0 ? kNaN : double(r.c2sum) * 2 / double(r.gate) + 1;
        QVERIFY2(same(cols[4][i], mean), qPrintable(QString::number(i)));
    }
}

// The RAW words as stored, exactly, with each field's SCALE/OFFSET as the format: int32 as
// int32, uint32 as int64 (BITS0 has its top bit set), int64 as int64; the Mean a derived double.
void checkRawWords(const Run &run, const std::vector<RawRow> &rows)
{
    const std::vector<SampleFormat> expected{SampleFormat::of(SampleType::Int32, 8e-09),
                                             SampleFormat::of(SampleType::Int64),
                                             SampleFormat::of(SampleType::Int32, 0.5, 10),
                                             SampleFormat::of(SampleType::Int64, 8e-09),
                                             SampleFormat{}};
    const DataEvent *start = run.nth(DataEvent::Kind::Start, 0);
    QVERIFY(start);
    QVERIFY(sampleFormats(start->header) == expected);
    std::size_t i = 0;
    for (const DataEvent &e : run.events) {
        if (e.kind != DataEvent::Kind::Frame)
            continue;
        QVERIFY(e.block && e.block->isConsistent());
        QVERIFY(e.block->formats() == expected);
        for (std::size_t k = 0; k < e.rows; ++k, ++i) {
            QVERIFY(i < rows.size());
            const RawRow &r = rows[i];
            QCOMPARE(e.block->data<std::int32_t>(0)[k], r.gate);
            QCOMPARE(e.block->data<std::int64_t>(1)[k], std::int64_t(r.bits));
            QCOMPARE(e.block->data<std::int32_t>(2)[k], r.c1);
            QCOMPARE(e.block->data<std::int64_t>(3)[k], r.ts);
        }
    }
    QCOMPARE(i, rows.size());
}

QByteArray base64Lines(const QByteArray &bin, const QList<int> &lineBytes, bool nul)
{
    QByteArray out;
    qsizetype pos = 0;
    int k = 0;
    while (pos < bin.size()) {
        const qsizetype n = std::min<qsizetype>(lineBytes[k++ % lineBytes.size()], bin.size() - pos);
        out += ' ' + bin.mid(pos, n).toBase64() + (nul ? QByteArray(1, '\0') : QByteArray()) + '\n';
        pos += n;
    }
    return out;
}

QByteArray framed(const QByteArray &payload)
{
    QByteArray out("BIN ");
    uchar len[4];
    qToLittleEndian<quint32>(quint32(payload.size() + 8), len);
    out.append(reinterpret_cast<const char *>(len), 4);
    return out + payload;
}

} // namespace

class TestPandaProtocol : public QObject
{
    Q_OBJECT

private slots:
    void fixtures_data();
    void fixtures();
    void overrunVariant();
    void twoExperimentsOnOneStream();
    void optionalHeaderAttributes();
    void asciiScaledTextHeader();
    void asciiRaw();
    void base64_data();
    void base64();
    void framedRawLargeBlock();
    void framedBlockAboveFrameLimit();
    void textHeaderFramed();
    void framedBadLengths_data();
    void framedBadLengths();
    void unframedWithStatus();
    void unframedNoStatus();
    void bareWithAssumedHeader();
    void noStatusFramedTwoCaptures();
    void stdDevColumns();
    void refusedAndOneShot();
    void garbageAfterHeader();
    void truncatedInput();
    void randomGarbage();
    void controlReplies();
    void controlRepliesSplit();
    void controlRepliesBounded();
    void controlRepliesEscaped();
    void textHeaderBounded();
    void dataOptions();
    void identity();
    void encodeRequests();
    void endReasons();
};

// ---- fixtures ------------------------------------------------------------------------------

void TestPandaProtocol::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("chunk");
    for (const char *file :
        { "slow_dump.bin", "fast_dump.bin", "raw_dump.bin", "raw_dump_no_duration.bin" }) {
        for (int chunk : { 0, 1, 44, 500, 200000 })
            QTest::addRow("%s/%d", file, chunk) << QString::fromLatin1(file) << chunk;
    }
}

void TestPandaProtocol::fixtures()
{
    QFETCH(QString, file);
    QFETCH(int, chunk);
    const QByteArray bytes = fixture(file);
    const QJsonObject exp = expectedFor(file);
    const Run run
        = parse(bytes, options(exp[QLatin1String("client_option_line")].toString().toLatin1()), chunk);
    QVERIFY2(!run.failed, qPrintable(run.error));
    QCOMPARE(run.consumed, std::uint64_t(bytes.size()));

    // Ready, Start, one Frame per BIN block, End.
    const QJsonArray perBlock = exp[QLatin1String("samples_per_block")].toArray();
    QCOMPARE(int(run.events.size()), 3 + perBlock.size());
    QCOMPARE(run.events.front().kind, DataEvent::Kind::Ready);
    QCOMPARE(run.events[1].kind, DataEvent::Kind::Start);
    for (int i = 0; i < perBlock.size(); ++i) {
        QCOMPARE(run.events[std::size_t(2 + i)].kind, DataEvent::Kind::Frame);
        QCOMPARE(run.events[std::size_t(2 + i)].rows, std::size_t(perBlock[i].toInt()));
    }

    // Header.
    const DataHeader &h = run.events[1].header;
    const QJsonObject eh = exp[QLatin1String("header")].toObject();
    QCOMPARE(h.missed, quint64(eh[QLatin1String("missed")].toInt()));
    QCOMPARE(processName(h.process), eh[QLatin1String("process")].toString());
    QCOMPARE(dataFormatName(h.format), eh[QLatin1String("format")].toString());
    QCOMPARE(h.sampleBytes, eh[QLatin1String("sample_bytes")].toInt());
    QVERIFY(!h.armTime && !h.startTime && !h.hwTimeOffsetNs);
    const bool noDuration = file == QLatin1String("raw_dump_no_duration.bin");
    QCOMPARE(h.insertedSamplesColumn, noDuration);
    const QJsonArray fields
        = exp[QLatin1String(noDuration ? "fields_after_client_fixup" : "fields")].toArray();
    QCOMPARE(h.fields.size(), fields.size());
    for (int i = 0; i < fields.size(); ++i) {
        const QJsonObject f = fields[i].toObject();
        const FieldInfo &fi = h.fields[i];
        QCOMPARE(fi.column(), f[QLatin1String("column")].toString());
        QCOMPARE(fi.name, f[QLatin1String("name")].toString());
        QCOMPARE(fi.capture, f[QLatin1String("capture")].toString());
        QCOMPARE(fi.scalable, !f[QLatin1String("scale")].isNull());
        if (fi.scalable) {
            QCOMPARE(fi.scale, f[QLatin1String("scale")].toDouble());
            QCOMPARE(fi.offset, f[QLatin1String("offset")].toDouble());
            QCOMPARE(fi.units, f[QLatin1String("units")].toString());
        }
        if (!f[QLatin1String("header_type")].isNull())
            QCOMPARE(fieldTypeName(fi.type), f[QLatin1String("header_type")].toString());
    }

    // Values.
    const auto cols = run.columns();
    if (exp.contains(QLatin1String("frames"))) {
        const QJsonArray frames = exp[QLatin1String("frames")].toArray();
        std::size_t row = 0;
        for (const QJsonValue &frame : frames) {
            for (const QJsonValue &r : frame.toArray()) {
                const QJsonArray values = r.toArray();
                for (int c = 0; c < values.size(); ++c)
                    QVERIFY2(close(cols[std::size_t(c)][row], values[c].toDouble(), 1e-9),
                        qPrintable(QStringLiteral("row %1 col %2").arg(row).arg(c)));
                ++row;
            }
        }
        QCOMPARE(cols[0].size(), row);
    } else {
        const std::size_t rows = std::size_t(exp[QLatin1String("rows")].toInt());
        QCOMPARE(cols[0].size(), rows);
        for (std::size_t i = 0; i < rows; ++i) {
            const double k = double(i + 1);
            QCOMPARE(cols[0][i], 125.0);
            QCOMPARE(cols[1][i], 0.0);
            QCOMPARE(cols[2][i], k);
            QCOMPARE(cols[3][i], k);
            QCOMPARE(cols[4][i], 3 * k);
            QVERIFY(close(cols[5][i], 2e-6 * k + 7.2e-8 - 2e-6, 1e-9));
            QCOMPARE(cols[5][i], (250 * (k - 1) + 9) * 8e-9);
            QCOMPARE(cols[6][i], k);
            QCOMPARE(cols[7][i], 2 * k);
        }
    }

    const DataEvent &end = run.events.back();
    QCOMPARE(end.kind, DataEvent::Kind::End);
    const QJsonObject ee = exp[QLatin1String("end")].toObject();
    QCOMPARE(end.endSamples, quint64(ee[QLatin1String("samples")].toInt()));
    QCOMPARE(end.endReasonText, ee[QLatin1String("reason")].toString());
    QCOMPARE(end.endReason, EndReason::Disarmed);
    QVERIFY(!isErrorReason(end.endReason));
}

void TestPandaProtocol::overrunVariant()
{
    QByteArray bytes = fixture(QStringLiteral("raw_dump.bin"));
    QCOMPARE(bytes.count("Disarmed"), 1);
    bytes.replace("Disarmed", "Data overrun");
    for (int chunk : { 0, 200000, 4096 }) {
        const Run run = parse(bytes, options("XML FRAMED RAW"), chunk);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.columns()[2].size(), std::size_t(10000));
        QCOMPARE(run.columns()[2].back(), 10000.0);
        const DataEvent &end = run.events.back();
        QCOMPARE(end.kind, DataEvent::Kind::End);
        QCOMPARE(end.endSamples, quint64(10000));
        QCOMPARE(end.endReasonText, QStringLiteral("Data overrun"));
        QCOMPARE(end.endReason, EndReason::DataOverrun);
        QVERIFY(isErrorReason(end.endReason));
    }
}

void TestPandaProtocol::twoExperimentsOnOneStream()
{
    const QByteArray slow = fixture(QStringLiteral("slow_dump.bin"));
    const QByteArray fast = fixture(QStringLiteral("fast_dump.bin"));
    QVERIFY(fast.startsWith("OK\n"));
    const QByteArray both = slow + fast.mid(3) + slow.mid(3);
    for (int chunk : { 0, 1, 44, 500 }) {
        const Run run = parse(both, options("XML FRAMED SCALED"), chunk);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.count(DataEvent::Kind::Ready), 1);
        QCOMPARE(run.count(DataEvent::Kind::Start), 3);
        QCOMPARE(run.count(DataEvent::Kind::End), 3);
        QCOMPARE(run.count(DataEvent::Kind::Frame), 5 + 6 + 5);
        QCOMPARE(run.columns(0)[1].size(), std::size_t(5));
        QCOMPARE(run.columns(1)[1].size(), std::size_t(58));
        QCOMPARE(run.columns(1)[1][57], 58.0);
        QCOMPARE(run.columns(2)[6][4], 10.0);
        QCOMPARE(run.nth(DataEvent::Kind::End, 1)->endSamples, quint64(58));
    }
}

void TestPandaProtocol::optionalHeaderAttributes()
{
    QByteArray bytes = fixture(QStringLiteral("fast_dump.bin"));
    bytes.replace("sample_bytes=\"52\"",
        "sample_bytes=\"52\" arm_time=\"2024-03-05T20:27:12.607841574Z\" "
        "start_time=\"2024-03-05T20:27:12.608875498Z\" hw_time_offset_ns=\"100555\"");
    bytes.replace("units=\"s\"", "units=\"(null)\"");
    const Run run = parse(bytes, options("XML FRAMED SCALED"), 7);
    QVERIFY2(!run.failed, qPrintable(run.error));
    const DataHeader &h = run.nth(DataEvent::Kind::Start, 0)->header;
    QCOMPARE(h.armTime.value_or(QString()), QStringLiteral("2024-03-05T20:27:12.607841574Z"));
    QCOMPARE(h.startTime.value_or(QString()), QStringLiteral("2024-03-05T20:27:12.608875498Z"));
    QCOMPARE(h.hwTimeOffsetNs.value_or(0), qint64(100555));
    QCOMPARE(h.fields[4].units, QString());
    QCOMPARE(run.columns()[0].size(), std::size_t(58));
}

// ---- ASCII, BASE64 -----------------------------------------------------------------------

void TestPandaProtocol::asciiScaledTextHeader()
{
    const QByteArray stream = "OK\n"
                              "missed: 0\n"
                              "process: Scaled\n"
                              "format: ASCII\n"
                              "fields:\n"
                              " PCAP.BITS0 uint32 Value\n"
                              " COUNTER1.OUT double Value scale: 0.5 offset: 10 units: mm\n"
                              " COUNTER2.OUT double Mean scale: 1 offset: 0 units: \n"
                              " PCAP.TS_START double Value scale: 8e-09 offset: 0 units: s\n"
                              "\n"
                              " 257 9036.611193 nan 4445962241\n"
                              " 1 -1.5 -nan 1e-300\n"
                              "END 2 Ok\n";
    for (int chunk : { 0, 1, 5, 44 }) {
        const Run run = parse(stream, DataOptions {}, chunk);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.count(DataEvent::Kind::Ready), 1);
        const DataHeader &h = run.nth(DataEvent::Kind::Start, 0)->header;
        QCOMPARE(h.format, DataFormat::Ascii);
        QCOMPARE(h.sampleBytes, 0);
        QCOMPARE(h.fields.size(), 4);
        QVERIFY(!h.fields[0].scalable);
        QVERIFY(h.fields[1].scalable);
        QCOMPARE(h.fields[1].scale, 0.5);
        QCOMPARE(h.fields[1].offset, 10.0);
        QCOMPARE(h.fields[1].units, QStringLiteral("mm"));
        QCOMPARE(h.fields[2].units, QString());
        QCOMPARE(h.fields[3].scale, 8e-09);
        const auto cols = run.columns();
        QCOMPARE(cols[0], (std::vector<double> { 257, 1 }));
        QCOMPARE(cols[1], (std::vector<double> { 9036.611193, -1.5 }));
        QVERIFY(std::isnan(cols[2][0]) && std::isnan(cols[2][1]));
        QCOMPARE(cols[3], (std::vector<double> { 4445962241.0, 1e-300 }));
        QCOMPARE(run.events.back().endReason, EndReason::Ok);
        QCOMPARE(run.events.back().endSamples, quint64(2));
    }
    // A value that is not a number is corruption.
    QByteArray bad = stream;
    bad.replace(" 1 -1.5", " 1 -1.5x");
    const Run run = parse(bad, DataOptions {});
    QVERIFY(run.failed);
    QVERIFY2(run.error.contains(QLatin1String("-1.5x")), qPrintable(run.error));
}

void TestPandaProtocol::asciiRaw()
{
    const auto rows = makeRows(40);
    const QByteArray stream = "OK\n" + rawXmlHeader("ASCII") + asciiRawRows(rows) + "END 40 Disarmed\n";
    for (int chunk : { 0, 1, 13, 500 }) {
        const Run run = parse(stream, options("XML ASCII RAW"), chunk);
        QVERIFY2(!run.failed, qPrintable(run.error));
        const DataHeader &h = run.nth(DataEvent::Kind::Start, 0)->header;
        QCOMPARE(h.format, DataFormat::Ascii);
        QCOMPARE(h.process, Process::Raw);
        QCOMPARE(h.missed, quint64(3));
        QCOMPARE(h.fields[4].units, QStringLiteral("<&>\"'"));
        QCOMPARE(h.fields[2].units, QStringLiteral("mm"));
        QCOMPARE(h.fields[2].scale, 0.5);
        checkRawColumns(run.columns(), rows);
        checkRawWords(run, rows);
        QCOMPARE(run.events.back().endReason, EndReason::Disarmed);
    }
    // Wrong number of words.
    const Run bad
        = parse("OK\n" + rawXmlHeader("ASCII") + " 0x00000001 0x00000002\n", options("XML ASCII RAW"));
    QVERIFY(bad.failed);
    QVERIFY2(bad.error.contains(QLatin1String("2 values, expected 7")), qPrintable(bad.error));
}

void TestPandaProtocol::base64_data()
{
    QTest::addColumn<bool>("nul");
    QTest::addColumn<int>("chunk");
    for (bool nul : { true, false }) {
        for (int chunk : { 0, 1, 44, 1000 })
            QTest::addRow("%s/%d", nul ? "nul" : "no-nul", chunk) << nul << chunk;
    }
}

void TestPandaProtocol::base64()
{
    QFETCH(bool, nul);
    QFETCH(int, chunk);
    const auto rows = makeRows(300);
    // 57-byte lines, with "block boundaries" giving short lines that split samples.
    const QByteArray payload = base64Lines(encodeRows(rows), { 57, 57, 20, 57, 1, 57, 30 }, nul);
    const QByteArray stream
        = "OK\n" + rawXmlHeader("Base64", "sample_bytes=\"28\" ") + payload + "END 300 Ok\n";
    const Run run = parse(stream, options("XML BASE64 RAW"), chunk);
    QVERIFY2(!run.failed, qPrintable(run.error));
    QCOMPARE(run.nth(DataEvent::Kind::Start, 0)->header.sampleBytes, kRawBytes);
    checkRawColumns(run.columns(), rows);
    checkRawWords(run, rows);
    QCOMPARE(run.events.back().kind, DataEvent::Kind::End);

    const Run bad = parse("OK\n" + rawXmlHeader("Base64") + " QUJD*A==\n", options("XML BASE64 RAW"), chunk);
    QVERIFY(bad.failed);
    QVERIFY2(bad.error.contains(QLatin1String("QUJD*A==")), qPrintable(bad.error));
}

// ---- FRAMED / UNFRAMED / BARE --------------------------------------------------------------

void TestPandaProtocol::framedRawLargeBlock()
{
    // One 2 MiB-ish block (far above 64 KiB) fed in 64 KiB pieces, then a 1-sample block.
    const auto rows = makeRows(75000);
    const QByteArray bin = encodeRows(rows);
    const QByteArray stream = "OK\n" + rawXmlHeader("Framed", "sample_bytes=\"28\" ")
        + framed(bin.left(74999 * 28)) + framed(bin.right(28)) + "END 75000 Ok\n";
    QVERIFY(stream.size() > 2 * 1024 * 1024);
    QElapsedTimer timer;
    timer.start();
    const Run run = parse(stream, options("XML FRAMED RAW"), 65536);
    const qint64 ms = timer.elapsed();
    QVERIFY2(!run.failed, qPrintable(run.error));
    QCOMPARE(run.count(DataEvent::Kind::Frame), 2);
    QCOMPARE(run.nth(DataEvent::Kind::Frame, 0)->rows, std::size_t(74999));
    QCOMPARE(run.nth(DataEvent::Kind::Frame, 1)->rows, std::size_t(1));
    checkRawColumns(run.columns(), rows);
    checkRawWords(run, rows);
    qInfo("2.1 MB FRAMED RAW in 64 KiB pieces: %lld ms", ms);
}

void TestPandaProtocol::framedBlockAboveFrameLimit()
{
    // A block holding more than kMaxFrameValues values is delivered as several Frames.
    const std::size_t perFrame = DataStreamParser::kMaxFrameValues / 5;
    const auto rows = makeRows(int(perFrame) + 10);
    const QByteArray stream = "OK\n" + rawXmlHeader("Framed") + framed(encodeRows(rows)) + "END 0 Ok\n";
    const Run run = parse(stream, options("XML FRAMED RAW"), 1 << 20);
    QVERIFY2(!run.failed, qPrintable(run.error));
    QCOMPARE(run.count(DataEvent::Kind::Frame), 2);
    QCOMPARE(run.nth(DataEvent::Kind::Frame, 0)->rows, perFrame);
    QCOMPARE(run.nth(DataEvent::Kind::Frame, 1)->rows, std::size_t(10));
    const auto cols = run.columns();
    QCOMPARE(cols[2].size(), rows.size());
    for (std::size_t i : { std::size_t(0), perFrame - 1, perFrame, rows.size() - 1 }) {
        QCOMPARE(cols[2][i], double(rows[i].c1) * 0.5 + 10);
        QCOMPARE(cols[3][i], double(rows[i].ts) * 8e-09);
    }
}

void TestPandaProtocol::textHeaderFramed()
{
    const auto rows = makeRows(12);
    const QByteArray header = "arm_time: 2026-01-22T01:43:02.190522630Z\n"
                              "start_time: 2026-01-22T01:43:02.290522630Z\n"
                              "missed: 0\n"
                              "process: Raw\n"
                              "format: Framed\n"
                              "sample_bytes: 28\n"
                              "fields:\n"
                              " PCAP.GATE_DURATION int32 Value scale: 8e-09 offset: 0 units: s\n"
                              " PCAP.BITS0 uint32 Value\n"
                              " COUNTER1.OUT int32 Value scale: 0.5 offset: 10 units: mm\n"
                              " PCAP.TS_START int64 Value scale: 8e-09 offset: 0 units: s\n"
                              " COUNTER2.OUT int64 Mean scale: 2 offset: 1 units: (null)\n"
                              "\n";
    const QByteArray stream = "OK\n" + header + framed(encodeRows(rows)) + "END 12 Disarmed\n";
    for (int chunk : { 0, 1, 9 }) {
        const Run run = parse(stream, options("FRAMED RAW"), chunk);
        QVERIFY2(!run.failed, qPrintable(run.error));
        const DataHeader &h = run.nth(DataEvent::Kind::Start, 0)->header;
        QCOMPARE(h.armTime.value_or(QString()), QStringLiteral("2026-01-22T01:43:02.190522630Z"));
        QCOMPARE(h.sampleBytes, kRawBytes);
        QCOMPARE(h.fields[0].units, QStringLiteral("s"));
        QCOMPARE(h.fields[4].units, QString());
        checkRawColumns(run.columns(), rows);
        checkRawWords(run, rows);
    }
}

void TestPandaProtocol::framedBadLengths_data()
{
    QTest::addColumn<quint32>("length");
    QTest::addColumn<QString>("expect");
    QTest::newRow("zero") << 0u << QStringLiteral("length 0");
    QTest::newRow("header only") << 8u << QStringLiteral("length 8");
    QTest::newRow("short") << 20u << QStringLiteral("length 20");
    QTest::newRow("not whole samples") << quint32(8 + 28 + 5) << QStringLiteral("length 41");
}

void TestPandaProtocol::framedBadLengths()
{
    QFETCH(quint32, length);
    QFETCH(QString, expect);
    QByteArray block("BIN ");
    uchar len[4];
    qToLittleEndian<quint32>(length, len);
    block.append(reinterpret_cast<const char *>(len), 4);
    const QByteArray head = "OK\n" + rawXmlHeader("Framed");
    const Run run = parse(head + block + QByteArray(64, '\0'), options("XML FRAMED RAW"), 3);
    QVERIFY(run.failed);
    QVERIFY2(run.error.contains(expect), qPrintable(run.error));
    QVERIFY2(run.error.contains(QString::number(head.size())), qPrintable(run.error));
}

void TestPandaProtocol::unframedWithStatus()
{
    auto rows = makeRows(50);
    // Samples whose first bytes look like an END line must stay samples.
    rows[10].gate = qFromLittleEndian<qint32>("END ");
    rows[10].bits = qFromLittleEndian<quint32>("AAAA");
    rows[20].gate = qFromLittleEndian<qint32>("END ");
    rows[20].bits = qFromLittleEndian<quint32>("1234");
    rows[20].c1 = qFromLittleEndian<qint32>("x\n\n\n");
    rows[49].gate = qFromLittleEndian<qint32>("END ");
    rows[49].bits = qFromLittleEndian<quint32>("7 Ok");
    rows[49].c1 = qFromLittleEndian<qint32>("\x01\x02\x03\x04");
    const QByteArray stream = "OK\n" + rawXmlHeader("Unframed") + encodeRows(rows) + "END 50 Framing error\n"
        + rawXmlHeader("Unframed") + encodeRows(makeRows(3)) + "END 3 Ok\n";
    for (int chunk : { 0, 1, 3, 29, 100 }) {
        const Run run = parse(stream, options("XML UNFRAMED RAW"), chunk);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.nth(DataEvent::Kind::Start, 0)->header.sampleBytes, kRawBytes);
        checkRawColumns(run.columns(0), rows);
        checkRawColumns(run.columns(1), makeRows(3));
        QCOMPARE(run.nth(DataEvent::Kind::End, 0)->endReason, EndReason::FramingError);
        QCOMPARE(run.nth(DataEvent::Kind::End, 0)->endSamples, quint64(50));
        QCOMPARE(run.nth(DataEvent::Kind::End, 1)->endReason, EndReason::Ok);
        QCOMPARE(run.consumed, std::uint64_t(stream.size()));
    }
}

void TestPandaProtocol::unframedNoStatus()
{
    const auto rows = makeRows(64);
    const QByteArray stream = rawXmlHeader("Unframed") + encodeRows(rows);
    for (int chunk : { 0, 1, 27, 64 }) {
        const Run run = parse(stream, options("XML UNFRAMED RAW NO_STATUS"), chunk);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.count(DataEvent::Kind::Ready), 0);
        QCOMPARE(run.count(DataEvent::Kind::Start), 1);
        QCOMPARE(run.count(DataEvent::Kind::End), 0);
        checkRawColumns(run.columns(), rows);
        checkRawWords(run, rows);
    }
}

void TestPandaProtocol::bareWithAssumedHeader()
{
    const auto rows = makeRows(33);
    const QByteArray stream = encodeRows(rows);
    for (int chunk : { 0, 1, 28, 100 }) {
        const Run run = parse(stream, options("BARE"), chunk, rawHeader(DataFormat::Framed));
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.events.front().kind, DataEvent::Kind::Start);
        QCOMPARE(run.events.front().header.format, DataFormat::Unframed);
        QCOMPARE(run.events.front().header.process, Process::Raw);
        checkRawColumns(run.columns(), rows);
        checkRawWords(run, rows);
    }
    // Without an assumed header the layout is unknown: a clear error, no crash.
    const Run run = parse(stream, options("BARE"));
    QVERIFY(run.failed);
    QVERIFY(run.error.contains(QLatin1String("header")));
}

void TestPandaProtocol::noStatusFramedTwoCaptures()
{
    const auto rows = makeRows(7);
    const QByteArray one = rawXmlHeader("Framed") + framed(encodeRows(rows));
    const Run run = parse(one + one, options("XML FRAMED RAW NO_STATUS"), 5);
    QVERIFY2(!run.failed, qPrintable(run.error));
    QCOMPARE(run.count(DataEvent::Kind::Start), 2);
    QCOMPARE(run.count(DataEvent::Kind::End), 0);
    checkRawColumns(run.columns(0), rows);
    checkRawColumns(run.columns(1), rows);
}

void TestPandaProtocol::stdDevColumns()
{
    // RAW StdDev: the field's int64 Mean sum B, then its int96 sum of squares A (low 64 bits first),
    // N = the gate column: StdDev = |scale| × sqrt(A/N − (B/N)²), Mean = scale × B/N + offset.
    const QByteArray header
        = "<header>\n<data missed=\"0\" process=\"Raw\" format=\"Framed\" sample_bytes=\"24\" />\n"
          "<fields>\n<field name=\"PCAP.SAMPLES\" type=\"uint32\" capture=\"Value\" />\n"
          "<field name=\"COUNTER1.OUT\" type=\"int64\" capture=\"Mean\" scale=\"-0.5\" offset=\"3\" "
          "units=\"\" />\n<field name=\"COUNTER1.OUT\" type=\"int96\" capture=\"StdDev\" scale=\"-0.5\" "
          "offset=\"3\" units=\"\" />\n</fields>\n</header>\n\n";
    __extension__ using I128 = __int128;
    const std::vector<std::vector<qint64>> gates = {{}, {10}, {-2147483648ll, 2147483647ll}, {7, 7, 7, 9}};
    QByteArray payload;
    for (const auto &xs : gates) {
        uchar row[24] = {};
        I128 sum = 0, squares = 0;
        for (qint64 x : xs) {
            sum += x;
            squares += I128(x) * x;
        }
        qToLittleEndian<quint32>(quint32(xs.size()), row);
        qToLittleEndian<qint64>(qint64(sum), row + 4);
        qToLittleEndian<quint64>(quint64(squares), row + 12);
        qToLittleEndian<quint32>(quint32(quint64(squares >> 64)), row + 20);
        payload.append(reinterpret_cast<const char *>(row), 24);
    }
    const Run run = parse("OK\n" + header + framed(payload) + "END 4 Ok\n", options("XML FRAMED RAW"), 1);
    QVERIFY2(!run.failed, qPrintable(run.error));
    const auto cols = run.columns();
    QCOMPARE(cols[0], (std::vector<double> { 0, 1, 2, 4 }));
    QVERIFY(std::isnan(cols[1][0])); // zero gate
    QVERIFY(std::isnan(cols[2][0]));
    QCOMPARE(cols[1][1], -0.5 * 10 + 3);
    QCOMPARE(cols[2][1], 0.0);
    QCOMPARE(cols[1][2], -0.5 * -0.5 + 3);
    QCOMPARE(cols[2][2], 0.5 * 2147483647.5); // both ends of int32: A has more than 64 bits
    QCOMPARE(cols[2][3], 0.5 * std::sqrt(0.75)); // mean 7.5, deviations ±0.5 ×3 and 1.5
    // ASCII RAW gives the same: 3 words for the int96, low word first.
    QByteArray ascii;
    for (int r = 0; r < 4; ++r) {
        const char *row = payload.constData() + 24 * r;
        for (int w = 0; w < 6; ++w)
            ascii += QByteArray(" 0x") + QByteArray::number(qFromLittleEndian<quint32>(row + 4 * w), 16).rightJustified(8, '0');
        ascii += '\n';
    }
    QByteArray asciiHeader = header;
    asciiHeader.replace("format=\"Framed\" sample_bytes=\"24\"", "format=\"ASCII\"");
    const Run text = parse("OK\n" + asciiHeader + ascii + "END 4 Ok\n", options("XML ASCII RAW"), 7);
    QVERIFY2(!text.failed, qPrintable(text.error));
    QCOMPARE(text.columns()[2][2], cols[2][2]);
    QCOMPARE(text.columns()[2][3], cols[2][3]);

    DataHeader scaled;
    QString err;
    QVERIFY(
        parseXmlHeader("<header><data process=\"Scaled\" format=\"Framed\" sample_bytes=\"8\"/><fields>"
                       "<field name=\"C.OUT\" type=\"double\" capture=\"StdDev\" scale=\"1\" offset=\"0\" "
                       "units=\"\"/></fields></header>",
            scaled, &err));
    QVERIFY(completeHeader(scaled, &err));
    SampleDecoder dec;
    dec.setHeader(scaled);
    uchar bytes[8];
    qToLittleEndian<quint64>(std::bit_cast<quint64>(2.5), bytes);
    auto out = SampleBlock::make({}, {}, dec.formats(), 1, false);
    QCOMPARE(out->format(0), SampleFormat{}); // SCALED: doubles as sent
    dec.decode(bytes, 1, *out, 0);
    QCOMPARE(out->data<double>(0)[0], 2.5);

    // Without StdDev a mismatching sample_bytes is refused.
    DataHeader bad;
    QVERIFY(parseXmlHeader("<header><data sample_bytes=\"20\"/><fields><field name=\"A\" type=\"int32\" "
                           "capture=\"Value\"/></fields></header>",
        bad, &err));
    QVERIFY(!completeHeader(bad, &err));
    QVERIFY2(err.contains(QLatin1String("sample_bytes 20")), qPrintable(err));
}

void TestPandaProtocol::refusedAndOneShot()
{
    Run run = parse("ERR Invalid data capture option\n", options("XML FRAMED RAW"), 4);
    QVERIFY(!run.failed);
    QCOMPARE(run.events.size(), std::size_t(1));
    QCOMPARE(run.events[0].kind, DataEvent::Kind::Refused);
    QCOMPARE(run.events[0].message, QStringLiteral("Invalid data capture option"));

    const QByteArray slow = fixture(QStringLiteral("slow_dump.bin"));
    run = parse(slow, options("XML FRAMED SCALED ONE_SHOT"), 44);
    QVERIFY2(!run.failed, qPrintable(run.error));
    QCOMPARE(run.count(DataEvent::Kind::End), 1);
    run = parse(slow + slow.mid(3), options("XML FRAMED SCALED ONE_SHOT"));
    QVERIFY(run.failed);
    QVERIFY(run.error.contains(QLatin1String("ONE_SHOT")));
    QCOMPARE(run.count(DataEvent::Kind::End), 1);

    run = parse("<header>\n", options("XML FRAMED RAW"));
    QVERIFY(run.failed);
    QVERIFY2(run.error.contains(QLatin1String("<header>")), qPrintable(run.error));
}

// ---- corruption ----------------------------------------------------------------------------

void TestPandaProtocol::garbageAfterHeader()
{
    const QByteArray slow = fixture(QStringLiteral("slow_dump.bin"));
    const qsizetype payload = slow.indexOf("</header>\n\n") + 11;
    QByteArray bad = slow.left(payload) + "XYZW" + slow.mid(payload);
    for (int chunk : { 0, 1, 44 }) {
        const Run run = parse(bad, options("XML FRAMED SCALED"), chunk);
        QVERIFY(run.failed);
        QVERIFY2(run.error.contains(QStringLiteral("Bad data 'XYZW' at byte %1").arg(payload)),
            qPrintable(run.error));
        QCOMPARE(run.count(DataEvent::Kind::Start), 1);
        QCOMPARE(run.count(DataEvent::Kind::Frame), 0);
    }
    // Garbage between two blocks, binary bytes shown escaped.
    bad = slow;
    bad.insert(payload + 60, QByteArray("\x01\xffZ\n", 4));
    const Run run = parse(bad, options("XML FRAMED SCALED"), 7);
    QVERIFY(run.failed);
    QVERIFY2(run.error.contains(QStringLiteral("'\\x01\\xffZ\\x0a' at byte %1").arg(payload + 60)),
        qPrintable(run.error));
    QCOMPARE(run.count(DataEvent::Kind::Frame), 1);
    // A missing empty line after the XML header.
    const Run noBlank = parse(slow.left(payload - 1) + slow.mid(payload), options("XML FRAMED SCALED"));
    QVERIFY(noBlank.failed);
    QVERIFY2(noBlank.error.contains(QLatin1String("empty line")), qPrintable(noBlank.error));
}

void TestPandaProtocol::truncatedInput()
{
    const QByteArray slow = fixture(QStringLiteral("slow_dump.bin"));
    for (qsizetype n = 0; n <= slow.size(); ++n) {
        const Run run = parse(slow.left(n), options("XML FRAMED SCALED"), 1 + n % 7);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.consumed, std::uint64_t(n));
        std::size_t rows = 0;
        for (const DataEvent &e : run.events) {
            if (e.kind == DataEvent::Kind::Frame) {
                QCOMPARE(e.values().size(), e.rows * 7);
                QCOMPARE(e.block->sampleCount, e.rows);
                rows += e.rows;
            }
        }
        QVERIFY(rows <= 5);
    }
    const QByteArray raw = fixture(QStringLiteral("raw_dump.bin"));
    for (qsizetype n : { 1, 100, 900, 65535, 65536, 200001, 440000 }) {
        const Run run = parse(raw.left(n), options("XML FRAMED RAW"), 4096);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.count(DataEvent::Kind::End), 0);
    }
}

void TestPandaProtocol::randomGarbage()
{
    QRandomGenerator rng(20260122);
    const QByteArray prefixes[] = {
        QByteArray(),
        "OK\n",
        "OK\n" + rawXmlHeader("Framed"),
        "OK\n" + rawXmlHeader("Unframed"),
        "OK\n" + rawXmlHeader("ASCII"),
        "OK\n" + rawXmlHeader("Base64"),
        "OK\nmissed: 0\nprocess: Scaled\nformat: ASCII\nfields:\n PCAP.BITS0 uint32 Value\n\n",
    };
    const char *optionLines[] = { "XML FRAMED RAW", "XML UNFRAMED RAW", "XML ASCII RAW", "XML BASE64 RAW",
        "ASCII", "BARE", "XML FRAMED RAW NO_STATUS" };
    int runs = 0, failures = 0, withFrames = 0;
    for (int len = 0; len < 3000; len += 1 + len / 4) {
        for (const QByteArray &prefix : prefixes) {
            for (const char *opt : optionLines) {
                QByteArray junk(len, Qt::Uninitialized);
                for (char &c : junk) {
                    // Mix of printable text, markers and binary.
                    const quint32 r = rng.generate();
                    c = (r & 3) == 0 ? " END0123\nBIN<x"[(r >> 8) % 15] : char(r >> 16);
                }
                const Run run = parse(
                    prefix + junk, options(opt), 1 + int(rng.bounded(64)), rawHeader(DataFormat::Unframed));
                bool frames = false;
                for (const DataEvent &e : run.events) {
                    if (e.kind == DataEvent::Kind::Frame) {
                        QVERIFY(e.rows > 0 && e.block && e.block->sampleCount == e.rows && e.block->isConsistent());
                        frames = true;
                    }
                }
                QVERIFY(run.consumed <= std::uint64_t(prefix.size() + junk.size()));
                QCOMPARE(run.failed, !run.error.isEmpty());
                ++runs;
                failures += run.failed;
                withFrames += frames;
            }
        }
    }
    qInfo("%d random streams: %d failed cleanly, %d gave frames", runs, failures, withFrames);
    QVERIFY(runs > 1000 && failures > 100 && withFrames > 100);
}

// ---- control port --------------------------------------------------------------------------

void TestPandaProtocol::controlReplies()
{
    ControlReplyParser p;
    p.feed("OK =1");
    QVERIFY(!p.hasReply());
    p.feed("\nAnySpamWeLike");
    QVERIFY(p.hasReply());
    ControlReply r = p.takeReply();
    QCOMPARE(r.kind, ControlReply::Kind::Value);
    QCOMPARE(r.value, QStringLiteral("1"));
    QVERIFY(!p.hasReply());
    QVERIFY(p.protocolError().isEmpty());
    p.feed("\n");
    r = p.takeReply();
    QVERIFY(r.isError());
    QCOMPARE(r.value, QStringLiteral("Malformed reply: AnySpamWeLike"));
    QCOMPARE(p.protocolError(), QStringLiteral("Malformed reply: AnySpamWeLike"));

    ControlReplyParser q;
    q.feed(".\n!a\n.\nERR\n");
    r = q.takeReply();
    QCOMPARE(r.kind, ControlReply::Kind::Multi);
    QVERIFY(r.lines.isEmpty());
    QCOMPARE(q.takeReply().lines, QStringList { QStringLiteral("a") });
    r = q.takeReply();
    QVERIFY(r.isError());
    QVERIFY(r.value.isEmpty());
    // A single-line reply inside a list breaks the list: one malformed error reply.
    q.feed("!x\nOK\n");
    r = q.takeReply();
    QVERIFY(r.isError());
    QCOMPARE(r.value, QStringLiteral("Malformed reply: OK"));
    QVERIFY(!q.hasReply());
}

// A line or a list past its bound stops the parser, frees what it held and says what was wrong;
// a line of exactly the bound and a list of the largest real size are accepted.
void TestPandaProtocol::controlRepliesBounded()
{
    {
        ControlReplyParser p;
        p.feed("OK =" + QByteArray(kMaxControlLineBytes - 4, 'v') + "\nOK\n");
        QCOMPARE(p.takeReply().value.size(), kMaxControlLineBytes - 4);
        QCOMPARE(p.takeReply().kind, ControlReply::Kind::Ok);
        QVERIFY(p.violation().isEmpty());
    }
    for (int chunk : { 1000, 100000, 1 << 20 }) {
        ControlReplyParser p;
        const QByteArray piece(chunk, '\x1b');
        for (qsizetype fed = 0; fed <= kMaxControlLineBytes && p.violation().isEmpty(); fed += chunk)
            p.feed(piece);
        QCOMPARE(p.violation(), QStringLiteral("a reply line longer than 262144 bytes without a line feed "
                                               "('\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b"
                                               "\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b\\x1b…')"));
        p.feed("OK\n"); // ignored once violated
        QVERIFY(!p.hasReply());
        p.reset();
        p.feed("OK\n");
        QVERIFY(p.hasReply());
    }
    {
        // A full SEQ table read one word per line (16 384 lines) is a normal reply.
        ControlReplyParser p;
        QByteArray table;
        for (int i = 0; i < 16384; ++i)
            table += "!" + QByteArray::number(4000000000u - unsigned(i)) + "\n";
        p.feed(table + ".\n");
        QCOMPARE(p.takeReply().lines.size(), 16384);
        QVERIFY(p.violation().isEmpty());
    }
    {
        ControlReplyParser p;
        for (qsizetype i = 0; i <= kMaxListLines && p.violation().isEmpty(); ++i)
            p.feed("!x\n");
        QVERIFY2(p.violation().startsWith(QStringLiteral("a list reply ('!' lines) longer than 131072 lines")),
                 qPrintable(p.violation()));
        QVERIFY(!p.hasReply());
    }
    {
        ControlReplyParser p;
        const QByteArray line = "!" + QByteArray(1000, 'y') + "\n";
        for (qsizetype i = 0; i < kMaxListBytes / 1000 + 2 && p.violation().isEmpty(); ++i)
            p.feed(line);
        QVERIFY2(p.violation().contains(QStringLiteral("4194304 bytes")), qPrintable(p.violation()));
    }
}

// Control characters and bytes that are not UTF-8 never leave the parser raw.
void TestPandaProtocol::controlRepliesEscaped()
{
    ControlReplyParser p;
    p.feed(QByteArray("ERR bad \x1b[2J\x07\xff\xc3\xa9\xc2\x9b end\nOK =\x01\n\x1b]0;x\x07\n"));
    QCOMPARE(p.takeReply().value, QStringLiteral("bad \\x1b[2J\\x07\\xff\u00e9\\xc2\\x9b end"));
    QCOMPARE(p.takeReply().value, QStringLiteral("\\x01"));
    QCOMPARE(p.takeReply().value, QStringLiteral("Malformed reply: \\x1b]0;x\\x07"));
    QCOMPARE(escapePeerText("\xe2\x82\xac \xf0\x9f\x98\x80 \xe0\x80\xaf \xed\xa0\x80"),
             QStringLiteral("\u20ac \U0001F600 \\xe0\\x80\\xaf \\xed\\xa0\\x80"));
    QCOMPARE(escapePeerText(QByteArray(300, 'a'), 4), QStringLiteral("aaaa\u2026"));
}

// The text form of the data header is bounded in bytes like the XML form (was: 100 000 lines of
// up to 1 MiB each).
void TestPandaProtocol::textHeaderBounded()
{
    DataOptions o;
    o.format = DataFormat::Ascii;
    DataStreamParser p(o);
    p.feed(QByteArray("OK\narm_time: 2026-01-01T00:00:00Z\nfields:\n"));
    const QByteArray line = ' ' + QByteArray(64 << 10, 'x') + '\n';
    int lines = 0;
    while (!p.failed() && lines < 1000) {
        p.feed(line);
        ++lines;
    }
    QCOMPARE(p.error(), QStringLiteral("Header longer than 16777216 bytes"));
    QCOMPARE(lines, 256);
}

void TestPandaProtocol::controlRepliesSplit()
{
    const QByteArray stream = "OK\nOK =PandA SW: 1.1 FPGA: 0.1.9 d1275f61 00000000 rootfs: PandA 1.1\n"
                              "ERR No such field\n!TTLIN 6\n!PCAP 1\n!COUNTER 8\n.\n.\nOK =\nOK =µm = x\n";
    for (int chunk : { 1, 2, 3, 7, 1000 }) {
        ControlReplyParser p;
        QList<ControlReply> replies;
        for (qsizetype i = 0; i < stream.size(); i += chunk) {
            p.feed(QByteArrayView(stream).sliced(i, std::min<qsizetype>(chunk, stream.size() - i)));
            while (p.hasReply())
                replies.append(p.takeReply());
        }
        QCOMPARE(replies.size(), 7);
        QCOMPARE(replies[0].kind, ControlReply::Kind::Ok);
        QCOMPARE(replies[1].kind, ControlReply::Kind::Value);
        QCOMPARE(parseIdentity(replies[1].value)->apiMajor, 1);
        QCOMPARE(replies[2].kind, ControlReply::Kind::Error);
        QCOMPARE(replies[2].value, QStringLiteral("No such field"));
        QCOMPARE(replies[3].kind, ControlReply::Kind::Multi);
        QCOMPARE(replies[3].lines,
            (QStringList {
                QStringLiteral("TTLIN 6"), QStringLiteral("PCAP 1"), QStringLiteral("COUNTER 8") }));
        QCOMPARE(replies[4].kind, ControlReply::Kind::Multi);
        QVERIFY(replies[4].lines.isEmpty());
        QCOMPARE(replies[5].kind, ControlReply::Kind::Value);
        QVERIFY(replies[5].value.isEmpty());
        QCOMPARE(replies[6].value, QStringLiteral("µm = x"));
        QVERIFY(p.protocolError().isEmpty());
    }
}

void TestPandaProtocol::dataOptions()
{
    struct Case
    {
        const char *line;
        DataFormat format;
        Process process;
        bool header, status, oneShot, xml;
    };
    const Case cases[] = {
        { "", DataFormat::Ascii, Process::Scaled, true, true, false, false },
        { "\n", DataFormat::Ascii, Process::Scaled, true, true, false, false },
        { "ASCII", DataFormat::Ascii, Process::Scaled, true, true, false, false },
        { "BASE64", DataFormat::Base64, Process::Scaled, true, true, false, false },
        { "FRAMED", DataFormat::Framed, Process::Scaled, true, true, false, false },
        { "UNFRAMED", DataFormat::Unframed, Process::Scaled, true, true, false, false },
        { "RAW", DataFormat::Ascii, Process::Raw, true, true, false, false },
        { "RAW SCALED", DataFormat::Ascii, Process::Scaled, true, true, false, false },
        { "NO_HEADER", DataFormat::Ascii, Process::Scaled, false, true, false, false },
        { "NO_STATUS", DataFormat::Ascii, Process::Scaled, true, false, false, false },
        { "ONE_SHOT", DataFormat::Ascii, Process::Scaled, true, true, true, false },
        { "XML FRAMED RAW\n", DataFormat::Framed, Process::Raw, true, true, false, true },
        { "XML  FRAMED\tSCALED", DataFormat::Framed, Process::Scaled, true, true, false, true },
        { "BARE", DataFormat::Unframed, Process::Raw, false, false, true, false },
        { "XML BARE", DataFormat::Unframed, Process::Raw, false, false, true, true },
        { "BARE FRAMED", DataFormat::Framed, Process::Raw, false, false, true, false },
        { "XML BARE DEFAULT", DataFormat::Ascii, Process::Scaled, true, true, false, false },
        { "DEFAULT BASE64", DataFormat::Base64, Process::Scaled, true, true, false, false },
    };
    for (const Case &c : cases) {
        QString err;
        const auto o = DataOptions::parse(c.line, &err);
        QVERIFY2(o.has_value(), c.line);
        QVERIFY(err.isEmpty());
        QCOMPARE(o->format, c.format);
        QCOMPARE(o->process, c.process);
        QCOMPARE(o->header, c.header);
        QCOMPARE(o->status, c.status);
        QCOMPARE(o->oneShot, c.oneShot);
        QCOMPARE(o->xml, c.xml);
        QCOMPARE(DataOptions::parse(o->toLine()), o); // round trip
    }
    QCOMPARE(options("XML FRAMED RAW").toLine(), QByteArray("XML FRAMED RAW\n"));
    QCOMPARE(options("BARE").toLine(), QByteArray("UNFRAMED RAW NO_HEADER NO_STATUS ONE_SHOT\n"));
    QCOMPARE(DataOptions {}.toLine(), QByteArray("ASCII SCALED\n"));
    for (const char *bad : { "XML FRAMED BOGUS", "xml", "FRAMED,RAW", "NO_HEADERS" }) {
        QString err;
        QVERIFY2(!DataOptions::parse(bad, &err), bad);
        QCOMPARE(err, QStringLiteral("Invalid data capture option"));
    }
    QString err;
    QVERIFY(!DataOptions::parse("XML FRAMED RAW\r\n", &err));
    QCOMPARE(err, QStringLiteral("Cannot process CR character"));
}

void TestPandaProtocol::identity()
{
    const auto id
        = parseIdentity(QStringLiteral("PandA SW: 1.1 FPGA: 0.1.9 d1275f61 00000000 rootfs: PandA 1.1"));
    QVERIFY(id);
    QCOMPARE(id->product, QStringLiteral("PandA"));
    QCOMPARE(id->software, QStringLiteral("1.1"));
    QCOMPARE(id->fpga, QStringLiteral("0.1.9 d1275f61 00000000"));
    QCOMPARE(id->rootfs, QStringLiteral("PandA 1.1"));
    QCOMPARE(id->apiMajor, 1);
    QCOMPARE(id->apiMinor, 1);
    const auto newer
        = parseIdentity(QStringLiteral("PandA SW: 4.1-3-gabcdef FPGA: 3.0.0 00000000 00000000 rootfs: x"));
    QVERIFY(newer);
    QCOMPARE(newer->apiMajor, 4);
    QCOMPARE(newer->apiMinor, 1);
    QVERIFY(!parseIdentity(QStringLiteral("Keysight 34465A")));
    QVERIFY(!parseIdentity(QString()));
}

void TestPandaProtocol::encodeRequests()
{
    QCOMPARE(encodeQuery(QStringLiteral("*IDN")), QByteArray("*IDN?\n"));
    QCOMPARE(encodeAssign(QStringLiteral("COUNTER1.OUT.CAPTURE"), QStringLiteral("Min Max")),
        QByteArray("COUNTER1.OUT.CAPTURE=Min Max\n"));
    QCOMPARE(encodeAssign(QStringLiteral("*PCAP.ARM"), QString()), QByteArray("*PCAP.ARM=\n"));
    QCOMPARE(encodeAssign(QStringLiteral("TTLIN1.TERM"), QStringLiteral("50-Ohm\r")), QByteArray());
    QCOMPARE(encodeAssign(QStringLiteral("A"), QStringLiteral("x\ny")), QByteArray());
    QCOMPARE(encodeQuery(QStringLiteral("*IDN\r")), QByteArray());
}

void TestPandaProtocol::endReasons()
{
    const std::pair<const char *, EndReason> known[] = {
        { "Ok", EndReason::Ok },
        { "Disarmed", EndReason::Disarmed },
        { "Early disconnect", EndReason::EarlyDisconnect },
        { "Data overrun", EndReason::DataOverrun },
        { "Framing error", EndReason::FramingError },
        { "Driver data overrun", EndReason::DriverDataOverrun },
        { "DMA data error", EndReason::DmaDataError },
        { "Unexpected completion error", EndReason::UnexpectedCompletionError },
    };
    for (const auto &[text, reason] : known) {
        QCOMPARE(endReasonFromString(QString::fromLatin1(text)), reason);
        QCOMPARE(endReasonToString(reason), QString::fromLatin1(text));
        QCOMPARE(isErrorReason(reason), reason != EndReason::Ok && reason != EndReason::Disarmed);
        // Every reason arrives intact through the parser.
        const QByteArray stream = "OK\n" + rawXmlHeader("Framed") + "END 0 " + text + "\n";
        const Run run = parse(stream, options("XML FRAMED RAW"), 3);
        QVERIFY2(!run.failed, qPrintable(run.error));
        QCOMPARE(run.events.back().endReason, reason);
    }
    for (const char *other : { "Manually stopped", "ok", "", "Data overrun " })
        QCOMPARE(endReasonFromString(QString::fromLatin1(other)), EndReason::Other);
    QVERIFY(isErrorReason(EndReason::Other));
}

QTEST_GUILESS_MAIN(TestPandaProtocol)
#include "test_panda_protocol.moc"
