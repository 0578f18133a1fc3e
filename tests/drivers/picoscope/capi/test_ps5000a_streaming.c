/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Streaming test of a ps5000a library, written only against the documented C API (the sequence of the
 * vendor example's streaming handler): driver buffers of N = 50 000 samples registered with
 * SetDataBuffers, RunStreaming at 1 us, a GetStreamingLatestValues loop whose StreamingReady callback
 * copies [startIndex, startIndex + n) out of the driver buffer, Stop, NoOfStreamingValues.
 *
 *   run 1: 1 000 000 samples with autoStop: exact count, ring rule, continuity of the sine;
 *   run 2: continuous (autoStop = 0) for about 0.5 s, then Stop;
 *   run 3: with a simple trigger and autoStop: triggered / triggerAt;
 *   run 4: as Pico's streaming examples do, channels C and D left enabled but buffers registered for A
 *          and B only: streaming runs and delivers A and B (an enabled channel without a buffer is not
 *          delivered, as with GetValues); with no buffer at all RunStreaming is refused.
 *
 * Expected input on A (PICOSIM): sine 1 kHz, 1 V peak, no noise. */
#include "capi_check.h"

#define DRIVER_BUFFER 50000u
#define RANGE PS5000A_2V
#define SIGNAL_FREQ 1000.0
#define SIGNAL_AMP 1.0
#define APP_CAPACITY 1200000u

typedef struct {
  int16_t *driverBuffer; /* registered with SetDataBuffers, DRIVER_BUFFER samples */
  int16_t *app;          /* the whole record, APP_CAPACITY samples */
  uint32_t total;        /* samples received so far */
  volatile int ready;    /* set by the callback (vendor example: g_ready) */
  int inGetLatest;       /* 1 while the main thread is inside GetStreamingLatestValues */
  int callbacks, dataCallbacks, outsideCall, otherThread;
  int ringViolations;    /* startIndex + n > N */
  int chunkJumps;        /* startIndex neither the previous end nor 0 */
  int negativeCount;
  int appOverrun;
  uint32_t prevEnd;
  int autoStop, autoStopCalls, dataAfterAutoStop;
  int triggerCount;
  uint32_t triggerPos;
  int16_t overflowOr;
  int emptyCallbacks;
} Stream;

static pthread_t g_mainThread;

static void PREF4 callBackStreaming(int16_t handle, int32_t noOfSamples, uint32_t startIndex, int16_t overflow,
                                    uint32_t triggerAt, int16_t triggered, int16_t autoStop, void *pParameter)
{
  Stream *s = (Stream *)pParameter;
  (void)handle;
  if (s == NULL)
    return;
  ++s->callbacks;
  if (!s->inGetLatest)
    ++s->outsideCall;
  if (!pthread_equal(pthread_self(), g_mainThread))
    ++s->otherThread;
  s->overflowOr |= overflow;
  if (noOfSamples < 0) {
    ++s->negativeCount;
  } else if (noOfSamples == 0) {
    ++s->emptyCallbacks;
  } else {
    uint32_t n = (uint32_t)noOfSamples;
    ++s->dataCallbacks;
    if (s->autoStop)
      ++s->dataAfterAutoStop;
    /* ring rule: a chunk never runs past the end of the registered buffer */
    if ((uint64_t)startIndex + n > DRIVER_BUFFER)
      ++s->ringViolations;
    /* [INFERRED, spec U1] the buffer is used as a ring: the next chunk starts where the previous one
     * ended, or at 0 after a wrap */
    if (startIndex != s->prevEnd && startIndex != 0)
      ++s->chunkJumps;
    s->prevEnd = startIndex + n;
    if (triggered) {
      ++s->triggerCount;
      s->triggerPos = s->total + triggerAt;
    }
    if (startIndex < DRIVER_BUFFER) {
      uint32_t copy = n;
      if (startIndex + copy > DRIVER_BUFFER)
        copy = DRIVER_BUFFER - startIndex;
      if (s->total + copy <= APP_CAPACITY)
        memcpy(&s->app[s->total], &s->driverBuffer[startIndex], copy * sizeof(int16_t));
      else
        ++s->appOverrun;
    }
    s->total += n;
  }
  if (autoStop) {
    s->autoStop = 1;
    ++s->autoStopCalls;
  }
  s->ready = 1;
}

/* Polls GetStreamingLatestValues until autoStop, `seconds` elapsed, or the app buffer is nearly full.
 * Returns the first status other than PICO_OK / PICO_BUSY (or PICO_OK). */
static PICO_STATUS poll_stream(int16_t h, Stream *s, double seconds, int *polls)
{
  double t0 = now_s();
  PICO_STATUS bad = PICO_OK;
  *polls = 0;
  while (!s->autoStop && now_s() - t0 < seconds && s->total + 2 * DRIVER_BUFFER < APP_CAPACITY) {
    PICO_STATUS st;
    s->ready = 0;
    s->inGetLatest = 1;
    st = ps5000aGetStreamingLatestValues(h, callBackStreaming, s);
    s->inGetLatest = 0;
    ++*polls;
    /* [UNVERIFIED, spec U3] no data yet may give PICO_OK without a callback or PICO_BUSY */
    if (st != PICO_OK && st != PICO_BUSY && bad == PICO_OK)
      bad = st;
    if (!s->ready)
      sleep_ms(1);
  }
  return bad;
}

/* Continuity of the recorded 1 kHz sine: sample-to-sample steps bounded by the slope, and the phase of
 * consecutive 10 ms blocks (fitted with a global time axis) equal - a lost or repeated run of samples
 * shows up as a phase jump between two blocks. */
static void check_continuity(const Stream *s, uint32_t n, double dt, int16_t maxAdc, const char *what)
{
  const uint32_t block = 10000;
  double *v = (double *)malloc(sizeof(double) * block);
  double prevPhase = 0.0, worstJump = 0.0, worstResidual = 0.0, minAmp = 1e9, maxAmp = 0.0;
  int32_t maxStep = 0;
  uint32_t b, i, worstAt = 0;
  /* largest honest step: slope 2 pi f A dt, plus two 8-bit quantisation steps (256 counts each) */
  int32_t stepLimit = (int32_t)(2.0 * M_PI * SIGNAL_FREQ * SIGNAL_AMP * dt * 1000.0 * maxAdc / 2000.0) + 2 * 256;
  if (v == NULL || n < 2 * block) {
    check(0, "%s: enough samples for the continuity check (%lu)", what, (unsigned long)n);
    free(v);
    return;
  }
  for (i = 1; i < n; ++i) {
    int32_t d = abs((int32_t)s->app[i] - (int32_t)s->app[i - 1]);
    if (d > maxStep) {
      maxStep = d;
      worstAt = i;
    }
  }
  check(maxStep <= stepLimit, "%s: largest sample-to-sample step %ld counts at %lu (limit %ld for a 1 kHz, 1 V sine)",
        what, (long)maxStep, (unsigned long)worstAt, (long)stepLimit);
  for (b = 0; b + block <= n; b += block) {
    SineFit fit = { 0.0, 0.0, 0.0, 0.0 };
    adc_to_volts(&s->app[b], v, block, RANGE, maxAdc);
    if (sine_fit(v, block, dt, SIGNAL_FREQ, (double)b, &fit) != 0)
      continue;
    if (b > 0) {
      double j = fabs(phase_diff(fit.phase, prevPhase));
      if (j > worstJump)
        worstJump = j;
    }
    prevPhase = fit.phase;
    if (fit.rmsResidual > worstResidual)
      worstResidual = fit.rmsResidual;
    if (fit.amplitude < minAmp)
      minAmp = fit.amplitude;
    if (fit.amplitude > maxAmp)
      maxAmp = fit.amplitude;
  }
  /* one lost sample at 1 us moves a 1 kHz sine by 0.0063 rad */
  check(worstJump < 0.004, "%s: no phase jump between consecutive 10 ms blocks (largest %.5f rad)", what, worstJump);
  check(worstResidual < 0.02, "%s: every block fits a %.0f Hz sine (largest residual %.4f V rms)", what, SIGNAL_FREQ,
        worstResidual);
  check(fabs(minAmp - SIGNAL_AMP) <= 0.03 && fabs(maxAmp - SIGNAL_AMP) <= 0.03,
        "%s: block amplitudes %.4f .. %.4f V (expected 1 V +-3 %%)", what, minAmp, maxAmp);
  free(v);
}

static void reset_stream(Stream *s)
{
  int16_t *d = s->driverBuffer, *a = s->app;
  memset(s, 0, sizeof *s);
  s->driverBuffer = d;
  s->app = a;
}

/* RunStreaming with the vendor's power-source retry rule. */
static PICO_STATUS run_streaming(int16_t h, uint32_t *interval, uint32_t pre, uint32_t post, int16_t autoStop)
{
  PICO_STATUS st;
  int tries = 0;
  do {
    st = ps5000aRunStreaming(h, interval, PS5000A_US, pre, post, autoStop, 1, PS5000A_RATIO_MODE_NONE, DRIVER_BUFFER);
    if (capi_is_power_status(st))
      ps5000aChangePowerSource(h, st);
  } while (capi_is_power_status(st) && ++tries < 3);
  return st;
}

int main(void)
{
  int16_t h = 0, maxAdc = 0, ch;
  PICO_STATUS st, pollStatus;
  Stream s;
  uint32_t interval, stored = 0;
  int polls = 0;
  double t0, elapsed;

  g_mainThread = pthread_self();
  memset(&s, 0, sizeof s);
  s.driverBuffer = (int16_t *)calloc(DRIVER_BUFFER, sizeof(int16_t));
  s.app = (int16_t *)calloc(APP_CAPACITY, sizeof(int16_t));
  if (s.driverBuffer == NULL || s.app == NULL)
    return 1;

  st = capi_open_unit(&h, PS5000A_DR_8BIT);
  if (!check(h > 0 && (st == PICO_OK || capi_is_power_status(st)), "OpenUnit (status 0x%08lX, handle %d)",
             (unsigned long)st, h))
    return capi_finish("test_ps5000a_streaming");
  ps5000aMaximumValue(h, &maxAdc);
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel(A, DC, 2 V)");
  for (ch = 1; ch < 4; ++ch)
    ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 0, PS5000A_DC, RANGE, 0.0f);
  check_status(ps5000aSetSimpleTrigger(h, 0, PS5000A_CHANNEL_A, 0, PS5000A_RISING, 0, 0), PICO_OK,
               "SetSimpleTrigger(disabled)");
  check_status(ps5000aSetDataBuffers(h, PS5000A_CHANNEL_A, s.driverBuffer, NULL, (int32_t)DRIVER_BUFFER, 0,
                                     PS5000A_RATIO_MODE_NONE),
               PICO_OK, "SetDataBuffers(A, max only, N = %u, NONE)", DRIVER_BUFFER);

  /* ---------------- run 1: 1 000 000 samples, autoStop */
  reset_stream(&s);
  interval = 1;
  t0 = now_s();
  st = run_streaming(h, &interval, 0, 1000000, 1);
  check_status(st, PICO_OK, "run 1: RunStreaming(1 us, pre 0, post 1 000 000, autoStop, N = %u)", DRIVER_BUFFER);
  check(interval == 1, "run 1: sampleInterval written back: %lu us", (unsigned long)interval);
  pollStatus = poll_stream(h, &s, 10.0, &polls);
  elapsed = now_s() - t0;
  check_status(pollStatus, PICO_OK, "run 1: GetStreamingLatestValues never failed (%d polls)", polls);
  check(s.autoStop, "run 1: autoStop reported after %.3f s (%d callbacks, %d with data)", elapsed, s.callbacks,
        s.dataCallbacks);
  check(s.total == 1000000u, "run 1: total samples = %lu (expected exactly 1 000 000)", (unsigned long)s.total);
  check(s.ringViolations == 0, "run 1: every chunk has startIndex + n <= N (%d violations)", s.ringViolations);
  check(s.chunkJumps == 0, "run 1: chunks follow each other in the ring buffer, wrapping to 0 [INFERRED U1] (%d jumps)",
        s.chunkJumps);
  check(s.negativeCount == 0 && s.appOverrun == 0, "run 1: no negative sample counts (%d)", s.negativeCount);
  check(s.outsideCall == 0, "run 1: StreamingReady only ran inside GetStreamingLatestValues (%d outside)",
        s.outsideCall);
  /* [UNVERIFIED U2] the thread of the callback: informational only */
  note("run 1: %d of %d callbacks on another thread than the caller's", s.otherThread, s.callbacks);
  check(s.dataAfterAutoStop == 0, "run 1: no data after the autoStop callback (%d)", s.dataAfterAutoStop);
  check(s.overflowOr == 0, "run 1: no over-range flagged (overflow bits 0x%X)", (unsigned)s.overflowOr);
  /* the simulator paces samples on a real-time clock: 1 000 000 samples at 1 us take about 1 s */
  check(elapsed >= 0.8 && elapsed <= 3.0, "run 1: 1 000 000 samples at 1 us took %.3f s (about 1 s)", elapsed);
  check_continuity(&s, s.total < APP_CAPACITY ? s.total : APP_CAPACITY, interval * 1e-6, maxAdc, "run 1");
  check_status(ps5000aStop(h), PICO_OK, "run 1: Stop");
  st = ps5000aNoOfStreamingValues(h, &stored);
  check(st == PICO_OK && stored == s.total, "run 1: NoOfStreamingValues = %lu (received %lu) (status 0x%08lX)",
        (unsigned long)stored, (unsigned long)s.total, (unsigned long)st);

  /* ---------------- run 2: continuous, stopped by the host after about 0.5 s */
  reset_stream(&s);
  interval = 1;
  t0 = now_s();
  st = run_streaming(h, &interval, 0, 1000000, 0);
  check_status(st, PICO_OK, "run 2: RunStreaming(1 us, post 1 000 000, autoStop = 0)");
  pollStatus = poll_stream(h, &s, 0.5, &polls);
  check_status(ps5000aStop(h), PICO_OK, "run 2: Stop after %.3f s", now_s() - t0);
  elapsed = now_s() - t0;
  check_status(pollStatus, PICO_OK, "run 2: GetStreamingLatestValues never failed (%d polls)", polls);
  check(!s.autoStop, "run 2: no autoStop in continuous mode");
  check(s.total >= (uint32_t)(0.35e6) && s.total <= (uint32_t)(elapsed * 1e6 * 1.1) + DRIVER_BUFFER,
        "run 2: received %lu samples in %.3f s at 1 MS/s", (unsigned long)s.total, elapsed);
  check(s.ringViolations == 0 && s.chunkJumps == 0, "run 2: ring rule kept (%d past the end, %d jumps)",
        s.ringViolations, s.chunkJumps);
  if (s.total >= 20000)
    check_continuity(&s, s.total, interval * 1e-6, maxAdc, "run 2");
  st = ps5000aNoOfStreamingValues(h, &stored);
  /* stored after Stop: everything received, plus at most what arrived between the last poll and Stop */
  check(st == PICO_OK && stored >= s.total && stored <= s.total + 100000u,
        "run 2: NoOfStreamingValues = %lu, consistent with %lu received (status 0x%08lX)", (unsigned long)stored,
        (unsigned long)s.total, (unsigned long)st);

  /* ---------------- run 3: triggered, autoStop */
  {
    const uint32_t pre = 20000, post = 200000;
    reset_stream(&s);
    /* the vendor example's triggered streaming sets the trigger with the V2 functions */
    {
      PS5000A_TRIGGER_CHANNEL_PROPERTIES_V2 prop;
      PS5000A_CONDITION cond;
      PS5000A_DIRECTION dir;
      int16_t trigOn = 0, pwqOn = 0;
      memset(&prop, 0, sizeof prop);
      prop.thresholdUpper = mv_to_adc(0.0, RANGE, maxAdc);
      prop.thresholdUpperHysteresis = 256 * 10;
      prop.thresholdLower = prop.thresholdUpper;
      prop.thresholdLowerHysteresis = 256 * 10;
      prop.channel = PS5000A_CHANNEL_A;
      cond.source = PS5000A_CHANNEL_A;
      cond.condition = PS5000A_CONDITION_TRUE;
      dir.source = PS5000A_CHANNEL_A;
      dir.direction = PS5000A_RISING;
      dir.mode = PS5000A_LEVEL;
      check_status(ps5000aSetTriggerChannelPropertiesV2(h, &prop, 1, 0), PICO_OK,
                   "run 3: SetTriggerChannelPropertiesV2(A, 0 V, hysteresis 2560)");
      check_status(ps5000aSetTriggerChannelConditionsV2(h, &cond, 1, (PS5000A_CONDITIONS_INFO)(PS5000A_CLEAR | PS5000A_ADD)),
                   PICO_OK, "run 3: SetTriggerChannelConditionsV2(A TRUE, CLEAR | ADD)");
      check_status(ps5000aSetTriggerChannelDirectionsV2(h, &dir, 1), PICO_OK,
                   "run 3: SetTriggerChannelDirectionsV2(A RISING LEVEL)");
      check_status(ps5000aSetAutoTriggerMicroSeconds(h, 0), PICO_OK, "run 3: SetAutoTriggerMicroSeconds(0)");
      check_status(ps5000aSetTriggerDelay(h, 0), PICO_OK, "run 3: SetTriggerDelay(0)");
      check_status(ps5000aSetPulseWidthQualifierConditions(h, NULL, 0, PS5000A_CLEAR), PICO_OK,
                   "run 3: SetPulseWidthQualifierConditions(none, CLEAR)");
      check_status(ps5000aSetPulseWidthQualifierDirections(h, NULL, 0), PICO_OK,
                   "run 3: SetPulseWidthQualifierDirections(none)");
      check_status(ps5000aSetPulseWidthQualifierProperties(h, 0, 0, PS5000A_PW_TYPE_NONE), PICO_OK,
                   "run 3: SetPulseWidthQualifierProperties(0, 0, NONE)");
      st = ps5000aIsTriggerOrPulseWidthQualifierEnabled(h, &trigOn, &pwqOn);
      check(st == PICO_OK && trigOn && !pwqOn, "run 3: trigger enabled %d, pulse-width qualifier %d", trigOn, pwqOn);
    }
    interval = 1;
    st = run_streaming(h, &interval, pre, post, 1);
    check_status(st, PICO_OK, "run 3: RunStreaming(1 us, pre %lu, post %lu, autoStop)", (unsigned long)pre,
                 (unsigned long)post);
    pollStatus = poll_stream(h, &s, 5.0, &polls);
    check_status(pollStatus, PICO_OK, "run 3: GetStreamingLatestValues never failed (%d polls)", polls);
    check(s.autoStop, "run 3: autoStop reported");
    check(s.triggerCount == 1, "run 3: triggered reported in exactly one callback (%d)", s.triggerCount);
    /* spec §5: with a trigger the driver stores maxPre + maxPost samples. Streaming delivers every
     * sample as it is taken, so the callbacks carry all samples up to maxPost after the trigger;
     * the trigger arms only once maxPre samples exist, so at least maxPre come before it. */
    check(s.triggerPos >= pre && s.total - s.triggerPos == post,
          "run 3: trigger after >= pre samples (%lu >= %lu), exactly post after it (%lu = %lu)",
          (unsigned long)s.triggerPos, (unsigned long)pre, (unsigned long)(s.total - s.triggerPos),
          (unsigned long)post);
    note("run 3: trigger at sample %lu of %lu (%lu after it)", (unsigned long)s.triggerPos, (unsigned long)s.total,
         (unsigned long)(s.total - s.triggerPos));
    if (s.triggerCount >= 1 && s.triggerPos >= 10 && s.triggerPos + 10 < s.total && s.triggerPos + 10 < APP_CAPACITY) {
      double at = adc_to_mv(s.app[s.triggerPos], RANGE, maxAdc) / 1000.0;
      double before = adc_to_mv(s.app[s.triggerPos - 10], RANGE, maxAdc) / 1000.0;
      double after = adc_to_mv(s.app[s.triggerPos + 10], RANGE, maxAdc) / 1000.0;
      check(fabs(at) < 0.04, "run 3: sample at the trigger position is %.4f V, near the 0 V threshold", at);
      check(before < 0.0 && after > 0.0, "run 3: the signal rises through the trigger position (%.4f -> %.4f V)",
            before, after);
    } else {
      check(0, "run 3: trigger position %lu inside the record of %lu", (unsigned long)s.triggerPos,
            (unsigned long)s.total);
    }
    check(s.ringViolations == 0 && s.chunkJumps == 0, "run 3: ring rule kept (%d past the end, %d jumps)",
          s.ringViolations, s.chunkJumps);
    check_status(ps5000aStop(h), PICO_OK, "run 3: Stop");
    st = ps5000aNoOfStreamingValues(h, &stored);
    check(st == PICO_OK && stored == pre + post, "run 3: NoOfStreamingValues = %lu = pre + post (received %lu)",
          (unsigned long)stored, (unsigned long)s.total);
  }

  /* ---------------- run 4: all four channels enabled, buffers for A and B only */
  {
    int16_t *bufferB = (int16_t *)calloc(DRIVER_BUFFER, sizeof(int16_t));
    reset_stream(&s);
    check_status(ps5000aSetSimpleTrigger(h, 0, PS5000A_CHANNEL_A, 0, PS5000A_RISING, 0, 0), PICO_OK,
                 "run 4: SetSimpleTrigger(disabled)");
    for (ch = 1; ch < 4; ++ch)
      check_status(ps5000aSetChannel(h, (PS5000A_CHANNEL)ch, 1, PS5000A_DC, PS5000A_5V, 0.0f), PICO_OK,
                   "run 4: SetChannel(%c enabled)", 'A' + ch);
    check_status(ps5000aSetDataBuffers(h, PS5000A_CHANNEL_B, bufferB, NULL, (int32_t)DRIVER_BUFFER, 0,
                                       PS5000A_RATIO_MODE_NONE),
                 PICO_OK, "run 4: SetDataBuffers(B, N = %u); none for C and D", DRIVER_BUFFER);
    interval = 1;
    st = run_streaming(h, &interval, 0, 200000, 1);
    check_status(st, PICO_OK, "run 4: RunStreaming with A..D enabled and buffers for A and B only");
    pollStatus = poll_stream(h, &s, 5.0, &polls);
    check_status(pollStatus, PICO_OK, "run 4: GetStreamingLatestValues never failed (%d polls)", polls);
    check(s.autoStop && s.total == 200000u, "run 4: autoStop after exactly 200 000 samples (%lu)",
          (unsigned long)s.total);
    check(s.ringViolations == 0 && s.chunkJumps == 0, "run 4: ring rule kept (%d past the end, %d jumps)",
          s.ringViolations, s.chunkJumps);
    check_continuity(&s, s.total, interval * 1e-6, maxAdc, "run 4 (A)");
    {
      uint32_t i, nonZero = 0;
      for (i = 0; i < DRIVER_BUFFER; ++i)
        nonZero += bufferB[i] != 0;
      check(nonZero > DRIVER_BUFFER / 2, "run 4: the buffer of B was filled too (%lu non-zero samples)",
            (unsigned long)nonZero);
    }
    check_status(ps5000aStop(h), PICO_OK, "run 4: Stop");
    ps5000aSetDataBuffers(h, PS5000A_CHANNEL_A, NULL, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
    ps5000aSetDataBuffers(h, PS5000A_CHANNEL_B, NULL, NULL, 0, 0, PS5000A_RATIO_MODE_NONE);
    interval = 1;
    check_status(ps5000aRunStreaming(h, &interval, PS5000A_US, 0, 1000, 1, 1, PS5000A_RATIO_MODE_NONE, DRIVER_BUFFER),
                 PICO_INVALID_BUFFER, "run 4: RunStreaming with no buffer registered at all -> PICO_INVALID_BUFFER");
    free(bufferB);
  }

  check_status(ps5000aCloseUnit(h), PICO_OK, "CloseUnit");
  free(s.driverBuffer);
  free(s.app);
  return capi_finish("test_ps5000a_streaming");
}
