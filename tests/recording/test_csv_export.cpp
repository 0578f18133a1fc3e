// SPDX-License-Identifier: GPL-3.0-or-later
// CSV export of an HDF5 recording must be byte-identical to what CsvWriter writes for the same
// blocks: same file names, header, rows (NaN, segments, irregular times), gap lines and totals.
#include "CsvExport.h"
#include "RecordingTestUtil.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <cstdlib>

#include <thread>

using namespace bs;
using namespace bs::test;

namespace {

const QString Dev1 = QStringLiteral("dev1");
using Format = RecordingOptions::Format;

QVector<StreamInfo> dev1Streams()
{
    return { stream(QStringLiteral("wave"), { QStringLiteral("a,b"), QStringLiteral("c\"d") },
                 { QStringLiteral("V"), QStringLiteral("µ\"m") }, true, 1e5),
        stream(QStringLiteral("trig"), { QStringLiteral("pos") }, { QStringLiteral("counts") }, false),
        stream(QStringLiteral("pcap"), { QStringLiteral("x"), QStringLiteral("y") }, {}, true) };
}

/// Waits until the writer has taken everything (keeps the feed free of unplanned drops).
void drain(const Recorder &rec)
{
    while (rec.queuedBytes() > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(100));
}

/// Records a feed with every feature the export has to reproduce; the writer is paused once so
/// that the queue overflows at a known point.
void recordFeed(const RecordingOptions &base)
{
    RecordingOptions opts = base;
    opts.queueBudgetBytes = 2 << 20;
    Recorder rec;
    rec.setStreams(Dev1, dev1Streams());
    QString error;
    QVERIFY2(rec.start(opts, &error), qPrintable(error));
    std::mt19937_64 rng(2024);
    quint64 wi = 0, ti = 0, pi = 0;
    double tt = 0;
    auto event = [&rec](InstrumentEvent::Kind kind, const QString &stream, double t, const QString &text,
                     bool complete = true) {
        InstrumentEvent e;
        e.kind = kind;
        e.instrumentId = Dev1;
        e.streamId = stream;
        e.time = t;
        e.text = text;
        e.complete = complete;
        e.details = QJsonObject { { QStringLiteral("capture"), 1 }, { QStringLiteral("note"), QStringLiteral("a,\"b\"\nc") } };
        rec.event(e);
    };
    // Before any stream exists: held, then written into each stream of dev1.
    event(InstrumentEvent::Kind::Warning, {}, NAN, QStringLiteral("PCAP.TRIG refused"));
    for (int k = 0; k < 40; ++k) {
        drain(rec);
        if (k == 4)
            event(InstrumentEvent::Kind::CaptureStarted, QStringLiteral("trig"), tt, {});
        if (k == 12)
            event(InstrumentEvent::Kind::CaptureEnded, QStringLiteral("trig"), tt, QStringLiteral("Data overrun"), false);
        if (k == 21)
            event(InstrumentEvent::Kind::Warning, QStringLiteral("wave"), 0.3, QStringLiteral("clock quantised"));
        const std::size_t n = 1000 + rng() % 6000;
        if (k == 9)
            wi += 123; // index gap
        auto w = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, n, wi, 1e-5, 0.1);
        if (k == 14)
            w->t0 += 0.5; // t0 jump: new segment
        if (k == 20)
            w->lostBefore = 77;
        if (k == 25)
            w->flags = SampleBlock::Overflow;
        wi += n;
        if (k == 30) { // the writer stalls: with a tiny budget two blocks are dropped
            rec.setWriterPaused(true);
            rec.consume(w);
            auto d1 = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, 500, wi, 1e-5, 0.1);
            auto d2 = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, 500, wi + 500, 1e-5, 0.1);
            wi += 1000;
            // The budget is checked against what is queued: fill it up to the limit.
            const qint64 room = (2 << 20) - rec.queuedBytes();
            auto filler
                = regularBlock(rng, Dev1, QStringLiteral("pcap"), 2, std::size_t(room / 16), pi, 1e-3);
            pi += filler->sampleCount;
            rec.consume(filler);
            rec.consume(d1);
            rec.consume(d2);
            QVERIFY2(rec.stats().lastError.isEmpty(), qPrintable(rec.stats().lastError));
            QCOMPARE(rec.stats().droppedSamples, quint64(1000));
            rec.setWriterPaused(false);
            continue;
        }
        rec.consume(w);
        if (k % 4 == 0) {
            auto t = irregularBlock(rng, Dev1, QStringLiteral("trig"), 1, 1 + rng() % 300, ti, &tt);
            ti += t->sampleCount;
            rec.consume(t);
        }
        if (k == 33) {
            auto empty = SampleBlock::make(Dev1, QStringLiteral("trig"), 1, 0, true);
            empty->firstIndex = ti + 5;
            empty->t0 = tt;
            empty->lostBefore = 5;
            ti += 5;
            rec.consume(empty);
            // An end right after a loss at the same row: the export must keep the writer's order.
            event(InstrumentEvent::Kind::CaptureEnded, QStringLiteral("trig"), tt, QStringLiteral("Ok"));
        }
        if (k == 35) // channel-count change
            rec.setStreams(Dev1,
                { dev1Streams()[0], dev1Streams()[1],
                    stream(QStringLiteral("pcap"),
                        { QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z") }, {}, true) });
        if (k % 7 == 0) {
            auto p = regularBlock(rng, Dev1, QStringLiteral("pcap"), k >= 35 ? 3 : 2, 50, pi, 1e-3);
            pi += 50;
            rec.consume(p);
        }
        if (k == 38) {
            auto o = regularBlock(rng, QStringLiteral("other/inst"), QStringLiteral("x"), 1, 10, 0, 0.5);
            rec.consume(o);
        }
    }
    rec.stop();
    QVERIFY(rec.stats().lastError.isEmpty());
}

/// Reads CSV files with python3's own csv module, independent of BenchScope's formatting and
/// parsing code: per file the comment lines before the column line, the column names, every row's
/// fields as exact float.hex() text, and each later comment with the number of rows before it.
const char *const kIndependentReader = R"PY(
import csv, json, sys
out = {}
for path in sys.argv[1:]:
    head, columns, rows, marks = [], None, [], []
    with open(path, newline='', encoding='utf-8') as f:
        text = f.read()
    for line in text.split('\n'):
        if line.startswith('#'):
            (head if columns is None else marks).append(line if columns is None else [len(rows), line])
        elif line == '':
            continue
        elif columns is None:
            columns = next(csv.reader([line]))
        else:
            rows.append([float(x).hex() for x in next(csv.reader([line]))])
    out[path] = {'head': head, 'columns': columns, 'rows': rows, 'marks': marks, 'ends_with_newline': text.endswith('\n')}
json.dump(out, sys.stdout)
)PY";

QString python3()
{
    for (const QString &py : { QStringLiteral("/usr/bin/python3"), QStandardPaths::findExecutable(QStringLiteral("python3")) })
        if (!py.isEmpty() && QFileInfo(py).isExecutable())
            return py;
    return {};
}

double fromHex(const QJsonValue &v)
{
    return std::strtod(v.toString().toLatin1().constData(), nullptr);
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || sameBits(a, b);
}

QStringList filesIn(const QString &dir)
{
    QStringList names = QDir(dir).entryList(QDir::Files, QDir::Name);
    return names;
}

} // namespace

