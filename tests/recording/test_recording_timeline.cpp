// SPDX-License-Identifier: GPL-3.0-or-later
// Time in a recording: 0 at the recording's start (the session offset and wall-clock start in
// the header and attributes), only ever increasing across Stop/Run, every Run, Stop and
// connection outage an event (HDF5 marker, CSV comment line) that starts a new segment and is
// counted; CSV times as the shortest decimal, the session snapshot readable.
#include "CsvExport.h"
#include "InstrumentHost.h"
#include "RecordingNames.h"
#include "RecordingTestUtil.h"
#include "SessionClock.h"
#include "Workspace.h"
#include "DriverRegistry.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

using namespace bs;
using namespace bs::test;

namespace {

const QString Dev1 = QStringLiteral("dev1");
const QString Wave = QStringLiteral("wave");
const QString Trig = QStringLiteral("trig");
constexpr double Dt = 1.0 / 1024;

QVector<StreamInfo> dev1Streams()
{
    return { stream(Wave, { QStringLiteral("a") }, { QStringLiteral("V") }, true, 1024),
        stream(Trig, { QStringLiteral("pos") }, { QStringLiteral("counts") }, false) };
}

InstrumentEvent event(InstrumentEvent::Kind kind, double t)
{
    InstrumentEvent e;
    e.kind = kind;
    e.instrumentId = Dev1;
    e.time = t;
    return e;
}

MutableSampleBlockPtr wave(quint64 index, std::size_t n, double t0)
{
    auto b = SampleBlock::make(Dev1, Wave, 1, n, false);
    b->firstIndex = index;
    b->dt = Dt;
    b->t0 = t0;
    for (std::size_t i = 0; i < n; ++i)
        b->channel(0)[i] = double(index + i) * 0.5;
    return b;
}

MutableSampleBlockPtr trig(quint64 index, const std::vector<double> &times)
{
    auto b = SampleBlock::make(Dev1, Trig, 1, times.size(), true);
    b->firstIndex = index;
    b->times = times;
    b->t0 = times.front();
    for (std::size_t i = 0; i < times.size(); ++i)
        b->channel(0)[i] = double(index + i);
    return b;
}

/// Session-time story fed to a recorder whose time 0 is session time 100: a run, Stop, a second
/// run whose sample index restarts at 0, an outage of 0.5 s, Stop.
struct Story
{
    static constexpr double Origin = 100.0;
    std::vector<std::function<void(Recorder &)>> steps;
    Story()
    {
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::RunStarted, 100.0)); });
        steps.push_back([](Recorder &r) { r.consume(wave(0, 512, 100.25)); });
        steps.push_back([](Recorder &r) { r.consume(trig(0, { 100.3, 100.4, 100.5 })); });
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::RunStopped, 100.8)); });
        // Run again 2 s later: the driver's index restarts, its time continues on the session clock.
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::RunStarted, 102.0)); });
        steps.push_back([](Recorder &r) { r.consume(wave(0, 256, 102.0)); });
        steps.push_back([](Recorder &r) { r.consume(trig(0, { 102.1, 102.2 })); });
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::ConnectionLost, 102.25)); });
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::ConnectionRestored, 102.75)); });
        // The same index and time base continue after the outage: still a new segment.
        steps.push_back([](Recorder &r) { r.consume(wave(256, 256, 102.0 + 256 * Dt)); });
        steps.push_back([](Recorder &r) { r.event(event(InstrumentEvent::Kind::RunStopped, 103.0)); });
    }
};

bool recordStory(const RecordingOptions &opts, RecorderStats *stats)
{
    Recorder rec;
    rec.setStreams(Dev1, dev1Streams());
    QString error;
    RecordingOptions o = opts;
    o.timeOrigin = Story::Origin;
    o.sessionStartWallMs = 1700000000000; // 2023-11-14T22:13:20.000Z
    if (!rec.start(o, &error)) {
        qWarning() << error;
        return false;
    }
    for (const auto &step : Story().steps)
        step(rec);
    rec.stop();
    if (stats)
        *stats = rec.stats();
    return true;
}

