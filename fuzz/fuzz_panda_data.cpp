// SPDX-License-Identifier: GPL-3.0-or-later
// PandA data port (8889): the byte stream after the option line — OK/ERR, XML or text header,
// ASCII/BASE64/FRAMED/UNFRAMED payload in SCALED or RAW, END — as DataStreamParser decodes it.
// Input: the option line the client sent (LF-terminated, e.g. "XML FRAMED RAW"), 1 byte read-chunk
// size, with NO_HEADER one more line holding the assumed XML header, then the server's bytes.
// Checks: never more bytes consumed than fed and all of them unless failed; a failure names
// itself; each Frame holds rows × columns values; fed whole or in chunks, the decoded values and
// events agree.
#include "FuzzInput.h"
#include "PandaProtocolData.h"

#include <cstring>
#include <optional>
#include <vector>

using namespace bs::panda;

namespace {

struct Result
{
    bool failed = false;
    std::vector<int> kinds; // non-Frame events in order
    std::vector<std::vector<double>> columns; // of every capture, concatenated
};

Result parseAll(const DataOptions &options, const std::optional<DataHeader> &assumed,
    const QByteArray &bytes, std::size_t chunk)
{
    DataStreamParser p(options);
    if (assumed)
        p.setAssumedHeader(*assumed);
    Result r;
    std::size_t columns = 0;
    std::uint64_t fed = 0;
    bs::fuzz::feedInChunks(bytes, chunk, [&](const char *d, std::size_t n) {
        p.feed(d, n);
        fed += n;
        BS_FUZZ_CHECK(p.bytesConsumed() <= fed, "consumed more bytes than fed");
        BS_FUZZ_CHECK(p.failed() || p.bytesConsumed() == fed, "bytes left unconsumed without a failure");
        DataEvent e;
        while (p.takeEvent(e)) {
            if (e.kind == DataEvent::Kind::Start) {
                columns = std::size_t(e.header.fields.size());
                r.columns.resize(std::max(r.columns.size(), columns));
            }
            if (e.kind != DataEvent::Kind::Frame) {
                r.kinds.push_back(int(e.kind));
                continue;
            }
            BS_FUZZ_CHECK(e.rows > 0, "empty Frame");
            BS_FUZZ_CHECK(e.block && e.block->isConsistent() && e.block->sampleCount == e.rows, "Frame block is not rows x columns");
            const std::vector<double> values = e.values();
            BS_FUZZ_CHECK(values.size() == e.rows * columns, "Frame size is not rows x columns");
            for (std::size_t c = 0; c < columns; ++c)
                r.columns[c].insert(r.columns[c].end(), values.begin() + std::ptrdiff_t(c * e.rows),
                    values.begin() + std::ptrdiff_t((c + 1) * e.rows));
        }
    });
    r.failed = p.failed();
    BS_FUZZ_CHECK(!p.failed() || !p.error().isEmpty(), "failure without a message");
    return r;
}

bool sameBits(const std::vector<double> &a, const std::vector<double> &b)
{
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    bs::fuzz::FuzzInput in(data, size);
    const QByteArray optionLine = in.line();
    QString error;
    const std::optional<DataOptions> options = DataOptions::parse(optionLine, &error);
    if (!options) {
        BS_FUZZ_CHECK(!error.isEmpty(), "option line refused without a message");
        return 0;
    }
    BS_FUZZ_CHECK(DataOptions::parse(options->toLine()) == options, "option line does not round-trip");
    const std::size_t chunk = in.byte() % 64;

    std::optional<DataHeader> assumed;
    if (!options->header) {
        const QByteArray xml = in.line();
        DataHeader h;
        if (parseXmlHeader(xml, h, &error) && completeHeader(h, &error))
            assumed = h;
    }
    const QByteArray stream = in.rest();

    const Result whole = parseAll(*options, assumed, stream, 0);
    const Result pieces = parseAll(*options, assumed, stream, chunk);
    BS_FUZZ_CHECK(whole.failed == pieces.failed, "failure depends on how the input was split");
    if (whole.failed)
        return 0;
    BS_FUZZ_CHECK(whole.kinds == pieces.kinds, "events depend on how the input was split");
    BS_FUZZ_CHECK(whole.columns.size() == pieces.columns.size(), "columns depend on the split");
    for (std::size_t c = 0; c < whole.columns.size(); ++c)
        BS_FUZZ_CHECK(sameBits(whole.columns[c], pieces.columns[c]), "values depend on how the input was split");
    return 0;
}
