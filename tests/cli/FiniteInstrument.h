// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"

#include <QTimer>

namespace bs::test {

/// A device-less driver whose capture ends by itself, like a PandA capture with a row limit:
/// start() publishes `blocks` blocks of 10 samples, then reports the capture's end and goes to
/// Finished. `complete=false` ends it like a device overrun; `refuse` makes the device refuse
/// that setting on start (a warning).
class FiniteInstrument : public Instrument
{
    Q_OBJECT
public:
    FiniteInstrument()
    {
        m_params.addInt(QStringLiteral("blocks"), QStringLiteral("Blocks"), 5, 0, 1000, QStringLiteral("Acq"));
        m_params.addBool(QStringLiteral("complete"), QStringLiteral("Complete"), true, QStringLiteral("Acq"));
        m_params.addBool(QStringLiteral("refuse"), QStringLiteral("Refuse"), false, QStringLiteral("Acq"));
        m_params.addBool(QStringLiteral("endless"), QStringLiteral("Endless"), false, QStringLiteral("Acq"));
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, &FiniteInstrument::tick);
    }
    QString type() const override { return QStringLiteral("finite"); }
    void open() override
    {
        setStreams({StreamInfo{QStringLiteral("s"), QStringLiteral("S"),
                               {{QStringLiteral("x"), QStringLiteral("V"), {}, true, {}}}, true, 2000}});
        setState(State::Connected);
    }
    void close() override
    {
        m_timer.stop();
        setState(State::Disconnected);
    }
    void start() override
    {
        if (m_params.value(QStringLiteral("refuse")).toBool())
            warn(QStringLiteral("TRIG refused by the device: capture runs on the default trigger"));
        m_sent = 0;
        setState(State::Running);
        captureStarted(QStringLiteral("s"), double(m_index) * 1e-3,
                       QJsonObject{{QStringLiteral("capture"), ++m_capture},
                                   {QStringLiteral("folder"), outputFolder()}}); // the recording's
        m_timer.start();
    }
    void stop() override
    {
        m_timer.stop();
        setState(State::Connected);
    }

private:
    void tick()
    {
        if (!m_params.value(QStringLiteral("endless")).toBool()
            && m_sent >= m_params.value(QStringLiteral("blocks")).toInt()) {
            m_timer.stop();
            const bool complete = m_params.value(QStringLiteral("complete")).toBool();
            captureEnded(QStringLiteral("s"), double(m_index) * 1e-3,
                         complete ? QStringLiteral("Ok") : QStringLiteral("Data overrun"), complete,
                         QJsonObject{{QStringLiteral("capture"), m_capture}, {QStringLiteral("samples"), m_sent * 10}});
            setState(State::Finished, complete ? QStringLiteral("capture complete")
                                               : QStringLiteral("capture ended: Data overrun"));
            return;
        }
        auto b = SampleBlock::make(id(), QStringLiteral("s"), 1, 10, false);
        b->firstIndex = m_index;
        b->dt = 1e-3;
        b->t0 = double(m_index) * 1e-3;
        for (int i = 0; i < 10; ++i)
            b->channel(0)[i] = double(m_index + std::uint64_t(i));
        m_index += 10;
        ++m_sent;
        publish(b);
    }

    QTimer m_timer { this }; // a child: moves to the driver thread with us
    quint64 m_index = 0;
    int m_sent = 0;
    int m_capture = 0;
};

} // namespace bs::test