bool strictlyIncreasing(const std::vector<double> &t, QString *why)
{
    for (std::size_t i = 1; i < t.size(); ++i)
        if (!(t[i] > t[i - 1])) {
            *why = QStringLiteral("row %1: %2 after %3").arg(i).arg(t[i], 0, 'g', 17).arg(t[i - 1], 0, 'g', 17);
            return false;
        }
    return true;
}

std::vector<double> column(const CsvFile &f, std::size_t c)
{
    std::vector<double> v;
    for (const auto &r : f.rows)
        v.push_back(r.at(c));
    return v;
}

QString lineStartingWith(const QStringList &lines, const QString &start)
{
    for (const QString &l : lines)
        if (l.startsWith(start))
            return l;
    return {};
}

/// A device-less driver whose times are on the session clock, like every real driver: each Run
/// starts its sample index at 0 and its t0 at SessionClock::now().
class ClockInstrument : public Instrument
{
public:
    ClockInstrument() { m_timer.setInterval(5); QObject::connect(&m_timer, &QTimer::timeout, this, [this] { tick(); }); }
    QString type() const override { return QStringLiteral("clockfake"); }
    void open() override
    {
        setStreams({ stream(Wave, { QStringLiteral("a") }, { QStringLiteral("V") }, true, 1000) });
        setState(State::Connected);
    }
    void close() override
    {
        m_timer.stop();
        setState(State::Disconnected);
    }
    void start() override
    {
        m_index = 0;
        m_runStart = SessionClock::now();
        m_timer.start();
        setState(State::Running);
    }
    void stop() override
    {
        m_timer.stop();
        setState(State::Connected);
    }

private:
    void tick()
    {
        // Every sample up to now, at 1 kHz from the run's start.
        const auto due = quint64((SessionClock::now() - m_runStart) * 1000.0);
        if (due <= m_index)
            return;
        auto b = SampleBlock::make(id(), Wave, 1, std::size_t(due - m_index), false);
        b->firstIndex = m_index;
        b->dt = 1e-3;
        b->t0 = m_runStart + double(m_index) * 1e-3;
        for (std::size_t i = 0; i < b->sampleCount; ++i)
            b->channel(0)[i] = double(m_index + i);
        m_index = due;
        publish(b);
    }
    QTimer m_timer { this };
    quint64 m_index = 0;
    double m_runStart = 0;
};

void registerClockInstrument()
{
    if (DriverRegistry::instance().find(QStringLiteral("clockfake")))
        return;
    DriverInfo info;
    info.type = QStringLiteral("clockfake");
    info.displayName = QStringLiteral("Clock fake");
    info.create = [] { return std::unique_ptr<Instrument>(new ClockInstrument); };
    DriverRegistry::instance().add(info);
}

} // namespace

class TestRecordingTimeline : public QObject
{
    Q_OBJECT
private slots:
    void csvTimeStartsAtZeroWithEventsAndCounts();
    void hdf5TimeStartsAtZeroWithEventsAndCounts();
    void exportReproducesTheEventsAndCounts();
    void csvTimesAreTheShortestDecimal();
    void csvSessionSnapshotIsReadable();
    void clockCannotRestartWhileRecording();
    void workspaceStopRunKeepsRecordingTimeIncreasing_data();
    void workspaceStopRunKeepsRecordingTimeIncreasing();
    void outageIsCountedNotDeviceLoss();
};

