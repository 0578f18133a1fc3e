// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A stand-in for Liquid Instruments' `mokucli` command-line program, for tests and demos against
// the Moku simulator (docs/protocols/moku.md §6, §11). `benchscope-sim` runs it when started under
// the name `mokucli` (a symlink) or as `benchscope-sim mokucli ...`:
//
//   mokucli --version                     a bare version (4.0.3) on stdout
//   mokucli config which                  a config file path on stdout, exit 0
//   mokucli stream --ip-address=H[:P] --stream-id=ID --target=PORT
//                                         listens on 127.0.0.1:PORT at once, fetches the stream
//                                         from the simulator (POST /api/v2/get_chunk, the vendor
//                                         client's nested body) and serves it as NDJSON, `EOS` at
//                                         the end; stderr only on an error (exit 1)
//   mokucli convert FILE.li --format=csv  converts a simulator log file to FILE.csv
//
// It decodes only the simulator's own private payloads (MokuSimulatorFormat.h), never the
// vendor's LI format, which is not public: it works with the simulator only.
// Needs a QCoreApplication; returns the exit code.

#include <QStringList>

namespace bs::moku {

int runMokuCli(const QStringList &args);

/// The version the stand-in reports (what the vendor's client checks: ≥ 4.0.1, bare).
inline constexpr const char *kStandInMokucliVersion = "4.0.3";

} // namespace bs::moku
