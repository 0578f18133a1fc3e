// SPDX-License-Identifier: GPL-3.0-or-later
#include "Reconnector.h"

#include "InstrumentHost.h"

#include <QJsonObject>

#include <algorithm>
#include <utility>

namespace bs {

int ReconnectBackoff::delayMs(int attempt) const
{
    const int first = std::max(firstDelayMs, 0);
    const int cap = std::max(maxDelayMs, first);
    qint64 d = first;
    for (int i = 1; i < attempt && d < cap; ++i)
        d *= 2;
    return int(std::min<qint64>(d, cap));
}

Reconnector::Reconnector(InstrumentHost *host)
    : QObject(host)
    , m_host(host)
{
    m_timer.setSingleShot(true);
    m_stable.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Reconnector::attempt);
    connect(&m_stable, &QTimer::timeout, this, [this] {
        if (m_host->state() == Instrument::State::Running && !m_outage)
            m_attempt = 0;
    });
    m_previous = host->state();
    connect(host, &InstrumentHost::stateChanged, this, &Reconnector::onState);
}

void Reconnector::setAutomatic(bool on)
{
    if (on == m_automatic)
        return;
    m_automatic = on;
    if (!on)
        m_timer.stop();
    else if (m_outage && !m_timer.isActive()
             && (m_host->state() == Instrument::State::Error || m_host->state() == Instrument::State::Disconnected))
        schedule();
    Q_EMIT statusChanged();
}

ReconnectStatus Reconnector::status() const
{
    ReconnectStatus s;
    s.outage = m_outage;
    s.pending = m_timer.isActive();
    s.attempt = !m_outage ? 0 : s.pending ? m_attempt + 1 : m_attempt;
    s.msLeft = s.pending ? std::max(0, m_timer.remainingTime()) : 0;
    s.cause = m_cause;
    return s;
}

QString Reconnector::currentCause(const QString &detail) const
{
    return detail.isEmpty() ? m_host->lastError() : detail;
}

void Reconnector::onState(Instrument::State state, const QString &detail)
{
    using S = Instrument::State;
    const S previous = std::exchange(m_previous, state);
    if (state == S::Connecting) {
        m_timer.stop(); // connecting by whatever path: no second attempt on top
        Q_EMIT statusChanged();
        return;
    }
    if (state == S::Running) {
        if (m_outage) {
            m_outage = false;
            m_timer.stop();
            InstrumentEvent e;
            e.kind = InstrumentEvent::Kind::ConnectionRestored;
            e.text = tr("connection restored after %n attempt(s)", nullptr, m_attempt);
            e.details.insert(QStringLiteral("attempts"), m_attempt);
            e.details.insert(QStringLiteral("outage_s"), double(m_outageClock.elapsed()) / 1000.0);
            m_host->postEvent(e);
            Q_EMIT statusChanged();
        }
        m_stable.start(m_backoff.stableAfterMs);
        return;
    }
    m_stable.stop();
    if (state != S::Error && state != S::Disconnected)
        return;
    if (m_host->userStopRequested()) {
        userStopped();
        return;
    }
    const bool restart = std::exchange(m_restartRequested, false);
    if (previous == S::Running && !m_outage) {
        // The connection broke under a running acquisition (or the user asked for a new one): an
        // outage begins.
        m_outage = true;
        m_outageClock.start();
        m_cause = restart ? tr("reconnecting on request") : currentCause(detail);
        InstrumentEvent e;
        e.kind = InstrumentEvent::Kind::ConnectionLost;
        e.text = m_cause;
        m_host->postEvent(e);
        schedule();
    } else if (m_outage && (previous == S::Connecting || previous == S::Connected)) {
        schedule(); // an attempt failed (its error is the host's lastError()): the next one, later
    }
}

void Reconnector::schedule()
{
    m_timer.stop();
    if (m_outage && m_automatic && m_host->acquisitionRunning())
        m_timer.start(m_backoff.delayMs(m_attempt + 1));
    Q_EMIT statusChanged();
}

void Reconnector::attempt()
{
    const Instrument::State s = m_host->state();
    if (s != Instrument::State::Error && s != Instrument::State::Disconnected)
        return; // connected meanwhile (by the user, or another path)
    ++m_attempt;
    m_host->open(); // Connected → the host starts it again while the acquisition runs
    Q_EMIT statusChanged();
}

void Reconnector::reconnectNow()
{
    m_timer.stop();
    const Instrument::State s = m_host->state();
    if (s == Instrument::State::Error || s == Instrument::State::Disconnected) {
        if (m_outage)
            ++m_attempt;
        m_host->open();
    } else if (m_outage && s == Instrument::State::Connected && m_host->acquisitionRunning()) {
        m_host->start(); // connected but not yet acquiring again
    } else if (s == Instrument::State::Connected || s == Instrument::State::Running
               || s == Instrument::State::Finished) {
        // Connected (perhaps wedged): drop the connection and make a new one. When it was
        // Running this is an outage like any other, in the recording and the events.
        const bool wasRunning = s == Instrument::State::Running;
        m_host->close();
        m_host->open(); // after close() on the driver thread; clears the user's stop
        m_restartRequested = wasRunning;
    }
    Q_EMIT statusChanged();
}

void Reconnector::cancel()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    Q_EMIT statusChanged();
}

void Reconnector::userStopped()
{
    const bool changed = m_outage || m_timer.isActive();
    m_timer.stop();
    m_stable.stop();
    m_outage = false;
    m_attempt = 0;
    m_restartRequested = false;
    if (changed)
        Q_EMIT statusChanged();
}

} // namespace bs
