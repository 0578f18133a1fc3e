// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers shared by the recording tests: deterministic block feeds and independent readers
// (raw HDF5 C API, a plain CSV parser) used to check what the writers produced.

#include "Recorder.h"
#include "SampleBlock.h"

#include <hdf5.h>

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace bs::test {

inline StreamInfo stream(
    const QString &id, const QStringList &names, const QStringList &units, bool regular, double rate = 0)
{
    StreamInfo s;
    s.id = id;
    s.name = id + QStringLiteral(" stream");
    for (int i = 0; i < names.size(); ++i)
        s.channels.append({ names[i], units.value(i), QString(), true, SampleFormat() });
    s.regular = regular;
    s.nominalRate = rate;
    return s;
}

/// Random values including NaN, infinities, -0, denormals and long mantissas.
inline double randomValue(std::mt19937_64 &rng)
{
    std::uniform_int_distribution<int> pick(0, 19);
    switch (pick(rng)) {
    case 0:
        return std::numeric_limits<double>::quiet_NaN();
    case 1:
        return -0.0;
    case 2:
        return std::numeric_limits<double>::infinity();
    case 3:
        return std::numeric_limits<double>::denorm_min() * double(rng() % 1000);
    case 4:
        return double(std::int64_t(rng() % 20001) - 10000) / 10000.0;
    default: {
        std::uniform_real_distribution<double> d(-1e6, 1e6);
        return d(rng) * std::pow(10.0, double(int(rng() % 40)) - 20.0);
    }
    }
}

/// A regular block with t0 = base + firstIndex * dt (dt a power of two makes that exact).
inline MutableSampleBlockPtr regularBlock(std::mt19937_64 &rng, const QString &inst, const QString &id,
    int channels, std::size_t n, quint64 firstIndex, double dt, double base = 0)
{
    auto b = SampleBlock::make(inst, id, channels, n, false);
    b->firstIndex = firstIndex;
    b->dt = dt;
    b->t0 = base + double(firstIndex) * dt;
    for (int c = 0; c < b->channelCount; ++c)
        for (std::size_t i = 0; i < b->sampleCount; ++i)
            b->channel(c)[i] = randomValue(rng);
    return b;
}

inline MutableSampleBlockPtr irregularBlock(std::mt19937_64 &rng, const QString &inst, const QString &id,
    int channels, std::size_t n, quint64 firstIndex, double *t)
{
    auto b = SampleBlock::make(inst, id, channels, n, true);
    b->firstIndex = firstIndex;
    std::uniform_real_distribution<double> step(1e-7, 1e-2);
    for (std::size_t i = 0; i < n; ++i) {
        *t += step(rng);
        b->times[i] = *t;
    }
    b->t0 = n ? b->times[0] : *t;
    for (int c = 0; c < b->channelCount; ++c)
        for (std::size_t i = 0; i < b->sampleCount; ++i)
            b->channel(c)[i] = randomValue(rng);
    return b;
}

inline bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

/// CSV comparison: NaN compares equal to any NaN ("nan" in the file), else bit-exact.
inline bool sameCsvValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || sameBits(a, b);
}

/// A CSV time against the exact one: CSV times are rounded to 1 ns (csv::putTime), plus the
/// rounding of t0 + r*dt for regular streams.
inline bool sameCsvTime(double csv, double t)
{
    return std::abs(csv - t) <= 0.5e-9 + 8 * std::numeric_limits<double>::epsilon() * std::abs(t);
}

// ---- raw HDF5 readers ----

inline std::vector<double> readDoubles(hid_t file, const char *path)
{
    std::vector<double> out;
    hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
    if (ds < 0)
        return out;
    hid_t sp = H5Dget_space(ds);
    out.resize(std::size_t(H5Sget_simple_extent_npoints(sp)));
    if (!out.empty())
        H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
    H5Sclose(sp);
    H5Dclose(ds);
    return out;
}

/// Reads an N-field numeric compound dataset as rows of doubles (fields converted by HDF5).
inline std::vector<std::vector<double>> readTable(hid_t file, const char *path, const QStringList &fields)
{
    std::vector<std::vector<double>> rows;
    hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
    if (ds < 0)
        return rows;
    hid_t sp = H5Dget_space(ds);
    const auto n = std::size_t(H5Sget_simple_extent_npoints(sp));
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double) * std::size_t(fields.size()));
    for (int f = 0; f < fields.size(); ++f)
        H5Tinsert(mt, fields[f].toUtf8().constData(), sizeof(double) * std::size_t(f), H5T_NATIVE_DOUBLE);
    std::vector<double> flat(n * std::size_t(fields.size()));
    if (n)
        H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data());
    for (std::size_t r = 0; r < n; ++r)
        rows.emplace_back(flat.begin() + std::ptrdiff_t(r * fields.size()),
            flat.begin() + std::ptrdiff_t((r + 1) * fields.size()));
    H5Tclose(mt);
    H5Sclose(sp);
    H5Dclose(ds);
    return rows;
}

inline QString readStringAttr(hid_t file, const char *object, const char *name)
{
    hid_t a = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return QStringLiteral("<missing>");
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *p = nullptr;
    H5Aread(a, t, &p);
    const QString s = QString::fromUtf8(p);
    H5free_memory(p);
    H5Tclose(t);
    H5Aclose(a);
    return s;
}

