// SPDX-License-Identifier: GPL-3.0-or-later
#include "PicoSimSettings.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "PicoSimModel.h"

namespace picosim {

namespace {

struct Store {
  std::mutex mutex;
  Settings settings;
  std::map<std::string, std::deque<Injection>> injections;  // canonical name -> queue
  std::string error;
  const Model *model = nullptr;
};

Store &store() {
  static Store s;
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool parseDouble(std::string_view text, double &out) {
  const std::string s(trim(text));
  if (s.empty()) return false;
  char *end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v)) return false;
  out = v;
  return true;
}

bool parseUnsigned(std::string_view text, uint64_t &out) {
  const std::string s(trim(text));
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  char *end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 0);  // decimal or 0x hex
  if (end != s.c_str() + s.size() || errno == ERANGE) return false;
  out = v;
  return true;
}

bool splitKeyValue(std::string_view item, std::string &key, std::string_view &value, bool &hasValue) {
  const size_t eq = item.find('=');
  hasValue = eq != std::string_view::npos;
  key = lower(trim(item.substr(0, eq)));
  value = hasValue ? trim(item.substr(eq + 1)) : std::string_view();
  return !key.empty();
}

int channelIndex(std::string_view name) {
  const std::string n = lower(name);
  if (n == "a") return SrcA;
  if (n == "b") return SrcB;
  if (n == "c") return SrcC;
  if (n == "d") return SrcD;
  if (n == "ext") return SrcExt;
  return -1;
}

bool parseInjection(std::string_view value, const Model &model,
                    std::map<std::string, std::deque<Injection>> &injections, std::string &error) {
  const auto parts = split(value, ':');
  if (parts.size() < 2 || parts.size() > 3) {
    error = "inject: expected FUNC:STATUS[:N], got '" + std::string(value) + "'";
    return false;
  }
  std::string func(trim(parts[0]));
  const std::string prefix = model.prefix;
  if (func.size() > prefix.size() && lower(func.substr(0, prefix.size())) == prefix)
    func = func.substr(prefix.size());
  std::string canonical;
  for (int i = 0; i < model.functionCount; ++i)
    if (lower(model.functions[i]) == lower(func)) canonical = model.functions[i];
  if (canonical.empty()) {
    error = "inject: unknown function '" + func + "'";
    return false;
  }
  uint64_t status = 0, count = 1;
  if (!parseUnsigned(parts[1], status) || status > UINT32_MAX) {
    error = "inject: bad status '" + std::string(trim(parts[1])) + "'";
    return false;
  }
  if (parts.size() == 3 && (!parseUnsigned(parts[2], count) || count < 1 || count > UINT32_MAX)) {
    error = "inject: bad count '" + std::string(trim(parts[2])) + "'";
    return false;
  }
  injections[canonical].push_back({Status(status), uint32_t(count)});
  return true;
}

}  // namespace

std::array<SignalSpec, kSources> Settings::defaultSignals() {
  std::array<SignalSpec, kSources> s{};
  s[SrcA].kind = SignalSpec::SigGen;
  s[SrcB] = {SignalSpec::Square, 0, 250, 0.5, 0, 0, 0};
  s[SrcC] = {SignalSpec::Sine, 0, 50, 2, 0, 0, 0.02};
  s[SrcD] = {SignalSpec::Noise, 0, 0, 0.01, 0, 0, 0};
  s[SrcExt].kind = SignalSpec::Off;
  return s;
}

bool parseSignalSpec(std::string_view text, SignalSpec &spec, std::string &error) {
  const auto parts = split(text, ',');
  const std::string kind = lower(trim(parts[0]));
  SignalSpec s;
  if (kind == "off") s.kind = SignalSpec::Off;
  else if (kind == "siggen") s.kind = SignalSpec::SigGen;
  else if (kind == "dc") s.kind = SignalSpec::Dc;
  else if (kind == "sine") s.kind = SignalSpec::Sine;
  else if (kind == "square") s.kind = SignalSpec::Square;
  else if (kind == "triangle") s.kind = SignalSpec::Triangle;
  else if (kind == "noise") s.kind = SignalSpec::Noise;
  else {
    error = "unknown signal kind '" + kind + "'";
    return false;
  }
  const bool periodic = s.kind == SignalSpec::Sine || s.kind == SignalSpec::Square ||
                        s.kind == SignalSpec::Triangle;
  if (periodic) { s.freq = 1000; s.amp = 1; }
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string key;
    std::string_view value;
    bool hasValue = false;
    if (trim(parts[i]).empty()) continue;
    double v = 0;
    if (!splitKeyValue(parts[i], key, value, hasValue) || !hasValue || !parseDouble(value, v)) {
      error = "bad signal parameter '" + std::string(trim(parts[i])) + "'";
      return false;
    }
    bool ok = true;
    if (key == "noise") ok = v >= 0, s.noise = v;
    else if (key == "level" && s.kind == SignalSpec::Dc) s.level = v;
    else if (key == "freq" && periodic) ok = v > 0, s.freq = v;
    else if (key == "amp" && (periodic || s.kind == SignalSpec::Noise)) ok = v >= 0, s.amp = v;
    else if (key == "offset" && periodic) s.offset = v;
    else if (key == "phase" && periodic) s.phaseDeg = v;
    else {
      error = "parameter '" + key + "' not valid for signal kind '" + kind + "'";
      return false;
    }
    if (!ok) {
      error = "bad value for signal parameter '" + key + "'";
      return false;
    }
  }
  spec = s;
  return true;
}

