// SPDX-License-Identifier: GPL-3.0-or-later
#include "CsvExport.h"

#include "CsvFormat.h"
#include "Hdf5Layout.h"
#include "RecordingNames.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace bs {

namespace {

constexpr hsize_t SlabRows = 64 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::CsvExport", text);
}

struct StreamGroup
{
    QString path;
    qint64 order = 0;
};

struct Source
{
    QString h5Path;
    QByteArray session;
    QString startTime, version;
    QString sessionStartTime; ///< format 2
    double timeOffset = NAN;  ///< format 2
};

herr_t collectChildren(hid_t, const char *name, const H5L_info_t *, void *data)
{
    static_cast<QStringList *>(data)->append(QString::fromUtf8(name));
    return 0;
}

QStringList children(hid_t group)
{
    QStringList names;
    hsize_t idx = 0;
    H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, collectChildren, &names);
    return names;
}

bool isGroup(hid_t parent, const QString &name)
{
    H5O_info_t info;
    return H5Oget_info_by_name(parent, name.toUtf8().constData(), &info, H5P_DEFAULT) >= 0
        && info.type == H5O_TYPE_GROUP;
}

QList<StreamGroup> streamGroups(hid_t file)
{
    QList<StreamGroup> out;
    for (const QString &inst : children(file)) {
        if (!isGroup(file, inst))
            continue;
        h5::Id g = h5::group(H5Gopen2(file, inst.toUtf8().constData(), H5P_DEFAULT));
        for (const QString &stream : children(g.get())) {
            if (!isGroup(g.get(), stream))
                continue;
            h5::Id sg = h5::group(H5Gopen2(g.get(), stream.toUtf8().constData(), H5P_DEFAULT));
            StreamGroup s { QLatin1Char('/') + inst + QLatin1Char('/') + stream, 0 };
            if (h5::hasAttribute(sg.get(), "order") && h5::readAttribute(sg.get(), "order", &s.order))
                out.append(s);
        }
    }
    std::stable_sort(
        out.begin(), out.end(), [](const StreamGroup &a, const StreamGroup &b) { return a.order < b.order; });
    return out;
}

template <typename T> bool readRecords(hid_t group, const char *name, hid_t memType, std::vector<T> *out)
{
    h5::Id ds = h5::dataset(H5Dopen2(group, name, H5P_DEFAULT));
    h5::Id sp = h5::space(ds.valid() ? H5Dget_space(ds.get()) : H5I_INVALID_HID);
    if (!sp.valid())
        return false;
    out->resize(std::size_t(H5Sget_simple_extent_npoints(sp.get())));
    return out->empty() || H5Dread(ds.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, out->data()) >= 0;
}

/// The `markers` dataset (absent in recordings made before it existed: then none).
bool readMarkers(hid_t group, std::vector<MarkerEvent> *out)
{
    if (H5Lexists(group, h5::MarkersDataset, H5P_DEFAULT) <= 0)
        return true;
    std::vector<h5::MarkerRecord> records;
    h5::Id memType = h5::markerType(false);
    h5::Id ds = h5::dataset(H5Dopen2(group, h5::MarkersDataset, H5P_DEFAULT));
    h5::Id sp = h5::space(ds.valid() ? H5Dget_space(ds.get()) : H5I_INVALID_HID);
    if (!sp.valid())
        return false;
    records.resize(std::size_t(H5Sget_simple_extent_npoints(sp.get())));
    if (records.empty())
        return true;
    if (H5Dread(ds.get(), memType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, records.data()) < 0)
        return false;
    for (const h5::MarkerRecord &r : records)
        out->push_back({ r.fileRow, r.time, r.kind, QByteArray(r.info ? r.info : "") });
    H5Dvlen_reclaim(memType.get(), sp.get(), H5P_DEFAULT, records.data());
    return true;
}

bool readSlab(hid_t ds, hsize_t first, hsize_t n, double *out)
{
    h5::Id mem = h5::space(H5Screate_simple(1, &n, nullptr));
    h5::Id file = h5::space(H5Dget_space(ds));
    return file.valid() && H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, &first, nullptr, &n, nullptr) >= 0
        && H5Dread(ds, H5T_NATIVE_DOUBLE, mem.get(), file.get(), H5P_DEFAULT, out) >= 0;
}

/// Everything of one stream group needed to write its CSV.
struct StreamData
{
    CsvHeaderInfo header;
    std::vector<h5::Id> columns; ///< channels, then `time` for irregular streams
    hsize_t rows = 0;
    std::vector<h5::SegmentRecord> segments;
    std::vector<h5::EventRecord> events;
    std::vector<MarkerEvent> markers;
    StreamRecordStats totals;
};

