// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CsvBuffer.h"
#include "RecordingStats.h"
#include "RecordingWriter.h"

#include <QByteArray>
#include <QStringList>

namespace bs {

/// Everything the CSV header shows. CsvWriter fills it from the live stream, the CSV export from
/// the HDF5 attributes; both then produce the same bytes through the functions below.
struct CsvHeaderInfo
{
    QString version;
    QString instrumentId, instrumentName, instrumentType, instrumentAddress;
    QString streamId, streamName;
    int generation = 1;
    QString startTime;
    bool regular = false;
    QStringList names, units; ///< per channel
    QByteArray session; ///< raw session JSON (written compacted to one line)
};

namespace csv {

/// Stable (untranslated) names of the loss codes, as stored in files.
const char *lossKindName(LossKind kind);
/// The reason text of a `# gap` line.
const char *lossReason(LossKind kind);

void appendHeader(CsvBuffer &out, const CsvHeaderInfo &h);
/// `# gap at t=<time> index=<index> lost=<count> (<reason>)`
void appendEvent(CsvBuffer &out, const LossEvent &e);
/// `# <capture_start|capture_end|warning> at t=<time>: <JSON>`
void appendMarker(CsvBuffer &out, const MarkerEvent &m);
/// `# end: samples=… dropped=… device_lost=… overflow_blocks=…`
void appendEnd(CsvBuffer &out, const StreamRecordStats &totals);
/// Appends rows `[0, n)`: time from `times` (irregular) or `segmentTime(seg, firstRow + i)`,
/// then one value per channel (`cols[c][i]`).
void appendRows(CsvBuffer &out, const double *const *cols, int channels, std::size_t n, const double *times,
    const Segment &seg, quint64 firstRow);

} // namespace csv
} // namespace bs
