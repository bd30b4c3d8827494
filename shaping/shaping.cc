// ShapeBatch: validates each group's effective shaping, gathers its unmasked samples
// (group_work.cc), selects the GRPO-λ top groups across the batch, runs the reward stages in
// order, computes advantages (per group, or per pair for pair-weighted GRPO) and writes back.
#include "shaping/shaping.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "shaping/group_work.h"
#include "shaping/grpo_lambda.h"
#include "shaping/pair_grpo.h"
#include "shaping/resolve.h"

namespace arbiter::shaping {
namespace {

using internal::GroupWork;

const v1::Shaping& EffectiveShaping(const v1::ScoreRequest& request, const v1::Group& group) {
  return group.has_shaping() ? group.shaping() : request.shaping();
}

// pair_id → problem with that pair as declared in the request ("" when well-formed).
std::map<std::string, std::string> CheckPairs(const v1::ScoreRequest& request) {
  std::map<std::string, std::vector<const v1::Group*>> members;
  for (const v1::Group& group : request.groups()) {
    if (!group.pair_id().empty()) members[group.pair_id()].push_back(&group);
  }
  std::map<std::string, std::string> problems;
  for (const auto& [id, groups] : members) {
    std::string& problem = problems[id];
    if (groups.size() != 2) {
      problem = absl::StrCat("pair '", id, "' has ", groups.size(),
                             " group(s); it needs exactly two (one PAIR_ROLE_POSITIVE, one "
                             "PAIR_ROLE_NEGATIVE)");
    } else if (!((groups[0]->pair_role() == v1::PAIR_ROLE_POSITIVE &&
                  groups[1]->pair_role() == v1::PAIR_ROLE_NEGATIVE) ||
                 (groups[0]->pair_role() == v1::PAIR_ROLE_NEGATIVE &&
                  groups[1]->pair_role() == v1::PAIR_ROLE_POSITIVE))) {
      problem = absl::StrCat("pair '", id,
                             "' needs one PAIR_ROLE_POSITIVE and one PAIR_ROLE_NEGATIVE group");
    }
  }
  return problems;
}

// Everything about one group decided before its rewards are shaped.
absl::Status PrepareEntry(const v1::ScoreRequest& request, const RequestPlan& plan,
                          GroupWork& work) {
  const int gi = work.result->group_index();
  if (gi < 0 || gi >= request.groups_size()) {
    return absl::InternalError(absl::StrCat("group_index ", gi, " is outside the request"));
  }
  work.group_index = gi;
  work.group = &request.groups(gi);
  const v1::Shaping& shaping = EffectiveShaping(request, *work.group);
  if (!plan.validated) {
    if (auto status = ValidateShaping(shaping); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("group ", gi, ": ", status.message()));
    }
  }
  const std::string& pair_id = work.group->pair_id();
  if (pair_id.empty() && work.group->pair_role() != v1::PAIR_ROLE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("group ", gi, " has a pair_role but no pair_id"));
  }
  if (!pair_id.empty()) {
    const auto problem_it = plan.pair_problems.find(pair_id);
    if (problem_it == plan.pair_problems.end()) {
      return absl::InternalError(absl::StrCat("pair '", pair_id, "' is not in the plan"));
    }
    const std::string& problem = problem_it->second;
    if (!problem.empty()) return absl::InvalidArgumentError(problem);
    work.positive = work.group->pair_role() == v1::PAIR_ROLE_POSITIVE;
  }
  return internal::PrepareGroup(shaping, !pair_id.empty(), work);
}

// GRPO-λ: rank every prepared group that lists the stage, in request order.
void SelectGrpoLambdaTop(std::vector<GroupWork*>& works) {
  std::vector<GroupWork*> members;
  for (GroupWork* w : works) {
    if (HasStage(w->resolved, v1::Shaping::STAGE_GRPO_LAMBDA)) members.push_back(w);
  }
  std::stable_sort(members.begin(), members.end(), [](const GroupWork* a, const GroupWork* b) {
    return a->group_index < b->group_index;
  });
  std::vector<double> ratios;
  std::vector<double> lambdas;
  for (const GroupWork* w : members) {
    ratios.push_back(w->CorrectRatio());
    lambdas.push_back(w->resolved.grpo_lambda().lambda());
  }
  std::unique_ptr<bool[]> top(new bool[members.size()]);
  SelectTopGroupsPerGroup(ratios, lambdas, absl::MakeSpan(top.get(), members.size()));
  for (size_t k = 0; k < members.size(); ++k) members[k]->grpo_lambda_top = top[k];
}

