#include "verifiers/code/sandbox/fake_runner.h"

#include <memory>

#include "gtest/gtest.h"

namespace arbiter::code {
namespace {

SessionRequest ThreeTests(const std::string& program) {
  SessionRequest request;
  request.program = program;
  request.tests.resize(3);
  return request;
}

TEST(FakeRunner, ReturnsScriptedResultsPerProgramAndIndex) {
  FakeRunner runner;
  runner.SetResult("p", 1, FakeRunner::Exited(0, "42\n"));
  runner.SetResult("p", 2, FakeRunner::WithStatus(RawRun::Status::kCpuTimeLimit));
  auto result = runner.RunSession(ThreeTests("p"), sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->tests.size(), 3u);
  EXPECT_EQ(result->tests[0].status, RawRun::Status::kExited);
  EXPECT_EQ(result->tests[0].stdout_data, "");
  EXPECT_EQ(result->tests[1].stdout_data, "42\n");
  EXPECT_EQ(result->tests[2].status, RawRun::Status::kCpuTimeLimit);
  EXPECT_EQ(runner.sessions(), 1);
  EXPECT_EQ(runner.tests_run(), 3);
}

TEST(FakeRunner, UsesCallbackWhenNotScripted) {
  FakeRunner runner([](const SessionRequest& request, size_t index) {
    return FakeRunner::Returned(request.program + std::to_string(index));
  });
  auto result = runner.RunSession(ThreeTests("x"), sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->tests[2].return_json, "x2");
}

TEST(FakeRunner, StopsWhenCallbackReturnsFalse) {
  FakeRunner runner;
  auto result = runner.RunSession(ThreeTests("p"), sdk::VerifyContext{},
                                  [](size_t, const RawRun&) { return false; });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->tests[0].status, RawRun::Status::kExited);
  EXPECT_EQ(result->tests[1].status, RawRun::Status::kNotRun);
  EXPECT_EQ(runner.tests_run(), 1);
}

TEST(FakeRunner, ReportsCompileFailureAndInfraError) {
  FakeRunner runner;
  runner.SetCompileFailure("bad", "error: expected ';'");
  runner.SetInfraError("boom", absl::UnavailableError("no sandbox"));
  auto compiled = runner.RunSession(ThreeTests("bad"), sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(compiled.ok());
  EXPECT_FALSE(compiled->compiled);
  EXPECT_EQ(compiled->compile_output, "error: expected ';'");
  EXPECT_EQ(compiled->tests[0].status, RawRun::Status::kNotRun);
  auto infra = runner.RunSession(ThreeTests("boom"), sdk::VerifyContext{}, nullptr);
  EXPECT_EQ(infra.status().code(), absl::StatusCode::kUnavailable);
}

TEST(FakeRunner, HonoursCancellationAndDeadline) {
  FakeRunner runner;
  auto token = std::make_shared<sdk::CancellationToken>();
  token->Cancel();
  sdk::VerifyContext cancelled;
  cancelled.cancellation = token;
  EXPECT_EQ(runner.RunSession(ThreeTests("p"), cancelled, nullptr).status().code(),
            absl::StatusCode::kCancelled);
  sdk::VerifyContext expired;
  expired.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_EQ(runner.RunSession(ThreeTests("p"), expired, nullptr).status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace arbiter::code
