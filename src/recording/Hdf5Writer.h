// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Hdf5Layout.h"
#include "OverviewAccumulator.h"
#include "RecordingNames.h"
#include "RecordingWriter.h"

#include <QHash>

#include <memory>
#include <vector>

namespace bs {

/// One HDF5 file, a group per stream (`/<instrument>/<stream>`) with a chunked, extendable
/// dataset per channel in the channel's native type (attributes scale, offset, unit); see README.md for the layout. Rows are buffered per channel and
/// written in chunk-aligned slabs; flush() writes everything buffered and calls H5Fflush. Each
/// stream also gets its min/max overview (`overview/level_k`, README.md "Overview"), fed by the
/// rows written, its complete nodes stored at every flush and the partial ones at finishStream().
///
/// Flush discipline (README.md, "Failures"): metadata reaches the file only in H5Fflush (the
/// metadata cache never evicts), so between flushes the file on disk is the last flush plus raw
/// data; file space is reserved ahead (posix_fallocate) before HDF5 may need it, so a full disk
/// is seen before a write fails and the file is still closed properly; after a write that failed
/// anyway the file is frozen at its last flush (HDF5 can no longer write to it).
class Hdf5Writer final : public RecordingWriter
{
public:
    static constexpr hsize_t MinChunkRows = 1024;
    static constexpr hsize_t MaxChunkRows = 128 * 1024;

    ~Hdf5Writer() override;
    bool open(const RecordingOptions &options, QString *error) override;
    int addStream(const StreamHeader &header, StreamLocation *where, QString *error) override;
    bool write(int stream, const SampleBlock &block, const Segment *newSegment, QString *error) override;
    bool addEvent(int stream, const LossEvent &event, QString *error) override;
    bool addMarker(int stream, const MarkerEvent &marker, QString *error) override;
    bool finishStream(int stream, const StreamRecordStats &totals, QString *error) override;
    bool flush(QString *error) override;
    bool close(QString *error) override;
    quint64 rowsOnDisk(int stream) const override;

    /// Space kept reserved beyond the end of the file's allocated space, at least.
    static constexpr hsize_t ReserveStep = 32 << 20;

private:
    struct Column
    {
        h5::Id dataset;
        std::vector<std::byte> buffer; ///< rows as stored (the channel's SampleType)
        SampleType type = SampleType::Float64;
        std::size_t elemSize = sizeof(double);
    };
    struct Stream
    {
        QString group;
        h5::Id groupId;
        std::vector<Column> columns; ///< channels, then `time` when hasTimeColumn()
        bool regular = false;
        /// Irregular with times from a channel (StreamInfo::timeChannel): `time_offsets` instead.
        int timeChannel = -1;
        /// Irregular with independent times: a `time` dataset.
        bool hasTimeColumn() const { return !regular && timeChannel < 0; }
        double lastTimeOffset = 0;
        h5::Id timeOffsets;
        hsize_t timeOffsetRows = 0;
        std::vector<h5::TimeOffsetRecord> pendingTimeOffsets;
        hsize_t chunk = MinChunkRows;
        hsize_t rows = 0; ///< rows in the datasets
        hsize_t flushedRows = 0; ///< rows at the last complete H5Fflush
        h5::Id segments, events, markers;
        hsize_t segmentRows = 0, eventRows = 0, markerRows = 0;
        std::vector<h5::SegmentRecord> pendingSegments;
        std::vector<h5::EventRecord> pendingEvents;
        std::vector<QByteArray> pendingMarkerTexts; ///< owns the strings pendingMarkers point to
        std::vector<h5::MarkerRecord> pendingMarkers;
        bool finished = false;
        /// The min/max overview of the channels (README.md, "Overview"): fed by the rows written,
        /// complete nodes stored at each flush, the partial ones at finishStream().
        OverviewAccumulator overview;
        h5::Id overviewGroup;
        std::vector<h5::Id> overviewLevels;
        std::vector<hsize_t> overviewNodes; ///< nodes in each level dataset
    };

    Stream *stream(int handle, QString *error);
    bool createGroup(const QString &path, const StreamHeader &h, Stream &s, QString *error);
    h5::Id createDataset(hid_t group, const char *name, hid_t fileType, hsize_t chunk, bool compress = false);
    bool writeRows(Stream &s, hsize_t n);
    bool appendRecords(hid_t dataset, hid_t memType, hsize_t *written, const void *data, hsize_t n);
    bool flushStream(Stream &s);
    bool writeOverview(Stream &s);
    hsize_t overviewBytes(const Stream &s, hsize_t rows) const;
    /// Writes every stream's buffered rows and records, then flushFile().
    bool flushAll();
    /// H5Fflush; then every stream's rows count as flushed and the close reserve is renewed.
    bool flushFile();
    /// Makes sure `ahead` bytes plus the close reserve are allocated beyond the end of the file's
    /// allocated space. False (and the file counts as full) when the file system refuses.
    bool reserve(hsize_t ahead);
    hsize_t bytesFor(const Stream &s, hsize_t rows) const;
    hsize_t closeReserve() const;
    /// After a failed HDF5 write: HDF5 can no longer write to the file, which stays as it was at
    /// the last complete flush.
    void freeze();
    /// Drops the rows buffered in `s` (the file is full) and what refers to them.
    void discardRows(Stream &s);
    static void releaseIds(Stream &s);
    bool failed(QString *error);
    std::size_t buffered(const Stream &s) const
    {
        return s.columns.empty() ? 0 : s.columns.front().buffer.size() / s.columns.front().elemSize;
    }

    QString m_path;
    RecordingOptions::Compression m_compression = RecordingOptions::Compression::None;
    int m_compressionLevel = 1;
    double m_origin = 0; ///< session time of the file's time 0 (subtracted from every time)
    h5::Id m_file;
    int m_fd = -1; ///< HDF5's own descriptor of the file (for reservations); -1: none
    bool m_full = false; ///< a reservation failed: no more rows are written, the file is closed properly
    bool m_frozen = false; ///< an HDF5 write failed: the file stays at its last flush
    QString m_fullReason;
    h5::Id m_timeOffsetMemType, m_timeOffsetFileType;
    h5::Id m_segmentMemType, m_segmentFileType, m_eventMemType, m_eventFileType, m_markerMemType, m_markerFileType;
    NameAllocator m_instrumentNames;
    QHash<QString, QString> m_instrumentGroups; ///< instrument id -> group name
    QHash<QString, NameAllocator> m_streamNames; ///< per instrument group
    std::vector<std::unique_ptr<Stream>> m_streams;
};

} // namespace bs
