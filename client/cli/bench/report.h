// The report of one `arbiter bench` run, as JSON (the canonical form), text, or a CSV row; a
// sweep prints one row per point.
//
// Rates divide by the measured wall time (first send to last answer). "per core" divides
// items/s by the CPUs online: client and server share them on a loopback run, so it is the
// figure comparable with an in-process per-core baseline. Server CPU is known only when the
// server's pid was given (--server_pid, read from /proc).
//
// Thread-safety: pure functions over values.
#pragma once

#include <string>
#include <vector>

#include "client/cli/bench/driver.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli::bench {

struct RunConfig {
  std::string workload, transport, note;
  int concurrency = 0, connections = 1;
  double rate = 0;
  int prompts = 0, group_size = 0, tests = 0, completion_bytes = 0;
  bool reports_cached = true;
};

struct Measured {
  double load_average[3] = {0, 0, 0};  // at the start of the run
  int cpus = 1;
  double client_cpu_seconds = 0;
  double server_cpu_seconds = -1;  // < 0: unknown
};

// Sorts result.latencies_ms.
nlohmann::json ReportJson(const RunConfig& config, const Measured& measured, LoadResult& result);

// Human-readable, a few lines.
std::string ReportText(const nlohmann::json& report);

// One CSV line (no newline) of the report's main fields, in CsvHeader's order.
std::string CsvHeader();
std::string CsvRow(const nlohmann::json& report);

// Text table of a sweep, one line per point.
std::string SweepText(const std::string& key, const std::vector<nlohmann::json>& reports);

// The q-quantile (0..1) of sorted `values` by nearest rank; 0 when empty.
double Percentile(const std::vector<double>& sorted, double q);

}  // namespace arbiter::client::cli::bench
