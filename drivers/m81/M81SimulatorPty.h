// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The USB virtual serial port of the M81 simulator: the shared SimulatorPty
// (drivers/SimulatorPty.h, 921 600 Bd nominal; a pty has no real speed) with the same line rules
// and device as TCP (it is an M81SimulatorLink). POSIX only.

#include "M81SimulatorLink.h"
#include "SimulatorPty.h"

namespace bs::m81 {

class M81SimulatorPty final : public M81SimulatorLink
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPending = 8 << 20; // output nobody reads beyond this is lost

    M81SimulatorPty(Executor exec, Overrun overrun, std::atomic<unsigned> &faults, QObject *parent = nullptr);

    /// Creates the pty (raw mode). Returns false with a message on failure.
    bool open(QString *error) { return m_pty->open(error); }
    void close() { m_pty->close(); }
    QString slavePath() const { return m_pty->slavePath(); }
    /// A serial line cannot hang up: the answer stays cut off.
    void hangUp() override { }

protected:
    void transmit(const QByteArray &bytes) override { m_pty->transmit(bytes); }

private:
    SimulatorPty *m_pty;
};

} // namespace bs::m81
