// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstrumentHost.h"
#include "SessionClock.h"

#include <QSemaphore>
#include <QThread>

#include <algorithm>
#include <memory>
#include <utility>

namespace bs {

InstrumentHost::InstrumentHost(std::unique_ptr<Instrument> instrument, QObject *parent)
    : QObject(parent)
    , m_instrument(instrument.release())
{
    m_id = m_instrument->id();
    m_type = m_instrument->type();
    m_name = m_id;
    m_address = m_instrument->address();
    m_params = m_instrument->parameters();
    m_actions = m_instrument->actions();
    m_streams = m_instrument->streams();
    m_state = m_instrument->state();

    m_thread.setObjectName(QStringLiteral("drv-") + m_id);
    m_instrument->moveToThread(&m_thread);

    // Data path: stays on the driver thread.
    connect(m_instrument, &Instrument::blockReady, m_instrument,
            [this](const SampleBlockPtr &b) { route(b); }, Qt::DirectConnection);
    connect(m_instrument, &Instrument::streamsChanged, m_instrument,
            [this](const QVector<StreamInfo> &s) { routeStreams(s); }, Qt::DirectConnection);
    connect(m_instrument, &Instrument::eventOccurred, m_instrument,
            [this](const InstrumentEvent &e) { routeEvent(e); }, Qt::DirectConnection);
    connect(m_instrument, &Instrument::eventOccurred, this, &InstrumentHost::mirrorEvent);

    // Mirror: queued to this object's thread.
    connect(m_instrument, &Instrument::stateChanged, this, [this](Instrument::State s, const QString &d) {
        const Instrument::State previous = std::exchange(m_state, s);
        m_startQueued = false;
        m_stateDetail = d;
        if (s == Instrument::State::Running || s == Instrument::State::Finished)
            m_report.started = true;
        if (s == Instrument::State::Finished)
            m_report.finished = true;
        Q_EMIT stateChanged(s, d);
        const bool rejoin = m_acquisitionRunning && !m_userStopRequested && previous == Instrument::State::Connecting;
        if (s == Instrument::State::Connected && (m_startWhenConnected || rejoin)) {
            m_startWhenConnected = false;
            start(); // asked to run, or connected while the acquisition runs: it rejoins
        } else if (s == Instrument::State::Error || s == Instrument::State::Disconnected) {
            m_startWhenConnected = false;
        }
    });
    connect(m_instrument, &Instrument::streamsChanged, this, [this](const QVector<StreamInfo> &s) {
        m_streams = s;
        Q_EMIT streamsChanged(s);
    });
    connect(m_instrument, &Instrument::parameterChanged, this, [this](const QString &k, const QVariant &v) {
        m_params.set(k, v, true);
        Q_EMIT parameterChanged(k, v);
    });
    connect(m_instrument, &Instrument::parameterRefused, this, &InstrumentHost::parameterRefused);
    connect(m_instrument, &Instrument::progress, this, &InstrumentHost::progress);
    connect(m_instrument, &Instrument::message, this, &InstrumentHost::message);
    connect(m_instrument, &Instrument::errorOccurred, this, [this](const QString &m) {
        m_lastError = m;
        Q_EMIT errorOccurred(m);
    });
    m_reconnector = new Reconnector(this);
    connect(m_reconnector, &Reconnector::statusChanged, this, &InstrumentHost::reconnectChanged);
    m_thread.start();
}

InstrumentHost::~InstrumentHost()
{
    Instrument *inst = m_instrument;
    m_instrument = nullptr;
    if (inst && m_thread.isRunning()) {
        // Close on the driver's own thread and hand the object back here, then stop the thread.
        QThread *home = thread();
        QMetaObject::invokeMethod(
            inst,
            [inst, home] {
                inst->close();
                inst->disconnect();
                inst->moveToThread(home);
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
    delete inst;
}

void InstrumentHost::setName(const QString &name)
{
    if (name == m_name)
        return;
    m_name = name;
    Q_EMIT nameChanged(name);
}

InstrumentStats InstrumentHost::stats() const
{
    InstrumentStats s;
    s.blocks = m_blocks.load();
    s.samples = m_samples.load();
    s.bytes = m_bytes.load();
    s.lostSamples = m_lost.load();
    s.overflowBlocks = m_overflows.load();
    return s;
}

void InstrumentHost::addSink(BlockSink *sink)
{
    {
        QWriteLocker lock(&m_sinkLock);
        if (m_sinks.contains(sink))
            return;
        m_sinks.append(sink);
    }
    if (!m_instrument)
        return;
    // Tell the new sink which streams exist, on the driver thread so it is ordered before blocks.
    QMetaObject::invokeMethod(m_instrument, [this, sink] {
        QReadLocker lock(&m_sinkLock);
        if (m_sinks.contains(sink) && !m_routedStreams.isEmpty())
            sink->setStreams(m_id, m_routedStreams);
    });
}

void InstrumentHost::removeSink(BlockSink *sink)
{
    QWriteLocker lock(&m_sinkLock);
    m_sinks.removeAll(sink);
}

void InstrumentHost::route(const SampleBlockPtr &b)
{
    // A jump in sample indices is a gap; a driver that also announces it in lostBefore is not
    // counted twice (the recorder counts the same way: max of the two).
    const auto [it, first] = m_nextIndex.try_emplace(b->streamId.toStdString(), b->firstIndex);
    const quint64 gap = !first && b->firstIndex > it->second ? b->firstIndex - it->second : 0;
    const quint64 lost = std::max<quint64>(b->lostBefore, gap);
    it->second = b->endIndex();
    m_blocks.fetch_add(1, std::memory_order_relaxed);
    m_samples.fetch_add(b->sampleCount, std::memory_order_relaxed);
    m_bytes.fetch_add(b->payloadBytes(), std::memory_order_relaxed);
    if (lost)
        m_lost.fetch_add(lost, std::memory_order_relaxed);
    if (b->flags & SampleBlock::Overflow)
        m_overflows.fetch_add(1, std::memory_order_relaxed);

    QReadLocker lock(&m_sinkLock);
    for (BlockSink *s : std::as_const(m_sinks))
        s->consume(b);
}

void InstrumentHost::routeStreams(const QVector<StreamInfo> &streams)
{
    m_routedStreams = streams;
    m_nextIndex.clear();
    QReadLocker lock(&m_sinkLock);
    for (BlockSink *s : std::as_const(m_sinks))
        s->setStreams(m_id, streams);
}

void InstrumentHost::routeEvent(const InstrumentEvent &e)
{
    QReadLocker lock(&m_sinkLock);
    for (BlockSink *s : std::as_const(m_sinks))
        s->event(e);
}

void InstrumentHost::mirrorEvent(const InstrumentEvent &e)
{
    switch (e.kind) {
    case InstrumentEvent::Kind::CaptureStarted:
        ++m_report.capturesStarted;
        break;
    case InstrumentEvent::Kind::CaptureEnded:
        ++m_report.capturesEnded;
        if (!e.complete)
            ++m_report.incompleteCaptures;
        if (m_report.captureEnds.size() >= InstrumentReport::MaxKept)
            m_report.captureEnds.removeFirst();
        m_report.captureEnds.append(e);
        break;
    case InstrumentEvent::Kind::ConnectionLost:
        ++m_report.connectionsLost;
        break;
    case InstrumentEvent::Kind::Warning:
        if (!m_report.warnings.contains(e.text)) {
            if (m_report.warnings.size() >= InstrumentReport::MaxKept)
                m_report.warnings.removeFirst();
            m_report.warnings.append(e.text);
            Q_EMIT warningRaised(e.text);
        }
        break;
    default:
        break;
    }
    Q_EMIT eventOccurred(e);
}

void InstrumentHost::setAddress(const QString &address)
{
    m_address = address.trimmed();
    QMetaObject::invokeMethod(m_instrument, [i = m_instrument, address] { i->setAddress(address); });
}

void InstrumentHost::setOutputFolder(const QString &folder)
{
    QMetaObject::invokeMethod(m_instrument, [i = m_instrument, folder] { i->setOutputFolder(folder); });
}

void InstrumentHost::setParameter(const QString &key, const QVariant &value)
{
    QMetaObject::invokeMethod(m_instrument, [i = m_instrument, key, value] { i->setParameter(key, value); });
}

void InstrumentHost::setAcquisitionRunning(bool running)
{
    m_acquisitionRunning = running;
}

void InstrumentHost::open()
{
    m_userStopRequested = false;
    QMetaObject::invokeMethod(m_instrument, &Instrument::open, Qt::QueuedConnection);
}

void InstrumentHost::close()
{
    m_userStopRequested = true;
    m_startWhenConnected = false;
    m_reconnector->userStopped();
    QMetaObject::invokeMethod(m_instrument, &Instrument::close, Qt::QueuedConnection);
}

void InstrumentHost::start()
{
    m_userStopRequested = false;
    m_report.finished = false;
    m_report.started = false;
    if (m_state == Instrument::State::Disconnected || m_state == Instrument::State::Error) {
        m_startWhenConnected = true; // connect first, then start (see the stateChanged handler)
        open();
        return;
    }
    if (m_state == Instrument::State::Connecting) {
        m_startWhenConnected = true;
        return;
    }
    m_startQueued = true;
    QMetaObject::invokeMethod(m_instrument, &Instrument::start, Qt::QueuedConnection);
}

void InstrumentHost::stop()
{
    m_startWhenConnected = false;
    m_userStopRequested = true;
    m_reconnector->userStopped();
    if (m_state == Instrument::State::Finished && !m_startQueued)
        return; // its capture already ended by itself: nothing to stop, and it stays Finished
    QMetaObject::invokeMethod(m_instrument, &Instrument::stop, Qt::QueuedConnection);
}

void InstrumentHost::invoke(const QString &action)
{
    QMetaObject::invokeMethod(m_instrument, [i = m_instrument, action] { i->invoke(action); });
}

bool InstrumentHost::waitForDriverThread(int timeoutMs) const
{
    if (!m_instrument || m_instrument->thread() == QThread::currentThread())
        return true;
    auto done = std::make_shared<QSemaphore>();
    QMetaObject::invokeMethod(m_instrument, [done] { done->release(); }, Qt::QueuedConnection);
    return done->tryAcquire(1, timeoutMs);
}

void InstrumentHost::postEvent(InstrumentEvent e)
{
    e.instrumentId = m_id;
    if (!std::isfinite(e.time))
        e.time = SessionClock::now();
    if (m_instrument)
        QMetaObject::invokeMethod(m_instrument, [this, e] { routeEvent(e); });
    mirrorEvent(e);
}

} // namespace bs
