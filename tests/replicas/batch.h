// The replica tests' workload: a fixed batch of deterministic groups (SAT and math: same input,
// same verdict, on any replica, any number of times), written as JSON Lines for the Python
// client, and the check that a response scores every group exactly as a reference did.
//
// Thread-safety: free functions; Reference is immutable once built.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::replicas {

// `sat_groups` SAT groups (8 completions: each 3-variable assignment of a fixed formula family,
// some boxed wrongly or not at all) and `math_groups` math groups (gold = the group's number;
// right, wrong, equivalent and unboxed answers). Group ids are unique ("sat-3", "math-7").
std::vector<v1::Group> MakeBatch(int sat_groups, int math_groups);

// group_id -> the response's GroupResult of that group, from a reference scoring.
using Reference = absl::flat_hash_map<std::string, v1::GroupResult>;
// FAILED_PRECONDITION unless `response` scores every group of `batch` (OK status, one result
// per sample, no INFRA_ERROR) and holds CORRECT, INCORRECT and NO_ANSWER samples alike, so a
// comparison with it can tell scorings apart.
absl::Status MakeReference(const std::vector<v1::Group>& batch, const v1::ScoreResponse& response,
                           Reference* reference);

// OK when `results` has one OK result per group of `batch`, in order, with the reference's
// outcome and score for every sample; else FAILED_PRECONDITION naming the first difference.
absl::Status MatchesReference(const std::vector<v1::Group>& batch,
                              const std::vector<v1::GroupResult>& results,
                              const Reference& reference);

// The batch as JSON Lines (one proto3-JSON Group per line) at `path`.
absl::Status WriteJsonLines(const std::vector<v1::Group>& batch, const std::string& path);

}  // namespace arbiter::replicas
