// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InstrumentEvent.h"
#include "ParameterSet.h"
#include "SampleBlock.h"
#include "StreamInfo.h"

#include <QObject>

namespace bs {

/// Base class of every driver.
///
/// Threading contract: an Instrument is constructed on the GUI (or main) thread, configured with
/// setId()/setAddress() and its default parameters, then moved to its own QThread by
/// InstrumentHost. From then on every slot runs on that worker thread and nothing else may touch
/// the object; other threads talk to it only through queued slot calls and its signals.
/// `blockReady` is emitted on the worker thread and is connected with Qt::DirectConnection to the
/// data sinks (TraceStore, Recorder), which are thread-safe.
class Instrument : public QObject
{
    Q_OBJECT
public:
    /// Finished: connected and idle after a capture that ended by itself (a PandA capture with a row
    /// limit or ended by the device, an NV200 recorder read-back, a PicoScope block or rapid-block
    /// run). start() begins a new acquisition from Finished as from Connected.
    enum class State { Disconnected, Connecting, Connected, Running, Error, Finished };
    Q_ENUM(State)

    explicit Instrument(QObject *parent = nullptr);
    ~Instrument() override;

    /// Driver type id as registered (e.g. "panda").
    virtual QString type() const = 0;

    QString id() const { return m_id; }
    void setId(const QString &id) { m_id = id; }
    QString address() const { return m_address; }
    /// Where files the device hands over (an on-device log downloaded after the run) belong: the
    /// folder of the recording in progress, empty when nothing is recorded. Set by the host.
    QString outputFolder() const { return m_outputFolder; }

    /// The settings with their current values (worker thread once started; a copy is taken by
    /// InstrumentHost before the move).
    const ParameterSet &parameters() const { return m_params; }
    const QVector<ActionSpec> &actions() const { return m_actions; }
    const QVector<StreamInfo> &streams() const { return m_streams; }
    State state() const { return m_state; }

    static QString stateName(State s);

public Q_SLOTS:
    void setAddress(const QString &address);
    void setOutputFolder(const QString &folder) { m_outputFolder = folder; }
    /// Connects to the device (or its simulator). Emits stateChanged(Connecting → Connected or
    /// Error). Must not block the thread for longer than a connect timeout.
    virtual void open() = 0;
    /// Disconnects; stops a running acquisition first. Must leave no pending I/O.
    virtual void close() = 0;
    /// Validates against the ParameterSet, then calls applyParameter(). Emits parameterChanged on
    /// success or errorOccurred naming the key on refusal.
    void setParameter(const QString &key, const QVariant &value);
    virtual void start() = 0;
    virtual void stop() = 0;
    /// Runs one of actions(); the default reports an unknown action.
    virtual void invoke(const QString &action);

Q_SIGNALS:
    void stateChanged(bs::Instrument::State state, const QString &detail);
    void streamsChanged(const QVector<bs::StreamInfo> &streams);
    void blockReady(const bs::SampleBlockPtr &block);
    void parameterChanged(const QString &key, const QVariant &value);
    void progress(double fraction, const QString &text);
    void errorOccurred(const QString &message);
    /// A value given to setParameter() was refused (by the ParameterSet, the driver or, later, the
    /// device); `message` is also sent by errorOccurred. parameterChanged then carries the value
    /// the instrument keeps, so the field that typed it can show both.
    void parameterRefused(const QString &key, const QString &message);
    /// Something worth showing in the panel's log (END reasons, device identity, ...).
    void message(const QString &text);
    /// Capture boundaries and warnings (see InstrumentEvent). Emitted on the worker thread; the
    /// host hands it to the sinks in order with the blocks.
    void eventOccurred(const bs::InstrumentEvent &event);

protected:
    /// Applies an already validated value (to the device if connected). Return an error text to
    /// refuse it (the old value is kept), or an empty string to accept.
    virtual QString applyParameter(const QString &key, const QVariant &value);

    void setState(State s, const QString &detail = {});
    void setStreams(const QVector<StreamInfo> &streams);
    /// The device refused `key` after applyParameter() accepted it: reports `message` (error and
    /// parameterRefused). Read the value the device holds back with updateParameter().
    void refuseParameter(const QString &key, const QString &message);
    /// Stores a read-back value (also read-only ones) and emits parameterChanged if it changed.
    void updateParameter(const QString &key, const QVariant &value);
    /// Reports an error: emits errorOccurred(message).
    void fail(const QString &message);
    /// The acquisition differs from what was asked (a refused setting, a capture joined read-only,
    /// a fallback time base): kept as a warning in the panel, the recording and the run's summary.
    void warn(const QString &text, const QString &streamId = {});
    /// A device capture began on `streamId` (empty: all streams) at session time `time`.
    void captureStarted(const QString &streamId, double time, const QJsonObject &details = {});
    /// It ended; `complete` is false when data was lost or the capture was cut short.
    void captureEnded(const QString &streamId, double time, const QString &reason, bool complete,
                      const QJsonObject &details = {});
    void publish(const MutableSampleBlockPtr &block);

    ParameterSet m_params;
    QVector<ActionSpec> m_actions;

private:
    void emitEvent(InstrumentEvent::Kind kind, const QString &streamId, double time, const QString &text,
                   bool complete, const QJsonObject &details);

    QString m_id;
    QString m_address;
    QString m_outputFolder;
    QVector<StreamInfo> m_streams;
    State m_state = State::Disconnected;
};

} // namespace bs
