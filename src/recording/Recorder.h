// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BlockSink.h"
#include "RecorderQueue.h"
#include "RecordingOptions.h"
#include "RecordingStats.h"

#include <QObject>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace bs {

class RecordingSession;

/// Records sample blocks to HDF5 or CSV on its own writer thread.
///
/// Threading: consume() and setStreams() may be called from any number of driver threads at once;
/// they only append to a bounded queue (budget in payload bytes) and never wait for the disk. A
/// block that does not fit is dropped and counted (per stream, and stored in the file as a
/// `queue_overflow` event). start(), stop(), stats() may be called from any thread; signals are
/// emitted from the writer thread (use queued connections for widgets).
class Recorder : public QObject, public BlockSink
{
    Q_OBJECT
public:
    explicit Recorder(QObject *parent = nullptr);
    ~Recorder() override;

    /// Opens the file(s) and starts the writer thread. On failure returns false and `error` names
    /// the path and the OS/HDF5 reason.
    bool start(const RecordingOptions &options, QString *error);
    /// Stops accepting blocks, writes everything queued and the final counters, closes the files.
    /// Blocks until done; safe to call twice (and from a slot connected to our own signals).
    void stop();
    bool isRecording() const;
    RecorderStats stats() const;
    /// Lock-free: payload bytes waiting in the queue (producers may use it to pace themselves).
    qint64 queuedBytes() const { return m_queue.queuedBytes(); }

    void setStreams(const QString &instrumentId, const QVector<StreamInfo> &streams) override;
    /// Ignored (not counted) when not recording.
    void consume(const SampleBlockPtr &block) override;
    /// Stored in the recording at the row where it happened (HDF5 `markers`, CSV comment line).
    void event(const InstrumentEvent &event) override;

    /// Test hook: while paused the writer thread takes nothing from the queue. stop() resumes.
    void setWriterPaused(bool paused);

signals:
    /// Writing failed (e.g. disk full): names the file and the reason. The recording then stops by
    /// itself after writing what it can; stopped() follows. It also stops by itself at the
    /// auto-stop limits of RecordingOptions (RecorderStats::stopReason says so).
    void errorOccurred(const QString &message);
    void stopped();

private:
    void run(double flushIntervalS);

    RecorderQueue m_queue;
    std::mutex m_control; ///< serializes start()/stop()
    std::thread m_thread;
    std::atomic<std::thread::id> m_threadId;
    mutable std::mutex m_sessionMutex;
    std::shared_ptr<RecordingSession> m_session;
    std::chrono::steady_clock::time_point m_startTime;
    std::atomic<double> m_finalElapsed { -1.0 };
    QString m_stopReason; ///< guarded by m_sessionMutex

};

} // namespace bs
