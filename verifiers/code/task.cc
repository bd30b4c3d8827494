#include "verifiers/code/task.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
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

absl::StatusOr<nlohmann::json> TestJson(const std::string& text, const std::string& what) {
  absl::StatusOr<nlohmann::json> parsed = sdk::ParseUntrustedJson(text, what);
  if (!parsed.ok()) return Invalid(parsed.status().message());
  return parsed;
}

absl::Status ResolveEnums(v1::CodeTask& task) {
  if (!v1::CodeTask::Language_IsValid(task.language()) ||
      !v1::CodeTask::Policy_IsValid(task.policy()) ||
      !v1::CodeTask::Extract_IsValid(task.extract())) {
    return Invalid("unknown language, policy or extract value");
  }
  if (task.language() == v1::CodeTask::LANGUAGE_UNSPECIFIED) {
    task.set_language(v1::CodeTask::LANGUAGE_PYTHON);
  }
  if (task.policy() == v1::CodeTask::POLICY_UNSPECIFIED) {
    task.set_policy(v1::CodeTask::POLICY_RUN_ALL);
  }
  if (task.extract() == v1::CodeTask::EXTRACT_UNSPECIFIED) {
    task.set_extract(v1::CodeTask::EXTRACT_LAST_BLOCK);
  }
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
  input.fn_name = test.fn_name().empty() ? task.fn_name() : test.fn_name();
  nlohmann::json expected;  // null for stdin tests
  if (input.fn_name.empty()) {
    input.stdin_data = test.input();
  } else {
    if (!SupportsFunctionCalls(ToSandboxLanguage(task.language()))) {
      return Invalid(absl::StrCat(where, " is a function-call test; ",
                                  LanguageName(ToSandboxLanguage(task.language())),
                                  " has none (python, java and javascript do)"));
    }
    ARBITER_ASSIGN_OR_RETURN(nlohmann::json args, TestJson(test.args_json(), where + ".args_json"));
    if (!args.is_array()) return Invalid(where + ".args_json must be a JSON array");
    ARBITER_ASSIGN_OR_RETURN(expected, TestJson(test.expected_json(), where + ".expected_json"));
    input.args_json = args.dump();
  }
  out.inputs.push_back(std::move(input));
  out.expected_json.push_back(std::move(expected));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<const PreparedCodeTask>> PrepareCodeTask(const v1::Task& task,
                                                                        const RunLimits& defaults,
                                                                        const RunLimits& caps) {
  auto out = std::make_unique<PreparedCodeTask>();
  switch (task.kind_case()) {
    case v1::Task::kCode:
      out->task = task.code();
      break;
    case v1::Task::kGroundTruth: {
      ARBITER_ASSIGN_OR_RETURN(out->task, ParseGroundTruth(task.ground_truth()));
      break;
    }
    default:
      return Invalid("the task carries neither a CodeTask nor a ground_truth");
  }
  v1::CodeTask& code = out->task;
  ARBITER_RETURN_IF_ERROR(ResolveEnums(code));
  if (code.tests().empty()) return Invalid("the task has no tests");
  out->language = ToSandboxLanguage(code.language());
  ARBITER_ASSIGN_OR_RETURN(out->limits, ResolveLimits(code.limits(), defaults, caps));
  *code.mutable_limits() = LimitsToProto(out->limits);
  ARBITER_ASSIGN_OR_RETURN(*code.mutable_verpo(), ResolveVerpoParams(code.verpo()));
  for (size_t i = 0; i < static_cast<size_t>(code.tests_size()); ++i) {
    ARBITER_RETURN_IF_ERROR(AddTest(code, i, *out));
  }
  return std::unique_ptr<const PreparedCodeTask>(std::move(out));
}

}  // namespace arbiter::code
