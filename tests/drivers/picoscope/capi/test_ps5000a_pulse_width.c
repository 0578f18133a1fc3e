/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Window pulse-width trigger of a ps5000a library, written only against the documented C API, in the
 * order of Pico Technology's window-pulse-width example: the trigger condition is the pulse-width
 * qualifier itself (source PS5000A_PULSE_WIDTH_SOURCE), the qualifier watches channel A inside a
 * window, and its direction is given for the qualifier as a whole with
 * SetPulseWidthQualifierDirections({PS5000A_PULSE_WIDTH_SOURCE, PS5000A_ENTER, PS5000A_WINDOW}).
 *
 *   run 1: qualifier "inside the window longer than 100 us": the capture triggers where A leaves the
 *          window (|A| = 0.5 V) after a stay inside it;
 *   run 2: "longer than 300 us", longer than any stay inside: the capture never triggers.
 *
 * Expected input on A (PICOSIM): triangle 1 kHz, 1 V peak, no noise - inside the window
 * -0.5 V .. +0.5 V for 250 us on every slope. */
#include "capi_check.h"

#define RANGE PS5000A_2V
#define PRE 2500
#define POST 2500
#define WINDOW_MV 500.0

static int16_t g_bufA[PRE + POST];

/* Sets up the trigger of the example with a qualifier width of `widthUs`; returns 0 on success. */
static int set_window_pulse_width_trigger(int16_t h, int16_t maxAdc, float intervalNs, double widthUs)
{
  struct tPS5000ATriggerChannelPropertiesV2 props;
  struct tPS5000ACondition cond;
  struct tPS5000ADirection dir;
  struct tPS5000ACondition pwqCond;
  struct tPS5000ADirection pwqDir;
  int16_t trig = 0, pwq = 0;
  uint32_t width = (uint32_t)ceil(widthUs * 1000.0 / intervalNs);
  int ok = 1;

  props.thresholdUpper = mv_to_adc(WINDOW_MV, RANGE, maxAdc);
  props.thresholdUpperHysteresis = 10;
  props.thresholdLower = mv_to_adc(-WINDOW_MV, RANGE, maxAdc);
  props.thresholdLowerHysteresis = 10;
  props.channel = PS5000A_CHANNEL_A;
  ok &= check_status(ps5000aSetTriggerChannelPropertiesV2(h, &props, 1, 0), PICO_OK,
                     "SetTriggerChannelPropertiesV2: window -0.5 V .. +0.5 V on A");
  cond.source = PS5000A_PULSE_WIDTH_SOURCE;
  cond.condition = PS5000A_CONDITION_TRUE;
  ok &= check_status(ps5000aSetTriggerChannelConditionsV2(h, &cond, 1, (PS5000A_CONDITIONS_INFO)(PS5000A_CLEAR | PS5000A_ADD)),
                     PICO_OK, "SetTriggerChannelConditionsV2: the trigger is the pulse-width qualifier");
  dir.source = PS5000A_CHANNEL_A;
  dir.direction = PS5000A_OUTSIDE;
  dir.mode = PS5000A_WINDOW;
  ok &= check_status(ps5000aSetTriggerChannelDirectionsV2(h, &dir, 1), PICO_OK,
                     "SetTriggerChannelDirectionsV2: A outside the window");
  pwqCond.source = PS5000A_CHANNEL_A;
  pwqCond.condition = PS5000A_CONDITION_TRUE;
  ok &= check_status(ps5000aSetPulseWidthQualifierConditions(h, &pwqCond, 1, PS5000A_ADD), PICO_OK,
                     "SetPulseWidthQualifierConditions: A (ADD)");
  ok &= check_status(ps5000aSetPulseWidthQualifierProperties(h, width, width, PS5000A_PW_TYPE_GREATER_THAN), PICO_OK,
                     "SetPulseWidthQualifierProperties: greater than %u samples (%.0f us)", (unsigned)width, widthUs);
  pwqDir.source = PS5000A_PULSE_WIDTH_SOURCE;
  pwqDir.direction = PS5000A_ENTER;
  pwqDir.mode = PS5000A_WINDOW;
  ok &= check_status(ps5000aSetPulseWidthQualifierDirections(h, &pwqDir, 1), PICO_OK,
                     "SetPulseWidthQualifierDirections: source PS5000A_PULSE_WIDTH_SOURCE, ENTER, WINDOW");
  ok &= check_status(ps5000aIsTriggerOrPulseWidthQualifierEnabled(h, &trig, &pwq), PICO_OK,
                     "IsTriggerOrPulseWidthQualifierEnabled");
  ok &= check(trig != 0 && pwq != 0, "trigger and pulse-width qualifier reported enabled (%d, %d)", trig, pwq);
  return ok ? 0 : -1;
}

