// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BlockSink.h"
#include "InstrumentHost.h"
#include "Session.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace bs {

/// The instruments of the open session, each with its InstrumentHost, plus the data sinks every
/// instrument feeds (TraceStore, Recorder, ...). Used by the GUI and by benchscope-rec alike.
/// Lives on the GUI/main thread.
class Workspace : public QObject
{
    Q_OBJECT
public:
    explicit Workspace(QObject *parent = nullptr);
    ~Workspace() override;

    /// Sinks are attached to every current and future instrument. Not owned.
    void addSink(BlockSink *sink);
    void removeSink(BlockSink *sink);

    QVector<InstrumentHost *> instruments() const;
    InstrumentHost *instrument(const QString &id) const;

    /// Creates the driver, applies address and parameters, starts its thread. Returns nullptr and
    /// an error naming the problem (unknown type, an address the driver cannot use, bad parameter)
    /// without changing anything.
    InstrumentHost *addInstrument(const SessionInstrument &entry, QString *error);
    void removeInstrument(const QString &id);
    void clear();

    /// Replaces all instruments by those of `session` (validated first, within `limits`; on error
    /// nothing changes).
    bool applySession(const Session &session, QString *error, const SessionLimits &limits = SessionLimits());
    /// The current instruments with their parameter values (views/recording left to the caller).
    Session toSession() const;
    QString uniqueId(const QString &type) const;

    void openAll();
    void closeAll();
    /// Restarts the session clock, then starts every connected instrument.
    void runAll();
    void stopAll();
    /// Between runAll() and stopAll(): an instrument connected meanwhile (Connect, Reconnect or
    /// automatically after a lost connection) is started and rejoins the run.
    bool isRunning() const { return m_running; }
    /// One click for every instrument that is not connected: connect it now (rejoining a running
    /// acquisition); cancels the countdowns.
    void reconnectAll();
    /// For tests: the back-off of every current and future instrument.
    void setReconnectBackoff(const ReconnectBackoff &b);

Q_SIGNALS:
    void instrumentAdded(bs::InstrumentHost *host);
    void instrumentRemoved(const QString &id);

private:
    void setAcquisitionRunning(bool running);

    bool m_running = false;
    std::optional<ReconnectBackoff> m_backoff;
    std::vector<std::unique_ptr<InstrumentHost>> m_hosts;
    QVector<BlockSink *> m_sinks;
};

} // namespace bs
