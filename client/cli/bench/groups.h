// The group templates of `arbiter bench`'s workloads: one task and G completions per group,
// shaped like a GRPO rollout, for each verifier the server hosts.
//
// Every completion starts with kTagPlaceholder: the transports overwrite it, in the encoded
// request, with a tag unique to (call, sample), so the server's result cache cannot answer a
// repeated template from memory (the verifiers ignore text before the answer). Within a group the
// samples cycle through the outcome paths of the verifier (correct, wrong, no answer), so every
// path is exercised. Each template also carries the label a trainer would send per sample to the
// HTTP gateway (spec/trainers.md): the dataset's ground truth, wrapped with the verifier's name.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arbiter/v1/arbiter.pb.h"
#include "client/cli/bench/sat_rows.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli::bench {

// The GRPO shape of a request.
struct Shape {
  int prompts = 32;  // groups per request
  int group_size = 8;
  int tests = 4;  // unit tests per code task
  int completion_bytes = 2048;
};

// 24 bytes: "[" + 16 hex + ":" + 5 hex + "]".
inline constexpr char kTagPlaceholder[] = "[ffffffffffffffff:fffff]";
inline constexpr int kTagBytes = 24;

// Writes the tag of (call, sample) into `out[0..kTagBytes)`.
void WriteTag(uint64_t call, uint32_t sample, char* out);

// Offsets of every kTagPlaceholder in `bytes` (an encoded request or body).
std::vector<size_t> FindTags(const std::string& bytes);

// Overwrites each tag at `offsets` in `bytes` with (call, its ordinal).
void StampTags(uint64_t call, const std::vector<size_t>& offsets, std::string* bytes);

struct GroupTemplate {
  v1::Group group;
  // What a trainer sends per sample as the label: {"verifier", "ground_truth"[, "mode"]}; null
  // when the task has no ground-truth form.
  nlohmann::json label;
};

// A beam task's gold answers (BeamPERL compat strings), from the server's beam generator.
using BeamGold = std::vector<std::string>;

// Group number `index` of each workload; tasks rotate through their inputs by index.
GroupTemplate SatGroup(const std::vector<SatRow>& rows, int index, const Shape& shape);
GroupTemplate BeamGroup(const std::vector<BeamGold>& golds, int index, const Shape& shape);
GroupTemplate MathGroup(int index, const Shape& shape);
// APPS-style stdin tests (a + b); samples cycle correct, correct, wrong, no program.
GroupTemplate CodeGroup(int index, const Shape& shape);
// Code work with hostile programs mixed in: per 8 samples, 4 honest, an infinite loop, a memory
// bomb, a fork bomb and an output flood. Typed task with limits 0.5 s CPU / 2 s wall over gRPC;
// the per-sample label cannot carry limits, so over HTTP the server's defaults apply.
GroupTemplate PathologicalGroup(int index, const Shape& shape);
// Transport only. arbiterd hosts no no-op verifier, so the cheapest honest verification stands
// in: sat on the one-variable formula "A" with a completion of the tag plus "\boxed{1}"
// (--completion_bytes does not apply).
GroupTemplate NullGroup(int index, const Shape& shape);

// A replayed group (a line of `arbiter score`'s input): the tag is put before each completion.
GroupTemplate ReplayedGroup(const v1::Group& group);

}  // namespace arbiter::client::cli::bench
