#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Shared set-up for scripts/run, scripts/test and scripts/bench: installs missing Debian 12
# packages, configures and builds BenchScope into build/ (or $BENCHSCOPE_BUILD_DIR).
set -euo pipefail

BS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BS_BUILD="${BENCHSCOPE_BUILD_DIR:-$BS_ROOT/build}"
BS_JOBS="${BENCHSCOPE_JOBS:-2}"

# qt6-websockets-dev: Debian 12's Qt6HttpServer CMake package needs it but does not depend on it.
BS_PACKAGES=(
  g++ cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-serialport-dev qt6-charts-dev qt6-httpserver-dev
  qt6-websockets-dev
  libgl-dev libqt6opengl6-dev libqcustomplot-dev libhdf5-dev hdf5-tools hdf5-filter-plugin python3-h5py
  libfftw3-dev
  libqt6svg6 qt6-svg-dev xvfb xauth
)

bs_install_deps() {
  bs_install_packages "${BS_PACKAGES[@]}"
}

# Installs those of the given Debian packages that are missing.
bs_install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "== installing missing packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

bs_build() {
  local generator=()
  if [ ! -f "$BS_BUILD/CMakeCache.txt" ]; then
    generator=(-G Ninja)
  fi
  cmake -S "$BS_ROOT" -B "$BS_BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$BS_BUILD" -j "$BS_JOBS"
}
