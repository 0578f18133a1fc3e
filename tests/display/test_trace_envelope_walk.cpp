// SPDX-License-Identifier: GPL-3.0-or-later
// TraceStore::envelope() of windows holding many samples per column (the walk through chunks,
// sample clocks and pyramid levels) against a brute-force envelope over the raw samples: random
// data with gaps, regular and explicit times, int16 and float64, at every zoom level.
#include "TraceReference.h"

#include <TraceStore.h>

#include <QTest>

#include <cmath>
#include <cstdint>

using namespace bs;
using namespace bs::test;

namespace {

const QString kInst = QStringLiteral("inst");
const QString kStream = QStringLiteral("s");

/// What the stream's blocks look like.
enum class Clock {
    Regular, ///< t0 = index · dt, gaps in the indices (a break each)
    Explicit, ///< explicit times, some equal, jumps in time, gaps in the indices
    Plateau, ///< regular blocks at t0 ≈ 1e6 s with dt = 1e-11 s (several rows share one time) and some dt = 0
};

/// Random blocks of one stream of `channels` channels in `format`, fed to the store and the
/// reference: random sizes, index jumps, device losses, NaN runs (floating point).
class Feeder
{
public:
    Feeder(quint32 seed, Clock clock, SampleFormat format, int channels)
        : m_rng(seed)
        , m_clock(clock)
        , m_format(format)
        , m_channels(channels)
    {
    }

    StreamInfo info() const
    {
        StreamInfo s;
        s.id = kStream;
        s.name = kStream;
        s.regular = m_clock != Clock::Explicit;
        for (int ch = 0; ch < m_channels; ++ch) {
            ChannelInfo c;
            c.name = QStringLiteral("c%1").arg(ch);
            c.format = m_format;
            s.channels.push_back(c);
        }
        return s;
    }

    void feed(TraceStore &store, RefStream &ref, std::size_t rows, std::size_t maxBlock)
    {
        while (ref.size() < rows) {
            const std::size_t n = 1 + m_rng.bounded(quint32(maxBlock));
            const std::vector<SampleFormat> formats(std::size_t(m_channels), m_format);
            auto b = SampleBlock::make(kInst, kStream, formats, n, m_clock == Clock::Explicit);
            if (m_rng.bounded(25) == 0)
                m_index += 1 + m_rng.bounded(1000); // an index jump: a break
            if (m_rng.bounded(40) == 0) {
                b->flags |= SampleBlock::DataLost;
                b->lostBefore = m_rng.bounded(3);
            }
            b->firstIndex = m_index;
            switch (m_clock) {
            case Clock::Regular:
                b->dt = 1e-7;
                b->t0 = double(m_index) * b->dt;
                break;
            case Clock::Explicit:
                if (m_rng.bounded(30) == 0)
                    m_t += 1e-3 * m_rng.generateDouble(); // a jump in time
                for (std::size_t i = 0; i < n; ++i) {
                    if (m_rng.bounded(8) != 0) // some equal times
                        m_t += 1e-7 * (0.5 + m_rng.generateDouble());
                    b->times[i] = m_t;
                }
                b->t0 = b->times[0];
                break;
            case Clock::Plateau:
                b->dt = m_rng.bounded(30) == 0 ? 0.0 : 1e-11;
                b->t0 = 1e6 + double(m_index) * 1e-11;
                if (!ref.t.empty() && b->t0 < ref.t.back())
                    b->t0 = ref.t.back(); // a dt = 0 block may not leave the clock behind
                break;
            }
            for (int ch = 0; ch < m_channels; ++ch) {
                const int mode = int(m_rng.bounded(6));
                visitSampleType(m_format.type, [&](auto tag) {
                    using T = decltype(tag);
                    T *out = b->template data<T>(ch);
                    for (std::size_t i = 0; i < n; ++i) {
                        m_phase += 1e-3;
                        const double r = mode == 0
                            ? double(m_rng.bounded(4)) // ties
                            : 3000.0 * std::sin(m_phase * (ch + 1)) + double(m_rng.bounded(200));
                        if constexpr (std::is_floating_point_v<T>)
                            out[i] = (mode == 1 && i % 97 < 40) || m_rng.bounded(200) == 0 ? T(NAN) : T(r);
                        else
                            out[i] = T(r);
                    }
                });
            }
            m_index += n;
            ref.add(*b);
            store.consume(b);
        }
    }

private:
    QRandomGenerator m_rng;
    Clock m_clock;
    SampleFormat m_format;
    int m_channels;
    std::uint64_t m_index = 0;
    double m_t = 0.0;
    double m_phase = 0.0;
};

} // namespace

class TestTraceEnvelopeWalk : public QObject
{
    Q_OBJECT

private slots:
    void everyZoomMatchesBruteForce_data()
    {
        QTest::addColumn<int>("clock");
        QTest::addColumn<int>("type");
        QTest::addColumn<quint32>("seed");
        const int i16 = int(SampleType::Int16), f64 = int(SampleType::Float64);
        QTest::newRow("regular int16") << int(Clock::Regular) << i16 << 21u;
        QTest::newRow("regular float64") << int(Clock::Regular) << f64 << 22u;
        QTest::newRow("explicit int16") << int(Clock::Explicit) << i16 << 23u;
        QTest::newRow("explicit float64") << int(Clock::Explicit) << f64 << 24u;
        QTest::newRow("plateau int16") << int(Clock::Plateau) << i16 << 25u;
        QTest::newRow("plateau float64") << int(Clock::Plateau) << f64 << 26u;
    }

