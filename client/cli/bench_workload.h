// The workload of `arbiter bench`: GRPO-shaped SAT batches built from Saturn rows.
//
// A request holds `batch` samples in groups of `group_size` (one task, G completions). Each
// completion is about `completion_bytes` of reasoning-like text ending in Saturn's answer form;
// within a group, half the samples box the planted solution, a quarter box a wrong assignment and
// a quarter give no box, so every outcome path of the verifier is exercised. StampNonce makes
// every request's completions unique, so the server's result cache cannot answer from memory.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::client::cli {

struct SatRow {
  int64_t id = 0;
  int n_sat = 0;
  int k = 0;
  std::string solution;
  std::string clause;
};

struct WorkloadOptions {
  int batch = 256;
  int group_size = 8;
  int completion_bytes = 2048;
  // Send Task.ground_truth as Saturn's row JSON instead of a typed SatTask.
  bool ground_truth = false;
};

// Reads Saturn JSONL files (or the *.jsonl files of directories). INVALID_ARGUMENT naming the file
// and line for a row without id/k/solution/clause; NOT_FOUND when nothing was read.
absl::StatusOr<std::vector<SatRow>> ReadSaturnRows(const std::vector<std::string>& paths);

// Bytes at the start of every completion that StampNonce overwrites.
inline constexpr int kNonceBytes = 24;

// A request of options.batch samples using rows[first_row...] (wrapping around).
v1::ScoreRequest BuildRequest(const std::vector<SatRow>& rows, size_t first_row,
                              const WorkloadOptions& options);

// Overwrites each completion's first kNonceBytes with a tag unique to (request_number, sample).
void StampNonce(uint64_t request_number, v1::ScoreRequest* request);

// The q-quantile (0..1) of `values` by nearest rank; sorts `values`. 0 for an empty vector.
double Percentile(std::vector<double>& values, double q);

// True for loopback targets (127.0.0.0/8, localhost, [::1], unix sockets): the load generator
// refuses anything else.
bool IsLoopbackTarget(const std::string& target);

}  // namespace arbiter::client::cli
