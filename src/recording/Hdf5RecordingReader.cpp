// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5RecordingReader.h"

#include "Hdf5Layout.h"
#include "Hdf5Overview.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace bs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bs::Hdf5RecordingReader", text);
}

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

bool readSlab(hid_t ds, hid_t memType, hsize_t first, hsize_t n, void *out)
{
    if (n == 0)
        return true;
    h5::Id mem = h5::space(H5Screate_simple(1, &n, nullptr));
    h5::Id file = h5::space(H5Dget_space(ds));
    return h5::check(file.valid())
        && h5::check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, &first, nullptr, &n, nullptr) >= 0)
        && h5::check(H5Dread(ds, memType, mem.get(), file.get(), H5P_DEFAULT, out) >= 0);
}

} // namespace

struct Hdf5RecordingReader::Open
{
    h5::Id file;
    /// Per stream: its channel datasets, then `time` for irregular streams.
    std::vector<std::vector<h5::Id>> datasets;
};

Hdf5RecordingReader::Hdf5RecordingReader() = default;

Hdf5RecordingReader::~Hdf5RecordingReader()
{
    close();
}

void Hdf5RecordingReader::close()
{
    h5::Lock lock;
    m_open.reset();
    m_streams.clear();
}

bool Hdf5RecordingReader::open(const QString &path, QString *error)
{
    close();
    h5::Lock lock;
    m_path = path;
    const QString nativeH5 = QDir::toNativeSeparators(path);
    auto fail = [&](const QString &message) {
        m_open.reset();
        m_streams.clear();
        if (error)
            *error = message;
        return false;
    };
    h5::errorText(); // forget earlier failures
    m_open = std::make_unique<Open>();
    m_open->file = h5::file(H5Fopen(path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (!h5::check(m_open->file.valid()))
        return fail(tr("Cannot open HDF5 file %1: %2").arg(nativeH5, h5::errorText()));
    const hid_t file = m_open->file.get();
    if (!h5::readAttribute(file, "start_time", &m_startTime)
        || !h5::readAttribute(file, "benchscope_version", &m_version)
        || !h5::readAttribute(file, "session", &m_session)) {
        h5::errorText();
        return fail(tr("%1 is not a BenchScope recording").arg(nativeH5));
    }
    m_formatVersion = 1;
    if (h5::hasAttribute(file, "format_version") && !h5::readAttribute(file, "format_version", &m_formatVersion))
        return fail(tr("%1: unreadable format_version").arg(nativeH5));
    if (m_formatVersion > h5::FormatVersion)
        return fail(tr("%1 has format version %2; this BenchScope reads versions up to %3")
                        .arg(nativeH5)
                        .arg(m_formatVersion)
                        .arg(h5::FormatVersion));
    m_timeOffset = NAN;
    m_sessionStartTime.clear();
    if (h5::hasAttribute(file, "session_time_offset") // format 2: times from the recording's start
        && (!h5::readAttribute(file, "session_time_offset", &m_timeOffset)
            || !h5::readAttribute(file, "session_start_time", &m_sessionStartTime))) {
        h5::errorText();
        return fail(tr("%1: unreadable session_time_offset or session_start_time").arg(nativeH5));
    }
    QStringList groups;
    for (const QString &inst : children(file)) {
        if (!isGroup(file, inst))
            continue;
        h5::Id g = h5::group(H5Gopen2(file, inst.toUtf8().constData(), H5P_DEFAULT));
        for (const QString &stream : children(g.get())) {
            h5::Id sg = isGroup(g.get(), stream)
                ? h5::group(H5Gopen2(g.get(), stream.toUtf8().constData(), H5P_DEFAULT))
                : h5::Id();
            if (sg.valid() && h5::hasAttribute(sg.get(), "order"))
                groups << QLatin1Char('/') + inst + QLatin1Char('/') + stream;
        }
    }
    for (const QString &g : std::as_const(groups)) {
        Stream s;
        QString why;
        if (!loadStream(g, &s, &why))
            return fail(tr("Cannot read %1 in %2: %3").arg(g, nativeH5, why.isEmpty() ? h5::errorText() : why));
        m_streams.append(s);
    }
    // Creation order; the datasets follow their streams.
    std::vector<int> idx(std::size_t(m_streams.size()));
    for (std::size_t i = 0; i < idx.size(); ++i)
        idx[i] = int(i);
    std::stable_sort(idx.begin(), idx.end(), [this](int a, int b) { return m_streams[a].order < m_streams[b].order; });
    QList<Stream> sorted;
    std::vector<std::vector<h5::Id>> datasets;
    for (int i : idx) {
        sorted.append(m_streams[i]);
        datasets.push_back(std::move(m_open->datasets[std::size_t(i)]));
    }
    m_streams = sorted;
    m_open->datasets = std::move(datasets);
    return true;
}

bool Hdf5RecordingReader::loadStream(const QString &path, Stream *s, QString *error)
{
    h5::Id g = h5::group(H5Gopen2(m_open->file.get(), path.toUtf8().constData(), H5P_DEFAULT));
    if (!h5::check(g.valid()))
        return false;
    const hid_t gid = g.get();
    s->group = path;
    qint64 generation = 1, regular = 0;
    QStringList columns, names, units;
    std::vector<h5::SegmentRecord> segments;
    std::vector<h5::EventRecord> events;
    bool ok = h5::readAttribute(gid, "instrument_id", &s->instrumentId)
        && h5::readAttribute(gid, "instrument_name", &s->instrumentName)
        && h5::readAttribute(gid, "instrument_type", &s->instrumentType)
        && h5::readAttribute(gid, "instrument_address", &s->instrumentAddress)
        && h5::readAttribute(gid, "stream_id", &s->streamId)
        && h5::readAttribute(gid, "stream_name", &s->streamName)
        && h5::readAttribute(gid, "generation", &generation) && h5::readAttribute(gid, "regular", &regular)
        && h5::readAttribute(gid, "order", &s->order) && h5::readAttribute(gid, "columns", &columns)
        && h5::readAttribute(gid, "channel_names", &names) && h5::readAttribute(gid, "channel_units", &units)
        && columns.size() == names.size()
        && readRecords(gid, h5::SegmentsDataset, h5::segmentType(false).get(), &segments)
        && readRecords(gid, h5::EventsDataset, h5::eventType(false).get(), &events)
        && readMarkers(gid, &s->markers);
    if (!ok)
        return false;
    s->generation = int(generation);
    s->regular = regular != 0;
    s->compression = QStringLiteral("none");
    if (h5::hasAttribute(gid, "compression") && !h5::readAttribute(gid, "compression", &s->compression))
        return false;
    if (!s->regular && h5::hasAttribute(gid, "time_channel")) { // version 4
        QString timeColumn;
        std::vector<h5::TimeOffsetRecord> offsets;
        if (!h5::readAttribute(gid, "time_channel", &timeColumn)
            || !readRecords(gid, h5::TimeOffsetsDataset, h5::timeOffsetType(false).get(), &offsets))
            return false;
        s->timeChannel = int(columns.indexOf(timeColumn));
        if (s->timeChannel < 0) {
            if (error)
                *error = tr("time_channel '%1' is not one of its columns").arg(timeColumn);
            return false;
        }
        for (const h5::TimeOffsetRecord &r : offsets)
            s->timeOffsets.emplace_back(r.fileRow, r.offset);
    }
    for (const h5::SegmentRecord &r : segments)
        s->segments.push_back({ r.fileRow, r.sampleIndex, r.t0, r.dt });
    for (const h5::EventRecord &e : events)
        s->events.push_back({ e.fileRow, e.time, e.sampleIndex, e.count, LossKind(e.kind) });
    std::vector<h5::Id> datasets;
    QStringList names2 = columns;
    if (!s->regular && s->timeChannel < 0)
        names2 << QString::fromLatin1(h5::TimeDataset);
    // Uncompressed chunks are read without HDF5's chunk cache: a read of a few rows (an
    // envelope's column ends) then reads those rows, not the whole chunk (up to 1 MiB) into the
    // cache. Compressed chunks must be decompressed whole, so there the cache stays.
    h5::Id dapl = h5::plist(H5Pcreate(H5P_DATASET_ACCESS));
    if (s->compression == QLatin1String("none"))
        H5Pset_chunk_cache(dapl.get(), 0, 0, 1.0);
    for (int c = 0; c < names2.size(); ++c) {
        h5::Id ds = h5::dataset(H5Dopen2(gid, names2[c].toUtf8().constData(), dapl.get()));
        h5::Id sp = h5::space(ds.valid() ? H5Dget_space(ds.get()) : H5I_INVALID_HID);
        h5::Id type = h5::type(ds.valid() ? H5Dget_type(ds.get()) : H5I_INVALID_HID);
        if (!h5::check(sp.valid() && type.valid()))
            return false;
        const quint64 n = quint64(H5Sget_simple_extent_npoints(sp.get()));
        s->rows = c == 0 ? n : std::min(s->rows, n);
        if (c < columns.size()) {
            Channel ch { names[c], units.value(c), columns[c], SampleFormat() };
            const std::optional<SampleType> t = h5::sampleTypeOfH5(type.get());
            if (!t) {
                if (error)
                    *error = tr("dataset %1 has a type that is not int8..int64, float32 or float64").arg(columns[c]);
                return false;
            }
            ch.format.type = *t;
            // Version 3: the conversion to engineering values; before, every channel is the value.
            if ((h5::hasAttribute(ds.get(), "scale") && !h5::readAttribute(ds.get(), "scale", &ch.format.scale))
                || (h5::hasAttribute(ds.get(), "offset")
                    && !h5::readAttribute(ds.get(), "offset", &ch.format.offset)))
                return false;
            s->channels.append(ch);
        }
        datasets.push_back(std::move(ds));
    }
    m_open->datasets.push_back(std::move(datasets));
    StreamRecordStats &t = s->totals;
    t.instrumentId = s->instrumentId;
    t.streamId = s->streamId;
    t.file = m_path;
    t.group = path;
    t.generation = s->generation;
    s->closed = h5::hasAttribute(gid, "samples");
    if (s->closed) {
        ok = h5::readAttribute(gid, "samples", &t.samples)
            && h5::readAttribute(gid, "dropped_samples", &t.droppedSamples)
            && h5::readAttribute(gid, "device_lost_samples", &t.deviceLostSamples)
            && h5::readAttribute(gid, "overflow_blocks", &t.overflowBlocks);
        if (ok && h5::hasAttribute(gid, "stops")) // format 2
            ok = h5::readAttribute(gid, "stops", &t.stops) && h5::readAttribute(gid, "restarts", &t.restarts)
                && h5::readAttribute(gid, "outages", &t.outages)
                && h5::readAttribute(gid, "outage_seconds", &t.outageSeconds);
    } else { // not closed properly: totals from what the file holds
        RunTally tally;
        for (const MarkerEvent &m : s->markers)
            tally.apply(m.kind, m.time, t);
        t.samples = s->rows;
        for (const LossEvent &e : s->events)
            countLoss(e, t);
    }
    return ok;
}

bool Hdf5RecordingReader::readRaw(int stream, int channel, quint64 first, quint64 n, void *out, QString *error) const
{
    h5::Lock lock;
    if (!m_open || stream < 0 || stream >= m_streams.size() || channel < 0
        || channel >= m_streams[stream].channels.size() || first + n > m_streams[stream].rows) {
        if (error)
            *error = tr("Internal error: no rows %1..%2 of channel %3 in stream %4").arg(first).arg(first + n).arg(channel).arg(stream);
        return false;
    }
    const hid_t ds = m_open->datasets[std::size_t(stream)][std::size_t(channel)].get();
    if (readSlab(ds, h5::memType(m_streams[stream].channels[channel].format.type), first, n, out))
        return true;
    if (error)
        *error = tr("Cannot read %1/%2 in %3: %4")
                     .arg(m_streams[stream].group, m_streams[stream].channels[channel].dataset,
                         QDir::toNativeSeparators(m_path), h5::errorText());
    return false;
}

bool Hdf5RecordingReader::readValues(int stream, int channel, quint64 first, quint64 n, double *out, QString *error) const
{
    const SampleFormat f = stream >= 0 && stream < m_streams.size() && channel >= 0
            && channel < m_streams[stream].channels.size()
        ? m_streams[stream].channels[channel].format
        : SampleFormat();
    if (f.isPlainDouble())
        return readRaw(stream, channel, first, n, out, error);
    std::vector<std::byte> raw(std::size_t(n) * sampleTypeSize(f.type));
    if (!readRaw(stream, channel, first, n, raw.data(), error))
        return false;
    visitSampleType(f.type, [&](auto tag) {
        using T = decltype(tag);
        const T *r = reinterpret_cast<const T *>(raw.data());
        for (quint64 i = 0; i < n; ++i)
            out[i] = f.toValue(r[i]);
    });
    return true;
}

bool Hdf5RecordingReader::readValuesAt(
    int stream, int channel, const std::vector<quint64> &rows, double *out, QString *error) const
{
    h5::Lock lock;
    if (!m_open || stream < 0 || stream >= m_streams.size() || channel < 0
        || channel >= m_streams[stream].channels.size()
        || std::any_of(rows.begin(), rows.end(), [&](quint64 r) { return r >= m_streams[stream].rows; })) {
        if (error)
            *error = tr("Internal error: a row beyond channel %1 of stream %2").arg(channel).arg(stream);
        return false;
    }
    if (rows.empty())
        return true;
    const SampleFormat f = m_streams[stream].channels[channel].format;
    const hid_t ds = m_open->datasets[std::size_t(stream)][std::size_t(channel)].get();
    std::vector<hsize_t> coords(rows.begin(), rows.end());
    const hsize_t n = coords.size();
    std::vector<std::byte> raw(std::size_t(n) * sampleTypeSize(f.type));
    h5::Id mem = h5::space(H5Screate_simple(1, &n, nullptr));
    h5::Id file = h5::space(H5Dget_space(ds));
    if (!h5::check(file.valid()) || !h5::check(H5Sselect_elements(file.get(), H5S_SELECT_SET, n, coords.data()) >= 0)
        || !h5::check(H5Dread(ds, h5::memType(f.type), mem.get(), file.get(), H5P_DEFAULT, raw.data()) >= 0)) {
        if (error)
            *error = tr("Cannot read %1/%2 in %3: %4")
                         .arg(m_streams[stream].group, m_streams[stream].channels[channel].dataset,
                             QDir::toNativeSeparators(m_path), h5::errorText());
        return false;
    }
    visitSampleType(f.type, [&](auto tag) {
        using T = decltype(tag);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            T v;
            std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
            out[i] = f.toValue(v);
        }
    });
    return true;
}

bool Hdf5RecordingReader::readOverviewLevel(
    int stream, int level, std::vector<double> *nodes, bool *present, QString *error) const
{
    h5::Lock lock;
    *present = false;
    if (!m_open || stream < 0 || stream >= m_streams.size())
        return false;
    const Stream &s = m_streams[stream];
    h5::Id g = h5::group(H5Gopen2(m_open->file.get(), s.group.toUtf8().constData(), H5P_DEFAULT));
    if (!h5::check(g.valid())) {
        if (error)
            *error = tr("Cannot open %1 in %2: %3").arg(s.group, QDir::toNativeSeparators(m_path), h5::errorText());
        return false;
    }
    h5::readOverviewLevel(g.get(), level, int(s.channels.size()), nodes, present);
    h5::errorText(); // an absent overview is no error
    return true;
}

bool Hdf5RecordingReader::readTimes(int stream, quint64 first, quint64 n, double *out, QString *error) const
{
    h5::Lock lock;
    if (!m_open || stream < 0 || stream >= m_streams.size() || first + n > m_streams[stream].rows) {
        if (error)
            *error = tr("Internal error: no rows %1..%2 in stream %3").arg(first).arg(first + n).arg(stream);
        return false;
    }
    const Stream &s = m_streams[stream];
    if (s.timeChannel >= 0) {
        // As the driver computed them (value, then + offset) and the writer stored them (− origin).
        if (!readValues(stream, s.timeChannel, first, n, out, error))
            return false;
        const double origin = std::isfinite(m_timeOffset) ? m_timeOffset : 0.0;
        std::size_t k = 0;
        for (quint64 i = 0; i < n; ++i) {
            const quint64 row = first + i;
            while (k + 1 < s.timeOffsets.size() && s.timeOffsets[k + 1].first <= row)
                ++k;
            out[i] = k < s.timeOffsets.size() && s.timeOffsets[k].first <= row ? (out[i] + s.timeOffsets[k].second) - origin
                                                                               : NAN;
        }
        return true;
    }
    if (!s.regular) {
        if (readSlab(m_open->datasets[std::size_t(stream)].back().get(), H5T_NATIVE_DOUBLE, first, n, out))
            return true;
        if (error)
            *error = tr("Cannot read %1/time in %2: %3").arg(s.group, QDir::toNativeSeparators(m_path), h5::errorText());
        return false;
    }
    std::size_t seg = 0;
    for (quint64 i = 0; i < n; ++i) {
        const quint64 row = first + i;
        while (seg + 1 < s.segments.size() && s.segments[seg + 1].fileRow <= row)
            ++seg;
        out[i] = seg < s.segments.size() ? segmentTime(s.segments[seg], row) : NAN;
    }
    return true;
}

} // namespace bs
