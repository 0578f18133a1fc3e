// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingSession.h"

#include "SessionClock.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace bs {

RecordingSession::RecordingSession(std::unique_ptr<RecordingWriter> writer, const RecordingOptions &options,
    QHash<QString, QVector<StreamInfo>> announced)
    : m_writer(std::move(writer))
    , m_options(options)
    , m_announced(std::move(announced))
{
}

QString RecordingSession::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void RecordingSession::check(bool ok, const QString &error)
{
    if (ok || m_failed)
        return;
    m_failed = true;
    std::lock_guard lock(m_mutex);
    m_error = error.isEmpty() ? QCoreApplication::translate("bs::Recorder", "Writing the recording failed")
                              : error;
}

RecordingSession::Slot &RecordingSession::slot(const QString &instrumentId, const QString &streamId)
{
    const QString key = instrumentId + QChar(0x1f) + streamId;
    auto it = m_slots.find(key);
    if (it == m_slots.end()) {
        it = m_slots.insert(key, Slot());
        it->instrumentId = instrumentId;
        it->streamId = streamId;
        m_slotOrder << key;
    }
    return *it;
}

StreamInfo RecordingSession::streamInfo(const Slot &s, int channels, bool regular) const
{
    StreamInfo info;
    info.id = s.streamId;
    info.name = s.streamId;
    for (const StreamInfo &announced : m_announced.value(s.instrumentId))
        if (announced.id == s.streamId)
            info = announced;
    info.regular = regular;
    info.channels.resize(channels);
    for (int c = 0; c < channels; ++c)
        if (info.channels[c].name.isEmpty())
            info.channels[c].name = QStringLiteral("ch%1").arg(c + 1);
    return info;
}

bool RecordingSession::ensureStream(
    Slot &s, int channels, bool regular, double dt, bool newGenerationOnChange)
{
    if (s.handle >= 0 && (!newGenerationOnChange || (s.channelCount == channels && s.regular == regular)))
        return true;
    if (s.handle >= 0)
        finishSlot(s);
    if (m_failed)
        return false;
    StreamHeader h;
    h.instrument = m_options.instrument(s.instrumentId);
    h.stream = streamInfo(s, channels, regular);
    h.generation = ++s.generation;
    h.order = m_order++;
    h.dt = regular ? dt : 0.0;
    StreamLocation where;
    QString error;
    const int handle = m_writer->addStream(h, &where, &error);
    check(handle >= 0, error);
    if (handle < 0)
        return false;
    s.handle = handle;
    s.channelCount = channels;
    s.regular = regular;
    s.timeline = StreamTimeline(m_options.timeOrigin);
    s.tally = RunTally();
    StreamRecordStats st;
    st.instrumentId = s.instrumentId;
    st.streamId = s.streamId;
    st.file = where.file;
    st.group = where.group;
    st.generation = h.generation;
    {
        std::lock_guard lock(m_mutex);
        m_stats.append(st);
        s.statsIndex = m_stats.size() - 1;
    }
    m_handles.append(handle);
    s.ends.clear();
    writeHeldMarkers(s);
    return true;
}

void RecordingSession::writeHeldMarkers(Slot &s)
{
    auto it = m_heldMarkers.find(s.instrumentId);
    if (it == m_heldMarkers.end())
        return;
    for (const HeldMarker &h : std::as_const(*it))
        if (h.streamId.isEmpty() || h.streamId == s.streamId)
            writeMarker(s, h.marker);
    it->removeIf([&s](const HeldMarker &h) { return h.streamId == s.streamId; });
}

void RecordingSession::writeMarker(Slot &s, const MarkerEvent &m)
{
    QString error;
    check(m_writer->addMarker(s.handle, m, &error), error);
    const auto kind = InstrumentEvent::Kind(m.kind);
    if (kind != InstrumentEvent::Kind::RunStarted && kind != InstrumentEvent::Kind::RunStopped
        && kind != InstrumentEvent::Kind::ConnectionLost && kind != InstrumentEvent::Kind::ConnectionRestored)
        return;
    s.timeline.breakNext();
    std::lock_guard lock(m_mutex);
    s.tally.apply(m.kind, m.time, m_stats[s.statsIndex]);
}

