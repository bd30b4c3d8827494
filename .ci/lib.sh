# Shared by the .ci/ job scripts (sourced, not run): build trees, budgets, ctest selection.
#
# Budgets: every job takes --budget SECONDS. When .ci/run drives the jobs it exports
# ARBITER_CI_DEADLINE (epoch seconds by which the whole CI must be done); a job then gets
# min(its budget, what is left before that deadline). A job that runs out of time stops, prints
# what it did and did not run, and says so in its last line: a budget stop is never reported as
# a pass of the parts that did not run.

ci_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Seconds this job may use: min($1, time left before ARBITER_CI_DEADLINE).
ci_effective_budget() {
  local budget=$1 left
  if [ -n "${ARBITER_CI_DEADLINE:-}" ]; then
    left=$(( ARBITER_CI_DEADLINE - $(date +%s) ))
    [ "$left" -lt "$budget" ] && budget=$left
  fi
  [ "$budget" -lt 0 ] && budget=0
  echo "$budget"
}

# Seconds left until epoch second $1 (never negative).
ci_left() { local l=$(( $1 - $(date +%s) )); [ "$l" -lt 0 ] && l=0; echo "$l"; }

# Configures and builds TARGETS in build tree $1 with cmake args from the array CI_CMAKE_ARGS,
# stopping at epoch second $2. Returns 0 when everything was built, 124 on budget, else the
# build's status. Shares the compiler cache with every other clone and tree (CCACHE_BASEDIR).
ci_build() {
  local tree=$1 until=$2; shift 2
  export CCACHE_BASEDIR="$ci_root" CCACHE_NOHASHDIR=1
  cmake -S "$ci_root" -B "$tree" -G Ninja "${CI_CMAKE_ARGS[@]}" >/dev/null || return $?
  [ $# -gt 0 ] || { echo "ci_build: no target given" >&2; return 2; }
  local targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  local left; left=$(ci_left "$until")
  [ "$left" -gt 0 ] || return 124
  # timeout signals the whole process group (not --foreground: ninja's compilers must stop too).
  local status=0
  timeout -k 10 "$left" cmake --build "$tree" -j "$(nproc)" "${targets[@]}" || status=$?
  # 124 (TERM) or 137 (KILL after the grace): the budget, not the build, ended it.
  if [ "$status" != 0 ] && [ "$(ci_left "$until")" -eq 0 ]; then status=124; fi
  return "$status"
}

# Prints "name<TAB>executable" for every ctest test of tree $1 matching regex $2 (and not the
# regex $3, if given); benchmarks never. The executable is "(not built)" when it does not exist.
ci_tests() {
  ctest --test-dir "$1" -N --show-only=json-v1 -LE benchmark -R "$2" ${3:+-E "$3"} |
    python3 -c 'import json,sys
for t in json.load(sys.stdin)["tests"]:
    print(t["name"] + "\t" + t.get("command", ["(not built)"])[0])'
}

# Runs the tests of tree $1 matching $2 (not $3) whose executables exist, until epoch second $4.
# Prints the ones it could not run (not built within the budget). Returns ctest's status, 124 if
# the budget ended the run, 3 if some were not built.
ci_run_tests() {
  local tree=$1 include=$2 exclude=$3 until=$4 names=() missing=() name exe
  while IFS=$'\t' read -r name exe; do
    if [ -x "$exe" ]; then names+=("$name"); else missing+=("$name"); fi
  done < <(ci_tests "$tree" "$include" "$exclude")
  [ ${#missing[@]} -gt 0 ] && echo "NOT RUN (not built within the budget): ${missing[*]}"
  [ ${#names[@]} -gt 0 ] || { echo "no test was built"; return 3; }
  local regex; regex="^($(IFS='|'; echo "${names[*]}"))\$"
  local left; left=$(ci_left "$until")
  [ "$left" -gt 0 ] || return 124
  local status=0
  timeout -k 10 "$left" \
    ctest --test-dir "$tree" -R "$regex" --output-on-failure -j "$(nproc)" || status=$?
  if [ "$status" != 0 ] && [ "$(ci_left "$until")" -eq 0 ]; then status=124; fi
  [ "$status" -eq 0 ] && [ ${#missing[@]} -gt 0 ] && status=3
  return "$status"
}

# The closing line of a job: "== <job>: PASSED|FAILED|STOPPED (...) in N s".
ci_report() {
  local job=$1 status=$2 started=$3 what=$4 verdict
  case "$status" in
    0) verdict="PASSED" ;;
    124) verdict="STOPPED by its time budget (the parts listed above as not run did not run)" ;;
    3) verdict="INCOMPLETE: some tests were not built within the budget (listed above)" ;;
    *) verdict="FAILED (status $status)" ;;
  esac
  echo "== $job: $verdict; ran: $what; $(( $(date +%s) - started )) s"
}

# The build targets (executables) behind the tests of tree $1 matching $2 (not $3): a fuzz
# target's test is <target>_corpus; tests that run no target of ours (Python) are left out.
ci_test_targets() {
  local name exe
  while IFS=$'\t' read -r name exe; do
    name=${name%_corpus}
    ninja -C "$1" -t query "$name" >/dev/null 2>&1 && echo "$name"
  done < <(ci_tests "$1" "$2" "$3") | sort -u
}
