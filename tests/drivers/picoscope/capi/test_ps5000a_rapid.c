/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rapid-block test of a ps5000a library, written only against the documented C API (the sequence of
 * the vendor example's rapid-block collection): GetMaxSegments, MemorySegments, SetNoOfCaptures,
 * GetTimebase search from 127, RunBlock + BlockReady, one SetDataBuffer per capture/segment,
 * GetValuesBulk with an overflow array, GetTriggerInfoBulk.
 *
 * Expected input on A (PICOSIM): sine 1 kHz, 1 V peak. */
#include "capi_check.h"

#define N_SEGMENTS 64
#define N_CAPTURES 10
#define PRE 200
#define POST 1800
#define N_SAMPLES (PRE + POST)
#define RANGE PS5000A_2V
#define SIGNAL_FREQ 1000.0

static volatile int16_t g_ready = 0;
static volatile PICO_STATUS g_blockStatus = 0xFFFFFFFFu;

static void PREF4 callBackBlock(int16_t handle, PICO_STATUS status, void *pParameter)
{
  (void)handle;
  (void)pParameter;
  g_blockStatus = status;
  if (status != PICO_CANCELLED)
    g_ready = 1;
}

int main(int argc, char **argv)
{
  /* "noisy": PICOSIM adds noise to the input, so no two segments may be equal */
  const int noisy = argc > 1 && strcmp(argv[1], "noisy") == 0;
  int16_t h = 0, maxAdc = 0, ch;
  PICO_STATUS st;
  uint32_t maxSegments = 0, timebase, nCaptures = 0, nSamples;
  int32_t maxSamplesPerSegment = 0, intervalNs = 0, maxSamples = 0, timeIndisposed = 0;
  int16_t *buffers[N_CAPTURES];
  int16_t overflow[N_CAPTURES];
  PS5000A_TRIGGER_INFO info[N_CAPTURES];
  int i, retry;
  double t0;

  memset(buffers, 0, sizeof buffers);
  st = capi_open_unit(&h, PS5000A_DR_8BIT);
  if (!check(h > 0 && (st == PICO_OK || capi_is_power_status(st)), "OpenUnit (status 0x%08lX, handle %d)",
             (unsigned long)st, h))
    return capi_finish("test_ps5000a_rapid");
  ps5000aMaximumValue(h, &maxAdc);
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(A)");
  for (ch = 1; ch < 4; ++ch)
    ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f);
  check_status(ps5000aSetSimpleTrigger(h, 1, PS5000A_CHANNEL_A, mv_to_adc(0.0, RANGE, maxAdc), PS5000A_RISING, 0, 0),
               PICO_OK, "SetSimpleTrigger(A, 0 V, RISING, no auto trigger)");

  st = ps5000aGetMaxSegments(h, &maxSegments);
  check(st == PICO_OK && maxSegments >= N_SEGMENTS, "GetMaxSegments = %lu (>= %d) (status 0x%08lX)",
        (unsigned long)maxSegments, N_SEGMENTS, (unsigned long)st);
  st = ps5000aMemorySegments(h, N_SEGMENTS, &maxSamplesPerSegment);
  check(st == PICO_OK && maxSamplesPerSegment >= N_SAMPLES,
        "MemorySegments(%d): %ld samples per segment (status 0x%08lX)", N_SEGMENTS, (long)maxSamplesPerSegment,
        (unsigned long)st);
  check_status(ps5000aSetNoOfCaptures(h, N_CAPTURES), PICO_OK, "SetNoOfCaptures(%d)", N_CAPTURES);
  st = ps5000aGetNoOfCaptures(h, &nCaptures);
  note("GetNoOfCaptures before the run: status 0x%08lX, %lu", (unsigned long)st, (unsigned long)nCaptures);

  timebase = 127;
  for (i = 0; i < 1000; ++i) {
    st = ps5000aGetTimebase(h, timebase, N_SAMPLES, &intervalNs, &maxSamples, 0);
    if (st == PICO_OK || st == PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION)
      break;
    ++timebase;
  }
  check(st == PICO_OK && intervalNs == 1000, "GetTimebase loop from 127: timebase %lu, %ld ns (status 0x%08lX)",
        (unsigned long)timebase, (long)intervalNs, (unsigned long)st);

  g_ready = 0;
  retry = 0;
  do {
    st = ps5000aRunBlock(h, PRE, POST, timebase, &timeIndisposed, 0, callBackBlock, NULL);
    if (capi_is_power_status(st))
      ps5000aChangePowerSource(h, st);
  } while (capi_is_power_status(st) && ++retry < 3);
  check_status(st, PICO_OK, "RunBlock(%d pre, %d post) for %d captures", PRE, POST, N_CAPTURES);
  t0 = now_s();
  while (!g_ready && now_s() - t0 < 5.0)
    sleep_ms(1);
  check(g_ready && g_blockStatus == PICO_OK, "BlockReady after all captures (status 0x%08lX, %.0f ms)",
        (unsigned long)g_blockStatus, (now_s() - t0) * 1000.0);
  st = ps5000aGetNoOfCaptures(h, &nCaptures);
  check(st == PICO_OK && nCaptures == N_CAPTURES, "GetNoOfCaptures = %lu (status 0x%08lX)", (unsigned long)nCaptures,
        (unsigned long)st);

  {
    int badBuf = 0;
    PICO_STATUS firstBad = PICO_OK;
    for (i = 0; i < N_CAPTURES; ++i) {
      buffers[i] = (int16_t *)calloc(N_SAMPLES, sizeof(int16_t));
      st = ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, buffers[i], N_SAMPLES, (uint32_t)i, PS5000A_RATIO_MODE_NONE);
      if (st != PICO_OK && badBuf++ == 0)
        firstBad = st;
    }
    check_status(firstBad, PICO_OK, "SetDataBuffer(A, segment k) for k = 0..%d (%d refused)", N_CAPTURES - 1, badBuf);
  }

  nSamples = N_SAMPLES;
  for (i = 0; i < N_CAPTURES; ++i)
    overflow[i] = -1;
  st = ps5000aGetValuesBulk(h, &nSamples, 0, N_CAPTURES - 1, 1, PS5000A_RATIO_MODE_NONE, overflow);
  check_status(st, PICO_OK, "GetValuesBulk(segments 0..%d)", N_CAPTURES - 1);
  check(nSamples == N_SAMPLES, "GetValuesBulk delivered %lu samples per segment", (unsigned long)nSamples);
  {
    int ovOk = 1;
    for (i = 0; i < N_CAPTURES; ++i)
      if (overflow[i] != 0)
        ovOk = 0;
    check(ovOk, "overflow[0..%d] all written as 0 (1 V on the 2 V range); overflow[0] = %d", N_CAPTURES - 1,
          overflow[0]);
  }

  if (st == PICO_OK) {
    double v[N_SAMPLES];
    int badLevel = 0, badRise = 0, badFreq = 0;
    for (i = 0; i < N_CAPTURES; ++i) {
      double f;
      adc_to_volts(buffers[i], v, N_SAMPLES, RANGE, maxAdc);
      if (fabs(v[PRE]) >= 0.04) {
        ++badLevel;
        note("segment %d: sample at trigger index %d = %.4f V", i, PRE, v[PRE]);
      }
      if (!(v[PRE - 10] < 0.0 && v[PRE + 10] > 0.0)) {
        ++badRise;
        note("segment %d: %.4f V -> %.4f V around the trigger index", i, v[PRE - 10], v[PRE + 10]);
      }
      f = estimate_frequency(v, N_SAMPLES, intervalNs * 1e-9, 0.0, 0.1);
      if (fabs(f - SIGNAL_FREQ) > 0.01 * SIGNAL_FREQ) {
        ++badFreq;
        note("segment %d: frequency %.2f Hz", i, f);
      }
    }
    check(badLevel == 0, "every segment's trigger sample (index %d) is near the 0 V threshold (%d off)", PRE,
          badLevel);
    check(badRise == 0, "every segment rises through its trigger sample (%d not)", badRise);
    check(badFreq == 0, "every segment holds a 1 kHz sine (+-1 %%) (%d off)", badFreq);
    {
      /* different segments are different captures: not all identical copies of segment 0 */
      int same = 1;
      for (i = 1; i < N_CAPTURES && same; ++i)
        if (memcmp(buffers[i], buffers[0], N_SAMPLES * sizeof(int16_t)) != 0)
          same = 0;
      if (noisy)
        check(!same, "segments differ (noise on the input: each segment is a capture of its own)");
      else
        check(same, "segments are bit-identical (noise-free input, triggered at the same phase each time)");
    }
  }

  memset(info, 0, sizeof info);
  st = ps5000aGetTriggerInfoBulk(h, info, 0, N_CAPTURES - 1);
  check_status(st, PICO_OK, "GetTriggerInfoBulk(0..%d)", N_CAPTURES - 1);
  if (st == PICO_OK) {
    int badStatus = 0, badOrder = 0, badPeriod = 0, badIndex = 0;
    check((info[0].status & PICO_DEVICE_TIME_STAMP_RESET) != 0,
          "segment 0 status 0x%08lX carries PICO_DEVICE_TIME_STAMP_RESET", (unsigned long)info[0].status);
    for (i = 0; i < N_CAPTURES; ++i) {
      if (info[i].segmentIndex != (uint32_t)i)
        ++badIndex;
      if (i == 0)
        continue;
      if (info[i].status != PICO_OK) {
        ++badStatus;
        note("segment %d: trigger info status 0x%08lX", i, (unsigned long)info[i].status);
        continue;
      }
      if (info[i].timeStampCounter <= info[i - 1].timeStampCounter) {
        ++badOrder;
        continue;
      }
      {
        /* time between triggers = counter difference x sample interval; the trigger is at the same
         * phase of a 1 kHz sine each time, so it is a whole number of 1 ms periods */
        double ns = (double)(info[i].timeStampCounter - info[i - 1].timeStampCounter) * intervalNs;
        double periods = ns / 1e6;
        if (fabs(periods - floor(periods + 0.5)) > 0.01 || periods < 0.5) {
          ++badPeriod;
          note("segment %d: %.1f ns since the previous trigger = %.4f periods", i, ns, periods);
        }
        if (i == 1)
          note("time between triggers: %.1f us", ns / 1000.0);
      }
    }
    check(badIndex == 0, "trigger info segmentIndex = 0..%d in order (%d wrong)", N_CAPTURES - 1, badIndex);
    check(badStatus == 0, "segments 1..%d: trigger info status PICO_OK (%d not)", N_CAPTURES - 1, badStatus);
    check(badOrder == 0, "segments 1..%d: timeStampCounter increases (%d not)", N_CAPTURES - 1, badOrder);
    check(badPeriod == 0, "time between triggers is a whole number of signal periods (%d not)", badPeriod);
  }

  check_status(ps5000aStop(h), PICO_OK, "Stop");
  for (i = 0; i < N_CAPTURES; ++i) {
    ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, NULL, 0, (uint32_t)i, PS5000A_RATIO_MODE_NONE);
    free(buffers[i]);
  }
  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
  return capi_finish("test_ps5000a_rapid");
}
