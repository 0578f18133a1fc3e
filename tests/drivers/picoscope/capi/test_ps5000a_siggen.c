/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signal-generator test of a ps5000a library, written only against the documented C API: the
 * built-in generator (SetSigGenBuiltInV2, offset and peak-to-peak in microvolts) and the arbitrary
 * waveform generator (SigGenArbitraryMinMaxValues, SigGenFrequencyToPhase, SetSigGenArbitrary), each
 * captured in block mode on channel A.
 *
 * Expected input: the generator output connected to channel A (PICOSIM signal.A=siggen with the
 * simulator; a BNC cable from the AWG output to channel A with real hardware). */
#include "capi_check.h"

#define RANGE PS5000A_2V

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

/* One triggered (auto-trigger 1 s) block capture of n samples on A at the first timebase >= tb.
 * Fills volts[] and *dt; returns 1 on success. */
static int capture_a(int16_t h, int16_t maxAdc, uint32_t tb, int32_t n, double *volts, double *dt, const char *what)
{
  int16_t *raw = (int16_t *)calloc((size_t)n, sizeof(int16_t));
  float intervalNs = 0.0f;
  int32_t maxSamples = 0;
  uint32_t got = (uint32_t)n;
  PICO_STATUS st;
  int i, ok = 0;
  double t0;

  if (raw == NULL)
    return 0;
  for (i = 0; i < 1000; ++i) {
    st = ps5000aGetTimebase2(h, tb, n, &intervalNs, &maxSamples, 0);
    if (st == PICO_OK || st == PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION)
      break;
    ++tb;
  }
  check_status(st, PICO_OK, "%s: GetTimebase2 -> timebase %lu, %.1f ns", what, (unsigned long)tb, (double)intervalNs);
  *dt = intervalNs * 1e-9;
  st = ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, raw, n, 0, PS5000A_RATIO_MODE_NONE);
  check_status(st, PICO_OK, "%s: SetDataBuffer(A)", what);
  /* a few periods of settling time for the generator, then trigger on the rising edge through 0 V */
  sleep_ms(20);
  st = ps5000aSetSimpleTrigger(h, 1, PS5000A_CHANNEL_A, mv_to_adc(0.0, RANGE, maxAdc), PS5000A_RISING, 0, 1000);
  check_status(st, PICO_OK, "%s: SetSimpleTrigger(A, 0 V, RISING, auto 1000 ms)", what);
  g_ready = 0;
  st = ps5000aRunBlock(h, n / 10, n - n / 10, tb, NULL, 0, callBackBlock, NULL);
  check_status(st, PICO_OK, "%s: RunBlock(%ld samples)", what, (long)n);
  t0 = now_s();
  while (st == PICO_OK && !g_ready && now_s() - t0 < 5.0)
    sleep_ms(1);
  if (check(g_ready && g_blockStatus == PICO_OK, "%s: BlockReady (status 0x%08lX)", what, (unsigned long)g_blockStatus)) {
    st = ps5000aGetValues(h, 0, &got, 1, PS5000A_RATIO_MODE_NONE, 0, NULL);
    if (check(st == PICO_OK && got == (uint32_t)n, "%s: GetValues %lu samples (status 0x%08lX)", what,
              (unsigned long)got, (unsigned long)st)) {
      adc_to_volts(raw, volts, (size_t)n, RANGE, maxAdc);
      ok = 1;
    }
  }
  ps5000aStop(h);
  ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
  free(raw);
  return ok;
}

