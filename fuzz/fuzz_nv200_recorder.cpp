// SPDX-License-Identifier: GPL-3.0-or-later
// NV200 recorder read-back: `recoutf,<ch>,v0,v1,…` and `recout,<ch>,<index>,v…` answers as the
// driver receives them (through FrameReader), and the recorder timing rule for any duration.
// Input: 1 byte expected channel, 2 bytes expected index, 8 bytes a duration in ms (double), then
// the device's bytes.
// Checks: an accepted answer is for the channel (and index) asked for; no value is non-finite;
// the timing is within the device's limits.
#include "FuzzInput.h"
#include "Nv200ProtocolFrame.h"
#include "Nv200ProtocolRecorder.h"

#include <cmath>

using namespace bs::nv200;

namespace {

void checkValues(const RecorderValues &r)
{
    // (an answer for another channel keeps its values with the error; callers go by ok())
    for (const double v : r.values)
        BS_FUZZ_CHECK(std::isfinite(v), "non-finite recorded value");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    bs::fuzz::FuzzInput in(data, size);
    const int channel = in.byte() % 3; // 0, 1 and one the device never has
    const int index = int(in.value<std::uint16_t>() % 8192);
    const double durationMs = in.value<double>();
    if (std::isfinite(durationMs) && durationMs >= 0 && durationMs <= recorderMaxDurationMs()) {
        const RecorderTiming t = recorderTiming(durationMs);
        BS_FUZZ_CHECK(t.stride >= 1 && t.stride <= kRecorderMaxStride, "stride out of 1-65535");
        BS_FUZZ_CHECK(t.length >= 1 && t.length <= kRecorderBufferSize, "length out of 1-6144");
    }

    FrameReader reader;
    reader.feed(in.rest());
    while (reader.hasFrame()) {
        const QByteArray frame = reader.takeFrame();
        const RecorderValues f = parseRecoutf(frame, channel);
        checkValues(f);
        if (f.ok())
            BS_FUZZ_CHECK(f.channel == channel, "recoutf answer for another channel accepted");
        const RecorderValues o = parseRecout(frame, channel, index);
        checkValues(o);
        if (o.ok())
            BS_FUZZ_CHECK(o.channel == channel && o.index == index, "recout answer for another place accepted");
    }
    return 0;
}
