// The SandboxRunner contract, checked on BOTH implementations with the same cases: the scripted
// FakeRunner that unit tests of the verifier rely on, and the real BwrapRunner (in both execution
// modes). A behaviour the verifier's tests assume of the fake but the real sandbox does not have
// (or the reverse) fails here.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/code/sandbox/fake_runner.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using Status = RawRun::Status;

// A runner under test, and how to make a program fail to compile on it.
class Subject {
 public:
  virtual ~Subject() = default;
  virtual const SandboxRunner& runner() const = 0;
  // The real compiler fails by itself; the fake is told.
  virtual void WillNotCompile(const std::string& program) = 0;
  ExecutionMode mode = ExecutionMode::kFreshProcess;
};

class FakeSubject : public Subject {
 public:
  const SandboxRunner& runner() const override { return fake_; }
  void WillNotCompile(const std::string& program) override {
    fake_.SetCompileFailure(program, "main.cpp:1: error: expected");
  }

 private:
  FakeRunner fake_;
};

class RealSubject : public Subject {
 public:
  explicit RealSubject(std::unique_ptr<BwrapRunner> real) : real_(std::move(real)) {}
  const SandboxRunner& runner() const override { return *real_; }
  void WillNotCompile(const std::string&) override {}

 private:
  std::unique_ptr<BwrapRunner> real_;
};

enum class Kind { kFake, kRealFresh, kRealPerCompletion };

class RunnerContract : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam() == Kind::kFake) {
      subject_ = std::make_unique<FakeSubject>();
      return;
    }
    if (const std::string reason = testing::SandboxUnavailableReason(); !reason.empty()) {
      GTEST_SKIP() << "sandbox unavailable: " << reason;
    }
    auto real = testing::MakeRunner();
    ASSERT_TRUE(real.ok()) << real.status();
    subject_ = std::make_unique<RealSubject>(*std::move(real));
    if (GetParam() == Kind::kRealPerCompletion) subject_->mode = ExecutionMode::kPerCompletion;
  }

  // A Python program that prints nothing and exits 0 (the fake's unscripted result).
  SessionRequest Quiet(int tests) const {
    SessionRequest request = testing::Python("x = 1\n", tests);
    request.mode = subject_->mode;
    return request;
  }

  std::unique_ptr<Subject> subject_;
};

TEST_P(RunnerContract, OneResultPerTestInOrderWithTheCallbackCalledInOrder) {
  std::vector<size_t> seen;
  auto result = subject_->runner().RunSession(Quiet(3), sdk::VerifyContext{},
                                              [&](size_t i, const RawRun& run) {
                                                EXPECT_EQ(run.status, Status::kExited);
                                                seen.push_back(i);
                                                return true;
                                              });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->compiled);
  ASSERT_EQ(result->tests.size(), 3u);
  for (const RawRun& run : result->tests) {
    EXPECT_EQ(run.status, Status::kExited);
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_EQ(run.stdout_data, "");
    EXPECT_EQ(run.return_json, "");
  }
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 2}));
}

TEST_P(RunnerContract, CallbackReturningFalseLeavesTheRestNotRun) {
  std::vector<size_t> seen;
  auto result =
      subject_->runner().RunSession(Quiet(4), sdk::VerifyContext{}, [&](size_t i, const RawRun&) {
        seen.push_back(i);
        return i < 1;
      });
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->tests.size(), 4u);
  EXPECT_EQ(result->tests[1].status, Status::kExited);
  EXPECT_EQ(result->tests[2].status, Status::kNotRun);
  EXPECT_EQ(result->tests[3].status, Status::kNotRun);
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1}));
}

TEST_P(RunnerContract, ZeroTestsIsAnEmptyResult) {
  auto result = subject_->runner().RunSession(Quiet(0), sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->compiled);
  EXPECT_TRUE(result->tests.empty());
}

TEST_P(RunnerContract, DoneContextIsItsStatusWhateverTheProgram) {
  const std::string broken = "int main( {";
  subject_->WillNotCompile(broken);
  sdk::VerifyContext expired;
  expired.deadline = absl::Now() - absl::Seconds(1);
  auto cancel = std::make_shared<sdk::CancellationToken>();
  cancel->Cancel();
  sdk::VerifyContext cancelled;
  cancelled.cancellation = cancel;
  for (const bool cpp : {false, true}) {
    SessionRequest request = Quiet(2);
    if (cpp) {
      request.language = Language::kCpp;
      request.program = broken;
    }
    auto late = subject_->runner().RunSession(request, expired, nullptr);
    EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded) << cpp;
    auto gone = subject_->runner().RunSession(request, cancelled, nullptr);
    EXPECT_EQ(gone.status().code(), absl::StatusCode::kCancelled) << cpp;
  }
}

TEST_P(RunnerContract, CompileErrorIsAResultWithDiagnosticsAndNoTestRun) {
  SessionRequest request = Quiet(2);
  request.language = Language::kCpp;
  request.program = "int main( {";
  subject_->WillNotCompile(request.program);
  bool called = false;
  auto result = subject_->runner().RunSession(request, sdk::VerifyContext{},
                                              [&](size_t, const RawRun&) { return called = true; });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->compiled);
  EXPECT_NE(result->compile_output.find("error"), std::string::npos) << result->compile_output;
  ASSERT_EQ(result->tests.size(), 2u);
  for (const RawRun& run : result->tests) EXPECT_EQ(run.status, Status::kNotRun);
  EXPECT_FALSE(called);
}

INSTANTIATE_TEST_SUITE_P(FakeAndReal, RunnerContract,
                         ::testing::Values(Kind::kFake, Kind::kRealFresh, Kind::kRealPerCompletion),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           switch (info.param) {
                             case Kind::kFake:
                               return "Fake";
                             case Kind::kRealFresh:
                               return "RealFreshProcess";
                             case Kind::kRealPerCompletion:
                               return "RealPerCompletion";
                           }
                           return "Unknown";
                         });

}  // namespace
}  // namespace arbiter::code
