// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorCapture.h"

#include "PandaSimulatorDataClient.h"

#include <QTcpSocket>
#include <QTimer>

namespace bs::panda {

PandaSimulatorCapture::PandaSimulatorCapture(
    PandaSimulatorModel &model, const CaptureSettings &settings, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_settings(settings)
    , m_timer(new QTimer(this))
    , m_encoder(settings.base64Nul)
{
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(qMax(1, settings.tickMs));
    connect(m_timer, &QTimer::timeout, this, &PandaSimulatorCapture::onTick);
}

PandaSimulatorCapture::~PandaSimulatorCapture() = default;

void PandaSimulatorCapture::addDataClient(QTcpSocket *socket)
{
    auto *client = new PandaSimulatorDataClient(socket, this);
    if (!m_settings.replay.isEmpty())
        client->setReplay(m_settings.replay, m_settings.replayChunkBytes, m_settings.replayDelayMs);
    m_clients.append(client);
    connect(client, &PandaSimulatorDataClient::ready, this, [this, client] { joinCapture(client); });
    connect(client, &PandaSimulatorDataClient::closed, this, [this, client] { m_clients.removeAll(client); });
}

void PandaSimulatorCapture::shutdown()
{
    m_timer->stop();
    m_armed = false;
    m_model.setCaptureActive(false, 0);
    const auto clients = m_clients;
    m_clients.clear();
    for (const QPointer<PandaSimulatorDataClient> &c : clients)
        delete c.data();
}

QList<QByteArray> PandaSimulatorCapture::dataClientLines() const
{
    QList<QByteArray> lines;
    for (const auto &c : m_clients) {
        if (c)
            lines.append(c->whoLine());
    }
    return lines;
}

QByteArray PandaSimulatorCapture::captureStatus() const
{
    int readers = 0;
    int taking = 0;
    const auto clients = m_clients; // takingData() flushes, which may close a client
    for (const auto &c : clients) {
        if (!c || c->state() == PandaSimulatorDataClient::State::AwaitingOptions
            || c->state() == PandaSimulatorDataClient::State::Closed)
            continue;
        ++readers;
        if (c->takingData())
            ++taking;
    }
    return QByteArray(m_armed ? "Busy" : "Idle") + ' ' + QByteArray::number(readers) + ' '
        + QByteArray::number(taking);
}

QByteArray PandaSimulatorCapture::headerFor(const SimDataOptions &options) const
{
    HeaderInfo info;
    if (m_settings.sendArmStartTime) {
        info.armTime = m_armTime;
        info.startTime = m_startTime;
    }
    return renderHeader(m_layout, options, info);
}

Reply PandaSimulatorCapture::arm()
{
    if (m_armed)
        return Reply::error("Data capture already in progress");
    if (!m_model.anythingCaptured())
        return Reply::error("Nothing configured for capture");
    const auto clients = m_clients; // takingData() flushes, which may close a client
    for (const auto &c : clients) {
        if (c && c->takingData())
            return Reply::error("Data clients still taking data");
    }
    m_layout = buildCaptureLayout(m_model, m_settings.oldGateDurationType);
    m_armTime = isoTimeNow();
    const qint64 armAbsTick = m_model.nowTicks();
    m_model.setCaptureActive(true, armAbsTick);
    m_startTime = isoTimeNow();
    m_generator.start(m_model, m_layout, armAbsTick);
    m_encoder.reset(&m_layout);
    m_rowsGenerated.store(0);
    m_completion = "Busy";
    m_wall.start();
    m_lastWallNs = 0;
    m_deviceNs = 0;
    m_armed = true;
    for (const auto &c : clients) {
        if (c && c->state() == PandaSimulatorDataClient::State::Idle)
            c->beginCapture(headerFor(c->options()));
    }
    m_timer->start();
    return Reply::ok();
}

void PandaSimulatorCapture::joinCapture(PandaSimulatorDataClient *client)
{
    if (!m_armed)
        return;
    HeaderInfo info;
    if (m_settings.sendArmStartTime) {
        info.armTime = m_armTime;
        info.startTime = m_startTime;
    }
    info.missed = m_settings.lateJoinReportsMissed ? m_generator.rowCount() : 0;
    client->beginCapture(renderHeader(m_layout, client->options(), info));
}

void PandaSimulatorCapture::disarm()
{
    if (!m_armed)
        return;
    onTick(); // rows up to the DISARM instant
    finish("Disarmed");
}

void PandaSimulatorCapture::onTick()
{
    if (!m_armed)
        return;
    const qint64 wallNs = m_wall.nsecsElapsed();
    m_deviceNs += qMin(wallNs - m_lastWallNs, kMaxCatchUpNs);
    m_lastWallNs = wallNs;
    produce(m_deviceNs / 8);
}

void PandaSimulatorCapture::produce(qint64 deviceTick)
{
    const quint64 limit = m_settings.captureLimit;
    qint64 maxRows = kMaxRowsPerBatch;
    if (limit > 0)
        maxRows = qMin<qint64>(maxRows, qint64(limit - m_generator.rowCount()));
    const RowBatch batch = m_generator.generate(m_model, deviceTick, maxRows);
    if (batch.rows == kMaxRowsPerBatch)
        m_deviceNs = m_generator.lastTriggerTick() * 8; // cannot keep up: simulated time falls behind
    m_model.setTriggerCount(qint64(m_generator.rowCount()));
    m_rowsGenerated.store(m_generator.rowCount(), std::memory_order_relaxed);
    if (batch.rows > 0)
        distribute(batch);
    if (m_armed && limit > 0 && m_generator.rowCount() >= limit)
        finish("Ok");
}

void PandaSimulatorCapture::distribute(const RowBatch &batch)
{
    m_encoder.beginBatch(&batch);
    bool anyCapturing = false;
    for (const auto &c : std::as_const(m_clients))
        anyCapturing = anyCapturing || (c && c->state() == PandaSimulatorDataClient::State::Capturing);

    // A framing error ends the capture itself; the other faults wait for a capturing client.
    auto fault = CaptureFault(m_pendingFault.load());
    if (fault != CaptureFault::None && (fault == CaptureFault::FramingError || anyCapturing))
        fault = CaptureFault(m_pendingFault.exchange(int(CaptureFault::None)));
    else
        fault = CaptureFault::None;

    const auto clients = m_clients;
    for (const auto &c : clients) {
        if (!c || c->state() != PandaSimulatorDataClient::State::Capturing)
            continue;
        const QByteArray &payload = m_encoder.payload(c->options());
        switch (fault) {
        case CaptureFault::DropMidFrame:
            c->dropMidFrame(payload);
            break;
        case CaptureFault::Garbage:
            c->sendGarbage(payload, quint64(batch.rows));
            break;
        case CaptureFault::DataOverrun:
            c->endCapture("Data overrun");
            break;
        default:
            c->sendRows(payload, quint64(batch.rows), m_settings.overrunBytes);
            break;
        }
    }
    if (fault == CaptureFault::FramingError)
        finish("Framing error");
}

void PandaSimulatorCapture::finish(const QByteArray &reason)
{
    if (!m_armed)
        return;
    m_armed = false;
    m_timer->stop();
    m_completion = reason;
    m_model.setCaptureActive(false, 0);
    const auto clients = m_clients;
    for (const auto &c : clients) {
        if (c)
            c->endCapture(reason);
    }
    emit captureFinished(m_generator.rowCount(), reason);
}

} // namespace bs::panda
