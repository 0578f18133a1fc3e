// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoSimModel.h"

#include <cmath>

namespace picosim {

bool Model::knowsFunction(std::string_view name) const {
  for (int i = 0; i < functionCount; ++i)
    if (name == functions[i]) return true;
  return false;
}

const Variant *Model::findVariant(std::string_view name) const {
  auto upper = [](char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; };
  for (int i = 0; i < variantCount; ++i) {
    const std::string_view v = variants[i].name;
    if (v.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < v.size() && same; ++k) same = upper(v[k]) == upper(name[k]);
    if (same) return &variants[i];
  }
  return nullptr;
}

std::string Model::variantNames() const {
  std::string out;
  for (int i = 0; i < variantCount; ++i) out += (i ? ", " : "") + std::string(variants[i].name);
  return out;
}

Model Model::forVariant(const Variant &variant) const {
  Model m = *this;
  m.defaultVariant = variant.name;
  m.awgMaxSize = variant.awgMaxSize;
  m.ddsFrequency = variant.ddsFrequency;
  return m;
}

bool resolutionValid(int resolution) { return resolution >= 0 && resolution <= 4; }

int resolutionBits(int resolution) {
  static constexpr int bits[] = {8, 12, 14, 15, 16};
  return resolutionValid(resolution) ? bits[resolution] : 8;
}

int16_t maxAdcCount(int resolution) { return resolutionBits(resolution) == 8 ? 32512 : 32767; }

int maxChannelsForResolution(int resolution) {
  switch (resolutionBits(resolution)) {
    case 15: return 2;
    case 16: return 1;
    default: return kAnalogChannels;
  }
}

Status timebaseInterval(int resolution, uint32_t tb, int nChannels, Ps *dt) {
  // channelLimit: how many channels the fast timebases below the "regular" row allow.
  auto fast = [&](Ps interval, int channelLimit) -> Status {
    if (nChannels > channelLimit) return PICO_INVALID_TIMEBASE;
    *dt = interval;
    return PICO_OK;
  };
  switch (resolutionBits(resolution)) {
    case 8:
      if (tb <= 2) return fast(Ps(1000) << tb, 1 << tb);  // 1 ns/1 ch, 2 ns/2 ch, 4 ns/4 ch
      *dt = Ps(tb - 2) * 8000;
      return PICO_OK;
    case 12:
      if (tb == 0) return PICO_INVALID_TIMEBASE;
      if (tb <= 3) return fast(Ps(2000) << (tb - 1), 1 << (tb - 1));  // 2/4/8 ns
      *dt = Ps(tb - 3) * 16000;
      return PICO_OK;
    case 14:
    case 15:
      if (tb < 3) return PICO_INVALID_TIMEBASE;
      *dt = Ps(tb - 2) * 8000;
      return PICO_OK;
    default:  // 16 bit
      if (tb < 4) return PICO_INVALID_TIMEBASE;
      *dt = Ps(tb - 3) * 16000;
      return PICO_OK;
  }
}

uint32_t minimumTimebase(int resolution, int nChannels) {
  Ps dt = 0;
  for (uint32_t tb = 0; tb < 8; ++tb)
    if (timebaseInterval(resolution, tb, nChannels < 1 ? 1 : nChannels, &dt) == PICO_OK) return tb;
  return 8;
}

uint32_t timebaseForInterval(int resolution, int nChannels, double seconds) {
  uint32_t best = minimumTimebase(resolution, nChannels);
  Ps dt = 0;
  timebaseInterval(resolution, best, nChannels, &dt);
  const double wantedPs = seconds * double(kPsPerS);
  if (!(wantedPs > double(dt))) return best;
  // Regular rows are linear: interval = (tb - base) * step.
  const bool eightNs = resolutionBits(resolution) == 8 || resolutionBits(resolution) == 14 ||
                       resolutionBits(resolution) == 15;
  const Ps step = eightNs ? 8000 : 16000;
  const uint32_t base = eightNs ? 2 : 3;
  double n = std::llround(wantedPs / double(step));
  if (n < 1) n = 1;
  if (n > double(UINT32_MAX - base)) n = double(UINT32_MAX - base);
  const uint32_t tb = uint32_t(n) + base;
  // The fast rows may be nearer than the first regular one.
  for (uint32_t fastTb = best; fastTb < base + 1; ++fastTb) {
    if (timebaseInterval(resolution, fastTb, nChannels, &dt) != PICO_OK) continue;
    if (std::fabs(double(dt) - wantedPs) < std::fabs(double(step) * n - wantedPs)) best = fastTb;
  }
  timebaseInterval(resolution, best, nChannels, &dt);
  return std::fabs(double(dt) - wantedPs) <= std::fabs(double(step) * n - wantedPs) ? best : tb;
}

}  // namespace picosim
