// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingSession.h"

#include "NullWriter.h"
#include "RecordingNames.h"
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
    , m_start(std::chrono::steady_clock::now())
    , m_partStart(m_start)
{
    m_parts << (options.splits() ? recordingPartPath(options.path, 1) : options.path);
}

QStringList RecordingSession::parts() const
{
    std::lock_guard lock(m_mutex);
    return m_parts;
}

qint64 RecordingSession::bytesSoFar() const
{
    std::lock_guard lock(m_mutex);
    return std::max(m_closedPartBytes + m_writer->fileBytes(), m_bytesWritten);
}

QString RecordingSession::autoStopReason() const
{
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const double s = m_options.stopAfterSeconds;
    if (s > 0 && elapsed >= s)
        return s >= 120 ? QCoreApplication::translate("bs::Recorder", "stopped after %1 minutes as set (auto-stop)")
                              .arg(s / 60.0)
                        : QCoreApplication::translate("bs::Recorder", "stopped after %1 s as set (auto-stop)").arg(s);
    const double b = double(m_options.stopAfterBytes);
    if (b > 0 && bytesSoFar() >= m_options.stopAfterBytes)
        return b >= 1e9 ? QCoreApplication::translate("bs::Recorder", "stopped at %1 GB as set (auto-stop)").arg(b / 1e9)
                        : QCoreApplication::translate("bs::Recorder", "stopped at %1 MB as set (auto-stop)").arg(b / 1e6);
    return {};
}

bool RecordingSession::partFull() const
{
    if (!m_options.splits() || m_partRows == 0 || m_failed)
        return false;
    if (m_options.splitSeconds > 0
        && std::chrono::duration<double>(std::chrono::steady_clock::now() - m_partStart).count()
            >= m_options.splitSeconds)
        return true;
    if (m_options.splitBytes > 0) {
        std::lock_guard lock(m_mutex);
        if (std::max(m_writer->fileBytes(), m_bytesWritten - m_partPayloadStart) >= m_options.splitBytes)
            return true;
    }
    return false;
}

void RecordingSession::startNextPart()
{
    for (const QString &key : std::as_const(m_slotOrder)) {
        Slot &s = m_slots[key];
        if (s.handle < 0)
            continue;
        finishSlot(s);
        s.reopen = true;
    }
    closeFileAndReconcile();
    for (int &h : m_handles)
        h = -1; // handles of the closed file
    RecordingOptions next = m_options;
    {
        std::lock_guard lock(m_mutex);
        m_closedPartBytes += m_writer->fileBytes();
        next.path = recordingPartPath(m_options.path, int(m_parts.size()) + 1);
    }
    std::unique_ptr<RecordingWriter> writer = makeRecordingWriter(m_options.format);
    QString error;
    if (!m_failed && !writer->open(next, &error)) {
        check(false, error);
        writer = std::make_unique<NullWriter>(); // nothing more is written (m_failed)
    }
    {
        std::lock_guard lock(m_mutex);
        m_writer = std::move(writer);
        if (!m_failed)
            m_parts << next.path;
        m_partPayloadStart = m_bytesWritten;
    }
    m_partStart = std::chrono::steady_clock::now();
    m_partRows = 0;
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
    if (regular || info.timeChannel >= channels || info.channels.size() != channels)
        info.timeChannel = -1; // (only for the announced layout of an irregular stream)
    info.channels.resize(channels);
    for (int c = 0; c < channels; ++c)
        if (info.channels[c].name.isEmpty())
            info.channels[c].name = QStringLiteral("ch%1").arg(c + 1);
    return info;
}

