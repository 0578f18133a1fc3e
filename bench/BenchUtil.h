// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the benchmarks: the machine's sequential write rate, fdatasync of a recorded
// file, per-thread CPU use from /proc, percentiles, the event-loop lag probe. Header-only, Linux
// (the benchmarks run on the dev machines).
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace bs::bench {

/// The p-quantile (0…1, nearest rank) of `v`; 0 when empty.
inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

/// Runs the event loop until `clock` (started by the caller) passes `seconds`, with a 10 ms
/// precise timer: how late each of its ticks fired (ms), the lag of the thread's event loop.
inline std::vector<double> eventLoopLag(const QElapsedTimer &clock, double seconds)
{
    std::vector<double> lag;
    QElapsedTimer sinceTick;
    sinceTick.start();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        lag.push_back(std::max(0.0, double(sinceTick.nsecsElapsed()) / 1e6 - 10.0));
        sinceTick.restart();
        if (clock.elapsed() > seconds * 1000)
            QCoreApplication::quit();
    });
    tick.start();
    QCoreApplication::exec();
    return lag;
}

/// fdatasync() of an already written file (so that a rate includes reaching the disk).
inline bool syncFile(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return false;
    const bool ok = ::fdatasync(fd) == 0;
    ::close(fd);
    return ok;
}

/// MB/s (1e6 bytes) of writing `bytes` of random data to `path` with 8 MiB write() calls and a
/// final fdatasync, then removes the file. 0 if the file cannot be written.
inline double diskRate(const QString &path, qint64 bytes)
{
    std::vector<char> buf(8 << 20);
    std::mt19937_64 rng(1);
    for (auto &c : buf)
        c = char(rng());
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 0;
    QElapsedTimer t;
    t.start();
    qint64 done = 0;
    while (done < bytes) {
        const ssize_t n = ::write(fd, buf.data(), buf.size());
        if (n <= 0)
            break;
        done += n;
    }
    const bool synced = ::fdatasync(fd) == 0;
    const double s = double(t.nsecsElapsed()) * 1e-9;
    ::close(fd);
    QFile::remove(path);
    return synced && done >= bytes ? double(done) / s / 1e6 : 0;
}

/// Size of a file, or the sum of the files in a directory (not recursive).
inline qint64 pathBytes(const QString &path)
{
    const QFileInfo fi(path);
    if (!fi.isDir())
        return fi.exists() ? fi.size() : 0;
    qint64 sum = 0;
    for (const QFileInfo &f : QDir(path).entryInfoList(QDir::Files))
        sum += f.size();
    return sum;
}

/// CPU time of every thread of this process (from /proc/self/task), to show who used the cores.
class ThreadCpu
{
public:
    struct Sample
    {
        std::map<int, std::pair<std::string, double>> threads; ///< tid -> (name, CPU seconds)
        double machineBusy = 0; ///< CPU seconds of all processes (all cores) from /proc/stat
        qint64 wallNs = 0;
    };

    ThreadCpu() { m_clock.start(); }

    Sample sample() const
    {
        Sample s;
        s.wallNs = m_clock.nsecsElapsed();
        const double tick = 1.0 / double(::sysconf(_SC_CLK_TCK));
        QFile procStat(QStringLiteral("/proc/stat"));
        if (procStat.open(QIODevice::ReadOnly)) {
            // "cpu user nice system idle iowait irq softirq steal ..."
            const QList<QByteArray> f = procStat.readLine().simplified().split(' ');
            if (f.size() > 8)
                for (int i : { 1, 2, 3, 6, 7, 8 })
                    s.machineBusy += double(f[i].toULongLong()) * tick;
        }
        const QStringList tids = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &tid : tids) {
            const QString dir = QStringLiteral("/proc/self/task/") + tid;
            QFile comm(dir + QStringLiteral("/comm")), stat(dir + QStringLiteral("/stat"));
            if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly))
                continue;
            const QByteArray text = stat.readAll();
            const qsizetype close = text.lastIndexOf(')'); // the name may hold spaces
            if (close < 0)
                continue;
            const QList<QByteArray> f = text.mid(close + 2).split(' '); // f[0] = field 3 (state)
            if (f.size() < 13)
                continue;
            const double cpu = double(f[11].toULongLong() + f[12].toULongLong()) * tick; // utime + stime
            s.threads[tid.toInt()] = { comm.readAll().trimmed().toStdString(), cpu };
        }
        return s;
    }

    /// "sim 97%, drv-panda1 61%, ..." for the threads that used ≥ 2 % of one core between a and b.
    /// The main thread is called "main"; other threads that kept the process name get `unnamed`.
    static std::string report(const Sample &a, const Sample &b, const std::string &unnamed = "other")
    {
        const double wall = double(b.wallNs - a.wallNs) * 1e-9;
        if (wall <= 0)
            return {};
        const int pid = int(::getpid());
        const std::string processName = b.threads.count(pid) ? b.threads.at(pid).first : std::string();
        std::map<std::string, double> byName;
        double total = 0;
        for (const auto &[tid, nameCpu] : b.threads) {
            const auto before = a.threads.find(tid);
            const double used = nameCpu.second - (before == a.threads.end() ? 0.0 : before->second.second);
            std::string name = tid == pid ? "main" : nameCpu.first == processName ? unnamed : nameCpu.first;
            byName[name] += used;
            total += used;
        }
        const double others = std::max(0.0, (b.machineBusy - a.machineBusy) - total);
        std::vector<std::pair<double, std::string>> sorted;
        for (const auto &[name, used] : byName)
            if (used / wall >= 0.02)
                sorted.push_back({ used, name });
        std::sort(sorted.rbegin(), sorted.rend());
        std::string out;
        char buf[96];
        std::snprintf(buf, sizeof buf, "total %.0f%%", 100.0 * total / wall);
        out = buf;
        for (const auto &[used, name] : sorted) {
            std::snprintf(buf, sizeof buf, ", %s %.0f%%", name.c_str(), 100.0 * used / wall);
            out += buf;
        }
        std::snprintf(buf, sizeof buf, "; other processes %.0f%%", 100.0 * others / wall);
        out += buf;
        return out;
    }

    /// CPU used by other processes between a and b, in % of one core.
    static double othersPercent(const Sample &a, const Sample &b)
    {
        const double wall = double(b.wallNs - a.wallNs) * 1e-9;
        double ours = 0;
        for (const auto &[tid, nameCpu] : b.threads) {
            const auto before = a.threads.find(tid);
            ours += nameCpu.second - (before == a.threads.end() ? 0.0 : before->second.second);
        }
        return wall > 0 ? std::max(0.0, 100.0 * ((b.machineBusy - a.machineBusy) - ours) / wall) : 0;
    }

private:
    QElapsedTimer m_clock;
};

} // namespace bs::bench