void RecordingSession::handleEvent(const InstrumentEvent &e)
{
    if (m_failed)
        return; // nothing more is written after a failure
    MarkerEvent m;
    m.time = recordingTime(e.time);
    m.kind = qint32(e.kind);
    QJsonObject info = e.toJson();
    if (std::isfinite(e.time)) { // the file's time, and where it is on the session timeline
        info.insert(QStringLiteral("time"), m.time);
        info.insert(QStringLiteral("session_time"), e.time);
    }
    m.info = QJsonDocument(info).toJson(QJsonDocument::Compact);
    bool written = false;
    for (const QString &key : std::as_const(m_slotOrder)) {
        Slot &s = m_slots[key];
        if (s.instrumentId != e.instrumentId || s.handle < 0 || (!e.streamId.isEmpty() && s.streamId != e.streamId))
            continue;
        m.fileRow = s.timeline.rows();
        writeMarker(s, m);
        written = true;
    }
    if (written && !e.streamId.isEmpty())
        return;
    // Not yet a stream to hold it (or instrument-wide: also for streams that come later).
    m.fileRow = 0;
    QList<HeldMarker> &held = m_heldMarkers[e.instrumentId];
    if (held.size() >= MaxHeldMarkers)
        held.removeFirst();
    held.append({ e.streamId, m });
}

void RecordingSession::finishSlot(Slot &s)
{
    if (s.handle < 0)
        return;
    reconcile(s.statsIndex, &s);
    StreamRecordStats totals;
    {
        std::lock_guard lock(m_mutex);
        totals = m_stats[s.statsIndex];
    }
    QString error;
    check(m_writer->finishStream(s.handle, totals, &error), error);
    s.handle = -1;
}

void RecordingSession::addEvent(Slot &s, const LossEvent &e)
{
    QString error;
    check(m_writer->addEvent(s.handle, e, &error), error);
}

qsizetype RecordingSession::statsEntry(Slot &s)
{
    if (s.statsIndex >= 0)
        return s.statsIndex;
    StreamRecordStats st;
    st.instrumentId = s.instrumentId;
    st.streamId = s.streamId;
    st.generation = 0; // no group or file: the recording failed before the stream was created
    std::lock_guard lock(m_mutex);
    m_stats.append(st);
    m_handles.append(-1);
    s.statsIndex = m_stats.size() - 1;
    return s.statsIndex;
}

void RecordingSession::countUnwritten(Slot &s, quint64 samples, quint64 deviceLost, quint64 overflowBlocks)
{
    const qsizetype i = statsEntry(s);
    std::lock_guard lock(m_mutex);
    StreamRecordStats &st = m_stats[i];
    st.droppedSamples += samples;
    st.deviceLostSamples += deviceLost;
    st.overflowBlocks += overflowBlocks;
    m_unwritten += samples;
}

void RecordingSession::reconcile(qsizetype index, const Slot *s)
{
    const int handle = m_handles.value(index, -1);
    if (handle < 0)
        return;
    const quint64 onDisk = m_writer->rowsOnDisk(handle);
    std::lock_guard lock(m_mutex);
    StreamRecordStats &st = m_stats[index];
    if (onDisk >= st.samples)
        return;
    const quint64 unwritten = st.samples - onDisk;
    st.samples = onDisk;
    st.droppedSamples += unwritten;
    m_unwritten += unwritten;
    if (s) // payload of the rows that were not written (doubles; a time column when irregular)
        m_bytesWritten -= std::min<qint64>(m_bytesWritten,
            qint64(unwritten * quint64(std::max(s->channelCount, 0) + (s->regular ? 0 : 1)) * sizeof(double)));
    // The time of the last row on disk: exact for regular streams, at block ends for irregular
    // ones; unknown (NaN) otherwise.
    double last = NAN;
    if (s && onDisk) {
        for (const Slot::BlockEnd &e : s->ends) {
            if (e.endRow < onDisk)
                continue;
            last = e.endRow == onDisk ? e.lastTime : e.segment.dt > 0 ? segmentTime(e.segment, onDisk - 1) : NAN;
            break;
        }
    }
    st.lastTime = last;
    if (onDisk == 0)
        st.firstTime = NAN;
}

void RecordingSession::recordDrop(Slot &s, const DropRun &run)
{
    if (!m_failed && ensureStream(s, run.channelCount, run.regular, run.dt, false)) {
        const quint64 row = s.timeline.rows();
        const double t = recordingTime(run.t0);
        if (run.deviceLost)
            addEvent(s, { row, t, run.firstIndex, run.deviceLost, LossKind::DeviceLost });
        addEvent(s, { row, t, run.firstIndex, run.samples, LossKind::QueueOverflow });
    }
    // Counted even when the stream could not be created or written (the recording failed).
    const qsizetype i = statsEntry(s);
    std::lock_guard lock(m_mutex);
    StreamRecordStats &st = m_stats[i];
    st.droppedSamples += run.samples;
    st.deviceLostSamples += run.deviceLost;
    st.overflowBlocks += run.overflowBlocks;
}