void TestRecordingTimeline::csvTimeStartsAtZeroWithEventsAndCounts()
{
    QTemporaryDir dir;
    RecorderStats st;
    QVERIFY(recordStory(options(RecordingOptions::Format::Csv, dir.path()), &st));
    const CsvFile w = readCsv(dir.filePath(QStringLiteral("dev1_wave.csv")));
    QCOMPARE(w.header.value(0), QStringLiteral("# BenchScope recording, format benchscope-csv 2"));
    QCOMPARE(lineStartingWith(w.header, QStringLiteral("# start_time:")), QStringLiteral("# start_time: 2023-11-14T22:15:00.000Z"));
    QCOMPARE(lineStartingWith(w.header, QStringLiteral("# session_start_time:")),
        QStringLiteral("# session_start_time: 2023-11-14T22:13:20.000Z"));
    QCOMPARE(lineStartingWith(w.header, QStringLiteral("# session_time_offset:")),
        QStringLiteral("# session_time_offset: 100"));
    // Time 0 is the recording's start: the first row was sampled 0.25 s after it.
    QCOMPARE(w.rows.size(), std::size_t(1024));
    QCOMPARE(w.rows.front().at(0), 0.25);
    QString why;
    const std::vector<double> t = column(w, 0);
    QVERIFY2(strictlyIncreasing(t, &why), qPrintable(why));
    QCOMPARE(t[512], 2.0); // the second run: 2 s after the recording started, not 0 again
    // Every Run, Stop and outage is a comment line at its place among the rows.
    const QStringList expect = { QStringLiteral("# run_start at t=0: "), QStringLiteral("# run_stop at t=0.8: "),
        QStringLiteral("# run_start at t=2: "), QStringLiteral("# connection_lost at t=2.25: "),
        QStringLiteral("# connection_restored at t=2.75: "), QStringLiteral("# run_stop at t=3: ") };
    const std::vector<std::size_t> rowsBefore = { 0, 512, 512, 768, 768, 1024 };
    QCOMPARE(w.comments.size(), expect.size() + 1);
    for (int i = 0; i < expect.size(); ++i) {
        QVERIFY2(w.comments[i].startsWith(expect[i]), qPrintable(w.comments[i]));
        QCOMPARE(w.commentRows[std::size_t(i)], rowsBefore[std::size_t(i)]);
    }
    const QJsonObject info = QJsonDocument::fromJson(w.comments[1].section(QStringLiteral(": "), 1).toUtf8()).object();
    QCOMPARE(info.value(QStringLiteral("event")).toString(), QStringLiteral("run_stop"));
    QCOMPARE(info.value(QStringLiteral("time")).toDouble(), 0.8 + 100.0 - 100.0);
    QCOMPARE(info.value(QStringLiteral("session_time")).toDouble(), 100.8);
    QCOMPARE(w.comments.last(),
        QStringLiteral("# end: samples=1024 dropped=0 device_lost=0 overflow_blocks=0 stops=2 restarts=1 outages=1 "
                       "outage_s=0.5"));
    // The irregular stream: explicit times, also from 0 and increasing.
    const CsvFile g = readCsv(dir.filePath(QStringLiteral("dev1_trig.csv")));
    QCOMPARE(column(g, 0), (std::vector<double> { 0.3, 0.4, 0.5, 2.1, 2.2 }));
    QVERIFY(g.comments.last().endsWith(QStringLiteral("stops=2 restarts=1 outages=1 outage_s=0.5")));
    // The stats the GUI and benchscope-rec read.
    QCOMPARE(st.streams.size(), 2);
    QCOMPARE(st.streams[0].stops, quint64(2));
    QCOMPARE(st.streams[0].restarts, quint64(1));
    QCOMPARE(st.streams[0].outages, quint64(1));
    QCOMPARE(st.streams[0].outageSeconds, 0.5);
    QCOMPARE(st.streams[0].firstTime, 0.25);
    QCOMPARE(st.streams[0].deviceLostSamples, quint64(0));
}

