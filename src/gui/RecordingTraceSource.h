// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Hdf5Browser.h>
#include <RecordingSource.h>
#include <TraceSource.h>
#include <TraceStore.h>

#include <QHash>
#include <QString>

#include <memory>
#include <mutex>

namespace bs {

/// A recording file opened for browsing, as a TraceSource: the scope, the measurements and the
/// spectrum show it like the live store (not live: nothing arrives). Channels are keyed
/// "<instrument>/<stream>[_<generation>]/<index>" on the recording's time axis (0 = its start).
///
/// An HDF5 recording draws from its min/max overview (Hdf5Browser): only what a picture needs is
/// read from the file. Samples (measurements, spectrum) come through a second reader, opened on
/// first use, so a long read on a worker thread never holds up the picture; each reader is used
/// under its own lock. A CSV recording has no overview: it is read once on opening into an
/// in-memory TraceStore (its min/max pyramid draws the pictures); what does not fit the store's
/// memory budget is its oldest part, dropped and said in notes() (HDF5 is the format for
/// browsing long recordings). Thread-safe.
class RecordingTraceSource final : public TraceSource
{
public:
    /// Opens `path` (an HDF5 file, a CSV file or a folder of CSV files). For an HDF5 file whose
    /// overview is incomplete (older formats, a writer killed before its close) one pass over the
    /// rows it lacks builds it, reporting 0…1 through `progress` (false cancels: null, empty
    /// error); it is kept in the file when the file can be written, else in memory. Slow for big
    /// files: call it off the GUI thread. Null with `error` naming the file and the cause.
    static std::unique_ptr<RecordingTraceSource> open(
        const QString &path, const OverviewProgressFn &progress, QString *error);

    QString path() const { return m_path; }
    QString format() const { return m_format; } ///< "hdf5" or "csv"
    const QList<RecordingStreamInfo> &streams() const { return m_streams; }
    /// What was skipped on opening, and whether an overview had to be built.
    QStringList notes() const { return m_notes; }
    /// The last read that failed (empty: none), e.g. a file changed or cut short since opening.
    QString lastError() const;

    quint64 revision() const override { return 1; }
    quint64 layoutRevision() const override { return 1; }
    QVector<ChannelKey> channels() const override { return m_keys; }
    std::optional<ChannelInfo> channelInfo(const ChannelKey &key) const override;
    TimeRange timeRange(const ChannelKey &key) const override;
    TimeRange timeRange() const override;
    Envelope envelope(const ChannelKey &key, double tFrom, double tTo, int columns) const override;
    std::vector<TraceGap> gaps(const ChannelKey &key, double tFrom, double tTo, int maxCount) const override;
    SampleReadStatus readSamples(const ChannelKey &key, double tFrom, double tTo, const SamplePieceFn &piece,
        const SampleGapFn &gap = {}) const override;
    bool live() const override { return false; }

private:
    RecordingTraceSource() = default;
    /// Index of the key's stream, or -1.
    int streamOf(const ChannelKey &key) const;
    bool validChannel(const ChannelKey &key) const;
    bool loadCsv(RecordingSource &source, const OverviewProgressFn &progress, QString *error);
    void fail(const QString &error) const;

    QString m_path, m_format;
    QList<RecordingStreamInfo> m_streams;
    QStringList m_notes;
    QVector<ChannelKey> m_keys;
    QHash<QString, int> m_streamIndex; ///< "<instrument>/<stream key>" → index

    mutable std::mutex m_pictureMutex; ///< guards m_browser (the GUI's pictures)
    std::unique_ptr<Hdf5Browser> m_browser; ///< HDF5
    std::unique_ptr<TraceStore> m_memory; ///< CSV: every row, read on opening
    mutable std::mutex m_sampleMutex; ///< guards m_sampleReader (worker threads' reads)
    mutable std::unique_ptr<RecordingSource> m_sampleReader;
    mutable std::mutex m_errorMutex;
    mutable QString m_lastError;
};

} // namespace bs