bool RecordingSession::ensureStream(Slot &s, int channels, bool regular, double dt, bool newGenerationOnChange,
    const std::vector<SampleFormat> *blockFormats)
{
    if (s.handle >= 0
        && (!newGenerationOnChange || (s.channelCount == channels && s.regular == regular && !s.reannouncedOther)))
        return true;
    if (s.handle >= 0)
        finishSlot(s);
    if (m_failed)
        return false;
    StreamHeader h;
    h.instrument = m_options.instrument(s.instrumentId);
    h.stream = streamInfo(s, channels, regular);
    bool announced = false;
    for (const StreamInfo &a : m_announced.value(s.instrumentId))
        announced = announced || (a.id == s.streamId && a.channels.size() == channels);
    if (!announced && blockFormats && qsizetype(blockFormats->size()) == channels)
        for (int c = 0; c < channels; ++c) // never announced: the first block says what is stored
            h.stream.channels[c].format = (*blockFormats)[std::size_t(c)];
    const bool reopen = s.reopen;
    s.reopen = false;
    h.generation = reopen ? s.generation : ++s.generation;
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
    s.formats = h.stream.formats();
    s.timeChannel = h.stream.timeChannel;
    s.regular = regular;
    s.channels.clear();
    for (const StreamInfo &announced : m_announced.value(s.instrumentId))
        if (announced.id == s.streamId)
            s.channels = announced.channels;
    s.reannouncedOther = false;
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
    writeHeldMarkers(s, reopen);
    return true;
}