void TestRecordingTimeline::hdf5TimeStartsAtZeroWithEventsAndCounts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rec.h5"));
    QVERIFY(recordStory(options(RecordingOptions::Format::Hdf5, path), nullptr));
    const hid_t f = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(f >= 0);
    QCOMPARE(readNumberAttr(f, "/", "format_version"), 5.0); // 3: native types (issue 13); 4: times from a channel; 5: overview
    QCOMPARE(readNumberAttr(f, "/", "session_time_offset"), 100.0);
    QCOMPARE(readStringAttr(f, "/", "start_time"), QStringLiteral("2023-11-14T22:15:00.000Z"));
    QCOMPARE(readStringAttr(f, "/", "session_start_time"), QStringLiteral("2023-11-14T22:13:20.000Z"));
    const auto segs = readTable(f, "/dev1/wave/segments", { "file_row", "sample_index", "t0", "dt" });
    // A segment at the start, after the second Run (index back to 0), and after the outage
    // (same index and time base: only the event starts it).
    QCOMPARE(segs.size(), std::size_t(3));
    QCOMPARE(segs[0][0], 0.0);
    QCOMPARE(segs[0][2], 0.25);
    QCOMPARE(segs[1][0], 512.0);
    QCOMPARE(segs[1][2], 2.0);
    QCOMPARE(segs[2][0], 768.0);
    QString why;
    const std::vector<double> t = timesFromSegments(segs, 1024);
    QVERIFY2(strictlyIncreasing(t, &why), qPrintable(why));
    const auto trigTime = readDoubles(f, "/dev1/trig/time");
    QVERIFY2(strictlyIncreasing(trigTime, &why), qPrintable(why));
    QCOMPARE(trigTime.front(), 100.3 - 100.0);
    const auto markers = readTable(f, "/dev1/wave/markers", { "file_row", "time", "kind" });
    QCOMPARE(markers.size(), std::size_t(6));
    const std::vector<double> kinds = { 4, 5, 4, 6, 7, 5 };
    const std::vector<double> times = { 0, 0.8 + 100 - 100, 2, 2.25, 2.75, 3 };
    for (std::size_t i = 0; i < markers.size(); ++i) {
        QCOMPARE(markers[i][2], kinds[i]);
        QCOMPARE(markers[i][1], 100.0 + times[i] - 100.0);
    }
    QCOMPARE(readStringAttr(f, "/dev1/wave/markers", "kind_names"),
        QStringLiteral("1=capture_start,2=capture_end,3=warning,4=run_start,5=run_stop,6=connection_lost,"
                       "7=connection_restored"));
    QCOMPARE(readNumberAttr(f, "/dev1/wave", "stops"), 2.0);
    QCOMPARE(readNumberAttr(f, "/dev1/wave", "restarts"), 1.0);
    QCOMPARE(readNumberAttr(f, "/dev1/wave", "outages"), 1.0);
    QCOMPARE(readNumberAttr(f, "/dev1/wave", "outage_seconds"), 0.5);
    QCOMPARE(readNumberAttr(f, "/dev1/wave", "first_time"), 0.25);
    QCOMPARE(readNumberAttr(f, "/dev1/wave", "device_lost_samples"), 0.0);
    H5Fclose(f);

    // An independent reader: h5py sees the same times and counts.
    const QString py = pythonWithH5py();
    if (py.isEmpty())
        QSKIP("python3 with h5py is not available");
    const QString script = QStringLiteral(
        "import h5py, json, sys, numpy as np\n"
        "f = h5py.File(sys.argv[1], 'r')\n"
        "g = f['dev1/wave']\n"
        "s = g['segments'][:]\n"
        "rows = np.arange(len(g['a']))\n"
        "k = np.searchsorted(s['file_row'], rows, side='right') - 1\n"
        "t = s['t0'][k] + (rows - s['file_row'][k]) * s['dt'][k]\n"
        "print(json.dumps({'increasing': bool(np.all(np.diff(t) > 0)), 't0': float(t[0]),\n"
        "  'trig_increasing': bool(np.all(np.diff(f['dev1/trig/time'][:]) > 0)),\n"
        "  'offset': float(f.attrs['session_time_offset']), 'outages': int(g.attrs['outages']),\n"
        "  'marker_kinds': [int(m['kind']) for m in g['markers'][:]],\n"
        "  'marker_events': [json.loads(m['info'])['event'] for m in g['markers'][:]]}))\n");
    QProcess p;
    p.start(py, { QStringLiteral("-c"), script, path });
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QVERIFY(o.value(QStringLiteral("increasing")).toBool());
    QVERIFY(o.value(QStringLiteral("trig_increasing")).toBool());
    QCOMPARE(o.value(QStringLiteral("t0")).toDouble(), 0.25);
    QCOMPARE(o.value(QStringLiteral("offset")).toDouble(), 100.0);
    QCOMPARE(o.value(QStringLiteral("outages")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("marker_events")).toVariant().toStringList(),
        (QStringList { QStringLiteral("run_start"), QStringLiteral("run_stop"), QStringLiteral("run_start"),
            QStringLiteral("connection_lost"), QStringLiteral("connection_restored"), QStringLiteral("run_stop") }));
}

