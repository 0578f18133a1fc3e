// SPDX-License-Identifier: GPL-3.0-or-later
// Native sample types in recordings (issue 13): HDF5 datasets in each channel's own type with
// scale/offset/unit attributes, read back by Hdf5RecordingReader and by h5py; CSV engineering
// values (exact integers, float32 as float, converted values round-trip); a format-2 file made
// before native types still exported exactly; compression on/off; a block whose format differs
// from the announced one refused, counted and reported without harming the file.
#include "CsvExport.h"
#include "Hdf5Layout.h"
#include "Hdf5RecordingReader.h"
#include "Hdf5Util.h"
#include "RecordingTestUtil.h"

#include <QDir>
#include <QTemporaryDir>

#include <charconv>
#include <cstdint>

using namespace bs;
using namespace bs::test;

namespace {

const QString Inst = QStringLiteral("adc");
const QString Sid = QStringLiteral("wave");
using Compression = RecordingOptions::Compression;

/// One channel of every type; scaled ones as a PicoScope (counts × V/count) or PandA would be.
std::vector<SampleFormat> allFormats()
{
    return { SampleFormat::of(SampleType::Int8, 0.5, 1.0), SampleFormat::of(SampleType::Int16, 5.0 / 32767.0),
        SampleFormat::of(SampleType::Int32, 1e-3, -2.5), SampleFormat::of(SampleType::Int64),
        SampleFormat::of(SampleType::Float32), SampleFormat::of(SampleType::Float64, 2.0, 0.25),
        SampleFormat::of(SampleType::Int16) };
}

StreamInfo nativeStream(const std::vector<SampleFormat> &formats)
{
    StreamInfo s;
    s.id = Sid;
    s.name = QStringLiteral("native");
    s.regular = true;
    s.nominalRate = 1024;
    for (std::size_t c = 0; c < formats.size(); ++c) {
        ChannelInfo ch;
        ch.name = QStringLiteral("c%1").arg(c);
        ch.unit = c % 2 ? QStringLiteral("V") : QStringLiteral("counts");
        ch.format = formats[c];
        s.channels.append(ch);
    }
    return s;
}

/// Extreme and ordinary values of each type (int64 above 2^53, float32 NaN/inf/denormal).
MutableSampleBlockPtr nativeBlock(std::mt19937_64 &rng, const std::vector<SampleFormat> &formats, std::size_t n,
    quint64 first)
{
    auto b = SampleBlock::make(Inst, Sid, formats, n, false);
    b->firstIndex = first;
    b->dt = 1.0 / 1024;
    b->t0 = double(first) * b->dt;
    for (int c = 0; c < b->channelCount; ++c)
        visitSampleType(formats[std::size_t(c)].type, [&](auto tag) {
            using T = decltype(tag);
            T *d = b->data<T>(c);
            for (std::size_t i = 0; i < n; ++i) {
                if constexpr (std::is_integral_v<T>) {
                    const T edge[] = { std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), T(0), T(-1) };
                    d[i] = i % 17 < 4 ? edge[i % 17] : T(rng());
                    if (std::is_same_v<T, std::int64_t> && i % 17 == 5)
                        d[i] = T((std::int64_t(1) << 53) + 1 + std::int64_t(i)); // not a double
                } else if constexpr (std::is_same_v<T, float>) {
                    const float edge[] = { std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                        std::numeric_limits<float>::denorm_min(), -0.0f, 0.1f };
                    d[i] = i % 13 < 5 ? edge[i % 13] : float(randomValue(rng));
                } else {
                    d[i] = randomValue(rng);
                }
            }
        });
    return b;
}

RecordingOptions recOptions(RecordingOptions::Format f, const QString &path, Compression c = Compression::None)
{
    RecordingOptions o = adcOptions(f, path, Inst);
    o.compression = c;
    o.compressionLevel = 4;
    return o;
}

/// Records `blocks` of the stream; returns the stats.
RecorderStats record(const RecordingOptions &o, const StreamInfo &info, const QList<SampleBlockPtr> &blocks)
{
    Recorder rec;
    rec.setStreams(Inst, { info });
    QString error;
    if (!rec.start(o, &error)) {
        RecorderStats st;
        st.lastError = error;
        return st;
    }
    for (const SampleBlockPtr &b : blocks)
        rec.consume(b);
    rec.stop();
    return rec.stats();
}

