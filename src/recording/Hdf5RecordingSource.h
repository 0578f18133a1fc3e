// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Hdf5RecordingReader.h"
#include "RecordingSource.h"

namespace bs {

/// A BenchScope HDF5 recording (formats 1–5) as a RecordingSource, through Hdf5RecordingReader.
/// A time range is found by binary search on the times: for a regular stream computed from its
/// segments (no I/O), for an irregular one read row by row from `time` (or its time channel),
/// about 2·log2(rows) single-row reads. Only the pieces of the range are read.
class Hdf5RecordingSource final : public RecordingSource
{
public:
    bool open(const QString &path, QString *error);
    QString format() const override { return QStringLiteral("hdf5"); }
    bool read(int stream, const QList<int> &channels, double from, double to, const PieceFn &fn,
        QString *error) override;
    const Hdf5RecordingReader &reader() const { return m_reader; }
    /// The recording time of a row (regular: from the segments, no I/O).
    bool timeAt(int stream, quint64 row, double *t, QString *error) const;
    /// The first row in [lo, hi) whose time is ≥ t (`after`: > t), else hi; times non-decreasing.
    bool bound(int stream, double t, bool after, quint64 lo, quint64 hi, quint64 *row, QString *error) const;

private:
    /// The first row whose time is ≥ t (`after`: > t), assuming non-decreasing times.
    bool bound(int stream, double t, bool after, quint64 *row, QString *error) const
    {
        return bound(stream, t, after, 0, m_reader.streams()[stream].rows, row, error);
    }
    bool collectGaps(int stream, RecordingStreamInfo *info, QString *error) const;

    Hdf5RecordingReader m_reader;
};

} // namespace bs