void TestRecordingTimeline::exportReproducesTheEventsAndCounts()
{
    QTemporaryDir dir;
    const QString h5 = dir.filePath(QStringLiteral("rec.h5"));
    QVERIFY(recordStory(options(RecordingOptions::Format::Hdf5, h5), nullptr));
    QVERIFY(recordStory(options(RecordingOptions::Format::Csv, dir.filePath(QStringLiteral("live"))), nullptr));
    QStringList files;
    QString error;
    QVERIFY2(exportCsv(h5, dir.filePath(QStringLiteral("export")), &files, &error), qPrintable(error));
    QCOMPARE(files.size(), 2);
    for (const QString &name : { QStringLiteral("dev1_wave.csv"), QStringLiteral("dev1_trig.csv") }) {
        QFile live(QDir(dir.filePath(QStringLiteral("live"))).filePath(name));
        QFile exported(QDir(dir.filePath(QStringLiteral("export"))).filePath(name));
        QVERIFY(live.open(QIODevice::ReadOnly) && exported.open(QIODevice::ReadOnly));
        const QByteArray a = live.readAll(), b = exported.readAll();
        QVERIFY2(a == b, qPrintable(name + QStringLiteral(":\n") + QString::fromUtf8(a) + QStringLiteral("\n----\n")
                             + QString::fromUtf8(b)));
    }
}

void TestRecordingTimeline::csvTimesAreTheShortestDecimal()
{
    // Recording time = session time - origin, and t0 + r*dt, are not the decimals they stand for
    // in binary: 12.517 - 20 is -7.4830000000000005. The CSV says -7.483.
    QTemporaryDir dir;
    RecordingOptions o = options(RecordingOptions::Format::Csv, dir.path());
    o.timeOrigin = 20.0;
    Recorder rec;
    rec.setStreams(Dev1, dev1Streams());
    QString error;
    QVERIFY2(rec.start(o, &error), qPrintable(error));
    QCOMPARE(12.517 - 20.0, -7.4830000000000005);
    rec.consume(trig(0, { 12.517, 12.6, 20.3 }));
    auto w = SampleBlock::make(Dev1, Wave, 1, 4, false);
    w->dt = 0.1;
    w->t0 = 20.0; // rows at 0, 0.1, 0.2, 0.30000000000000004 -> 0.3
    rec.consume(w);
    rec.stop();
    QFile t(dir.filePath(QStringLiteral("dev1_trig.csv")));
    QVERIFY(t.open(QIODevice::ReadOnly));
    const QByteArray text = t.readAll();
    QVERIFY2(text.contains("\n-7.483,0\n-7.4,1\n0.3,2\n"), text.constData());
    QFile r(dir.filePath(QStringLiteral("dev1_wave.csv")));
    QVERIFY(r.open(QIODevice::ReadOnly));
    const QByteArray regular = r.readAll();
    QVERIFY2(regular.contains("\n0,0\n0.1,0\n0.2,0\n0.3,0\n"), regular.constData());
}

void TestRecordingTimeline::csvSessionSnapshotIsReadable()
{
    QTemporaryDir dir;
    RecordingOptions o = options(RecordingOptions::Format::Csv, dir.path());
    o.sessionSnapshot = R"({"format":"benchscope-session","version":1,"instruments":[{"id":"dev1","type":"sim",)"
                        R"("parameters":{"rate":1000}}]})";
    Recorder rec;
    rec.setStreams(Dev1, dev1Streams());
    QString error;
    QVERIFY2(rec.start(o, &error), qPrintable(error));
    rec.consume(wave(0, 4, SessionClock::now()));
    rec.stop();
    const CsvFile w = readCsv(dir.filePath(QStringLiteral("dev1_wave.csv")));
    const qsizetype at = w.header.indexOf(QStringLiteral("# session:"));
    QVERIFY2(at > 0, qPrintable(w.header.join(u'\n')));
    // One JSON line per line of the indented snapshot, each a comment; the JSON comes back whole.
    QByteArray json;
    int lines = 0;
    for (qsizetype i = at + 1; i < w.header.size(); ++i) {
        QVERIFY2(w.header[i].startsWith(QStringLiteral("#   ")), qPrintable(w.header[i]));
        QVERIFY(w.header[i].size() < 100);
        json += w.header[i].mid(4).toUtf8() + '\n';
        ++lines;
    }
    QVERIFY(lines >= 10);
    QVERIFY(w.header.contains(QStringLiteral("#   ") + QString(16, u' ') + QStringLiteral("\"rate\": 1000")));
    QCOMPARE(QJsonDocument::fromJson(json), QJsonDocument::fromJson(o.sessionSnapshot));
}

