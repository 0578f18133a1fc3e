// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace bs {

class InstrumentHost;

/// How long to wait before each automatic reconnection attempt: `firstDelayMs`, doubled for every
/// further attempt, at most `maxDelayMs` (1, 2, 4, 8, 16, 30, 30 … s by default). A connection
/// that stays Running for `stableAfterMs` starts the count again at attempt 1. Injectable so tests
/// need not wait seconds.
struct ReconnectBackoff
{
    int firstDelayMs = 1000;
    int maxDelayMs = 30000;
    int stableAfterMs = 10000;

    /// Delay before attempt `attempt` (1-based).
    int delayMs(int attempt) const;
};

/// What the panel shows about a lost connection.
struct ReconnectStatus
{
    bool outage = false;  ///< the connection broke while acquiring and is not back yet
    bool pending = false; ///< an automatic attempt is scheduled (counting down)
    int attempt = 0;      ///< the attempt counted down to (pending) or the last one made (1-based); 0 outside an outage
    qint64 msLeft = 0;    ///< until the scheduled attempt (when pending)
    QString cause;        ///< why the connection was lost (the driver's last error or state detail)
};

/// Watches one InstrumentHost for a connection that breaks while the acquisition runs (Running →
/// Error/Disconnected that the user did not ask for), posts ConnectionLost, and — when automatic
/// reconnection is on — tries open() again after ReconnectBackoff delays until the instrument is
/// Running again (the host rejoins the running acquisition on Connected), then posts
/// ConnectionRestored. A user's Stop or Disconnect cancels it and never starts it. Lives on the
/// host's thread (GUI/main); owned by the host.
class Reconnector : public QObject
{
    Q_OBJECT
public:
    explicit Reconnector(InstrumentHost *host);

    bool isAutomatic() const { return m_automatic; }
    void setAutomatic(bool on);
    const ReconnectBackoff &backoff() const { return m_backoff; }
    void setBackoff(const ReconnectBackoff &b) { m_backoff = b; }
    ReconnectStatus status() const;

    /// One click: connects now (and so rejoins a running acquisition), cancelling a countdown. An
    /// instrument still connected is disconnected and connected again.
    void reconnectNow();
    /// Cancels a scheduled attempt; the outage stays shown until the instrument is back or the
    /// user stops or disconnects it.
    void cancel();
    /// The user stopped or disconnected the instrument: no outage, nothing scheduled.
    void userStopped();

Q_SIGNALS:
    void statusChanged();

private:
    void onState(Instrument::State state, const QString &detail);
    void schedule();
    void attempt();
    QString currentCause(const QString &detail) const;

    InstrumentHost *m_host;
    ReconnectBackoff m_backoff;
    bool m_automatic = true;
    bool m_outage = false;
    bool m_restartRequested = false; ///< reconnectNow() dropped a running connection on purpose
    int m_attempt = 0; ///< attempts made since the last stable connection
    QString m_cause;
    QTimer m_timer;    ///< the next attempt
    QTimer m_stable;   ///< Running long enough: the count starts again
    QElapsedTimer m_outageClock;
    Instrument::State m_previous = Instrument::State::Disconnected;
};

} // namespace bs
