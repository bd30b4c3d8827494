#include "verifiers/sdk/verifier.h"

#include "verifiers/sdk/status_macros.h"

namespace arbiter::sdk {

absl::StatusOr<ScoredGroup> ScoreWholeGroup(const Verifier& verifier, const v1::Task& task,
                                            absl::Span<const v1::Sample> samples,
                                            const VerifyContext& ctx) {
  ARBITER_ASSIGN_OR_RETURN(std::unique_ptr<const PreparedTask> prepared,
                           verifier.PrepareWithin(task, ctx));
  ScoredGroup scored;
  Samples group(samples.begin(), samples.end());
  scored.samples.reserve(samples.size());
  for (const v1::Sample& sample : group) {
    v1::SampleResult& result = scored.samples.emplace_back(verifier.Check(*prepared, sample, ctx));
    result.clear_reward();
    result.clear_advantage();
    result.set_sample_id(sample.sample_id());
  }
  ARBITER_RETURN_IF_ERROR(
      verifier.Finalize(*prepared, group, absl::MakeSpan(scored.samples), scored.group));
  for (v1::SampleResult& result : scored.samples) {
    result.clear_reward();
    if (!scored.group.advantages_set) result.clear_advantage();
  }
  return scored;
}

absl::StatusOr<std::vector<v1::SampleResult>> ScoreGroup(const Verifier& verifier,
                                                         const v1::Task& task,
                                                         absl::Span<const v1::Sample> samples,
                                                         const VerifyContext& ctx) {
  ARBITER_ASSIGN_OR_RETURN(ScoredGroup scored, ScoreWholeGroup(verifier, task, samples, ctx));
  return std::move(scored.samples);
}

}  // namespace arbiter::sdk
