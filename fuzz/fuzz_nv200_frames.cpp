// SPDX-License-Identifier: GPL-3.0-or-later
// NV200 responses: the XOFF … XON framing with stray bytes and any line ends (FrameReader), the
// answer parser (parseReply, numbers, error codes) and the helpers the driver applies to answers
// (prompt, status register, escaped text for messages).
// Input: 1 byte read-chunk size, then the bytes from the device.
// Checks: the frames do not depend on how the input was split; FrameReader's frames equal
// cleanFrame() of the raw bytes after each frame's last XOFF; numbers taken from a reply are finite; an error reply has a code
// 1–10; messages carry no raw control bytes.
#include "FuzzInput.h"
#include "Nv200ProtocolFrame.h"
#include "Nv200ProtocolReply.h"

#include <cmath>
#include <vector>

using namespace bs::nv200;

namespace {

std::vector<QByteArray> framesOf(const QByteArray &bytes, std::size_t chunk)
{
    FrameReader reader;
    std::vector<QByteArray> frames;
    bs::fuzz::feedInChunks(bytes, chunk, [&](const char *d, std::size_t n) {
        reader.feed(QByteArray(d, qsizetype(n)));
        while (reader.hasFrame())
            frames.push_back(reader.takeFrame());
    });
    return frames;
}

bool hasControlCharacters(const QString &text)
{
    for (const QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    bs::fuzz::FuzzInput in(data, size);
    const std::size_t chunk = in.byte() % 64;
    const QByteArray bytes = in.rest();

    const std::vector<QByteArray> whole = framesOf(bytes, 0);
    BS_FUZZ_CHECK(whole == framesOf(bytes, chunk), "frames depend on how the input was split");

    // Each frame is what lies between the last XOFF before an XON and that XON (an XOFF inside a
    // frame starts it again); cleanFrame() of that must agree with the incremental reader.
    // (Inputs are far below kMaxFrameBytes, so no frame is dropped as oversized.)
    const QList<QByteArray> raw = bytes.split(kXon);
    BS_FUZZ_CHECK(whole.size() == std::size_t(raw.size() - 1), "frame count is not the XON count");
    for (std::size_t i = 0; i < whole.size(); ++i) {
        const QByteArray &r = raw[qsizetype(i)];
        const qsizetype open = r.lastIndexOf(kXoff);
        BS_FUZZ_CHECK(cleanFrame(open < 0 ? r : r.mid(open + 1)) == whole[i], "cleanFrame differs from FrameReader");
    }

    for (const QByteArray &frame : whole) {
        (void)promptDevice(frame);
        const Reply r = parseReply(frame);
        if (r.isError)
            BS_FUZZ_CHECK(r.errorCode >= 1 && r.errorCode <= 10, "error code out of 1-10");
        BS_FUZZ_CHECK(!errorMeaning(r.errorCode).isEmpty(), "error code without a meaning");
        for (int i = -1; i <= int(r.fields.size()); ++i) {
            if (const auto v = r.number(i))
                BS_FUZZ_CHECK(std::isfinite(*v), "non-finite number from a reply");
            if (const auto n = r.integer(i); n && i >= 0 && i < r.fields.size()) {
                const quint32 stat = quint32(*n);
                (void)statusFlags(stat);
                (void)sensorType(stat);
            }
        }
        const QString message = escapedText(frame, 1 + qsizetype(frame.size() % 80));
        BS_FUZZ_CHECK(!hasControlCharacters(message), "raw control bytes in a message");
    }
    BS_FUZZ_CHECK(!hasControlCharacters(escapedText(bytes)), "raw control bytes in a message");
    return 0;
}
