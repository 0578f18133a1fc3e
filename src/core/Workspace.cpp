// SPDX-License-Identifier: GPL-3.0-or-later
#include "Workspace.h"

#include "DriverRegistry.h"
#include "SessionClock.h"

#include <utility>

namespace bs {

Workspace::Workspace(QObject *parent)
    : QObject(parent)
{
}

Workspace::~Workspace()
{
    clear();
}

void Workspace::addSink(BlockSink *sink)
{
    if (m_sinks.contains(sink))
        return;
    m_sinks.append(sink);
    for (auto &h : m_hosts)
        h->addSink(sink);
}

void Workspace::removeSink(BlockSink *sink)
{
    m_sinks.removeAll(sink);
    for (auto &h : m_hosts)
        h->removeSink(sink);
}

QVector<InstrumentHost *> Workspace::instruments() const
{
    QVector<InstrumentHost *> v;
    for (const auto &h : m_hosts)
        v.append(h.get());
    return v;
}

InstrumentHost *Workspace::instrument(const QString &id) const
{
    for (const auto &h : m_hosts)
        if (h->id() == id)
            return h.get();
    return nullptr;
}

InstrumentHost *Workspace::addInstrument(const SessionInstrument &entry, QString *error)
{
    if (const QString why = Session::checkId(entry.id); !why.isEmpty()) {
        if (error)
            *error = why;
        return nullptr;
    }
    if (instrument(entry.id)) {
        if (error)
            *error = tr("instrument id %1 is already used").arg(Session::quoted(entry.id));
        return nullptr;
    }
    auto driver = DriverRegistry::instance().create(entry.type, entry.id, error);
    if (!driver)
        return nullptr;
    const QString why = DriverRegistry::instance().checkAddress(entry.type, entry.address);
    if (!why.isEmpty()) {
        if (error)
            *error = tr("%1.address: address '%2': %3").arg(entry.id, entry.address, why);
        return nullptr;
    }
    if (!entry.address.isEmpty())
        driver->setAddress(entry.address);
    // Apply saved parameters before the driver moves to its thread (validated all-or-nothing).
    ParameterSet params = driver->parameters();
    const QString err = params.applyJson(entry.parameters, entry.id + QStringLiteral(".parameters"));
    if (!err.isEmpty()) {
        if (error)
            *error = err;
        return nullptr;
    }
    for (auto it = entry.parameters.begin(); it != entry.parameters.end(); ++it)
        driver->setParameter(it.key(), params.value(it.key()));
    auto host = std::make_unique<InstrumentHost>(std::move(driver));
    host->setName(entry.name.isEmpty() ? entry.id : entry.name);
    host->setAutoReconnect(entry.autoReconnect);
    host->setAcquisitionRunning(m_running && m_everyoneRuns);
    if (m_backoff)
        host->setReconnectBackoff(*m_backoff);
    if (!m_outputFolder.isEmpty())
        host->setOutputFolder(m_outputFolder);
    for (BlockSink *s : std::as_const(m_sinks))
        host->addSink(s);
    InstrumentHost *raw = host.get();
    m_hosts.push_back(std::move(host));
    Q_EMIT instrumentAdded(raw);
    return raw;
}

void Workspace::setOutputFolder(const QString &folder)
{
    m_outputFolder = folder;
    for (const auto &h : m_hosts)
        h->setOutputFolder(folder);
}

void Workspace::removeInstrument(const QString &id)
{
    for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it) {
        if ((*it)->id() == id) {
            auto host = std::move(*it);
            m_hosts.erase(it);
            m_runningIds.removeAll(id);
            host.reset(); // joins the driver thread
            Q_EMIT instrumentRemoved(id);
            return;
        }
    }
}

void Workspace::clear()
{
    while (!m_hosts.empty()) { // from the back: no search, nothing moved
        auto host = std::move(m_hosts.back());
        m_hosts.pop_back();
        const QString id = host->id();
        m_runningIds.removeAll(id);
        host.reset(); // joins the driver thread
        Q_EMIT instrumentRemoved(id);
    }
}

