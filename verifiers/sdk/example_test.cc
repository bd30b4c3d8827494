// The example from verifier.h (on TypedVerifier, typed_verifier.h), compiled and run, plus the
// registry's contract.
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "verifiers/sdk/registry.h"
#include "verifiers/sdk/typed_verifier.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::sdk {
namespace {

struct Expected : PreparedTask {
  explicit Expected(std::string t) : text(std::move(t)) {}
  std::string text;
};

class ExactVerifier : public TypedVerifier<Expected> {
 public:
  explicit ExactVerifier(std::string name = "exact") : name_(std::move(name)) {}
  v1::VerifierInfo Info() const override {
    v1::VerifierInfo info;
    info.set_name(name_);
    info.set_version("1");
    return info;
  }
  absl::StatusOr<std::unique_ptr<const Expected>> PrepareTask(const v1::Task& task) const override {
    if (task.ground_truth().empty()) {
      return absl::InvalidArgumentError("exact: ground_truth is empty");
    }
    return std::make_unique<Expected>(task.ground_truth());
  }
  v1::SampleResult CheckSample(const Expected& prepared, const v1::Sample& sample,
                               const VerifyContext&) const override {
    const bool ok = sample.completion() == prepared.text;
    v1::SampleResult result;
    result.set_outcome(ok ? v1::CORRECT : v1::INCORRECT);
    result.set_score(ok ? 1.0 : 0.0);
    return result;
  }

 private:
  std::string name_;
};

TEST(ExampleVerifier, ScoresEachSampleOfTheGroupInOrder) {
  ExactVerifier verifier;
  v1::Task task;
  task.set_ground_truth("42");
  std::vector<v1::Sample> samples(3);
  samples[0].set_completion("42");
  samples[1].set_completion("41");
  samples[2].set_completion("42");
  samples[2].set_sample_id("s2");
  auto results = ScoreGroup(verifier, task, samples);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT);
  EXPECT_EQ((*results)[1].outcome(), v1::INCORRECT);
  EXPECT_EQ((*results)[1].score(), 0.0);
  EXPECT_EQ((*results)[2].sample_id(), "s2");
}

TEST(ExampleVerifier, MalformedTaskIsInvalidArgument) {
  ExactVerifier verifier;
  auto results = ScoreGroup(verifier, v1::Task(), {});
  EXPECT_EQ(results.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(VerifierRegistry, RejectsDuplicatesAndListsNamesSorted) {
  VerifierRegistry registry;
  ASSERT_TRUE(registry.Register(std::make_unique<ExactVerifier>("zeta")).ok());
  ASSERT_TRUE(registry.Register(std::make_unique<ExactVerifier>("alpha")).ok());
  EXPECT_EQ(registry.Register(std::make_unique<ExactVerifier>("zeta")).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_NE(registry.Find("alpha"), nullptr);
  EXPECT_EQ(registry.Find("beta"), nullptr);
  EXPECT_EQ(registry.Register(nullptr).code(), absl::StatusCode::kInvalidArgument);
}

TEST(VerifyContext, DoneWhenCancelledOrPastDeadline) {
  VerifyContext open;
  EXPECT_FALSE(open.Done());
  EXPECT_EQ(open.Remaining(), absl::InfiniteDuration());
  auto token = std::make_shared<CancellationToken>();
  VerifyContext cancellable{absl::InfiniteFuture(), token};
  EXPECT_FALSE(cancellable.Done());
  token->Cancel();
  EXPECT_TRUE(cancellable.Done());
  VerifyContext expired{absl::Now() - absl::Seconds(1), nullptr};
  EXPECT_TRUE(expired.Done());
  EXPECT_EQ(expired.Remaining(), absl::ZeroDuration());
}

}  // namespace
}  // namespace arbiter::sdk