    void everyZoomMatchesBruteForce()
    {
        // 200 000 rows in chunks of a few thousand (a small budget), so that wide columns span
        // many chunks, narrow ones many pyramid levels; windows from the whole history down to a
        // few samples, at random places (also past either end), with 1 to 3000 columns.
        QFETCH(int, clock);
        QFETCH(int, type);
        QFETCH(quint32, seed);
        const SampleFormat format
            = SampleFormat::of(SampleType(type), type == int(SampleType::Int16) ? -1e-3 : 1.0, 0.5);
        TraceStore store;
        store.setMemoryBudget(8ull << 20);
        Feeder feeder(seed, Clock(clock), format, 2);
        store.setStreams(kInst, { feeder.info() });
        RefStream ref(2);
        feeder.feed(store, ref, 200000, 5000);
        QCOMPARE(store.stats().evictedSamples, 0u);
        QCOMPARE(store.stats().rowsHeld, quint64(ref.size()));

        QRandomGenerator rng(seed * 7);
        const double first = ref.t.front(), span = ref.t.back() - first;
        const int columnChoices[] = { 1, 2, 3, 7, 50, 741, 2000, 3000 };
        int walked = 0, queries = 0;
        for (int zoom = 0; zoom <= 5; ++zoom) {
            const double width = span * std::pow(10.0, -zoom) * (0.5 + rng.generateDouble());
            for (int q = 0; q < 40; ++q, ++queries) {
                const double a = first - 0.05 * width + (span + 0.1 * width - width) * rng.generateDouble();
                const double b = a + width;
                const int columns = q % 3 == 0 ? 1 + int(rng.bounded(3000)) : columnChoices[rng.bounded(8)];
                const int ch = q % 2;
                const Envelope got = store.envelope(ChannelKey { kInst, kStream, ch }, a, b, columns);
                const Envelope want = naiveEnvelope(ref, 0, ch, a, b, columns);
                QVERIFY2(sameEnvelope(got, want),
                    qPrintable(QStringLiteral("zoom %1 query %2 [%3, %4) x%5: ")
                                   .arg(zoom)
                                   .arg(q)
                                   .arg(a, 0, 'g', 17)
                                   .arg(b, 0, 'g', 17)
                                   .arg(columns)
                        + envelopeDifference(got, want)));
                // More than 4 samples per column: the pyramid walk, not the direct scan.
                if (ref.firstAtOrAfter(b) - ref.firstAtOrAfter(a) > std::size_t(4 * columns))
                    ++walked;
            }
        }
        QVERIFY2(walked > queries / 3,
            qPrintable(QStringLiteral("%1 of %2 queries walked").arg(walked).arg(queries)));
    }

    void edgesOnSampleTimes()
    {
        // Column edges falling exactly on sample times (also inside runs of equal times): a
        // sample on an edge belongs to the column on its right.
        TraceStore store;
        store.setMemoryBudget(4ull << 20);
        Feeder feeder(31, Clock::Plateau, SampleFormat::of(SampleType::Int16), 1);
        store.setStreams(kInst, { feeder.info() });
        RefStream ref(1);
        feeder.feed(store, ref, 60000, 3000);
        QRandomGenerator rng(32);
        for (int q = 0; q < 300; ++q) {
            const std::size_t i = rng.bounded(quint32(ref.size()));
            const std::size_t j
                = std::min(ref.size() - 1, i + 1 + rng.bounded(quint32(ref.size() / (1 + q % 50))));
            const double a = ref.t[i], b = ref.t[j];
            if (!(a < b))
                continue;
            // Two columns: their edge is exactly halfway, often a sample time here too.
            for (int columns : { 1, 2, 4, 16 }) {
                const Envelope got = store.envelope(ChannelKey { kInst, kStream, 0 }, a, b, columns);
                const Envelope want = naiveEnvelope(ref, 0, 0, a, b, columns);
                QVERIFY2(sameEnvelope(got, want), qPrintable(envelopeDifference(got, want)));
            }
        }
    }

    void evictedHistory()
    {
        // A budget too small for the stream: the oldest chunks go; the walk starts in what is held.
        TraceStore store;
        store.setMemoryBudget(512ull << 10);
        Feeder feeder(41, Clock::Regular, SampleFormat::of(SampleType::Int16, 1e-3, 0.0), 1);
        store.setStreams(kInst, { feeder.info() });
        RefStream ref(1);
        feeder.feed(store, ref, 400000, 5000);
        QVERIFY(store.stats().evictedSamples > 0);
        const std::size_t firstRow = ref.size() - std::size_t(store.stats().rowsHeld);
        const double first = ref.t[firstRow], span = ref.t.back() - first;
        QRandomGenerator rng(42);
        for (int q = 0; q < 60; ++q) {
            const double width = span * std::pow(10.0, -double(q % 4));
            const double a = first - 0.2 * width + (span + 0.2 * width - width) * rng.generateDouble();
            const int columns = 1 + int(rng.bounded(2000));
            const Envelope got = store.envelope(ChannelKey { kInst, kStream, 0 }, a, a + width, columns);
            const Envelope want = naiveEnvelope(ref, firstRow, 0, a, a + width, columns);
            QVERIFY2(sameEnvelope(got, want), qPrintable(envelopeDifference(got, want)));
        }
    }
};

QTEST_GUILESS_MAIN(TestTraceEnvelopeWalk)
#include "test_trace_envelope_walk.moc"
