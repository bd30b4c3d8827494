#include "verifiers/sdk/verifier.h"

#include "verifiers/sdk/status_macros.h"

namespace arbiter::sdk {

absl::StatusOr<std::vector<v1::SampleResult>> ScoreGroup(const Verifier& verifier,
                                                         const v1::Task& task,
                                                         absl::Span<const v1::Sample> samples,
                                                         const VerifyContext& ctx) {
  ARBITER_ASSIGN_OR_RETURN(std::unique_ptr<const PreparedTask> prepared, verifier.Prepare(task));
  std::vector<v1::SampleResult> results;
  results.reserve(samples.size());
  for (const v1::Sample& sample : samples) {
    results.push_back(verifier.Check(*prepared, sample, ctx));
    results.back().set_sample_id(sample.sample_id());
  }
  ARBITER_RETURN_IF_ERROR(verifier.Finalize(*prepared, samples, absl::MakeSpan(results)));
  return results;
}

}  // namespace arbiter::sdk
