/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the ps5000a (and, with CAPI_PS2000A defined, ps2000a) C API test
 * programs: check reporting in a TAP-like style
 * ("ok - ..." / "not ok - ... (status 0x...)"), ADC <-> mV conversion in the manner of the vendor
 * examples, sleeping / timing, and a little signal analysis (zero-crossing frequency estimate and a
 * three-parameter least-squares sine fit at a known frequency).
 *
 * Uses nothing but the documented API header and the C/POSIX libraries, so the programs build and
 * run against the vendor's libraries as well. Include this header first. */
#ifndef CAPI_CHECK_H
#define CAPI_CHECK_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef CAPI_PS2000A
#include <libps2000a/ps2000aApi.h>
#else
#include <libps5000a/ps5000aApi.h>
#endif
#ifndef PICO_STATUS
#include <libps5000a/PicoStatus.h>
#endif

#if defined(__GNUC__)
#define CAPI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CAPI_PRINTF(a, b)
#endif

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---------------------------------------------------------------- reporting */

static int g_capiChecks = 0;
static int g_capiFailures = 0;

/* Counts one check and prints its result line; returns ok. */
static inline int capi_vline(int ok, const char *suffix, const char *fmt, va_list ap)
{
  ++g_capiChecks;
  if (!ok)
    ++g_capiFailures;
  printf(ok ? "ok - " : "not ok - ");
  vprintf(fmt, ap);
  if (suffix != NULL && suffix[0] != '\0')
    printf(" %s", suffix);
  printf("\n");
  fflush(stdout);
  return ok;
}

/* check(cond, "text", ...): one result line; returns cond. */
static inline int check(int cond, const char *fmt, ...) CAPI_PRINTF(2, 3);
static inline int check(int cond, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  capi_vline(cond, NULL, fmt, ap);
  va_end(ap);
  return cond;
}

/* check_status(got, want, "text", ...): ok when got == want; the line names both codes on failure. */
static inline int check_status(PICO_STATUS got, PICO_STATUS want, const char *fmt, ...) CAPI_PRINTF(3, 4);
static inline int check_status(PICO_STATUS got, PICO_STATUS want, const char *fmt, ...)
{
  char suffix[64];
  va_list ap;
  int ok = got == want;
  suffix[0] = '\0';
  if (!ok)
    snprintf(suffix, sizeof suffix, "(status 0x%08lX, expected 0x%08lX)", (unsigned long)got,
             (unsigned long)want);
  va_start(ap, fmt);
  capi_vline(ok, suffix, fmt, ap);
  va_end(ap);
  return ok;
}

/* check_status2(got, a, b, "text", ...): either of two documented results is acceptable
 * (used where the specification marks the behaviour UNVERIFIED / INFERRED). */
static inline int check_status2(PICO_STATUS got, PICO_STATUS a, PICO_STATUS b, const char *fmt, ...)
    CAPI_PRINTF(4, 5);
static inline int check_status2(PICO_STATUS got, PICO_STATUS a, PICO_STATUS b, const char *fmt, ...)
{
  char suffix[80];
  va_list ap;
  int ok = got == a || got == b;
  snprintf(suffix, sizeof suffix, ok ? "(status 0x%08lX)" : "(status 0x%08lX, expected 0x%08lX or 0x%08lX)",
           (unsigned long)got, (unsigned long)a, (unsigned long)b);
  va_start(ap, fmt);
  capi_vline(ok, suffix, fmt, ap);
  va_end(ap);
  return ok;
}

/* note("text", ...): an informational "# ..." line, never a failure. */
static inline void note(const char *fmt, ...) CAPI_PRINTF(1, 2);
static inline void note(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  printf("# ");
  vprintf(fmt, ap);
  printf("\n");
  fflush(stdout);
  va_end(ap);
}

