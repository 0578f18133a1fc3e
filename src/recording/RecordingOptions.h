// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFileInfo>
#include <QList>
#include <QString>

#include <cmath>

namespace bs {

struct SessionRecording;

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
    /// HDF5 only (CSV ignores it): filters on every channel and time dataset. Off by default;
    /// cost measured in bench/bench_writers (bench/README.md).
    enum class Compression {
        None, ///< raw chunks (fastest to write, largest)
        Deflate, ///< byte shuffle + zlib deflate at `compressionLevel` (1..9): readable everywhere
        Lz4, ///< byte shuffle + LZ4 (HDF5 filter 32004, Debian's hdf5-filter-plugin, loaded at run time;
             ///< readers need the plugin too). Refused by start() when the plugin does not load.
    };
    Compression compression = Compression::None;
    int compressionLevel = 1; ///< deflate level 1 (fast) .. 9 (small)
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

/// "none", "deflate", "lz4" (in files, options and session JSON).
inline QString compressionName(RecordingOptions::Compression c)
{
    switch (c) {
    case RecordingOptions::Compression::Deflate:
        return QStringLiteral("deflate");
    case RecordingOptions::Compression::Lz4:
        return QStringLiteral("lz4");
    case RecordingOptions::Compression::None:
        break;
    }
    return QStringLiteral("none");
}

/// Parses "none", "deflate", "deflate:<1..9>" or "lz4" into `c` (and `level` for deflate).
inline bool parseCompression(const QString &text, RecordingOptions::Compression *c, int *level)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("none") || t.isEmpty()) {
        *c = RecordingOptions::Compression::None;
        return true;
    }
    if (t == QLatin1String("lz4")) {
        *c = RecordingOptions::Compression::Lz4;
        return true;
    }
    if (t == QLatin1String("deflate")) {
        *c = RecordingOptions::Compression::Deflate;
        return true;
    }
    if (t.startsWith(QLatin1String("deflate:"))) {
        bool ok = false;
        const int l = t.mid(8).toInt(&ok);
        if (!ok || l < 1 || l > 9)
            return false;
        *c = RecordingOptions::Compression::Deflate;
        *level = l;
        return true;
    }
    return false;
}

/// Whether this machine can write (and read) HDF5 with `c`: None and Deflate always; Lz4 when
/// HDF5 loads the LZ4 filter plugin (Debian's hdf5-filter-plugin).
bool compressionAvailable(RecordingOptions::Compression c);

/// The options a session's `recording` object asks for: format (hdf5 / csv), queue budget, split
/// and auto-stop limits, compression. Path, instruments, snapshot and time origin stay default.
RecordingOptions recordingOptionsFor(const SessionRecording &rec);

} // namespace bs
