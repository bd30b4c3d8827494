// Saturn's task rows (the `clause`/`k`/`solution` JSON Lines of Saturn-2.6k), read for the SAT
// workloads of `arbiter bench`.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace arbiter::client::cli::bench {

struct SatRow {
  int64_t id = 0;
  int n_sat = 0;
  int k = 0;
  std::string solution;
  std::string clause;
};

// Reads Saturn JSONL files (or the *.jsonl files of directories). INVALID_ARGUMENT naming the file
// and line for a row without k/solution/clause; NOT_FOUND when nothing was read.
absl::StatusOr<std::vector<SatRow>> ReadSaturnRows(const std::vector<std::string>& paths);

// The Saturn test split shipped with the team data (../shared/data/saturn/test or
// $ARBITER_SHARED_DIR/data/saturn/test), or empty when neither exists.
std::vector<std::string> DefaultSaturnInputs();

}  // namespace arbiter::client::cli::bench
