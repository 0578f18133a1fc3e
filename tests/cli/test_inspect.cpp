// SPDX-License-Identifier: GPL-3.0-or-later
// benchscope-inspect as a user runs it, on recordings made here (HDF5 and CSV) of signals whose
// measurements are known by hand: a sine (rms = A/√2), a square of 25 % duty, a constant (no
// edges: nulls), and an irregular stream with a loss.
#include "Recorder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace bs;

namespace {

const QString Dev = QStringLiteral("dev1");
constexpr double Dt = 1e-4; // 10 kS/s
constexpr std::size_t Rows = 10000; // 1 s
constexpr double SineAmplitude = 2.0; // V, 50 Hz: 200 samples a period
constexpr double High = 5.0; // square: 0 / 5 V, 100 Hz, high for 25 of every 100 samples
constexpr double Flat = 1.5;

double sine(std::size_t i)
{
    return SineAmplitude * std::sin(2 * M_PI * double(i % 200) / 200.0);
}
double square(std::size_t i)
{
    return i % 100 < 25 ? High : 0.0;
}

struct Run
{
    int code = -1;
    QByteArray out, err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run inspect(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(BENCHSCOPE_INSPECT), args);
    Run r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

StreamInfo streamInfo(const QString &id, const QStringList &names, bool regular)
{
    StreamInfo s;
    s.id = id;
    s.name = id;
    s.regular = regular;
    s.nominalRate = regular ? 1 / Dt : 0;
    for (const QString &n : names)
        s.channels.append({ n, QStringLiteral("V"), QString(), true, SampleFormat() });
    return s;
}

/// sig (regular: sine, square, flat) and slow (irregular: sine, 10 samples lost before row 50).
bool makeRecording(RecordingOptions::Format format, const QString &path)
{
    RecordingOptions o;
    o.format = format;
    o.path = path;
    o.timeOrigin = 0;
    o.maxQueueSeconds = 0;
    o.instruments = { { Dev, QStringLiteral("sim"), QStringLiteral("Generator"), QStringLiteral("127.0.0.1:1") } };
    o.sessionSnapshot = "{\"format\":\"benchscope-session\",\"version\":1}";
    Recorder rec;
    rec.setStreams(Dev,
        { streamInfo(QStringLiteral("sig"), { QStringLiteral("sine"), QStringLiteral("square"), QStringLiteral("flat") }, true),
            streamInfo(QStringLiteral("slow"), { QStringLiteral("sine") }, false) });
    QString error;
    if (!rec.start(o, &error)) {
        qWarning() << error;
        return false;
    }
    for (std::size_t first = 0; first < Rows; first += 1000) {
        auto b = SampleBlock::make(Dev, QStringLiteral("sig"), 3, 1000, false);
        b->firstIndex = first;
        b->dt = Dt;
        b->t0 = double(first) * Dt;
        for (std::size_t i = 0; i < 1000; ++i) {
            b->channel(0)[i] = sine(first + i);
            b->channel(1)[i] = square(first + i);
            b->channel(2)[i] = Flat;
        }
        rec.consume(b);
    }
    for (int k = 0; k < 2; ++k) {
        auto b = SampleBlock::make(Dev, QStringLiteral("slow"), 1, 50, true);
        b->firstIndex = quint64(k) * 60;
        b->lostBefore = k ? 10 : 0;
        for (std::size_t i = 0; i < 50; ++i) {
            b->times[i] = 0.001 + 0.005 * double(b->firstIndex + i);
            b->channel(0)[i] = std::sin(double(i));
        }
        b->t0 = b->times[0];
        rec.consume(b);
    }
    rec.stop();
    return rec.stats().lastError.isEmpty();
}

QJsonObject stream(const QJsonObject &doc, const QString &id)
{
    for (const QJsonValue &s : doc.value(QStringLiteral("streams")).toArray())
        if (s.toObject().value(QStringLiteral("stream")).toString() == id)
            return s.toObject();
    return {};
}

QJsonObject measurements(const QJsonObject &stream, const QString &channel)
{
    for (const QJsonValue &c : stream.value(QStringLiteral("channels")).toArray())
        if (c.toObject().value(QStringLiteral("name")).toString() == channel)
            return c.toObject().value(QStringLiteral("measurements")).toObject();
    return {};
}

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The data rows of a BenchScope CSV file (lines not starting with '#', after the column line).
QList<QByteArray> dataRows(const QByteArray &text)
{
    QList<QByteArray> rows;
    bool header = true;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith('#') || line.isEmpty())
            continue;
        if (header)
            header = false;
        else
            rows << line;
    }
    return rows;
}