QList<SampleBlockPtr> feed(const std::vector<SampleFormat> &formats)
{
    std::mt19937_64 rng(13);
    QList<SampleBlockPtr> blocks;
    quint64 at = 0;
    for (std::size_t n : { 700, 1, 1500 }) {
        blocks << nativeBlock(rng, formats, n, at);
        at += n;
    }
    return blocks;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<cannot read ") + path.toUtf8() + '>';
}

/// Checks that the reader returns exactly what the blocks held, in raw and engineering form.
void verifyAgainstBlocks(const Hdf5RecordingReader &r, const QList<SampleBlockPtr> &blocks,
    const std::vector<SampleFormat> &formats)
{
    QCOMPARE(r.streams().size(), 1);
    const auto &s = r.streams().front();
    QCOMPARE(s.channels.size(), qsizetype(formats.size()));
    quint64 rows = 0;
    for (const auto &b : blocks)
        rows += b->sampleCount;
    QCOMPARE(s.rows, rows);
    for (int c = 0; c < s.channels.size(); ++c) {
        QVERIFY(s.channels[c].format == formats[std::size_t(c)]);
        const std::size_t size = sampleTypeSize(formats[std::size_t(c)].type);
        std::vector<std::byte> raw(rows * size);
        std::vector<double> values(rows);
        QString error;
        QVERIFY2(r.readRaw(0, c, 0, rows, raw.data(), &error), qPrintable(error));
        QVERIFY2(r.readValues(0, c, 0, rows, values.data(), &error), qPrintable(error));
        std::size_t at = 0;
        for (const auto &b : blocks) {
            QVERIFY2(std::memcmp(raw.data() + at * size, b->rawData(c), b->sampleCount * size) == 0,
                qPrintable(QStringLiteral("channel %1 differs").arg(c)));
            for (std::size_t i = 0; i < b->sampleCount; ++i)
                QVERIFY(sameCsvValue(values[at + i], b->value(c, i)));
            at += b->sampleCount;
        }
    }
}

/// The CSV field text of column `c` (1-based after time) in each data row.
QList<QByteArrayList> csvRows(const QByteArray &text)
{
    QList<QByteArrayList> rows;
    bool columns = false;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (!columns) {
            columns = true;
            continue;
        }
        rows << line.split(',');
    }
    return rows;
}

} // namespace

class TestNativeRecording : public QObject
{
    Q_OBJECT
private slots:
    void hdf5RoundTripOfEveryType();
    void hdf5ReadByH5py();
    void csvExactIntegersAndRoundTripValues();
    void formatTwoFileStillExportsExactly();
    void compressionRoundTrip_data();
    void compressionRoundTrip();
    void blockWithOtherFormatRefused();
    void timesFromAChannel();
};

