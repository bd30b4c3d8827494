// The workloads of `arbiter bench`: a few request templates of the requested GRPO shape, built
// from the group templates of groups.h (or replayed from a JSON Lines file of groups), that the
// transports re-send with fresh tags.
//
//   sat, code, beam, math   one verifier (groups.h says what each group holds)
//   shaping                 sat groups with unlikeliness + z-score shaping on every request
//   null                    transport only (see NullGroup for the stand-in)
//   mixed                   groups rotate sat, math, beam, code within each request
//   pathological            code groups with hostile programs mixed in
//   replay                  groups read from --replay (one `Group` per line, proto3 JSON)
//
// Thread-safety: BuildWorkload calls the server (Generate) through a thread-safe Client.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"
#include "client/cli/bench/groups.h"
#include "client/client.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli::bench {

struct WorkloadSpec {
  std::string name = "sat";
  Shape shape;
  // Saturn JSONL files or directories for the sat groups; empty = the team data, else Generate.
  std::vector<std::string> sat_inputs;
  // The replay workload's file.
  std::string replay_path;
  // Distinct request templates (tasks rotate across them).
  int templates = 16;
};

struct Workload {
  std::string name;
  // What a reader of the report must know (a stand-in, a limit that does not apply, ...).
  std::string note;
  std::vector<v1::ScoreRequest> requests;
  // labels[r][g]: the per-sample label of group g of requests[r].
  std::vector<std::vector<nlohmann::json>> labels;
  // Non-empty: the workload cannot be sent per sample over HTTP, and why.
  std::string http_refusal;
};

// "sat, code, ..." for messages and --help.
std::string WorkloadNames();

// INVALID_ARGUMENT for an unknown name or a replay file that is not groups (file:line named);
// the server's error when Generate fails (beam golds, and sat tasks when no Saturn data is found).
absl::StatusOr<Workload> BuildWorkload(const WorkloadSpec& spec, const Client& client);

}  // namespace arbiter::client::cli::bench
