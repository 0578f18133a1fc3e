// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoSimUnit.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"

namespace picosim {

namespace {

constexpr int kMaxUnits = 8;

struct Registry {
  std::mutex mutex;
  std::array<std::shared_ptr<Unit>, kMaxUnits> slots;  // by simulated unit number
  int16_t nextHandle = 1;
  // Library unload / process exit with units still open: stop their worker threads.
  ~Registry() {
    for (auto &u : slots)
      if (u) shutdownWorker(*u);
  }
};

Registry &registry() {
  static Registry r;
  return r;
}

std::string serialOf(int slot) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "SIM00/%04d", slot + 1);
  return buf;
}

}  // namespace

Ps Unit::deviceTime() const {
  const auto elapsed = std::chrono::steady_clock::now() - opened;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count() * kPsPerNs;
}

int Unit::enabledCount() const {
  int n = 0;
  for (const ChannelSettings &c : channels) n += c.enabled ? 1 : 0;
  return n;
}

unsigned Unit::enabledMask() const {
  unsigned m = 0;
  for (int i = 0; i < kAnalogChannels; ++i) m |= channels[size_t(i)].enabled ? 1u << i : 0u;
  return m;
}

Status Unit::powerBlock() const {
  if (powerAccepted) return PICO_OK;
  switch (power) {
    case PowerSetting::Usb: return PICO_POWER_SUPPLY_NOT_CONNECTED;
    case PowerSetting::Usb2: return PICO_USB3_0_DEVICE_NON_USB3_0_PORT;
    default: return PICO_POWER_SUPPLY_CONNECTED;
  }
}

std::array<SourceContext, kSources> Unit::sourceSnapshot(const Settings &s) const {
  std::array<SourceContext, kSources> out;
  for (int i = 0; i < kSources; ++i) {
    SourceContext &c = out[size_t(i)];
    c.spec = s.signal[size_t(i)];
    c.siggen = siggen;
    c.seed = s.seed ^ (uint64_t(slot) << 40);
    c.channel = i;
    c.acCoupled = i < kAnalogChannels && channels[size_t(i)].coupling == CouplingAC;
  }
  return out;
}

std::array<FrontEnd, kSources> Unit::frontEndSnapshot() const {
  std::array<FrontEnd, kSources> out;
  for (int i = 0; i < kAnalogChannels; ++i) {
    const ChannelSettings &c = channels[size_t(i)];
    out[size_t(i)] = FrontEnd::make(c.range, c.offset, resolution);
  }
  out[SrcExt] = FrontEnd::ext();
  return out;
}

std::shared_ptr<Unit> findUnit(int16_t handle) {
  if (handle <= 0) return nullptr;
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  for (auto &u : r.slots)
    if (u && u->handle == handle) return u;
  return nullptr;
}

std::shared_ptr<Unit> findUnitBySerial(const char *serial) {
  if (!serial) return nullptr;
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  for (auto &u : r.slots)
    if (u && u->serial == serial) return u;
  return nullptr;
}

int32_t streamingStats(const char *serial, uint64_t *produced, uint64_t *lost) {
  auto u = findUnitBySerial(serial);
  if (!u) return -1;
  std::lock_guard lk(u->mutex);
  const StreamCounts c = u->streamCounts;
  if (!c.valid) return -1;
  if (produced) *produced = c.stopped ? uint64_t(c.produced) : 0;
  if (lost) *lost = uint64_t(c.lost);
  return c.stopped ? 0 : 1;
}

std::string unitSerials(int units) {
  std::string out;
  for (int i = 0; i < units && i < kMaxUnits; ++i) out += (i ? "," : "") + serialOf(i);
  return out;
}

Status openUnit(const char *serial, int resolution, std::shared_ptr<Unit> &unit) {
  const Settings s = currentSettings();
  const Model &m = model();
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  int slot = -1;
  for (int i = 0; i < s.units && i < kMaxUnits; ++i) {
    if (r.slots[size_t(i)]) continue;
    if (serial && std::strcmp(serial, serialOf(i).c_str()) != 0) continue;
    slot = i;
    break;
  }
  if (slot < 0) return PICO_NOT_FOUND;
  auto u = std::make_shared<Unit>();
  u->slot = slot;
  u->serial = serialOf(slot);
  const Variant *variant = m.findVariant(s.variant.empty() ? m.defaultVariant : s.variant);
  if (!variant) variant = &m.variants[0];  // (the settings parser accepts listed variants only)
  u->variant = variant->name;
  u->channelCount = variant->channels;
  u->model = m.forVariant(*variant);
  u->opened = std::chrono::steady_clock::now();
  u->memory = s.memory ? s.memory : m.defaultMemory;
  u->resolution = resolution;
  // Power-on default: DC, 5 V range, as many channels enabled as the resolution allows.
  for (int i = std::min(maxChannelsForResolution(resolution), u->channelCount); i < kAnalogChannels; ++i)
    u->channels[size_t(i)].enabled = false;
  u->segments.resize(1);
  // Only 4-channel 5000 units have a DC supply input, only 5000D units are USB 3 devices (§9).
  u->power = !m.hasPowerStates                                            ? PowerSetting::Dc
             : s.power == PowerSetting::Usb && !variant->dcSupplyInput ? PowerSetting::Dc
             : s.power == PowerSetting::Usb2 && !variant->usb3         ? PowerSetting::Dc
                                                                        : s.power;
  u->powerAccepted = u->power == PowerSetting::Dc;
  if (u->power == PowerSetting::Usb) {  // C and D are unavailable on USB power
    u->channels[SrcC].enabled = false;
    u->channels[SrcD].enabled = false;
  }
  // Handles are unique while open; they keep counting up across open/close.
  for (;;) {
    const int16_t h = r.nextHandle;
    r.nextHandle = int16_t(r.nextHandle >= 32000 ? 1 : r.nextHandle + 1);
    bool used = false;
    for (auto &other : r.slots) used |= other && other->handle == h;
    if (!used) {
      u->handle = h;
      break;
    }
  }
  u->worker = std::thread(workerLoop, u);
  r.slots[size_t(slot)] = u;
  unit = u;
  return u->powerAccepted ? PICO_OK : u->powerBlock();
}

Status closeUnit(int16_t handle) {
  std::shared_ptr<Unit> u;
  {
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    for (auto &slot : r.slots)
      if (slot && slot->handle == handle) {
        u = slot;
        slot.reset();
      }
  }
  if (!u) return PICO_INVALID_HANDLE;
  shutdownWorker(*u);
  return PICO_OK;
}

void closeAllUnits() {
  std::array<std::shared_ptr<Unit>, kMaxUnits> all;
  {
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    all.swap(r.slots);
  }
  for (auto &u : all)
    if (u) shutdownWorker(*u);
}

}  // namespace picosim