bool Workspace::applySession(const Session &session, QString *error, const SessionLimits &limits)
{
    // Validate the whole session before touching the current instruments.
    QString err;
    auto checked = Session::fromJson(session.toJson(), &err, limits);
    if (!checked) {
        if (error)
            *error = err;
        return false;
    }
    clear();
    for (const auto &entry : checked->instruments) {
        if (!addInstrument(entry, &err)) {
            if (error)
                *error = err;
            return false;
        }
    }
    return true;
}

Session Workspace::toSession() const
{
    Session s;
    for (const auto &h : m_hosts)
        s.instruments.append(
            {h->id(), h->type(), h->name(), h->address(), h->parameters().toJson(), h->autoReconnect()});
    return s;
}

QString Workspace::uniqueId(const QString &type) const
{
    return toSession().uniqueId(type);
}

void Workspace::openAll()
{
    for (auto &h : m_hosts)
        h->open();
}

void Workspace::closeAll()
{
    for (auto &h : m_hosts)
        h->close();
}

void Workspace::beginTimeline()
{
    if (m_timelineStarted)
        return;
    SessionClock::restart(); // refused while a recording holds the clock: its time goes on
    m_timelineStarted = true;
}

bool Workspace::resetTimeline()
{
    if (!SessionClock::restart())
        return false;
    m_timelineStarted = false;
    return true;
}

void Workspace::runAll()
{
    const bool began = !m_running;
    m_everyoneRuns = true;
    setAcquisitionRunning(true);
    beginTimeline();
    for (auto &h : m_hosts) {
        h->start();
        postRunEvent(h.get(), true);
    }
    if (began)
        Q_EMIT runningChanged(true);
}

void Workspace::stopAll()
{
    const bool ended = m_running;
    setAcquisitionRunning(false);
    m_everyoneRuns = false;
    for (auto &h : m_hosts) {
        h->stop();
        postRunEvent(h.get(), false);
    }
    if (ended)
        Q_EMIT runningChanged(false);
}

void Workspace::runInstrument(const QString &id)
{
    InstrumentHost *h = instrument(id);
    if (!h)
        return;
    const bool began = !m_running;
    m_running = true;
    h->setAcquisitionRunning(true);
    beginTimeline();
    h->start();
    postRunEvent(h, true);
    if (began)
        Q_EMIT runningChanged(true);
}

void Workspace::stopInstrument(const QString &id)
{
    InstrumentHost *h = instrument(id);
    if (!h)
        return;
    h->setAcquisitionRunning(false);
    h->stop();
    postRunEvent(h, false);
    for (const auto &other : m_hosts)
        if (other->acquisitionRunning())
            return; // the others go on
    if (std::exchange(m_running, false)) {
        m_everyoneRuns = false;
        Q_EMIT runningChanged(false);
    }
}

void Workspace::postRunEvent(InstrumentHost *host, bool started)
{
    // RunStarted once per run of an instrument, RunStopped only for one that was started.
    if (started == m_runningIds.contains(host->id()))
        return;
    if (started)
        m_runningIds.append(host->id());
    else
        m_runningIds.removeAll(host->id());
    InstrumentEvent e;
    e.kind = started ? InstrumentEvent::Kind::RunStarted : InstrumentEvent::Kind::RunStopped;
    e.text = started ? tr("Run") : tr("Stop");
    host->postEvent(e);
}

void Workspace::setAcquisitionRunning(bool running)
{
    m_running = running;
    for (auto &h : m_hosts)
        h->setAcquisitionRunning(running);
}

void Workspace::waitForDriverThreads(int timeoutMs) const
{
    for (const auto &h : m_hosts)
        h->waitForDriverThread(timeoutMs);
}

void Workspace::reconnectAll()
{
    for (auto &h : m_hosts)
        if (h->state() == Instrument::State::Error || h->state() == Instrument::State::Disconnected
            || h->reconnectStatus().outage)
            h->reconnect();
}

void Workspace::setReconnectBackoff(const ReconnectBackoff &b)
{
    m_backoff = b;
    for (auto &h : m_hosts)
        h->setReconnectBackoff(b);
}

} // namespace bs