#define CLOSE(actual, expected, tolerance)                                                                            \
    QVERIFY2(std::abs((actual) - (expected)) <= (tolerance),                                                          \
        qPrintable(QStringLiteral("%1 = %2, expected %3").arg(#actual).arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17)))

} // namespace

class TestInspect : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_h5, m_csv;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_h5 = m_dir.filePath(QStringLiteral("rec.h5"));
        m_csv = m_dir.filePath(QStringLiteral("rec"));
        QVERIFY(makeRecording(RecordingOptions::Format::Hdf5, m_h5));
        QVERIFY(makeRecording(RecordingOptions::Format::Csv, m_csv));
    }

    // The whole recording: the JSON's shape, and each measurement against its value by hand —
    // from the HDF5 file and from the CSV folder alike.
    void measuresTheWholeRecording_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("hdf5") << m_h5;
        QTest::newRow("csv") << m_csv;
    }
    void measuresTheWholeRecording()
    {
        QFETCH(QString, file);
        const Run r = inspect({ file });
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject doc = r.json();
        QCOMPARE(sorted(doc.keys()), sorted({ QStringLiteral("file"), QStringLiteral("streams") }));
        QCOMPARE(doc.value(QStringLiteral("file")).toString(), file);
        QCOMPARE(doc.value(QStringLiteral("streams")).toArray().size(), 2);
        const QStringList measurementKeys = sorted({ "min", "max", "peak_to_peak", "mean", "rms", "ac_rms", "std",
            "frequency", "period", "rise_time", "fall_time", "duty_positive", "duty_negative", "width_positive",
            "width_negative", "edges" });
        for (const QJsonValue &sv : doc.value(QStringLiteral("streams")).toArray()) {
            const QJsonObject s = sv.toObject();
            QCOMPARE(sorted(s.keys()), sorted({ "instrument", "stream", "samples", "first_time", "last_time", "gaps", "channels" }));
            QCOMPARE(s.value(QStringLiteral("instrument")).toString(), Dev);
            for (const QJsonValue &cv : s.value(QStringLiteral("channels")).toArray()) {
                QCOMPARE(sorted(cv.toObject().keys()), sorted({ "name", "unit", "samples", "measurements" }));
                QCOMPARE(cv.toObject().value(QStringLiteral("unit")).toString(), QStringLiteral("V"));
                QCOMPARE(sorted(cv.toObject().value(QStringLiteral("measurements")).toObject().keys()), measurementKeys);
            }
        }
        const QJsonObject sig = stream(doc, QStringLiteral("sig"));
        QCOMPARE(sig.value(QStringLiteral("samples")).toInteger(), qint64(Rows));
        CLOSE(sig.value(QStringLiteral("first_time")).toDouble(), 0.0, 1e-12);
        CLOSE(sig.value(QStringLiteral("last_time")).toDouble(), double(Rows - 1) * Dt, 1e-12);
        QVERIFY(sig.value(QStringLiteral("gaps")).toArray().isEmpty());

        // Sine, 2 V, 50 Hz over 50 whole periods.
        const QJsonObject s = measurements(sig, QStringLiteral("sine"));
        auto v = [](const QJsonObject &m, const char *key) { return m.value(QLatin1String(key)).toDouble(NAN); };
        CLOSE(v(s, "rms"), SineAmplitude / std::sqrt(2.0), 1e-9);
        CLOSE(v(s, "ac_rms"), SineAmplitude / std::sqrt(2.0), 1e-9);
        CLOSE(v(s, "mean"), 0.0, 1e-12);
        CLOSE(v(s, "max"), SineAmplitude, 1e-12);
        CLOSE(v(s, "min"), -SineAmplitude, 1e-12);
        CLOSE(v(s, "peak_to_peak"), 2 * SineAmplitude, 1e-12);
        CLOSE(v(s, "frequency"), 50.0, 1e-6);
        CLOSE(v(s, "period"), 0.02, 1e-9);
        CLOSE(v(s, "duty_positive"), 50.0, 1e-6);

        // Square 0/5 V, 100 Hz, 25 % duty; i = 0 starts high: 99 rising and 100 falling edges.
        const QJsonObject q = measurements(sig, QStringLiteral("square"));
        CLOSE(v(q, "duty_positive"), 25.0, 1e-6);
        CLOSE(v(q, "duty_negative"), 75.0, 1e-6);
        CLOSE(v(q, "width_positive"), 25 * Dt, 1e-12);
        CLOSE(v(q, "width_negative"), 75 * Dt, 1e-12);
        CLOSE(v(q, "frequency"), 100.0, 1e-6);
        CLOSE(v(q, "mean"), 0.25 * High, 1e-12);
        CLOSE(v(q, "rms"), std::sqrt(0.25) * High, 1e-12);
        CLOSE(v(q, "rise_time"), 0.8 * Dt, 1e-12); // 10 % to 90 % of one sample step
        CLOSE(v(q, "fall_time"), 0.8 * Dt, 1e-12);
        QCOMPARE(q.value(QStringLiteral("edges")).toInteger(), qint64(199));

        // A constant: statistics, but no edges — null, never a made-up number.
        const QJsonObject f = measurements(sig, QStringLiteral("flat"));
        QCOMPARE(v(f, "min"), Flat);
        QCOMPARE(v(f, "max"), Flat);
        QCOMPARE(v(f, "rms"), Flat);
        CLOSE(v(f, "std"), 0.0, 1e-15);
        for (const char *key : { "frequency", "period", "rise_time", "fall_time", "duty_positive", "duty_negative",
                 "width_positive", "width_negative", "edges" })
            QVERIFY2(f.value(QLatin1String(key)).isNull(), key);

        // The irregular stream's loss, with the times on either side.
        const QJsonArray gaps = stream(doc, QStringLiteral("slow")).value(QStringLiteral("gaps")).toArray();
        QCOMPARE(gaps.size(), 1);
        const QJsonObject g = gaps[0].toObject();
        QCOMPARE(sorted(g.keys()), sorted({ "start", "end", "duration", "kind", "lost" }));
        QCOMPARE(g.value(QStringLiteral("kind")).toString(), QStringLiteral("device_lost"));
        QCOMPARE(g.value(QStringLiteral("lost")).toInteger(), qint64(10));
        CLOSE(g.value(QStringLiteral("start")).toDouble(), 0.001 + 0.005 * 49, 1e-9);
        CLOSE(g.value(QStringLiteral("end")).toDouble(), 0.001 + 0.005 * 60, 1e-9);
        CLOSE(g.value(QStringLiteral("duration")).toDouble(), 0.005 * 11, 1e-9);
    }

    // --from/--to: only the rows in the range (inclusive), the gaps that overlap it.
    void measuresARange()
    {
        const Run r = inspect({ m_h5, QStringLiteral("--from"), QStringLiteral("0.25"), QStringLiteral("--to"), QStringLiteral("0.5") });
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject sig = stream(r.json(), QStringLiteral("sig"));
        qint64 expected = 0;
        for (std::size_t i = 0; i < Rows; ++i)
            expected += double(i) * Dt >= 0.25 && double(i) * Dt <= 0.5;
        QCOMPARE(sig.value(QStringLiteral("samples")).toInteger(), expected);
        QVERIFY(sig.value(QStringLiteral("first_time")).toDouble() >= 0.25);
        QVERIFY(sig.value(QStringLiteral("last_time")).toDouble() <= 0.5);
        const QJsonObject s = measurements(sig, QStringLiteral("sine"));
        CLOSE(s.value(QStringLiteral("rms")).toDouble(), SineAmplitude / std::sqrt(2.0), 2e-3);
        CLOSE(s.value(QStringLiteral("frequency")).toDouble(), 50.0, 1e-6);
        // The slow stream's loss (0.246 .. 0.301) overlaps the range; before 0.2 it is not there.
        QCOMPARE(stream(r.json(), QStringLiteral("slow")).value(QStringLiteral("gaps")).toArray().size(), 1);
        const Run early = inspect({ m_h5, QStringLiteral("--to"), QStringLiteral("0.2") });
        QCOMPARE(stream(early.json(), QStringLiteral("slow")).value(QStringLiteral("gaps")).toArray().size(), 0);

        // A range with no rows: zero samples, every measurement null.
        const Run none = inspect({ m_h5, QStringLiteral("--from=5"), QStringLiteral("--to=6") });
        QVERIFY2(none.code == 0, none.err.constData());
        const QJsonObject empty = stream(none.json(), QStringLiteral("sig"));
        QCOMPARE(empty.value(QStringLiteral("samples")).toInteger(), qint64(0));
        QVERIFY(empty.value(QStringLiteral("first_time")).isNull());
        for (const QJsonValue &m : measurements(empty, QStringLiteral("sine")))
            QVERIFY(m.isNull());
    }

    // --channel: a bare name, stream/channel or instrument/stream/channel; an ambiguous or
    // unknown name is refused with the names to choose from.
    void selectsChannels()
    {
        Run r = inspect({ m_h5, QStringLiteral("--channel"), QStringLiteral("square") });
        QVERIFY2(r.code == 0, r.err.constData());
        QJsonArray streams = r.json().value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 1);
        QJsonArray channels = streams[0].toObject().value(QStringLiteral("channels")).toArray();
        QCOMPARE(channels.size(), 1);
        QCOMPARE(channels[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("square"));

        r = inspect({ m_csv, QStringLiteral("--channel"), QStringLiteral("dev1/slow/sine"), QStringLiteral("--channel"), QStringLiteral("sig/flat") });
        QVERIFY2(r.code == 0, r.err.constData());
        streams = r.json().value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 2);
        for (const QJsonValue &s : streams)
            QCOMPARE(s.toObject().value(QStringLiteral("channels")).toArray().size(), 1);

        r = inspect({ m_h5, QStringLiteral("--channel"), QStringLiteral("sine") });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("dev1/sig/sine") && r.err.contains("dev1/slow/sine"), r.err.constData());
        QVERIFY(r.out.isEmpty());

        r = inspect({ m_h5, QStringLiteral("--channel"), QStringLiteral("cosine") });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("cosine") && r.err.contains("dev1/sig/square"), r.err.constData());
    }

    // --csv: the range as CSV, values as recorded. The whole recording gives back the live CSV
    // files byte for byte (from HDF5 and from CSV); a range gives the recorded rows in it.
    void writesCsv()
    {
        for (const QString &source : { m_h5, m_csv }) {
            const QString out = m_dir.filePath(QStringLiteral("out_%1").arg(QFileInfo(source).fileName()));
            const Run r = inspect({ source, QStringLiteral("--csv"), out });
            QVERIFY2(r.code == 0, r.err.constData());
            for (const QString &name : { QStringLiteral("dev1_sig.csv"), QStringLiteral("dev1_slow.csv") }) {
                const QByteArray written = readAll(QDir(out).filePath(name));
                QVERIFY(!written.isEmpty());
                QVERIFY2(written == readAll(QDir(m_csv).filePath(name)), qPrintable(name));
            }
        }
        const QList<QByteArray> recorded = dataRows(readAll(QDir(m_csv).filePath(QStringLiteral("dev1_sig.csv"))));
        QList<QByteArray> expected;
        for (const QByteArray &row : recorded) {
            const QList<QByteArray> f = row.split(',');
            const double t = f[0].toDouble();
            if (t >= 0.25 && t <= 0.5)
                expected << f[0] + ',' + f[2]; // time, square
        }
        QVERIFY(expected.size() > 2000);
        for (const QString &source : { m_h5, m_csv }) {
            const QString file = m_dir.filePath(QStringLiteral("square_%1.csv").arg(QFileInfo(source).fileName()));
            const Run r = inspect({ source, QStringLiteral("--from"), QStringLiteral("0.25"), QStringLiteral("--to"),
                QStringLiteral("0.5"), QStringLiteral("--channel"), QStringLiteral("sig/square"), QStringLiteral("--csv"), file });
            QVERIFY2(r.code == 0, r.err.constData());
            const QByteArray text = readAll(file);
            QVERIFY(text.contains("\ntime_s,square [V]\n"));
            QCOMPARE(dataRows(text), expected);
            QVERIFY(text.endsWith(QStringLiteral("# end: samples=%1 dropped=0 device_lost=0 overflow_blocks=0 stops=0 restarts=0 outages=0 outage_s=0\n")
                                      .arg(expected.size()).toLatin1()));
        }
        // One file cannot hold two streams.
        const Run two = inspect({ m_h5, QStringLiteral("--csv"), m_dir.filePath(QStringLiteral("both.csv")) });
        QCOMPARE(two.code, 2);
        QVERIFY2(two.err.contains("2 streams"), two.err.constData());
    }

    // A format-2 recording made by an older BenchScope (random values with NaN, -0, infinities,
    // denormals; an index gap, a device loss, a warning): --csv of the whole of it, from the HDF5
    // file and from its CSV files, is the CSV that version exported, byte for byte.
    void rewritesAnOlderRecordingExactly()
    {
        const QString fixtures = QStringLiteral(BS_FIXTURES_DIR "/recording");
        for (const QString &source : { fixtures + QStringLiteral("/format2.h5"), fixtures + QStringLiteral("/format2_csv") }) {
            const QString out = m_dir.filePath(QStringLiteral("f2_%1").arg(QFileInfo(source).fileName()));
            const Run r = inspect({ source, QStringLiteral("--csv"), out });
            QVERIFY2(r.code == 0, r.err.constData());
            for (const QString &name : { QStringLiteral("dev1_wave.csv"), QStringLiteral("dev1_trig.csv") })
                QVERIFY2(readAll(QDir(out).filePath(name)) == readAll(fixtures + QStringLiteral("/format2_csv/") + name),
                    qPrintable(source + QLatin1Char(' ') + name));
            const QJsonArray gaps = stream(r.json(), QStringLiteral("wave")).value(QStringLiteral("gaps")).toArray();
            QCOMPARE(gaps.size(), 2);
            QCOMPARE(gaps[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("index_gap"));
            QCOMPARE(gaps[1].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("device_lost"));
        }
    }

    // A file that is not a recording, one that does not exist, and bad arguments: exit code 2
    // and a message naming the problem.
    void refusesBadInput()
    {
        const QString text = m_dir.filePath(QStringLiteral("notes.h5"));
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not HDF5\n");
        }
        struct Case
        {
            QStringList args;
            QByteArray says;
        };
        const QList<Case> cases = {
            { { text }, "notes.h5 is not a BenchScope recording" },
            { { m_dir.filePath(QStringLiteral("nothing.h5")) }, "nothing.h5 does not exist" },
            { {}, "no recording given" },
            { { m_h5, QStringLiteral("--from"), QStringLiteral("soon") }, "--from soon: not a time" },
            { { m_h5, QStringLiteral("--from"), QStringLiteral("2"), QStringLiteral("--to"), QStringLiteral("1") }, "--from 2 is after --to 1" },
            { { m_h5, QStringLiteral("--to") }, "--to needs a value" },
            { { m_h5, QStringLiteral("--verbose"), QStringLiteral("x") }, "unknown option --verbose" },
            { { m_h5, m_h5 }, "one recording at a time" },
        };
        for (const Case &c : cases) {
            const Run r = inspect(c.args);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(c.says), r.err.constData());
            QVERIFY(r.out.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestInspect)
#include "test_inspect.moc"
