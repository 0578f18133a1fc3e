// SPDX-License-Identifier: GPL-3.0-or-later
// TraceStore registry, bookkeeping and BlockSink behaviour.
#include <TraceStore.h>

#include <QSet>
#include <QTest>

#include <cmath>

using namespace bs;

namespace {

const QString kInst = QStringLiteral("m81");

StreamInfo makeInfo(const QString &id, int channels)
{
    StreamInfo s;
    s.id = id;
    s.name = id.toUpper();
    s.regular = true;
    for (int ch = 0; ch < channels; ++ch)
        s.channels.push_back(ChannelInfo { QStringLiteral("ch%1").arg(ch), QStringLiteral("V"), {}, true, {} });
    return s;
}

SampleBlockPtr ramp(const QString &stream, int channels, std::size_t n, double t0, double dt = 1e-3)
{
    auto b = SampleBlock::make(kInst, stream, channels, n, false);
    b->t0 = t0;
    b->dt = dt;
    for (int ch = 0; ch < channels; ++ch)
        for (std::size_t i = 0; i < n; ++i)
            b->channel(ch)[i] = double(ch * 1000) + double(i);
    return b;
}

} // namespace

class TestTraceStore : public QObject
{
    Q_OBJECT

private slots:
    void channelKey()
    {
        const ChannelKey k { QStringLiteral("panda1"), QStringLiteral("pcap"), 3 };
        QCOMPARE(k.toString(), QStringLiteral("panda1/pcap/3"));
        QCOMPARE(ChannelKey::fromString(k.toString()), std::optional<ChannelKey>(k));
        QVERIFY(!ChannelKey::fromString(QStringLiteral("panda1/pcap")).has_value());
        QVERIFY(!ChannelKey::fromString(QStringLiteral("a//1")).has_value());
        QVERIFY(!ChannelKey::fromString(QStringLiteral("a/b/x")).has_value());
        QSet<ChannelKey> set { k, k, ChannelKey { k.instrumentId, k.streamId, 4 } };
        QCOMPARE(set.size(), 2);
    }

    void registry()
    {
        TraceStore store;
        const quint64 layout0 = store.layoutRevision();
        store.setStreams(kInst, { makeInfo(QStringLiteral("a"), 2), makeInfo(QStringLiteral("b"), 1) });
        QVERIFY(store.layoutRevision() > layout0);
        QCOMPARE(store.instruments(), QStringList { kInst });
        QCOMPARE(store.channels().size(), 3);
        QCOMPARE(store.channels().at(2), (ChannelKey { kInst, QStringLiteral("b"), 0 }));
        QCOMPARE(store.streams(kInst).size(), 2);
        QCOMPARE(store.streams(kInst).at(0).name, QStringLiteral("A"));
        QCOMPARE(
            store.channelInfo(ChannelKey { kInst, QStringLiteral("a"), 1 })->name, QStringLiteral("ch1"));
        QVERIFY(!store.channelInfo(ChannelKey { kInst, QStringLiteral("a"), 2 }));
        QVERIFY(!store.timeRange(ChannelKey { kInst, QStringLiteral("a"), 0 }).isValid());
        QVERIFY(!store.latestValue(ChannelKey { kInst, QStringLiteral("a"), 0 }));

        store.consume(ramp(QStringLiteral("a"), 2, 100, 1.0));
        store.consume(ramp(QStringLiteral("b"), 1, 10, 2.0));
        // Same id and channel count: data kept, description updated. Changed: data dropped.
        StreamInfo a2 = makeInfo(QStringLiteral("a"), 2);
        a2.channels[0].unit = QStringLiteral("mA");
        store.setStreams(kInst, { a2, makeInfo(QStringLiteral("b"), 3) });
        QCOMPARE(store.channelInfo(ChannelKey { kInst, QStringLiteral("a"), 0 })->unit, QStringLiteral("mA"));
        QCOMPARE(store.stats().rowsHeld, 100u);
        QVERIFY(!store.timeRange(kInst, QStringLiteral("b")).isValid());
        // Unlisted streams are dropped.
        store.setStreams(kInst, { makeInfo(QStringLiteral("b"), 3) });
        QCOMPARE(store.channels().size(), 3);
        QCOMPARE(store.stats().rowsHeld, 0u);
        QCOMPARE(store.stats().bytesUsed, 0u);

        store.removeInstrument(kInst);
        QVERIFY(store.channels().isEmpty());
        QVERIFY(store.instruments().isEmpty());
    }

    void undeclaredStreamIsDeclaredByItsFirstBlock()
    {
        TraceStore store;
        store.consume(ramp(QStringLiteral("auto"), 2, 5, 0.0));
        QCOMPARE(store.channels().size(), 2);
        QCOMPARE(
            store.channelInfo(ChannelKey { kInst, QStringLiteral("auto"), 1 })->name, QStringLiteral("ch1"));
        QCOMPARE(store.streams(kInst).at(0).regular, true);
    }

