// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecordingRun.h"

#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bs::cli {

namespace {
constexpr int kTickMs = 200;
constexpr int kConnectTimeoutMs = 10000;
constexpr int kDrainTimeoutMs = 5000;

void err(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}
} // namespace

RecordingRun::RecordingRun(const RecOptions &opts, const Session &session, QObject *parent)
    : QObject(parent)
    , m_opts(opts)
    , m_session(session)
{
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &RecordingRun::onTick);
    connect(&m_recorder, &Recorder::errorOccurred, this, [this](const QString &m) {
        m_errors.append(m);
        err(tr("recording error: %1").arg(m));
        m_instrumentFailed = true;
        stopAcquisition();
    });
}

RecordingRun::~RecordingRun()
{
    m_recorder.stop();
    m_workspace.clear();
}

void RecordingRun::start()
{
    QString error;
    if (!m_workspace.applySession(m_session, &error)) {
        m_errors.append(error);
        err(error);
        m_summary = buildSummary(Failed);
        Q_EMIT finished(Failed);
        return;
    }
    if (m_workspace.instruments().isEmpty()) {
        m_errors.append(tr("the session has no instruments: nothing to record"));
        err(m_errors.last());
        m_summary = buildSummary(Failed);
        Q_EMIT finished(Failed);
        return;
    }
    for (InstrumentHost *h : m_workspace.instruments()) {
        h->setAutoReconnect(m_opts.reconnect); // only when asked: otherwise a lost connection fails the run
        connect(h, &InstrumentHost::errorOccurred, this, [this, h](const QString &m) {
            m_errors.append(h->id() + QStringLiteral(": ") + m);
            err(h->id() + QStringLiteral(": ") + m);
        });
        connect(h, &InstrumentHost::message, this, [this, h](const QString &m) {
            if (!m_opts.quiet)
                err(h->id() + QStringLiteral(": ") + m);
        });
        connect(h, &InstrumentHost::warningRaised, this, [this, h](const QString &w) {
            m_warnings.append(h->id() + QStringLiteral(": ") + w);
            err(tr("warning: %1: %2").arg(h->id(), w));
        });
        connect(h, &InstrumentHost::eventOccurred, this, [this, h](const InstrumentEvent &e) {
            if (e.kind == InstrumentEvent::Kind::ConnectionLost)
                err(tr("%1: connection lost (%2); reconnecting").arg(h->id(), e.text));
            else if (e.kind == InstrumentEvent::Kind::ConnectionRestored)
                err(tr("%1: %2").arg(h->id(), e.text));
            else if (e.kind == InstrumentEvent::Kind::CaptureEnded && !m_opts.quiet)
                err(tr("%1: capture ended (%2)%3")
                        .arg(h->id(), e.text, e.complete ? QString() : tr(", incomplete")));
        });
        connect(h, &InstrumentHost::stateChanged, this, [this, h](Instrument::State s, const QString &d) {
            if (s == Instrument::State::Error && m_opts.reconnect && h->reconnectStatus().outage
                && m_stoppingSinceMs < 0) {
                return; // --reconnect: it is being reconnected (attempts go on until the end)
            } else if (s == Instrument::State::Error) {
                m_instrumentFailed = true;
                err(tr("%1 failed: %2").arg(h->id(), d));
                stopAcquisition();
            } else if (s == Instrument::State::Finished && m_stoppingSinceMs < 0 && allDone()) {
                err(tr("every instrument has finished its capture"));
                stopAcquisition();
            }
        });
    }
    // What the session's `recording` says (auto-stop besides --duration), with the command line's
    // format, split and compression where it gives them.
    RecordingOptions ro = recordingOptionsFor(m_session.recording);
    ro.format = m_opts.format;
    ro.path = m_opts.outputPath();
    if (m_opts.splitMinutes >= 0)
        ro.splitSeconds = m_opts.splitMinutes * 60.0;
    if (m_opts.splitGB >= 0)
        ro.splitBytes = qint64(m_opts.splitGB * 1e9);
    if (!m_opts.compression.isEmpty()) {
        ro.compressionLevel = 1;
        parseCompression(m_opts.compression, &ro.compression, &ro.compressionLevel); // validated by parse()
    }
    Session snapshot = m_workspace.toSession(); // every parameter value, not just those in the file
    snapshot.views = m_session.views;
    snapshot.recording = m_session.recording;
    ro.sessionSnapshot = snapshot.toBytes();
    for (const auto &i : m_session.instruments)
        ro.instruments.append({i.id, i.type, i.name, i.address});
    // One run from t = 0: the session clock starts now, and the recording's time 0 with it.
    m_workspace.beginTimeline();
    if (!m_recorder.start(ro, &error)) {
        m_errors.append(error);
        err(error);
        m_summary = buildSummary(Failed);
        Q_EMIT finished(Failed);
        return;
    }
    m_workspace.addSink(&m_recorder);
    m_workspace.setOutputFolder(ro.folder()); // a device's own files (a Moku's log) go beside it
    err(tr("recording %1 s to %2").arg(m_opts.durationS).arg(ro.path));
    m_workspace.runAll(); // connects each instrument, then starts it
    m_clock.start();
    m_tick.start();
}