class TestCsvExport : public QObject
{
    Q_OBJECT
private slots:
    void exportIsByteIdenticalToCsvWriter();
    void exportHoldsTheSamplesFedIn();
    void exportErrors();
};

// The exporter is checked against the samples that went into the recording, read back by an
// independent CSV reader (python3's csv module): header, column names (quoted), every time and
// value bit for bit (NaN, ±inf, -0, denormals), the gap and capture markers at their rows, the
// end total. (The byte-identity test above compares the exporter with the writer, which share
// their formatting code: both could be wrong the same way.)
void TestCsvExport::exportHoldsTheSamplesFedIn()
{
    const QString py = python3();
    if (py.isEmpty())
        QSKIP("python3 is not available");
    QTemporaryDir dir;
    const QString h5 = dir.filePath(QStringLiteral("fed.h5")), outDir = dir.filePath(QStringLiteral("csv"));

    struct Expected
    {
        QList<QPair<double, QVector<double>>> rows; // time, values
        QList<QPair<qsizetype, QString>> marks;     // rows before the mark, how the line starts
    };
    Expected wave, trig;
    {
        Recorder rec;
        rec.setStreams(Dev1, { dev1Streams()[0], dev1Streams()[1] });
        QString error;
        QVERIFY2(rec.start(options(Format::Hdf5, h5), &error), qPrintable(error));
        std::mt19937_64 rng(77);
        quint64 wi = 0, ti = 0;
        double tt = 0;
        for (int k = 0; k < 12; ++k) {
            drain(rec);
            if (k == 5) {
                wi += 123; // an index gap: 123 samples the device never delivered
                wave.marks.append({ wave.rows.size(), QStringLiteral("# gap at t=") });
            }
            const std::size_t n = 50 + rng() % 400;
            auto w = regularBlock(rng, Dev1, QStringLiteral("wave"), 2, n, wi, 1e-5, 0.1);
            wi += n;
            for (std::size_t i = 0; i < n; ++i)
                wave.rows.append({ w->time(i), { w->channel(0)[i], w->channel(1)[i] } });
            rec.consume(w);
            auto t = irregularBlock(rng, Dev1, QStringLiteral("trig"), 1, 1 + rng() % 40, ti, &tt);
            ti += t->sampleCount;
            for (std::size_t i = 0; i < t->sampleCount; ++i)
                trig.rows.append({ t->times[i], { t->channel(0)[i] } });
            rec.consume(t);
            if (k == 7) {
                drain(rec);
                InstrumentEvent e;
                e.kind = InstrumentEvent::Kind::CaptureStarted;
                e.instrumentId = Dev1;
                e.streamId = QStringLiteral("trig");
                e.time = tt;
                rec.event(e);
                trig.marks.append({ trig.rows.size(), QStringLiteral("# capture_start at t=") });
            }
        }
        rec.stop();
        QVERIFY2(rec.stats().lastError.isEmpty(), qPrintable(rec.stats().lastError));
    }
    QStringList written;
    QString error;
    QVERIFY2(exportCsv(h5, outDir, &written, &error), qPrintable(error));
    const QString wavePath = QDir(outDir).filePath(QStringLiteral("dev1_wave.csv"));
    const QString trigPath = QDir(outDir).filePath(QStringLiteral("dev1_trig.csv"));
    QCOMPARE(filesIn(outDir), (QStringList{ QStringLiteral("dev1_trig.csv"), QStringLiteral("dev1_wave.csv") }));

    QProcess p;
    p.start(py, { QStringLiteral("-c"), QString::fromLatin1(kIndependentReader), wavePath, trigPath });
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
    const QJsonObject read = QJsonDocument::fromJson(p.readAllStandardOutput()).object();

    auto check = [](const QJsonObject &file, const Expected &expected, const QStringList &columns, const QString &stream,
                    const QString &timeBase) {
        QStringList head;
        for (const QJsonValue &v : file.value(QStringLiteral("head")).toArray())
            head.append(v.toString());
        QVERIFY2(head.value(0) == QStringLiteral("# BenchScope recording, format benchscope-csv 2"), qPrintable(head.join(u'\n')));
        for (const QString &line : { QStringLiteral("# instrument_id: dev1"), QStringLiteral("# instrument_name: Device One"),
                                     QStringLiteral("# instrument_type: sim"), QStringLiteral("# instrument_address: 127.0.0.1:1"),
                                     QStringLiteral("# stream_id: ") + stream, QStringLiteral("# time_base: ") + timeBase })
            QVERIFY2(head.contains(line), qPrintable(line + QStringLiteral(" not in\n") + head.join(u'\n')));
        QStringList cols;
        for (const QJsonValue &v : file.value(QStringLiteral("columns")).toArray())
            cols.append(v.toString());
        QCOMPARE(cols, columns);
        QVERIFY(file.value(QStringLiteral("ends_with_newline")).toBool());

        const QJsonArray rows = file.value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), expected.rows.size());
        for (qsizetype r = 0; r < rows.size(); ++r) {
            const QJsonArray row = rows.at(r).toArray();
            const auto &[t, values] = expected.rows.at(r);
            QCOMPARE(row.size(), values.size() + 1);
            const double readT = fromHex(row.at(0));
            // Times are written rounded to 1 ns (a regular time is the segment's start + row × dt).
            QVERIFY2(sameCsvTime(readT, t),
                     qPrintable(QStringLiteral("row %1: t=%2, fed %3").arg(r).arg(readT, 0, 'g', 17).arg(t, 0, 'g', 17)));
            for (qsizetype c = 0; c < values.size(); ++c)
                QVERIFY2(sameValue(fromHex(row.at(c + 1)), values[c]),
                         qPrintable(QStringLiteral("row %1 column %2: %3, fed %4")
                                        .arg(r).arg(c + 1).arg(row.at(c + 1).toString()).arg(values[c], 0, 'g', 17)));
        }
        const QJsonArray marks = file.value(QStringLiteral("marks")).toArray();
        QCOMPARE(marks.size(), expected.marks.size() + 1); // + the end line
        for (qsizetype m = 0; m < expected.marks.size(); ++m) {
            QCOMPARE(marks.at(m).toArray().at(0).toInteger(), qint64(expected.marks[m].first));
            QVERIFY2(marks.at(m).toArray().at(1).toString().startsWith(expected.marks[m].second),
                     qPrintable(marks.at(m).toArray().at(1).toString()));
        }
        const QJsonArray end = marks.last().toArray();
        QCOMPARE(end.at(0).toInteger(), qint64(expected.rows.size()));
        QVERIFY2(end.at(1).toString().startsWith(QStringLiteral("# end: samples=%1 dropped=0 ").arg(expected.rows.size())),
                 qPrintable(end.at(1).toString()));
    };
    check(read.value(wavePath).toObject(), wave,
          { QStringLiteral("time_s"), QStringLiteral("a,b [V]"), QStringLiteral("c\"d [µ\"m]") }, QStringLiteral("wave"),
          QStringLiteral("regular"));
    if (QTest::currentTestFailed())
        return;
    const QJsonArray gap = read.value(wavePath).toObject().value(QStringLiteral("marks")).toArray().at(0).toArray();
    QVERIFY2(gap.at(1).toString().contains(QStringLiteral(" lost=123 ")), qPrintable(gap.at(1).toString()));
    check(read.value(trigPath).toObject(), trig, { QStringLiteral("time_s"), QStringLiteral("pos [counts]") },
          QStringLiteral("trig"), QStringLiteral("irregular"));
}

