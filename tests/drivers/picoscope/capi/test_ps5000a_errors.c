/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error and edge-case behaviour of a ps5000a library, written only against the documented C API.
 *
 * Usage: test_ps5000a_errors MODE
 *   basic   one unit, channel A at 0 V DC (PICOSIM "units=1;signal.A=dc,level=0"): bad arguments,
 *           invalid handles, timebase table, resolution/channel limits, calls in the wrong state,
 *           Stop of a block capture waiting for a trigger, concurrent calls, calls from callbacks
 *   usb     OpenUnit reports PICO_POWER_SUPPLY_NOT_CONNECTED (PICOSIM "power=usb"), A = 1 kHz sine
 *   usb2    OpenUnit reports PICO_USB3_0_DEVICE_NON_USB3_0_PORT (PICOSIM "power=usb2")
 *   inject  RunBlock answers PICO_POWER_SUPPLY_CONNECTED once and GetValues PICO_POWER_SUPPLY_NOT_CONNECTED
 *           once (PICOSIM "inject=RunBlock:0x119;inject=GetValues:0x11A"): the vendor retry rules */
#include "capi_check.h"

#define RANGE PS5000A_2V
#define NS 5000

static volatile int16_t g_ready = 0;
static volatile int g_blockCalls = 0;
static volatile PICO_STATUS g_blockStatus = 0xFFFFFFFFu;
static volatile int g_callInBlockReady = 0;
static volatile PICO_STATUS g_statusInBlockReady = 0xFFFFFFFFu;

static void PREF4 callBackBlock(int16_t handle, PICO_STATUS status, void *pParameter)
{
  (void)pParameter;
  if (g_callInBlockReady)
    g_statusInBlockReady = ps5000aPingUnit(handle);
  g_blockStatus = status;
  ++g_blockCalls;
  if (status != PICO_CANCELLED)
    g_ready = 1;
}

static int wait_ready(double seconds)
{
  double t0 = now_s();
  while (!g_ready && now_s() - t0 < seconds)
    sleep_ms(1);
  return g_ready != 0;
}

static uint32_t find_timebase(int16_t h, uint32_t tb, int32_t n, float *ns, PICO_STATUS *st)
{
  int i;
  for (i = 0; i < 1000; ++i) {
    *st = ps5000aGetTimebase2(h, tb, n, ns, NULL, 0);
    if (*st == PICO_OK || *st == PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION)
      break;
    ++tb;
  }
  return tb;
}

/* Frequency / amplitude of a 1 kHz, 1 V sine on A captured at 1 us. */
static void check_sine(const int16_t *raw, int n, int16_t maxAdc, const char *what)
{
  double v[NS];
  SineFit fit = { 0.0, 0.0, 0.0, 0.0 };
  double f;
  adc_to_volts(raw, v, (size_t)n, RANGE, maxAdc);
  f = estimate_frequency(v, (size_t)n, 1e-6, 0.0, 0.1);
  check(fabs(f - 1000.0) <= 10.0, "%s: A holds the 1 kHz sine (%.2f Hz)", what, f);
  if (sine_fit(v, (size_t)n, 1e-6, f > 0 ? f : 1000.0, 0.0, &fit) == 0)
    check(fabs(fit.amplitude - 1.0) <= 0.03, "%s: A amplitude %.4f V", what, fit.amplitude);
}

/* ------------------------------------------------------------------ basic */

typedef struct {
  int16_t handle;
  volatile int stop;
  long calls, ok, busy, other;
  PICO_STATUS otherStatus;
} Hammer;

static void hammer_once(Hammer *hm)
{
  float ns = 0.0f;
  int32_t maxSamples = 0;
  PICO_STATUS st = ps5000aGetTimebase2(hm->handle, 127, 1000, &ns, &maxSamples, 0);
  ++hm->calls;
  if (st == PICO_OK)
    ++hm->ok;
  else if (st == PICO_DRIVER_FUNCTION)
    ++hm->busy;
  else {
    ++hm->other;
    hm->otherStatus = st;
  }
}

static void *hammer_thread(void *arg)
{
  Hammer *hm = (Hammer *)arg;
  while (!hm->stop)
    hammer_once(hm);
  return NULL;
}

typedef struct {
  int16_t *driverBuffer;
  int callbacks, dataCallbacks, tried;
  PICO_STATUS inside;
} UserCbStream;

