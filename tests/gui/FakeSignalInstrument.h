// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Instrument.h>

class QTimer;

namespace bs::test {

/// A small driver for GUI tests: every parameter type, an action, and a stream ("sig": a sine in V
/// and a position in µm) that publishes synthetic blocks from its own thread while running.
/// It refuses amplitudes above 5 V (inside the spec's range), so views must snap back.
class FakeSignalInstrument : public Instrument
{
    Q_OBJECT
public:
    static constexpr const char *kType = "fakesig";
    static void registerType();

    FakeSignalInstrument();
    QString type() const override { return QString::fromLatin1(kType); }

public Q_SLOTS:
    void open() override;
    void close() override;
    void start() override;
    void stop() override;
    void invoke(const QString &action) override;

protected:
    QString applyParameter(const QString &key, const QVariant &value) override;

private:
    void tick();

    QTimer *m_timer = nullptr;
    quint64 m_index = 0;
    qint64 m_pulses = 0;
    double m_lastT = 0.0;
};

} // namespace bs::test
