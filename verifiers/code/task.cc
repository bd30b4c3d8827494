#include "verifiers/code/task.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "verifiers/code/ground_truth.h"
#include "verifiers/code/language.h"
#include "verifiers/code/limits.h"
#include "verifiers/code/verpo.h"
#include "verifiers/sdk/json.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {
namespace {

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("code: ", what));
}

absl::StatusOr<nlohmann::json> TestJson(absl::string_view text, const std::string& what) {
  absl::StatusOr<nlohmann::json> parsed = sdk::ParseUntrustedJson(text, what);
  if (!parsed.ok()) return Invalid(parsed.status().message());
  return parsed;
}

// The argument list as the test wrote it, once checked to be a JSON array: a parsed and re-dumped
// value (nlohmann::json) would have a dict argument's keys sorted, and a program may iterate them
// (the graders' json.loads keeps their order). Checked without building a value.
absl::StatusOr<std::string> ArgsText(absl::string_view text, const std::string& what) {
  absl::ConsumePrefix(&text,
                      "\xEF\xBB\xBF");  // nlohmann skips a byte-order mark; json.loads refuses it
  if (sdk::JsonNestsDeeperThan(text, sdk::kMaxJsonDepth) ||
      !nlohmann::json::accept(text.begin(), text.end())) {
    return TestJson(text, what).status();  // names the problem
  }
  const size_t first = text.find_first_not_of(" \t\n\r");  // JSON's whitespace
  if (first == absl::string_view::npos || text[first] != '[') {
    return Invalid(what + " must be a JSON array");
  }
  return std::string(text);
}

absl::Status ResolveEnums(v1::CodeTask& task) {
  if (!v1::CodeTask::Language_IsValid(task.language()) ||
      !v1::CodeTask::Policy_IsValid(task.policy()) ||
      !v1::CodeTask::Extract_IsValid(task.extract()) ||
      !v1::CodeTask::ExecutionMode_IsValid(task.execution_mode())) {
    return Invalid("unknown language, policy, extract or execution_mode value");
  }
  if (task.policy() == v1::CodeTask::POLICY_UNSPECIFIED) {
    task.set_policy(v1::CodeTask::POLICY_RUN_ALL);
  }
  if (task.extract() == v1::CodeTask::EXTRACT_UNSPECIFIED) {
    task.set_extract(v1::CodeTask::EXTRACT_LAST_BLOCK);
  }
  return absl::OkStatus();
}

// The languages a completion may use: the pinned one, else the allowed list, else all; only
// those that can run every kind of test the task has.
absl::Status ResolveLanguages(const v1::CodeTask& task, PreparedCodeTask& out) {
  std::vector<v1::CodeTask::Language> candidates;
  if (task.language() != v1::CodeTask::LANGUAGE_UNSPECIFIED) {
    candidates = {task.language()};
  } else if (!task.languages().empty()) {
    const std::vector<v1::CodeTask::Language> known = KnownLanguages();
    for (int value : task.languages()) {
      const auto language = static_cast<v1::CodeTask::Language>(value);
      if (absl::c_find(known, language) == known.end()) {
        return Invalid(absl::StrCat("languages holds an unknown language (", value, ")"));
      }
      candidates.push_back(language);
    }
  } else {
    candidates = KnownLanguages();
  }
  const bool calls = absl::c_any_of(task.tests(), [&task](const v1::CodeTest& test) {
    return test.test_code().empty() && (!test.fn_name().empty() || !task.fn_name().empty());
  });
  const bool asserts = absl::c_any_of(
      task.tests(), [](const v1::CodeTest& test) { return !test.test_code().empty(); });
  std::vector<std::string> dropped;
  for (v1::CodeTask::Language language : candidates) {
    const bool ok = (!calls || SupportsFunctionCalls(ToSandboxLanguage(language))) &&
                    (!asserts || language == v1::CodeTask::LANGUAGE_PYTHON);
    if (ok) {
      out.languages.push_back(language);
    } else {
      dropped.push_back(TaskLanguageName(language));
    }
  }
  if (out.languages.empty()) {
    return Invalid(absl::StrCat("no allowed language can run this task's ",
                                calls ? "function-call" : "assert-style", " tests (",
                                absl::StrJoin(dropped, ", "), " cannot)"));
  }
  out.untagged_language =
      absl::c_find(out.languages, v1::CodeTask::LANGUAGE_PYTHON) != out.languages.end()
          ? v1::CodeTask::LANGUAGE_PYTHON
          : out.languages.front();
  return absl::OkStatus();
}

