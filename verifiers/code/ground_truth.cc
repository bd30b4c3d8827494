#include "verifiers/code/ground_truth.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/language.h"
#include "verifiers/sdk/json.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {
namespace {

using nlohmann::json;

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("code: ground_truth: ", what));
}

absl::StatusOr<json> LabelJson(absl::string_view text, absl::string_view what) {
  absl::StatusOr<json> parsed = sdk::ParseUntrustedJson(text, what);
  if (!parsed.ok()) return Invalid(parsed.status().message());
  return parsed;
}

// Stdin / expected stdout text: strings as they are, lists of strings joined by newlines.
absl::StatusOr<std::string> AsText(const json& value, absl::string_view what) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string())
        return Invalid(absl::StrCat(what, " mixes strings and non-strings"));
      if (i > 0) out += '\n';
      out += value[i].get<std::string>();
    }
    return out;
  }
  if (value.is_object() || value.is_null()) return Invalid(absl::StrCat(what, " is not text"));
  return value.dump();
}

absl::StatusOr<std::string> FnName(const json& object) {
  for (const char* key : {"fn_name", "func_name"}) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) continue;
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Invalid(absl::StrCat("\"", key, "\" must be a non-empty string"));
    }
    return it->get<std::string>();
  }
  if (auto meta = object.find("metadata"); meta != object.end()) {
    json parsed = *meta;
    if (meta->is_string()) {
      ARBITER_ASSIGN_OR_RETURN(parsed, LabelJson(meta->get<std::string>(), "\"metadata\""));
    }
    if (parsed.is_object()) return FnName(parsed);
  }
  return std::string();
}

absl::Status ParseApps(const json& object, v1::CodeTask& task) {
  auto inputs = object.find("inputs");
  auto outputs = object.find("outputs");
  if (inputs == object.end() || outputs == object.end() || !inputs->is_array() ||
      !outputs->is_array()) {
    return Invalid("APPS/TACO form needs \"inputs\" and \"outputs\" arrays");
  }
  if (inputs->size() != outputs->size()) {
    return Invalid(absl::StrCat("\"inputs\" has ", inputs->size(), " entries but \"outputs\" has ",
                                outputs->size()));
  }
  ARBITER_ASSIGN_OR_RETURN(std::string fn_name, FnName(object));
  if (fn_name.empty()) fn_name = task.fn_name();  // from a wrapper
  task.set_fn_name(fn_name);
  for (size_t i = 0; i < inputs->size(); ++i) {
    v1::CodeTest* test = task.add_tests();
    const json& in = (*inputs)[i];
    const json& out = (*outputs)[i];
    if (!fn_name.empty()) {
      test->set_args_json(in.is_array() ? in.dump() : json::array({in}).dump());
      test->set_expected_json(out.dump());
      test->set_accept_first_element(true);
      continue;
    }
    ARBITER_ASSIGN_OR_RETURN(*test->mutable_input(), AsText(in, absl::StrCat("inputs[", i, "]")));
    ARBITER_ASSIGN_OR_RETURN(*test->mutable_expected_output(),
                             AsText(out, absl::StrCat("outputs[", i, "]")));
  }
  return absl::OkStatus();
}

// LiveCodeBench functional input: one JSON value per non-empty line.
absl::StatusOr<std::string> LcbArgs(const std::string& input, size_t index) {
  json args = json::array();
  for (absl::string_view line : absl::StrSplit(input, '\n', absl::SkipWhitespace())) {
    ARBITER_ASSIGN_OR_RETURN(json value,
                             LabelJson(line, absl::StrCat("tests[", index, "].input line")));
    args.push_back(std::move(value));
  }
  return args.dump();
}

absl::Status ParseLcb(const json& list, v1::CodeTask& task) {
  for (size_t i = 0; i < list.size(); ++i) {
    const json& item = list[i];
    const std::string where = absl::StrCat("tests[", i, "]");
    if (!item.is_object()) return Invalid(absl::StrCat(where, " is not an object"));
    auto in = item.find("input");
    auto out = item.find("output");
    if (in == item.end() || out == item.end() || !in->is_string() || !out->is_string()) {
      return Invalid(absl::StrCat(where, " needs string \"input\" and \"output\""));
    }
    auto type_it = item.find("testtype");
    if (type_it != item.end() && !type_it->is_string()) {
      return Invalid(absl::StrCat(where, ".testtype is not a string"));
    }
    const std::string type = type_it == item.end() ? "stdin" : type_it->get<std::string>();
    v1::CodeTest* test = task.add_tests();
    if (type == "stdin") {
      test->set_input(in->get<std::string>());
      test->set_expected_output(out->get<std::string>());
    } else if (type == "functional") {
      if (task.fn_name().empty()) {
        return Invalid(absl::StrCat(where, " is functional but no fn_name / func_name was given"));
      }
      ARBITER_ASSIGN_OR_RETURN(*test->mutable_args_json(), LcbArgs(in->get<std::string>(), i));
      ARBITER_ASSIGN_OR_RETURN(json expected,
                               LabelJson(out->get<std::string>(), where + ".output"));
      test->set_expected_json(expected.dump());
    } else {
      return Invalid(absl::StrCat(where, " has unknown testtype \"", type, "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseTests(const json& value, v1::CodeTask& task, int depth) {
  if (value.is_string() && depth < 2) {  // JSON text inside a JSON string
    ARBITER_ASSIGN_OR_RETURN(json inner, LabelJson(value.get<std::string>(), "inner JSON string"));
    return ParseTests(inner, task, depth + 1);
  }
  if (value.is_array()) return ParseLcb(value, task);
  if (value.is_object()) return ParseApps(value, task);
  return Invalid("expected an APPS/TACO object or a LiveCodeBench list");
}

absl::Status ParseLanguage(const json& object, v1::CodeTask& task) {
  auto it = object.find("language");
  if (it == object.end()) return absl::OkStatus();
  const std::optional<v1::CodeTask::Language> language =
      it->is_string() ? LanguageFromName(it->get<std::string>()) : std::nullopt;
  if (!language.has_value()) {
    return Invalid(absl::StrCat("unsupported \"language\" ", it->dump(),
                                " (python, cpp, c, java, javascript, go or rust)"));
  }
  task.set_language(*language);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::CodeTask> ParseGroundTruth(absl::string_view ground_truth) {
  ARBITER_ASSIGN_OR_RETURN(json root, LabelJson(ground_truth, "ground_truth"));
  if (root.is_string()) {
    ARBITER_ASSIGN_OR_RETURN(root, LabelJson(root.get<std::string>(), "inner JSON string"));
  }
  v1::CodeTask task;
  task.set_language(v1::CodeTask::LANGUAGE_PYTHON);
  if (root.is_object()) {
    ARBITER_RETURN_IF_ERROR(ParseLanguage(root, task));
    ARBITER_ASSIGN_OR_RETURN(const std::string fn_name, FnName(root));
    task.set_fn_name(fn_name);
    if (auto tests = root.find("tests"); tests != root.end()) {
      ARBITER_RETURN_IF_ERROR(ParseTests(*tests, task, 0));
    } else {
      ARBITER_RETURN_IF_ERROR(ParseApps(root, task));
    }
  } else {
    ARBITER_RETURN_IF_ERROR(ParseTests(root, task, 1));
  }
  if (task.tests().empty()) return Invalid("no tests");
  return task;
}

}  // namespace arbiter::code
