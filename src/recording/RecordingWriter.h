// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordingOptions.h"
#include "RecordingStats.h"
#include "SampleBlock.h"
#include "StreamInfo.h"

#include <memory>

namespace bs {

/// A run of rows with one time base. Regular streams: the time of file row r is exactly
/// `segmentTime(seg, r)`; irregular streams store times explicitly (`dt == 0`).
struct Segment
{
    quint64 fileRow = 0; ///< first row of the segment in the stream's datasets/file
    quint64 sampleIndex = 0; ///< SampleBlock index of that row
    double t0 = 0; ///< its session time
    double dt = 0; ///< sample period (0 for irregular streams)
};

/// The one formula for regular-stream times (writers, export and readers must agree bit for bit).
inline double segmentTime(const Segment &s, quint64 row)
{
    return s.t0 + double(row - s.fileRow) * s.dt;
}

/// Why samples are missing. The codes are stored in files: never renumber.
enum class LossKind : qint32 {
    QueueOverflow = 1, ///< the recorder's queue was full; `count` samples were dropped
    DeviceLost = 2, ///< the device/driver reported `count` lost samples (lostBefore)
    IndexGap = 3, ///< the sample index jumped by `count`
    DeviceOverflow = 4, ///< block flagged Overflow/DataLost, number of samples unknown (count 0)
    FormatMismatch = 5, ///< a block whose channel formats differ from the stream's: `count` samples refused
};

/// One loss, stored before row `fileRow` of its stream.
struct LossEvent
{
    quint64 fileRow = 0;
    double time = 0; ///< t0 of the first dropped block, or of the block after the loss
    quint64 sampleIndex = 0; ///< first missing index (queue overflow, gap) or the block's firstIndex
    quint64 count = 0;
    LossKind kind = LossKind::IndexGap;
};

/// Adds one loss to the totals it belongs to (what a file holds when its stored totals are not
/// there or not for the rows read: a recording not closed properly, a time range of it).
inline void countLoss(const LossEvent &e, StreamRecordStats &t)
{
    if (e.kind == LossKind::QueueOverflow || e.kind == LossKind::FormatMismatch)
        t.droppedSamples += e.count;
    else if (e.kind == LossKind::DeviceLost || e.kind == LossKind::IndexGap)
        t.deviceLostSamples += e.count;
    else if (e.kind == LossKind::DeviceOverflow)
        ++t.overflowBlocks;
}

/// A capture boundary or warning (InstrumentEvent), stored before row `fileRow` of its stream.
struct MarkerEvent
{
    quint64 fileRow = 0;
    double time = 0; ///< session time, NaN when not tied to a sample
    qint32 kind = 0; ///< InstrumentEvent::Kind code
    QByteArray info; ///< compact UTF-8 JSON object (InstrumentEvent::toJson())
};

/// What a writer needs to create one stream (group or file).
struct StreamHeader
{
    RecordingInstrument instrument;
    StreamInfo stream; ///< exactly the recorded channels; `regular` decides the time layout
    int generation = 1; ///< 2, 3, ... after a channel-count change
    int order = 0; ///< creation order within the recording
    double dt = 0; ///< sample period of the first block (regular streams)
};

/// Where a stream ended up.
struct StreamLocation
{
    QString file, group;
};

/// Backend of the Recorder. Called only from the recorder's writer thread (open() from start()'s
/// thread before that). Every method reports failure with a message naming the file and reason.
class RecordingWriter
{
public:
    virtual ~RecordingWriter() = default;
    virtual bool open(const RecordingOptions &options, QString *error) = 0;
    /// Returns a stream handle (>= 0) or -1.
    virtual int addStream(const StreamHeader &header, StreamLocation *where, QString *error) = 0;
    /// Appends the block's rows; `newSegment` is set when a new time base starts at its first row.
    virtual bool write(int stream, const SampleBlock &block, const Segment *newSegment, QString *error) = 0;
    virtual bool addEvent(int stream, const LossEvent &event, QString *error) = 0;
    virtual bool addMarker(int stream, const MarkerEvent &marker, QString *error) = 0;
    /// Writes the totals and releases the stream; no more calls for it follow.
    virtual bool finishStream(int stream, const StreamRecordStats &totals, QString *error) = 0;
    /// Hands all buffered data to the OS.
    virtual bool flush(QString *error) = 0;
    virtual bool close(QString *error) = 0;
    /// Rows of `stream` that are in the file for good (also after finishStream() and close()):
    /// after a failure fewer than were written, e.g. only those of the last complete flush.
    /// AllRows: every row given to write().
    static constexpr quint64 AllRows = ~quint64(0);
    virtual quint64 rowsOnDisk(int stream) const
    {
        Q_UNUSED(stream);
        return AllRows;
    }
    /// Bytes in the recording's file(s) so far.
    virtual qint64 fileBytes() const { return m_fileBytes; }

protected:
    qint64 m_fileBytes = 0; ///< kept up to date by file-writing backends
};

std::unique_ptr<RecordingWriter> makeRecordingWriter(RecordingOptions::Format format);

} // namespace bs
