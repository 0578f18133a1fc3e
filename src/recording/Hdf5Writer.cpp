// SPDX-License-Identifier: GPL-3.0-or-later
#include "Hdf5Writer.h"

#include "Hdf5Overview.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <limits>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("bs::Hdf5Writer", text);
}

/// A NaN of the type (integers have none: 0), for channels a block lacks.
void fillMissing(std::byte *at, std::size_t n, SampleType t)
{
    visitSampleType(t, [&](auto tag) {
        using T = decltype(tag);
        T v {};
        if constexpr (std::is_floating_point_v<T>)
            v = std::numeric_limits<T>::quiet_NaN();
        for (std::size_t i = 0; i < n; ++i)
            std::memcpy(at + i * sizeof(T), &v, sizeof(T));
    });
}
} // namespace

Hdf5Writer::~Hdf5Writer()
{
    h5::Lock lock;
    m_streams.clear();
    m_file.close();
}

bool Hdf5Writer::failed(QString *error)
{
    const QString reason = m_full && !m_fullReason.isEmpty() ? m_fullReason : h5::errorText();
    if (error)
        *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(m_path), reason);
    return false;
}

bool Hdf5Writer::open(const RecordingOptions &options, QString *error)
{
    h5::Lock lock;
    m_path = QFileInfo(options.path).absoluteFilePath();
    m_origin = std::isfinite(options.timeOrigin) ? options.timeOrigin : 0.0;
    m_compression = options.compression;
    m_compressionLevel = std::clamp(options.compressionLevel, 1, 9);
    if (m_compression == RecordingOptions::Compression::Lz4 && !h5::lz4Available()) {
        if (error)
            *error = tr("Cannot write %1: LZ4 compression needs the HDF5 LZ4 filter plugin (Debian package "
                        "hdf5-filter-plugin), which HDF5 could not load")
                         .arg(QDir::toNativeSeparators(m_path));
        return false;
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    const bool existed = QFileInfo::exists(m_path);
    h5::Id fapl = h5::plist(H5Pcreate(H5P_FILE_ACCESS));
    // Readable by HDF5 1.8 (older MATLAB); chunks aligned to 4 KiB pages.
    H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18);
    H5Pset_alignment(fapl.get(), 64 * 1024, 4096);
    // Metadata is written only by H5Fflush: the cache never evicts a dirty entry in between, so
    // the file on disk stays as it was at the last flush (plus raw data in space it does not use).
    H5AC_cache_config_t mdc {};
    mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    if (H5Pget_mdc_config(fapl.get(), &mdc) >= 0) {
        mdc.evictions_enabled = false;
        mdc.incr_mode = H5C_incr__off;
        mdc.flash_incr_mode = H5C_flash_incr__off;
        mdc.decr_mode = H5C_decr__off;
        H5Pset_mdc_config(fapl.get(), &mdc);
    }
    m_file = h5::file(H5Fcreate(m_path.toLocal8Bit().constData(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()));
    auto fail = [&](const QString &message) {
        m_file.close();
        m_fd = -1;
        if (!existed) // only a file we created (HDF5 may have left it empty or half-written)
            QFile::remove(m_path);
        if (error)
            *error = message;
        return false;
    };
    if (!h5::check(m_file.valid()))
        return fail(tr("Cannot create HDF5 file %1: %2").arg(QDir::toNativeSeparators(m_path), h5::errorText()));
    void *handle = nullptr;
    if (H5Fget_vfd_handle(m_file.get(), H5P_DEFAULT, &handle) >= 0 && handle)
        m_fd = *static_cast<int *>(handle);
    m_segmentMemType = h5::segmentType(false);
    m_segmentFileType = h5::segmentType(true);
    m_timeOffsetMemType = h5::timeOffsetType(false);
    m_timeOffsetFileType = h5::timeOffsetType(true);
    m_eventMemType = h5::eventType(false);
    m_eventFileType = h5::eventType(true);
    m_markerMemType = h5::markerType(false);
    m_markerFileType = h5::markerType(true);
    const hid_t root = m_file.get();
    if (!reserve(0) || !h5::writeAttribute(root, "session", options.sessionSnapshot)
        || !h5::writeAttribute(root, "start_time", isoUtc(options.startWallMs()))
        || !h5::writeAttribute(root, "session_start_time", isoUtc(options.sessionStartWallMs))
        || !h5::writeAttribute(root, "session_time_offset", m_origin)
        || !h5::writeAttribute(root, "benchscope_version", benchScopeVersion())
        || !h5::writeAttribute(root, "format", QString::fromLatin1(h5::FormatName))
        || !h5::writeAttribute(root, "format_version", h5::FormatVersion) || !flushFile()) {
        QString message;
        failed(&message);
        return fail(message);
    }
    return true;
}

hsize_t Hdf5Writer::closeReserve() const
{
    // Totals, events, markers and the final metadata of every stream, with a wide margin.
    hsize_t overview = 0; // the partial node of every overview level, each maybe in a new chunk
    for (const auto &s : m_streams)
        overview += overviewBytes(*s, 0);
    return (1 << 20) + hsize_t(m_streams.size()) * (256 << 10) + overview;
}

hsize_t Hdf5Writer::overviewBytes(const Stream &s, hsize_t n) const
{
    const int channels = s.overview.channels();
    const hsize_t chunkBytes = h5::overviewChunkNodes(channels) * 16 * hsize_t(channels) + 4096;
    hsize_t bytes = 0;
    for (int k = 0; k < OverviewAccumulator::StoredLevels; ++k) {
        const hsize_t per = OverviewAccumulator::rowsPerNode(k);
        const hsize_t nodes = (s.rows + n) / per - s.rows / per;
        bytes += (nodes / h5::overviewChunkNodes(channels) + 1) * chunkBytes;
    }
    return bytes;
}

bool Hdf5Writer::reserve(hsize_t ahead)
{
    if (m_full)
        return false;
    if (m_fd < 0 || m_frozen)
        return true;
    haddr_t eoa = 0;
    struct stat st {};
    if (H5Fget_eoa(m_file.get(), &eoa) < 0 || ::fstat(m_fd, &st) != 0)
        return true; // cannot tell: HDF5 reports a failure itself if it comes
    const hsize_t need = hsize_t(eoa) + ahead + closeReserve();
    const hsize_t size = hsize_t(st.st_size);
    if (size >= need)
        return true;
    // Reserve well beyond the need so that this is rare; when that is refused, exactly the need.
    int e = 0;
    for (const hsize_t target : { need + std::max(ahead, ReserveStep), need }) {
        do
            e = ::posix_fallocate(m_fd, off_t(size), off_t(target - size));
        while (e == EINTR);
        if (e == 0)
            return true;
        if (e == EOPNOTSUPP || e == ENODEV || e == ESPIPE) { // no reservation here: rely on checks
            m_fd = -1;
            return true;
        }
    }
    m_full = true;
    m_fullReason = tr("%1 (no room for the next %2 MiB; the file is closed with what was written)")
                       .arg(QString::fromLocal8Bit(std::strerror(e)))
                       .arg(double(need - size) / double(1 << 20), 0, 'f', 1);
    return false;
}

void Hdf5Writer::freeze()
{
    if (m_frozen)
        return;
    m_frozen = true;
    if (m_fd < 0)
        return;
    // Replace HDF5's descriptor by a read-only one: its later writes (metadata at close) fail
    // instead of mixing a half-written state into the last complete flush.
    const int readOnly = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC);
    if (readOnly >= 0) {
        ::dup2(readOnly, m_fd);
        ::close(readOnly);
    }
}

