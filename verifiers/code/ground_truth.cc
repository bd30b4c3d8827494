#include "verifiers/code/ground_truth.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/ground_truth_forms.h"
#include "verifiers/code/language.h"
#include "verifiers/sdk/json.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {
namespace gt {

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("code: ground_truth: ", what));
}

absl::StatusOr<LabelValue> LabelJson(absl::string_view text, absl::string_view what) {
  absl::StatusOr<LabelValue> parsed = sdk::ParseUntrustedOrderedJson(text, what);
  if (!parsed.ok()) return Invalid(parsed.status().message());
  return parsed;
}

absl::StatusOr<std::string> AsText(const LabelValue& value, absl::string_view what) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) {
        return Invalid(absl::StrCat(what, " mixes strings and non-strings"));
      }
      if (i > 0) out += '\n';
      out += value[i].get<std::string>();
    }
    return out;
  }
  if (value.is_object() || value.is_null()) return Invalid(absl::StrCat(what, " is not text"));
  return value.dump();
}

absl::StatusOr<std::string> FnName(const LabelValue& object) {
  for (const char* key : {"fn_name", "func_name"}) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) continue;
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Invalid(absl::StrCat("\"", key, "\" must be a non-empty string"));
    }
    return it->get<std::string>();
  }
  if (auto meta = object.find("metadata"); meta != object.end()) {
    LabelValue parsed = *meta;
    if (meta->is_string()) {
      ARBITER_ASSIGN_OR_RETURN(parsed, LabelJson(meta->get<std::string>(), "\"metadata\""));
    }
    if (parsed.is_object()) return FnName(parsed);
  }
  return std::string();
}

absl::StatusOr<std::string> LcbArgs(const LabelValue& input, absl::string_view where) {
  if (input.is_array()) return input.dump();
  if (!input.is_string()) {
    return Invalid(absl::StrCat(where, " must be JSON lines (a string) or an argument list"));
  }
  LabelValue args = LabelValue::array();
  const std::string text = input.get<std::string>();
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    ARBITER_ASSIGN_OR_RETURN(LabelValue value, LabelJson(line, absl::StrCat(where, " line")));
    args.push_back(std::move(value));
  }
  return args.dump();
}

}  // namespace gt

namespace {

using gt::LabelValue;

constexpr int kMaxNesting = 4;  // wrappers and JSON-in-JSON strings, together

absl::Status ParseLanguage(const LabelValue& object, v1::CodeTask& task) {
  auto it = object.find("language");
  if (it == object.end() || it->is_null()) return absl::OkStatus();
  std::optional<v1::CodeTask::Language> language;
  if (it->is_string()) language = LanguageFromName(it->get<std::string>());
  if (!language.has_value()) {
    std::vector<std::string> names;
    for (v1::CodeTask::Language known : KnownLanguages()) names.push_back(TaskLanguageName(known));
    return gt::Invalid(absl::StrCat("unsupported \"language\" ", it->dump(),
                                    " (known: ", absl::StrJoin(names, ", "), ")"));
  }
  task.set_language(*language);
  return absl::OkStatus();
}

std::string Keys(const LabelValue& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end() && keys.size() < 8; ++it) {
    keys.push_back(absl::StrCat("\"", it.key(), "\""));
  }
  return keys.empty() ? "none" : absl::StrJoin(keys, ", ");
}

absl::Status ParseAny(const LabelValue& value, ParsedGroundTruth& out, int depth);

absl::Status ParseObject(const LabelValue& object, ParsedGroundTruth& out, int depth) {
  ARBITER_RETURN_IF_ERROR(ParseLanguage(object, out.task));
  ARBITER_ASSIGN_OR_RETURN(const std::string fn_name, gt::FnName(object));
  if (!fn_name.empty()) out.task.set_fn_name(fn_name);
  for (const char* key : {"tests", "input_output", "verification_info"}) {
    if (auto inner = object.find(key); inner != object.end()) {
      return ParseAny(*inner, out, depth + 1);
    }
  }
  if (object.contains("test_cases")) return gt::ParseTestCases(object, out);
  if (object.contains("inputs") || object.contains("outputs")) {
    return gt::ParseInputsOutputs(object, out);
  }
  for (const char* key : {"input", "output", "public_tests", "private_tests", "generated_tests"}) {
    if (object.contains(key)) return gt::ParseCodeContests(object, out);
  }
  if (object.contains("test_list") || object.contains("entry_point")) {
    return gt::ParseAsserts(object, out);
  }
  return gt::Invalid(absl::StrCat(
      "unrecognised object (keys ", Keys(object),
      "); expected APPS/TACO/LiveCodeBench {\"inputs\",\"outputs\"}, CodeContests "
      "{\"input\",\"output\"}, {\"test_cases\"}, HumanEval {\"test\",\"entry_point\"}, MBPP "
      "{\"test_list\"} or a wrapper with \"tests\""));
}

absl::Status ParseAny(const LabelValue& value, ParsedGroundTruth& out, int depth) {
  if (depth > kMaxNesting) return gt::Invalid("wrappers nested too deeply");
  if (value.is_string()) {  // JSON text inside a JSON string
    ARBITER_ASSIGN_OR_RETURN(LabelValue inner,
                             gt::LabelJson(value.get<std::string>(), "inner JSON string"));
    return ParseAny(inner, out, depth + 1);
  }
  if (value.is_array()) return gt::ParseTestList(value, out);
  if (value.is_object()) return ParseObject(value, out, depth);
  return gt::Invalid("expected a JSON object or list of tests");
}

}  // namespace

absl::StatusOr<ParsedGroundTruth> ParseGroundTruth(absl::string_view ground_truth) {
  ARBITER_ASSIGN_OR_RETURN(LabelValue root, gt::LabelJson(ground_truth, "ground_truth"));
  ParsedGroundTruth out;
  ARBITER_RETURN_IF_ERROR(ParseAny(root, out, 0));
  if (out.task.tests().empty()) return gt::Invalid("no tests");
  return out;
}

}  // namespace arbiter::code
