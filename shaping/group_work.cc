#include "shaping/group_work.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "shaping/grpo_lambda.h"
#include "shaping/length_budget.h"
#include "shaping/resolve.h"
#include "shaping/unlikeliness.h"

namespace arbiter::shaping::internal {
namespace {

absl::Status SampleError(const GroupWork& work, int sample, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("group ", work.group_index, " sample ", sample, ": ", what));
}

// Fills work.likelihood for the unlikeliness stage, refusing unusable log-probs.
absl::Status GatherLikelihood(GroupWork& work) {
  const bool sum =
      work.resolved.unlikeliness().likelihood() == v1::UnlikelinessParams::LIKELIHOOD_SUM;
  for (size_t j = 0; j < work.index.size(); ++j) {
    const v1::Sample& sample = work.group->samples(work.index[j]);
    if (!sample.has_logprob()) {
      return SampleError(work, work.index[j],
                         "logprob is missing (the unlikeliness stage needs Sample.logprob)");
    }
    const double lp = sample.logprob();
    if (std::isnan(lp)) return SampleError(work, work.index[j], "logprob is NaN");
    if (std::isinf(lp)) return SampleError(work, work.index[j], "logprob is infinite");
    work.likelihood.push_back(sum ? lp * work.tokens[j] : lp);
  }
  return absl::OkStatus();
}

bool AllEqual(absl::Span<const double> values) {
  for (double v : values) {
    if (v != values.front()) return false;
  }
  return true;
}

}  // namespace

double GroupWork::CorrectRatio() const {
  if (correct.empty()) return 0;
  double n = 0;
  for (bool c : correct) n += c ? 1 : 0;
  return n / static_cast<double>(correct.size());
}

absl::Status PrepareGroup(const v1::Shaping& shaping, bool paired, GroupWork& work) {
  const v1::GroupResult& result = *work.result;
  // Pairs always use a normaliser: the verifier's advantages know nothing of the partner.
  work.keep_verifier_advantages = !paired && shaping.normalizer() == v1::NORMALIZER_UNSPECIFIED &&
                                  shaping.stages().empty() && work.verifier_advantages;
  work.paired = paired;
  work.resolved = ResolveShaping(shaping, work.keep_verifier_advantages, paired);
  if (result.samples_size() != work.group->samples_size()) {
    return absl::InternalError(absl::StrCat("group ", work.group_index, ": ", result.samples_size(),
                                            " results for ", work.group->samples_size(),
                                            " samples"));
  }
  for (int i = 0; i < result.samples_size(); ++i) {
    const v1::SampleResult& s = result.samples(i);
    if (s.outcome() == v1::INFRA_ERROR) continue;
    const int64_t tokens = work.group->samples(i).num_tokens();
    if (tokens < 0) return SampleError(work, i, "num_tokens is negative");
    work.index.push_back(i);
    work.reward.push_back(Finite(s.score()));
    work.correct.push_back(s.outcome() == v1::CORRECT);
    work.format_ok.push_back(s.outcome() != v1::NO_ANSWER);
    work.tokens.push_back(static_cast<double>(tokens));
  }
  work.advantage.assign(work.index.size(), 0.0);
  if (HasStage(work.resolved, v1::Shaping::STAGE_UNLIKELINESS)) {
    if (auto status = GatherLikelihood(work); !status.ok()) return status;
    // The filter runs before any shaping: an all-correct group would gain variance from it.
    work.skip_reason = std::string(UnlikelinessSkipReason(work.correct));
    work.skipped = !work.skip_reason.empty();
  }
  return absl::OkStatus();
}

void ApplyStages(GroupWork& work) {
  if (work.skipped) return;
  const size_t g = work.index.size();
  for (int stage : work.resolved.stages()) {
    switch (stage) {
      case v1::Shaping::STAGE_LENGTH_BUDGET: {
        const v1::LengthBudgetParams& p = work.resolved.length_budget();
        const LengthShape shape = ToLengthShape(p.shape());
        const LengthWeights weights = ToLengthWeights(p);
        for (size_t j = 0; j < g; ++j) {
          const double r_len = LengthReward(work.tokens[j], p.budget(), p.r_max(), shape);
          work.reward[j] = LengthBudgetTotal(work.correct[j], work.format_ok[j], r_len, weights);
        }
        break;
      }
      case v1::Shaping::STAGE_GRPO_LAMBDA:
        if (work.grpo_lambda_top) {
          EfficiencyRewards(work.correct, work.tokens, work.resolved.grpo_lambda().alpha(),
                            absl::MakeSpan(work.reward));
        }
        break;
      case v1::Shaping::STAGE_UNLIKELINESS:
        ApplyUnlikeliness(work.likelihood, work.resolved.unlikeliness().beta(),
                          absl::MakeSpan(work.reward));
        break;
      default:
        break;
    }
  }
  for (double& r : work.reward) r = Finite(r);
}

void NormalizeGroup(GroupWork& work) {
  if (work.skipped) {
    work.norm.mean = SafeMean(work.reward);
    work.norm.degenerate = AllEqual(work.reward);
    return;
  }
  if (work.keep_verifier_advantages) {
    for (size_t j = 0; j < work.index.size(); ++j) {
      work.advantage[j] = Finite(work.result->samples(work.index[j]).advantage());
    }
    work.norm.mean = SafeMean(work.reward);
    work.norm.degenerate = work.reward.empty() || AllEqual(work.reward);
    return;
  }
  work.norm = Normalize(work.reward, ToNormalizerKind(work.resolved.normalizer()),
                        work.resolved.epsilon(), absl::MakeSpan(work.advantage));
}

void WriteGroup(const GroupWork& work, bool ok, bool failed_before) {
  v1::GroupResult& result = *work.result;
  if (failed_before) {
    for (v1::SampleResult& s : *result.mutable_samples()) {
      s.set_reward(Finite(s.score()));
      s.set_advantage(0);
    }
    return;
  }
  GroupVector<double> scores;
  int num_correct = 0;
  int num_infra = 0;
  for (v1::SampleResult& s : *result.mutable_samples()) {
    s.set_reward(Finite(s.score()));
    s.set_advantage(0);
    if (s.outcome() == v1::INFRA_ERROR) {
      ++num_infra;
      continue;
    }
    num_correct += s.outcome() == v1::CORRECT ? 1 : 0;
    scores.push_back(s.reward());
  }
  if (ok) {
    for (size_t j = 0; j < work.index.size(); ++j) {
      v1::SampleResult& s = *result.mutable_samples(work.index[j]);
      s.set_reward(Finite(work.reward[j]));
      s.set_advantage(Finite(work.advantage[j]));
    }
  }
  v1::GroupStats& stats = *result.mutable_stats();
  stats.set_num_samples(result.samples_size());
  stats.set_num_correct(num_correct);
  stats.set_num_infra_error(num_infra);
  stats.set_mean_score(SafeMean(scores));
  stats.set_mean_reward(ok ? SafeMean(work.reward) : SafeMean(scores));
  stats.set_degenerate(ok && work.norm.degenerate);
  stats.set_skipped(ok && work.skipped);
  stats.set_skip_reason(ok ? work.skip_reason : "");
  *stats.mutable_resolved_shaping() = work.resolved;
  stats.set_advantage_source(work.keep_verifier_advantages ? "verifier" : "normalizer");
}

}  // namespace arbiter::shaping::internal
