// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CsvFormat.h"
#include "RecordingNames.h"
#include "RecordingWriter.h"

#include <QFile>

#include <memory>
#include <vector>

namespace bs {

/// One CSV file per stream in the recording directory; see README.md for the layout.
/// Rows are formatted into a large per-file buffer of whole lines and written in big pieces. A
/// write that fails (disk full) is cut back to the last whole line, leaving room for the `# end`
/// line; what did not reach the file is counted as dropped there and in rowsOnDisk().
class CsvWriter final : public RecordingWriter
{
public:
    static constexpr std::size_t BufferBytes = 1 << 20;

    bool open(const RecordingOptions &options, QString *error) override;
    int addStream(const StreamHeader &header, StreamLocation *where, QString *error) override;
    bool write(int stream, const SampleBlock &block, const Segment *newSegment, QString *error) override;
    bool addEvent(int stream, const LossEvent &event, QString *error) override;
    bool addMarker(int stream, const MarkerEvent &marker, QString *error) override;
    bool finishStream(int stream, const StreamRecordStats &totals, QString *error) override;
    bool flush(QString *error) override;
    bool close(QString *error) override;
    quint64 rowsOnDisk(int stream) const override;

    /// Room kept for the `# end` line when a failed write is cut back.
    static constexpr std::size_t FooterRoom = 160;

private:
    struct Stream
    {
        QFile file;
        CsvBuffer buffer { BufferBytes + (1 << 16) };
        int channels = 0;
        bool regular = false;
        bool failed = false;
        bool finished = false;
        Segment segment;
        quint64 rows = 0; ///< rows given to write()
        quint64 bufferedRows = 0; ///< data rows in `buffer`
        quint64 diskRows = 0; ///< data rows in the file
        qint64 fileOffset = 0; ///< bytes in the file (always whole lines)
        qint64 dataStart = 0; ///< where the rows start (after the header)
        /// Comment lines waiting for the next rows, written markers first then losses (the order
        /// the CSV export reproduces from the HDF5 datasets).
        std::vector<MarkerEvent> pendingMarkers;
        std::vector<LossEvent> pendingLosses;
    };
    Stream *stream(int handle, QString *error);
    bool writeOut(Stream &s, QString *error);
    /// After a failed write of `done` bytes of the buffer: the file ends at a whole line again.
    void cutBack(Stream &s, std::size_t done);
    /// Writes `n` bytes at the end of the file; the bytes written (short on failure), errno set.
    static qint64 writeAll(Stream &s, const char *data, std::size_t n);
    static void appendPending(Stream &s);

    QString m_dir;
    QString m_startTime, m_sessionStartTime;
    double m_origin = 0; ///< session time of the files' time 0 (subtracted from every time)
    QByteArray m_session;
    NameAllocator m_names;
    std::vector<std::unique_ptr<Stream>> m_streams;
};

} // namespace bs
