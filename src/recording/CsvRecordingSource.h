// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordingSource.h"

namespace bs {

/// The CSV files of a BenchScope recording (CsvWriter's layout, formats 1 and 2) as a
/// RecordingSource: a folder (every `*.csv` in it, by file name; other CSV files are skipped
/// with a warning) or one file.
///
/// Opening reads each file once from start to end (validating every line: a malformed one is an
/// error naming the file and line) and keeps, besides the gaps and events, a checkpoint every
/// PieceRows rows (byte offset, row, time, line): 32 bytes per 64 Ki rows. A read seeks to the last
/// checkpoint before `from` and parses from there up to the first row after `to`, so it costs
/// the range plus at most PieceRows rows; memory stays at one piece. CSV keeps no segments:
/// a regular stream's time jumps are found from the times (a step over 1.5 × the previous one).
/// A value that is an integer in canonical form comes back as Int64 (so a copy prints it as
/// written, also above 2^53), any other as float64 (the text read back to the same double).
class CsvRecordingSource final : public RecordingSource
{
public:
    bool open(const QString &path, QString *error);
    QString format() const override { return QStringLiteral("csv"); }
    bool read(int stream, const QList<int> &channels, double from, double to, const PieceFn &fn,
        QString *error) override;

    struct Checkpoint
    {
        qint64 offset = 0; ///< byte offset of the row's line
        quint64 row = 0;
        double time = NAN;
        qint64 line = 0; ///< its line number (1-based)
    };

private:
    bool scanFile(const QString &file, RecordingStreamInfo *info, std::vector<Checkpoint> *index,
        QString *error, bool *notOurs);

    std::vector<std::vector<Checkpoint>> m_index; ///< per stream
};

} // namespace bs
