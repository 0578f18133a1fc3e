#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails (exit 1) if any tracked file of the repository refers to a folder outside it: the project's
# old side folder of specifications and fixtures beside the checkout, CMake paths that climb out of
# the source tree, or an absolute path of the development machine. Prints file:line:text per hit.
# Usage: check_self_contained.sh <source-dir>
set -u
src=${1:?usage: check_self_contained.sh <source-dir>}
cd "$src" || { echo "cannot enter source dir '$src'"; exit 2; }

# Built from pieces so that this script does not match itself.
side=shared
patterns=(
  "\\.\\./${side}([/\"'\`[:space:]]|\$)"                 # the folder beside the repository
  "(^|[^[:alnum:]_./-])${side}/(protocols|fixtures|hooks|DESIGN\\.md)"
  "\\\$\\{(CMAKE|PROJECT|CMAKE_CURRENT)_SOURCE_DIR\\}/\\.\\."  # CMake climbing out of the tree
  "(^|[^[:alnum:]_.-])/w""ork/"                          # an absolute path of the dev machine
)
args=()
for p in "${patterns[@]}"; do args+=(-e "$p"); done

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked files only (as a fresh clone sees them), text files only.
  hits=$(git grep -n -I -E "${args[@]}" -- . ':(exclude)tests/repo/check_self_contained.sh')
else
  # A source tree without git (e.g. an unpacked tarball): every text file except build output.
  hits=$(grep -r -n -I -E "${args[@]}" --exclude-dir='build*' --exclude-dir=.git \
           --exclude=check_self_contained.sh .)
fi

if [[ -n "$hits" ]]; then
  echo "These lines refer to a folder outside the repository; point them at docs/ or tests/data/:"
  echo "$hits"
  echo "$(wc -l <<<"$hits") reference(s) outside the repository"
  exit 1
fi
echo "no reference outside the repository"
