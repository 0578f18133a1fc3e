// SPDX-License-Identifier: GPL-3.0-or-later
#include "PandaSimulatorDataClient.h"

#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

namespace bs::panda {
namespace {

constexpr qsizetype kMaxOptionLine = 4096;

} // namespace

PandaSimulatorDataClient::PandaSimulatorDataClient(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_connectedAt(isoTimeNow())
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress().toString().toUtf8() + ':' + QByteArray::number(m_socket->peerPort());
    connect(m_socket, &QTcpSocket::readyRead, this, &PandaSimulatorDataClient::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_state != State::Closed) {
            m_state = State::Closed;
            emit closed();
        }
        deleteLater();
    });
}

PandaSimulatorDataClient::~PandaSimulatorDataClient() = default;

void PandaSimulatorDataClient::setReplay(const QByteArray &bytes, int chunkBytes, int delayMs)
{
    m_replay = bytes;
    m_replayChunk = chunkBytes > 0 ? chunkBytes : int(qMax<qsizetype>(1, bytes.size()));
    m_replayDelayMs = qMax(0, delayMs);
}

QByteArray PandaSimulatorDataClient::whoLine() const
{
    return m_connectedAt + " data " + m_peer;
}

bool PandaSimulatorDataClient::takingData() const
{
    if (m_state == State::Capturing)
        return true;
    if (m_state == State::Closed)
        return false;
    m_socket->flush();
    return m_socket->bytesToWrite() > 0;
}

void PandaSimulatorDataClient::onReadyRead()
{
    if (m_state != State::AwaitingOptions) {
        m_socket->readAll(); // ignored, but drained (spec §4.1 step 3)
        return;
    }
    m_buffer += m_socket->readAll();
    const qsizetype lf = m_buffer.indexOf('\n');
    if (lf < 0) {
        if (m_buffer.size() > kMaxOptionLine)
            refuse("Invalid data capture option");
        return;
    }
    const QByteArray line = m_buffer.left(lf);
    m_buffer.clear();
    handleOptionLine(line);
}

void PandaSimulatorDataClient::handleOptionLine(const QByteArray &line)
{
    if (!m_replay.isEmpty()) {
        m_state = State::Idle;
        m_replayTimer = new QTimer(this);
        m_replayTimer->setSingleShot(true);
        connect(m_replayTimer, &QTimer::timeout, this, &PandaSimulatorDataClient::sendReplayChunk);
        sendReplayChunk();
        return;
    }
    if (line.contains('\r'))
        return refuse("Cannot process CR character");
    if (!m_options.parse(line))
        return refuse("Invalid data capture option");
    if (!m_options.noStatus)
        m_socket->write("OK\n");
    m_state = State::Idle;
    emit ready();
}

void PandaSimulatorDataClient::refuse(const QByteArray &message)
{
    m_socket->write("ERR " + message + '\n');
    close();
}

void PandaSimulatorDataClient::sendReplayChunk()
{
    if (m_state == State::Closed)
        return;
    const qsizetype n = qMin<qsizetype>(m_replayChunk, m_replay.size() - m_replayPos);
    m_socket->write(m_replay.constData() + m_replayPos, n);
    m_socket->flush();
    m_replayPos += n;
    if (m_replayPos >= m_replay.size())
        close();
    else
        m_replayTimer->start(m_replayDelayMs);
}

void PandaSimulatorDataClient::close()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    emit closed();
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        deleteLater();
}

void PandaSimulatorDataClient::beginCapture(const QByteArray &header)
{
    if (m_state != State::Idle)
        return;
    m_state = State::Capturing;
    m_samples = 0;
    if (!m_options.noHeader)
        m_socket->write(header);
}

bool PandaSimulatorDataClient::sendRows(const QByteArray &payload, quint64 rows, qint64 overrunBytes)
{
    if (m_state != State::Capturing)
        return true;
    if (m_socket->bytesToWrite() + payload.size() > overrunBytes) {
        endCapture("Data overrun");
        return false;
    }
    m_socket->write(payload);
    m_samples += rows;
    return true;
}

void PandaSimulatorDataClient::endCapture(const QByteArray &reason)
{
    if (m_state != State::Capturing)
        return;
    m_state = State::Idle;
    if (!m_options.noStatus)
        m_socket->write("END " + QByteArray::number(m_samples) + ' ' + reason + '\n');
    m_socket->flush();
    if (m_options.oneShot)
        close();
}

void PandaSimulatorDataClient::dropMidFrame(const QByteArray &payload)
{
    if (m_state != State::Capturing)
        return;
    qsizetype cut = payload.size() / 2;
    if (m_options.format == SimDataOptions::Format::Framed && payload.size() >= 8) {
        const qsizetype blockBytes = qFromLittleEndian<quint32>(payload.constData() + 4);
        cut = 8 + (blockBytes - 8) / 2; // inside the first block's data
    }
    m_socket->write(payload.constData(), qMax<qsizetype>(1, cut));
    close();
}

void PandaSimulatorDataClient::sendGarbage(const QByteArray &payload, quint64 rows)
{
    if (m_state != State::Capturing)
        return;
    static const QByteArray junk("\xde\xad\xbe\xefJUNK", 8);
    if (m_options.format == SimDataOptions::Format::Framed && payload.startsWith("BIN ")) {
        QByteArray corrupted = payload;
        corrupted.replace(0, 4, junk.left(4));
        m_socket->write(corrupted);
    } else {
        m_socket->write(junk + payload);
    }
    m_samples += rows;
}

} // namespace bs::panda
