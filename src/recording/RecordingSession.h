// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecorderQueue.h"
#include "RecordingStats.h"
#include "RecordingWriter.h"
#include "StreamTimeline.h"

#include <QHash>
#include <QStringList>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>

namespace bs {

/// The writer-thread side of a recording: turns queue items into writer calls (lazily creating a
/// stream, a new generation when its channel count changes), loss events and per-stream counters.
/// All methods except stats() run on the writer thread.
class RecordingSession
{
public:
    RecordingSession(std::unique_ptr<RecordingWriter> writer, const RecordingOptions &options,
        QHash<QString, QVector<StreamInfo>> announced);

    void handle(const QueueItem &item);
    /// Drops not followed by a block of their stream (at the end of the recording).
    void handleDrops(const QList<PendingDrop> &drops);
    void flush();
    /// Writes the totals of every stream and closes the file(s).
    void finish();

    bool failed() const { return m_failed; }
    /// Auto-stop: a non-empty reason ("… of recording reached") once the recording has run
    /// `stopAfterSeconds` or its files hold `stopAfterBytes` (RecordingOptions).
    QString autoStopReason() const;
    /// Split files: the part files (or CSV folders) opened so far, in order.
    QStringList parts() const;
    QString error() const;
    /// Any thread: per-stream counters, with `pending` drops added to their streams;
    /// `out->droppedSamples` is set to the samples that did not reach the disk after they left the
    /// queue (a write failure), to which the caller adds the queue's own drops.
    void stats(RecorderStats *out, const QList<PendingDrop> &pending) const;

private:
    struct Slot
    {
        QString instrumentId, streamId;
        int handle = -1;
        int generation = 0;
        int channelCount = -1;
        bool regular = false;
        /// The channels announced when the stream was created (empty: none were); a re-announcement (an instrument that
        /// reconnected) with other names or units starts a new generation at the next block.
        QVector<ChannelInfo> channels;
        /// The formats of the stream's datasets/columns: the announced ones (or the first block's,
        /// for a stream that was never announced). A block with other formats is refused.
        std::vector<SampleFormat> formats;
        /// StreamInfo::timeChannel of the stream as created (-1: times stored as such); a block
        /// without its SampleBlock::timeOffset is then refused like one of other formats.
        int timeChannel = -1;
        bool reannouncedOther = false;
        /// Closed at a split: created again in the next part with the same generation (name).
        bool reopen = false;
        /// The last instrument event (m_eventSeq) this stream has in its current part's file.
        quint64 eventsSeen = 0;
        qsizetype statsIndex = -1;
        StreamTimeline timeline;
        RunTally tally; ///< Run/Stop and outage markers of this generation
        /// Blocks handed to the writer since the last flush (end row, time of the last row, its
        /// segment): the last time on disk when a failure leaves fewer rows than handed.
        struct BlockEnd
        {
            quint64 endRow;
            double lastTime;
            Segment segment;
        };
        std::deque<BlockEnd> ends;
    };

    Slot &slot(const QString &instrumentId, const QString &streamId);
    bool ensureStream(Slot &s, int channels, bool regular, double dt, bool newGenerationOnChange,
        const std::vector<SampleFormat> *blockFormats = nullptr);
    /// A block whose formats differ from the stream's: not written, counted as dropped, stored as a
    /// format_mismatch loss event and reported (RecorderStats::refusedBlocks, lastWarning).
    void refuseBlock(Slot &s, const SampleBlock &b);
    void finishSlot(Slot &s);
    void recordDrop(Slot &s, const DropRun &run);
    /// The slot's counters (an entry without a file when its stream could not be created).
    qsizetype statsEntry(Slot &s);
    /// Samples that will not be written (the recording failed): counted as dropped.
    void countUnwritten(Slot &s, quint64 samples, quint64 deviceLost, quint64 overflowBlocks);
    /// Makes entry `index` say what is on disk: rows the writer did not get there become dropped.
    void reconcile(qsizetype index, const Slot *s);
    /// Closes the current file and corrects every stream's totals against the rows it holds.
    void closeFileAndReconcile();
    void addEvent(Slot &s, const LossEvent &e);
    void handleEvent(const InstrumentEvent &e);
    /// The instrument's streams announced again while recording (e.g. after a reconnect).
    void handleAnnouncement(const QString &instrumentId, const QVector<StreamInfo> &streams);
    /// Writes `m` into the slot's stream; a Run/Stop/outage marker also starts a new segment and
    /// is counted.
    void writeMarker(Slot &s, const MarkerEvent &m);
    /// Session time → recording time (0 at the recording's start).
    double recordingTime(double sessionTime) const { return sessionTime - m_options.timeOrigin; }
    /// Writes the events held for the slot's instrument that concern its stream (new stream).
    void writeHeldMarkers(Slot &s, bool nextPart);
    StreamInfo streamInfo(const Slot &s, int channels, bool regular) const;
    void check(bool ok, const QString &error);
    /// Split files: the current part is full (time or size) and has rows.
    bool partFull() const;
    /// Closes the current part (totals of every stream in it) and opens the next one; the streams
    /// are created again in it by their next block.
    void startNextPart();
    /// Bytes of the recording so far: the closed parts plus the current one (the larger of the
    /// file size and the payload handed over, as HDF5 grows its file only at a flush).
    qint64 bytesSoFar() const;

    std::unique_ptr<RecordingWriter> m_writer;
    RecordingOptions m_options;
    QHash<QString, QVector<StreamInfo>> m_announced;
    QHash<QString, Slot> m_slots;
    QStringList m_slotOrder;
    /// Events of an instrument that arrived before the stream they concern existed. Stream
    /// events are written (and removed) when their stream is created; instrument-wide events go
    /// into every stream of the instrument created later. At most MaxHeldMarkers per instrument.
    struct HeldMarker
    {
        QString streamId;
        MarkerEvent marker;
        quint64 seq = 0; ///< m_eventSeq of the event
    };
    static constexpr int MaxHeldMarkers = 256;
    QHash<QString, QList<HeldMarker>> m_heldMarkers;
    int m_order = 0;
    bool m_failed = false;
    quint64 m_eventSeq = 0;
    std::chrono::steady_clock::time_point m_start, m_partStart;
    qint64 m_partPayloadStart = 0; ///< m_bytesWritten when the current part began
    quint64 m_partRows = 0; ///< rows written into the current part

    mutable std::mutex m_mutex; // guards the members below (read by stats())
    QVector<StreamRecordStats> m_stats;
    QVector<int> m_handles; ///< writer handle of each m_stats entry (-1: none); writer thread only
    quint64 m_unwritten = 0; ///< samples taken from the queue that did not reach the disk
    quint64 m_flushes = 0;
    qint64 m_bytesWritten = 0, m_fileBytes = 0;
    qint64 m_closedPartBytes = 0; ///< file bytes of the parts already closed
    QStringList m_parts;
    QString m_error;
    QString m_warning; ///< the last refused block (guarded by m_mutex)
    quint64 m_refusedBlocks = 0;
};

} // namespace bs