void TestRecordingTimeline::clockCannotRestartWhileRecording()
{
    QTemporaryDir dir;
    Recorder rec;
    QString error;
    QVERIFY(SessionClock::restart());
    QVERIFY2(rec.start(options(RecordingOptions::Format::Csv, dir.path()), &error), qPrintable(error));
    const double before = SessionClock::now();
    QVERIFY(SessionClock::isHeld());
    QVERIFY(!SessionClock::restart());
    QVERIFY(SessionClock::now() >= before);
    rec.stop();
    QVERIFY(!SessionClock::isHeld());
    QVERIFY(SessionClock::restart());
}

void TestRecordingTimeline::workspaceStopRunKeepsRecordingTimeIncreasing_data()
{
    QTest::addColumn<bool>("hdf5");
    QTest::newRow("csv") << false;
    QTest::newRow("hdf5") << true;
}

void TestRecordingTimeline::workspaceStopRunKeepsRecordingTimeIncreasing()
{
    // Record, Run, Stop, Run, Stop through the Workspace as the GUI does: the second Run does not
    // restart the session clock, so the file's time goes on; Run and Stop are in the file.
    QFETCH(bool, hdf5);
    registerClockInstrument();
    QTemporaryDir dir;
    Workspace ws;
    QString error;
    SessionInstrument entry;
    entry.id = Dev1;
    entry.type = QStringLiteral("clockfake");
    InstrumentHost *host = ws.addInstrument(entry, &error);
    QVERIFY2(host, qPrintable(error));
    Recorder rec;
    ws.addSink(&rec);
    const QString path = hdf5 ? dir.filePath(QStringLiteral("rec.h5")) : dir.path();
    RecordingOptions o = options(hdf5 ? RecordingOptions::Format::Hdf5 : RecordingOptions::Format::Csv, path);
    ws.beginTimeline();
    QVERIFY2(rec.start(o, &error), qPrintable(error));
    auto samples = [&] { return host->stats().samples; };
    ws.runAll();
    QTRY_VERIFY_WITH_TIMEOUT(samples() >= 50, 20000);
    ws.stopAll();
    QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, 20000);
    const quint64 first = samples();
    QTest::qWait(30); // a gap between the runs
    ws.runAll();
    QTRY_VERIFY_WITH_TIMEOUT(samples() >= first + 50, 20000);
    ws.stopAll();
    QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, 20000);
    QTest::qWait(50); // the RunStopped event reaches the recorder on the driver thread
    rec.stop();
    ws.removeSink(&rec);
    const RecorderStats st = rec.stats();
    QCOMPARE(st.streams.size(), 1);
    QCOMPARE(st.streams[0].stops, quint64(2));
    QCOMPARE(st.streams[0].restarts, quint64(1));
    QCOMPARE(st.streams[0].samples, samples());
    std::vector<double> t;
    QString why;
    if (hdf5) {
        const hid_t f = H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
        QVERIFY(f >= 0);
        const auto segs = readTable(f, "/dev1/wave/segments", { "file_row", "sample_index", "t0", "dt" });
        QCOMPARE(segs.size(), std::size_t(2)); // one per run
        t = timesFromSegments(segs, std::size_t(st.streams[0].samples));
        const auto markers = readTable(f, "/dev1/wave/markers", { "file_row", "time", "kind" });
        QCOMPARE(markers.size(), std::size_t(4));
        QCOMPARE(markers[2][2], 4.0); // run_start of the second run, before its rows
        QCOMPARE(markers[2][0], segs[1][0]);
        H5Fclose(f);
    } else {
        const CsvFile c = readCsv(QDir(path).filePath(QStringLiteral("dev1_wave.csv")));
        t = column(c, 0);
        QCOMPARE(c.comments.size(), 5);
        QVERIFY(c.comments[2].startsWith(QStringLiteral("# run_start at t=")));
        QVERIFY2(c.comments.last().contains(QStringLiteral(" stops=2 restarts=1 outages=0 outage_s=0")),
            qPrintable(c.comments.last()));
    }
    QCOMPARE(t.size(), std::size_t(samples()));
    QVERIFY2(strictlyIncreasing(t, &why), qPrintable(why));
    QVERIFY(t.front() >= 0 && t.front() < 5);
}