absl::Status AddTest(const v1::CodeTask& task, size_t index, PreparedCodeTask& out) {
  const v1::CodeTest& test = task.tests(static_cast<int>(index));
  const std::string where = absl::StrCat("tests[", index, "]");
  if (!v1::CodeTest::Compare_IsValid(test.compare())) return Invalid(where + ".compare is unknown");
  if (!std::isfinite(test.float_tolerance()) || test.float_tolerance() < 0) {
    return Invalid(where + ".float_tolerance must be finite and >= 0");
  }
  TestInput input;
  nlohmann::json expected;  // null for stdin tests
  input.fn_name = test.fn_name().empty() ? task.fn_name() : test.fn_name();
  if (!test.test_code().empty()) {
    if (!test.fn_name().empty() || !test.input().empty()) {
      return Invalid(where + " is assert-style (test_code) and cannot also have fn_name or input");
    }
    input.fn_name = kAssertEntry;
    input.args_json = "[]";
    expected = true;
  } else if (input.fn_name.empty()) {
    input.stdin_data = test.input();
  } else {
    ARBITER_ASSIGN_OR_RETURN(input.args_json, ArgsText(test.args_json(), where + ".args_json"));
    ARBITER_ASSIGN_OR_RETURN(expected, TestJson(test.expected_json(), where + ".expected_json"));
    input.apps_int_keys = test.compare() == v1::CodeTest::COMPARE_APPS;
  }
  out.inputs.push_back(std::move(input));
  out.expected_json.push_back(std::move(expected));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::CodeTest::Compare> CompareFromMode(absl::string_view mode) {
  static constexpr std::pair<absl::string_view, v1::CodeTest::Compare> kModes[] = {
      {"livecodebench", v1::CodeTest::COMPARE_LIVECODEBENCH},
      {"apps", v1::CodeTest::COMPARE_APPS},
      {"codecontests", v1::CodeTest::COMPARE_CODECONTESTS},
      {"sandboxfusion", v1::CodeTest::COMPARE_SANDBOXFUSION},
      {"open_r1", v1::CodeTest::COMPARE_OPEN_R1},
      {"exact", v1::CodeTest::COMPARE_EXACT},
      {"whitespace", v1::CodeTest::COMPARE_WHITESPACE},
      {"float", v1::CodeTest::COMPARE_FLOAT},
  };
  if (mode.empty()) return v1::CodeTest::COMPARE_UNSPECIFIED;
  std::vector<absl::string_view> names;
  for (const auto& [name, compare] : kModes) {
    if (name == mode) return compare;
    names.push_back(name);
  }
  return Invalid(absl::StrCat("unknown mode \"", mode,
                              "\"; the code verifier's modes name a "
                              "comparison: ",
                              absl::StrJoin(names, ", ")));
}

absl::StatusOr<std::unique_ptr<const PreparedCodeTask>> PrepareCodeTask(
    const v1::Task& task, const RunLimits& defaults, const RunLimits& caps,
    v1::CodeTest::Compare mode_compare) {
  auto out = std::make_unique<PreparedCodeTask>();
  const bool from_label = task.kind_case() == v1::Task::kGroundTruth;
  switch (task.kind_case()) {
    case v1::Task::kCode:
      out->task = task.code();
      break;
    case v1::Task::kGroundTruth: {
      ARBITER_ASSIGN_OR_RETURN(ParsedGroundTruth parsed, ParseGroundTruth(task.ground_truth()));
      out->task = std::move(parsed.task);
      out->notes = std::move(parsed.notes);
      break;
    }
    default:
      return Invalid("the task carries neither a CodeTask nor a ground_truth");
  }
  v1::CodeTask& code = out->task;
  ARBITER_RETURN_IF_ERROR(ResolveEnums(code));
  if (code.tests().empty()) return Invalid("the task has no tests");
  if (mode_compare != v1::CodeTest::COMPARE_UNSPECIFIED) {
    for (v1::CodeTest& test : *code.mutable_tests()) {
      if (from_label || test.compare() == v1::CodeTest::COMPARE_UNSPECIFIED) {
        test.set_compare(mode_compare);
      }
    }
  }
  ARBITER_ASSIGN_OR_RETURN(out->limits, ResolveLimits(code.limits(), defaults, caps));
  *code.mutable_limits() = LimitsToProto(out->limits);
  ARBITER_ASSIGN_OR_RETURN(*code.mutable_verpo(), ResolveVerpoParams(code.verpo()));
  for (size_t i = 0; i < static_cast<size_t>(code.tests_size()); ++i) {
    ARBITER_RETURN_IF_ERROR(AddTest(code, i, *out));
  }
  ARBITER_RETURN_IF_ERROR(ResolveLanguages(code, *out));
  return std::unique_ptr<const PreparedCodeTask>(std::move(out));
}

ExecutionMode ExecutionModeOf(const v1::CodeTask& task, ExecutionMode server_default) {
  switch (task.execution_mode()) {
    case v1::CodeTask::EXECUTION_MODE_FRESH_PROCESS:
      return ExecutionMode::kFreshProcess;
    case v1::CodeTask::EXECUTION_MODE_PER_COMPLETION:
      return ExecutionMode::kPerCompletion;
    default:
      return server_default;
  }
}

}  // namespace arbiter::code