void TestNativeRecording::hdf5RoundTripOfEveryType()
{
    QTemporaryDir dir;
    const QString h5 = dir.filePath(QStringLiteral("n.h5"));
    const auto formats = allFormats();
    const auto blocks = feed(formats);
    const RecorderStats st = record(recOptions(RecordingOptions::Format::Hdf5, h5), nativeStream(formats), blocks);
    QVERIFY2(st.lastError.isEmpty(), qPrintable(st.lastError));
    Hdf5RecordingReader r;
    QString error;
    QVERIFY2(r.open(h5, &error), qPrintable(error));
    QCOMPARE(r.formatVersion(), h5::FormatVersion);
    verifyAgainstBlocks(r, blocks, formats);
    // The attributes a reader without BenchScope uses.
    hid_t f = H5Fopen(h5.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(f >= 0);
    QCOMPARE(readNumberAttr(f, "/adc/wave/c1", "scale"), 5.0 / 32767.0);
    QCOMPARE(readNumberAttr(f, "/adc/wave/c2", "offset"), -2.5);
    QCOMPARE(readStringAttr(f, "/adc/wave/c1", "unit"), QStringLiteral("V"));
    QCOMPARE(readStringAttr(f, "/adc/wave", "compression"), QStringLiteral("none"));
    hid_t ds = H5Dopen2(f, "/adc/wave/c1", H5P_DEFAULT);
    hid_t t = H5Dget_type(ds);
    QVERIFY(H5Tequal(t, H5T_STD_I16LE) > 0);
    H5Tclose(t);
    H5Dclose(ds);
    H5Fclose(f);
}

void TestNativeRecording::hdf5ReadByH5py()
{
    const QString py = pythonWithH5py();
    if (py.isEmpty())
        QSKIP("python3 with h5py is not available");
    QTemporaryDir dir;
    const QString h5 = dir.filePath(QStringLiteral("n.h5"));
    const auto formats = allFormats();
    const auto blocks = feed(formats);
    QVERIFY(record(recOptions(RecordingOptions::Format::Hdf5, h5), nativeStream(formats), blocks).lastError.isEmpty());
    // The README's recipe: volts = raw * scale + offset, printed as exact hex per value.
    const char *script = "import h5py, sys\n"
                         "f = h5py.File(sys.argv[1], 'r')\n"
                         "g = f['adc/wave']\n"
                         "for name in g.attrs['columns']:\n"
                         "    d = g[name]\n"
                         "    v = d[:] * d.attrs['scale'] + d.attrs['offset']\n"
                         "    print(name, d.dtype.name, d.attrs['unit'], ' '.join(float(x).hex() for x in v[:40]))\n";
    QProcess p;
    p.start(py, { QStringLiteral("-c"), QString::fromLatin1(script), h5 });
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), int(formats.size()));
    const char *dtypes[] = { "int8", "int16", "int32", "int64", "float32", "float64" };
    for (int c = 0; c < lines.size(); ++c) {
        const QStringList f = lines[c].split(QLatin1Char(' '));
        QCOMPARE(f.value(0), QStringLiteral("c%1").arg(c));
        QCOMPARE(f.value(1), QString::fromLatin1(dtypes[int(formats[std::size_t(c)].type)]));
        QCOMPARE(f.value(2), c % 2 ? QStringLiteral("V") : QStringLiteral("counts"));
        for (int i = 0; i < 40; ++i) {
            const double v = std::strtod(f.value(3 + i).toLatin1().constData(), nullptr);
            // numpy computes in double for every integer type up to int32; int64 * 1.0 + 0.0 too.
            QVERIFY2(sameCsvValue(v, blocks[0]->value(c, std::size_t(i))),
                qPrintable(QStringLiteral("c%1[%2]: h5py %3").arg(c).arg(i).arg(f.value(3 + i))));
        }
    }
}

void TestNativeRecording::csvExactIntegersAndRoundTripValues()
{
    QTemporaryDir dir;
    const auto formats = allFormats();
    const auto blocks = feed(formats);
    const QString csvDir = dir.filePath(QStringLiteral("csv"));
    QVERIFY(record(recOptions(RecordingOptions::Format::Csv, csvDir), nativeStream(formats), blocks).lastError.isEmpty());
    const QByteArray live = readAll(csvDir + QStringLiteral("/adc_wave.csv"));
    const auto rows = csvRows(live);
    QCOMPARE(rows.size(), qsizetype(2201));
    qsizetype r = 0;
    for (const auto &b : blocks)
        for (std::size_t i = 0; i < b->sampleCount; ++i, ++r) {
            const QByteArrayList &f = rows[r];
            QCOMPARE(f.size(), qsizetype(formats.size() + 1));
            // int64 identity: the integer itself, exact above 2^53.
            QCOMPARE(f[4], QByteArray::number(qlonglong(b->data<std::int64_t>(3)[i])));
            // int16 identity: the integer.
            QCOMPARE(f[7], QByteArray::number(b->data<std::int16_t>(6)[i]));
            // float32 identity: the shortest text that reads back to the same float.
            const float x = b->data<float>(4)[i];
            float back = 0;
            std::from_chars(f[5].constData(), f[5].constData() + f[5].size(), back);
            QVERIFY2(std::isnan(x) ? f[5] == "nan" : std::memcmp(&x, &back, sizeof x) == 0, f[5].constData());
            // converted: raw × scale + offset, round-trip digits.
            for (int c : { 0, 1, 2, 5 }) {
                const double v = f[c + 1] == "nan" ? NAN : std::strtod(f[c + 1].constData(), nullptr);
                QVERIFY2(sameCsvValue(v, b->value(c, i)), f[c + 1].constData());
            }
        }
    // The export from HDF5 writes the same bytes.
    const QString h5 = dir.filePath(QStringLiteral("n.h5"));
    QVERIFY(record(recOptions(RecordingOptions::Format::Hdf5, h5), nativeStream(formats), blocks).lastError.isEmpty());
    QString error;
    QStringList written;
    QVERIFY2(exportCsv(h5, dir.filePath(QStringLiteral("export")), &written, &error), qPrintable(error));
    QCOMPARE(written.size(), 1);
    QVERIFY(readAll(written.front()) == live);
}

