// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Instrument.h"
#include "SessionClock.h"

#include <QThread>
#include <QTimer>

#include <atomic>

namespace bs::test {

/// A driver without a device: open() connects at once, start() publishes a block every 10 ms.
class FakeInstrument : public Instrument
{
    Q_OBJECT
public:
    /// FakeInstruments in existence (tests check that shutdown deletes every driver).
    static inline std::atomic<int> alive{0};
    ~FakeInstrument() override { --alive; }
    FakeInstrument()
    {
        ++alive;
        m_params.addDouble(QStringLiteral("rate"), QStringLiteral("Rate"), 1000, 1, 1e6, QStringLiteral("Acq"), QStringLiteral("Hz"));
        m_params.addEnum(QStringLiteral("mode"), QStringLiteral("Mode"), {QStringLiteral("A"), QStringLiteral("B")},
                         QStringLiteral("A"), QStringLiteral("Acq"));
        m_params.addInt(QStringLiteral("refuse_above"), QStringLiteral("Limit"), 100, 0, 1000, QStringLiteral("Acq"));
        m_actions = {{QStringLiteral("ping"), QStringLiteral("Ping"), {}, {}}};
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, &FakeInstrument::tick);
    }
    QString type() const override { return QStringLiteral("fake"); }
    void open() override
    {
        setStreams({StreamInfo{QStringLiteral("s"), QStringLiteral("S"),
                               {{QStringLiteral("x"), QStringLiteral("V"), {}, true, {}}}, true, 1000}});
        setState(State::Connecting); // as a real driver: a running acquisition is rejoined on Connected
        setState(State::Connected);
    }
    void close() override
    {
        m_timer.stop();
        setState(State::Disconnected);
    }
    void start() override
    {
        m_index = 0;
        m_timer.start();
        setState(State::Running);
    }
    void stop() override
    {
        m_timer.stop();
        setState(State::Connected);
    }
    void invoke(const QString &a) override
    {
        if (a == QLatin1String("ping"))
            Q_EMIT message(QStringLiteral("pong from ") + QThread::currentThread()->objectName());
        else
            Instrument::invoke(a);
    }
    /// When > 0: the capture ends by itself (state Finished) after this many blocks.
    std::atomic<int> finishAfterBlocks{0};
    /// Skips `n` samples before the next block (a gap).
    std::atomic<quint64> skipNext{0};
    /// Skips `n` samples before the next block and also announces them in its lostBefore.
    std::atomic<quint64> skipAndAnnounceNext{0};

protected:
    QString applyParameter(const QString &key, const QVariant &v) override
    {
        if (key == QLatin1String("refuse_above") && v.toLongLong() > 500)
            return QStringLiteral("device refused refuse_above");
        return {};
    }

private:
    void tick()
    {
        auto b = SampleBlock::make(id(), QStringLiteral("s"), 1, 10, false);
        m_index += skipNext.exchange(0);
        b->lostBefore = skipAndAnnounceNext.exchange(0);
        m_index += b->lostBefore;
        b->firstIndex = m_index;
        b->dt = 1e-3;
        b->t0 = double(m_index) * 1e-3;
        for (int i = 0; i < 10; ++i)
            b->channel(0)[i] = double(m_index + std::uint64_t(i));
        m_index += 10;
        publish(b);
        if (const int n = finishAfterBlocks.load(); n > 0 && m_index >= std::uint64_t(n) * 10) {
            m_timer.stop();
            setState(State::Finished);
        }
    }
    QTimer m_timer{this};
    std::uint64_t m_index = 0;
};

} // namespace bs::test