bool loadStream(hid_t file, const QString &path, const Source &src, StreamData *d)
{
    h5::Lock lock;
    h5::Id g = h5::group(H5Gopen2(file, path.toUtf8().constData(), H5P_DEFAULT));
    if (!g.valid())
        return false;
    const hid_t gid = g.get();
    CsvHeaderInfo &h = d->header;
    h.version = src.version;
    h.startTime = src.startTime;
    h.sessionStartTime = src.sessionStartTime;
    h.timeOffset = src.timeOffset;
    h.session = src.session;
    qint64 generation = 1, regular = 0;
    QStringList columns;
    bool ok = h5::readAttribute(gid, "instrument_id", &h.instrumentId)
        && h5::readAttribute(gid, "instrument_name", &h.instrumentName)
        && h5::readAttribute(gid, "instrument_type", &h.instrumentType)
        && h5::readAttribute(gid, "instrument_address", &h.instrumentAddress)
        && h5::readAttribute(gid, "stream_id", &h.streamId)
        && h5::readAttribute(gid, "stream_name", &h.streamName)
        && h5::readAttribute(gid, "generation", &generation) && h5::readAttribute(gid, "regular", &regular)
        && h5::readAttribute(gid, "columns", &columns) && h5::readAttribute(gid, "channel_names", &h.names)
        && h5::readAttribute(gid, "channel_units", &h.units) && columns.size() == h.names.size()
        && readRecords(gid, h5::SegmentsDataset, h5::segmentType(false).get(), &d->segments)
        && readRecords(gid, h5::EventsDataset, h5::eventType(false).get(), &d->events)
        && readMarkers(gid, &d->markers);
    h.generation = int(generation);
    h.regular = regular != 0;
    if (!h.regular)
        columns << QString::fromLatin1(h5::TimeDataset);
    for (int c = 0; ok && c < columns.size(); ++c) {
        d->columns.push_back(h5::dataset(H5Dopen2(gid, columns[c].toUtf8().constData(), H5P_DEFAULT)));
        h5::Id sp
            = h5::space(d->columns.back().valid() ? H5Dget_space(d->columns.back().get()) : H5I_INVALID_HID);
        ok = sp.valid();
        const hsize_t n = ok ? hsize_t(H5Sget_simple_extent_npoints(sp.get())) : 0;
        d->rows = c == 0 ? n : std::min(d->rows, n);
    }
    StreamRecordStats &t = d->totals;
    const bool closed = h5::hasAttribute(gid, "samples");
    if (ok && closed) {
        ok = h5::readAttribute(gid, "samples", &t.samples)
            && h5::readAttribute(gid, "dropped_samples", &t.droppedSamples)
            && h5::readAttribute(gid, "device_lost_samples", &t.deviceLostSamples)
            && h5::readAttribute(gid, "overflow_blocks", &t.overflowBlocks);
        if (ok && h5::hasAttribute(gid, "stops")) // format 2
            ok = h5::readAttribute(gid, "stops", &t.stops) && h5::readAttribute(gid, "restarts", &t.restarts)
                && h5::readAttribute(gid, "outages", &t.outages)
                && h5::readAttribute(gid, "outage_seconds", &t.outageSeconds);
    } else if (ok) { // not closed properly: totals from what the file holds
        RunTally tally;
        for (const MarkerEvent &m : d->markers)
            tally.apply(m.kind, m.time, t);
        t.samples = d->rows;
        for (const h5::EventRecord &e : d->events) {
            if (e.kind == qint32(LossKind::QueueOverflow))
                t.droppedSamples += e.count;
            else if (e.kind == qint32(LossKind::DeviceLost) || e.kind == qint32(LossKind::IndexGap))
                t.deviceLostSamples += e.count;
            else if (e.kind == qint32(LossKind::DeviceOverflow))
                ++t.overflowBlocks;
        }
    }
    return ok;
}

class CsvOut
{
public:
    explicit CsvOut(const QString &path)
        : m_file(path)
    {
    }
    bool open() { return m_file.open(QIODevice::WriteOnly | QIODevice::Truncate); }
    CsvBuffer &text() { return m_text; }
    bool put(bool force = false)
    {
        if (!force && m_text.size() < (1u << 20))
            return true;
        const bool ok = m_file.write(m_text.data(), qint64(m_text.size())) == qint64(m_text.size());
        m_text.clear();
        return ok;
    }
    bool finish() { return put(true) && m_file.flush(); }
    QString errorString() const { return m_file.errorString(); }

private:
    QFile m_file;
    CsvBuffer m_text { (1 << 20) + (1 << 16) };
};

/// Appends rows [first, end) whose values start at `cols` (regular: times from the segments).
void appendRange(CsvBuffer &out, const StreamData &d, const std::vector<const double *> &cols, int channels,
    hsize_t first, hsize_t end, std::size_t *seg)
{
    const double *times = d.header.regular ? nullptr : cols.back();
    if (times) {
        csv::appendRows(out, cols.data(), channels, end - first, times, Segment(), first);
        return;
    }
    for (hsize_t row = first; row < end;) {
        while (*seg + 1 < d.segments.size() && d.segments[*seg + 1].fileRow <= row)
            ++*seg;
        const hsize_t pieceEnd
            = *seg + 1 < d.segments.size() ? std::min<hsize_t>(end, d.segments[*seg + 1].fileRow) : end;
        Segment s;
        if (*seg < d.segments.size()) {
            const h5::SegmentRecord &r = d.segments[*seg];
            s = { r.fileRow, r.sampleIndex, r.t0, r.dt };
        }
        std::vector<const double *> piece(cols.size());
        for (std::size_t c = 0; c < cols.size(); ++c)
            piece[c] = cols[c] + (row - first);
        csv::appendRows(out, piece.data(), channels, pieceEnd - row, nullptr, s, row);
        row = pieceEnd;
    }
}

