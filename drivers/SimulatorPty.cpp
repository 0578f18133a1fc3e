// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimulatorPty.h"

#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace bs {
namespace {

constexpr int kRetryMs = 50; // after EIO (no slave open) the master is polled again this late
// A paced line is fed up to kPaceAheadNs ahead of the wire and topped up when half of that is
// left, so that timer latency does not slow it below the line rate.
constexpr qint64 kPaceAheadNs = 10'000'000;

speed_t nominalSpeed(int baud)
{
#ifdef B921600
    if (baud >= 921600)
        return B921600;
#endif
    return baud >= 115200 ? B115200 : B9600;
}

} // namespace

SimulatorPty::SimulatorPty(
    const QString &device, int nominalBaud, qsizetype maxPending, Receiver receiver, QObject *parent)
    : QObject(parent)
    , m_device(device)
    , m_nominalBaud(nominalBaud)
    , m_maxPending(maxPending)
    , m_receiver(std::move(receiver))
    , m_paceTimer(new QTimer(this))
{
    m_paceTimer->setSingleShot(true);
    m_paceTimer->setTimerType(Qt::PreciseTimer);
    connect(m_paceTimer, &QTimer::timeout, this, &SimulatorPty::flushPending);
    m_clock.start();
}

SimulatorPty::~SimulatorPty()
{
    close();
}

bool SimulatorPty::open(QString *error)
{
    if (m_master >= 0)
        return true;
    auto fail = [&](const char *what) {
        if (error)
            *error = tr("%1: %2 failed: %3")
                         .arg(m_device, QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno)));
        close();
        return false;
    };
    m_master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (m_master < 0)
        return fail("posix_openpt");
    ::fcntl(m_master, F_SETFD, FD_CLOEXEC);
    if (::grantpt(m_master) != 0)
        return fail("grantpt");
    if (::unlockpt(m_master) != 0)
        return fail("unlockpt");
    char name[128] = {};
    if (::ptsname_r(m_master, name, sizeof name) != 0)
        return fail("ptsname");
    m_path = QString::fromLocal8Bit(name);
    if (::fcntl(m_master, F_SETFL, ::fcntl(m_master, F_GETFL) | O_NONBLOCK) != 0)
        return fail("fcntl");
    if (!reopenSlave())
        return fail("open slave");

    m_readNotifier = new QSocketNotifier(qintptr(m_master), QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &SimulatorPty::onReadable);
    m_writeNotifier = new QSocketNotifier(qintptr(m_master), QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &SimulatorPty::flushPending);
    return true;
}

bool SimulatorPty::reopenSlave()
{
    if (m_slave >= 0)
        ::close(m_slave);
    m_slave = ::open(m_path.toLocal8Bit().constData(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (m_slave < 0)
        return false;
    termios tio {};
    if (::tcgetattr(m_slave, &tio) == 0) {
        ::cfmakeraw(&tio);
        const speed_t speed = nominalSpeed(m_nominalBaud);
        ::cfsetispeed(&tio, speed);
        ::cfsetospeed(&tio, speed);
        tio.c_cflag |= CLOCAL | CREAD;
        ::tcsetattr(m_slave, TCSANOW, &tio);
    }
    return true;
}

void SimulatorPty::close()
{
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_slave >= 0)
        ::close(m_slave);
    if (m_master >= 0)
        ::close(m_master);
    m_slave = m_master = -1;
    m_path.clear();
    m_pending.clear();
    m_paceTimer->stop();
}

void SimulatorPty::onReadable()
{
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(m_master, buf, sizeof buf);
        if (n > 0) {
            m_receiver(QByteArrayView(buf, n));
            if (m_master < 0)
                return;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        // EIO (or EOF): no slave descriptor is open. Reopen ours and look again a little later,
        // instead of spinning on a notifier that stays readable.
        m_readNotifier->setEnabled(false);
        reopenSlave();
        QTimer::singleShot(kRetryMs, this, [this] {
            if (m_readNotifier)
                m_readNotifier->setEnabled(true);
        });
        return;
    }
}

void SimulatorPty::transmit(const QByteArray &bytes)
{
    if (m_master < 0)
        return;
    if (m_pending.size() + bytes.size() > m_maxPending)
        return; // nobody reads: the serial line loses it, as a real one would
    m_pending += bytes;
    flushPending();
}

void SimulatorPty::flushPending()
{
    qsizetype allowed = m_pending.size();
    qint64 byteNs = 0;
    if (m_baud > 0 && !m_pending.isEmpty()) {
        // 10 bit times per byte; the line is fed at most kPaceAheadNs ahead of what has left it.
        byteNs = 10'000'000'000LL / m_baud;
        const qint64 now = m_clock.nsecsElapsed();
        m_lineFreeNs = std::max(m_lineFreeNs, now);
        allowed = qsizetype(std::clamp<qint64>((now + kPaceAheadNs - m_lineFreeNs) / byteNs, 0, m_pending.size()));
    }
    qsizetype written = 0;
    while (written < allowed && m_master >= 0) {
        const ssize_t n = ::write(m_master, m_pending.constData() + written, size_t(allowed - written));
        if (n > 0) {
            written += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        written = m_pending.size(); // EIO: no reader at all
        break;
    }
    const bool blocked = written < allowed; // the pty is full: wait until it is writable
    m_pending.remove(0, written);
    m_lineFreeNs += qint64(written) * byteNs;
    const bool paced = !blocked && !m_pending.isEmpty();
    if (paced) // the line is busy: come back when it has room again
        m_paceTimer->start(int(std::max<qint64>(1, (m_lineFreeNs - m_clock.nsecsElapsed() - kPaceAheadNs / 2) / 1'000'000)));
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(blocked && !m_pending.isEmpty());
}

} // namespace bs
