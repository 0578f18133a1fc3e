#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# How much of a core the GUI thread of `benchscope --demo --run` uses (issue 14's goal: < 20 %).
# Starts the demo (every simulator) under a virtual X server, waits WARM seconds, then reads the
# main thread's utime+stime from /proc over SECONDS and prints it as % of one core, with the
# whole process beside it.  Usage: bench/demo_gui_cpu.sh [BUILD_DIR] [WARM] [SECONDS]
set -euo pipefail
build=${1:-build}
warm=${2:-15}
seconds=${3:-30}
command -v xvfb-run > /dev/null || { echo "needs xvfb-run (apt-get install xvfb)" >&2; exit 2; }
xvfb-run -a -s "-screen 0 1600x1000x24" "$build/src/app/benchscope" --demo --run > /dev/null 2>&1 &
runner=$!
pid=""
for _ in $(seq 1 50); do
    pid=$(pgrep -P "$(pgrep -P $runner | head -1 || true)" -x benchscope 2> /dev/null || pgrep -n -x benchscope || true)
    [ -n "$pid" ] && break
    sleep 0.2
done
[ -n "$pid" ] || { echo "benchscope did not start" >&2; exit 1; }
sleep "$warm"
tck=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "$1"; }
t1=$(ticks /proc/$pid/task/$pid/stat); p1=$(ticks /proc/$pid/stat)
sleep "$seconds"
t2=$(ticks /proc/$pid/task/$pid/stat); p2=$(ticks /proc/$pid/stat)
kill "$pid"
wait "$runner" 2> /dev/null || true
awk -v t=$((t2 - t1)) -v p=$((p2 - p1)) -v hz="$tck" -v s="$seconds" 'BEGIN {
    printf "GUI thread: %.1f %% of a core (goal < 20 %%: %.2fx); whole process: %.1f %%, over %d s\n",
        100 * t / hz / s, (100 * t / hz / s) / 20, 100 * p / hz / s, s }'