static void PREF4 callBackStreamingReenter(int16_t handle, int32_t noOfSamples, uint32_t startIndex, int16_t overflow,
                                           uint32_t triggerAt, int16_t triggered, int16_t autoStop, void *pParameter)
{
  UserCbStream *u = (UserCbStream *)pParameter;
  (void)startIndex;
  (void)overflow;
  (void)triggerAt;
  (void)triggered;
  (void)autoStop;
  ++u->callbacks;
  if (noOfSamples > 0) {
    ++u->dataCallbacks;
    if (!u->tried) {
      /* forbidden: a driver call from inside the Ready callback */
      u->tried = 1;
      u->inside = ps5000aStop(handle);
    }
  }
}

static void test_basic(void)
{
  int16_t h = 0, h2 = -7, maxAdc = 0, ready = 0;
  PICO_STATUS st;
  int16_t *buf = (int16_t *)calloc(NS, sizeof(int16_t));
  float ns = 0.0f, maxOff = 0.0f, minOff = 0.0f;
  int32_t maxSamples = 0;
  uint32_t tb, n;
  int8_t text[80];
  int16_t req = 0;
  const int16_t badHandle = 0x7FF0;
  PS5000A_DEVICE_RESOLUTION res = PS5000A_DR_8BIT;
  int ch;

  st = ps5000aOpenUnit(&h, NULL, PS5000A_DR_8BIT);
  if (!check(st == PICO_OK && h > 0, "OpenUnit (status 0x%08lX, handle %d)", (unsigned long)st, h))
    return;
  ps5000aMaximumValue(h, &maxAdc);

  /* ---- more units than exist */
  st = ps5000aOpenUnit(&h2, NULL, PS5000A_DR_8BIT);
  check_status(st, PICO_NOT_FOUND, "OpenUnit with the only unit already open");
  check(h2 == 0, "... writes handle 0 (got %d)", h2);

  /* ---- invalid handle */
  check_status(ps5000aPingUnit(badHandle), PICO_INVALID_HANDLE, "PingUnit(invalid handle)");
  check_status(ps5000aSetChannel(badHandle, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f), PICO_INVALID_HANDLE,
               "SetChannel(invalid handle)");
  check_status(ps5000aRunBlock(badHandle, 0, 100, 127, NULL, 0, NULL, NULL), PICO_INVALID_HANDLE,
               "RunBlock(invalid handle)");
  memset(text, 0, sizeof text);
  st = ps5000aGetUnitInfo(badHandle, text, (int16_t)sizeof text, &req, PICO_DRIVER_VERSION);
  check(st == PICO_OK && text[0] != 0, "GetUnitInfo(invalid handle, DRIVER_VERSION) = \"%s\" (status 0x%08lX)",
        (const char *)text, (unsigned long)st);
  check_status(ps5000aGetUnitInfo(badHandle, text, (int16_t)sizeof text, &req, PICO_VARIANT_INFO), PICO_INVALID_HANDLE,
               "GetUnitInfo(invalid handle, VARIANT_INFO)");

  /* ---- channel arguments */
  check_status(ps5000aSetChannel(h, (PS5000A_CHANNEL)42, 1, PS5000A_DC, RANGE, 0.0f), PICO_INVALID_CHANNEL,
               "SetChannel(channel 42)");
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_50V, 0.0f), PICO_INVALID_VOLTAGE_RANGE,
               "SetChannel(A, 50 V range) on a 5000D");
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_MAX_RANGES, 0.0f),
               PICO_INVALID_VOLTAGE_RANGE, "SetChannel(A, range 12 = MAX_RANGES)");
  st = ps5000aGetAnalogueOffset(h, RANGE, PS5000A_DC, &maxOff, &minOff);
  check(st == PICO_OK && fabs(maxOff - 2.5f) < 1e-3 && fabs(minOff + 2.5f) < 1e-3,
        "GetAnalogueOffset(2 V, DC) = %+.3f .. %+.3f V (expected +-2.5 V) (status 0x%08lX)", (double)minOff,
        (double)maxOff, (unsigned long)st);
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 3.0f), PICO_INVALID_ANALOGUE_OFFSET,
               "SetChannel(A, 2 V range, offset 3 V)");
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, PS5000A_50MV, 0.3f),
               PICO_INVALID_ANALOGUE_OFFSET, "SetChannel(A, 50 mV range, offset 0.3 V)");
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 2.0f), PICO_OK,
               "SetChannel(A, 2 V range, offset 2 V) is within the limit");

  /* ---- timebase table (spec §8.1) */
  for (ch = 0; ch < 4; ++ch)
    check_status(ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK,
                 "SetChannel(%c, enabled)", 'A' + ch);
  st = ps5000aGetTimebase2(h, 0, 1000, &ns, &maxSamples, 0);
  check(st != PICO_OK, "GetTimebase2(timebase 0 = 1 ns) with 4 channels at 8 bit is refused (status 0x%08lX)",
        (unsigned long)st);
  check_status(st, PICO_INVALID_TIMEBASE, "... with PICO_INVALID_TIMEBASE");
  tb = find_timebase(h, 0, 1000, &ns, &st);
  check(st == PICO_OK && tb >= 1 && tb <= 10, "timebase loop from 0 with 4 channels ends at timebase %lu (%.1f ns)",
        (unsigned long)tb, (double)ns);
  st = ps5000aGetTimebase2(h, 0x7FFFFFFF, 1000, &ns, NULL, 0);
  note("GetTimebase2(0x7FFFFFFF) status 0x%08lX, %.0f ns", (unsigned long)st, (double)ns);
  st = ps5000aGetTimebase2(h, 127, 0x7FFFFFFF, &ns, &maxSamples, 0);
  check_status(st, PICO_TOO_MANY_SAMPLES, "GetTimebase2(127, 2^31-1 samples) exceeds the memory");
  for (ch = 1; ch < 4; ++ch)
    ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f);
  st = ps5000aGetTimebase2(h, 0, 1000, &ns, &maxSamples, 0);
  check(st == PICO_OK && fabs(ns - 1.0f) < 1e-3, "8 bit, A only: timebase 0 = %.3f ns (expected 1 ns) (status 0x%08lX)",
        (double)ns, (unsigned long)st);
  st = ps5000aGetTimebase2(h, 3, 1000, &ns, &maxSamples, 0);
  check(st == PICO_OK && fabs(ns - 8.0f) < 1e-3, "8 bit: timebase 3 = %.3f ns (expected 8 ns)", (double)ns);
  st = ps5000aGetTimebase2(h, 127, 1000, &ns, &maxSamples, 0);
  check(st == PICO_OK && fabs(ns - 1000.0f) < 1e-2, "8 bit: timebase 127 = %.3f ns (expected 1000 ns)", (double)ns);

  /* ---- resolution */
  check_status(ps5000aSetDeviceResolution(h, PS5000A_DR_12BIT), PICO_OK, "SetDeviceResolution(12 bit), A only");
  st = ps5000aGetDeviceResolution(h, &res);
  check(st == PICO_OK && res == PS5000A_DR_12BIT, "GetDeviceResolution = %d (12 bit = 1)", (int)res);
  ps5000aMaximumValue(h, &maxAdc);
  check(maxAdc == PS5000A_MAX_VALUE_16BIT, "MaximumValue at 12 bit = %d (expected 32767)", maxAdc);
  st = ps5000aGetTimebase2(h, 0, 1000, &ns, &maxSamples, 0);
  check(st != PICO_OK, "12 bit: timebase 0 refused (status 0x%08lX)", (unsigned long)st);
  st = ps5000aGetTimebase2(h, 1, 1000, &ns, &maxSamples, 0);
  check(st == PICO_OK && fabs(ns - 2.0f) < 1e-3, "12 bit: timebase 1 = %.3f ns (expected 2 ns) (status 0x%08lX)",
        (double)ns, (unsigned long)st);
  st = ps5000aGetTimebase2(h, 4, 1000, &ns, &maxSamples, 0);
  check(st == PICO_OK && fabs(ns - 16.0f) < 1e-3, "12 bit: timebase 4 = %.3f ns (expected 16 ns)", (double)ns);

  /* 16 bit allows exactly one channel. Where the violation is reported is not pinned down: the
   * vendor example checks before SetDeviceResolution and stops its GetTimebase loop on the code, so
   * accept it from SetDeviceResolution or, if that succeeds, from GetTimebase2. */
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_B, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(B, enabled)");
  st = ps5000aSetDeviceResolution(h, PS5000A_DR_16BIT);
  if (st == PICO_OK) {
    note("SetDeviceResolution(16 bit) with A+B accepted; expecting the error from GetTimebase2");
    st = ps5000aGetTimebase2(h, 127, 1000, &ns, &maxSamples, 0);
  }
  check_status(st, PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION, "16 bit with 2 channels enabled");
  check_status(ps5000aSetDeviceResolution(h, PS5000A_DR_8BIT), PICO_OK, "SetDeviceResolution(8 bit)");
  for (ch = 2; ch < 4; ++ch)
    ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 1, PS5000A_DC, RANGE, 0.0f);
  st = ps5000aSetDeviceResolution(h, PS5000A_DR_15BIT);
  if (st == PICO_OK) {
    note("SetDeviceResolution(15 bit) with 4 channels accepted; expecting the error from GetTimebase2");
    st = ps5000aGetTimebase2(h, 127, 1000, &ns, &maxSamples, 0);
  }
  check_status(st, PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION, "15 bit with 4 channels enabled");
  check_status(ps5000aSetDeviceResolution(h, PS5000A_DR_8BIT), PICO_OK, "SetDeviceResolution(8 bit)");
  for (ch = 1; ch < 4; ++ch)
    ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f);
  check_status(ps5000aSetDeviceResolution(h, PS5000A_DR_16BIT), PICO_OK, "SetDeviceResolution(16 bit), A only");
  ps5000aMaximumValue(h, &maxAdc);
  check(maxAdc == PS5000A_MAX_VALUE_16BIT, "MaximumValue at 16 bit = %d", maxAdc);
  st = ps5000aGetTimebase2(h, 3, 1000, &ns, &maxSamples, 0);
  check(st != PICO_OK, "16 bit: timebase 3 refused (16 ns minimum) (status 0x%08lX)", (unsigned long)st);
  st = ps5000aGetTimebase2(h, 4, 1000, &ns, &maxSamples, 0);
  check(st == PICO_OK && fabs(ns - 16.0f) < 1e-3, "16 bit: timebase 4 = %.3f ns (expected 16 ns)", (double)ns);
  check_status(ps5000aSetDeviceResolution(h, PS5000A_DR_8BIT), PICO_OK, "SetDeviceResolution(8 bit)");
  ps5000aMaximumValue(h, &maxAdc);
  check(maxAdc == PS5000A_MAX_VALUE_8BIT, "MaximumValue back at 8 bit = %d", maxAdc);

  /* ---- calls in the wrong state */
  check_status(ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, buf, NS, 0, PS5000A_RATIO_MODE_NONE), PICO_OK,
               "SetDataBuffer(A)");
  n = NS;
  st = ps5000aGetValues(h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
  check(st != PICO_OK, "GetValues before any capture is refused (status 0x%08lX)", (unsigned long)st);
  check_status(st, PICO_NO_SAMPLES_AVAILABLE, "... with PICO_NO_SAMPLES_AVAILABLE (\"no completed run\")");
  check_status(ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, NULL, 0, 0, PS5000A_RATIO_MODE_NONE), PICO_OK,
               "SetDataBuffer(A, NULL, 0) unregisters");
  {
    uint32_t interval = 1;
    st = ps5000aRunStreaming(h, &interval, PS5000A_US, 0, 100000, 1, 1, PS5000A_RATIO_MODE_NONE, 50000);
    check_status(st, PICO_INVALID_BUFFER, "RunStreaming without registered buffers");
    ps5000aStop(h);
  }

  /* ---- Stop while a block capture waits for a trigger that never comes (A is at 0 V) */
  check_status(ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, buf, NS, 0, PS5000A_RATIO_MODE_NONE), PICO_OK,
               "SetDataBuffer(A)");
  check_status(ps5000aSetSimpleTrigger(h, 1, PS5000A_CHANNEL_A, mv_to_adc(1000.0, RANGE, maxAdc), PS5000A_RISING, 0, 0),
               PICO_OK, "SetSimpleTrigger(A, +1 V, RISING, wait for ever)");
  tb = find_timebase(h, 127, NS, &ns, &st);
  g_ready = 0;
  g_blockCalls = 0;
  g_blockStatus = 0xFFFFFFFFu;
  check_status(ps5000aRunBlock(h, NS / 2, NS / 2, tb, NULL, 0, callBackBlock, NULL), PICO_OK,
               "RunBlock waiting for the trigger");
  sleep_ms(200);
  check(g_blockCalls == 0, "no BlockReady while waiting for the trigger (%d calls)", g_blockCalls);
  st = ps5000aIsReady(h, &ready);
  check(st == PICO_OK && ready == 0, "IsReady while waiting: ready %d (status 0x%08lX)", ready, (unsigned long)st);
  check_status(ps5000aStop(h), PICO_OK, "Stop while waiting for the trigger");
  {
    double t0 = now_s();
    while (g_blockCalls == 0 && now_s() - t0 < 1.0)
      sleep_ms(1);
  }
  if (g_blockCalls > 0) {
    check_status(g_blockStatus, PICO_CANCELLED, "BlockReady after Stop reports PICO_CANCELLED");
    check(g_ready == 0, "the example's ready flag stays clear for a cancelled capture");
  } else {
    /* [INFERRED, spec U9 / §13.3] BlockReady with PICO_CANCELLED on Stop is inferred from the examples;
     * no callback at all is the other possible behaviour. */
    n = NS;
    st = ps5000aGetValues(h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
    check(st != PICO_OK, "no BlockReady after Stop (PICO_CANCELLED callback is only [INFERRED]); GetValues on the "
          "cancelled capture is refused (status 0x%08lX)", (unsigned long)st);
  }
  sleep_ms(50);
  check(g_blockCalls <= 1, "at most one BlockReady for the cancelled capture (%d)", g_blockCalls);
  st = ps5000aIsReady(h, &ready);
  note("IsReady after the cancelled capture: status 0x%08lX, ready %d", (unsigned long)st, ready);
  check_status(ps5000aSetSimpleTrigger(h, 0, PS5000A_CHANNEL_A, 0, PS5000A_RISING, 0, 0), PICO_OK,
               "SetSimpleTrigger(disabled)");

  /* ---- a driver call from inside BlockReady */
  g_ready = 0;
  g_callInBlockReady = 1;
  g_statusInBlockReady = 0xFFFFFFFFu;
  check_status(ps5000aRunBlock(h, 0, NS, tb, NULL, 0, callBackBlock, NULL), PICO_OK, "RunBlock (untriggered)");
  wait_ready(5.0); /* first wait, then report (argument evaluation order) */
  check(g_ready && g_blockStatus == PICO_OK, "BlockReady (status 0x%08lX)", (unsigned long)g_blockStatus);
  g_callInBlockReady = 0;
  check_status(g_statusInBlockReady, PICO_USER_CALLBACK, "PingUnit called inside BlockReady");
  n = NS;
  check_status(ps5000aGetValues(h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, NULL), PICO_OK,
               "GetValues after that capture still works");
  ps5000aStop(h);

  /* ---- two threads calling at once: each call either runs or gets PICO_DRIVER_FUNCTION
   * (the refusal depends on timing, so it is counted, not required) */
  {
    Hammer a, b;
    pthread_t thr;
    double t0;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.handle = b.handle = h;
    if (check(pthread_create(&thr, NULL, hammer_thread, &b) == 0, "second thread started")) {
      t0 = now_s();
      while (now_s() - t0 < 0.2)
        hammer_once(&a);
      b.stop = 1;
      pthread_join(thr, NULL);
      check(a.other == 0 && b.other == 0,
            "concurrent GetTimebase2: %ld + %ld calls, %ld + %ld PICO_OK, %ld + %ld PICO_DRIVER_FUNCTION, no other status "
            "(last other 0x%08lX / 0x%08lX)",
            a.calls, b.calls, a.ok, b.ok, a.busy, b.busy, (unsigned long)a.otherStatus, (unsigned long)b.otherStatus);
      note("PICO_DRIVER_FUNCTION seen %ld times in %ld concurrent calls", a.busy + b.busy, a.calls + b.calls);
      check_status(ps5000aPingUnit(h), PICO_OK, "PingUnit after the concurrent calls");
    }
  }

  /* ---- a driver call from inside StreamingReady */
  {
    UserCbStream u;
    uint32_t interval = 1;
    double t0;
    memset(&u, 0, sizeof u);
    u.driverBuffer = (int16_t *)calloc(50000, sizeof(int16_t));
    u.inside = 0xFFFFFFFFu;
    check_status(ps5000aSetDataBuffers(h, PS5000A_CHANNEL_A, u.driverBuffer, NULL, 50000, 0, PS5000A_RATIO_MODE_NONE),
                 PICO_OK, "SetDataBuffers(A, N = 50 000) for streaming");
    st = ps5000aRunStreaming(h, &interval, PS5000A_US, 0, 200000, 1, 1, PS5000A_RATIO_MODE_NONE, 50000);
    check_status(st, PICO_OK, "RunStreaming(1 us, 200 000, autoStop)");
    t0 = now_s();
    while (st == PICO_OK && !u.tried && now_s() - t0 < 3.0) {
      int before = u.callbacks;
      PICO_STATUS s2 = ps5000aGetStreamingLatestValues(h, callBackStreamingReenter, &u);
      if (s2 != PICO_OK && s2 != PICO_BUSY)
        break;
      if (u.callbacks == before)
        sleep_ms(1);
    }
    check(u.tried, "StreamingReady delivered data (%d callbacks)", u.callbacks);
    check_status(u.inside, PICO_USER_CALLBACK, "Stop called inside StreamingReady");
    check_status(ps5000aStop(h), PICO_OK, "Stop after the callback returned");
    ps5000aSetDataBuffers(h, PS5000A_CHANNEL_A, NULL, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
    free(u.driverBuffer);
  }

  /* ---- closed handle */
  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
  check_status(ps5000aPingUnit(h), PICO_INVALID_HANDLE, "PingUnit(closed handle)");
  check_status(ps5000aCloseUnit(h), PICO_INVALID_HANDLE, "CloseUnit(closed handle)");
  free(buf);
}

/* ------------------------------------------------------------------ power source */

static void test_usb(void)
{
  int16_t h = -7, maxAdc = 0;
  int16_t *bufA = (int16_t *)calloc(NS, sizeof(int16_t));
  int16_t *bufB = (int16_t *)calloc(NS, sizeof(int16_t));
  PICO_STATUS st;
  float ns = 0.0f;
  uint32_t tb, n;

  st = ps5000aOpenUnit(&h, NULL, PS5000A_DR_8BIT);
  check_status(st, PICO_POWER_SUPPLY_NOT_CONNECTED, "OpenUnit on USB power only");
  if (!check(h > 0, "... with a valid handle (%d)", h))
    return;
  ps5000aMaximumValue(h, &maxAdc);
  st = ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f);
  note("SetChannel(A) before ChangePowerSource: status 0x%08lX", (unsigned long)st);
  st = ps5000aSetChannel(h, PS5000A_CHANNEL_B, 1, PS5000A_DC, RANGE, 0.0f);
  note("SetChannel(B) before ChangePowerSource: status 0x%08lX", (unsigned long)st);
  ps5000aSetSimpleTrigger(h, 1, PS5000A_CHANNEL_A, mv_to_adc(0.0, RANGE, maxAdc), PS5000A_RISING, 0, 0);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, bufA, NS, 0, PS5000A_RATIO_MODE_NONE);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_B, bufB, NS, 0, PS5000A_RATIO_MODE_NONE);
  g_ready = 0;
  st = ps5000aRunBlock(h, NS / 2, NS / 2, 127, NULL, 0, callBackBlock, NULL);
  check(capi_is_power_status(st), "RunBlock before ChangePowerSource is refused with a power status (0x%08lX)",
        (unsigned long)st);
  check_status(st, PICO_POWER_SUPPLY_NOT_CONNECTED, "... PICO_POWER_SUPPLY_NOT_CONNECTED");
  if (st == PICO_OK)
    ps5000aStop(h);

  check_status(ps5000aChangePowerSource(h, PICO_POWER_SUPPLY_NOT_CONNECTED), PICO_OK,
               "ChangePowerSource(PICO_POWER_SUPPLY_NOT_CONNECTED) accepts USB power");
  check_status(ps5000aCurrentPowerSource(h), PICO_POWER_SUPPLY_NOT_CONNECTED, "CurrentPowerSource");
  st = ps5000aSetChannel(h, PS5000A_CHANNEL_C, 1, PS5000A_DC, RANGE, 0.0f);
  check(st != PICO_OK, "SetChannel(C, enabled) on USB power is refused (status 0x%08lX)", (unsigned long)st);
  check_status(st, PICO_CHANNEL_DISABLED_DUE_TO_USB_POWERED, "... with PICO_CHANNEL_DISABLED_DUE_TO_USB_POWERED");
  st = ps5000aSetChannel(h, PS5000A_CHANNEL_D, 1, PS5000A_DC, RANGE, 0.0f);
  check_status(st, PICO_CHANNEL_DISABLED_DUE_TO_USB_POWERED, "SetChannel(D, enabled) on USB power");
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(A) on USB power");
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_B, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(B) on USB power");
  tb = find_timebase(h, 127, NS, &ns, &st);
  check(st == PICO_OK && tb == 127, "GetTimebase2 with A+B: timebase %lu (%.0f ns)", (unsigned long)tb, (double)ns);
  g_ready = 0;
  check_status(ps5000aRunBlock(h, NS / 2, NS / 2, tb, NULL, 0, callBackBlock, NULL), PICO_OK,
               "RunBlock after ChangePowerSource");
  wait_ready(5.0); /* first wait, then report (argument evaluation order) */
  check(g_ready && g_blockStatus == PICO_OK, "BlockReady (status 0x%08lX)", (unsigned long)g_blockStatus);
  n = NS;
  st = ps5000aGetValues(h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
  check(st == PICO_OK && n == NS, "GetValues A+B on USB power: %lu samples (status 0x%08lX)", (unsigned long)n,
        (unsigned long)st);
  if (st == PICO_OK) {
    double v[NS], mn, mx;
    check_sine(bufA, NS, maxAdc, "USB power");
    adc_to_volts(bufB, v, NS, RANGE, maxAdc);
    minmax_d(v, NS, &mn, &mx);
    check(mx - mn > 0.5, "USB power: B carries its signal (%.3f .. %.3f V)", mn, mx);
  }
  ps5000aStop(h);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_B, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
  free(bufA);
  free(bufB);
}