void RecordingSession::handle(const QueueItem &item)
{
    if (item.event) {
        handleEvent(*item.event);
        return;
    }
    if (!item.block) {
        m_announced.insert(item.instrumentId, item.streams);
        return;
    }
    const SampleBlock &b = *item.block;
    Slot &s = slot(b.instrumentId, b.streamId);
    if (item.dropped.blocks)
        recordDrop(s, item.dropped);
    const bool regular = b.isRegular();
    const quint64 lost = std::max<quint64>(b.lostBefore, item.gap);
    const bool flagged = b.flags & (SampleBlock::Overflow | SampleBlock::DataLost);
    if (m_failed || !ensureStream(s, b.channelCount, regular, b.dt, true)) {
        // After a write failure nothing more is written: the block is counted, not ignored.
        countUnwritten(s, b.sampleCount, lost, flagged ? 1 : 0);
        return;
    }
    const quint64 row = s.timeline.rows();
    if (lost)
        addEvent(s,
            { row, recordingTime(b.t0), item.gap ? b.firstIndex - item.gap : b.firstIndex, lost,
                b.lostBefore ? LossKind::DeviceLost : LossKind::IndexGap });
    else if (flagged)
        addEvent(s, { row, recordingTime(b.t0), b.firstIndex, 0, LossKind::DeviceOverflow });
    double first = NAN, last = NAN;
    if (b.sampleCount) {
        Segment segment;
        const bool fresh = s.timeline.append(b, &segment);
        QString error;
        check(m_writer->write(s.handle, b, fresh ? &segment : nullptr, &error), error);
        first = regular ? s.timeline.time(row) : recordingTime(b.time(0));
        last = regular ? s.timeline.time(s.timeline.rows() - 1) : recordingTime(b.time(b.sampleCount - 1));
        s.ends.push_back({ s.timeline.rows(), last, s.timeline.segment() });
    }
    std::lock_guard lock(m_mutex);
    StreamRecordStats &st = m_stats[s.statsIndex];
    st.deviceLostSamples += lost;
    st.overflowBlocks += flagged ? 1 : 0;
    st.samples += b.sampleCount;
    if (b.sampleCount) {
        if (std::isnan(st.firstTime))
            st.firstTime = first;
        st.lastTime = last;
    }
    m_bytesWritten += qint64(b.payloadBytes());
}

void RecordingSession::handleDrops(const QList<PendingDrop> &drops)
{
    for (const PendingDrop &d : drops)
        recordDrop(slot(d.instrumentId, d.streamId), d.run);
}

void RecordingSession::flush()
{
    if (m_failed)
        return; // finish() closes what can still be closed
    QString error;
    check(m_writer->flush(&error), error);
    if (!m_failed) {
        // Keep only the block ends a later failure could still need (after the rows on disk).
        for (Slot &s : m_slots) {
            if (s.handle < 0)
                continue;
            const quint64 onDisk = m_writer->rowsOnDisk(s.handle);
            while (s.ends.size() > 1 && s.ends[1].endRow <= onDisk)
                s.ends.pop_front();
        }
    }
    std::lock_guard lock(m_mutex);
    m_fileBytes = m_writer->fileBytes();
    if (!m_failed)
        ++m_flushes;
}

void RecordingSession::finish()
{
    const double end = recordingTime(SessionClock::now()); // an outage still open ends here
    for (const QString &key : std::as_const(m_slotOrder)) {
        Slot &s = m_slots[key];
        if (s.handle >= 0) {
            std::lock_guard lock(m_mutex);
            s.tally.endOutage(end, m_stats[s.statsIndex]);
        }
        finishSlot(s);
    }
    QString error;
    check(m_writer->close(&error), error);
    // A close that failed may leave fewer rows on disk than the totals just written said.
    for (qsizetype i = 0; i < m_handles.size(); ++i) {
        const Slot *owner = nullptr;
        for (const Slot &s : std::as_const(m_slots))
            if (s.statsIndex == i)
                owner = &s;
        reconcile(i, owner);
    }
    std::lock_guard lock(m_mutex);
    m_fileBytes = m_writer->fileBytes();
}

void RecordingSession::stats(RecorderStats *out, const QList<PendingDrop> &pending) const
{
    {
        std::lock_guard lock(m_mutex);
        out->streams = m_stats;
        out->droppedSamples = m_unwritten;
        out->flushes = m_flushes;
        out->bytesWritten = m_bytesWritten;
        out->fileBytes = m_fileBytes;
        out->lastError = m_error;
    }
    for (const PendingDrop &d : pending) {
        qsizetype i = out->streams.size() - 1;
        while (i >= 0
            && (out->streams[i].instrumentId != d.instrumentId || out->streams[i].streamId != d.streamId))
            --i;
        if (i < 0) {
            StreamRecordStats st;
            st.instrumentId = d.instrumentId;
            st.streamId = d.streamId;
            st.generation = 0;
            out->streams.append(st);
            i = out->streams.size() - 1;
        }
        out->streams[i].droppedSamples += d.run.samples;
        out->streams[i].deviceLostSamples += d.run.deviceLost;
        out->streams[i].overflowBlocks += d.run.overflowBlocks;
    }
}

} // namespace bs
