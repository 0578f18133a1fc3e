// SPDX-License-Identifier: GPL-3.0-or-later
#include "M81SimulatorPty.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace bs::m81 {

namespace {
constexpr int kRetryMs = 50; // after EIO (no slave open) the master is read again this late
}

M81SimulatorPty::M81SimulatorPty(Executor exec, Overrun overrun, std::atomic<unsigned> &faults, QObject *parent)
    : M81SimulatorLink(std::move(exec), std::move(overrun), faults, parent)
{
}

M81SimulatorPty::~M81SimulatorPty()
{
    close();
}

bool M81SimulatorPty::open(QString *error)
{
    if (m_master >= 0)
        return true;
    auto fail = [&](const char *what) {
        if (error)
            *error = tr("M81 simulator: %1 failed: %2")
                         .arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno)));
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
    connect(m_readNotifier, &QSocketNotifier::activated, this, &M81SimulatorPty::onReadable);
    m_writeNotifier = new QSocketNotifier(qintptr(m_master), QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &M81SimulatorPty::flushPending);
    return true;
}

bool M81SimulatorPty::reopenSlave()
{
    if (m_slave >= 0)
        ::close(m_slave);
    m_slave = ::open(m_path.toLocal8Bit().constData(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (m_slave < 0)
        return false;
    termios tio {};
    if (::tcgetattr(m_slave, &tio) == 0) {
        ::cfmakeraw(&tio);
#ifdef B921600
        ::cfsetispeed(&tio, B921600);
        ::cfsetospeed(&tio, B921600);
#endif
        tio.c_cflag |= CLOCAL | CREAD;
        ::tcsetattr(m_slave, TCSANOW, &tio);
    }
    return true;
}

void M81SimulatorPty::close()
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
}

void M81SimulatorPty::onReadable()
{
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(m_master, buf, sizeof buf);
        if (n > 0) {
            receive(QByteArrayView(buf, n));
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

void M81SimulatorPty::transmit(const QByteArray &bytes)
{
    if (m_master < 0 || m_pending.size() + bytes.size() > kMaxPending)
        return; // nobody reads: the serial line loses it, as a real one would
    m_pending += bytes;
    flushPending();
}

void M81SimulatorPty::flushPending()
{
    qsizetype written = 0;
    while (written < m_pending.size() && m_master >= 0) {
        const ssize_t n = ::write(m_master, m_pending.constData() + written, size_t(m_pending.size() - written));
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
    m_pending.remove(0, written);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(!m_pending.isEmpty());
}

} // namespace bs::m81
