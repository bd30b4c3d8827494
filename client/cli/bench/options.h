// The flags of `arbiter bench` and their checks.
//
// Thread-safety: not thread-safe; used from the command's thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/cli/bench/driver.h"
#include "client/cli/bench/transport.h"
#include "client/cli/bench/workloads.h"
#include "client/cli/flags.h"

namespace arbiter::client::cli::bench {

struct BenchOptions {
  std::string server;  // gRPC
  std::string http;    // the gateway, for --transport=slime|openrlhf
  std::string transport = "grpc";
  std::string workload = "sat";
  std::string input, replay;  // Saturn rows; groups to replay
  int64_t prompts = 32, group_size = 8, tests = 4, completion_bytes = 2048, batch = 0;
  int64_t requests = 200, warmup = 8, concurrency = 4, connections = 1, templates = 16;
  int64_t http_threads = 1;
  int64_t server_pid = 0;
  double rate = 0;
  absl::Duration duration = absl::Seconds(60), deadline = absl::Seconds(60);
  bool json = false, csv = false;
  std::string sweep;  // "key:v1,v2,..."
};

// Registers every flag of `arbiter bench` on `flags`, writing into `options`.
void AddBenchFlags(FlagSet* flags, BenchOptions* options);

// INVALID_ARGUMENT naming the flag: a non-loopback address, a count out of range, --json with
// --csv, a malformed --sweep.
absl::Status Validate(const BenchOptions& options);

struct Sweep {
  std::string key;  // empty: no sweep
  std::vector<double> values;
};
// Parses "concurrency:1,2,4"; keys: concurrency, rate, connections, prompts, group_size, tests,
// completion_bytes.
absl::StatusOr<Sweep> ParseSweep(const std::string& text);
// `options` with `key` set to `value`.
BenchOptions WithSweepValue(BenchOptions options, const std::string& key, double value);

// The pieces the run is built from.
WorkloadSpec SpecOf(const BenchOptions& options);
TransportOptions TransportOf(const BenchOptions& options);
LoadPlan PlanOf(const BenchOptions& options);

// True for loopback targets (127.0.0.0/8, localhost, [::1], unix sockets): the load generator
// refuses anything else.
bool IsLoopbackTarget(const std::string& target);

// The usage text's description and example.
extern const char kBenchDescription[];
extern const char kBenchExample[];

}  // namespace arbiter::client::cli::bench
