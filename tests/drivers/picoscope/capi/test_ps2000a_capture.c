/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Block, rapid-block and streaming captures on a ps2000a library (PicoScope 2000A/B), written only
 * against the documented C API in the order the PicoScope data logger uses it (spec §14.6):
 * OpenUnit(&h, NULL) without a resolution, GetTimebase2 and RunBlock with the unused `oversample`,
 * the 8-field trigger conditions, IsReady polling, GetValues / GetValuesBulk /
 * GetValuesTriggerTimeOffsetBulk64, RunStreaming + GetStreamingLatestValues into a ring buffer.
 *
 * Expected input on A (PICOSIM): sine 1 kHz, 1 V peak. */
#define CAPI_PS2000A
#include "capi_check.h"

#define RANGE PS2000A_2V
#define SIGNAL_FREQ 1000.0
#define PRE 1000
#define POST 9000
#define N (PRE + POST)
#define SEGMENTS 4
#define RING 20000
#define STREAM_TOTAL 300000

static int16_t g_maxAdc = 0;

/* Waits for IsReady like the data logger, but sleeping between polls. */
static int wait_ready(int16_t h, double timeoutS)
{
  int16_t ready = 0;
  double until = now_s() + timeoutS;
  while (now_s() < until) {
    if (ps2000aIsReady(h, &ready) != PICO_OK)
      return 0;
    if (ready)
      return 1;
    sleep_ms(1);
  }
  return 0;
}

/* The checks of one triggered capture of the 1 kHz sine: amplitude, frequency, the trigger sample. */
static void check_capture(const char *what, const int16_t *raw, uint32_t n, double dt)
{
  static double v[N];
  double mn, mx, f;
  adc_to_volts(raw, v, n, RANGE, g_maxAdc);
  minmax_d(v, n, &mn, &mx);
  f = estimate_frequency(v, n, dt, 0.0, 0.05);
  check(fabs(mx - 1.0) < 0.03 && fabs(mn + 1.0) < 0.03, "%s: amplitude %.3f .. %.3f V (1 V sine)", what, mn, mx);
  check(fabs(f - SIGNAL_FREQ) < 10.0, "%s: frequency %.1f Hz", what, f);
  check(fabs(v[PRE]) < 0.03 && v[PRE - 10] < v[PRE + 10], "%s: rising through 0 V at the trigger sample (%.4f V)",
        what, v[PRE]);
}

