/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Block-mode test of a ps5000a library, written only against the documented C API (in the manner of
 * the vendor's console example): enumeration loop, unit information, channel set-up, timebase search,
 * simple trigger, RunBlock with a BlockReady callback and with IsReady polling, GetValues with and
 * without downsampling.
 *
 * Expected inputs (set through PICOSIM when run against the simulator):
 *   A: sine 1 kHz, 1 V peak;  B: square 250 Hz, 0.5 V;  C: DC +3 V (over range);  D: DC -0.5 V.
 * Usage: test_ps5000a_block [expectedUnitCount]   (0 or absent: do not check the count) */
#include "capi_check.h"

#define MAX_PICO_DEVICES 64
#define QUAD_SCOPE 4
#define DUAL_SCOPE 2

#define PRE_TRIGGER 2000
#define POST_TRIGGER 8000
#define BLOCK_SAMPLES (PRE_TRIGGER + POST_TRIGGER)
#define RANGE PS5000A_2V
#define SIGNAL_FREQ 1000.0
#define SIGNAL_AMP 1.0

static volatile int16_t g_ready = 0;
static volatile int g_blockCalls = 0;
static volatile PICO_STATUS g_blockStatus = 0xFFFFFFFFu;
static volatile int g_blockParameterOk = 0;
static volatile int g_blockOnCallerThread = -1;
static pthread_t g_mainThread;
static int g_cookie = 42;

/* BlockReady: flags completion unless the capture was cancelled (vendor example rule) and remembers
 * on which thread it ran. */
static void PREF4 callBackBlock(int16_t handle, PICO_STATUS status, void *pParameter)
{
  (void)handle;
  g_blockOnCallerThread = pthread_equal(pthread_self(), g_mainThread) ? 1 : 0;
  g_blockParameterOk = pParameter == &g_cookie;
  g_blockStatus = status;
  ++g_blockCalls;
  if (status != PICO_CANCELLED)
    g_ready = 1;
}

typedef struct {
  int16_t handle;
  int16_t channelCount;
  int16_t maxAdc;
  int16_t enabled[QUAD_SCOPE];
  PICO_STATUS power;
} Unit;

/* RunBlock with the vendor's power-source retry rule. */
static PICO_STATUS run_block(Unit *u, uint32_t timebase, ps5000aBlockReady cb, void *param)
{
  PICO_STATUS st;
  int32_t timeIndisposed = 0;
  int tries = 0;
  do {
    st = ps5000aRunBlock(u->handle, PRE_TRIGGER, POST_TRIGGER, timebase, &timeIndisposed, 0, cb, param);
    if (capi_is_power_status(st)) {
      note("RunBlock returned power status 0x%08lX; ChangePowerSource and retry", (unsigned long)st);
      ps5000aChangePowerSource(u->handle, st);
    }
  } while (capi_is_power_status(st) && ++tries < 3);
  return st;
}

/* Waits for the callback flag (max. 5 s); returns 1 when it was set. */
static int wait_ready(void)
{
  double t0 = now_s();
  while (!g_ready && now_s() - t0 < 5.0)
    sleep_ms(1);
  return g_ready != 0;
}

/* Checks of the channel-A sine in a capture of BLOCK_SAMPLES at interval dt. */
static void check_sine_capture(const int16_t *raw, double dt, int16_t maxAdc, const char *what)
{
  double *v = (double *)malloc(sizeof(double) * BLOCK_SAMPLES);
  double times[64];
  size_t nx, i;
  double f, best = 1e9;
  SineFit fit = { 0.0, 0.0, 0.0, 0.0 };
  if (v == NULL)
    return;
  adc_to_volts(raw, v, BLOCK_SAMPLES, RANGE, maxAdc);
  f = estimate_frequency(v, BLOCK_SAMPLES, dt, 0.0, 0.1);
  check(fabs(f - SIGNAL_FREQ) <= 0.01 * SIGNAL_FREQ, "%s: A frequency %.2f Hz (expected %.0f Hz +-1 %%)",
        what, f, SIGNAL_FREQ);
  if (sine_fit(v, BLOCK_SAMPLES, dt, f > 0 ? f : SIGNAL_FREQ, 0.0, &fit) == 0) {
    check(fabs(fit.amplitude - SIGNAL_AMP) <= 0.03 * SIGNAL_AMP,
          "%s: A amplitude %.4f V (expected %.1f V +-3 %%), offset %.4f V, residual %.4f V rms", what,
          fit.amplitude, SIGNAL_AMP, fit.offset, fit.rmsResidual);
    check(fit.rmsResidual < 0.05 * SIGNAL_AMP, "%s: A is a clean sine (fit residual %.4f V rms)", what,
          fit.rmsResidual);
  } else {
    check(0, "%s: sine fit of A failed", what);
  }
  /* The trigger event (rising through 0 V) is at index = number of pre-trigger samples */
  check(fabs(v[PRE_TRIGGER]) < 0.04, "%s: sample at the trigger position (%d) is %.4f V, near 0 V", what,
        PRE_TRIGGER, v[PRE_TRIGGER]);
  check(v[PRE_TRIGGER - 10] < 0.0 && v[PRE_TRIGGER + 10] > 0.0,
        "%s: signal rises through the trigger position (%.4f V -> %.4f V over +-10 samples)", what,
        v[PRE_TRIGGER - 10], v[PRE_TRIGGER + 10]);
  nx = rising_crossings(v, BLOCK_SAMPLES, dt, 0.0, 0.1, times, 64);
  for (i = 0; i < nx && i < 64; ++i) {
    double d = fabs(times[i] / dt - PRE_TRIGGER);
    if (d < best)
      best = d;
  }
  check(best <= 2.0, "%s: a rising 0 V crossing lies %.2f samples from the trigger index", what, best);
  free(v);
}

static void check_other_channels(int16_t *const buf[QUAD_SCOPE], const Unit *u, const char *what)
{
  double *v = (double *)malloc(sizeof(double) * BLOCK_SAMPLES);
  double mn, mx;
  size_t i, atTop = 0;
  if (v == NULL)
    return;
  if (u->enabled[1]) {
    adc_to_volts(buf[1], v, BLOCK_SAMPLES, RANGE, u->maxAdc);
    minmax_d(v, BLOCK_SAMPLES, &mn, &mx);
    check(fabs(mx - 0.5) < 0.03 && fabs(mn + 0.5) < 0.03, "%s: B square levels %.3f / %.3f V (expected +-0.5 V)",
          what, mn, mx);
  }
  if (u->enabled[2]) {
    for (i = 0; i < BLOCK_SAMPLES; ++i)
      if (buf[2][i] >= u->maxAdc - 256)
        ++atTop;
    check(atTop == BLOCK_SAMPLES, "%s: C (+3 V on the 2 V range) is clipped at the top of the range (%zu of %d samples)",
          what, atTop, BLOCK_SAMPLES);
  }
  if (u->enabled[3]) {
    adc_to_volts(buf[3], v, BLOCK_SAMPLES, RANGE, u->maxAdc);
    minmax_d(v, BLOCK_SAMPLES, &mn, &mx);
    check(fabs(mn + 0.5) < 0.03 && fabs(mx + 0.5) < 0.03, "%s: D DC level %.3f ... %.3f V (expected -0.5 V)", what,
          mn, mx);
  }
  free(v);
}

int main(int argc, char **argv)
{
  int expectedUnits = argc > 1 ? atoi(argv[1]) : 0;
  int16_t handles[MAX_PICO_DEVICES];
  int nUnits = 0, i, ch;
  int16_t lastHandle = -7;
  int16_t count = 0;
  int8_t serials[256];
  int16_t serialLth = (int16_t)sizeof serials;
  PICO_STATUS st;
  Unit unit;
  int8_t line[80];
  int16_t requiredSize = 0;
  char variant[80] = "";
  int16_t *buffers[2 * QUAD_SCOPE];
  int16_t *rawA = NULL;
  uint32_t timebase;
  float intervalNs = 0.0f;
  int32_t maxSamples = 0;
  uint32_t nSamples;
  int16_t overflow = 0;
  int16_t trigEnabled = -1, pwqEnabled = -1;

  g_mainThread = pthread_self();
  memset(&unit, 0, sizeof unit);
  memset(buffers, 0, sizeof buffers);

  /* ---- EnumerateUnits before opening anything */
  memset(serials, 0, sizeof serials);
  st = ps5000aEnumerateUnits(&count, serials, &serialLth);
  check_status(st, PICO_OK, "EnumerateUnits");
  note("EnumerateUnits: %d unit(s): \"%s\"", count, (const char *)serials);
  if (expectedUnits > 0)
    check(count == expectedUnits, "EnumerateUnits reports %d unit(s), expected %d", count, expectedUnits);

  /* ---- enumeration loop of the vendor example: open until PICO_NOT_FOUND */
  do {
    int16_t h = -7;
    st = ps5000aOpenUnit(&h, NULL, PS5000A_DR_8BIT);
    if (st == PICO_OK || st == PICO_POWER_SUPPLY_NOT_CONNECTED || st == PICO_USB3_0_DEVICE_NON_USB3_0_PORT) {
      check(h > 0, "OpenUnit #%d: status 0x%08lX, handle %d > 0", nUnits + 1, (unsigned long)st, h);
      if (st != PICO_OK)
        ps5000aChangePowerSource(h, st);
      handles[nUnits++] = h;
    } else if (st != PICO_NOT_FOUND) {
      check_status(st, PICO_OK, "OpenUnit #%d", nUnits + 1);
      break;
    } else {
      lastHandle = h;
    }
  } while (st != PICO_NOT_FOUND && nUnits < MAX_PICO_DEVICES);

  check_status(st, PICO_NOT_FOUND, "enumeration loop ends with PICO_NOT_FOUND after %d unit(s)", nUnits);
  check(lastHandle == 0, "OpenUnit with no further unit writes handle 0 (got %d)", lastHandle);
  if (expectedUnits > 0)
    check(nUnits == expectedUnits, "opened %d unit(s), expected %d", nUnits, expectedUnits);
  for (i = 1; i < nUnits; ++i)
    check(handles[i] != handles[i - 1], "handles of units %d and %d differ (%d, %d)", i, i + 1, handles[i - 1],
          handles[i]);
  for (i = 0; i < nUnits; ++i) {
    memset(line, 0, sizeof line);
    st = ps5000aGetUnitInfo(handles[i], line, (int16_t)sizeof line, &requiredSize, PICO_BATCH_AND_SERIAL);
    check(st == PICO_OK && line[0] != 0 && strstr((const char *)serials, (const char *)line) != NULL,
          "unit %d serial \"%s\" is in the EnumerateUnits list (status 0x%08lX)", i + 1, (const char *)line,
          (unsigned long)st);
  }
  if (nUnits == 0) {
    check(0, "no unit to test");
    return capi_finish("test_ps5000a_block");
  }
  unit.handle = handles[0];

  /* ---- unit information 0 ... 10 into 80-byte buffers */
  for (i = 0; i <= 10; ++i) {
    memset(line, 0, sizeof line);
    requiredSize = 0;
    st = ps5000aGetUnitInfo(unit.handle, line, (int16_t)sizeof line, &requiredSize, (PICO_INFO)i);
    check(st == PICO_OK && line[0] != 0 && requiredSize > 0 && requiredSize <= (int16_t)sizeof line,
          "GetUnitInfo(%d) = \"%s\" (requiredSize %d, status 0x%08lX)", i, (const char *)line, requiredSize,
          (unsigned long)st);
    if (i == (int)PICO_VARIANT_INFO)
      memcpy(variant, line, sizeof line);
  }
  variant[sizeof variant - 1] = '\0';
  check(strlen(variant) >= 2 && variant[1] >= '1' && variant[1] <= '4',
        "variant \"%s\" has a channel count as its second character", variant);
  unit.channelCount = (int16_t)(strlen(variant) >= 2 ? variant[1] - '0' : 0);
  if (unit.channelCount < 1 || unit.channelCount > QUAD_SCOPE)
    unit.channelCount = DUAL_SCOPE;
  check(strcmp(variant, "5444D") == 0, "variant is \"5444D\" (the simulated model) - got \"%s\"", variant);
  requiredSize = 0;
  st = ps5000aGetUnitInfo(unit.handle, NULL, 0, &requiredSize, PICO_VARIANT_INFO);
  check(st == PICO_OK && (requiredSize == (int16_t)strlen(variant) || requiredSize == (int16_t)strlen(variant) + 1),
        "GetUnitInfo(VARIANT_INFO) with string NULL gives requiredSize %d for \"%s\" (status 0x%08lX)",
        requiredSize, variant, (unsigned long)st);

  /* ---- ADC limits at 8 bit */
  st = ps5000aMaximumValue(unit.handle, &unit.maxAdc);
  check(st == PICO_OK && unit.maxAdc == PS5000A_MAX_VALUE_8BIT, "MaximumValue at 8 bit = %d (expected %d)",
        unit.maxAdc, PS5000A_MAX_VALUE_8BIT);
  {
    int16_t minAdc = 0;
    st = ps5000aMinimumValue(unit.handle, &minAdc);
    check(st == PICO_OK && minAdc == -unit.maxAdc, "MinimumValue = %d = -MaximumValue", minAdc);
  }
  unit.power = ps5000aCurrentPowerSource(unit.handle);
  check_status(unit.power, PICO_POWER_SUPPLY_CONNECTED,
               "CurrentPowerSource reports the DC supply (channels C/D usable)");

  /* ---- channels A..D: DC, 2 V range, no offset (C/D left alone on USB power, like the example) */
  for (ch = 0; ch < unit.channelCount; ++ch) {
    if (ch >= DUAL_SCOPE && unit.channelCount == QUAD_SCOPE && unit.power == PICO_POWER_SUPPLY_NOT_CONNECTED)
      continue;
    st = ps5000aSetChannel(unit.handle, (PS5000A_CHANNEL)(PS5000A_CHANNEL_A + ch), 1, PS5000A_DC, RANGE, 0.0f);
    if (check_status(st, PICO_OK, "SetChannel(%c, enabled, DC, 2 V, 0 V)", 'A' + ch))
      unit.enabled[ch] = 1;
  }

  /* ---- timebase search of the example: increment until PICO_OK */
  timebase = 127; /* 1 us at 8 bit */
  for (i = 0; i < 1000; ++i) {
    st = ps5000aGetTimebase2(unit.handle, timebase, BLOCK_SAMPLES, &intervalNs, &maxSamples, 0);
    if (st == PICO_OK || st == PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION)
      break;
    ++timebase;
  }
  check_status(st, PICO_OK, "GetTimebase2 loop from 127 ends with PICO_OK at timebase %lu",
               (unsigned long)timebase);
  check(timebase == 127 && fabs(intervalNs - 1000.0f) < 0.5f,
        "timebase %lu: interval %.3f ns (table, 8 bit: (127-2)/125 MHz = 1000 ns)", (unsigned long)timebase,
        (double)intervalNs);
  check(maxSamples >= BLOCK_SAMPLES, "GetTimebase2 maxSamples %ld >= %d", (long)maxSamples, BLOCK_SAMPLES);

  /* ---- trigger: rising through 0 V on A, wait for ever */
  st = ps5000aSetSimpleTrigger(unit.handle, 1, PS5000A_CHANNEL_A, mv_to_adc(0.0, RANGE, unit.maxAdc),
                               PS5000A_RISING, 0, 0);
  check_status(st, PICO_OK, "SetSimpleTrigger(A, 0 V, RISING)");
  st = ps5000aIsTriggerOrPulseWidthQualifierEnabled(unit.handle, &trigEnabled, &pwqEnabled);
  check(st == PICO_OK && trigEnabled != 0 && pwqEnabled == 0,
        "IsTriggerOrPulseWidthQualifierEnabled: trigger %d, pwq %d (status 0x%08lX)", trigEnabled, pwqEnabled,
        (unsigned long)st);

  /* ---- buffers */
  for (ch = 0; ch < unit.channelCount; ++ch) {
    if (!unit.enabled[ch])
      continue;
    buffers[ch * 2] = (int16_t *)calloc(BLOCK_SAMPLES, sizeof(int16_t));
    buffers[ch * 2 + 1] = (int16_t *)calloc(BLOCK_SAMPLES, sizeof(int16_t));
    st = ps5000aSetDataBuffers(unit.handle, (PS5000A_CHANNEL)ch, buffers[ch * 2], buffers[ch * 2 + 1],
                               BLOCK_SAMPLES, 0, PS5000A_RATIO_MODE_NONE);
    check_status(st, PICO_OK, "SetDataBuffers(%c, %d samples, NONE)", 'A' + ch, BLOCK_SAMPLES);
  }

  /* ---- capture 1: BlockReady callback */
  g_ready = 0;
  st = run_block(&unit, timebase, callBackBlock, &g_cookie);
  check_status(st, PICO_OK, "RunBlock(%d pre, %d post, timebase %lu, callback)", PRE_TRIGGER, POST_TRIGGER,
               (unsigned long)timebase);
  wait_ready();
  check(g_ready, "BlockReady callback arrived (calls %d, status 0x%08lX)", g_blockCalls,
        (unsigned long)g_blockStatus);
  check_status(g_blockStatus, PICO_OK, "BlockReady status");
  check(g_blockOnCallerThread == 0, "BlockReady ran on a driver thread, not on the caller's (pthread_equal = %d)",
        g_blockOnCallerThread);
  check(g_blockParameterOk, "BlockReady received the pParameter given to RunBlock");
  check(g_blockCalls == 1, "BlockReady called exactly once (%d)", g_blockCalls);
  {
    int16_t ready = 0;
    st = ps5000aIsReady(unit.handle, &ready);
    check(st == PICO_OK && ready != 0, "IsReady after BlockReady: ready %d (status 0x%08lX)", ready,
          (unsigned long)st);
  }
  nSamples = BLOCK_SAMPLES;
  st = ps5000aGetValues(unit.handle, 0, &nSamples, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
  check_status(st, PICO_OK, "GetValues(0, %d, NONE, overflow = NULL)", BLOCK_SAMPLES);
  check(nSamples == BLOCK_SAMPLES, "GetValues delivered %lu samples = pre + post", (unsigned long)nSamples);
  if (st == PICO_OK) {
    check_sine_capture(buffers[0], intervalNs * 1e-9, unit.maxAdc, "capture 1");
    {
      int16_t *maxBufs[QUAD_SCOPE];
      for (ch = 0; ch < QUAD_SCOPE; ++ch)
        maxBufs[ch] = buffers[ch * 2];
      check_other_channels(maxBufs, &unit, "capture 1");
    }
  }
  st = ps5000aStop(unit.handle);
  check_status(st, PICO_OK, "Stop after capture 1");

  /* ---- capture 2: no callback, poll IsReady */
  {
    int callsBefore = g_blockCalls;
    int16_t ready = 0;
    double t0;
    memset(buffers[0], 0, BLOCK_SAMPLES * sizeof(int16_t));
    st = run_block(&unit, timebase, NULL, NULL);
    check_status(st, PICO_OK, "RunBlock with lpReady = NULL");
    t0 = now_s();
    do {
      st = ps5000aIsReady(unit.handle, &ready);
      if (st != PICO_OK || ready)
        break;
      sleep_ms(1);
    } while (now_s() - t0 < 5.0);
    check(st == PICO_OK && ready != 0, "IsReady polling: ready %d after %.0f ms (status 0x%08lX)", ready,
          (now_s() - t0) * 1000.0, (unsigned long)st);
    nSamples = BLOCK_SAMPLES;
    overflow = 0;
    st = ps5000aGetValues(unit.handle, 0, &nSamples, 1, PS5000A_RATIO_MODE_NONE, 0, &overflow);
    check(st == PICO_OK && nSamples == BLOCK_SAMPLES, "GetValues after IsReady: %lu samples (status 0x%08lX)",
          (unsigned long)nSamples, (unsigned long)st);
    if (st == PICO_OK) {
      int16_t *maxBufs[QUAD_SCOPE];
      check_sine_capture(buffers[0], intervalNs * 1e-9, unit.maxAdc, "capture 2");
      for (ch = 0; ch < QUAD_SCOPE; ++ch)
        maxBufs[ch] = buffers[ch * 2];
      check_other_channels(maxBufs, &unit, "capture 2");
      if (unit.enabled[2])
        check((overflow & 0x4) != 0 && (overflow & 0xB) == 0,
              "GetValues overflow = 0x%X: bit 2 (C over range) set, A/B/D clear", (unsigned)overflow);
    }
    check(g_blockCalls == callsBefore, "no BlockReady call for a RunBlock without callback");
    check_status(ps5000aStop(unit.handle), PICO_OK, "Stop after capture 2");
  }

  /* ---- capture 3: downsampling, channel A only */
  for (ch = 0; ch < unit.channelCount; ++ch) {
    if (!unit.enabled[ch])
      continue;
    ps5000aSetDataBuffers(unit.handle, (PS5000A_CHANNEL)ch, NULL, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
    if (ch > 0) {
      st = ps5000aSetChannel(unit.handle, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f);
      check_status(st, PICO_OK, "SetChannel(%c, disabled)", 'A' + ch);
    }
  }
  rawA = (int16_t *)calloc(BLOCK_SAMPLES, sizeof(int16_t));
  st = ps5000aSetDataBuffer(unit.handle, PS5000A_CHANNEL_A, rawA, BLOCK_SAMPLES, 0, PS5000A_RATIO_MODE_NONE);
  check_status(st, PICO_OK, "SetDataBuffer(A, NONE)");
  g_ready = 0;
  st = run_block(&unit, timebase, callBackBlock, &g_cookie);
  check_status(st, PICO_OK, "RunBlock (downsampling capture)");
  wait_ready();
  check(g_ready && g_blockStatus == PICO_OK, "BlockReady for the downsampling capture (status 0x%08lX)",
        (unsigned long)g_blockStatus);
  nSamples = BLOCK_SAMPLES;
  st = ps5000aGetValues(unit.handle, 0, &nSamples, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
  check(st == PICO_OK && nSamples == BLOCK_SAMPLES, "GetValues NONE: %lu samples (status 0x%08lX)",
        (unsigned long)nSamples, (unsigned long)st);
  if (st == PICO_OK) {
    enum { RATIO = 10, NOUT = BLOCK_SAMPLES / RATIO, ASK = 2 * NOUT };
    int16_t *aggMax = (int16_t *)calloc(ASK, sizeof(int16_t));
    int16_t *aggMin = (int16_t *)calloc(ASK, sizeof(int16_t));
    int16_t *dec = (int16_t *)calloc(ASK, sizeof(int16_t));
    int16_t *avg = (int16_t *)calloc(ASK, sizeof(int16_t));
    const int tol = 256; /* one 8-bit LSB */
    int badOrder = 0, badAgg = 0, badDec = 0, badAvg = 0, k;

    st = ps5000aSetDataBuffers(unit.handle, PS5000A_CHANNEL_A, aggMax, aggMin, ASK, 0,
                               PS5000A_RATIO_MODE_AGGREGATE);
    check_status(st, PICO_OK, "SetDataBuffers(A, max, min, AGGREGATE)");
    /* Whether noOfSamples counts raw or downsampled samples on entry is not settled by the spec;
     * asking for the whole capture (raw count) gives NOUT values under either reading. */
    nSamples = BLOCK_SAMPLES;
    st = ps5000aGetValues(unit.handle, 0, &nSamples, RATIO, PS5000A_RATIO_MODE_AGGREGATE, 0, NULL);
    check(st == PICO_OK && nSamples == NOUT,
          "GetValues AGGREGATE ratio %d: asked %d, delivered %lu (expected %d) (status 0x%08lX)", RATIO, BLOCK_SAMPLES,
          (unsigned long)nSamples, NOUT, (unsigned long)st);
    for (i = 0; i < NOUT; ++i) {
      int16_t bmx = -32768, bmn = 32767;
      for (k = 0; k < RATIO; ++k) {
        int16_t s = rawA[i * RATIO + k];
        if (s > bmx)
          bmx = s;
        if (s < bmn)
          bmn = s;
      }
      if (aggMax[i] < aggMin[i])
        ++badOrder;
      if (abs(aggMax[i] - bmx) > tol || abs(aggMin[i] - bmn) > tol)
        ++badAgg;
    }
    check(badOrder == 0, "AGGREGATE: max >= min in every one of %d blocks (%d violations)", NOUT, badOrder);
    check(badAgg == 0, "AGGREGATE: max/min equal the extremes of the raw block of %d (%d mismatches)", RATIO,
          badAgg);

    st = ps5000aSetDataBuffer(unit.handle, PS5000A_CHANNEL_A, dec, ASK, 0, PS5000A_RATIO_MODE_DECIMATE);
    check_status(st, PICO_OK, "SetDataBuffer(A, DECIMATE)");
    nSamples = BLOCK_SAMPLES;
    st = ps5000aGetValues(unit.handle, 0, &nSamples, RATIO, PS5000A_RATIO_MODE_DECIMATE, 0, NULL);
    check(st == PICO_OK && nSamples == NOUT, "GetValues DECIMATE ratio %d: delivered %lu (expected %d) (status 0x%08lX)",
          RATIO, (unsigned long)nSamples, NOUT, (unsigned long)st);
    for (i = 0; i < NOUT; ++i)
      if (dec[i] > aggMax[i] + tol || dec[i] < aggMin[i] - tol)
        ++badDec;
    check(badDec == 0, "DECIMATE: every value lies within its block's min/max (%d outside)", badDec);

    st = ps5000aSetDataBuffer(unit.handle, PS5000A_CHANNEL_A, avg, ASK, 0, PS5000A_RATIO_MODE_AVERAGE);
    check_status(st, PICO_OK, "SetDataBuffer(A, AVERAGE)");
    nSamples = BLOCK_SAMPLES;
    st = ps5000aGetValues(unit.handle, 0, &nSamples, RATIO, PS5000A_RATIO_MODE_AVERAGE, 0, NULL);
    check(st == PICO_OK && nSamples == NOUT, "GetValues AVERAGE ratio %d: delivered %lu (expected %d) (status 0x%08lX)",
          RATIO, (unsigned long)nSamples, NOUT, (unsigned long)st);
    for (i = 0; i < NOUT; ++i) {
      double mean = 0.0;
      for (k = 0; k < RATIO; ++k)
        mean += rawA[i * RATIO + k];
      mean /= RATIO;
      if (fabs(avg[i] - mean) > tol)
        ++badAvg;
    }
    check(badAvg == 0, "AVERAGE: every value equals its raw block's mean within one 8-bit step (%d off)", badAvg);
    ps5000aSetDataBuffers(unit.handle, PS5000A_CHANNEL_A, NULL, NULL, 0, 0, PS5000A_RATIO_MODE_AGGREGATE);
    free(aggMax);
    free(aggMin);
    free(dec);
    free(avg);
  }
  check_status(ps5000aStop(unit.handle), PICO_OK, "Stop after capture 3");
  ps5000aSetDataBuffer(unit.handle, PS5000A_CHANNEL_A, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);

  for (i = 0; i < nUnits; ++i)
    check_status(ps5000aCloseUnit(handles[i]), PICO_OK, "CloseUnit(%d)", handles[i]);
  for (i = 0; i < 2 * QUAD_SCOPE; ++i)
    free(buffers[i]);
  free(rawA);
  return capi_finish("test_ps5000a_block");
}
