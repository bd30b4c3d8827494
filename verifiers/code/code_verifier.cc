#include "verifiers/code/code_verifier.h"

#include <utility>

namespace arbiter::code {

absl::StatusOr<std::unique_ptr<CodeVerifier>> CodeVerifier::Create(CodeVerifierOptions options) {
  if (options.runner == nullptr) {
    return absl::InvalidArgumentError("code verifier: options.runner is null");
  }
  return std::unique_ptr<CodeVerifier>(new CodeVerifier(std::move(options)));
}

v1::VerifierInfo CodeVerifier::Info() const {
  v1::VerifierInfo info;
  info.set_name("code");
  info.set_version("0");
  info.set_description("Sandboxed unit tests (Python, C++) with VeRPO dense rewards");
  return info;
}

absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> CodeVerifier::Prepare(
    const v1::Task& task) const {
  (void)task;
  return absl::UnimplementedError("code verifier: not implemented yet");
}

v1::SampleResult CodeVerifier::Check(const sdk::PreparedTask& task, const v1::Sample& sample,
                                     const sdk::VerifyContext& ctx) const {
  (void)task;
  (void)sample;
  (void)ctx;
  v1::SampleResult result;
  result.set_outcome(v1::INFRA_ERROR);
  result.set_message("code verifier: not implemented yet");
  return result;
}

absl::Status CodeVerifier::Finalize(const sdk::PreparedTask& task,
                                    absl::Span<const v1::Sample> samples,
                                    absl::Span<v1::SampleResult> results) const {
  (void)task;
  (void)samples;
  (void)results;
  return absl::OkStatus();
}

bool CodeVerifier::SetsAdvantage(const sdk::PreparedTask& task) const {
  (void)task;
  return true;
}

}  // namespace arbiter::code