namespace {
/// Reached Running or Finished since Run, or failed trying.
bool hasStarted(const InstrumentHost *h)
{
    return h->report().started || h->state() == Instrument::State::Error;
}
} // namespace

bool RecordingRun::allStarted() const
{
    const QVector<InstrumentHost *> hosts = m_workspace.instruments();
    return std::all_of(hosts.begin(), hosts.end(), hasStarted);
}

bool RecordingRun::allDone() const
{
    for (InstrumentHost *h : m_workspace.instruments()) {
        const Instrument::State s = h->state();
        if (h->reconnectStatus().outage)
            return false; // being reconnected: its recording is not done
        if (s == Instrument::State::Error)
            continue;
        if (!h->report().started || s == Instrument::State::Running || s == Instrument::State::Connecting)
            return false;
    }
    return true;
}

QStringList RecordingRun::notStarted() const
{
    QStringList out;
    for (InstrumentHost *h : m_workspace.instruments())
        if (!hasStarted(h))
            out << tr("%1 (%2)").arg(h->id(), Instrument::stateName(h->state()));
    return out;
}

bool RecordingRun::allIdle() const
{
    for (InstrumentHost *h : m_workspace.instruments())
        if (h->state() == Instrument::State::Running || h->state() == Instrument::State::Connecting)
            return false;
    return true;
}

void RecordingRun::onTick()
{
    const qint64 now = m_clock.elapsed();
    if (m_stoppingSinceMs >= 0) {
        if (allIdle() || now - m_stoppingSinceMs > kDrainTimeoutMs)
            finish();
        return;
    }
    if (allDone()) { // every capture ended by itself: a normal end, before the duration
        stopAcquisition();
        return;
    }
    if (m_stopAtMs < 0) {
        if (allStarted()) {
            m_stopAtMs = now + qint64(m_opts.durationS * 1000);
        } else if (now > kConnectTimeoutMs) {
            m_instrumentFailed = true;
            err(tr("did not start within %1 s: %2")
                    .arg(kConnectTimeoutMs / 1000)
                    .arg(notStarted().join(QStringLiteral(", "))));
            stopAcquisition();
            return;
        }
    } else if (now >= m_stopAtMs) {
        stopAcquisition();
        return;
    }
    if (!m_recorder.isRecording() && !m_recorder.stats().stopReason.isEmpty()) {
        err(tr("recording %1").arg(m_recorder.stats().stopReason)); // the session's auto-stop
        stopAcquisition();
        return;
    }
    if (!m_opts.quiet && now - m_lastProgressMs >= 1000) {
        m_lastProgressMs = now;
        progressLine();
    }
}

void RecordingRun::progressLine()
{
    const RecorderStats s = m_recorder.stats();
    quint64 rows = 0;
    for (InstrumentHost *h : m_workspace.instruments())
        rows += h->stats().samples;
    err(tr("t=%1 s  rows=%2  written=%3 MB  queue=%4 MB  dropped=%5  lost=%6")
            .arg(s.elapsedS, 0, 'f', 1)
            .arg(rows)
            .arg(double(s.bytesWritten) / 1e6, 0, 'f', 1)
            .arg(double(s.queuedBytes) / 1e6, 0, 'f', 1)
            .arg(s.droppedSamples)
            .arg(s.lostSamples));
}

void RecordingRun::requestStop(const QString &reason)
{
    if (m_stoppingSinceMs < 0 && !m_done)
        m_interrupted = reason.isEmpty() ? QStringLiteral("stop requested") : reason;
    stopAcquisition();
}

void RecordingRun::stopAcquisition()
{
    if (m_stoppingSinceMs >= 0)
        return;
    m_stoppingSinceMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    for (InstrumentHost *h : m_workspace.instruments()) {
        if (h->reconnectStatus().outage) { // --reconnect, and still not back at the end
            m_instrumentFailed = true;
            err(tr("%1 failed: its connection was lost and not restored before the end").arg(h->id()));
        }
    }
    m_workspace.stopAll();
    if (!m_tick.isActive())
        m_tick.start();
}

