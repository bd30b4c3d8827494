#include "tests/plugin/echo_verifier.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "verifiers/sdk/utf8.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::testing {
namespace {

struct Expected : sdk::PreparedTask {
  std::string text;
};

class EchoVerifier : public sdk::Verifier {
 public:
  v1::VerifierInfo Info() const override {
    v1::VerifierInfo info;
    info.set_name("echo");
    info.set_version("1");
    info.set_description("test-only: the completion must equal ground_truth");
    return info;
  }
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const v1::Task& task) const override {
    if (task.kind_case() != v1::Task::kGroundTruth) {
      return absl::InvalidArgumentError("echo: needs ground_truth");
    }
    auto prepared = std::make_unique<Expected>();
    prepared->text = task.ground_truth();
    return prepared;
  }
  v1::SampleResult Check(const sdk::PreparedTask& task, const v1::Sample& sample,
                         const sdk::VerifyContext&) const override {
    const bool ok = sample.completion() == static_cast<const Expected&>(task).text;
    v1::SampleResult result;
    result.set_outcome(ok ? v1::CORRECT : v1::INCORRECT);
    result.set_score(ok ? 1.0 : 0.0);
    google::protobuf::StringValue reversed;
    reversed.set_value(std::string(sample.completion().rbegin(), sample.completion().rend()));
    sdk::PackDetail(reversed, result);
    return result;
  }
};

class EchoGenerator : public sdk::Generator {
 public:
  v1::GeneratorInfo Info() const override {
    v1::GeneratorInfo info;
    info.set_kind("echo");
    info.set_description("test-only: N echo tasks");
    info.set_params_type("google.protobuf.Struct");
    return info;
  }
  absl::StatusOr<v1::GenerateResponse> Generate(const v1::GenerateRequest& request) const override {
    google::protobuf::Struct params;
    if (!request.extension().UnpackTo(&params)) {
      return absl::InvalidArgumentError("echo: params must be a google.protobuf.Struct");
    }
    const auto count = params.fields().find("count");
    const int n =
        count == params.fields().end() ? 1 : static_cast<int>(count->second.number_value());
    if (n < 0 || n > 100) return absl::InvalidArgumentError("echo: count must be in [0, 100]");
    v1::GenerateResponse response;
    for (int i = 0; i < n; ++i) {
      v1::GeneratedTask* task = response.add_tasks();
      task->set_id(absl::StrCat("echo-", i));
      task->mutable_task()->set_verifier("echo");
      task->mutable_task()->set_ground_truth(absl::StrCat("echo-", i));
      google::protobuf::Int64Value index;
      index.set_value(i);
      task->mutable_extension()->PackFrom(index);
    }
    return response;
  }
};

}  // namespace

absl::Status RegisterEchoVerifier(sdk::VerifierRegistry& registry) {
  if (absl::Status s = registry.Register(std::make_unique<EchoVerifier>()); !s.ok()) return s;
  return registry.RegisterGenerator(std::make_unique<EchoGenerator>());
}

}  // namespace arbiter::testing
