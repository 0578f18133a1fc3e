// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BlockSink.h"
#include "Instrument.h"
#include "Reconnector.h"

#include <QObject>
#include <QReadWriteLock>
#include <QThread>

#include <atomic>
#include <memory>
#include <unordered_map>

namespace bs {

/// Counters of one instrument's data path, updated on the driver thread, read from any thread.
struct InstrumentStats
{
    quint64 blocks = 0;
    quint64 samples = 0;        ///< rows (samples per channel) received
    quint64 bytes = 0;          ///< payload bytes received
    quint64 lostSamples = 0;    ///< device-reported losses and sample-index gaps
    quint64 overflowBlocks = 0; ///< blocks flagged Overflow
};

/// What an instrument reported besides samples since it was created (mirrored on the host's
/// thread): captures begun and ended, and warnings. Bounded: the newest `MaxKept` events are kept.
struct InstrumentReport
{
    static constexpr int MaxKept = 1000;
    int capturesStarted = 0;
    int capturesEnded = 0;
    int incompleteCaptures = 0; ///< ended with complete == false (device overrun, cut short)
    QStringList warnings;       ///< every distinct warning text, in order
    QVector<InstrumentEvent> captureEnds; ///< the newest MaxKept CaptureEnded events
    bool finished = false;      ///< reached State::Finished since the last start()
    bool started = false;       ///< reached Running or Finished since the last start()
    int connectionsLost = 0;    ///< ConnectionLost events: outages while the acquisition ran
};

/// Owns one Instrument and the QThread it runs on, and mirrors its state for the GUI thread.
///
/// Lives on the thread that created it (the GUI or main thread). Commands are queued to the
/// worker; the driver's signals come back queued and update the mirror (`parameters()`,
/// `streams()`, `state()`), which is what the GUI and the session file read. Sample blocks never
/// pass through this thread: they go directly from the driver thread to the sinks.
class InstrumentHost : public QObject
{
    Q_OBJECT
public:
    explicit InstrumentHost(std::unique_ptr<Instrument> instrument, QObject *parent = nullptr);
    /// Orderly shutdown: closes the driver on its thread, deletes it there, joins the thread.
    ~InstrumentHost() override;

    QString id() const { return m_id; }
    QString type() const { return m_type; }
    QString name() const { return m_name; }
    void setName(const QString &name);
    QString address() const { return m_address; }

    const ParameterSet &parameters() const { return m_params; }
    const QVector<ActionSpec> &actions() const { return m_actions; }
    const QVector<StreamInfo> &streams() const { return m_streams; }
    Instrument::State state() const { return m_state; }
    QString stateDetail() const { return m_stateDetail; }
    QString lastError() const { return m_lastError; }
    InstrumentStats stats() const;
    const InstrumentReport &report() const { return m_report; }

    /// Adds a data sink; blocks published from now on reach it (on the driver thread).
    void addSink(BlockSink *sink);
    void removeSink(BlockSink *sink);

    // Commands, queued to the driver thread.
    void setAddress(const QString &address);
    /// Tells the driver the folder of the recording in progress (empty: none); see
    /// Instrument::outputFolder().
    void setOutputFolder(const QString &folder);
    void setParameter(const QString &key, const QVariant &value);
    void open();
    void close();
    /// Starts the acquisition; a disconnected instrument is connected first.
    void start();
    /// Stops the acquisition; an instrument whose capture has Finished is left as it is.
    void stop();
    void invoke(const QString &action);
    /// An event the host (not the driver) observes: Run/Stop by the user, a connection lost or
    /// restored. Fills in the instrument id (and the session time when `e.time` is NaN), hands it
    /// to the sinks on the driver thread, in order with the blocks, and mirrors it here.
    void postEvent(InstrumentEvent e);
    /// Waits until the driver thread has carried out everything queued to it before this call
    /// (its stop(), the events posted, so the sinks have them), at most `timeoutMs`. False when
    /// the driver thread is busy longer (e.g. a vendor call that does not return).
    bool waitForDriverThread(int timeoutMs) const;

    // Rejoining after a lost connection (see Reconnector).
    /// The acquisition this instrument belongs to runs (Workspace::runAll/stopAll): a fresh
    /// connection (Connecting → Connected) is then started at once, so it rejoins the run.
    void setAcquisitionRunning(bool running);
    bool acquisitionRunning() const { return m_acquisitionRunning; }
    /// The last command was the user's stop() or close() (not yet followed by open()/start()):
    /// a connection that ends now is no outage and is never reconnected automatically.
    bool userStopRequested() const { return m_userStopRequested; }
    /// "Reconnect automatically" (saved in the session as `auto_reconnect`).
    bool autoReconnect() const { return m_reconnector->isAutomatic(); }
    void setAutoReconnect(bool on) { m_reconnector->setAutomatic(on); }
    void setReconnectBackoff(const ReconnectBackoff &b) { m_reconnector->setBackoff(b); }
    ReconnectStatus reconnectStatus() const { return m_reconnector->status(); }
    /// One click: connect now and rejoin the running acquisition (cancels a countdown).
    void reconnect() { m_reconnector->reconnectNow(); }
    /// Cancels a scheduled automatic attempt.
    void cancelReconnect() { m_reconnector->cancel(); }

    /// For tests and the CLI: the driver object (touch it only through queued calls).
    Instrument *instrument() const { return m_instrument; }

Q_SIGNALS:
    void stateChanged(bs::Instrument::State state, const QString &detail);
    void streamsChanged(const QVector<bs::StreamInfo> &streams);
    void parameterChanged(const QString &key, const QVariant &value);
    void progress(double fraction, const QString &text);
    void errorOccurred(const QString &message);
    /// See Instrument::parameterRefused (emitted before the parameterChanged with the kept value).
    void parameterRefused(const QString &key, const QString &message);
    void message(const QString &text);
    void eventOccurred(const bs::InstrumentEvent &event);
    /// A new warning text (also in report().warnings).
    void warningRaised(const QString &text);
    void nameChanged(const QString &name);
    /// A lost connection's state changed (outage, countdown, attempt, automatic on/off).
    void reconnectChanged();

private:
    void route(const SampleBlockPtr &block);         // driver thread
    void routeStreams(const QVector<StreamInfo> &s); // driver thread
    void routeEvent(const InstrumentEvent &e);       // driver thread
    void mirrorEvent(const InstrumentEvent &e);      // host thread

    QThread m_thread;
    Instrument *m_instrument = nullptr;
    QString m_id, m_type, m_name, m_address;
    ParameterSet m_params;
    QVector<ActionSpec> m_actions;
    QVector<StreamInfo> m_streams;
    Instrument::State m_state = Instrument::State::Disconnected;
    QString m_stateDetail, m_lastError;
    InstrumentReport m_report;
    bool m_startWhenConnected = false;
    bool m_acquisitionRunning = false;
    bool m_userStopRequested = false;
    /// A start() went to the driver and no state change has come back yet: m_state may still say
    /// Finished from the previous run, but a stop() must reach the driver.
    bool m_startQueued = false;
    Reconnector *m_reconnector = nullptr; // child QObject

    mutable QReadWriteLock m_sinkLock;
    QVector<BlockSink *> m_sinks;
    QVector<StreamInfo> m_routedStreams;                    // driver thread only
    std::unordered_map<std::string, quint64> m_nextIndex;   // driver thread only
    std::atomic<quint64> m_blocks{0}, m_samples{0}, m_bytes{0}, m_lost{0}, m_overflows{0};
};

} // namespace bs
