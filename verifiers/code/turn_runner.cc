#include "verifiers/code/turn_runner.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/language.h"
#include "verifiers/code/verdict.h"
#include "verifiers/sdk/status_macros.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::code {
namespace {

constexpr size_t kMaxCompileOutput = 4096;

// One sandbox session over the tests `indices` of `prepared`; results land at their indices.
// Returns false in `compiled` when the program did not compile.
absl::Status RunTests(const SandboxRunner& runner, const SandboxMetrics& metrics,
                      const PreparedCodeTask& prepared, ExecutionMode mode, Language language,
                      std::string code, const std::vector<size_t>& indices,
                      const sdk::VerifyContext& ctx, bool& stop,
                      std::vector<v1::TestResult>& results, v1::CodeTurn& turn, bool& compiled) {
  auto judge = [&prepared](size_t i, const RawRun& run) {
    return JudgeTest(prepared.task.tests(static_cast<int>(i)), !prepared.inputs[i].fn_name.empty(),
                     prepared.expected_json[i], run);
  };
  SessionRequest request{language, std::move(code), {}, prepared.limits, mode};
  for (size_t i : indices) request.tests.push_back(prepared.inputs[i]);
  const bool stop_at_first_failure =
      prepared.task.policy() == v1::CodeTask::POLICY_STOP_AT_FIRST_FAILURE;
  // Start-up as the metrics see it: from the call until the first test began (its end minus its
  // own wall time), compilation included.
  const absl::Time session_start = absl::Now();
  auto on_test = [&](size_t k, const RawRun& run) {
    if (k == 0) metrics.RecordStartup(absl::Now() - session_start - run.wall_time);
    if (stop_at_first_failure) stop = judge(indices[k], run).verdict() != v1::OK;
    return !stop;
  };
  ARBITER_ASSIGN_OR_RETURN(SessionResult session, runner.RunSession(request, ctx, on_test));
  compiled = session.compiled;
  if (!session.compiled) {
    // Compiler diagnostics quote the source, which may be any bytes: cut between characters and
    // repair, since the field is a proto string.
    turn.set_compile_output(
        sdk::ToValidUtf8(sdk::Utf8Prefix(session.compile_output, kMaxCompileOutput)));
    return absl::OkStatus();
  }
  if (session.tests.size() != indices.size()) {
    return absl::InternalError(absl::StrCat("sandbox returned ", session.tests.size(),
                                            " results for ", indices.size(), " tests"));
  }
  for (size_t k = 0; k < indices.size(); ++k) {
    results[indices[k]] = judge(indices[k], session.tests[k]);
  }
  return absl::OkStatus();
}

// The program, then a function that runs the test's code in the program's globals and returns
// True. The code travels as a string literal (JSON string syntax is valid Python), so it runs
// only when the harness calls the entry, after the program itself ran to its end.
std::string WithAssertEntry(const std::string& program, const v1::CodeTest& test) {
  const std::string literal =
      nlohmann::json(test.test_code())
          .dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
  return absl::StrCat(program, "\n\n\ndef ", kAssertEntry, "():\n    exec(", literal,
                      ", globals())\n    return True\n");
}

}  // namespace

void FillTurn(v1::CodeTurn& turn, size_t num_tests, v1::TestVerdict verdict,
              const std::string& message) {
  turn.clear_tests();
  turn.set_turn_verdict(verdict);
  turn.set_num_tests(static_cast<int32_t>(num_tests));
  v1::TestResult* test = turn.add_tests();
  test->set_verdict(verdict);
  test->set_message(message);
}

absl::Status RunTurn(const SandboxRunner& runner, const SandboxMetrics& metrics,
                     const PreparedCodeTask& prepared, const ExtractedProgram& program,
                     const sdk::VerifyContext& ctx, v1::CodeTurn& turn,
                     ExecutionMode default_mode) {
  const size_t num_tests = prepared.inputs.size();
  const Language language = ToSandboxLanguage(program.language);
  ARBITER_RETURN_IF_ERROR(runner.CanRun(language));  // a server without that toolchain
  std::vector<size_t> shared;
  std::vector<size_t> asserts;
  for (size_t i = 0; i < num_tests; ++i) {
    (prepared.task.tests(static_cast<int>(i)).test_code().empty() ? shared : asserts).push_back(i);
  }
  std::vector<v1::TestResult> results(num_tests);
  for (v1::TestResult& result : results) {
    result.set_verdict(v1::SKIPPED);
    result.set_message("not run (an earlier test failed)");
  }
  bool stop = false;
  bool compiled = true;
  if (!shared.empty()) {
    ARBITER_RETURN_IF_ERROR(RunTests(runner, metrics, prepared,
                                     ExecutionModeOf(prepared.task, default_mode), language,
                                     program.code, shared, ctx, stop, results, turn, compiled));
  }
  for (size_t k = 0; k < asserts.size() && compiled && !stop; ++k) {
    const size_t i = asserts[k];
    std::string code = WithAssertEntry(program.code, prepared.task.tests(static_cast<int>(i)));
    ARBITER_RETURN_IF_ERROR(RunTests(runner, metrics, prepared,
                                     ExecutionModeOf(prepared.task, default_mode), language,
                                     std::move(code), {i}, ctx, stop, results, turn, compiled));
  }
  if (!compiled) {
    FillTurn(turn, num_tests, v1::COMPILE_ERROR, "compilation failed");
    return absl::OkStatus();
  }
  turn.clear_tests();
  for (v1::TestResult& result : results) *turn.add_tests() = std::move(result);
  return absl::OkStatus();
}

}  // namespace arbiter::code
