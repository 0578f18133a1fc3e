// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BlockSink.h"
#include "SessionClock.h"

#include <QMutex>

#include <vector>

namespace bs::test {

/// Engineering values (raw × scale + offset) of channel `ch` of a block, whatever its stored type.
inline std::vector<double> values(const SampleBlock &b, int ch)
{
    std::vector<double> out(b.sampleCount);
    b.toValues(ch, 0, b.sampleCount, out.data());
    return out;
}
inline std::vector<double> values(const SampleBlockPtr &b, int ch) { return values(*b, ch); }

/// Collects every block a driver publishes (called on the driver thread), with arrival times on
/// the session clock; the accessors may be called from the test thread at any time.
class CollectingSink : public BlockSink
{
public:
    void setStreams(const QString &, const QVector<StreamInfo> &s) override
    {
        QMutexLocker l(&m_mutex);
        m_streams = s;
    }
    void consume(const SampleBlockPtr &b) override
    {
        QMutexLocker l(&m_mutex);
        m_blocks.push_back(b);
        m_arrivals.push_back(SessionClock::now());
        m_rows += b->sampleCount;
    }
    /// Forgets the blocks collected so far (the streams stay).
    void clear()
    {
        QMutexLocker l(&m_mutex);
        m_blocks.clear();
        m_arrivals.clear();
        m_rows = 0;
    }
    quint64 rows() const
    {
        QMutexLocker l(&m_mutex);
        return m_rows;
    }
    std::vector<SampleBlockPtr> blocks() const
    {
        QMutexLocker l(&m_mutex);
        return m_blocks;
    }
    std::vector<SampleBlockPtr> blocks(const QString &stream) const
    {
        QMutexLocker l(&m_mutex);
        std::vector<SampleBlockPtr> out;
        for (const auto &b : m_blocks)
            if (b->streamId == stream)
                out.push_back(b);
        return out;
    }
    double arrivalOf(const SampleBlockPtr &b) const
    {
        QMutexLocker l(&m_mutex);
        for (std::size_t i = 0; i < m_blocks.size(); ++i)
            if (m_blocks[i] == b)
                return m_arrivals[i];
        return -1;
    }
    QVector<StreamInfo> streams() const
    {
        QMutexLocker l(&m_mutex);
        return m_streams;
    }
    StreamInfo stream(const QString &id) const
    {
        QMutexLocker l(&m_mutex);
        for (const auto &s : m_streams)
            if (s.id == id)
                return s;
        return {};
    }
    /// All rows of one channel of the first stream, concatenated (engineering values).
    std::vector<double> column(const QString &name) const
    {
        QMutexLocker l(&m_mutex);
        std::vector<double> out;
        const int c = m_streams.isEmpty() ? -1 : m_streams[0].channelIndex(name);
        if (c < 0)
            return out;
        for (const auto &b : m_blocks)
            if (b->sampleCount) {
                const auto v = values(*b, c);
                out.insert(out.end(), v.begin(), v.end());
            }
        return out;
    }
    /// The explicit sample times of every block, concatenated.
    std::vector<double> times() const
    {
        QMutexLocker l(&m_mutex);
        std::vector<double> out;
        for (const auto &b : m_blocks)
            out.insert(out.end(), b->times.begin(), b->times.end());
        return out;
    }

private:
    mutable QMutex m_mutex;
    QVector<StreamInfo> m_streams;
    std::vector<SampleBlockPtr> m_blocks;
    std::vector<double> m_arrivals;
    quint64 m_rows = 0;
};

} // namespace bs::test
