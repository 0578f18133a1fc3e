// SPDX-License-Identifier: GPL-3.0-or-later
#include "FakeSignalInstrument.h"

#include <DriverRegistry.h>
#include <SessionClock.h>

#include <QTimer>

#include <cmath>
#include <numbers>

namespace bs::test {

void FakeSignalInstrument::registerType()
{
    DriverInfo info;
    info.type = QString::fromLatin1(kType);
    info.displayName = QStringLiteral("Fake signal generator (tests)");
    info.defaultAddress = QStringLiteral("sim://fake");
    info.addressHelp = QStringLiteral("Any text; the fake ignores it");
    info.create = [] { return std::make_unique<FakeSignalInstrument>(); };
    DriverRegistry::instance().add(info);
}

FakeSignalInstrument::FakeSignalInstrument()
{
    const QString acq = QStringLiteral("Acquisition");
    const QString sig = QStringLiteral("Signal");
    m_params.addDouble(
        QStringLiteral("rate"), QStringLiteral("Sample rate"), 2000, 1, 100000, acq, QStringLiteral("Hz"));
    m_params.addInt(QStringLiteral("block_size"), QStringLiteral("Block size"), 20, 1, 10000, acq);
    m_params.addInt(
        QStringLiteral("max_rows"), QStringLiteral("Rows per capture"), 0, 0, qint64(1) << 40, acq);
    m_params.addBool(QStringLiteral("enabled"), QStringLiteral("Output enabled"), true, sig);
    m_params.addDouble(
        QStringLiteral("amplitude"), QStringLiteral("Amplitude"), 1.0, 0.0, 10.0, sig, QStringLiteral("V"));
    m_params.addDouble(
        QStringLiteral("period"), QStringLiteral("Period"), 0.5, 1e-9, 100.0, sig, QStringLiteral("s"));
    m_params.addEnum(QStringLiteral("shape"), QStringLiteral("Shape"),
        { QStringLiteral("Sine"), QStringLiteral("Square"), QStringLiteral("Triangle") },
        QStringLiteral("Sine"), sig);
    m_params
        .addDouble(QStringLiteral("duty"), QStringLiteral("Duty cycle"), 50, 1, 99, sig, QStringLiteral("%"))
        .onlyWhen(QStringLiteral("shape"), { QStringLiteral("Square") });
    m_params.addString(QStringLiteral("label"), QStringLiteral("Label"), QStringLiteral("bench A"), sig);
    auto &temp = m_params.addDouble(QStringLiteral("temperature"), QStringLiteral("Temperature"), 21.5, -50,
        150, QStringLiteral("Status"), QStringLiteral("°C"));
    temp.readOnly = true;
    auto &pulses = m_params.addInt(
        QStringLiteral("pulses"), QStringLiteral("Pulses sent"), 0, 0, 1000000, QStringLiteral("Status"));
    pulses.readOnly = true;
    auto &unacked = m_params.addBool(
        QStringLiteral("unacknowledged"), QStringLiteral("Pulse unacknowledged"), false, sig);
    unacked.readOnly = true;
    unacked.persistent = false;
    unacked.shown = false;
    m_actions = { { QStringLiteral("pulse"), QStringLiteral("Send Pulse"), sig,
                      QStringLiteral("Emit one test pulse") },
        { QStringLiteral("acknowledge"), QStringLiteral("Acknowledge"), sig,
            QStringLiteral("Acknowledge the last pulse (only while one is unacknowledged)"),
            QStringLiteral("unacknowledged") } };
}

QString FakeSignalInstrument::applyParameter(const QString &key, const QVariant &value)
{
    if (key == QLatin1String("amplitude") && value.toDouble() > 5.0)
        return QStringLiteral("amplitude: the fake generator refuses more than 5 V");
    return {};
}

void FakeSignalInstrument::open()
{
    setState(State::Connecting);
    setStreams({ StreamInfo { QStringLiteral("sig"), QStringLiteral("Signals"),
        { ChannelInfo { QStringLiteral("Sine"), QStringLiteral("V"), {}, true, {} },
            ChannelInfo { QStringLiteral("Position"), QStringLiteral("µm"), {}, true, {} } },
        true, m_params.doubleValue(QStringLiteral("rate")) } });
    setState(State::Connected);
}

void FakeSignalInstrument::close()
{
    stop();
    setState(State::Disconnected);
}

void FakeSignalInstrument::start()
{
    if (state() == State::Running)
        return;
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setInterval(10);
        connect(m_timer, &QTimer::timeout, this, &FakeSignalInstrument::tick);
    }
    m_index = 0;
    m_lastT = SessionClock::now();
    m_timer->start();
    setState(State::Running);
}

void FakeSignalInstrument::stop()
{
    if (m_timer)
        m_timer->stop();
    if (state() == State::Running)
        setState(State::Connected);
}

void FakeSignalInstrument::invoke(const QString &action)
{
    if (action == QLatin1String("acknowledge")) {
        updateParameter(QStringLiteral("unacknowledged"), false);
        return;
    }
    if (action != QLatin1String("pulse")) {
        Instrument::invoke(action);
        return;
    }
    updateParameter(QStringLiteral("pulses"), ++m_pulses);
    updateParameter(QStringLiteral("unacknowledged"), true);
    Q_EMIT progress(1.0, QStringLiteral("Pulse sent"));
}

void FakeSignalInstrument::tick()
{
    const double rate = m_params.doubleValue(QStringLiteral("rate"));
    const double dt = 1.0 / rate;
    const double now = SessionClock::now();
    const auto n = std::size_t(std::max(1.0, std::floor((now - m_lastT) * rate)));
    auto block = SampleBlock::make(id(), QStringLiteral("sig"), 2, n, false);
    block->firstIndex = m_index;
    block->dt = dt;
    block->t0 = double(m_index) * dt;
    const double amp = m_params.boolValue(QStringLiteral("enabled"))
        ? m_params.doubleValue(QStringLiteral("amplitude"))
        : 0.0;
    const double period = m_params.doubleValue(QStringLiteral("period"));
    const QString shape = m_params.stringValue(QStringLiteral("shape"));
    double *sine = block->channel(0);
    double *pos = block->channel(1);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = block->t0 + double(i) * dt;
        const double phase = 2 * std::numbers::pi * t / period;
        double v = std::sin(phase);
        if (shape == QLatin1String("Square"))
            v = v >= 0 ? 1.0 : -1.0;
        else if (shape == QLatin1String("Triangle"))
            v = 2.0 / std::numbers::pi * std::asin(v);
        sine[i] = amp * v + 0.02 * std::sin(t * 977.0);
        pos[i] = 40.0 + 25.0 * std::sin(2 * std::numbers::pi * 0.15 * t)
            + 3.0 * std::sin(2 * std::numbers::pi * 1.3 * t);
    }
    m_index += n;
    m_lastT += double(n) * dt;
    publish(block);
    updateParameter(QStringLiteral("temperature"), 21.5 + 0.5 * std::sin(now * 0.3));
}

} // namespace bs::test