bool Hdf5Writer::flushFile()
{
    if (!h5::check(H5Fflush(m_file.get(), H5F_SCOPE_GLOBAL) >= 0)) {
        freeze();
        return false;
    }
    for (auto &s : m_streams)
        s->flushedRows = s->rows;
    hsize_t size = 0;
    if (H5Fget_filesize(m_file.get(), &size) >= 0)
        m_fileBytes = qint64(size);
    return reserve(0); // H5Fflush truncates the file to its allocated space: renew the close reserve
}

quint64 Hdf5Writer::rowsOnDisk(int handle) const
{
    if (handle < 0 || std::size_t(handle) >= m_streams.size())
        return 0;
    // Rows still buffered will be written by finishStream()/close() unless the file is full.
    const Stream &s = *m_streams[std::size_t(handle)];
    return m_frozen ? s.flushedRows : m_full ? s.rows : s.rows + buffered(s);
}

hsize_t Hdf5Writer::bytesFor(const Stream &s, hsize_t n) const
{
    if (n == 0)
        return 0;
    // Whole chunks are allocated (each aligned to 4 KiB), plus index and dataspace metadata.
    const hsize_t chunks = (s.rows + n + s.chunk - 1) / s.chunk - s.rows / s.chunk;
    hsize_t bytes = 0;
    for (const Column &c : s.columns) // compressed chunks can be slightly larger than raw ones
        bytes += chunks * ((s.chunk * c.elemSize + s.chunk / 64 + 4095) / 4096 * 4096 + 4096) + 4096;
    return bytes + overviewBytes(s, n);
}

