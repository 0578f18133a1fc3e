// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The "USB serial" side of the simulator: a pseudo-terminal whose slave (/dev/pts/N) a driver
// opens like the FTDI port. Same framing and model as TCP (it is a Nv200SimulatorLink).
// The simulator keeps a slave descriptor open itself, so a driver may open and close the path any
// number of times without the master seeing a hang-up; EIO on the master (no slave open) is
// handled by reopening that descriptor. POSIX only.

#include "Nv200SimulatorLink.h"

class QSocketNotifier;

namespace bs::nv200 {

class Nv200SimulatorPty final : public Nv200SimulatorLink
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPending = 4 << 20; // output a reader never takes is dropped

    Nv200SimulatorPty(const Nv200SimFraming &framing, Executor exec, std::atomic<unsigned> &faults,
        QObject *parent = nullptr);
    ~Nv200SimulatorPty() override;

    /// Creates the pty (raw mode, 115200 Bd nominal). Returns false with a message on failure.
    bool open(QString *error);
    void close();
    QString slavePath() const { return m_path; }

protected:
    void transmit(const QByteArray &bytes) override;
    /// A serial line cannot hang up: the truncated answer stays as it is (like StallMidReply).
    void hangUp() override { }

private:
    void onReadable();
    void flushPending();
    bool reopenSlave();

    int m_master = -1;
    int m_slave = -1;
    QString m_path;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_pending;
};

} // namespace bs::nv200
