// SPDX-License-Identifier: GPL-3.0-or-later
#include "Instrument.h"

#include <QMetaEnum>

namespace bs {

namespace {
const int s_registered = [] {
    qRegisterMetaType<SampleBlockPtr>();
    qRegisterMetaType<StreamInfo>();
    qRegisterMetaType<QVector<StreamInfo>>();
    qRegisterMetaType<Instrument::State>();
    qRegisterMetaType<InstrumentEvent>();
    return 0;
}();
} // namespace

Instrument::Instrument(QObject *parent)
    : QObject(parent)
{
    Q_UNUSED(s_registered);
}

Instrument::~Instrument() = default;

QString Instrument::stateName(State s)
{
    switch (s) {
    case State::Disconnected: return tr("Disconnected");
    case State::Connecting: return tr("Connecting");
    case State::Connected: return tr("Connected");
    case State::Running: return tr("Running");
    case State::Error: return tr("Error");
    case State::Finished: return tr("Finished");
    }
    return {};
}

void Instrument::setAddress(const QString &address)
{
    m_address = address.trimmed();
}

void Instrument::setParameter(const QString &key, const QVariant &value)
{
    const ParameterSpec *spec = m_params.spec(key);
    if (!spec) {
        fail(tr("%1 %2: unknown parameter").arg(id(), key));
        return;
    }
    if (spec->readOnly) {
        fail(tr("%1 %2: read-only").arg(id(), key));
        return;
    }
    QVariant v;
    QString err = m_params.validate(key, value, &v);
    if (err.isEmpty()) // a choice the device in hand does not offer (ParameterSpec::choicesKey)
        err = m_params.checkChoice(key, v.toString());
    if (err.isEmpty())
        err = applyParameter(key, v);
    if (!err.isEmpty()) {
        // In the user's words ("CLOCK1 period: −5 ms is outside 100 ns … 10 000 s"); whoever shows
        // it names the instrument (panel, status bar, `benchscope-rec`'s "id: message").
        fail(err);
        warn(tr("setting %1 refused: %2").arg(key, err));
        Q_EMIT parameterRefused(key, err);
        Q_EMIT parameterChanged(key, m_params.value(key)); // let views snap back to the kept value
        return;
    }
    m_params.set(key, v);
    Q_EMIT parameterChanged(key, v);
}

void Instrument::refuseParameter(const QString &key, const QString &message)
{
    fail(message);
    warn(tr("setting %1 refused: %2").arg(key, message));
    Q_EMIT parameterRefused(key, message);
}

void Instrument::invoke(const QString &action)
{
    fail(tr("%1: unknown action '%2'").arg(type(), action));
}

QString Instrument::applyParameter(const QString &, const QVariant &)
{
    return {};
}

void Instrument::setState(State s, const QString &detail)
{
    m_state = s;
    Q_EMIT stateChanged(s, detail);
}

void Instrument::setStreams(const QVector<StreamInfo> &streams)
{
    if (streams == m_streams)
        return;
    m_streams = streams;
    Q_EMIT streamsChanged(streams);
}

void Instrument::updateParameter(const QString &key, const QVariant &value)
{
    if (m_params.value(key) == value)
        return;
    if (m_params.set(key, value, true).isEmpty())
        Q_EMIT parameterChanged(key, m_params.value(key));
}

void Instrument::fail(const QString &message)
{
    Q_EMIT errorOccurred(message);
}

void Instrument::emitEvent(InstrumentEvent::Kind kind, const QString &streamId, double time, const QString &text,
                           bool complete, const QJsonObject &details)
{
    InstrumentEvent e;
    e.kind = kind;
    e.instrumentId = m_id;
    e.streamId = streamId;
    e.time = time;
    e.text = text;
    e.complete = complete;
    e.details = details;
    Q_EMIT eventOccurred(e);
}

void Instrument::warn(const QString &text, const QString &streamId)
{
    emitEvent(InstrumentEvent::Kind::Warning, streamId, NAN, text, true, {});
}

void Instrument::captureStarted(const QString &streamId, double time, const QJsonObject &details)
{
    emitEvent(InstrumentEvent::Kind::CaptureStarted, streamId, time, {}, true, details);
}

void Instrument::captureEnded(const QString &streamId, double time, const QString &reason, bool complete,
                              const QJsonObject &details)
{
    emitEvent(InstrumentEvent::Kind::CaptureEnded, streamId, time, reason, complete, details);
}

void Instrument::publish(const MutableSampleBlockPtr &block)
{
    block->instrumentId = m_id;
    Q_EMIT blockReady(block);
}

} // namespace bs
