// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CsvBuffer.h"
#include "RecordingStats.h"
#include "RecordingWriter.h"
#include "SampleFormat.h"

#include <QByteArray>
#include <QStringList>

#include <cmath>

namespace bs {

/// Everything the CSV header shows. CsvWriter fills it from the live stream, the CSV export from
/// the HDF5 attributes; both then produce the same bytes through the functions below.
struct CsvHeaderInfo
{
    QString version;
    QString instrumentId, instrumentName, instrumentType, instrumentAddress;
    QString streamId, streamName;
    int generation = 1;
    QString startTime; ///< wall clock of time 0 (the recording's start)
    QString sessionStartTime; ///< wall clock of session time 0 (empty: not known)
    double timeOffset = NAN; ///< session time of the recording's time 0 (NaN: not known)
    bool regular = false;
    QStringList names, units; ///< per channel
    QByteArray session; ///< raw session JSON (written indented, each line a `#` comment)
};

namespace csv {

/// The CSV layout version in the first line (`format benchscope-csv <N>`).
inline constexpr int FormatVersion = 2;

/// Times in CSV are written as the shortest decimal of the time rounded to this resolution: 1 ns,
/// or 1 ps for streams sampled faster than 1 MHz, so `t0 + r*dt` and recording-time subtractions
/// read as `-7.483`, not `-7.4830000000000005`. (HDF5 keeps the exact doubles.)
double timeResolution(double dt);
/// Writes `t` rounded to `resolution` (shortest text that reads back to the rounded value).
char *putTime(char *p, double t, double resolution);

/// Stable (untranslated) names of the loss codes, as stored in files.
const char *lossKindName(LossKind kind);
/// The reason text of a `# gap` line.
const char *lossReason(LossKind kind);

void appendHeader(CsvBuffer &out, const CsvHeaderInfo &h);
/// `# gap at t=<time> index=<index> lost=<count> (<reason>)`
void appendEvent(CsvBuffer &out, const LossEvent &e);
/// `# <capture_start|capture_end|warning|run_start|run_stop|connection_lost|connection_restored>
/// at t=<time>: <JSON>`
void appendMarker(CsvBuffer &out, const MarkerEvent &m);
/// `# end: samples=… dropped=… device_lost=… overflow_blocks=… stops=… restarts=… outages=… outage_s=…`
void appendEnd(CsvBuffer &out, const StreamRecordStats &totals);
/// Appends rows `[0, n)`: time from `times` (irregular) or `segmentTime(seg, firstRow + i)`,
/// then one value per channel (`cols[c][i]`). Times are written rounded to timeResolution().
void appendRows(CsvBuffer &out, const double *const *cols, int channels, std::size_t n, const double *times,
    const Segment &seg, quint64 firstRow);

/// One channel's rows as stored: `data` holds values of `format.type`.
struct CsvColumn
{
    const std::byte *data = nullptr;
    SampleFormat format;
};
/// Writes one engineering value (needs 32 bytes): raw × scale + offset as the shortest text that
/// reads back to the same double; with an identity format an integer exactly as the integer
/// (int64 too) and a float32 as the shortest text that reads back to the same float.
char *putSample(char *p, const CsvColumn &col, std::size_t i);
/// appendRows() for columns in their native formats (all plain doubles: the same bytes, as fast).
void appendRows(CsvBuffer &out, const CsvColumn *cols, int channels, std::size_t n, const double *times,
    const Segment &seg, quint64 firstRow);
/// The same rows with their times given (`times[i]`, rounded to `resolution`: what
/// timeResolution() gave the file they came from), e.g. a time range cut out of a recording.
void appendRowsAt(CsvBuffer &out, const CsvColumn *cols, int channels, std::size_t n, const double *times,
    double resolution);

} // namespace csv
} // namespace bs
