// SPDX-License-Identifier: GPL-3.0-or-later
// bench_picosim_generation [--seconds N]
//
// How fast the simulated PicoScope library makes samples on one thread: a sine with gaussian
// noise, quantised at 12 bits (what every streaming chunk costs the simulator). Compared with the
// rate it must sustain: 4 channels x 10 MS/s = 40 M samples/s for real-time streaming. (Moved here
// from test_picosim_core: a throughput is a figure of the machine, not a pass/fail test.)
#include "PicoSimSignal.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <vector>

int main(int argc, char **argv)
{
    double seconds = 2;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = std::atof(argv[++i]);
    picosim::SourceContext ctx;
    ctx.spec.kind = picosim::SignalSpec::Sine;
    ctx.spec.freq = 1234.5;
    ctx.spec.amp = 2;
    ctx.spec.noise = 0.02;
    const picosim::FrontEnd fe = picosim::FrontEnd::make(8, 0, 1); // +-5 V, 12 bit
    std::vector<float> v(picosim::kChunk);
    std::vector<std::int16_t> q(picosim::kChunk);
    std::int64_t total = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double s = 0;
    while (s < seconds) {
        for (int k = 0; k < 64; ++k, total += std::int64_t(picosim::kChunk)) {
            picosim::generateVolts(ctx, 1000000 + total, 100000, picosim::kChunk, v.data());
            picosim::quantise(fe, v.data(), picosim::kChunk, q.data());
        }
        s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    const double rate = double(total) / s;
    std::printf("picosim sample generation (sine + gaussian noise + 12-bit quantisation, one thread)\n");
    std::printf("  %lld samples in %.2f s: %.1f M samples/s\n", static_cast<long long>(total), s, rate / 1e6);
    std::printf("  ratio to 4 x 10 MS/s (40 M samples/s, real-time streaming of 4 channels): %.2f\n", rate / 40e6);
    return 0;
}
