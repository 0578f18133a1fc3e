// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFileInfo>
#include <QList>
#include <QString>

#include <cmath>

namespace bs {

/// Names of one instrument, written into the headers of its streams.
struct RecordingInstrument
{
    QString id; ///< Instrument::id(); matches SampleBlock::instrumentId
    QString type; ///< driver family, e.g. "panda"
    QString name; ///< user-visible name
    QString address; ///< e.g. "127.0.0.1:8888"
};

/// What and where to record. See README.md in this folder for the file layouts.
struct RecordingOptions
{
    enum class Format {
        Hdf5, ///< one .h5 file, a group per stream
        Csv, ///< a directory with one <instrument>_<stream>.csv per stream
        Null, ///< discard the data (dry runs, benchmarks); counters still work
    };
    Format format = Format::Hdf5;
    QString path; ///< Hdf5: the .h5 file; Csv: a directory (created)
    qint64 queueBudgetBytes = 512ll << 20; ///< queue limit in SampleBlock::payloadBytes()
    /// Each stream's queued data may span at most this many seconds of its own time (0: no limit):
    /// what the writer has not taken within that is dropped (queue_overflow), so a writer slower
    /// than its input neither grows memory nor loses more than this on a crash.
    double maxQueueSeconds = 1.0;
    QList<RecordingInstrument> instruments; ///< names/types for the headers
    QByteArray sessionSnapshot; ///< session JSON, stored as attribute / comment line
    double flushIntervalS = 1.0; ///< data reaches the OS at least this often
    /// Session time that is time 0 in the files (NaN: Recorder::start() sets it to
    /// SessionClock::now()). Files store times relative to it, and it as session_time_offset.
    double timeOrigin = NAN;
    /// Wall-clock time (ms since the Unix epoch) of session time 0 (0: Recorder::start() sets it
    /// to SessionClock::wallClockStartMs()).
    long long sessionStartWallMs = 0;
    /// Wall-clock time (ms since the Unix epoch) of the files' time 0.
    long long startWallMs() const { return sessionStartWallMs + (long long)std::llround(timeOrigin * 1000.0); }

    /// Split files: a new file (HDF5) or folder (CSV) is started, between two blocks, once the
    /// current part has been written for `splitSeconds` or holds `splitBytes` (0: no limit). With
    /// either limit set the parts are numbered: `<name>_001.h5`, `<name>_002.h5`, … (see
    /// recordingPartPath()). No sample is lost or written twice at a split.
    double splitSeconds = 0;
    qint64 splitBytes = 0;
    /// Auto-stop: the recording ends by itself once it has run `stopAfterSeconds` or its files
    /// hold `stopAfterBytes` (0: no limit); the blocks already queued are still written.
    double stopAfterSeconds = 0;
    qint64 stopAfterBytes = 0;

    bool splits() const { return splitSeconds > 0 || splitBytes > 0; }

    /// The folder the recording's files are in, for files an instrument hands over (a Moku's
    /// downloaded log): Hdf5 the .h5 file's folder; Csv the directory itself (its parent when the
    /// recording is split into numbered directories); Null none (empty).
    QString folder() const
    {
        if (format == Format::Null || path.isEmpty())
            return QString();
        if (format == Format::Csv && !splits())
            return QFileInfo(path).absoluteFilePath();
        return QFileInfo(path).absolutePath();
    }

    /// The listed instrument `id`, or one named after the id when it is not listed.
    RecordingInstrument instrument(const QString &id) const
    {
        for (const auto &i : instruments)
            if (i.id == id)
                return i;
        return { id, QString(), id, QString() };
    }
};

} // namespace bs
