#!/bin/sh
# Measures the two machine properties that bound a fork-per-test sandbox (see README.md):
# what a page fault costs, and whether fork scales across CPUs. Needs a C compiler.
# Usage: bench/vm/probe.sh [processes, default: the number of CPUs]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc=${CC:-cc}
"$cc" -O2 -o "$out/fault_cost" "$here/fault_cost.c"
"$cc" -O2 -o "$out/fork_scaling" "$here/fork_scaling.c"
echo "machine: $(nproc) CPUs, $(uname -r)"
"$out/fault_cost"
"$out/fork_scaling" "${1:-$(nproc)}"
