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
    /// Starts every instrument (a disconnected one is connected first) and posts RunStarted for
    /// it. The session clock is restarted only when the timeline is still empty (nothing has run
    /// since the workspace was made or resetTimeline()): Stop then Run continues the same timeline.
    void runAll();
    /// Stops every instrument and posts RunStopped for each one runAll() started.
    void stopAll();
    /// Starts one instrument (a disconnected one is connected first) and makes it part of the
    /// acquisition, posting RunStarted for it: the panel's own Run. When nothing runs yet, the
    /// acquisition begins with this instrument alone (timeline as in runAll()) and the others stay
    /// as they are; when it runs, this one joins it and the running recording.
    void runInstrument(const QString &id);
    /// Stops one instrument and takes it out of the acquisition (posting RunStopped; it no longer
    /// rejoins after a reconnect) while the others go on. The acquisition ends with the last one.
    void stopInstrument(const QString &id);
    /// Between a run and its end: an instrument of the acquisition connected meanwhile (Connect,
    /// Reconnect or automatically after a lost connection) is started and rejoins the run; after
    /// runAll() that holds for every instrument, also one added meanwhile.
    bool isRunning() const { return m_running; }
    /// One click for every instrument that is not connected: connect it now (rejoining a running
    /// acquisition); cancels the countdowns.
    void reconnectAll();
    /// Waits (at most `timeoutMs` each) until every driver thread has handed its sinks what was
    /// queued before this call: the Stop and the run_stop event a recording stopped right after
    /// Stop must still hold.
    void waitForDriverThreads(int timeoutMs) const;
    /// The folder of the recording in progress (empty: none), handed to every current and future
    /// instrument (Instrument::outputFolder(): where a device's own files go, e.g. a Moku log).
    void setOutputFolder(const QString &folder);
    QString outputFolder() const { return m_outputFolder; }
    /// For tests: the back-off of every current and future instrument.
    void setReconnectBackoff(const ReconnectBackoff &b);
    /// Begins the timeline if it is still empty: the session clock restarts at 0 now (unless a
    /// recording holds it). Called by runAll(); benchscope-rec and a recording started before the
    /// first Run call it first, so that the recording and the run share t = 0.
    void beginTimeline();
    /// Clear / New / Open: the timeline is empty again and the clock restarts at 0 now (the next
    /// runAll() restarts it once more). Refused (false) while a recording holds the clock.
    bool resetTimeline();
    /// True once something has run on the timeline since it began.
    bool timelineStarted() const { return m_timelineStarted; }

Q_SIGNALS:
    void instrumentAdded(bs::InstrumentHost *host);
    void instrumentRemoved(const QString &id);
    /// The acquisition began (runAll(), or runInstrument() when nothing ran) or ended (stopAll(),
    /// or stopInstrument() of its last instrument).
    void runningChanged(bool running);

private:
    void setAcquisitionRunning(bool running);
    void postRunEvent(InstrumentHost *host, bool started);

    bool m_running = false;
    bool m_everyoneRuns = false; ///< started by runAll(): an instrument added meanwhile joins too
    std::optional<ReconnectBackoff> m_backoff;
    QString m_outputFolder;
    std::vector<std::unique_ptr<InstrumentHost>> m_hosts;
    QVector<BlockSink *> m_sinks;
    QStringList m_runningIds; ///< started by runAll() and not yet stopped by stopAll()
    bool m_timelineStarted = false;
};

} // namespace bs
