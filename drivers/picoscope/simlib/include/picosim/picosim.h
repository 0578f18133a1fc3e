/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Control interface of BenchScope's simulated PicoScope libraries (libps5000a.so, libps2000a.so).
 * Not part of the vendor API: a program written against the vendor documentation never needs it;
 * it configures the simulation through the environment variable PICOSIM instead (read once when
 * the library is loaded). Tests and the demo may also call picosimConfigure() at run time, resolved
 * with dlsym/QLibrary from the same loaded library.
 *
 * Settings string: "key=value;key=value;..." (whitespace around keys/values ignored). Keys:
 *
 *   units=N                  number of simulated units (default 1, max 8); serials SIM00/0001, ...
 *   variant=MODEL            the simulated model (default 5444D for ps5000a, 2406B for ps2000a); it
 *                            decides the channel count (22xx/52xx: A and B only, 24xx/54xx: A to D),
 *                            the AWG buffer and DDS clock (5000A/B vs 5000D) and which power states
 *                            exist (power=usb: 4-channel 5000 units only, power=usb2: 5000D only).
 *                            ps5000a: 5242A/B/D, 5243A/B/D, 5244A/B/D, 5442A/B/D, 5443A/B/D,
 *                            5444A/B/D; ps2000a: 2204A, 2205A, 2206(A/B), 2207(A/B), 2208(A/B),
 *                            2405A, 2406B, 2407B, 2408B. Any other value is refused.
 *   power=dc|usb|usb2        power state at OpenUnit (default dc): usb → OpenUnit returns
 *                            PICO_POWER_SUPPLY_NOT_CONNECTED with a valid handle and channels C/D are
 *                            unavailable until ChangePowerSource(h, PICO_POWER_SUPPLY_NOT_CONNECTED);
 *                            usb2 → PICO_USB3_0_DEVICE_NON_USB3_0_PORT likewise (all channels usable
 *                            after ChangePowerSource). ps2000a ignores it.
 *   inject=FUNC:STATUS[:N]   the next N (default 1) calls of FUNC (name without the ps5000a/ps2000a
 *                            prefix, e.g. RunBlock, GetValues, GetStreamingLatestValues, OpenUnit)
 *                            return STATUS (decimal or 0x hex) without doing anything. Several inject
 *                            keys may be given. A power status injected into RunBlock/RunStreaming/
 *                            GetValues* also changes the simulated supply (0x119 → dc, 0x11A → usb).
 *   signal.X=SPEC            input of channel X (A, B, C, D, EXT) in volts at the BNC:
 *                              off | siggen | dc,level=V | sine|square|triangle,freq=HZ,amp=V
 *                              [,offset=V][,phase=DEG] | noise,amp=V (gaussian, V rms)
 *                            and for any of them ,noise=V (added gaussian noise, V rms).
 *                            siggen = the built-in signal generator's output looped back.
 *                            Defaults: A=siggen, B=square,freq=250,amp=0.5,
 *                            C=sine,freq=50,amp=2,noise=0.02, D=noise,amp=0.01, EXT=off.
 *   seed=N                   noise seed (default 1); the same settings give the same samples.
 *   memory=N                 device memory in samples (default 536870912 = 512 MS for 5444D).
 *   overrun_flag=0|1         streaming: samples are taken on the device's clock whether or not the
 *                            host fetches them; when the host falls behind by more than the device
 *                            memory (a FIFO of memory / enabled channels samples) plus the driver's
 *                            overview buffer, the oldest are overwritten and (1, default) the next
 *                            StreamingReady carries overflow = 0xFFFF, or (0) nothing is flagged.
 *   bad_start_index=0|1      fault (default 0): every StreamingReady reports startIndex = the buffer
 *                            length, outside the registered buffer, as a broken library might.
 *   streaming_max_rate=HZ    fastest streaming sample rate accepted per enabled channel sum
 *                            (default 125e6); faster requests return PICO_INVALID_SAMPLE_INTERVAL.
 *   latency_ms=N             extra delay before BlockReady (default 0).
 *   reset                    (no value) back to all defaults.
 * Unknown keys or bad values make picosimConfigure return -1 (see picosimLastError) and change
 * nothing; a bad PICOSIM variable is reported on stderr once and ignored.
 *
 * Settings of signal.*, inject, overrun_flag, bad_start_index, latency_ms take effect at once, also on open units;
 * units, variant, power and memory apply to units opened afterwards. */
#ifndef BENCHSCOPE_PICOSIM_H
#define BENCHSCOPE_PICOSIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
# define PICOSIM_EXPORT __declspec(dllexport)
#else
# define PICOSIM_EXPORT __attribute__((visibility("default")))
#endif

/* Applies a settings string; 0 on success, -1 (nothing changed) on a bad key or value. */
PICOSIM_EXPORT int32_t picosimConfigure(const char *settings);
/* The message of the last failed picosimConfigure, or "" (valid until the next call). */
PICOSIM_EXPORT const char *picosimLastError(void);
/* Number of API calls refused with PICO_DRIVER_FUNCTION or PICO_USER_CALLBACK since load. */
PICOSIM_EXPORT uint64_t picosimConcurrencyViolations(void);

/* The last streaming run of the open unit with this serial (e.g. "SIM00/0001"): *produced = raw samples
 * per channel the device took from RunStreaming until Stop or auto-stop (known once it has ended),
 * *lost = raw samples per channel overwritten before the host fetched them (buffer overrun).
 * Returns 0 when the run has ended, 1 while it is still streaming (*produced = 0), -1 when no open
 * unit has that serial or it never streamed. Either pointer may be NULL. */
PICOSIM_EXPORT int32_t picosimStreamingStats(const char *serial, uint64_t *produced, uint64_t *lost);

typedef int32_t (*picosimConfigure_t)(const char *settings);
typedef const char *(*picosimLastError_t)(void);
typedef uint64_t (*picosimConcurrencyViolations_t)(void);
typedef int32_t (*picosimStreamingStats_t)(const char *serial, uint64_t *produced, uint64_t *lost);

#ifdef __cplusplus
}
#endif

#endif