void TestRecordingTimeline::outageIsCountedNotDeviceLoss()
{
    // ConnectionLost/Restored posted by the host (as the reconnect logic does): an outage in the
    // file, its seconds counted, no device loss; one still open is counted to the end.
    registerClockInstrument();
    QTemporaryDir dir;
    Workspace ws;
    QString error;
    SessionInstrument entry;
    entry.id = Dev1;
    entry.type = QStringLiteral("clockfake");
    InstrumentHost *host = ws.addInstrument(entry, &error);
    QVERIFY2(host, qPrintable(error));
    Recorder rec;
    ws.addSink(&rec);
    ws.beginTimeline();
    QVERIFY2(rec.start(options(RecordingOptions::Format::Csv, dir.path()), &error), qPrintable(error));
    ws.runAll();
    QTRY_VERIFY_WITH_TIMEOUT(host->stats().samples >= 20, 20000);
    const double lost = SessionClock::now();
    InstrumentEvent e;
    e.kind = InstrumentEvent::Kind::ConnectionLost;
    e.time = lost;
    e.text = QStringLiteral("connection lost");
    host->postEvent(e);
    e.kind = InstrumentEvent::Kind::ConnectionRestored;
    e.time = lost + 1.5;
    host->postEvent(e);
    e.kind = InstrumentEvent::Kind::ConnectionLost;
    e.time = lost + 2.0; // still open when the recording ends
    host->postEvent(e);
    const quint64 before = host->stats().samples;
    QTRY_VERIFY_WITH_TIMEOUT(host->stats().samples >= before + 20, 20000);
    ws.stopAll();
    QTRY_COMPARE_WITH_TIMEOUT(host->state(), Instrument::State::Connected, 20000);
    QTest::qWait(50);
    rec.stop();
    ws.removeSink(&rec);
    const RecorderStats st = rec.stats();
    QCOMPARE(st.streams.size(), 1);
    QCOMPARE(st.streams[0].outages, quint64(2));
    QCOMPARE(st.streams[0].deviceLostSamples, quint64(0));
    QCOMPARE(st.streams[0].droppedSamples, quint64(0));
    // 1.5 s, plus the open one from lost + 2 to the Stop (which ends it), here at least 0.
    QVERIFY2(st.streams[0].outageSeconds >= 1.5 - 1e-9 && st.streams[0].outageSeconds < 1.5 + 60,
        qPrintable(QString::number(st.streams[0].outageSeconds)));
    const CsvFile c = readCsv(dir.filePath(QStringLiteral("dev1_wave.csv")));
    QVERIFY(!lineStartingWith(c.comments, QStringLiteral("# connection_lost at t=")).isEmpty());
    QVERIFY(!lineStartingWith(c.comments, QStringLiteral("# connection_restored at t=")).isEmpty());
    QVERIFY2(c.comments.last().contains(QStringLiteral(" device_lost=0 ")), qPrintable(c.comments.last()));
    QVERIFY2(c.comments.last().contains(QStringLiteral(" outages=2 ")), qPrintable(c.comments.last()));
    QString why;
    QVERIFY2(strictlyIncreasing(column(c, 0), &why), qPrintable(why));
}

QTEST_GUILESS_MAIN(TestRecordingTimeline)
#include "test_recording_timeline.moc"
