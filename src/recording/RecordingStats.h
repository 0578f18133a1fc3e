// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <cmath>

namespace bs {

/// Counters of one recorded stream (one entry per generation: a channel-count change starts a
/// new group/file, e.g. `pcap_2`, with its own entry).
struct StreamRecordStats
{
    QString instrumentId, streamId;
    QString file; ///< the .h5 file or the .csv file
    QString group; ///< HDF5 group path ("/panda1/pcap"); empty for CSV
    int generation = 1;
    quint64 samples = 0; ///< rows written (after a write failure: rows in the file)
    quint64 droppedSamples = 0; ///< queue overflow, and samples a write failure kept off the disk
    quint64 deviceLostSamples = 0; ///< per block max(lostBefore, sample-index gap)
    quint64 overflowBlocks = 0; ///< blocks flagged Overflow or DataLost
    /// Blocks refused because their channel formats differ from the stream's (a producer bug);
    /// their samples are in droppedSamples and a format_mismatch loss event marks the place.
    quint64 refusedBlocks = 0;
    double firstTime = NAN, lastTime = NAN; ///< recording time (0 at its start) of the first/last written sample
    /// Run/Stop and outages of the instrument while this stream was recorded (each is also a
    /// marker in the file and starts a new segment): RunStopped events, RunStarted events after a
    /// stop, ConnectionLost events and the seconds from each to its ConnectionRestored (or to the
    /// Stop or the end of the recording, for an outage still open then).
    quint64 stops = 0, restarts = 0, outages = 0;
    double outageSeconds = 0;
};

/// Counts the Run/Stop and outage markers of one stream in file order (RecordingSession while
/// recording, the CSV export from the `markers` of a file that was not closed).
struct RunTally
{
    bool stopped = false;
    double outageSince = NAN;
    /// `kind` is an InstrumentEvent::Kind code, `t` its time.
    void apply(qint32 kind, double t, StreamRecordStats &st)
    {
        switch (kind) {
        case 4: // run_start
            if (stopped)
                ++st.restarts;
            stopped = false;
            break;
        case 5: // run_stop
            ++st.stops;
            stopped = true;
            endOutage(t, st);
            break;
        case 6: // connection_lost
            if (std::isnan(outageSince)) {
                ++st.outages;
                outageSince = std::isfinite(t) ? t : 0.0;
            }
            break;
        case 7: // connection_restored
            endOutage(t, st);
            break;
        default:
            break;
        }
    }
    /// An outage still open ends at `t` (the end of the recording).
    void endOutage(double t, StreamRecordStats &st)
    {
        if (std::isnan(outageSince))
            return;
        if (std::isfinite(t) && t > outageSince)
            st.outageSeconds += t - outageSince;
        outageSince = NAN;
    }
};

/// Thread-safe snapshot returned by Recorder::stats().
struct RecorderStats
{
    bool recording = false;
    double elapsedS = 0; ///< since start() (frozen at the end of the recording)
    qint64 bytesWritten = 0; ///< sample payload bytes handed to the writer
    qint64 fileBytes = 0; ///< size of the file(s) on disk, updated at each flush
    qint64 queuedBytes = 0; ///< payload bytes waiting in the queue
    qint64 peakQueuedBytes = 0;
    quint64 droppedSamples = 0; ///< all streams, queue overflow (counted when dropped)
    quint64 lostSamples = 0; ///< all streams, device overrun and index gaps
    quint64 droppedEvents = 0; ///< instrument events not stored (more than the queue's event bound)
    quint64 flushes = 0; ///< periodic flushes completed (data handed to the OS, HDF5 metadata written)
    QString lastError;
    /// Blocks refused for formats that differ from the announced ones (all streams), and the
    /// message naming the last one (the recording goes on).
    quint64 refusedBlocks = 0;
    QString lastWarning;
    /// The recording's file (HDF5) or folder (CSV); the numbered parts of a split recording.
    QStringList files;
    /// Why the recording ended by itself (auto-stop), empty otherwise.
    QString stopReason;
    QVector<StreamRecordStats> streams;
};

} // namespace bs
