// The load driver of `arbiter bench`: sends calls through a Transport in closed loop (a fixed
// number in flight, the next sent when one ends) or open loop (calls scheduled at a fixed rate,
// whatever the server does), and tallies what comes back.
//
// Open loop measures each call's latency from its *scheduled* send time, so a server that falls
// behind cannot hide the queueing (coordinated omission): when the in-flight cap is reached the
// send waits, and that wait is part of the latency (the call is counted in `late_sends`).
// Closed loop measures from the actual send. Latency percentiles cover successful calls only;
// failures are counted by code.
//
// Bounded by construction: at most `requests` calls, none started after `duration`, each with
// the transport's deadline, at most `concurrency` in flight.
//
// Thread-safety: RunLoad blocks the caller until every call it started has ended.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "client/cli/bench/transport.h"

namespace arbiter::client::cli::bench {

struct LoadPlan {
  int64_t requests = 200;
  absl::Duration duration = absl::Seconds(60);
  // Closed loop: calls in flight. Open loop: the most in flight before sends wait.
  int concurrency = 4;
  // > 0: open loop at this many calls per second.
  double rate = 0;
  // Call numbers start here (warm-up runs use a disjoint range, so tags never repeat).
  uint64_t first_call = 0;
  // A live progress line on stderr, once a second.
  bool progress = false;
};

struct LoadResult {
  double wall_seconds = 0;
  std::vector<double> latencies_ms;  // successful calls
  int64_t ok = 0;
  int64_t failed = 0;
  std::map<std::string, int64_t> errors;  // code → calls
  std::string first_error;
  int64_t outcomes[5] = {0, 0, 0, 0, 0};
  int64_t cached = 0;
  int64_t group_errors = 0;
  int64_t items = 0;  // samples of successful calls
  double groups = 0;  // groups of successful calls
  int64_t late_sends = 0;
};

LoadResult RunLoad(Transport& transport, const LoadPlan& plan);

}  // namespace arbiter::client::cli::bench