void RecordingSession::writeHeldMarkers(Slot &s, bool nextPart)
{
    auto it = m_heldMarkers.find(s.instrumentId);
    if (it == m_heldMarkers.end())
        return;
    for (const HeldMarker &h : std::as_const(*it)) {
        // A stream created again in the next part of a split recording gets only what its
        // previous part did not have.
        if (nextPart && h.streamId.isEmpty() && h.seq <= s.eventsSeen)
            continue;
        if (h.streamId.isEmpty() || h.streamId == s.streamId) {
            writeMarker(s, h.marker);
            s.eventsSeen = std::max(s.eventsSeen, h.seq);
        }
    }
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
    const quint64 seq = ++m_eventSeq;
    bool written = false;
    for (const QString &key : std::as_const(m_slotOrder)) {
        Slot &s = m_slots[key];
        if (s.instrumentId != e.instrumentId || s.handle < 0 || (!e.streamId.isEmpty() && s.streamId != e.streamId))
            continue;
        m.fileRow = s.timeline.rows();
        writeMarker(s, m);
        s.eventsSeen = seq;
        written = true;
    }
    if (written && !e.streamId.isEmpty())
        return;
    // Not yet a stream to hold it (or instrument-wide: also for streams that come later).
    m.fileRow = 0;
    QList<HeldMarker> &held = m_heldMarkers[e.instrumentId];
    if (held.size() >= MaxHeldMarkers)
        held.removeFirst();
    held.append({ e.streamId, m, seq });
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

void RecordingSession::closeFileAndReconcile()
{
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
        handleAnnouncement(item.instrumentId, item.streams);
        return;
    }
    const SampleBlock &b = *item.block;
    // Between two blocks: nothing lost, nothing written twice. A block without samples (a
    // driver's last word on a capture) stays in the full part rather than open an empty one.
    if (b.sampleCount && partFull())
        startNextPart();
    Slot &s = slot(b.instrumentId, b.streamId);
    if (item.dropped.blocks)
        recordDrop(s, item.dropped);
    const bool regular = b.isRegular();
    const quint64 lost = std::max<quint64>(b.lostBefore, item.gap);
    const bool flagged = b.flags & (SampleBlock::Overflow | SampleBlock::DataLost);
    if (m_failed || !ensureStream(s, b.channelCount, regular, b.dt, true, &b.formats())) {
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
    if (!b.isConsistent() || b.formats() != s.formats || (s.timeChannel >= 0 && std::isnan(b.timeOffset))) {
        refuseBlock(s, b);
        std::lock_guard lock(m_mutex);
        StreamRecordStats &st = m_stats[s.statsIndex];
        st.deviceLostSamples += lost;
        st.overflowBlocks += flagged ? 1 : 0;
        return;
    }
    double first = NAN, last = NAN;
    if (b.sampleCount) {
        Segment segment;
        const bool fresh = s.timeline.append(b, &segment);
        QString error;
        check(m_writer->write(s.handle, b, fresh ? &segment : nullptr, &error), error);
        first = regular ? s.timeline.time(row) : recordingTime(b.time(0));
        last = regular ? s.timeline.time(s.timeline.rows() - 1) : recordingTime(b.time(b.sampleCount - 1));
        s.ends.push_back({ s.timeline.rows(), last, s.timeline.segment() });
        m_partRows += b.sampleCount;
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

void RecordingSession::refuseBlock(Slot &s, const SampleBlock &b)
{
    auto describe = [](const SampleFormat &f) {
        return f.isIdentity() ? sampleTypeName(f.type)
                              : QStringLiteral("%1 ×%2 %3%4")
                                    .arg(sampleTypeName(f.type))
                                    .arg(f.scale)
                                    .arg(f.offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                                    .arg(std::abs(f.offset));
    };
    QStringList found, expected;
    for (int c = 0; c < b.channelCount && c < int(b.formats().size()); ++c)
        found << describe(b.format(c));
    for (const SampleFormat &f : s.formats)
        expected << describe(f);
    const QString message = !b.isConsistent()
        ? QCoreApplication::translate("bs::Recorder", "%1/%2: refused an inconsistent block of %3 samples")
              .arg(s.instrumentId, s.streamId)
              .arg(b.sampleCount)
        : b.formats() != s.formats
        ? QCoreApplication::translate("bs::Recorder",
              "%1/%2: refused a block of %3 samples whose channel formats (%4) differ from the announced ones (%5)")
              .arg(s.instrumentId, s.streamId)
              .arg(b.sampleCount)
              .arg(found.join(QStringLiteral(", ")), expected.join(QStringLiteral(", ")))
        : QCoreApplication::translate("bs::Recorder",
              "%1/%2: refused a block of %3 samples without the time offset its stream announced (its times "
              "come from a channel)")
              .arg(s.instrumentId, s.streamId)
              .arg(b.sampleCount);
    addEvent(s, { s.timeline.rows(), recordingTime(b.t0), b.firstIndex, b.sampleCount, LossKind::FormatMismatch });
    std::lock_guard lock(m_mutex);
    StreamRecordStats &st = m_stats[s.statsIndex];
    st.droppedSamples += b.sampleCount;
    ++st.refusedBlocks;
    ++m_refusedBlocks;
    m_warning = message;
}

void RecordingSession::handleAnnouncement(const QString &instrumentId, const QVector<StreamInfo> &streams)
{
    m_announced.insert(instrumentId, streams);
    // The same stream id with the same channels continues in the same dataset / CSV file (a new
    // time segment there when its sample index restarted). Other names or units would be
    // mislabelled there: the next block starts a new generation (a new group or file).
    for (const StreamInfo &info : streams) {
        const auto it = m_slots.find(instrumentId + QChar(0x1f) + info.id);
        if (it == m_slots.end() || it->handle < 0 || it->channels.isEmpty())
            continue; // not recorded yet, or created before its streams were announced
        bool same = info.channels.size() == it->channels.size();
        for (qsizetype c = 0; same && c < info.channels.size(); ++c)
            same = info.channels[c].name == it->channels[c].name && info.channels[c].unit == it->channels[c].unit
                && info.channels[c].format == it->channels[c].format;
        if (!same)
            it->reannouncedOther = true;
    }
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
    m_fileBytes = m_closedPartBytes + m_writer->fileBytes();
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
    closeFileAndReconcile();
    std::lock_guard lock(m_mutex);
    m_fileBytes = m_closedPartBytes + m_writer->fileBytes();
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
        out->lastWarning = m_warning;
        out->refusedBlocks = m_refusedBlocks;
        out->files = m_parts;
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