inline double readNumberAttr(hid_t file, const char *object, const char *name)
{
    double v = NAN;
    hid_t a = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        H5Aread(a, H5T_NATIVE_DOUBLE, &v);
        H5Aclose(a);
    }
    return v;
}

/// Regular-stream times as a reader without BenchScope reconstructs them from `segments`.
inline std::vector<double> timesFromSegments(const std::vector<std::vector<double>> &segs, std::size_t rows)
{
    std::vector<double> t(rows);
    std::size_t s = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        while (s + 1 < segs.size() && segs[s + 1][0] <= double(r))
            ++s;
        t[r] = segs[s][2] + double(r - std::size_t(segs[s][0])) * segs[s][3];
    }
    return t;
}

// ---- CSV reader ----

struct CsvFile
{
    QStringList header; ///< leading comment lines
    QString columns; ///< the column line
    std::vector<std::vector<double>> rows;
    QStringList comments; ///< comment lines after the column line
    std::vector<std::size_t> commentRows; ///< data rows before each of those comments
};

inline CsvFile readCsv(const QString &path)
{
    CsvFile f;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return f;
    bool inHeader = true;
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        line.chop(line.endsWith('\n') ? 1 : 0);
        if (line.startsWith('#')) {
            if (inHeader) {
                f.header << QString::fromUtf8(line);
            } else {
                f.comments << QString::fromUtf8(line);
                f.commentRows.push_back(f.rows.size());
            }
        } else if (inHeader) {
            f.columns = QString::fromUtf8(line);
            inHeader = false;
        } else {
            std::vector<double> row;
            for (const QByteArray &field : line.split(','))
                row.push_back(std::strtod(field.constData(), nullptr));
            f.rows.push_back(std::move(row));
        }
    }
    return f;
}

// ---- misc ----

/// Collects a recorder's signals on the test's thread (queued), so they can be polled with QTRY_*.
class RecorderSignals : public QObject
{
public:
    explicit RecorderSignals(Recorder *recorder)
    {
        connect(
            recorder, &Recorder::errorOccurred, this, [this](const QString &m) { errors << m; },
            Qt::QueuedConnection);
        connect(
            recorder, &Recorder::stopped, this, [this] { ++stopped; }, Qt::QueuedConnection);
    }
    QStringList errors;
    int stopped = 0;
};

inline RecordingOptions options(RecordingOptions::Format format, const QString &path)
{
    RecordingOptions o;
    o.format = format;
    o.path = path;
    o.instruments = { { QStringLiteral("dev1"), QStringLiteral("sim"), QStringLiteral("Device One"),
        QStringLiteral("127.0.0.1:1") } };
    o.sessionSnapshot = "{\n  \"format\": \"benchscope-session\",\n  \"version\": 1\n}\n";
    o.flushIntervalS = 0.05;
    o.maxQueueSeconds = 0; // tests feed much faster than real time; the bound has its own test
    o.timeOrigin = 0; // file times = the blocks' session times (test_recording_timeline tests the origin)
    return o;
}

/// Options for a recording of one ADC-like instrument `inst` (a PicoScope's counts in the tests of the
/// overview and native types): session times as file times, a fixed wall-clock start, no queue bound.
inline RecordingOptions adcOptions(RecordingOptions::Format format, const QString &path, const QString &inst)
{
    RecordingOptions o;
    o.format = format;
    o.path = path;
    o.timeOrigin = 0;
    o.sessionStartWallMs = 1700000000000LL;
    o.maxQueueSeconds = 0; // the whole feed is queued at once
    o.instruments = { { inst, QStringLiteral("picoscope"), QStringLiteral("ADC"), QString() } };
    return o;
}

/// A python3 that can import h5py, or empty.
inline QString pythonWithH5py()
{
    QStringList candidates { QStringLiteral("/usr/bin/python3") };
    const QString inPath = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!inPath.isEmpty())
        candidates << inPath;
    for (const QString &py : candidates) {
        QProcess p;
        p.start(py, { QStringLiteral("-c"), QStringLiteral("import h5py") });
        if (p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return py;
    }
    return {};
}

} // namespace bs::test

namespace bs::test {

/// What a stream should contain after recording some blocks (times as SampleBlock::time()).
struct Expected
{
    std::vector<std::vector<double>> cols;
    std::vector<double> times;

    void add(const SampleBlock &b)
    {
        cols.resize(std::size_t(b.channelCount));
        for (int c = 0; c < b.channelCount; ++c)
            cols[std::size_t(c)].insert(
                cols[std::size_t(c)].end(), b.channel(c), b.channel(c) + b.sampleCount);
        for (std::size_t i = 0; i < b.sampleCount; ++i)
            times.push_back(b.time(i));
    }
};

/// Feeds `blocks` into a recorder started with `opts` (streams of dev1 announced first) and stops it.
inline bool record(const RecordingOptions &opts, const QVector<StreamInfo> &dev1,
    const std::vector<SampleBlockPtr> &blocks, RecorderStats *stats = nullptr)
{
    Recorder rec;
    rec.setStreams(QStringLiteral("dev1"), dev1);
    QString error;
    if (!rec.start(opts, &error)) {
        qWarning() << error;
        return false;
    }
    for (const auto &b : blocks)
        rec.consume(b);
    rec.stop();
    if (stats)
        *stats = rec.stats();
    return true;
}

} // namespace bs::test
