#!/usr/bin/env bash
# End-to-end SAT benchmark over gRPC on loopback: starts arbiterd on 127.0.0.1:0, waits until it
# is SERVING, runs `arbiter bench` against it, then stops the server with SIGTERM.
#
#   bench/e2e.sh BUILD_DIR [arbiter bench flags...]
#   bench/e2e.sh build --batch=256 --requests=400 --concurrency=4
#
# Extra server flags go in ARBITERD_FLAGS (e.g. ARBITERD_FLAGS="--cache_entries=0").
set -euo pipefail
build=${1:?usage: bench/e2e.sh BUILD_DIR [arbiter bench flags...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# shellcheck disable=SC2086
"$build/server/arbiterd" --address=127.0.0.1:0 --port_file="$scratch/port" --metrics_address= \
  ${ARBITERD_FLAGS:-} 2>"$scratch/arbiterd.log" &
server_pid=$!
for _ in $(seq 1 600); do  # up to 60 s
  [[ -s "$scratch/port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/arbiterd.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$scratch/port" ]] || { echo "arbiterd wrote no port file" >&2; exit 1; }
server="127.0.0.1:$(cat "$scratch/port")"
for _ in $(seq 1 300); do
  "$build/client/arbiter" health --server="$server" --timeout=1s >/dev/null 2>&1 && break
  sleep 0.1
done
"$build/client/arbiter" health --server="$server"
input_flag=()
if [[ -d "$here/../../shared/data/saturn/test" ]]; then
  input_flag=(--input="$here/../../shared/data/saturn/test")
fi
server_cpu() {  # utime + stime of arbiterd, in clock ticks
  awk '{print $14 + $15}' "/proc/$server_pid/stat"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
before=$(server_cpu)
/usr/bin/time -f "client CPU: %U s user + %S s sys; %e s wall" \
  "$build/client/arbiter" bench --server="$server" "${input_flag[@]}" "$@"
after=$(server_cpu)
awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "server CPU during the run (incl. warm-up): %.2f s\n", t / hz }'
