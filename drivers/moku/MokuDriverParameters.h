// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The Moku Datalogger driver's settings and actions: the keys session files, `benchscope-rec
// --set` and the panel use. Declared here once so that the driver, the GUI and the tests agree.
//
// Keys (n = 1 … 8; inputs/outputs 3–4 exist on Moku:Pro and Moku:Delta, 5–8 on Moku:Delta only,
// shown once `model` says so):
//   Connection  force_connect, bridge, mokucli, timeout, deploy_timeout, owned_by_other (hidden)
//   Device      model, mokuos, name, serial (read-only, from describe / name / serial_number)
//   Input n     in<n>_enable, in<n>_impedance, in<n>_coupling, in<n>_range, in<n>_bandwidth
//   Acquisition mode, rate, actual_rate (read-only), duration, trigger_source, trigger_level
//   Output n    out<n>_type, out<n>_amplitude, out<n>_frequency, out<n>_offset, out<n>_phase,
//               out<n>_duty, out<n>_symmetry, out<n>_dc_level, out<n>_edge_time,
//               out<n>_pulse_width, out<n>_termination
//   Logging     log_duration, log_delay, log_prefix, log_comments, log_download, log_convert,
//               download_folder (empty: Instrument::outputFolder()), log_file (read-only),
//               settings_file
// Actions: take_over (enabled by owned_by_other), log_start, log_stop, log_download, save_settings, load_settings, sync_phase.

#include "ParameterSet.h"

#include <QVector>

namespace bs::moku {

/// Highest input/output number of any model (Moku:Delta).
constexpr int maxChannels = 8;

/// Adds every setting above to `params` and every action to `actions`, with their defaults
/// (a Moku:Go-friendly start: inputs 1–2 on, 10 Vpp, DC, 1 MΩ; 1 kSa/s Normal; outputs off).
void addParameters(ParameterSet &params, QVector<ActionSpec> &actions);

/// "in3_range" → 3 with `field` "range" and `output` false; 0 for a key that is not per channel.
int channelOfKey(const QString &key, QString *field = nullptr, bool *output = nullptr);

} // namespace bs::moku
