// SPDX-License-Identifier: GPL-3.0-or-later
// PandaDriver: the data port — headers, frames and END lines into SampleBlocks on stream "pcap",
// with the time base of each capture.
#include "PandaDriver.h"

#include "SessionClock.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstring>

namespace bs::panda {

namespace {
const QString kStream = QStringLiteral("pcap");

QString unitOf(const FieldInfo &f)
{
    if (!f.units.isEmpty() && f.units != QLatin1String("(null)"))
        return f.units;
    // A position output the PandA gives no unit for (a COUNTER, an encoder left unscaled) counts:
    // "counts" names its axis and legend. PCAP's own words (BITS, SAMPLES) stay without a unit.
    if (!f.name.startsWith(QLatin1String("PCAP.")))
        return QStringLiteral("counts");
    return {};
}
} // namespace

void PandaDriver::onDataReadyRead()
{
    if (!m_parser || m_draining)
        return;
    const QByteArray bytes = m_data.readAll();
    m_parser->feed(bytes.constData(), std::size_t(bytes.size()));
    DataEvent ev;
    while (m_parser && m_parser->takeEvent(ev))
        handleEvent(ev);
    flushFrames();
    if (m_parser && m_parser->failed())
        connectionFailed(tr("PandA %1 sent a corrupt data stream: %2").arg(peerText(), m_parser->error()));
}

void PandaDriver::handleEvent(DataEvent &ev)
{
    // While our ARM is unanswered a header may be ours or another client's: keep it (and what
    // follows) until the reply says which.
    const bool captureEvent = ev.kind == DataEvent::Kind::Start || ev.kind == DataEvent::Kind::Frame
        || ev.kind == DataEvent::Kind::End;
    if (m_armInProgress && captureEvent && (ev.kind == DataEvent::Kind::Start || !m_held.empty())) {
        m_held.push_back(std::move(ev));
        ev = DataEvent();
        return;
    }
    processEvent(ev);
}

void PandaDriver::processEvent(DataEvent &ev)
{
    switch (ev.kind) {
    case DataEvent::Kind::Ready:
        m_dataTimeout.stop();
        m_dataReady = true;
        checkConnected();
        break;
    case DataEvent::Kind::Refused:
        connectionFailed(tr("PandA data port refused the option line: %1").arg(ev.message));
        break;
    case DataEvent::Kind::Start:
        flushFrames();
        beginCapture(ev.header);
        break;
    case DataEvent::Kind::Frame:
        addFrame(ev);
        break;
    case DataEvent::Kind::End:
        flushFrames();
        endCapture(ev);
        break;
    }
}

void PandaDriver::beginCapture(const DataHeader &h)
{
    m_header = h;
    m_inCapture = true;
    m_captureIsOurs = m_running;
    m_captureRows = 0;
    if (!m_captureIsOurs && !m_other)
        joinOtherCapture(tr("PandA %1 was armed by another client").arg(peerText()));
    followSessionClock();
    // Our ARM's time if we armed, else the time the header arrived; never before the last row.
    // A capture another client armed may have run long before we joined: with a timestamp
    // column its start is placed from the first rows (see flushFrames()).
    m_captureT0 = m_captureIsOurs && m_armSessionTime >= 0 ? m_armSessionTime : SessionClock::now();
    m_captureT0 = std::max(m_captureT0, m_lastTime);
    m_armSessionTime = -1;
    m_timeColumn = -1;
    int startColumn = -1;
    StreamInfo s;
    s.id = kStream;
    s.name = tr("Position capture");
    s.regular = false;
    // RAW words in their own width with the field's SCALE/OFFSET; Mean, StdDev and SCALED
    // values as doubles (sampleFormats()).
    m_formats = sampleFormats(h);
    for (int c = 0; c < h.fields.size(); ++c) {
        const FieldInfo &f = h.fields[c];
        ChannelInfo ch{f.column(), unitOf(f), {}, true, m_formats[std::size_t(c)]};
        // Timestamps, gate lengths and bit words are recorded but not plotted unless asked for.
        ch.plotByDefault = !f.name.startsWith(QLatin1String("PCAP."));
        s.channels.append(ch);
        if (f.column() == QLatin1String("PCAP.TS_TRIG.Value") || f.column() == QLatin1String("PCAP.TS_CAPTURE.Value"))
            m_timeColumn = c;
        else if (f.column() == QLatin1String("PCAP.TS_START.Value"))
            startColumn = c;
    }
    if (m_timeColumn < 0)
        m_timeColumn = startColumn;
    m_originFromFirstRow = !m_captureIsOurs && m_timeColumn >= 0;
    const bool clocked = m_captureIsOurs && m_active.clockTriggers && m_active.clockPeriod > 0;
    m_rowIndexTime = m_timeColumn < 0 && !clocked;
    s.nominalRate = clocked ? 1.0 / m_active.clockPeriod : 0.0;
    s.timeChannel = m_timeColumn; // times = that column in seconds + the capture's start (flushFrames())
    setStreams({s});
    if (m_rowIndexTime) {
        const QString text = tr("PandA %1: no timestamp is captured and the rows are not triggered by CLOCK1 at a "
                                "known period, so row times are the row index (1 s per row), not seconds. Capture "
                                "PCAP.TS_TRIG for real times.").arg(peerText());
        Q_EMIT message(text);
        warn(text, kStream);
    }
    if (h.missed)
        Q_EMIT message(tr("PandA skipped %1 rows before this connection joined the capture").arg(h.missed));
    // The capture's own facts go into the file: what the header says, and who armed it.
    QJsonObject details{{QStringLiteral("capture"), ++m_captureCount},
                        {QStringLiteral("armed_by"), m_captureIsOurs ? QStringLiteral("this program")
                                                                     : QStringLiteral("another client")},
                        {QStringLiteral("missed"), double(h.missed)}};
    if (h.armTime)
        details.insert(QStringLiteral("arm_time"), *h.armTime);
    if (h.startTime)
        details.insert(QStringLiteral("start_time"), *h.startTime);
    if (h.hwTimeOffsetNs)
        details.insert(QStringLiteral("hw_time_offset_ns"), double(*h.hwTimeOffsetNs));
    QJsonArray columns;
    for (const ChannelInfo &c : std::as_const(s.channels))
        columns.append(c.name);
    details.insert(QStringLiteral("fields"), columns);
    if (m_captureIsOurs && m_active.rowLimit)
        details.insert(QStringLiteral("rows_asked"), double(m_active.rowLimit));
    captureStarted(kStream, m_captureT0, details);
}

void PandaDriver::addFrame(DataEvent &ev)
{
    if (!m_inCapture || ev.rows == 0)
        return;
    if (!m_captureIsOurs && !m_followOther) {
        m_captureRows += ev.rows; // not recorded after Stop, but the row count goes on
        return;
    }
    if (m_limitReached)
        return; // rows beyond the requested count, after our DISARM
    const quint64 limit = m_captureIsOurs ? m_active.rowLimit : 0;
    if (limit && m_captureRows + ev.rows >= limit) {
        const std::size_t keep = std::size_t(limit - m_captureRows);
        if (keep < ev.rows)
            ev.block = headRows(*ev.block, keep);
        ev.rows = keep;
        m_limitReached = true;
        disarm();
    }
    m_captureRows += ev.rows;
    if (ev.rows)
        m_pendingFrames.push_back(std::move(ev));
}

void PandaDriver::flushFrames()
{
    if (m_pendingFrames.empty())
        return;
    std::size_t rows = 0;
    for (const auto &f : m_pendingFrames)
        rows += f.rows;
    // One frame (the usual case): its block, decoded in place, is published as it is.
    MutableSampleBlockPtr block;
    if (m_pendingFrames.size() == 1) {
        block = std::move(m_pendingFrames.front().block);
    } else {
        block = SampleBlock::make(QString(), kStream, m_formats, rows, false);
        std::size_t at = 0;
        for (const auto &f : m_pendingFrames) {
            for (int c = 0; f.rows > 0 && c < block->channelCount; ++c) {
                const std::size_t size = sampleTypeSize(block->format(c).type);
                std::memcpy(block->rawData(c) + at * size, f.block->rawData(c), f.rows * size);
            }
            at += f.rows;
        }
    }
    m_pendingFrames.clear();
    block->streamId = kStream;
    block->firstIndex = m_streamIndex;
    block->times.resize(rows);
    const quint64 first = m_captureRows - rows;
    followSessionClock();
    if (m_timeColumn >= 0) {
        // The timestamp column in seconds (a RAW int64 tick count × its SCALE), then placed on
        // the session timeline.
        block->toValues(m_timeColumn, 0, rows, block->times.data());
        const double *ts = block->times.data();
        if (m_originFromFirstRow) {
            // A capture armed by another client, joined while it ran: its rows were acquired at
            // its start + TS, and the newest one arrived just now (the data port sends rows as
            // they are captured). That puts its start on our session clock whatever our clock
            // was when the header came (even long before Run), never after the rows arrived.
            m_originFromFirstRow = false;
            m_captureT0 = SessionClock::now() - ts[rows - 1];
            if (m_rowsPublished) // never before a row already published
                m_captureT0 = std::max(m_captureT0, m_lastTime - ts[0]);
        }
        for (std::size_t i = 0; i < rows; ++i)
            block->times[i] += m_captureT0;
        block->timeOffset = m_captureT0;
    } else {
        const double step = m_rowIndexTime ? 1.0 : m_active.clockPeriod;
        for (std::size_t i = 0; i < rows; ++i)
            block->times[i] = m_captureT0 + double(first + i) * step;
    }
    block->t0 = block->times.front();
    m_lastTime = m_rowsPublished ? std::max(m_lastTime, block->times.back()) : block->times.back();
    m_rowsPublished = true;
    if (block->firstIndex == 0)
        block->flags |= SampleBlock::StartOfCapture;
    m_streamIndex += rows;
    publish(block);
}

void PandaDriver::followSessionClock()
{
    const long long epoch = SessionClock::epochNs();
    if (epoch == m_timeEpochNs)
        return;
    // Same instants, new origin: session time = steady time - epoch.
    const double shift = double(m_timeEpochNs - epoch) * 1e-9;
    if (m_timeEpochNs != 0) {
        m_captureT0 += shift;
        m_lastTime += shift;
        if (m_armSessionTime >= 0)
            m_armSessionTime += shift;
    }
    m_timeEpochNs = epoch;
}

void PandaDriver::publishEndMarker(bool error, quint64 missing)
{
    // A zero-row block carries the end-of-capture marker (and the loss, if any) to the sinks.
    auto marker = SampleBlock::make(QString(), kStream, m_formats, 0, false);
    marker->firstIndex = m_streamIndex;
    followSessionClock();
    marker->t0 = std::max(SessionClock::now(), m_lastTime);
    marker->flags = SampleBlock::EndOfCapture | (error ? SampleBlock::Overflow : 0u)
        | (missing ? SampleBlock::DataLost : 0u);
    marker->lostBefore = missing;
    marker->times.clear();
    publish(marker);
}

void PandaDriver::endCapture(const DataEvent &ev)
{
    if (!m_inCapture)
        return;
    m_inCapture = false;
    const QString text = tr("Capture ended after %1 rows: %2").arg(ev.endSamples).arg(ev.endReasonText);
    if (!m_captureIsOurs) {
        const bool recorded = m_followOther;
        m_other = false;
        m_followOther = true;
        if (recorded) {
            publishEndMarker(isErrorReason(ev.endReason), 0);
            captureEnded(kStream, m_lastTime, ev.endReasonText, !isErrorReason(ev.endReason),
                         {{QStringLiteral("capture"), m_captureCount},
                          {QStringLiteral("samples"), double(ev.endSamples)},
                          {QStringLiteral("received"), double(m_captureRows)},
                          {QStringLiteral("armed_by"), QStringLiteral("another client")}});
        }
        Q_EMIT message(tr("The capture armed by another client ended after %1 rows: %2")
                           .arg(ev.endSamples)
                           .arg(ev.endReasonText));
        if (state() == State::Running && !m_running)
            settleAfterCapture(recorded, text);
        pollStatus();
        return;
    }
    const bool error = isErrorReason(ev.endReason);
    const quint64 missing = ev.endSamples > m_captureRows && !m_limitReached ? ev.endSamples - m_captureRows : 0;
    publishEndMarker(error, missing);
    // Complete: the device ended it normally and every row it counted arrived (a row limit we
    // asked for cuts the capture on purpose). Data overrun and the like lose rows of unknown number.
    QJsonObject details{{QStringLiteral("capture"), m_captureCount},
                        {QStringLiteral("samples"), double(ev.endSamples)},
                        {QStringLiteral("received"), double(m_captureRows)},
                        {QStringLiteral("armed_by"), QStringLiteral("this program")}};
    if (m_limitReached)
        details.insert(QStringLiteral("rows_limit_reached"), true);
    if (m_userStopped)
        details.insert(QStringLiteral("stopped_by_user"), true);
    captureEnded(kStream, m_lastTime, ev.endReasonText, !error && !missing, details);
    Q_EMIT message(text);
    if (error)
        fail(tr("PandA %1: capture ended with '%2'; the %3 rows received are kept")
                 .arg(peerText(), ev.endReasonText)
                 .arg(m_captureRows));
    else if (missing)
        fail(tr("PandA %1 reported %2 rows but %3 arrived").arg(peerText()).arg(ev.endSamples).arg(m_captureRows));
    m_running = false;
    if (state() == State::Running)
        settleAfterCapture(!m_userStopped, text);
    m_userStopped = false;
    pollStatus();
}

void PandaDriver::settleAfterCapture(bool byItself, const QString &text)
{
    setState(byItself ? State::Finished : State::Connected, text);
}

} // namespace bs::panda