void TestNativeRecording::formatTwoFileStillExportsExactly()
{
    // tests/data/recording/README.md: written by the format-2 code, with its own export beside it.
    const QString data = QStringLiteral(BS_FIXTURES_DIR "/recording");
    Hdf5RecordingReader r;
    QString error;
    QVERIFY2(r.open(data + QStringLiteral("/format2.h5"), &error), qPrintable(error));
    QCOMPARE(r.formatVersion(), qint64(2));
    QCOMPARE(r.streams().size(), 2);
    for (const auto &s : r.streams())
        for (const auto &c : s.channels)
            QVERIFY(c.format.isPlainDouble());
    QTemporaryDir dir;
    QStringList written;
    QVERIFY2(exportCsv(data + QStringLiteral("/format2.h5"), dir.path(), &written, &error), qPrintable(error));
    const QStringList expected = QDir(data + QStringLiteral("/format2_csv")).entryList(QDir::Files, QDir::Name);
    QCOMPARE(expected.size(), 2);
    QCOMPARE(written.size(), expected.size());
    for (const QString &name : expected) {
        const QByteArray want = readAll(data + QStringLiteral("/format2_csv/") + name);
        QVERIFY(want.size() > 1000);
        QVERIFY2(readAll(dir.filePath(name)) == want, qPrintable(name));
    }
}

void TestNativeRecording::compressionRoundTrip_data()
{
    QTest::addColumn<int>("compression");
    QTest::newRow("none") << int(Compression::None);
    QTest::newRow("deflate") << int(Compression::Deflate);
    QTest::newRow("lz4") << int(Compression::Lz4);
}