/* Prints the summary; the value to return from main (0 only when every check passed). */
static inline int capi_finish(const char *program)
{
  printf("# %s: %d checks, %d failed\n", program, g_capiChecks, g_capiFailures);
  fflush(stdout);
  return g_capiFailures == 0 && g_capiChecks > 0 ? 0 : 1;
}

/* ---------------------------------------------------------------- scaling */

/* ± full scale of each range index (PS5000A_RANGE, PS2000A_RANGE: the same numbers) in mV (§2). */
static const int32_t capi_inputRangesMv[12] = {
  10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000
};

/* ADC count -> mV for a channel on range `range`, with the unit's MaximumValue. */
static inline double adc_to_mv(int32_t raw, int range, int16_t maxAdc)
{
  return (double)raw * capi_inputRangesMv[range] / (double)maxAdc;
}

/* mV -> ADC count (for trigger thresholds), clamped to the int16 range. */
static inline int16_t mv_to_adc(double mv, int range, int16_t maxAdc)
{
  double v = mv * (double)maxAdc / capi_inputRangesMv[range];
  if (v > 32767.0)
    v = 32767.0;
  if (v < -32768.0)
    v = -32768.0;
  return (int16_t)lround(v);
}

/* Converts n ADC counts to volts. */
static inline void adc_to_volts(const int16_t *raw, double *volts, size_t n, int range,
                                int16_t maxAdc)
{
  size_t i;
  for (i = 0; i < n; ++i)
    volts[i] = adc_to_mv(raw[i], range, maxAdc) / 1000.0;
}

static inline int capi_is_power_status(PICO_STATUS s)
{
  return s == PICO_POWER_SUPPLY_CONNECTED || s == PICO_POWER_SUPPLY_NOT_CONNECTED ||
         s == PICO_USB3_0_DEVICE_NON_USB3_0_PORT || s == PICO_POWER_SUPPLY_UNDERVOLTAGE;
}

/* ---------------------------------------------------------------- time */