h5::Id Hdf5Writer::createDataset(hid_t group, const char *name, hid_t fileType, hsize_t chunk, bool compress)
{
    const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
    h5::Id space = h5::space(H5Screate_simple(1, &zero, &unlimited));
    h5::Id dcpl = h5::plist(H5Pcreate(H5P_DATASET_CREATE));
    H5Pset_chunk(dcpl.get(), 1, &chunk);
    if (compress && m_compression != RecordingOptions::Compression::None) {
        H5Pset_shuffle(dcpl.get());
        if (m_compression == RecordingOptions::Compression::Deflate)
            H5Pset_deflate(dcpl.get(), unsigned(m_compressionLevel));
        else
            H5Pset_filter(dcpl.get(), h5::Lz4Filter, H5Z_FLAG_MANDATORY, 0, nullptr);
    }
    if (H5Tdetect_class(fileType, H5T_VLEN) <= 0 && H5Tdetect_class(fileType, H5T_STRING) <= 0)
        H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER); // HDF5 refuses "never" for variable-length data
    h5::Id dapl = h5::plist(H5Pcreate(H5P_DATASET_ACCESS));
    H5Pset_chunk_cache(dapl.get(), 521, 0, 1.0);
    h5::Id d
        = h5::dataset(H5Dcreate2(group, name, fileType, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()));
    h5::check(d.valid());
    return d;
}

