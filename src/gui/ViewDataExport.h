// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <StreamInfo.h>
#include <TraceTypes.h>

#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace bs {

class TraceSource;

/// What a CSV header says of an instrument (from the workspace); fields not known stay empty.
struct ViewExportInstrument
{
    QString name, type, address;
    QVector<StreamInfo> streams; ///< as announced: the stream's name and whether it is regular
};

/// What File ▸ Export View Data writes: channels of the display store over a time range.
struct ViewDataRequest
{
    QVector<ChannelKey> channels; ///< e.g. the scope's shown channels; grouped by stream
    double from = 0.0; ///< session time; both ends inclusive
    double to = 0.0;
    /// A file ending in `.csv` when the channels are of one stream; otherwise a folder (a `.csv`
    /// ending is dropped) that gets one `<instrument>_<stream>.csv` per stream.
    QString path;
    QHash<QString, ViewExportInstrument> instruments; ///< by instrument id
    QByteArray session; ///< the session JSON for the header (may be empty)
    qint64 sessionStartWallMs = 0; ///< wall clock of session time 0 (ms since the Unix epoch)
};

struct ViewDataResult
{
    bool ok = false;
    bool canceled = false;
    QStringList files; ///< written (complete) files
    quint64 rows = 0; ///< over all files
    quint64 gaps = 0; ///< gap places written over all files
    QString error; ///< names the file and the cause
};

/// Writes every sample the display store holds of some channels in a time range as BenchScope
/// CSV: the layout of a CSV recording (CsvFormat: header, shortest round-trip numbers, `# gap`
/// lines, `# end` totals), so the files open with RecordingSource and `benchscope-inspect`.
/// One file per stream (its channels share the time column); times are session times
/// (`session_time_offset: 0`), rounded as a recording rounds them (csv::timeResolution).
/// Where the store knows samples are missing between two rows, the file says so: `# gap` lines
/// (device loss with its count, index jump, loss without a count as "device overflow flag") and,
/// between two captures, `# capture_end` / `# capture_start` lines; `index=` of a gap line is the
/// row number in the exported file of the sample after it.
///
/// Files are written as `<name>.partial` and renamed when every stream is complete: a failed or
/// cancelled export removes what it wrote (a folder it created is removed when left empty).
/// Reads only through TraceSource::readSamples/gaps/timeRange/channelInfo, in slabs of about
/// 256 Ki rows (memory bounded by the slab, not by the range). Not a QObject: run() runs on any
/// thread (a worker thread in the GUI); the store is thread-safe.
class ViewDataExport
{
public:
    /// Return false to cancel.
    using Progress = std::function<bool(double fraction)>;

    explicit ViewDataExport(const TraceSource *store);

    /// The channels grouped by stream, streams in order of their first channel.
    static QVector<QVector<ChannelKey>> byStream(const QVector<ChannelKey> &channels);
    /// True when `request` writes a folder (several streams, or a path not ending in `.csv`).
    static bool writesFolder(const ViewDataRequest &request);
    /// The files `request` writes, in order (one per stream).
    static QStringList plannedFiles(const ViewDataRequest &request);

    ViewDataResult run(const ViewDataRequest &request, const Progress &progress = {}) const;

private:
    struct StreamJob;
    bool writeStream(const ViewDataRequest &request, StreamJob &job, const std::function<bool(double)> &progress,
        ViewDataResult &result) const;

    const TraceSource *m_store = nullptr;
};

} // namespace bs

Q_DECLARE_METATYPE(bs::ViewDataResult)