int main(void)
{
  int16_t h = 0, maxAdc = 0, ready = 0;
  uint32_t timebase = 65;
  float intervalNs = 0.0f;
  int32_t maxSamples = 0;
  PICO_STATUS st;
  uint32_t n = PRE + POST;
  double t0;
  int i;

  st = capi_open_unit(&h, PS5000A_DR_12BIT);
  if (!check(h > 0, "OpenUnit at 12 bit (status 0x%08lX)", (unsigned long)st))
    return capi_finish("test_ps5000a_pulse_width");
  check_status(ps5000aSetChannel(h, PS5000A_CHANNEL_A, 1, PS5000A_DC, RANGE, 0.0f), PICO_OK, "SetChannel A +-2 V");
  check_status(ps5000aMaximumValue(h, &maxAdc), PICO_OK, "MaximumValue");
  /* as the vendor examples do: take the next timebase while the unit refuses */
  while ((st = ps5000aGetTimebase2(h, timebase, PRE + POST, &intervalNs, &maxSamples, 0)) == PICO_INVALID_TIMEBASE)
    ++timebase;
  check_status(st, PICO_OK, "GetTimebase2 %u: %.0f ns", (unsigned)timebase, (double)intervalNs);

  /* run 1 */
  if (set_window_pulse_width_trigger(h, maxAdc, intervalNs, 100.0) == 0) {
    check_status(ps5000aRunBlock(h, PRE, POST, timebase, NULL, 0, NULL, NULL), PICO_OK, "RunBlock");
    t0 = now_s();
    while (ready == 0 && now_s() - t0 < 20.0) {
      ps5000aIsReady(h, &ready);
      if (!ready)
        sleep_ms(1);
    }
    if (check(ready != 0, "the window pulse-width trigger fired")) {
      double at, before, after;
      check_status(ps5000aSetDataBuffer(h, PS5000A_CHANNEL_A, g_bufA, PRE + POST, 0, PS5000A_RATIO_MODE_NONE),
                   PICO_OK, "SetDataBuffer A");
      check_status(ps5000aGetValues(h, 0, &n, 1, PS5000A_RATIO_MODE_NONE, 0, NULL), PICO_OK, "GetValues");
      check(n == PRE + POST, "%u samples", (unsigned)n);
      at = adc_to_mv(g_bufA[PRE], RANGE, maxAdc);
      check(fabs(fabs(at) - WINDOW_MV) < 30.0, "the trigger sample is where A leaves the window: %.1f mV", at);
      /* 50 us before the trigger A was inside the window, 50 us after it outside */
      i = (int)lround(50000.0 / intervalNs);
      before = adc_to_mv(g_bufA[PRE - i], RANGE, maxAdc);
      after = adc_to_mv(g_bufA[PRE + i], RANGE, maxAdc);
      check(fabs(before) < WINDOW_MV - 50.0, "inside the window before the trigger: %.1f mV", before);
      check(fabs(after) > WINDOW_MV + 50.0, "outside the window after it: %.1f mV", after);
    }
    ps5000aStop(h);
  }

  /* run 2: no stay inside the window is that long, so nothing may ever trigger (no auto trigger) */
  ready = 0;
  if (set_window_pulse_width_trigger(h, maxAdc, intervalNs, 300.0) == 0) {
    check_status(ps5000aSetAutoTriggerMicroSeconds(h, 0), PICO_OK, "SetAutoTriggerMicroSeconds(0): wait for ever");
    check_status(ps5000aRunBlock(h, PRE, POST, timebase, NULL, 0, NULL, NULL), PICO_OK, "RunBlock");
    for (i = 0; i < 100 && ready == 0; ++i) { /* 100 signal periods at least */
      ps5000aIsReady(h, &ready);
      sleep_ms(2);
    }
    check(ready == 0, "a qualifier longer than every stay inside the window never fires");
    check_status(ps5000aStop(h), PICO_OK, "Stop");
  }
  ps5000aCloseUnit(h);
  return capi_finish("test_ps5000a_pulse_width");
}