    void latestValueTimeRangeStatsRevision()
    {
        TraceStore store;
        store.setStreams(kInst, { makeInfo(QStringLiteral("a"), 2) });
        const ChannelKey k0 { kInst, QStringLiteral("a"), 0 }, k1 { kInst, QStringLiteral("a"), 1 };
        quint64 rev = store.revision();
        store.consume(ramp(QStringLiteral("a"), 2, 100, 1.0));
        QVERIFY(store.revision() > rev);
        rev = store.revision();
        store.consume(ramp(QStringLiteral("a"), 2, 50, 2.0));
        QVERIFY(store.revision() > rev);
        QCOMPARE(*store.latestValue(k0), 49.0);
        QCOMPARE(*store.latestValue(k1), 1049.0);
        const TimeRange r = store.timeRange(k1);
        QCOMPARE(r.first, 1.0);
        QCOMPARE(r.last, 2.0 + 49 * 1e-3);
        QCOMPARE(store.timeRange().first, 1.0);
        const TraceStore::Stats st = store.stats();
        QCOMPARE(st.rowsHeld, 150u);
        QCOMPARE(st.samplesHeld, 300u);
        QCOMPARE(st.memoryBudget, TraceStore::DefaultMemoryBudget);
        QVERIFY(st.bytesUsed >= 300 * sizeof(double));

        rev = store.revision();
        store.clear();
        QVERIFY(store.revision() > rev);
        QCOMPARE(store.stats().samplesHeld, 0u);
        QCOMPARE(store.stats().bytesUsed, 0u);
        QCOMPARE(store.channels().size(), 2); // still declared
    }

    void memoryIsCountedHonestly()
    {
        // 8 channels, regular: the time column costs a segment per block, values 8 bytes each,
        // the pyramid ~1/7.5 of the values. Full chunks: nothing over-allocated.
        TraceStore store;
        for (int k = 0; k < 64; ++k)
            store.consume(ramp(QStringLiteral("a"), 8, 4096, k * 4.096));
        const TraceStore::Stats st = store.stats();
        const double payload = double(st.samplesHeld) * sizeof(double);
        QCOMPARE(st.samplesHeld, 64u * 4096u * 8u);
        QVERIFY2(st.bytesUsed > payload * 1.13 && st.bytesUsed < payload * 1.16,
            qPrintable(QString::number(st.bytesUsed / payload)));
        // Irregular: explicit times are stored once per stream, not per channel.
        TraceStore irr;
        for (int k = 0; k < 64; ++k) {
            auto b = SampleBlock::make(kInst, QStringLiteral("i"), 8, 4096, true);
            for (std::size_t i = 0; i < 4096; ++i)
                b->times[i] = k * 10.0 + double(i) * 1e-3;
            b->t0 = b->times[0];
            irr.consume(b);
        }
        const double ratio = double(irr.stats().bytesUsed) / payload;
        QVERIFY2(ratio > 1.13 + 1.0 / 8 && ratio < 1.16 + 1.0 / 8, qPrintable(QString::number(ratio)));
    }

    void malformedBlocksAreRejected()
    {
        TraceStore store;
        auto b = SampleBlock::make(kInst, QStringLiteral("a"), 2, 10, true);
        b->times.resize(5);
        store.consume(b);
        auto c = SampleBlock::make(kInst, QStringLiteral("a"), 2, 10, false);
        c->sampleCount = 20; // more rows than its storage holds
        store.consume(c);
        store.consume(nullptr);
        QCOMPARE(store.stats().rejectedBlocks, 2u);
        QCOMPARE(store.stats().rowsHeld, 0u);
    }

    void channelCountMismatch()
    {
        TraceStore store;
        store.setStreams(kInst, { makeInfo(QStringLiteral("a"), 3) });
        store.consume(ramp(QStringLiteral("a"), 2, 10, 0.0)); // fewer: missing channel is NaN
        QVERIFY(std::isnan(*store.latestValue(ChannelKey { kInst, QStringLiteral("a"), 2 })));
        store.consume(ramp(QStringLiteral("a"), 4, 10, 1.0)); // more: extra ignored
        QCOMPARE(*store.latestValue(ChannelKey { kInst, QStringLiteral("a"), 1 }), 1009.0);
        QCOMPARE(store.stats().samplesHeld, 60u);
    }

    void timeGoingBackRestartsTheStream()
    {
        TraceStore store;
        store.consume(ramp(QStringLiteral("a"), 1, 100, 5.0));
        store.consume(ramp(QStringLiteral("a"), 1, 10, 1.0));
        QCOMPARE(store.stats().rowsHeld, 10u);
        QCOMPARE(store.timeRange(kInst, QStringLiteral("a")).first, 1.0);
        // Within an irregular block, a step back is clamped so the column stays sorted.
        auto b = SampleBlock::make(kInst, QStringLiteral("a"), 1, 3, true);
        b->times = { 2.0, 1.9, 2.1 };
        b->t0 = 2.0;
        store.consume(b);
        const Envelope e = store.envelope(ChannelKey { kInst, QStringLiteral("a"), 0 }, 2.0, 3.0, 10);
        QCOMPARE(e.t, (std::vector<double> { 1.0 + 9 * 1e-3, 2.0, 2.0, 2.1 })); // edge sample first
    }

    void budgetChangeEvictsAtOnce()
    {
        TraceStore store;
        for (int k = 0; k < 100; ++k)
            store.consume(ramp(QStringLiteral("a"), 4, 1000, k * 1.0));
        const quint64 before = store.stats().bytesUsed;
        store.setMemoryBudget(before / 2);
        QCOMPARE(store.memoryBudget(), before / 2);
        QVERIFY(store.stats().bytesUsed <= before / 2);
        QVERIFY(store.stats().evictedSamples > 0);
        QCOMPARE(store.timeRange(kInst, QStringLiteral("a")).last, 99.0 + 999 * 1e-3);
    }
};

QTEST_GUILESS_MAIN(TestTraceStore)
#include "test_trace_store.moc"