void TestNativeRecording::compressionRoundTrip()
{
    QFETCH(int, compression);
    const auto c = Compression(compression);
    if (c == Compression::Lz4 && !h5::lz4Available())
        QSKIP("the HDF5 LZ4 filter plugin (hdf5-filter-plugin) does not load here");
    QTemporaryDir dir;
    const QString h5 = dir.filePath(QStringLiteral("c.h5"));
    const auto formats = allFormats();
    const auto blocks = feed(formats);
    const RecorderStats st = record(recOptions(RecordingOptions::Format::Hdf5, h5, c), nativeStream(formats), blocks);
    QVERIFY2(st.lastError.isEmpty(), qPrintable(st.lastError));
    Hdf5RecordingReader r;
    QString error;
    QVERIFY2(r.open(h5, &error), qPrintable(error));
    verifyAgainstBlocks(r, blocks, formats);
    QCOMPARE(r.streams().front().compression, compressionName(c));
    // The filters really are on the datasets (shuffle + deflate/LZ4), or none.
    hid_t f = H5Fopen(h5.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t ds = H5Dopen2(f, "/adc/wave/c1", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(ds);
    const int n = H5Pget_nfilters(dcpl);
    QCOMPARE(n, c == Compression::None ? 0 : 2);
    if (n == 2) {
        unsigned flags = 0, values[8];
        std::size_t nv = 8;
        char name[64];
        unsigned config = 0;
        QCOMPARE(H5Pget_filter2(dcpl, 0, &flags, &nv, values, sizeof name, name, &config), H5Z_FILTER_SHUFFLE);
        nv = 8;
        QCOMPARE(H5Pget_filter2(dcpl, 1, &flags, &nv, values, sizeof name, name, &config),
            c == Compression::Deflate ? H5Z_FILTER_DEFLATE : h5::Lz4Filter);
    }
    H5Pclose(dcpl);
    H5Dclose(ds);
    H5Fclose(f);
}

void TestNativeRecording::blockWithOtherFormatRefused()
{
    QTemporaryDir dir;
    const std::vector<SampleFormat> formats { SampleFormat::of(SampleType::Int16, 1e-3) };
    std::mt19937_64 rng(5);
    auto a = nativeBlock(rng, formats, 100, 0);
    auto wrongType = nativeBlock(rng, { SampleFormat::of(SampleType::Float64) }, 50, 100);
    auto wrongScale = nativeBlock(rng, { SampleFormat::of(SampleType::Int16, 2e-3) }, 30, 150);
    auto c = nativeBlock(rng, formats, 100, 180);
    for (auto format : { RecordingOptions::Format::Hdf5, RecordingOptions::Format::Csv }) {
        const QString path = dir.filePath(format == RecordingOptions::Format::Hdf5 ? QStringLiteral("r.h5") : QStringLiteral("r"));
        const RecorderStats st = record(recOptions(format, path), nativeStream(formats), { a, wrongType, wrongScale, c });
        QVERIFY2(st.lastError.isEmpty(), qPrintable(st.lastError));
        QCOMPARE(st.refusedBlocks, quint64(2));
        QVERIFY2(st.lastWarning.contains(QStringLiteral("adc/wave")) && st.lastWarning.contains(QStringLiteral("int16 ×0.002"))
                && st.lastWarning.contains(QStringLiteral("int16 ×0.001")),
            qPrintable(st.lastWarning));
        QCOMPARE(st.streams.size(), 1);
        QCOMPARE(st.streams[0].samples, quint64(200));
        QCOMPARE(st.streams[0].droppedSamples, quint64(80));
        QCOMPARE(st.streams[0].refusedBlocks, quint64(2));
        const QString csvFile = format == RecordingOptions::Format::Hdf5 ? QString() : path + QStringLiteral("/adc_wave.csv");
        QString exported = csvFile;
        if (format == RecordingOptions::Format::Hdf5) {
            Hdf5RecordingReader r;
            QString error;
            QVERIFY2(r.open(path, &error), qPrintable(error));
            verifyAgainstBlocks(r, { a, c }, formats);
            const auto &s = r.streams().front();
            QCOMPARE(s.totals.droppedSamples, quint64(80));
            QCOMPARE(s.events.size(), size_t(2));
            QCOMPARE(int(s.events[0].kind), int(LossKind::FormatMismatch));
            QCOMPARE(s.events[0].fileRow, quint64(100));
            QCOMPARE(s.events[0].count, quint64(50));
            // The times go on across the refused samples: a new segment at row 100.
            double t = 0;
            QVERIFY(r.readTimes(0, 100, 1, &t, &error));
            QCOMPARE(t, 180.0 / 1024);
            QStringList written;
            QVERIFY2(exportCsv(path, dir.filePath(QStringLiteral("x")), &written, &error), qPrintable(error));
            exported = written.value(0);
        }
        const QByteArray text = readAll(exported);
        QVERIFY2(text.contains("# gap at t=0.09765625 index=100 lost=50 (block format differs from the announced one)\n"),
            text.constData());
        QVERIFY(text.contains("# end: samples=200 dropped=80 "));
    }
}

QTEST_GUILESS_MAIN(TestNativeRecording)
#include "test_native_recording.moc"

// A PandA-like stream whose times are its TS_TRIG channel (int64 ticks × 8 ns) plus the capture's
// start (StreamInfo::timeChannel, SampleBlock::timeOffset): the HDF5 file stores no `time` column
// (format 4: `time_channel`, `time_offsets`), so a row takes what the wire took; the reader gives
// back exactly the times the blocks had, the export the live CSV's bytes; a block of such a stream
// without its offset is refused and counted.
void TestNativeRecording::timesFromAChannel()
{
    const std::vector<SampleFormat> formats = { SampleFormat::of(SampleType::Int32, 1e-3),
        SampleFormat::of(SampleType::Int64, 8e-9), SampleFormat::of(SampleType::Float64) };
    StreamInfo info = nativeStream(formats);
    info.regular = false;
    info.nominalRate = 0;
    info.timeChannel = 1;
    std::mt19937_64 rng(4);
    QList<SampleBlockPtr> blocks;
    quint64 at = 0;
    std::int64_t tick = 0;
    // Two captures (offsets 5.0 and 12.375 s of session time), blocks of 1, 900, 3000 rows.
    for (const auto &[offset, n] : std::vector<std::pair<double, std::size_t>>{ { 5.0, 900 }, { 5.0, 1 }, { 12.375, 3000 } }) {
        auto b = SampleBlock::make(Inst, Sid, formats, n, true);
        b->firstIndex = at;
        for (std::size_t i = 0; i < n; ++i) {
            tick += 1 + std::int64_t(rng() % 250); // irregular triggers
            b->data<std::int32_t>(0)[i] = std::int32_t(rng());
            b->data<std::int64_t>(1)[i] = tick;
            b->data<double>(2)[i] = randomValue(rng);
        }
        b->toValues(1, 0, n, b->times.data()); // as the PandA driver does
        for (double &t : b->times)
            t += offset;
        b->timeOffset = offset;
        b->t0 = b->times.front();
        blocks << b;
        at += n;
    }
    QTemporaryDir dir;
    RecordingOptions o = recOptions(RecordingOptions::Format::Hdf5, dir.filePath(QStringLiteral("t.h5")));
    o.timeOrigin = 3.1; // the recording began at session time 3.1
    RecorderStats st = record(o, info, blocks);
    QVERIFY2(st.lastError.isEmpty(), qPrintable(st.lastError));
    Hdf5RecordingReader r;
    QString error;
    QVERIFY2(r.open(o.path, &error), qPrintable(error));
    QCOMPARE(r.formatVersion(), h5::FormatVersion);
    const auto &s = r.streams().front();
    QCOMPARE(s.timeChannel, 1);
    QCOMPARE(s.timeOffsets.size(), std::size_t(2));
    QCOMPARE(s.timeOffsets[1], std::make_pair(quint64(901), 12.375));
    QCOMPARE(s.rows, quint64(3901));
    std::vector<double> times(s.rows);
    QVERIFY2(r.readTimes(0, 0, s.rows, times.data(), &error), qPrintable(error));
    std::size_t row = 0;
    for (const auto &b : blocks)
        for (std::size_t i = 0; i < b->sampleCount; ++i, ++row) {
            const double expected = b->time(i) - o.timeOrigin;
            QVERIFY2(std::memcmp(&times[row], &expected, sizeof expected) == 0,
                     qPrintable(QStringLiteral("row %1: %2 != %3").arg(row).arg(times[row], 0, 'g', 17).arg(expected, 0, 'g', 17)));
        }
    r.close();
    hid_t f = H5Fopen(o.path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(f >= 0);
    QCOMPARE(H5Lexists(f, "/adc/wave/time", H5P_DEFAULT), 0);
    QCOMPARE(readStringAttr(f, "/adc/wave", "time_channel"), QStringLiteral("c1"));
    H5Fclose(f);

    // The export writes what a live CSV recording of the same blocks holds, byte for byte.
    RecordingOptions c = recOptions(RecordingOptions::Format::Csv, dir.filePath(QStringLiteral("csv")));
    c.timeOrigin = o.timeOrigin;
    QVERIFY(record(c, info, blocks).lastError.isEmpty());
    QStringList written;
    QVERIFY2(exportCsv(o.path, dir.filePath(QStringLiteral("export")), &written, &error), qPrintable(error));
    QCOMPARE(written.size(), 1);
    QVERIFY(readAll(written.front()) == readAll(dir.filePath(QStringLiteral("csv/adc_wave.csv"))));

    // A block without its offset cannot be placed: refused, counted, named.
    auto bare = SampleBlock::make(Inst, Sid, formats, 10, true);
    bare->firstIndex = at;
    for (std::size_t i = 0; i < 10; ++i)
        bare->times[i] = 20.0 + double(i);
    bare->t0 = 20.0;
    QList<SampleBlockPtr> withBare = blocks;
    withBare << bare;
    o.path = dir.filePath(QStringLiteral("bare.h5"));
    st = record(o, info, withBare);
    QCOMPARE(st.refusedBlocks, quint64(1));
    QVERIFY2(st.lastWarning.contains(QStringLiteral("time offset")), qPrintable(st.lastWarning));
    QVERIFY2(r.open(o.path, &error), qPrintable(error));
    QCOMPARE(r.streams().front().rows, quint64(3901));
}
