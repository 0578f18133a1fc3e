// SPDX-License-Identifier: GPL-3.0-or-later
#include "Recorder.h"

#include "RecordingNames.h"
#include "RecordingSession.h"
#include "RecordingWriter.h"

#include "SessionClock.h"

#include <QCoreApplication>

namespace bs {

Recorder::Recorder(QObject *parent)
    : QObject(parent)
{
}

Recorder::~Recorder()
{
    stop();
}

bool Recorder::start(const RecordingOptions &options, QString *error)
{
    if (std::this_thread::get_id() == m_threadId.load()) {
        if (error)
            *error = tr("A recording cannot be started from the recorder's own thread");
        return false;
    }
    std::lock_guard control(m_control);
    if (m_queue.isOpen()) {
        if (error)
            *error = tr("A recording is already running");
        return false;
    }
    if (m_thread.joinable())
        m_thread.join(); // a recording that stopped by itself after an error
    m_threadId = std::thread::id();
    if (options.path.isEmpty() && options.format != RecordingOptions::Format::Null) {
        if (error)
            *error = tr("No recording path given");
        return false;
    }
    // Time 0 of the files is now, on the session timeline; the clock may not restart while we
    // record (a recording's time only increases).
    RecordingOptions opts = options;
    SessionClock::hold();
    if (std::isnan(opts.timeOrigin))
        opts.timeOrigin = SessionClock::now();
    if (opts.sessionStartWallMs == 0)
        opts.sessionStartWallMs = SessionClock::wallClockStartMs();
    std::unique_ptr<RecordingWriter> writer = makeRecordingWriter(opts.format);
    RecordingOptions first = opts;
    if (opts.splits())
        first.path = recordingPartPath(opts.path, 1); // split files are numbered from the first
    if (!writer->open(first, error)) {
        SessionClock::release();
        return false;
    }
    auto session = std::make_shared<RecordingSession>(std::move(writer), opts, m_queue.announced());
    {
        std::lock_guard lock(m_sessionMutex);
        m_session = session;
        m_startTime = std::chrono::steady_clock::now();
        m_finalElapsed = -1.0;
        m_stopReason.clear();
    }
    m_queue.open(opts.queueBudgetBytes, opts.maxQueueSeconds);
    const double flushInterval = opts.flushIntervalS > 0 ? opts.flushIntervalS : 1.0;
    m_thread = std::thread([this, flushInterval] { run(flushInterval); });
    m_threadId = m_thread.get_id();
    return true;
}

void Recorder::stop()
{
    if (std::this_thread::get_id() == m_threadId.load()) {
        m_queue.closeIntake(); // called from our own signal: the writer thread finishes by itself
        return;
    }
    std::lock_guard control(m_control);
    m_queue.closeIntake();
    if (m_thread.joinable())
        m_thread.join();
    m_threadId = std::thread::id();
}

bool Recorder::isRecording() const
{
    return m_queue.isOpen();
}

void Recorder::setWriterPaused(bool paused)
{
    m_queue.setPaused(paused);
}

void Recorder::setStreams(const QString &instrumentId, const QVector<StreamInfo> &streams)
{
    m_queue.announce(instrumentId, streams);
}

void Recorder::consume(const SampleBlockPtr &block)
{
    m_queue.push(block);
}

void Recorder::event(const InstrumentEvent &event)
{
    m_queue.pushEvent(event);
}

RecorderStats Recorder::stats() const
{
    RecorderStats s;
    std::shared_ptr<RecordingSession> session;
    std::chrono::steady_clock::time_point startTime;
    {
        std::lock_guard lock(m_sessionMutex);
        session = m_session;
        startTime = m_startTime;
    }
    if (session)
        session->stats(&s, m_queue.pendingDrops());
    const RecorderQueue::Counters c = m_queue.counters();
    s.recording = c.open;
    s.queuedBytes = c.queuedBytes;
    s.peakQueuedBytes = c.peakQueuedBytes;
    s.droppedSamples += c.droppedSamples; // the session's share: samples a write failure lost
    s.lostSamples = c.lostSamples;
    s.droppedEvents = c.droppedEvents;
    {
        std::lock_guard lock(m_sessionMutex);
        s.stopReason = m_stopReason;
    }
    const double final = m_finalElapsed.load();
    if (session)
        s.elapsedS = final >= 0
            ? final
            : std::chrono::duration<double>(std::chrono::steady_clock::now() - startTime).count();
    return s;
}

void Recorder::run(double flushIntervalS)
{
    using Clock = std::chrono::steady_clock;
    m_threadId = std::this_thread::get_id(); // before any signal: stop() from our own slots must not join
    std::shared_ptr<RecordingSession> session;
    {
        std::lock_guard lock(m_sessionMutex);
        session = m_session;
    }
    const auto interval
        = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(flushIntervalS));
    auto nextFlush = Clock::now() + interval;
    bool reported = false;
    bool autoStopped = false;
    auto reportFailure = [&] {
        if (reported || !session->failed())
            return;
        reported = true;
        // Stop cleanly: what is queued, and what drivers still send until stop(), is counted as
        // dropped (the session no longer writes after a failure).
        m_queue.closeIntake(true);
        emit errorOccurred(session->error());
    };
    for (;;) {
        QueueItem item;
        const RecorderQueue::Pop r = m_queue.pop(&item, nextFlush);
        if (r == RecorderQueue::Pop::Closed)
            break;
        if (r == RecorderQueue::Pop::Item) {
            session->handle(item);
            item.block.reset();
            m_queue.release(item.bytes);
        }
        if (Clock::now() >= nextFlush) {
            session->flush();
            nextFlush = Clock::now() + interval;
        }
        reportFailure();
        if (!autoStopped && !reported) {
            const QString reason = session->autoStopReason();
            if (!reason.isEmpty() && m_queue.isOpen()) {
                // Auto-stop: take no more blocks; what is queued is still written.
                autoStopped = true;
                {
                    std::lock_guard lock(m_sessionMutex);
                    m_stopReason = reason;
                }
                m_queue.closeIntake();
            }
        }
    }
    session->handleDrops(m_queue.takePendingDrops());
    session->finish();
    SessionClock::release(); // taken by start()
    {
        std::lock_guard lock(m_sessionMutex);
        m_finalElapsed = std::chrono::duration<double>(Clock::now() - m_startTime).count();
    }
    reportFailure();
    emit stopped();
}

} // namespace bs
