// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoSimGuard.h"

#include <atomic>
#include <cstring>
#include <mutex>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"
#include "PicoSimSettings.h"
#include "PicoSimUnit.h"

namespace picosim {

namespace {

std::mutex &apiMutex() {
  static std::mutex m;
  return m;
}

std::atomic<uint64_t> &violations() {
  static std::atomic<uint64_t> v{0};
  return v;
}

// Functions whose injected power status also changes the simulated supply.
bool acquisitionCall(const char *f) {
  return std::strcmp(f, "RunBlock") == 0 || std::strcmp(f, "RunStreaming") == 0 ||
         std::strncmp(f, "GetValues", 9) == 0 || std::strcmp(f, "GetStreamingLatestValues") == 0;
}

void applyInjectedPower(int16_t handle, Status st) {
  PowerSetting p;
  if (st == PICO_POWER_SUPPLY_CONNECTED) p = PowerSetting::Dc;
  else if (st == PICO_POWER_SUPPLY_NOT_CONNECTED) p = PowerSetting::Usb;
  else if (st == PICO_USB3_0_DEVICE_NON_USB3_0_PORT) p = PowerSetting::Usb2;
  else return;
  auto u = findUnit(handle);
  if (!u || !model().hasPowerStates) return;
  u->power = p;
  u->powerAccepted = false;
}

}  // namespace

uint64_t concurrencyViolations() { return violations().load(); }

ApiCall::ApiCall(const char *function, int16_t handle) {
  if (inUserCallback()) {
    status_ = PICO_USER_CALLBACK;
    ++violations();
    return;
  }
  if (!apiMutex().try_lock()) {
    status_ = PICO_DRIVER_FUNCTION;
    ++violations();
    return;
  }
  locked_ = true;
  Status injected = PICO_OK;
  if (takeInjection(function, injected)) {
    status_ = injected;
    if (acquisitionCall(function)) applyInjectedPower(handle, injected);
    return;
  }
  proceed_ = true;
}

ApiCall::~ApiCall() {
  if (locked_) apiMutex().unlock();
}

}  // namespace picosim
