// SPDX-License-Identifier: GPL-3.0-or-later
// Entry guard of every exported function: one API call at a time per process (a concurrent call
// gets PICO_DRIVER_FUNCTION), no calls from inside a Ready callback (PICO_USER_CALLBACK), and
// injected statuses (PICOSIM inject=FUNC:STATUS[:N]).
#pragma once

#include <cstdint>
#include <cstring>
#include <utility>

#include "PicoSimTypes.h"

namespace picosim {

uint64_t concurrencyViolations();

class ApiCall {
 public:
  // `function` without the library prefix; `handle` lets injected power statuses reach the unit.
  ApiCall(const char *function, int16_t handle);
  ~ApiCall();
  ApiCall(const ApiCall &) = delete;
  ApiCall &operator=(const ApiCall &) = delete;

  bool proceed() const { return proceed_; }
  Status status() const { return status_; }

 private:
  bool locked_ = false;
  bool proceed_ = false;
  Status status_ = PICO_OK;
};

// The int value of a C enum argument. A C caller may pass any int; reading an out-of-range value
// through the C++ enum type would be undefined, so the bytes are copied instead.
template <class E>
int raw(const E &e) {
  static_assert(sizeof(E) == sizeof(int));
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

template <class F>
Status guarded(const char *function, int16_t handle, F &&body) {
  ApiCall call(function, handle);
  if (!call.proceed()) return call.status();
  return std::forward<F>(body)();
}

}  // namespace picosim