bool parseSettings(std::string_view text, const Model &model, Settings &base,
                   std::map<std::string, std::deque<Injection>> &injections, bool &resetInjections,
                   std::string &error) {
  for (std::string_view item : split(text, ';')) {
    if (trim(item).empty()) continue;
    std::string key;
    std::string_view value;
    bool hasValue = false;
    splitKeyValue(item, key, value, hasValue);
    auto needValue = [&]() {
      if (!hasValue || value.empty()) error = "key '" + key + "' needs a value";
      return hasValue && !value.empty();
    };
    auto bad = [&]() {
      error = "bad value '" + std::string(value) + "' for key '" + key + "'";
      return false;
    };
    uint64_t u = 0;
    double d = 0;
    if (key == "reset") {
      if (hasValue) return bad();
      base = Settings{};
      injections.clear();
      resetInjections = true;
    } else if (!needValue()) {
      return false;
    } else if (key == "units") {
      if (!parseUnsigned(value, u) || u > 8) return bad();
      base.units = int(u);
    } else if (key == "variant") {
      const Variant *v = model.findVariant(value);
      if (!v) {
        error = "unknown variant '" + std::string(value) + "' for " + model.prefix + " (simulated: " +
                model.variantNames() + ")";
        return false;
      }
      base.variant = v->name;
    } else if (key == "power") {
      const std::string v = lower(value);
      if (v == "dc") base.power = PowerSetting::Dc;
      else if (v == "usb") base.power = PowerSetting::Usb;
      else if (v == "usb2") base.power = PowerSetting::Usb2;
      else return bad();
    } else if (key == "inject") {
      if (!parseInjection(value, model, injections, error)) return false;
    } else if (key.rfind("signal.", 0) == 0) {
      const int ch = channelIndex(key.substr(7));
      if (ch < 0) {
        error = "unknown channel in key '" + key + "'";
        return false;
      }
      std::string why;
      if (!parseSignalSpec(value, base.signal[size_t(ch)], why)) {
        error = key + ": " + why;
        return false;
      }
    } else if (key == "seed") {
      if (!parseUnsigned(value, u)) return bad();
      base.seed = u;
    } else if (key == "memory") {
      if (!parseUnsigned(value, u) || u < 1024 || u > (uint64_t(1) << 40)) return bad();
      base.memory = u;
    } else if (key == "overrun_flag") {
      if (value != "0" && value != "1") return bad();
      base.overrunFlag = value == "1";
    } else if (key == "bad_start_index") {
      if (value != "0" && value != "1") return bad();
      base.badStartIndex = value == "1";
    } else if (key == "streaming_max_rate") {
      if (!parseDouble(value, d) || d <= 0) return bad();
      base.streamingMaxRate = d;
    } else if (key == "latency_ms") {
      if (!parseUnsigned(value, u) || u > 600000) return bad();
      base.latencyMs = int(u);
    } else {
      error = "unknown key '" + key + "'";
      return false;
    }
  }
  return true;
}

Settings currentSettings() {
  Store &s = store();
  std::lock_guard lock(s.mutex);
  return s.settings;
}

int32_t configure(const char *text) {
  Store &s = store();
  std::lock_guard lock(s.mutex);
  if (!s.model) {
    s.error = "library not initialised";
    return -1;
  }
  if (!text) {
    s.error = "settings string is NULL";
    return -1;
  }
  Settings next = s.settings;
  std::map<std::string, std::deque<Injection>> added;
  bool reset = false;
  std::string error;
  if (!parseSettings(text, *s.model, next, added, reset, error)) {
    s.error = error;
    return -1;
  }
  s.settings = next;
  if (reset) s.injections.clear();
  for (auto &[name, queue] : added)
    for (const Injection &inj : queue) s.injections[name].push_back(inj);
  s.error.clear();
  return 0;
}

const char *lastError() {
  // The returned pointer stays valid until the next configure() (as documented in picosim.h).
  return store().error.c_str();
}

bool takeInjection(std::string_view function, Status &status) {
  Store &s = store();
  std::lock_guard lock(s.mutex);
  if (s.injections.empty()) return false;
  auto it = s.injections.find(std::string(function));
  if (it == s.injections.end() || it->second.empty()) return false;
  Injection &front = it->second.front();
  status = front.status;
  if (--front.remaining == 0) it->second.pop_front();
  if (it->second.empty()) s.injections.erase(it);
  return true;
}

void initLibrary(const Model &m) {
  Store &s = store();
  {
    std::lock_guard lock(s.mutex);
    if (s.model) return;
    s.model = &m;
  }
  const char *env = std::getenv("PICOSIM");
  if (env && *env && configure(env) != 0)
    std::fprintf(stderr, "%s (simulated): ignoring PICOSIM: %s\n", m.prefix, lastError());
}

const Model &model() { return *store().model; }

}  // namespace picosim
