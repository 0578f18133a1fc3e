// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CsvFormat.h"
#include "RecordingWriter.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace bs {

/// Where the samples of a stream break: between row `row - 1` and row `row`, something was lost,
/// the acquisition stopped or reconnected, a capture ended, or the time jumped. Nothing may be
/// interpolated across it (README.md, "Reading a recording").
struct RecordingGap
{
    quint64 row = 0; ///< the first row after the break (0: before the first row; rows: after the last)
    double start = NAN; ///< time of row `row - 1` (NaN: there is none)
    double end = NAN; ///< time of row `row` (NaN: there is none)
    /// A loss ("queue_overflow", "device_lost", "index_gap", "device_overflow", "format_mismatch"),
    /// else a marker ("run_stop", "run_start", "connection_lost", "connection_restored",
    /// "capture_end", "capture_start"), else "time_jump"; the first of the highest of these ranks
    /// when several happened at the same row.
    QString kind;
    quint64 lost = 0; ///< samples the losses at this row count
};

struct RecordingChannel
{
    QString name, unit;
};

/// One stream of a recording (an HDF5 stream group or one CSV file).
struct RecordingStreamInfo
{
    QString file; ///< the .h5 or the .csv it is in
    CsvHeaderInfo header; ///< instrument, stream, generation, start times, session, names and units
    QList<RecordingChannel> channels;
    bool regular = false;
    quint64 rows = 0;
    double firstTime = NAN, lastTime = NAN; ///< recording time of rows 0 and rows − 1
    std::vector<RecordingGap> gaps; ///< in row order
    std::vector<LossEvent> events; ///< as stored (`# gap` lines), in file order
    std::vector<MarkerEvent> markers; ///< as stored (Run/Stop, outages, captures, warnings)

    /// "<instrument>/<stream>", "<instrument>/<stream>_<generation>" from generation 2 on.
    QString key() const;
    QString streamKey() const; ///< the part after the instrument
};

/// A run of rows of one stream with no break inside (at most RecordingSource::PieceRows).
struct RecordingPiece
{
    quint64 firstRow = 0;
    std::size_t rows = 0;
    /// A gap separates this piece from the previous one of the same read (never on the first).
    bool gapBefore = false;
    const double *times = nullptr; ///< recording times of the rows
    /// What CSV rounds these times to (csv::timeResolution()); 0: they were read from a CSV file
    /// and are written as they are.
    double timeResolution = 1e-9;
    std::vector<csv::CsvColumn> raw; ///< per requested channel: the values as stored
    std::vector<const double *> values; ///< per requested channel: engineering values
};

/// A whole BenchScope recording opened for reading: an HDF5 file (every format version) or the
/// CSV files of one (a folder, or one file). Lists the streams with their gaps and hands out
/// the rows of a time range in pieces of bounded size, so that a file far larger than memory can
/// be read. One thread at a time.
class RecordingSource
{
public:
    static constexpr std::size_t PieceRows = 64 * 1024;
    using PieceFn = std::function<bool(const RecordingPiece &)>;

    virtual ~RecordingSource() = default;

    /// `path`: a `.h5`/`.hdf5` file (or any HDF5 file), a `.csv` file or a folder of `.csv`
    /// files. Null with `error` naming the file and what is wrong.
    static std::unique_ptr<RecordingSource> open(const QString &path, QString *error);

    QString path() const { return m_path; }
    virtual QString format() const = 0; ///< "hdf5" or "csv"
    const QList<RecordingStreamInfo> &streams() const { return m_streams; }
    /// What was skipped on opening (a CSV file in the folder that is not BenchScope's).
    QStringList warnings() const { return m_warnings; }

    /// Calls `fn` for the rows of `stream` whose times lie in [from, to] (recording time,
    /// inclusive; ±infinity for an open end), in row order and in pieces of at most PieceRows
    /// rows, with the values of `channels` (indices into the stream's channels). A piece never
    /// spans a gap; `gapBefore` says where one lay. `fn` returning false stops the read (true
    /// is returned). Times are taken as non-decreasing, as BenchScope writes them.
    virtual bool read(int stream, const QList<int> &channels, double from, double to, const PieceFn &fn,
        QString *error) = 0;

protected:
    QString m_path;
    QList<RecordingStreamInfo> m_streams;
    QStringList m_warnings;
};

/// Gathers the breaks of one stream by row (what RecordingGap says): losses at any row,
/// markers and time jumps only between two rows.
class GapCollector
{
public:
    explicit GapCollector(quint64 rows)
        : m_rows(rows)
    {
    }
    void addLoss(const LossEvent &e);
    void addMarker(const MarkerEvent &m);
    void addTimeJump(quint64 row);
    /// The break at `row`, or null.
    RecordingGap *at(quint64 row);
    std::vector<RecordingGap> take();
    /// Whether a marker kind (InstrumentEvent::Kind code) breaks the samples (all but warnings).
    static bool breaks(qint32 markerKind);

private:
    void add(quint64 row, int rank, const QString &kind, quint64 lost);
    struct Entry
    {
        RecordingGap gap;
        int rank = 0;
    };
    quint64 m_rows = 0;
    std::map<quint64, Entry> m_gaps;
};

/// A regular stream's rows are apart by more than their period here: `step` is the time between
/// the two rows, `period` the sample period before them.
inline bool isTimeJump(double step, double period)
{
    return !(step > 0) || step > 1.5 * period;
}

} // namespace bs