void TestCsvExport::exportIsByteIdenticalToCsvWriter()
{
    QTemporaryDir dir;
    dir.setAutoRemove(qEnvironmentVariableIsEmpty("BS_KEEP_OUTPUT"));
    const QString csvDir = dir.filePath(QStringLiteral("direct")),
                  h5 = dir.filePath(QStringLiteral("rec.h5")),
                  outDir = dir.filePath(QStringLiteral("exported"));
    recordFeed(options(Format::Csv, csvDir));
    if (QTest::currentTestFailed())
        return;
    recordFeed(options(Format::Hdf5, h5));
    if (QTest::currentTestFailed())
        return;
    QStringList written;
    QString error;
    QVERIFY2(exportCsv(h5, outDir, &written, &error), qPrintable(error));
    const QStringList names = filesIn(csvDir);
    QCOMPARE(names,
        (QStringList { QStringLiteral("dev1_pcap.csv"), QStringLiteral("dev1_pcap_2.csv"),
            QStringLiteral("dev1_trig.csv"), QStringLiteral("dev1_wave.csv"),
            QStringLiteral("other_inst_x.csv") }));
    QCOMPARE(filesIn(outDir).join(QLatin1Char(' ')), names.join(QLatin1Char(' ')));
    QCOMPARE(written.size(), names.size());
    for (const QString &name : names) {
        QFile a(QDir(csvDir).filePath(name)), b(QDir(outDir).filePath(name));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray da = a.readAll(), db = b.readAll();
        if (da != db) {
            const QList<QByteArray> la = da.split('\n'), lb = db.split('\n');
            for (qsizetype i = 0; i < std::min(la.size(), lb.size()); ++i)
                QVERIFY2(la[i] == lb[i],
                    qPrintable(QStringLiteral("%1 line %2:\n  %3\n  %4")
                                   .arg(name)
                                   .arg(i + 1)
                                   .arg(QString::fromUtf8(la[i]), QString::fromUtf8(lb[i]))));
            QCOMPARE(la.size(), lb.size());
        }
    }
    // Capture boundaries and warnings are in the files, at their rows, in the writer's order.
    auto text = [&](const QString &name) {
        QFile f(QDir(csvDir).filePath(name));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    };
    for (const QString &name : { QStringLiteral("dev1_wave.csv"), QStringLiteral("dev1_trig.csv"),
             QStringLiteral("dev1_pcap.csv"), QStringLiteral("dev1_pcap_2.csv") })
        QVERIFY2(text(name).contains(QStringLiteral("# warning at t=nan: {\"capture\":1,\"event\":\"warning\","
                                                    "\"note\":\"a,\\\"b\\\"\\nc\",\"text\":\"PCAP.TRIG refused\"}\n")),
            qPrintable(name));
    const QString trig = text(QStringLiteral("dev1_trig.csv"));
    QCOMPARE(trig.count(QStringLiteral("# capture_start at t=")), 1);
    QCOMPARE(trig.count(QStringLiteral("# capture_end at t=")), 2);
    QVERIFY(trig.contains(QStringLiteral("\"complete\":false,\"event\":\"capture_end\"")));
    QVERIFY(trig.contains(QStringLiteral("\"text\":\"Data overrun\"")));
    QVERIFY(trig.indexOf(QStringLiteral("# capture_start")) < trig.indexOf(QStringLiteral("# capture_end")));
    QVERIFY(text(QStringLiteral("dev1_wave.csv")).contains(QStringLiteral("\"text\":\"clock quantised\"")));
    QVERIFY(!text(QStringLiteral("other_inst_x.csv")).contains(QStringLiteral("# warning")));

    const CsvFile wave = readCsv(QDir(outDir).filePath(QStringLiteral("dev1_wave.csv")));
    QCOMPARE(wave.columns, QStringLiteral("time_s,\"a,b [V]\",\"c\"\"d [µ\"\"m]\""));
    QVERIFY(wave.rows.size() > 2 * 64 * 1024); // crosses the export's slabs
    QCOMPARE(wave.comments.size(), 7); // 2 warnings, index gap, lost, overflow flag, queue overflow, end
    QVERIFY(wave.comments.filter(QStringLiteral("lost=1000 (recorder queue overflow)")).size() == 1);
    QVERIFY(wave.comments.last().startsWith(QStringLiteral("# end: ")));
}

void TestCsvExport::exportErrors()
{
    QTemporaryDir dir;
    QStringList written;
    QString error;
    const QString missing = dir.filePath(QStringLiteral("missing.h5"));
    QVERIFY(!exportCsv(missing, dir.filePath(QStringLiteral("out")), &written, &error));
    QVERIFY2(error.contains(missing) && error.contains(QStringLiteral("No such file")), qPrintable(error));
    const QString foreign = dir.filePath(QStringLiteral("foreign.h5"));
    hid_t f = H5Fcreate(foreign.toLocal8Bit().constData(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    QVERIFY(!exportCsv(foreign, dir.filePath(QStringLiteral("out")), &written, &error));
    QVERIFY2(error.contains(foreign) && error.contains(QStringLiteral("not a BenchScope recording")),
        qPrintable(error));
    QVERIFY(written.isEmpty());
}

QTEST_GUILESS_MAIN(TestCsvExport)
#include "test_csv_export.moc"
