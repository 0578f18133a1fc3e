// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The "USB serial" side of the simulator: the shared SimulatorPty (drivers/SimulatorPty.h,
// 115200 Bd nominal, optional 8N1 pacing) with the same framing and model as TCP (it is a
// Nv200SimulatorLink). POSIX only.

#include "Nv200SimulatorLink.h"
#include "SimulatorPty.h"

namespace bs::nv200 {

class Nv200SimulatorPty final : public Nv200SimulatorLink
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPending = 4 << 20; // output a reader never takes is dropped

    Nv200SimulatorPty(const Nv200SimFraming &framing, Executor exec, std::atomic<unsigned> &faults,
        QObject *parent = nullptr);

    /// Creates the pty (raw mode). Returns false with a message on failure.
    bool open(QString *error) { return m_pty->open(error); }
    void close() { m_pty->close(); }
    QString slavePath() const { return m_pty->slavePath(); }
    /// Output pacing: bytes leave at baud / 10 per second. 0: unpaced.
    void setBaud(int baud) { m_pty->setBaud(baud); }

protected:
    void transmit(const QByteArray &bytes) override { m_pty->transmit(bytes); }
    qint64 backlog() const override { return m_pty->backlog(); }
    /// A serial line cannot hang up: the truncated answer stays as it is (like StallMidReply).
    void hangUp() override { }

private:
    SimulatorPty *m_pty;
};

} // namespace bs::nv200
