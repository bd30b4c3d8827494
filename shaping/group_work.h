// Internal to ShapeBatch: one group's unmasked samples, gathered from the request and the
// verifier's results, shaped by the reward stages, then written back. Not part of the API.
//
// Masking: INFRA_ERROR samples are left out of `index` and every vector here, so they take no
// part in ranks, means, stds or skip filters; WriteGroup() gives them reward = score, advantage 0.
// Thread-compatible: one GroupWork per group, used by one thread.
#pragma once

#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "arbiter/v1/arbiter.pb.h"
#include "shaping/normalize.h"

namespace arbiter::shaping::internal {

template <typename T>
using GroupVector = absl::InlinedVector<T, 64>;

struct GroupWork {
  v1::GroupResult* result = nullptr;
  const v1::Group* group = nullptr;
  int group_index = 0;
  v1::Shaping resolved;
  bool verifier_advantages = false;       // the verifier's Finalize set advantages
  bool keep_verifier_advantages = false;  // ... and this group's shaping keeps them
  bool paired = false;
  bool positive = false;  // pair role

  GroupVector<int> index;  // sample index of each unmasked sample
  GroupVector<double> reward;
  GroupVector<bool> correct;
  GroupVector<bool> format_ok;
  GroupVector<double> tokens;
  GroupVector<double> likelihood;  // filled only for the unlikeliness stage
  GroupVector<double> advantage;

  bool skipped = false;
  std::string skip_reason;
  bool grpo_lambda_top = false;
  NormalizeResult norm;

  double CorrectRatio() const;
};

// Gathers the unmasked samples, resolves the group's shaping and applies the skip filter.
// INVALID_ARGUMENT naming the sample for a missing/NaN/infinite log-prob (unlikeliness) or a
// negative num_tokens; INTERNAL if the result's samples do not match the request's.
absl::Status PrepareGroup(const v1::Shaping& shaping, bool paired, GroupWork& work);

// Runs the reward stages in order (unless skipped). grpo_lambda_top must be set before.
void ApplyStages(GroupWork& work);

// Single-group advantages: skipped → 0; verifier's kept; else the normaliser.
void NormalizeGroup(GroupWork& work);

// Writes rewards, advantages and stats. `ok` false: the group failed, rewards = scores,
// advantages 0. `failed_before` (the group's status was non-OK on entry, so it was never
// prepared): only rewards = scores and advantages 0 are written; stats are left as they are.
void WriteGroup(const GroupWork& work, bool ok, bool failed_before);

}  // namespace arbiter::shaping::internal
