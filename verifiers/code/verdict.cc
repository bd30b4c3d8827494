#include "verifiers/code/verdict.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "verifiers/code/compare.h"
#include "verifiers/code/python_value.h"
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

// A Python function's result, with the types JSON loses (python_value.h), under the test's mode:
// the graders' own `==` for livecodebench, apps and exact; Python's `==` with tuples as lists and
// keys as strings (the JSON text) for the others.
bool PythonCallMatches(const v1::CodeTest& test, const nlohmann::json& got,
                       const nlohmann::json& expected, absl::string_view python_types,
                       double tolerance) {
  const bool first = test.accept_first_element();
  switch (test.compare()) {
    case v1::CodeTest::COMPARE_LIVECODEBENCH:
      return LiveCodeBenchCallMatches(PythonValue(got, python_types), expected, first);
    case v1::CodeTest::COMPARE_APPS:
      return AppsCallMatches(PythonValue(got, python_types), expected, first);
    case v1::CodeTest::COMPARE_EXACT: {
      const nlohmann::json value = PythonValue(got, python_types);
      return PythonEqual(value, Tagged(expected), true) ||
             (first && expected.is_array() && !expected.empty() &&
              PythonEqual(value, Tagged(expected[0]), true));
    }
    default:
      return JsonEqual(got, expected, tolerance, false) ||
             (first && expected.is_array() && !expected.empty() &&
              JsonEqual(got, expected[0], tolerance, false));
  }
}

void JudgeCall(const v1::CodeTest& test, const nlohmann::json& expected, const RawRun& run,
               v1::TestResult& result) {
  if (!run.error.empty() || (run.return_json.empty() && run.unequal.empty())) {
    Set(result, v1::RUNTIME_ERROR,
        run.error.empty() ? "the function did not return" : Tail(run.error));
    return;
  }
  if (!run.unequal.empty()) {  // e.g. a set: the graders' `==` finds it unequal to their JSON
    Set(result, v1::WRONG_ANSWER,
        absl::StrCat("expected ", Snippet(expected.dump()), ", got ", Tail(run.unequal)));
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
  const bool first = test.accept_first_element();
  bool ok = false;
  if (run.python_types.empty()) {  // not Python: JSON is all there is
    ok = JsonEqual(got, expected, tolerance, strict) ||
         (first && expected.is_array() && !expected.empty() &&
          JsonEqual(got, expected[0], tolerance, strict));
  } else {
    ok = PythonCallMatches(test, got, expected, run.python_types, tolerance);
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
