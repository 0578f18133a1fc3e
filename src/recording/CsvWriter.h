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
/// Rows are formatted into a large per-file buffer and written in big pieces.
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
        quint64 rows = 0;
        /// Comment lines waiting for the next rows, written markers first then losses (the order
        /// the CSV export reproduces from the HDF5 datasets).
        std::vector<MarkerEvent> pendingMarkers;
        std::vector<LossEvent> pendingLosses;
    };
    Stream *stream(int handle, QString *error);
    bool writeOut(Stream &s, QString *error);
    static void appendPending(Stream &s);

    QString m_dir;
    QString m_startTime;
    QByteArray m_session;
    NameAllocator m_names;
    std::vector<std::unique_ptr<Stream>> m_streams;
};

} // namespace bs
