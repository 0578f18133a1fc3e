// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Hdf5RecordingSource.h"
#include "OverviewAccumulator.h"

#include <functional>
#include <memory>
#include <vector>

namespace bs {

/// Plot-ready points of one channel of a recording, in time order. A NaN value is a break: the
/// samples on either side must not be joined (a gap of the recording lies between them).
struct RecordingEnvelope
{
    std::vector<double> t;
    std::vector<double> v;
    std::size_t size() const { return t.size(); }
};

/// Called during a pass over a recording with the fraction done (0…1); false cancels.
using OverviewProgressFn = std::function<bool(double fraction)>;

/// An HDF5 recording opened for browsing: min/max envelopes of any time window of a channel from
/// the stored overview (README.md, "Overview") and a few small reads, so that the first picture
/// of a file of any size comes at once. A recording without an overview (formats 1–4, or a
/// stream whose writer was killed before its close) gets one by buildOverview(): one pass over
/// the rows it lacks, stored in the file when it can be written, else kept in memory. One thread.
class Hdf5Browser
{
public:
    bool open(const QString &path, QString *error);
    const Hdf5RecordingSource &source() const { return *m_source; }
    const QList<RecordingStreamInfo> &streams() const { return m_source->streams(); }

    /// Rows of the stream not covered by the overview in the file (all rows of a format 1–4 file;
    /// < 4096 in a closed format-5 file: none).
    quint64 rowsWithoutOverview(int stream);
    /// Builds what the overviews of all streams lack by one pass over those rows (progress over
    /// all of them; false from `progress` cancels, nothing is stored then). With `store` the
    /// complete overviews are then written into the file (`*stored` true) when it opens for
    /// writing; else, or when it does not, they stay in memory for this browser.
    bool buildOverview(const OverviewProgressFn &progress, bool store, bool *stored, QString *error);

    /// The envelope of `channel` over [tFrom, tTo) (recording time) in `columns` columns, by the
    /// rules of src/display's TraceStore::envelope (README.md there, "Envelope semantics"): per
    /// column its 1–2 samples or its min and max at its first and last sample times, NaN skipped;
    /// the last sample before tFrom and the first at or after tTo; plus a NaN point wherever a
    /// gap of the stream (RecordingStreamInfo::gaps) lies between two points. A column cut by a
    /// gap gives a part on each side. A stream whose overview is incomplete is completed first
    /// (a pass over the rows it lacks: call buildOverview() before for large old files).
    /// Zoomed out (two neighbouring columns each of at least snapNodes() overview nodes) the
    /// edge between them moves to the nearest node boundary: each node goes whole to the column
    /// holding its middle, so such columns come from the overview alone, without reading their
    /// ragged ends or end samples (the order of a column's min and max then follows the trend of
    /// its first and last node). A sample thus lands at most half a node (≤ 1/8 of a column at
    /// the default) in the neighbouring column, with its exact value; gaps and the window's
    /// ends are never moved.
    bool envelope(int stream, int channel, double tFrom, double tTo, int columns, RecordingEnvelope *out,
        QString *error);

    /// A window holding at most max(4 · columns, this) rows is read whole and scanned (default
    /// 65 536); more go through the overview. For tests of the overview path on small files.
    void setScanRows(quint64 rows) { m_scanRows = rows; }
    /// Overview nodes (level 0) two neighbouring columns must each span for the edge between them
    /// to move to a node boundary (default 4); 0 never moves an edge (every column exact).
    void setSnapNodes(quint64 nodes) { m_snapNodes = nodes; }
    quint64 snapNodes() const { return m_snapNodes; }
    /// Raw reads the last envelope() made (rows), for tests and benchmarks.
    quint64 lastRowsRead() const { return m_rowsRead; }

private:
    struct Overview
    {
        bool loaded = false;
        quint64 covered = 0; ///< rows the level-0 nodes cover
        quint64 inFile = 0; ///< rows the overview stored in the file covers
        std::vector<std::vector<double>> levels; ///< level k: nodes × channels × 2; up to one node
    };
    struct MinMax
    {
        double min = INFINITY, max = -INFINITY;
        bool valid() const { return min <= max; }
        void add(double lo, double hi)
        {
            if (lo < min)
                min = lo;
            if (hi > max)
                max = hi;
        }
    };
    bool loadStored(int stream, QString *error);
    /// Completes level 0 from the rows after `covered` and rebuilds the levels above.
    bool complete(int stream, const OverviewProgressFn &progress, quint64 done, quint64 total, bool *cancelled,
        QString *error);
    bool storeAll(bool *stored, QString *error);
    bool range(int stream, int channel, quint64 lo, quint64 hi, MinMax *out, QString *error);
    MinMax nodes(int stream, int channel, quint64 from, quint64 to) const;

    QString m_path;
    std::unique_ptr<Hdf5RecordingSource> m_source;
    std::vector<Overview> m_overviews;
    std::vector<double> m_scratch;
    quint64 m_rowsRead = 0;
    quint64 m_scanRows = 16 * OverviewAccumulator::BucketRows;
    quint64 m_snapNodes = 4;
};

} // namespace bs