/// Writes the comment lines stored before `row` (all of them when `row` is past the end):
/// markers first, then losses — the order CsvWriter writes them in.
void appendComments(CsvBuffer &out, const StreamData &d, quint64 row, std::size_t *mk, std::size_t *ev)
{
    for (; *mk < d.markers.size() && d.markers[*mk].fileRow <= row; ++*mk)
        csv::appendMarker(out, d.markers[*mk]);
    for (; *ev < d.events.size() && d.events[*ev].fileRow <= row; ++*ev) {
        const h5::EventRecord &e = d.events[*ev];
        csv::appendEvent(out, { e.fileRow, e.time, e.sampleIndex, e.count, LossKind(e.kind) });
    }
}

bool writeStream(const StreamData &d, CsvOut &out)
{
    csv::appendHeader(out.text(), d.header);
    const int channels = int(d.header.names.size());
    std::vector<std::vector<double>> buffers(d.columns.size());
    std::vector<const double *> cols(d.columns.size());
    std::size_t ev = 0, mk = 0, seg = 0;
    for (hsize_t row = 0; row < d.rows;) {
        appendComments(out.text(), d, row, &mk, &ev);
        hsize_t end = std::min<hsize_t>(d.rows, row + SlabRows);
        if (ev < d.events.size())
            end = std::min<hsize_t>(end, d.events[ev].fileRow);
        if (mk < d.markers.size())
            end = std::min<hsize_t>(end, d.markers[mk].fileRow);
        {
            h5::Lock lock;
            for (std::size_t c = 0; c < d.columns.size(); ++c) {
                buffers[c].resize(end - row);
                if (!readSlab(d.columns[c].get(), row, end - row, buffers[c].data()))
                    return false;
                cols[c] = buffers[c].data();
            }
        }
        appendRange(out.text(), d, cols, channels, row, end, &seg);
        if (!out.put())
            return false;
        row = end;
    }
    appendComments(out.text(), d, std::numeric_limits<quint64>::max(), &mk, &ev);
    csv::appendEnd(out.text(), d.totals);
    return out.finish();
}

} // namespace

bool exportCsv(const QString &h5Path, const QString &outDir, QStringList *writtenFiles, QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const QString nativeH5 = QDir::toNativeSeparators(h5Path);
    Source src;
    src.h5Path = h5Path;
    h5::Id file;
    QList<StreamGroup> groups;
    {
        h5::Lock lock;
        h5::errorText(); // forget earlier failures
        file = h5::file(H5Fopen(h5Path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT));
        if (!h5::check(file.valid()))
            return fail(tr("Cannot open HDF5 file %1: %2").arg(nativeH5, h5::errorText()));
        if (!h5::readAttribute(file.get(), "start_time", &src.startTime)
            || !h5::readAttribute(file.get(), "benchscope_version", &src.version)
            || !h5::readAttribute(file.get(), "session", &src.session)) {
            h5::errorText();
            return fail(tr("%1 is not a BenchScope recording").arg(nativeH5));
        }
        if (h5::hasAttribute(file.get(), "session_time_offset") // format 2: times from the recording's start
            && (!h5::readAttribute(file.get(), "session_time_offset", &src.timeOffset)
                || !h5::readAttribute(file.get(), "session_start_time", &src.sessionStartTime))) {
            h5::errorText();
            return fail(tr("%1: unreadable session_time_offset or session_start_time").arg(nativeH5));
        }
        groups = streamGroups(file.get());
    }
    if (!QDir().mkpath(outDir))
        return fail(tr("Cannot create the directory %1").arg(QDir::toNativeSeparators(outDir)));
    NameAllocator names;
    for (const StreamGroup &g : std::as_const(groups)) {
        StreamData d;
        if (!loadStream(file.get(), g.path, src, &d)) {
            h5::Lock lock;
            return fail(tr("Cannot read %1 in %2: %3").arg(g.path, nativeH5, h5::errorText()));
        }
        const QString path = QDir(outDir).filePath(
            names.take(csvBaseName(d.header.instrumentId, d.header.streamId, d.header.generation))
            + QStringLiteral(".csv"));
        CsvOut out(path);
        if (!out.open())
            return fail(tr("Cannot create %1: %2").arg(QDir::toNativeSeparators(path), out.errorString()));
        if (!writeStream(d, out)) {
            h5::Lock lock;
            const QString reason
                = out.errorString().isEmpty() || out.errorString() == QLatin1String("Unknown error")
                ? h5::errorText()
                : out.errorString();
            return fail(tr("Cannot export %1 to %2: %3").arg(g.path, QDir::toNativeSeparators(path), reason));
        }
        if (writtenFiles)
            writtenFiles->append(path);
    }
    h5::Lock lock;
    file.close();
    return true;
}

} // namespace bs
