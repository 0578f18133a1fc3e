// SPDX-License-Identifier: GPL-3.0-or-later
// File ▸ Export View Data: ViewDataExport of a display store holding `--rows N` (default 10 M)
// rows of a regular stream of 4 int16 channels (1 MS/s, volts per count) with a device loss every
// 1 M rows, written as CSV into a temporary folder (or `--out FILE.csv`). Prints rows/s and MB/s of the export and, as
// the ratio's reference, the same rows only read from the store (readSamples of every channel).
#include <ViewDataExport.h>

#include <TraceStore.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>
#include <cstring>
#include <string>

using namespace bs;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::size_t rows = 10'000'000;
    QString out; // --out FILE.csv: keep the export there (to open it with benchscope-inspect)
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--rows") == 0)
            rows = std::stoull(argv[i + 1]);
        if (std::strcmp(argv[i], "--out") == 0)
            out = QString::fromLocal8Bit(argv[i + 1]);
    }

    TraceStore store;
    store.setMemoryBudget(quint64(4) << 30);
    StreamInfo s;
    s.id = QStringLiteral("fast");
    s.regular = true;
    for (int c = 0; c < 4; ++c) {
        ChannelInfo ch;
        ch.name = QStringLiteral("ch%1").arg(c);
        ch.unit = QStringLiteral("V");
        ch.format = SampleFormat::of(SampleType::Int16, 5.0 / 32768.0);
        s.channels << ch;
    }
    store.setStreams(QStringLiteral("pico"), { s });
    constexpr std::size_t blockRows = 20000;
    std::uint64_t index = 0;
    for (std::size_t done = 0; done < rows; done += blockRows) {
        auto b = SampleBlock::make(QStringLiteral("pico"), QStringLiteral("fast"), s.formats(), blockRows, false);
        if (done && done % 1'000'000 == 0) {
            b->flags |= SampleBlock::DataLost;
            b->lostBefore = 7;
            index += 7;
        }
        b->firstIndex = index;
        b->t0 = double(index) * 1e-6;
        b->dt = 1e-6;
        for (int c = 0; c < 4; ++c)
            for (std::size_t i = 0; i < blockRows; ++i)
                b->data<std::int16_t>(c)[i] = std::int16_t((index + i) * (c + 1) % 65536 - 32768);
        index += blockRows;
        store.consume(b);
    }
    const std::size_t held = store.stats().rowsHeld;

    QVector<ChannelKey> keys;
    for (int c = 0; c < 4; ++c)
        keys << ChannelKey { QStringLiteral("pico"), QStringLiteral("fast"), c };
    QElapsedTimer timer;
    timer.start();
    std::size_t read = 0;
    for (const ChannelKey &k : keys)
        store.readSamples(k, -1, 1e9, [&](const double *, const double *, std::size_t n) { read += n; });
    const double readS = timer.nsecsElapsed() * 1e-9;

    QTemporaryDir dir;
    ViewDataRequest req;
    req.channels = keys;
    req.from = -1;
    req.to = 1e9;
    req.path = out.isEmpty() ? dir.filePath(QStringLiteral("view.csv")) : out;
    timer.restart();
    const ViewDataResult r = ViewDataExport(&store).run(req);
    const double exportS = timer.nsecsElapsed() * 1e-9;
    if (!r.ok) {
        std::fprintf(stderr, "export failed: %s\n", qPrintable(r.error));
        return 1;
    }
    const double mb = double(QFileInfo(req.path).size()) / 1e6;
    std::printf("rows held %zu (4 int16 channels), rows exported %llu, gaps %llu, file %.1f MB\n", held,
        static_cast<unsigned long long>(r.rows), static_cast<unsigned long long>(r.gaps), mb);
    std::printf("read only (readSamples, 4 channels): %.2f s, %.2f M rows/s\n", readS, double(read / 4) / readS / 1e6);
    std::printf("export to CSV: %.2f s, %.2f M rows/s, %.1f MB/s; %.1fx the read alone\n", exportS,
        double(r.rows) / exportS / 1e6, mb / exportS, exportS / readS);
    return 0;
}
