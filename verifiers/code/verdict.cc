#include "verifiers/code/verdict.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "verifiers/code/compare.h"
#include "verifiers/sdk/json.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::code {
namespace {

void Set(v1::TestResult& result, v1::TestVerdict verdict, std::string message) {
  result.set_verdict(verdict);
  result.set_message(std::move(message));
}

std::string Tail(const std::string& text) {
  constexpr size_t kMax = 160;
  return Snippet(sdk::Utf8Suffix(text, kMax), kMax);
}

void JudgeCall(const v1::CodeTest& test, const nlohmann::json& expected, const RawRun& run,
               v1::TestResult& result) {
  if (!run.error.empty() || run.return_json.empty()) {
    Set(result, v1::RUNTIME_ERROR,
        run.error.empty() ? "the function did not return" : Tail(run.error));
    return;
  }
  absl::StatusOr<nlohmann::json> parsed =
      sdk::ParseUntrustedJson(run.return_json, "the return value");
  if (!parsed.ok()) {
    Set(result, v1::RUNTIME_ERROR, Snippet(parsed.status().message(), 160));
    return;
  }
  const nlohmann::json& got = *parsed;
  const double tolerance =
      test.compare() == v1::CodeTest::COMPARE_FLOAT
          ? (test.float_tolerance() > 0 ? test.float_tolerance() : kDefaultFloatTolerance)
          : 0.0;
  const bool strict = test.compare() == v1::CodeTest::COMPARE_EXACT;
  bool ok = JsonEqual(got, expected, tolerance, strict);
  if (!ok && test.accept_first_element() && expected.is_array() && !expected.empty()) {
    ok = JsonEqual(got, expected[0], tolerance, strict);
  }
  if (ok) {
    Set(result, v1::OK, "");
  } else {
    Set(result, v1::WRONG_ANSWER,
        absl::StrCat("expected ", Snippet(expected.dump()), ", got ", Snippet(run.return_json)));
  }
}

}  // namespace

v1::TestResult JudgeTest(const v1::CodeTest& test, bool is_call, const nlohmann::json& expected,
                         const RawRun& run) {
  v1::TestResult result;
  result.set_cpu_seconds(absl::ToDoubleSeconds(run.cpu_time));
  result.set_wall_seconds(absl::ToDoubleSeconds(run.wall_time));
  result.set_peak_memory_bytes(run.peak_memory_bytes);
  result.set_exit_code(run.exit_code);
  result.set_signal(run.signal);
  switch (run.status) {
    case RawRun::Status::kExited:
      break;
    case RawRun::Status::kSignaled:
      Set(result, v1::SIGNALED, absl::StrCat("killed by signal ", run.signal));
      return result;
    case RawRun::Status::kCpuTimeLimit:
      Set(result, v1::TIME_LIMIT, "CPU time limit exceeded");
      return result;
    case RawRun::Status::kWallTimeLimit:
      Set(result, v1::TIME_LIMIT, "wall time limit exceeded");
      return result;
    case RawRun::Status::kMemoryLimit:
      Set(result, v1::MEMORY_LIMIT, "memory limit exceeded");
      return result;
    case RawRun::Status::kOutputLimit:
      Set(result, v1::OUTPUT_LIMIT, "output limit exceeded");
      return result;
    case RawRun::Status::kNotRun:
      Set(result, v1::SKIPPED, "not run");
      return result;
  }
  if (run.exit_code != 0) {
    Set(result, v1::RUNTIME_ERROR,
        absl::StrCat("exit code ", run.exit_code,
                     run.stderr_data.empty() ? "" : ": " + Tail(run.stderr_data)));
    return result;
  }
  if (is_call) {
    JudgeCall(test, expected, run, result);
    return result;
  }
  if (OutputMatches(run.stdout_data, test.expected_output(), test.compare(),
                    test.float_tolerance())) {
    Set(result, v1::OK, "");
  } else {
    Set(result, v1::WRONG_ANSWER,
        absl::StrCat("expected \"", Snippet(test.expected_output()), "\", got \"",
                     Snippet(run.stdout_data), "\""));
  }
  return result;
}

}  // namespace arbiter::code