static void test_usb2(void)
{
  int16_t h = -7;
  PICO_STATUS st;
  int ch;
  float ns = 0.0f;
  uint32_t tb;

  st = ps5000aOpenUnit(&h, NULL, PS5000A_DR_8BIT);
  check_status(st, PICO_USB3_0_DEVICE_NON_USB3_0_PORT, "OpenUnit of a USB 3 unit on a USB 2 port");
  if (!check(h > 0, "... with a valid handle (%d)", h))
    return;
  check_status(ps5000aChangePowerSource(h, PICO_USB3_0_DEVICE_NON_USB3_0_PORT), PICO_OK,
               "ChangePowerSource(PICO_USB3_0_DEVICE_NON_USB3_0_PORT)");
  for (ch = 0; ch < 4; ++ch)
    check_status(ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK,
                 "SetChannel(%c) after accepting the USB 2 port", 'A' + ch);
  tb = find_timebase(h, 127, NS, &ns, &st);
  check_status(st, PICO_OK, "GetTimebase2 with 4 channels: timebase %lu", (unsigned long)tb);
  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
}

static void test_inject(void)
{
  int16_t h = -7, maxAdc = 0;
  int16_t *buf = (int16_t *)calloc(NS, sizeof(int16_t));
  PICO_STATUS st, codes[4];
  float ns = 0.0f;
  uint32_t tb, n;
  int tries, ch;

  st = capi_open_unit(&h, PS5000A_DR_8BIT);
  if (!check(st == PICO_OK && h > 0, "OpenUnit (status 0x%08lX, handle %d)", (unsigned long)st, h))
    return;
  ps5000aMaximumValue(h, &maxAdc);
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(A)");
  for (ch = 1; ch < 4; ++ch)
    ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f);
  ps5000aSetSimpleTrigger(h, 1, PS5000A_CHANNEL_A, mv_to_adc(0.0, RANGE, maxAdc), PS5000A_RISING, 0, 0);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, buf, NS, 0, PS5000A_RATIO_MODE_NONE);
  tb = find_timebase(h, 127, NS, &ns, &st);

  /* RunBlock -> 0x119: the vendor rule is ChangePowerSource(h, same code), then retry */
  g_ready = 0;
  st = ps5000aRunBlock(h, NS / 2, NS / 2, tb, NULL, 0, callBackBlock, NULL);
  check_status(st, PICO_POWER_SUPPLY_CONNECTED, "RunBlock reports the supply being plugged in");
  check_status(ps5000aChangePowerSource(h, PICO_POWER_SUPPLY_CONNECTED), PICO_OK,
               "ChangePowerSource(PICO_POWER_SUPPLY_CONNECTED)");
  st = ps5000aRunBlock(h, NS / 2, NS / 2, tb, NULL, 0, callBackBlock, NULL);
  check_status(st, PICO_OK, "RunBlock retried");
  wait_ready(5.0); /* first wait, then report (argument evaluation order) */
  check(g_ready && g_blockStatus == PICO_OK, "BlockReady (status 0x%08lX)", (unsigned long)g_blockStatus);
  check_status(ps5000aCurrentPowerSource(h), PICO_POWER_SUPPLY_CONNECTED, "CurrentPowerSource after the change");

  /* GetValues -> 0x11A: the vendor examples abandon this capture ("Power Source Changed") */
  n = NS;
  st = ps5000aGetValues(h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
  check_status(st, PICO_POWER_SUPPLY_NOT_CONNECTED, "GetValues reports the supply being unplugged");
  ps5000aStop(h);

  /* next capture with the vendor retry loop: must succeed after handling power codes */
  tries = 0;
  g_ready = 0;
  do {
    st = ps5000aRunBlock(h, NS / 2, NS / 2, tb, NULL, 0, callBackBlock, NULL);
    codes[tries] = st;
    if (capi_is_power_status(st))
      ps5000aChangePowerSource(h, st);
  } while (capi_is_power_status(st) && ++tries < 3);
  note("RunBlock after the unplugged supply: first status 0x%08lX, %d retries", (unsigned long)codes[0], tries);
  check_status(st, PICO_OK, "RunBlock succeeds with the vendor retry rule");
  wait_ready(5.0); /* first wait, then report (argument evaluation order) */
  check(g_ready && g_blockStatus == PICO_OK, "BlockReady (status 0x%08lX)", (unsigned long)g_blockStatus);
  n = NS;
  st = ps5000aGetValues(h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
  check(st == PICO_OK && n == NS, "GetValues of the retried capture: %lu samples (status 0x%08lX)", (unsigned long)n,
        (unsigned long)st);
  if (st == PICO_OK)
    check_sine(buf, NS, maxAdc, "after power changes");
  ps5000aStop(h);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
  free(buf);
}

/* A 2-channel model (PICOSIM variant=5242D, power=usb): the variant string gives the channel count
 * (§7: its second character), C and D do not exist (PICO_INVALID_CHANNEL, also in channel flags),
 * a 2-channel unit has no DC supply input so OpenUnit on USB power is PICO_OK, the 5000D AWG size. */
static void test_variant(void)
{
  int16_t h = 0, required = 0, minV = 0, maxV = 0;
  char variant[80] = "";
  uint32_t tb = 0, combos[16], nCombos = 16, minSize = 0, maxSize = 0;
  double interval = 0.0;
  PICO_STATUS st;
  int ch;

  st = ps5000aOpenUnit(&h, NULL, PS5000A_DR_8BIT);
  check_status(st, PICO_OK, "OpenUnit of a 2-channel unit on USB power: no power-source status");
  if (!check(h > 0, "... with a valid handle (%d)", h))
    return;
  st = ps5000aGetUnitInfo(h, (int8_t *)variant, sizeof variant, &required, PICO_VARIANT_INFO);
  check(st == PICO_OK && strcmp(variant, "5242D") == 0, "VARIANT_INFO = \"%s\"", variant);
  check(variant[1] - '0' == 2, "the variant names 2 channels (second character)");
  check_status(ps5000aCurrentPowerSource(h), PICO_POWER_SUPPLY_CONNECTED, "CurrentPowerSource: all channels usable");
  for (ch = 0; ch < 2; ++ch)
    check_status(ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(%c)",
                 'A' + ch);
  for (ch = 2; ch < 4; ++ch) {
    check_status(ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 1, PS5000A_DC, RANGE, 0.0f), PICO_INVALID_CHANNEL,
                 "SetChannel(%c, enabled) on a 2-channel unit", 'A' + ch);
    check_status(ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f), PICO_INVALID_CHANNEL,
                 "SetChannel(%c, disabled) on a 2-channel unit", 'A' + ch);
  }
  check_status(ps5000aSetSimpleTrigger(h, 1, PS5000A_CHANNEL_C, 0, PS5000A_RISING, 0, 0), PICO_INVALID_TRIGGER_CHANNEL,
               "SetSimpleTrigger on channel C of a 2-channel unit");
  check_status(ps5000aGetMinimumTimebaseStateless(h, (PS5000A_CHANNEL_FLAGS)(PS5000A_CHANNEL_A_FLAGS | PS5000A_CHANNEL_C_FLAGS),
                                                  &tb, &interval, PS5000A_DR_8BIT),
               PICO_INVALID_CHANNEL, "GetMinimumTimebaseStateless with channel C's flag");
  check_status(ps5000aGetMinimumTimebaseStateless(h, (PS5000A_CHANNEL_FLAGS)(PS5000A_CHANNEL_A_FLAGS | PS5000A_CHANNEL_B_FLAGS),
                                                  &tb, &interval, PS5000A_DR_8BIT),
               PICO_OK, "GetMinimumTimebaseStateless(A | B): timebase %lu, %.3g s", (unsigned long)tb, interval);
  st = ps5000aChannelCombinationsStateless(h, (PS5000A_CHANNEL_FLAGS *)combos, &nCombos, PS5000A_DR_8BIT, 3, 1);
  check(st == PICO_OK && nCombos == 3, "ChannelCombinationsStateless at timebase 3: %lu combinations of A and B (3)",
        (unsigned long)nCombos);
  st = ps5000aSigGenArbitraryMinMaxValues(h, &minV, &maxV, &minSize, &maxSize);
  check(st == PICO_OK && maxSize == PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, "AWG of a 5000D: up to %lu samples",
        (unsigned long)maxSize);
  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
}

int main(int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "basic";
  if (strcmp(mode, "basic") == 0)
    test_basic();
  else if (strcmp(mode, "usb") == 0)
    test_usb();
  else if (strcmp(mode, "usb2") == 0)
    test_usb2();
  else if (strcmp(mode, "inject") == 0)
    test_inject();
  else if (strcmp(mode, "variant") == 0)
    test_variant();
  else
    check(0, "unknown mode \"%s\" (basic, usb, usb2, inject, variant)", mode);
  return capi_finish("test_ps5000a_errors");
}
