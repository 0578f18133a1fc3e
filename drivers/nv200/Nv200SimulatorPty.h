// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The "USB serial" side of the simulator: a pseudo-terminal whose slave (/dev/pts/N) a driver
// opens like the FTDI port. Same framing and model as TCP (it is a Nv200SimulatorLink).
// The simulator keeps a slave descriptor open itself, so a driver may open and close the path any
// number of times without the master seeing a hang-up; EIO on the master (no slave open) is
// handled by reopening that descriptor. POSIX only.
//
// A pty passes bytes as fast as the reader takes them; setBaud() paces the output like a real
// 8N1 line instead (baud / 10 bytes per second), so that read-back times and timeouts of a real
// serial connection can be exercised.

#include "Nv200SimulatorLink.h"

#include <QElapsedTimer>

class QSocketNotifier;
class QTimer;

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
    /// Output pacing: bytes leave at baud / 10 per second (start bit, 8 data bits, stop bit).
    /// 0: unpaced.
    void setBaud(int baud) { m_baud = baud; }

protected:
    void transmit(const QByteArray &bytes) override;
    qint64 backlog() const override { return m_pending.size(); }
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
    int m_baud = 0;
    QTimer *m_paceTimer = nullptr;
    QElapsedTimer m_clock;
    qint64 m_lineFreeNs = 0; // when the last byte handed to the line has left it
};

} // namespace bs::nv200