// Pair-weighted GRPO over two prepared groups. Skipped halves keep advantages 0 and take no
// part in the pooled mode.
absl::Status ShapePair(GroupWork& pos, GroupWork& neg) {
  const std::string& id = pos.group->pair_id();
  if (pos.resolved.SerializeAsString() != neg.resolved.SerializeAsString()) {
    return absl::InvalidArgumentError(
        absl::StrCat("pair '", id, "': both groups must use the same shaping"));
  }
  const PairMode mode = ToPairMode(pos.resolved.pair().mode());
  if (mode != PairMode::kPromptWeight && !pos.resolved.stages().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pair '", id,
        "': modes A and C remap binary outcomes and would discard the reward stages; use "
        "MODE_PROMPT_WEIGHT or no stages"));
  }
  const double lambda = pos.resolved.pair().lambda_neg();
  for (GroupWork* w : {&pos, &neg}) {
    if (!w->skipped) PairRewards(mode, lambda, w->positive, w->correct, absl::MakeSpan(w->reward));
  }
  auto rewards = [](const GroupWork& w) {
    return w.skipped ? absl::Span<const double>() : absl::Span<const double>(w.reward);
  };
  auto advantages = [](GroupWork& w) {
    return w.skipped ? absl::Span<double>() : absl::MakeSpan(w.advantage);
  };
  const PairResult r = PairAdvantages(mode, lambda, ToNormalizerKind(pos.resolved.normalizer()),
                                      pos.resolved.epsilon(), rewards(pos), rewards(neg),
                                      advantages(pos), advantages(neg));
  if (!pos.skipped) pos.norm = r.positive;
  if (!neg.skipped) neg.norm = r.negative;
  for (GroupWork* w : {&pos, &neg}) {
    if (w->skipped) internal::NormalizeGroup(*w);
  }
  return absl::OkStatus();
}

// Pairs up the prepared paired groups and shapes each pair once; a pair whose partner is
// missing fails with FAILED_PRECONDITION, a pair that ShapePair refuses fails on both halves.
void ShapePairs(const std::vector<GroupWork*>& ready, std::vector<GroupWork>& works,
                std::vector<absl::Status>& statuses) {
  std::map<std::string, std::pair<GroupWork*, GroupWork*>> pairs;  // (positive, negative)
  for (GroupWork* w : ready) {
    if (!w->paired) continue;
    auto& slot = pairs[w->group->pair_id()];
    (w->positive ? slot.first : slot.second) = w;
  }
  for (size_t k = 0; k < works.size(); ++k) {
    GroupWork& w = works[k];
    if (!statuses[k].ok() || !w.paired || w.result->status().code() != 0) continue;
    const auto& [pos, neg] = pairs[w.group->pair_id()];
    if (pos == nullptr || neg == nullptr) {
      statuses[k] = absl::FailedPreconditionError(absl::StrCat(
          "pair '", w.group->pair_id(), "': the partner group failed or is not in this batch"));
    } else if (&w == pos) {
      const absl::Status status = ShapePair(*pos, *neg);
      if (!status.ok()) {
        statuses[k] = status;
        statuses[neg - works.data()] = status;
      }
    }
  }
}

RequestPlan PlanWithoutValidating(const v1::ScoreRequest& request) {
  RequestPlan plan;
  plan.whole_batch = NeedsWholeBatch(request);
  if (plan.whole_batch) plan.pair_problems = CheckPairs(request);
  return plan;
}

}  // namespace

bool NeedsWholeBatch(const v1::ScoreRequest& request) {
  for (const v1::Group& group : request.groups()) {
    if (!group.pair_id().empty()) return true;
    if (HasStage(EffectiveShaping(request, group), v1::Shaping::STAGE_GRPO_LAMBDA)) return true;
  }
  return false;
}

absl::StatusOr<RequestPlan> PlanRequest(const v1::ScoreRequest& request) {
  if (request.has_shaping()) {
    if (absl::Status status = ValidateShaping(request.shaping()); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("shaping: ", status.message()));
    }
  }
  for (int i = 0; i < request.groups_size(); ++i) {
    if (!request.groups(i).has_shaping()) continue;
    if (absl::Status status = ValidateShaping(request.groups(i).shaping()); !status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("groups[", i, "].shaping: ", status.message()));
    }
  }
  RequestPlan plan = PlanWithoutValidating(request);
  plan.validated = true;
  return plan;
}

std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest& request,
                                     absl::Span<const GroupInput> groups) {
  return ShapeBatch(request, PlanWithoutValidating(request), groups);
}

std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest& request, const RequestPlan& plan,
                                     absl::Span<const GroupInput> groups) {
  std::vector<absl::Status> statuses(groups.size());
  std::vector<GroupWork> works(groups.size());
  std::vector<GroupWork*> ready;
  for (size_t k = 0; k < groups.size(); ++k) {
    works[k].result = groups[k].result;
    works[k].verifier_advantages = groups[k].verifier_advantages;
    if (groups[k].result->status().code() != 0) continue;
    statuses[k] = PrepareEntry(request, plan, works[k]);
    if (statuses[k].ok()) ready.push_back(&works[k]);
  }
  SelectGrpoLambdaTop(ready);
  for (GroupWork* w : ready) {
    internal::ApplyStages(*w);
    if (!w->paired) internal::NormalizeGroup(*w);
  }
  ShapePairs(ready, works, statuses);
  for (size_t k = 0; k < groups.size(); ++k) {
    const bool failed_before = groups[k].result->status().code() != 0;
    internal::WriteGroup(works[k], !failed_before && statuses[k].ok(), failed_before);
  }
  return statuses;
}

}  // namespace arbiter::shaping