bool Hdf5Writer::createGroup(const QString &path, const StreamHeader &h, Stream &s, QString *error)
{
    s.groupId = h5::group(
        H5Gcreate2(m_file.get(), path.toUtf8().constData(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (!h5::check(s.groupId.valid()))
        return failed(error);
    const hid_t g = s.groupId.get();
    QStringList columns, names, units;
    NameAllocator datasetNames({ QString::fromLatin1(h5::TimeDataset),
        QString::fromLatin1(h5::SegmentsDataset), QString::fromLatin1(h5::TimeOffsetsDataset),
        QString::fromLatin1(h5::EventsDataset),
        QString::fromLatin1(h5::MarkersDataset) });
    for (int c = 0; c < h.stream.channels.size(); ++c) {
        const ChannelInfo &ch = h.stream.channels[c];
        columns << datasetNames.take(
            sanitizeH5Name(ch.name.isEmpty() ? QStringLiteral("ch%1").arg(c + 1) : ch.name));
        names << ch.name;
        units << ch.unit;
    }
    bool ok = h5::writeAttribute(g, "instrument_id", h.instrument.id)
        && h5::writeAttribute(g, "instrument_name", h.instrument.name)
        && h5::writeAttribute(g, "instrument_type", h.instrument.type)
        && h5::writeAttribute(g, "instrument_address", h.instrument.address)
        && h5::writeAttribute(g, "stream_id", h.stream.id)
        && h5::writeAttribute(g, "stream_name", h.stream.name)
        && h5::writeAttribute(g, "generation", qint64(h.generation))
        && h5::writeAttribute(g, "order", qint64(h.order))
        && h5::writeAttribute(g, "regular", qint64(h.stream.regular ? 1 : 0))
        && h5::writeAttribute(g, "nominal_rate", h.stream.nominalRate)
        && h5::writeAttribute(g, "columns", columns) && h5::writeAttribute(g, "channel_names", names)
        && h5::writeAttribute(g, "channel_units", units)
        && h5::writeAttribute(g, "compression", compressionName(m_compression))
        && (!h.stream.regular || h5::writeAttribute(g, "dt", h.dt))
        && (s.timeChannel < 0 || h5::writeAttribute(g, "time_channel", columns[s.timeChannel]));
    for (int c = 0; ok && c < columns.size(); ++c) {
        Column col;
        const ChannelInfo &ch = h.stream.channels[c];
        col.type = ch.format.type;
        col.elemSize = sampleTypeSize(col.type);
        col.dataset = createDataset(g, columns[c].toUtf8().constData(), h5::fileType(col.type), s.chunk, true);
        ok = col.dataset.valid() && h5::writeAttribute(col.dataset.get(), "unit", ch.unit)
            && h5::writeAttribute(col.dataset.get(), "scale", ch.format.scale)
            && h5::writeAttribute(col.dataset.get(), "offset", ch.format.offset)
            && h5::writeAttribute(col.dataset.get(), "name", ch.name)
            && (ch.description.isEmpty()
                || h5::writeAttribute(col.dataset.get(), "description", ch.description));
        s.columns.push_back(std::move(col));
    }
    if (ok && s.timeChannel >= 0) {
        s.timeOffsets = createDataset(g, h5::TimeOffsetsDataset, m_timeOffsetFileType.get(), 256);
        ok = s.timeOffsets.valid()
            && h5::writeAttribute(s.timeOffsets.get(), "description",
                QStringLiteral("from file_row on: time (s since start_time) = value of the time_channel + offset "
                               "- session_time_offset"));
    }
    if (ok && s.hasTimeColumn()) {
        Column col;
        col.dataset = createDataset(g, h5::TimeDataset, H5T_IEEE_F64LE, s.chunk, true);
        ok = col.dataset.valid() && h5::writeAttribute(col.dataset.get(), "unit", QStringLiteral("s"))
            && h5::writeAttribute(col.dataset.get(), "description",
                QStringLiteral("seconds since the recording's start_time (session time - session_time_offset)"));
        s.columns.push_back(std::move(col));
    }
    if (ok) {
        const int channels = int(h.stream.channels.size());
        std::vector<SampleFormat> formats;
        for (const ChannelInfo &ch : h.stream.channels)
            formats.push_back(ch.format);
        s.overview = OverviewAccumulator(std::move(formats), OverviewAccumulator::StoredLevels);
        ok = h5::createOverview(g, channels, &s.overviewGroup, &s.overviewLevels);
        s.overviewNodes.assign(s.overviewLevels.size(), 0);
    }
    if (ok) {
        s.segments = createDataset(g, h5::SegmentsDataset, m_segmentFileType.get(), 256);
        s.events = createDataset(g, h5::EventsDataset, m_eventFileType.get(), 256);
        s.markers = createDataset(g, h5::MarkersDataset, m_markerFileType.get(), 64);
        ok = s.segments.valid() && s.events.valid() && s.markers.valid()
            && h5::writeAttribute(s.events.get(), "kind_names", QString::fromLatin1(h5::EventKindNames))
            && h5::writeAttribute(s.markers.get(), "kind_names", QString::fromLatin1(h5::MarkerKindNames));
    }
    for (Column &c : s.columns)
        c.buffer.reserve((s.chunk + 16384) * c.elemSize);
    return ok || failed(error);
}

int Hdf5Writer::addStream(const StreamHeader &h, StreamLocation *where, QString *error)
{
    h5::Lock lock;
    if (m_frozen || !reserve(closeReserve())) {
        failed(error);
        return -1;
    }
    auto s = std::make_unique<Stream>();
    s->regular = h.stream.regular;
    s->timeChannel = !h.stream.regular && h.stream.timeChannel >= 0 && h.stream.timeChannel < h.stream.channels.size()
        ? h.stream.timeChannel
        : -1;
    const double rate = h.stream.nominalRate > 0 ? h.stream.nominalRate : 65536.0;
    s->chunk = std::clamp<hsize_t>(
        std::bit_ceil(hsize_t(std::min(rate, double(MaxChunkRows)))), MinChunkRows, MaxChunkRows);
    if (!m_instrumentGroups.contains(h.instrument.id)) {
        const QString name = m_instrumentNames.take(sanitizeH5Name(h.instrument.id));
        h5::Id g = h5::group(
            H5Gcreate2(m_file.get(), name.toUtf8().constData(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        if (!h5::check(g.valid()) || !h5::writeAttribute(g.get(), "instrument_id", h.instrument.id)
            || !h5::writeAttribute(g.get(), "instrument_name", h.instrument.name)
            || !h5::writeAttribute(g.get(), "instrument_type", h.instrument.type)
            || !h5::writeAttribute(g.get(), "instrument_address", h.instrument.address)) {
            failed(error);
            return -1;
        }
        m_instrumentGroups.insert(h.instrument.id, name);
    }
    const QString instGroup = m_instrumentGroups.value(h.instrument.id);
    const QString name = m_streamNames[instGroup].take(h5StreamBaseName(h.stream.id, h.generation));
    s->group = QLatin1Char('/') + instGroup + QLatin1Char('/') + name;
    if (where)
        *where = { m_path, s->group };
    if (!createGroup(s->group, h, *s, error))
        return -1;
    m_streams.push_back(std::move(s));
    // New objects reach the disk at once (their creation may free and reuse metadata space),
    // with everything else: rows and their segments, events and markers go out together.
    if (!flushAll())
        return failed(error), -1;
    return int(m_streams.size()) - 1;
}

Hdf5Writer::Stream *Hdf5Writer::stream(int handle, QString *error)
{
    if (handle < 0 || std::size_t(handle) >= m_streams.size() || m_streams[handle]->finished) {
        if (error)
            *error = tr("Internal error: unknown HDF5 stream %1").arg(handle);
        return nullptr;
    }
    return m_streams[handle].get();
}

bool Hdf5Writer::writeRows(Stream &s, hsize_t n)
{
    if (n == 0)
        return true;
    if (m_frozen || !reserve(bytesFor(s, n)))
        return false;
    // All columns or none: extend every dataset of the stream, then write the rows. Should a
    // write fail nevertheless, the file is frozen at its last flush, where they are equal.
    const hsize_t extent = s.rows + n;
    h5::Id mem = h5::space(H5Screate_simple(1, &n, nullptr));
    for (Column &c : s.columns)
        if (!h5::check(H5Dset_extent(c.dataset.get(), &extent) >= 0))
            return freeze(), false;
    for (Column &c : s.columns) {
        h5::Id file = h5::space(H5Dget_space(c.dataset.get()));
        if (!h5::check(file.valid())
            || !h5::check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, &s.rows, nullptr, &n, nullptr) >= 0)
            || !h5::check(H5Dwrite(c.dataset.get(), h5::memType(c.type), mem.get(), file.get(), H5P_DEFAULT,
                              c.buffer.data())
                >= 0))
            return freeze(), false;
    }
    std::vector<const std::byte *> rows;
    for (int c = 0; c < s.overview.channels(); ++c)
        rows.push_back(s.columns[std::size_t(c)].buffer.data());
    s.overview.add(rows.data(), std::size_t(n));
    for (Column &c : s.columns)
        c.buffer.erase(c.buffer.begin(), c.buffer.begin() + std::ptrdiff_t(n * c.elemSize));
    s.rows = extent;
    return true;
}

void Hdf5Writer::discardRows(Stream &s)
{
    for (Column &c : s.columns)
        c.buffer.clear();
    std::erase_if(s.pendingSegments, [&s](const h5::SegmentRecord &r) { return r.fileRow >= s.rows; });
    std::erase_if(s.pendingTimeOffsets, [&s](const h5::TimeOffsetRecord &r) { return r.fileRow >= s.rows; });
    for (h5::EventRecord &e : s.pendingEvents)
        e.fileRow = std::min<quint64>(e.fileRow, s.rows);
    for (h5::MarkerRecord &m : s.pendingMarkers)
        m.fileRow = std::min<quint64>(m.fileRow, s.rows);
}

bool Hdf5Writer::appendRecords(hid_t dataset, hid_t memType, hsize_t *written, const void *data, hsize_t n)
{
    if (n == 0)
        return true;
    if (m_frozen)
        return false;
    const hsize_t extent = *written + n;
    if (!h5::check(H5Dset_extent(dataset, &extent) >= 0))
        return freeze(), false;
    h5::Id mem = h5::space(H5Screate_simple(1, &n, nullptr));
    h5::Id file = h5::space(H5Dget_space(dataset));
    if (!h5::check(file.valid())
        || !h5::check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, written, nullptr, &n, nullptr) >= 0)
        || !h5::check(H5Dwrite(dataset, memType, mem.get(), file.get(), H5P_DEFAULT, data) >= 0))
        return freeze(), false;
    *written = extent;
    return true;
}

bool Hdf5Writer::flushStream(Stream &s)
{
    if (m_full) // the rows do not fit any more; the records do (close reserve)
        discardRows(s);
    for (std::size_t i = 0; i < s.pendingMarkers.size(); ++i)
        s.pendingMarkers[i].info = s.pendingMarkerTexts[i].constData();
    if (!writeRows(s, buffered(s))
        || !appendRecords(s.segments.get(), m_segmentMemType.get(), &s.segmentRows, s.pendingSegments.data(),
            s.pendingSegments.size())
        || (s.timeOffsets.valid()
            && !appendRecords(s.timeOffsets.get(), m_timeOffsetMemType.get(), &s.timeOffsetRows,
                s.pendingTimeOffsets.data(), s.pendingTimeOffsets.size()))
        || !appendRecords(s.events.get(), m_eventMemType.get(), &s.eventRows, s.pendingEvents.data(),
            s.pendingEvents.size())
        || !appendRecords(s.markers.get(), m_markerMemType.get(), &s.markerRows, s.pendingMarkers.data(),
            s.pendingMarkers.size())
        || !writeOverview(s))
        return false;
    s.pendingSegments.clear();
    s.pendingTimeOffsets.clear();
    s.pendingEvents.clear();
    s.pendingMarkers.clear();
    s.pendingMarkerTexts.clear();
    return true;
}

bool Hdf5Writer::writeOverview(Stream &s)
{
    if (m_frozen)
        return false;
    for (std::size_t k = 0; k < s.overviewLevels.size(); ++k) {
        std::vector<double> &nodes = s.overview.pending(int(k));
        if (!h5::appendOverviewNodes(s.overviewLevels[k].get(), s.overview.channels(), &s.overviewNodes[k], nodes))
            return freeze(), false;
        nodes.clear();
    }
    return true;
}

bool Hdf5Writer::write(int handle, const SampleBlock &b, const Segment *seg, QString *error)
{
    h5::Lock lock;
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    if (m_full || m_frozen)
        return failed(error);
    if (seg)
        s->pendingSegments.push_back({ seg->fileRow, seg->sampleIndex, seg->t0, seg->dt });
    const std::size_t n = b.sampleCount;
    if (s->timeChannel >= 0 && n > 0
        && (s->timeOffsetRows + s->pendingTimeOffsets.size() == 0 || b.timeOffset != s->lastTimeOffset)) {
        // (RecordingSession refuses a block of such a stream without a timeOffset)
        s->pendingTimeOffsets.push_back({ s->rows + buffered(*s), b.timeOffset });
        s->lastTimeOffset = b.timeOffset;
    }
    const std::size_t channels = s->columns.size() - (s->hasTimeColumn() ? 1 : 0);
    for (std::size_t c = 0; c < channels; ++c) {
        Column &col = s->columns[c];
        const std::size_t at = col.buffer.size();
        col.buffer.resize(at + n * col.elemSize);
        if (n == 0) // (a block that only carries a loss count or a marker has no storage)
            continue;
        // The session refuses blocks whose formats differ from the stream's (RecordingSession).
        if (int(c) < b.channelCount && b.format(int(c)).type == col.type)
            std::memcpy(col.buffer.data() + at, b.rawData(int(c)), n * col.elemSize);
        else
            fillMissing(col.buffer.data() + at, n, col.type);
    }
    if (s->hasTimeColumn()) {
        std::vector<std::byte> &buf = s->columns.back().buffer;
        const std::size_t at = buf.size();
        buf.resize(at + n * sizeof(double));
        for (std::size_t i = 0; i < n; ++i) {
            const double t = b.time(i) - m_origin; // recording time: 0 at the recording's start
            std::memcpy(buf.data() + at + i * sizeof(double), &t, sizeof t);
        }
    }
    const hsize_t total = s->rows + buffered(*s);
    if (total - s->rows >= s->chunk && !writeRows(*s, total / s->chunk * s->chunk - s->rows))
        return failed(error);
    return true;
}

bool Hdf5Writer::addEvent(int handle, const LossEvent &e, QString *error)
{
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    s->pendingEvents.push_back({ e.fileRow, e.time, e.sampleIndex, e.count, qint32(e.kind) });
    return true;
}

bool Hdf5Writer::addMarker(int handle, const MarkerEvent &m, QString *error)
{
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    s->pendingMarkerTexts.push_back(m.info);
    s->pendingMarkers.push_back({ m.fileRow, m.time, m.kind, nullptr }); // info: set in flushStream()
    return true;
}

void Hdf5Writer::releaseIds(Stream &s)
{
    s.columns.clear();
    s.columns.shrink_to_fit();
    s.segments.close();
    s.timeOffsets.close();
    s.events.close();
    s.markers.close();
    s.overviewLevels.clear();
    s.overviewGroup.close();
    s.groupId.close();
}

bool Hdf5Writer::finishStream(int handle, const StreamRecordStats &t, QString *error)
{
    h5::Lock lock;
    Stream *s = stream(handle, error);
    if (!s)
        return false;
    s->finished = true;
    const hid_t g = s->groupId.get();
    // The rows first (all that fit), then the partial overview nodes of the last rows.
    bool ok = !m_frozen && flushStream(*s) && (s->overview.finish(), writeOverview(*s))
        && h5::writeAttribute(s->overviewGroup.get(), "complete", quint64(1))
        && h5::writeAttribute(g, "samples", quint64(t.samples))
        && h5::writeAttribute(g, "dropped_samples", quint64(t.droppedSamples))
        && h5::writeAttribute(g, "device_lost_samples", quint64(t.deviceLostSamples))
        && h5::writeAttribute(g, "overflow_blocks", quint64(t.overflowBlocks))
        && h5::writeAttribute(g, "first_time", t.firstTime) && h5::writeAttribute(g, "last_time", t.lastTime)
        && h5::writeAttribute(g, "stops", quint64(t.stops)) && h5::writeAttribute(g, "restarts", quint64(t.restarts))
        && h5::writeAttribute(g, "outages", quint64(t.outages))
        && h5::writeAttribute(g, "outage_seconds", t.outageSeconds);
    for (Column &c : s->columns)
        ok = h5::check(c.dataset.close()) && ok;
    ok = h5::check(s->segments.close()) && ok;
    ok = h5::check(s->events.close()) && ok;
    ok = h5::check(s->markers.close()) && ok;
    for (h5::Id &l : s->overviewLevels)
        ok = h5::check(l.close()) && ok;
    ok = h5::check(s->overviewGroup.close()) && ok;
    ok = h5::check(s->groupId.close()) && ok;
    releaseIds(*s);
    if (!ok)
        freeze();
    return ok || failed(error);
}

bool Hdf5Writer::flush(QString *error)
{
    h5::Lock lock;
    if (!m_file.valid())
        return true;
    return flushAll() || failed(error);
}

bool Hdf5Writer::flushAll()
{
    if (m_frozen)
        return false;
    hsize_t ahead = 0;
    for (const auto &s : m_streams)
        if (!s->finished)
            ahead += bytesFor(*s, buffered(*s));
    const bool room = reserve(ahead); // when refused, flushStream() drops the rows, keeps the records
    for (auto &s : m_streams)
        if (!s->finished && !flushStream(*s))
            return false;
    return flushFile() && room;
}

bool Hdf5Writer::close(QString *error)
{
    h5::Lock lock;
    if (!m_file.valid())
        return true;
    const bool wasFull = m_full;
    bool ok = flush(error);
    for (auto &s : m_streams)
        releaseIds(*s); // the streams stay for rowsOnDisk()
    m_segmentMemType.close();
    m_segmentFileType.close();
    m_timeOffsetMemType.close();
    m_timeOffsetFileType.close();
    m_eventMemType.close();
    m_eventFileType.close();
    m_markerMemType.close();
    m_markerFileType.close();
    if (!h5::check(m_file.close()) && !m_frozen) {
        m_frozen = true; // what the failed close wrote cannot be trusted; the last flush can
        if (ok)
            ok = failed(error);
    }
    m_fd = -1;
    if (!m_frozen) {
        // H5Fclose cuts the file back to its end of allocation only when HDF5's own idea of the
        // file's end differs from it, which the space reserve() added with posix_fallocate does not
        // change: every closed file kept ~33 MiB of zeros. Cut them off here, at the end of
        // allocation the closed file's superblock states.
        const hid_t f = H5Fopen(m_path.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
        haddr_t eoa = 0;
        const bool known = f >= 0 && H5Fget_eoa(f, &eoa) >= 0;
        if (f >= 0)
            H5Fclose(f);
        if (known && eoa > 0 && QFileInfo(m_path).size() > qint64(eoa))
            [[maybe_unused]] const int r = ::truncate(m_path.toLocal8Bit().constData(), off_t(eoa));
    }
    m_fileBytes = QFileInfo(m_path).size();
    return ok || (wasFull && !m_frozen); // a full disk was reported when it was found
}

} // namespace bs