void RecordingRun::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_tick.stop();
    if (!m_opts.quiet)
        progressLine(); // the final figures, also for runs shorter than a progress period
    m_workspace.closeAll();
    m_workspace.setOutputFolder(QString()); // queued after the close: a last download still sees it
    m_workspace.removeSink(&m_recorder);
    m_recorder.stop();
    const int code = exitCode();
    m_summary = buildSummary(code);
    Q_EMIT finished(code);
}

int RecordingRun::exitCode() const
{
    const RecorderStats s = m_recorder.stats();
    if (m_instrumentFailed || !s.lastError.isEmpty())
        return Failed;
    quint64 hostLost = 0;
    int incomplete = 0;
    int connectionsLost = 0;
    for (InstrumentHost *h : m_workspace.instruments()) {
        connectionsLost += h->report().connectionsLost;
        hostLost += h->stats().lostSamples;
        incomplete += h->report().incompleteCaptures;
    }
    if (s.droppedSamples || s.lostSamples || hostLost || incomplete)
        return SamplesLost;
    if (!m_warnings.isEmpty() || s.droppedEvents || !m_interrupted.isEmpty() || connectionsLost)
        return NotAsAsked;
    return Ok;
}

QJsonObject RecordingRun::buildSummary(int code) const
{
    const RecorderStats s = m_recorder.stats();
    QJsonArray streams;
    for (const auto &st : s.streams) {
        streams.append(QJsonObject{{QStringLiteral("instrument"), st.instrumentId},
                                   {QStringLiteral("stream"), st.streamId},
                                   {QStringLiteral("samples"), double(st.samples)},
                                   {QStringLiteral("dropped"), double(st.droppedSamples)},
                                   {QStringLiteral("lost"), double(st.deviceLostSamples)},
                                   {QStringLiteral("first_time"), std::isnan(st.firstTime) ? QJsonValue() : st.firstTime},
                                   {QStringLiteral("last_time"), std::isnan(st.lastTime) ? QJsonValue() : st.lastTime},
                                   {QStringLiteral("stops"), double(st.stops)},
                                   {QStringLiteral("restarts"), double(st.restarts)},
                                   {QStringLiteral("outages"), double(st.outages)},
                                   {QStringLiteral("outage_s"), st.outageSeconds},
                                   {QStringLiteral("file"), QFileInfo(st.file).absoluteFilePath()},
                                   {QStringLiteral("group"), st.group}});
    }
    QJsonArray instruments;
    for (InstrumentHost *h : m_workspace.instruments()) {
        const InstrumentStats is = h->stats();
        const InstrumentReport &r = h->report();
        QJsonArray captures;
        for (const InstrumentEvent &e : r.captureEnds)
            captures.append(e.toJson());
        instruments.append(QJsonObject{{QStringLiteral("id"), h->id()},
                                       {QStringLiteral("type"), h->type()},
                                       {QStringLiteral("state"), Instrument::stateName(h->state())},
                                       {QStringLiteral("finished"), r.finished},
                                       {QStringLiteral("samples"), double(is.samples)},
                                       {QStringLiteral("lost"), double(is.lostSamples)},
                                       {QStringLiteral("captures"), r.capturesEnded},
                                       {QStringLiteral("incomplete_captures"), r.incompleteCaptures},
                                       {QStringLiteral("capture_ends"), captures},
                                       {QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings)},
                                       {QStringLiteral("connections_lost"), r.connectionsLost},
                                       {QStringLiteral("last_error"), h->lastError()}});
    }
    return {{QStringLiteral("ok"), code == Ok},
            {QStringLiteral("exit_code"), code},
            {QStringLiteral("output"), QFileInfo(m_opts.outputPath()).absoluteFilePath()},
            {QStringLiteral("files"), QJsonArray::fromStringList(s.files)},
            {QStringLiteral("stop_reason"), s.stopReason.isEmpty() ? QJsonValue() : QJsonValue(s.stopReason)},
            {QStringLiteral("format"), m_opts.format == RecordingOptions::Format::Csv ? QStringLiteral("csv")
                                                                                     : QStringLiteral("hdf5")},
            {QStringLiteral("duration_s"), s.elapsedS},
            {QStringLiteral("bytes_written"), double(s.bytesWritten)},
            {QStringLiteral("dropped"), double(s.droppedSamples)},
            {QStringLiteral("lost"), double(s.lostSamples)},
            {QStringLiteral("dropped_events"), double(s.droppedEvents)},
            {QStringLiteral("errors"), QJsonArray::fromStringList(m_errors)},
            {QStringLiteral("interrupted"), m_interrupted.isEmpty() ? QJsonValue() : QJsonValue(m_interrupted)},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(m_warnings)},
            {QStringLiteral("streams"), streams},
            {QStringLiteral("instruments"), instruments}};
}

} // namespace bs::cli