static void block_and_rapid(int16_t h, uint32_t timebase)
{
  static int16_t a[N], seg[SEGMENTS][N];
  int16_t overflow = 0, overflows[SEGMENTS];
  int32_t indisposed = 0, maxPerSegment = 0;
  uint32_t n = N, captures = 0, s;
  PICO_STATUS st;
  int64_t times[SEGMENTS];
  PS2000A_TIME_UNITS units[SEGMENTS];
  PS2000A_TRIGGER_CONDITIONS cond;
  PS2000A_TRIGGER_CHANNEL_PROPERTIES prop;

  /* Block, simple trigger. */
  check_status(ps2000aSetSimpleTrigger(h, 1, PS2000A_CHANNEL_A, mv_to_adc(0.0, RANGE, g_maxAdc), PS2000A_RISING, 0, 0),
               PICO_OK, "SetSimpleTrigger(A, 0 V, rising)");
  check_status(ps2000aRunBlock(h, PRE, POST, timebase, 0, &indisposed, 0, NULL, NULL), PICO_OK,
               "RunBlock(pre %d, post %d, timebase %lu, oversample 0, no callback)", PRE, POST,
               (unsigned long)timebase);
  check(wait_ready(h, 5.0), "IsReady within 5 s");
  check_status(ps2000aSetDataBuffers(h, PS2000A_CHANNEL_A, a, NULL, N, 0, PS2000A_RATIO_MODE_NONE), PICO_OK,
               "SetDataBuffers(A)");
  check_status(ps2000aGetValues(h, 0, &n, 1, PS2000A_RATIO_MODE_NONE, 0, &overflow), PICO_OK, "GetValues");
  check(n == N && overflow == 0, "GetValues: %lu samples, overflow 0x%x", (unsigned long)n, overflow);
  check_capture("block", a, n, 1e-6);
  ps2000aStop(h);

  /* Rapid block with the data logger's older trigger functions (8-field conditions struct). */
  memset(&cond, 0, sizeof cond);
  cond.channelA = PS2000A_CONDITION_TRUE;
  memset(&prop, 0, sizeof prop);
  prop.thresholdUpper = mv_to_adc(0.0, RANGE, g_maxAdc);
  prop.thresholdUpperHysteresis = 256 * 10;
  prop.channel = PS2000A_CHANNEL_A;
  prop.thresholdMode = PS2000A_LEVEL;
  check_status(ps2000aSetTriggerChannelConditions(h, &cond, 1), PICO_OK, "SetTriggerChannelConditions(A, 8 fields)");
  check_status(ps2000aSetTriggerChannelDirections(h, PS2000A_RISING, PS2000A_NONE, PS2000A_NONE, PS2000A_NONE,
                                                  PS2000A_NONE, PS2000A_NONE),
               PICO_OK, "SetTriggerChannelDirections(A rising)");
  check_status(ps2000aSetTriggerChannelProperties(h, &prop, 1, 1, 0), PICO_OK, "SetTriggerChannelProperties(0 V)");
  check_status(ps2000aMemorySegments(h, SEGMENTS, &maxPerSegment), PICO_OK, "MemorySegments(%d)", SEGMENTS);
  check(maxPerSegment >= N, "%ld samples per segment", (long)maxPerSegment);
  check_status(ps2000aSetNoOfCaptures(h, SEGMENTS), PICO_OK, "SetNoOfCaptures(%d)", SEGMENTS);
  check_status(ps2000aRunBlock(h, PRE, POST, timebase, 1, &indisposed, 0, NULL, NULL), PICO_OK,
               "RunBlock (rapid, oversample 1 as the data logger passes)");
  check(wait_ready(h, 5.0), "IsReady within 5 s");
  st = ps2000aGetNoOfCaptures(h, &captures);
  check(st == PICO_OK && captures == SEGMENTS, "GetNoOfCaptures = %lu", (unsigned long)captures);
  for (s = 0; s < SEGMENTS; ++s)
    ps2000aSetDataBuffer(h, PS2000A_CHANNEL_A, seg[s], N, s, PS2000A_RATIO_MODE_NONE);
  n = N;
  check_status(ps2000aGetValuesBulk(h, &n, 0, SEGMENTS - 1, 1, PS2000A_RATIO_MODE_NONE, overflows), PICO_OK,
               "GetValuesBulk(0..%d)", SEGMENTS - 1);
  for (s = 0; s < SEGMENTS; ++s) {
    char what[32];
    snprintf(what, sizeof what, "segment %lu", (unsigned long)s);
    check_capture(what, seg[s], n, 1e-6);
  }
  check_status(ps2000aGetValuesTriggerTimeOffsetBulk64(h, times, units, 0, SEGMENTS - 1), PICO_OK,
               "GetValuesTriggerTimeOffsetBulk64 (one time and unit per segment)");
  ps2000aStop(h);
  ps2000aSetTriggerChannelConditions(h, NULL, 0); /* trigger off */
  ps2000aMemorySegments(h, 1, &maxPerSegment);
  ps2000aSetNoOfCaptures(h, 1);
}

/* ------------------------------------------------------------------------------------ streaming */

static int16_t g_ring[RING];
static double g_app[STREAM_TOTAL];
static uint32_t g_total = 0;
static int g_autoStop = 0, g_ringViolations = 0;

static void PREF4 on_streaming(int16_t handle, int32_t n, uint32_t start, int16_t overflow, uint32_t triggerAt,
                               int16_t triggered, int16_t autoStop, void *param)
{
  int32_t i;
  (void)handle, (void)overflow, (void)triggerAt, (void)triggered, (void)param;
  if (n > 0 && start + (uint32_t)n > RING)
    ++g_ringViolations;
  for (i = 0; i < n && g_total < STREAM_TOTAL; ++i)
    g_app[g_total++] = adc_to_mv(g_ring[(start + (uint32_t)i) % RING], RANGE, g_maxAdc) / 1000.0;
  if (autoStop)
    g_autoStop = 1;
}

