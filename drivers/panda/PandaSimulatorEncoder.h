// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Turns generated rows into data-port payload bytes (spec §4.4): RAW or SCALED samples, then
// FRAMED ("BIN " blocks of whole samples, varying sizes, an occasional 1-sample block), UNFRAMED,
// BASE64 (57-byte lines with the server's NUL before LF, a new line at every internal block) or
// ASCII (%.10g / 0x%08x). Each distinct client format is encoded once per batch.

#include "PandaSimulatorGenerator.h"

#include <QByteArray>
#include <QHash>

namespace bs::panda {

class PandaSimulatorEncoder
{
public:
    /// Block size bounds (spec §4.4, U8).
    static constexpr int kMaxScaledBlockBytes = 65536;
    static constexpr int kMaxRawBlockBytes = 2 * 1024 * 1024;
    /// Bytes encoded per BASE64 line.
    static constexpr int kBase64LineBytes = 57;

    explicit PandaSimulatorEncoder(bool base64Nul = true)
        : m_base64Nul(base64Nul)
    {
    }

    void setBase64Nul(bool on) { m_base64Nul = on; }
    /// Starts a capture with this layout (kept by pointer; must outlive the capture).
    void reset(const CaptureLayout *layout);
    /// Starts a new batch; payload() results are cached until the next call.
    void beginBatch(const RowBatch *batch);
    /// The payload bytes of the current batch for a client's options.
    const QByteArray &payload(const SimDataOptions &options);

    // Building blocks, exposed for tests and reuse.
    QByteArray rawSamples(const RowBatch &batch) const;
    QByteArray scaledSamples(const RowBatch &batch) const;
    QByteArray asciiLines(const RowBatch &batch, bool raw) const;
    /// Samples per block for `rows` samples of `sampleBytes` bytes, blocks ≤ maxBlockBytes with framing.
    std::vector<int> planBlocks(int rows, int sampleBytes, int maxBlockBytes);

private:
    QByteArray framed(const QByteArray &samples, int sampleBytes, int maxBlockBytes);
    QByteArray base64(const QByteArray &samples, int sampleBytes);
    const QByteArray &samplesFor(bool raw);

    const CaptureLayout *m_layout = nullptr;
    const RowBatch *m_batch = nullptr;
    bool m_base64Nul = true;
    QByteArray m_samples[2]; // [raw]
    bool m_haveSamples[2] = { false, false };
    QHash<int, QByteArray> m_payloads;
    SimRandom m_rng { 0xB10C5 };
};

} // namespace bs::panda