static inline void sleep_ms(unsigned ms)
{
  struct timespec ts;
  ts.tv_sec = (time_t)(ms / 1000u);
  ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* Monotonic time in seconds. */
static inline double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------- signal analysis */

static inline void minmax_d(const double *v, size_t n, double *mn, double *mx)
{
  size_t i;
  *mn = INFINITY;
  *mx = -INFINITY;
  for (i = 0; i < n; ++i) {
    if (v[i] < *mn)
      *mn = v[i];
    if (v[i] > *mx)
      *mx = v[i];
  }
}

/* Times (seconds from sample 0) of rising crossings of `level`, with hysteresis `hyst`: a crossing
 * counts once the signal has been below level - hyst since the previous one; its time is
 * interpolated linearly between the two samples around the level. Returns the number found
 * (at most maxTimes are stored). */
static inline size_t rising_crossings(const double *v, size_t n, double dt, double level, double hyst,
                                      double *times, size_t maxTimes)
{
  size_t i, found = 0;
  int armed = 0;
  for (i = 1; i < n; ++i) {
    if (v[i - 1] < level - hyst)
      armed = 1;
    if (armed && v[i - 1] < level && v[i] >= level) {
      double frac = (level - v[i - 1]) / (v[i] - v[i - 1]);
      if (found < maxTimes)
        times[found] = ((double)(i - 1) + frac) * dt;
      ++found;
      armed = 0;
    }
  }
  return found;
}

/* Frequency from the rising crossings of `level` (Hz), 0 if fewer than two were found. */
static inline double estimate_frequency(const double *v, size_t n, double dt, double level, double hyst)
{
  double *t = (double *)malloc(sizeof(double) * (n / 2 + 2));
  size_t k;
  double f = 0.0;
  if (t == NULL)
    return 0.0;
  k = rising_crossings(v, n, dt, level, hyst, t, n / 2 + 2);
  if (k > n / 2 + 2)
    k = n / 2 + 2;
  if (k >= 2 && t[k - 1] > t[0])
    f = (double)(k - 1) / (t[k - 1] - t[0]);
  free(t);
  return f;
}

typedef struct {
  double amplitude; /* peak, same unit as the samples */
  double phase;     /* rad, of sin(2 pi f t + phase) */
  double offset;
  double rmsResidual;
} SineFit;

/* Least-squares fit of v[i] = a sin(w t) + b cos(w t) + c with t = (t0Index + i) dt at the known
 * frequency. Returns 0 on success. */
static inline int sine_fit(const double *v, size_t n, double dt, double freq, double t0Index, SineFit *out)
{
  double m[3][4] = { { 0 } };
  double w = 2.0 * M_PI * freq;
  double sol[3];
  double ss = 0.0;
  size_t i;
  int r, c, k;
  if (n < 4)
    return -1;
  for (i = 0; i < n; ++i) {
    double t = (t0Index + (double)i) * dt;
    double row[3];
    row[0] = sin(w * t);
    row[1] = cos(w * t);
    row[2] = 1.0;
    for (r = 0; r < 3; ++r) {
      for (c = 0; c < 3; ++c)
        m[r][c] += row[r] * row[c];
      m[r][3] += row[r] * v[i];
    }
  }
  /* Gaussian elimination with partial pivoting on the 3x3 normal equations */
  for (k = 0; k < 3; ++k) {
    int piv = k;
    for (r = k + 1; r < 3; ++r)
      if (fabs(m[r][k]) > fabs(m[piv][k]))
        piv = r;
    if (fabs(m[piv][k]) < 1e-12)
      return -1;
    if (piv != k)
      for (c = 0; c < 4; ++c) {
        double tmp = m[k][c];
        m[k][c] = m[piv][c];
        m[piv][c] = tmp;
      }
    for (r = k + 1; r < 3; ++r) {
      double f = m[r][k] / m[k][k];
      for (c = k; c < 4; ++c)
        m[r][c] -= f * m[k][c];
    }
  }
  for (k = 2; k >= 0; --k) {
    double s = m[k][3];
    for (c = k + 1; c < 3; ++c)
      s -= m[k][c] * sol[c];
    sol[k] = s / m[k][k];
  }
  for (i = 0; i < n; ++i) {
    double t = (t0Index + (double)i) * dt;
    double e = v[i] - (sol[0] * sin(w * t) + sol[1] * cos(w * t) + sol[2]);
    ss += e * e;
  }
  out->amplitude = sqrt(sol[0] * sol[0] + sol[1] * sol[1]);
  out->phase = atan2(sol[1], sol[0]);
  out->offset = sol[2];
  out->rmsResidual = sqrt(ss / (double)n);
  return 0;
}

/* Difference of two phases wrapped into (-pi, pi]. */
static inline double phase_diff(double a, double b)
{
  double d = fmod(a - b, 2.0 * M_PI);
  if (d > M_PI)
    d -= 2.0 * M_PI;
  if (d <= -M_PI)
    d += 2.0 * M_PI;
  return d;
}

/* ---------------------------------------------------------------- unit helpers */

/* Opens the first unit the way the vendor examples do: OpenUnit, and on the power-source codes
 * 0x11A / 0x11E (valid handle) accept the situation with ChangePowerSource(h, same code).
 * Returns the OpenUnit status; *handle > 0 when a unit is usable. */
#ifndef CAPI_PS2000A
static inline PICO_STATUS capi_open_unit(int16_t *handle, PS5000A_DEVICE_RESOLUTION resolution)
{
  PICO_STATUS st = ps5000aOpenUnit(handle, NULL, resolution);
  if ((st == PICO_POWER_SUPPLY_NOT_CONNECTED || st == PICO_USB3_0_DEVICE_NON_USB3_0_PORT) && *handle > 0)
    ps5000aChangePowerSource(*handle, st);
  return st;
}
#endif

#endif
