// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordingStats.h"
#include "RecordingWriter.h"
#include "SampleFormat.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cmath>
#include <memory>
#include <vector>

namespace bs {

/// Reads a BenchScope HDF5 recording of any format version (README.md): version 5 with an
/// overview per stream, 4 with times from a channel, version 3 with channels
/// in their native types (attributes scale/offset), versions 1 and 2 with float64 channels (then
/// every channel reads as a plain double). Used by the CSV export; one reader per file, one thread.
class Hdf5RecordingReader
{
public:
    struct Channel
    {
        QString name, unit, dataset; ///< original name, unit, dataset name in the group
        SampleFormat format; ///< the stored type and value = raw × scale + offset
    };
    struct Stream
    {
        QString group; ///< "/<instrument>/<stream>"
        QString instrumentId, instrumentName, instrumentType, instrumentAddress;
        QString streamId, streamName;
        int generation = 1;
        qint64 order = 0;
        bool regular = false;
        QString compression; ///< "none", "deflate", "lz4" (version 3; "none" before)
        /// Version 4: an irregular stream whose times come from this channel (no `time` dataset):
        /// time = its value + the offset of the last `timeOffsets` entry at or before the row −
        /// session_time_offset. -1: times stored (or regular).
        int timeChannel = -1;
        std::vector<std::pair<quint64, double>> timeOffsets; ///< (file row, offset)
        QList<Channel> channels;
        quint64 rows = 0; ///< rows every channel (and the time column) holds
        std::vector<Segment> segments; ///< times on the recording timeline (as stored)
        std::vector<LossEvent> events;
        std::vector<MarkerEvent> markers;
        /// The stored totals (group attributes written at the close), or, for a file that was
        /// not closed properly (`closed` false), what the rows, events and markers give.
        StreamRecordStats totals;
        bool closed = false;
    };

    Hdf5RecordingReader();
    ~Hdf5RecordingReader();
    Hdf5RecordingReader(const Hdf5RecordingReader &) = delete;
    Hdf5RecordingReader &operator=(const Hdf5RecordingReader &) = delete;

    /// Opens `path` read-only and reads the metadata of every stream group (in creation order).
    bool open(const QString &path, QString *error);
    void close();

    qint64 formatVersion() const { return m_formatVersion; }
    QByteArray session() const { return m_session; }
    QString startTime() const { return m_startTime; }
    QString benchScopeVersion() const { return m_version; }
    QString sessionStartTime() const { return m_sessionStartTime; } ///< empty before version 2
    double sessionTimeOffset() const { return m_timeOffset; } ///< NaN before version 2
    const QList<Stream> &streams() const { return m_streams; }

    /// Rows [first, first + n) of a channel as stored (n × sampleTypeSize(format.type) bytes).
    bool readRaw(int stream, int channel, quint64 first, quint64 n, void *out, QString *error) const;
    /// The same rows as engineering values (raw × scale + offset).
    bool readValues(int stream, int channel, quint64 first, quint64 n, double *out, QString *error) const;
    /// Engineering values of single rows (any order; one HDF5 read for all of them).
    bool readValuesAt(int stream, int channel, const std::vector<quint64> &rows, double *out, QString *error) const;
    /// A level of the stream's stored overview (format 5, or built later: README.md "Overview"),
    /// nodes × channels × 2 doubles. True with `present` false when the file has none.
    bool readOverviewLevel(int stream, int level, std::vector<double> *nodes, bool *present, QString *error) const;
    /// Recording times of the rows: from the segments (regular) or the `time` dataset.
    bool readTimes(int stream, quint64 first, quint64 n, double *out, QString *error) const;

private:
    struct Open; ///< the HDF5 ids of the open datasets
    bool loadStream(const QString &group, Stream *s, QString *error);

    QString m_path;
    std::unique_ptr<Open> m_open;
    qint64 m_formatVersion = 0;
    QByteArray m_session;
    QString m_startTime, m_version, m_sessionStartTime;
    double m_timeOffset = NAN;
    QList<Stream> m_streams;
};

} // namespace bs