int main(void)
{
  int16_t h = 0, maxAdc = 0;
  PICO_STATUS st;
  int ch;
  double dt = 0.0;
  enum { N = 20000 };
  double *v = (double *)malloc(sizeof(double) * N);

  st = capi_open_unit(&h, PS5000A_DR_8BIT);
  if (!check(h > 0 && (st == PICO_OK || capi_is_power_status(st)), "OpenUnit (status 0x%08lX, handle %d)",
             (unsigned long)st, h) || v == NULL)
    return capi_finish("test_ps5000a_siggen");
  ps5000aMaximumValue(h, &maxAdc);
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK,
               "SetChannel(A, DC, 2 V)");
  for (ch = 1; ch < 4; ++ch)
    ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f);

  /* ---- built-in square: 2 V pk-pk (2 000 000 uV), 5 kHz, no sweep, free running */
  st = ps5000aSetSigGenBuiltInV2(h, 0, 2000000, PS5000A_SQUARE, 5000.0, 5000.0, 0.0, 0.0, PS5000A_UP,
                                 PS5000A_ES_OFF, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE, 0);
  check_status(st, PICO_OK, "SetSigGenBuiltInV2(SQUARE, 2 Vpp, 5 kHz)");
  if (capture_a(h, maxAdc, 27 /* 200 ns at 8 bit */, N, v, &dt, "square 5 kHz")) {
    double f = estimate_frequency(v, N, dt, 0.0, 0.2);
    double hiSum = 0.0, loSum = 0.0;
    size_t hiN = 0, loN = 0, i;
    check(fabs(f - 5000.0) <= 50.0, "square: frequency %.2f Hz (expected 5000 Hz +-1 %%)", f);
    for (i = 0; i < N; ++i) {
      if (v[i] > 0.5) {
        hiSum += v[i];
        ++hiN;
      } else if (v[i] < -0.5) {
        loSum += v[i];
        ++loN;
      }
    }
    if (hiN > 0 && loN > 0) {
      double hi = hiSum / (double)hiN, lo = loSum / (double)loN;
      check(fabs(hi - 1.0) <= 0.03 && fabs(lo + 1.0) <= 0.03,
            "square: levels %+.4f / %+.4f V (expected +-1 V +-3 %%: 2 000 000 uV pk-pk)", hi, lo);
      check(fabs((double)hiN / (double)(hiN + loN) - 0.5) < 0.05, "square: duty cycle %.1f %%",
            100.0 * (double)hiN / (double)(hiN + loN));
    } else {
      check(0, "square: signal on A has both levels (high %zu, low %zu samples)", hiN, loN);
    }
  }

  /* ---- built-in sine with offset: 1 Vpp (0.5 V peak), +0.2 V offset, 2 kHz */
  st = ps5000aSetSigGenBuiltInV2(h, 200000, 1000000, PS5000A_SINE, 2000.0, 2000.0, 0.0, 0.0, PS5000A_UP,
                                 PS5000A_ES_OFF, 0, 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE, 0);
  check_status(st, PICO_OK, "SetSigGenBuiltInV2(SINE, 1 Vpp, offset 200 000 uV, 2 kHz)");
  if (capture_a(h, maxAdc, 52 /* 400 ns */, N, v, &dt, "sine 2 kHz")) {
    SineFit fit = { 0.0, 0.0, 0.0, 0.0 };
    double f = estimate_frequency(v, N, dt, 0.2, 0.1);
    check(fabs(f - 2000.0) <= 20.0, "sine: frequency %.2f Hz (expected 2000 Hz +-1 %%)", f);
    if (check(sine_fit(v, N, dt, f > 0 ? f : 2000.0, 0.0, &fit) == 0, "sine: fit")) {
      check(fabs(fit.amplitude - 0.5) <= 0.015, "sine: amplitude %.4f V (expected 0.5 V +-3 %%)", fit.amplitude);
      check(fabs(fit.offset - 0.2) <= 0.02, "sine: offset %.4f V (expected +0.2 V)", fit.offset);
    }
  }

  /* ---- arbitrary waveform: a rising ramp, 1 kHz, 2 V pk-pk */
  {
    int16_t minVal = 0, maxVal = 0;
    uint32_t minSize = 0, maxSize = 0, phase = 0, len = 1024, i;
    int16_t *table;
    st = ps5000aSigGenArbitraryMinMaxValues(h, &minVal, &maxVal, &minSize, &maxSize);
    check_status(st, PICO_OK, "SigGenArbitraryMinMaxValues: values %d..%d, sizes %lu..%lu", minVal, maxVal,
                 (unsigned long)minSize, (unsigned long)maxSize);
    check(minVal < 0 && maxVal > 0 && minSize >= MIN_SIG_GEN_BUFFER_SIZE && maxSize >= len,
          "AWG limits usable (values %d..%d, sizes %lu..%lu)", minVal, maxVal, (unsigned long)minSize,
          (unsigned long)maxSize);
    /* spec §2: AWG buffer 32768 samples on all 5000D models (variant 5444D simulated). */
    check(maxSize == PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE, "AWG buffer size %lu = %d (5000D)", (unsigned long)maxSize,
          PS5X4XD_MAX_SIG_GEN_BUFFER_SIZE);
    st = ps5000aSigGenFrequencyToPhase(h, 1000.0, PS5000A_SINGLE, len, &phase);
    check_status(st, PICO_OK, "SigGenFrequencyToPhase(1 kHz, SINGLE, %lu) = %lu", (unsigned long)len,
                 (unsigned long)phase);
    {
      /* [INFERRED] phase = f * len * 2^32 / DDS clock; 100 MHz for 5000D, 200 MHz for 5000A/B:
       * accept either clock. */
      double p100 = 1000.0 * len * AWG_PHASE_ACCUMULATOR / PS5000D_DDS_FREQUENCY;
      double p200 = 1000.0 * len * AWG_PHASE_ACCUMULATOR / PS5000AB_DDS_FREQUENCY;
      check(fabs(phase - p100) <= 0.001 * p100 || fabs(phase - p200) <= 0.001 * p200,
            "delta phase %lu matches f*len*2^32/DDS (100 MHz: %.0f, 200 MHz: %.0f) [INFERRED]",
            (unsigned long)phase, p100, p200);
    }
    table = (int16_t *)malloc(sizeof(int16_t) * len);
    if (table != NULL) {
      for (i = 0; i < len; ++i)
        table[i] = (int16_t)lround(minVal + ((double)maxVal - (double)minVal) * (double)i / (double)(len - 1));
      st = ps5000aSetSigGenArbitrary(h, 0, 2000000, phase, phase, 0, 0, table, (int32_t)len, PS5000A_UP,
                                     PS5000A_ES_OFF, PS5000A_SINGLE, 0, 0, PS5000A_SIGGEN_RISING,
                                     PS5000A_SIGGEN_NONE, 0);
      check_status(st, PICO_OK, "SetSigGenArbitrary(ramp table of %lu, 2 Vpp, 1 kHz)", (unsigned long)len);
      free(table);
    }
    if (capture_a(h, maxAdc, 127 /* 1 us */, 5000, v, &dt, "AWG ramp 1 kHz")) {
      /* A sawtooth from about -1 V to +1 V: it rises almost everywhere and drops once per period */
      double mn, mx, drops[16];
      size_t nDrops = 0, nUp = 0, nPairs = 0, k;
      minmax_d(v, 5000, &mn, &mx);
      check(fabs(mx - 1.0) <= 0.05 && fabs(mn + 1.0) <= 0.05, "AWG ramp spans %.3f .. %.3f V (expected -1 .. +1 V)",
            mn, mx);
      for (k = 10; k < 5000; k += 10) {
        double d = v[k] - v[k - 10];
        if (d < -1.0) {
          if (nDrops < 16)
            drops[nDrops] = (double)k * dt;
          ++nDrops;
        } else {
          ++nPairs;
          if (d > 0.0)
            ++nUp;
        }
      }
      check(nPairs > 0 && (double)nUp / (double)nPairs > 0.95,
            "AWG ramp rises between drops (%zu of %zu 10-sample steps rise)", nUp, nPairs);
      check(nDrops >= 4 && nDrops <= 6, "AWG ramp drops %zu times in 5 ms (expected 5 at 1 kHz)", nDrops);
      if (nDrops >= 2 && nDrops <= 16) {
        double period = (drops[nDrops - 1] - drops[0]) / (double)(nDrops - 1);
        check(fabs(period - 1e-3) <= 2e-5, "AWG ramp period %.2f us (expected 1000 us)", period * 1e6);
      }
      /* slope in the middle of a period: 2 V per ms = 2 mV per sample */
      {
        double slopeSum = 0.0;
        size_t slopeN = 0;
        for (k = 20; k + 20 < 5000; ++k) {
          if (v[k] > -0.6 && v[k] < 0.6 && v[k + 20] - v[k - 20] > 0.0) {
            slopeSum += (v[k + 20] - v[k - 20]) / (40.0 * dt);
            ++slopeN;
          }
        }
        if (slopeN > 0)
          check(fabs(slopeSum / (double)slopeN - 2000.0) <= 100.0, "AWG ramp slope %.0f V/s (expected 2000 V/s)",
                slopeSum / (double)slopeN);
      }
    }
  }

  /* generator off (the example's way: DC_VOLTAGE with pkToPk 0) */
  st = ps5000aSetSigGenBuiltInV2(h, 0, 0, PS5000A_DC_VOLTAGE, 0.0, 0.0, 0.0, 0.0, PS5000A_UP, PS5000A_ES_OFF, 0,
                                 0, PS5000A_SIGGEN_RISING, PS5000A_SIGGEN_NONE, 0);
  check_status(st, PICO_OK, "SetSigGenBuiltInV2(DC_VOLTAGE, 0) switches the generator off");
  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
  free(v);
  return capi_finish("test_ps5000a_siggen");
}