static void streaming(int16_t h)
{
  static int16_t ringB[RING];
  uint32_t interval = 1, stored = 0, i, nonZeroB = 0;
  PICO_STATUS st;
  double until, f, mn, mx;
  int16_t ch;
  /* as the data logger does: every channel enabled, buffers registered for A and B only */
  for (ch = 1; ch < 4; ++ch)
    check_status(ps2000aSetChannel(h, (PS2000A_CHANNEL)ch, 1, PS2000A_DC, PS2000A_5V, 0.0f), PICO_OK,
                 "SetChannel(%c enabled)", 'A' + ch);
  check_status(ps2000aSetDataBuffers(h, PS2000A_CHANNEL_A, g_ring, NULL, RING, 0, PS2000A_RATIO_MODE_NONE), PICO_OK,
               "SetDataBuffers(A, ring of %d)", RING);
  check_status(ps2000aSetDataBuffers(h, PS2000A_CHANNEL_B, ringB, NULL, RING, 0, PS2000A_RATIO_MODE_NONE), PICO_OK,
               "SetDataBuffers(B, ring of %d); none for C and D", RING);
  check_status(ps2000aRunStreaming(h, &interval, PS2000A_US, 0, STREAM_TOTAL, 1, 1, PS2000A_RATIO_MODE_NONE, RING),
               PICO_OK, "RunStreaming(1 us, post %d, autoStop, overview %d) with C and D enabled but no buffer",
               STREAM_TOTAL, RING);
  check(interval == 1, "sample interval written back: %lu us", (unsigned long)interval);
  until = now_s() + 5.0;
  while (!g_autoStop && now_s() < until) {
    if (ps2000aGetStreamingLatestValues(h, on_streaming, NULL) != PICO_OK)
      break;
    sleep_ms(2);
  }
  check(g_autoStop, "autoStop reported");
  check(g_total == STREAM_TOTAL && g_ringViolations == 0, "%lu samples (want %d), %d chunks past the ring's end",
        (unsigned long)g_total, STREAM_TOTAL, g_ringViolations);
  minmax_d(g_app, g_total, &mn, &mx);
  f = estimate_frequency(g_app, g_total, 1e-6, 0.0, 0.05);
  check(fabs(f - SIGNAL_FREQ) < 1.0 && fabs(mx - 1.0) < 0.03, "continuous 1 kHz sine: %.2f Hz, peak %.3f V", f, mx);
  for (i = 0; i < RING; ++i)
    nonZeroB += ringB[i] != 0;
  check(nonZeroB > RING / 2, "the ring of B was filled too (%lu non-zero samples)", (unsigned long)nonZeroB);
  check_status(ps2000aStop(h), PICO_OK, "Stop");
  st = ps2000aNoOfStreamingValues(h, &stored);
  check(st == PICO_OK && stored == STREAM_TOTAL, "NoOfStreamingValues = %lu", (unsigned long)stored);
}

int main(void)
{
  int16_t h = 0, required = 0, ch;
  char variant[80];
  uint32_t timebase;
  float intervalNs = 0;
  int32_t maxSamples = 0;
  PICO_STATUS st = ps2000aOpenUnit(&h, NULL);
  if (!check(st == PICO_OK && h > 0, "OpenUnit(&h, NULL) (status 0x%08lX, handle %d)", (unsigned long)st, h))
    return capi_finish("test_ps2000a_capture");
  st = ps2000aGetUnitInfo(h, (int8_t *)variant, sizeof variant, &required, PICO_VARIANT_INFO);
  check(st == PICO_OK && variant[0] == '2', "GetUnitInfo(VARIANT_INFO) = %s", variant);
  st = ps2000aMaximumValue(h, &g_maxAdc);
  check(st == PICO_OK && g_maxAdc == 32512, "MaximumValue = %d (no resolution: 8 bit)", g_maxAdc);
  check_status(ps2000aSetChannel(h, PS2000A_CHANNEL_A, 1, PS2000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(A, DC, 2 V)");
  for (ch = 1; ch < 4; ++ch)
    ps2000aSetChannel(h, (PS2000A_CHANNEL)ch, 0, PS2000A_DC, RANGE, 0.0f);
  for (timebase = 127; timebase < 1000; ++timebase) { /* the vendor loop: next timebase while refused */
    if (ps2000aGetTimebase2(h, timebase, N, &intervalNs, 0, &maxSamples, 0) == PICO_OK)
      break;
  }
  check(fabsf(intervalNs - 1000.0f) < 0.5f, "GetTimebase2(%lu, oversample 0) = %.1f ns, max %ld samples",
        (unsigned long)timebase, intervalNs, (long)maxSamples);
  block_and_rapid(h, timebase);
  streaming(h);
  check_status(ps2000aCloseUnit(h), PICO_OK, "CloseUnit");
  return capi_finish("test_ps2000a_capture");
}
