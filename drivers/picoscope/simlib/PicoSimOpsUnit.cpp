// SPDX-License-Identifier: GPL-3.0-or-later
// API operations: opening and identifying units, power source, resolution, LED.
#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "PicoSimEngine.h"
#include "PicoSimModel.h"
#include "PicoSimOps.h"

namespace picosim::ops {

namespace {

struct AsyncOpen {
  bool pending = false;
  Status status = PICO_NOT_FOUND;
  int16_t handle = 0;
};
AsyncOpen &asyncOpen() {
  static AsyncOpen a;  // only touched under the API lock
  return a;
}

std::string libraryPath() {
  static const int anchor = 0;  // any object inside this library
  Dl_info info{};
  if (dladdr(&anchor, &info) && info.dli_fname) return info.dli_fname;
  return "";
}

Status powerCode(PowerSetting p) {
  switch (p) {
    case PowerSetting::Usb: return PICO_POWER_SUPPLY_NOT_CONNECTED;
    case PowerSetting::Usb2: return PICO_USB3_0_DEVICE_NON_USB3_0_PORT;
    default: return PICO_POWER_SUPPLY_CONNECTED;
  }
}

}  // namespace

Status openUnit(int16_t *handle, const int8_t *serial, int resolution) {
  if (!handle) return PICO_NULL_PARAMETER;
  *handle = 0;
  if (model().hasResolution && !resolutionValid(resolution)) {
    *handle = -1;
    return PICO_INVALID_DEVICE_RESOLUTION;
  }
  std::shared_ptr<Unit> u;
  const Status st = picosim::openUnit(reinterpret_cast<const char *>(serial), resolution, u);
  if (u) *handle = u->handle;
  return st;
}

Status openUnitAsync(int16_t *status, const int8_t *serial, int resolution) {
  if (!status) return PICO_NULL_PARAMETER;
  AsyncOpen &a = asyncOpen();
  if (a.pending) {
    *status = 0;  // another open operation is in progress
    return PICO_OPEN_OPERATION_IN_PROGRESS;
  }
  a.status = openUnit(&a.handle, serial, resolution);
  a.pending = true;
  *status = 1;
  return PICO_OK;
}

Status openUnitProgress(int16_t *handle, int16_t *progress, int16_t *complete) {
  if (!handle) return PICO_NULL_PARAMETER;
  AsyncOpen &a = asyncOpen();
  if (!a.pending) {
    *handle = 0;
    return PICO_NOT_FOUND;
  }
  a.pending = false;
  *handle = a.handle;
  if (progress) *progress = 100;
  if (complete) *complete = 1;
  return a.status;
}

Status enumerateUnits(int16_t *count, int8_t *serials, int16_t *serialLth) {
  if (!count) return PICO_NULL_PARAMETER;
  const Settings s = currentSettings();
  const std::string list = unitSerials(s.units);
  *count = int16_t(s.units);
  if (!serialLth) return PICO_OK;
  const int16_t capacity = *serialLth;
  *serialLth = int16_t(list.size());
  if (!serials) return PICO_OK;
  if (capacity < int16_t(list.size() + 1)) {
    if (capacity > 0) {
      std::memcpy(serials, list.data(), size_t(capacity - 1));
      serials[capacity - 1] = 0;
    }
    return PICO_STRING_BUFFER_TO_SMALL;
  }
  std::memcpy(serials, list.c_str(), list.size() + 1);
  return PICO_OK;
}

Status getUnitInfo(int16_t handle, int8_t *string, int16_t length, int16_t *required, uint32_t info) {
  const Model &m = model();
  auto u = findUnit(handle);
  if (!u && info != PICO_DRIVER_VERSION) return PICO_INVALID_HANDLE;
  std::string text;
  switch (info) {
    case PICO_DRIVER_VERSION: text = m.driverVersion; break;
    case PICO_USB_VERSION: text = u->power == PowerSetting::Usb2 ? "2.0" : "3.0"; break;
    case PICO_HARDWARE_VERSION: text = m.hardwareVersion; break;
    case PICO_VARIANT_INFO: text = u->variant; break;
    case PICO_BATCH_AND_SERIAL: text = u->serial; break;
    case PICO_CAL_DATE: text = "01Jan24"; break;
    case PICO_KERNEL_VERSION: text = "1.0"; break;
    case PICO_DIGITAL_HARDWARE_VERSION: text = "1"; break;
    case PICO_ANALOGUE_HARDWARE_VERSION: text = "1"; break;
    case PICO_FIRMWARE_VERSION_1: text = m.firmware1; break;
    case PICO_FIRMWARE_VERSION_2: text = m.firmware2; break;
    case PICO_MAC_ADDRESS: text = "00:00:00:00:00:00"; break;
    case PICO_SHADOW_CAL: text = "0"; break;
    case PICO_IPP_VERSION: text = "1.0.0"; break;
    case PICO_DRIVER_PATH: text = libraryPath(); break;
    case PICO_FIRMWARE_VERSION_3: text = m.firmware3; break;
    case PICO_FRONT_PANEL_FIRMWARE_VERSION: text = "1.0.0.0"; break;
    case PICO_BOOTLOADER_VERSION: text = "1.0.0.0"; break;
    default: return PICO_INVALID_INFO;
  }
  const int16_t need = int16_t(std::min<size_t>(text.size() + 1, 32767));
  if (required) *required = need;
  if (!string) return PICO_OK;
  if (length <= 0) return PICO_STRING_BUFFER_TO_SMALL;
  const size_t n = std::min<size_t>(text.size(), size_t(length - 1));
  std::memcpy(string, text.data(), n);
  string[n] = 0;
  return length < need ? PICO_STRING_BUFFER_TO_SMALL : PICO_OK;
}

Status flashLed(int16_t handle, int16_t start) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  u->ledFlashes = start;
  u->ledUntil = std::chrono::steady_clock::now() + std::chrono::milliseconds(500) * std::max<int>(start, 0);
  return PICO_OK;
}

