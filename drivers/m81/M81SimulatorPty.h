// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The USB virtual serial port of the M81 simulator: a pseudo-terminal whose slave (/dev/pts/N) a
// driver opens like the instrument's port (921 600 Bd nominal; a pty has no real speed). Same
// line rules and device as TCP. The simulator keeps a slave descriptor open itself, so that a
// driver may open and close the path any number of times; EIO on the master (no slave open) is
// handled by reopening that descriptor. POSIX only.

#include "M81SimulatorLink.h"

class QSocketNotifier;

namespace bs::m81 {

class M81SimulatorPty final : public M81SimulatorLink
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPending = 8 << 20; // output nobody reads beyond this is lost

    M81SimulatorPty(Executor exec, Overrun overrun, std::atomic<unsigned> &faults, QObject *parent = nullptr);
    ~M81SimulatorPty() override;

    /// Creates the pty (raw mode). Returns false with a message on failure.
    bool open(QString *error);
    void close();
    QString slavePath() const { return m_path; }
    /// A serial line cannot hang up: the answer stays cut off.
    void hangUp() override { }

protected:
    void transmit(const QByteArray &bytes) override;

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

} // namespace bs::m81