Status isLedFlashing(int16_t handle, int16_t *status) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!status) return PICO_NULL_PARAMETER;
  *status = u->ledFlashes < 0 || (u->ledFlashes > 0 && std::chrono::steady_clock::now() < u->ledUntil);
  return PICO_OK;
}

Status closeUnit(int16_t handle) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  stopAcquisition(*u);
  return picosim::closeUnit(handle);
}

Status pingUnit(int16_t handle) { return findUnit(handle) ? PICO_OK : PICO_INVALID_HANDLE; }

Status notSupported(int16_t handle) { return findUnit(handle) ? PICO_NOT_SUPPORTED_BY_THIS_DEVICE : PICO_INVALID_HANDLE; }

Status setDeviceResolution(int16_t handle, int resolution) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!resolutionValid(resolution)) return PICO_INVALID_DEVICE_RESOLUTION;
  if (u->enabledCount() > maxChannelsForResolution(resolution)) return PICO_INVALID_NUMBER_CHANNELS_FOR_RESOLUTION;
  stopAcquisition(*u);
  u->resolution = resolution;
  return PICO_OK;
}

Status getDeviceResolution(int16_t handle, int *resolution) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!resolution) return PICO_NULL_PARAMETER;
  *resolution = u->resolution;
  return PICO_OK;
}

Status changePowerSource(int16_t handle, Status state) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  if (!model().hasPowerStates) return PICO_NOT_SUPPORTED_BY_THIS_DEVICE;
  if (state != powerCode(u->power)) return PICO_POWER_SUPPLY_REQUEST_INVALID;
  u->powerAccepted = true;
  if (u->power == PowerSetting::Usb) {
    u->channels[SrcC].enabled = false;
    u->channels[SrcD].enabled = false;
  }
  return PICO_OK;
}

Status currentPowerSource(int16_t handle) {
  auto u = findUnit(handle);
  if (!u) return PICO_INVALID_HANDLE;
  return u->power == PowerSetting::Usb ? PICO_POWER_SUPPLY_NOT_CONNECTED : PICO_POWER_SUPPLY_CONNECTED;
}

Status checkForUpdate(int16_t handle, int16_t *current, int16_t *update, uint16_t *required) {
  if (!findUnit(handle)) return PICO_INVALID_HANDLE;
  if (!required) return PICO_NULL_PARAMETER;
  const int16_t version[4] = {1, 7, 5, 0};
  if (current) std::memcpy(current, version, sizeof version);
  if (update) std::memcpy(update, version, sizeof version);
  *required = 0;  // the simulated firmware is always current
  return PICO_OK;
}

}  // namespace picosim::ops
