// List forms (LiveCodeBench, SandboxFusion, open-r1/PrimeIntellect test_cases) and assert-style
// tests (HumanEval, MBPP).
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/ground_truth_forms.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code::gt {
namespace {

absl::StatusOr<std::string> StringField(const LabelValue& item, const char* key,
                                        const std::string& where) {
  auto it = item.find(key);
  if (it == item.end() || !it->is_string()) {
    return Invalid(absl::StrCat(where, " needs a string \"", key, "\""));
  }
  return it->get<std::string>();
}

// A function-call test from a JSON-lines (or list) input and a JSON (or JSON text) output.
absl::Status AddCall(const LabelValue& input, const LabelValue& output, const std::string& fn_name,
                     const std::string& where, v1::CodeTest::Compare compare, v1::CodeTest& test) {
  if (fn_name.empty()) {
    return Invalid(absl::StrCat(where,
                                " is a function-call test but no fn_name / func_name "
                                "was given"));
  }
  test.set_fn_name(fn_name);
  ARBITER_ASSIGN_OR_RETURN(*test.mutable_args_json(), LcbArgs(input, where + ".input"));
  LabelValue expected = output;
  if (output.is_string()) {
    ARBITER_ASSIGN_OR_RETURN(expected, LabelJson(output.get<std::string>(), where + ".output"));
  }
  test.set_expected_json(expected.dump());
  test.set_compare(compare);
  return absl::OkStatus();
}

absl::Status AddSandboxFusionTest(const LabelValue& item, const std::string& where,
                                  v1::CodeTask& task) {
  const LabelValue& in = item.at("input");
  auto out = item.find("output");
  if (!in.contains("stdin") || !in.at("stdin").is_string() || out == item.end() ||
      !out->is_object() || !out->contains("stdout") || !out->at("stdout").is_string()) {
    return Invalid(absl::StrCat(where,
                                " needs {\"input\": {\"stdin\": str}, \"output\": "
                                "{\"stdout\": str}}"));
  }
  v1::CodeTest* test = task.add_tests();
  test->set_input(in.at("stdin").get<std::string>());
  test->set_expected_output(out->at("stdout").get<std::string>());
  test->set_compare(v1::CodeTest::COMPARE_SANDBOXFUSION);
  return absl::OkStatus();
}

absl::Status AddLcbTest(const LabelValue& item, const std::string& where, v1::CodeTask& task) {
  ARBITER_ASSIGN_OR_RETURN(const std::string input, StringField(item, "input", where));
  ARBITER_ASSIGN_OR_RETURN(const std::string output, StringField(item, "output", where));
  auto type_it = item.find("testtype");
  if (type_it != item.end() && !type_it->is_string()) {
    return Invalid(absl::StrCat(where, ".testtype is not a string"));
  }
  const std::string type = type_it == item.end() ? "stdin" : type_it->get<std::string>();
  v1::CodeTest* test = task.add_tests();
  if (type == "stdin") {
    test->set_input(input);
    test->set_expected_output(output);
    test->set_compare(v1::CodeTest::COMPARE_LIVECODEBENCH);
    return absl::OkStatus();
  }
  if (type != "functional") {
    return Invalid(absl::StrCat(where, " has unknown testtype \"", type, "\""));
  }
  ARBITER_ASSIGN_OR_RETURN(std::string fn_name, FnName(item));  // DeepCoder: per-test metadata
  if (fn_name.empty()) fn_name = task.fn_name();
  return AddCall(input, output, fn_name, where, v1::CodeTest::COMPARE_LIVECODEBENCH, *test);
}

}  // namespace

absl::Status ParseTestList(const LabelValue& list, ParsedGroundTruth& out) {
  for (size_t i = 0; i < list.size(); ++i) {
    const LabelValue& item = list[i];
    const std::string where = absl::StrCat("tests[", i, "]");
    if (!item.is_object()) return Invalid(absl::StrCat(where, " is not an object"));
    if (auto in = item.find("input"); in != item.end() && in->is_object()) {
      ARBITER_RETURN_IF_ERROR(AddSandboxFusionTest(item, where, out.task));
    } else {
      ARBITER_RETURN_IF_ERROR(AddLcbTest(item, where, out.task));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseTestCases(const LabelValue& object, ParsedGroundTruth& out) {
  const LabelValue& cases = object.at("test_cases");
  if (!cases.is_array()) return Invalid("\"test_cases\" must be a list");
  for (size_t i = 0; i < cases.size(); ++i) {
    const LabelValue& item = cases[i];
    const std::string where = absl::StrCat("test_cases[", i, "]");
    if (!item.is_object() || !item.contains("input") || !item.contains("output")) {
      return Invalid(absl::StrCat(where, R"( needs "input" and "output")"));
    }
    auto type_it = item.find("type");
    const std::string type = type_it != item.end() && type_it->is_string()
                                 ? type_it->get<std::string>()
                                 : "stdin_stdout";
    v1::CodeTest* test = out.task.add_tests();
    if (type == "function_call") {
      ARBITER_ASSIGN_OR_RETURN(std::string fn_name, FnName(item));
      if (fn_name.empty()) fn_name = out.task.fn_name();
      ARBITER_RETURN_IF_ERROR(AddCall(item.at("input"), item.at("output"), fn_name, where,
                                      v1::CodeTest::COMPARE_OPEN_R1, *test));
    } else if (type == "stdin_stdout") {
      ARBITER_ASSIGN_OR_RETURN(*test->mutable_input(), AsText(item.at("input"), where + ".input"));
      ARBITER_ASSIGN_OR_RETURN(*test->mutable_expected_output(),
                               AsText(item.at("output"), where + ".output"));
      test->set_compare(v1::CodeTest::COMPARE_OPEN_R1);
    } else {
      return Invalid(
          absl::StrCat(where, " has unknown type \"", type, "\" (stdin_stdout or function_call)"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseAsserts(const LabelValue& object, ParsedGroundTruth& out) {
  v1::CodeTask& task = out.task;
  if (task.language() != v1::CodeTask::LANGUAGE_UNSPECIFIED &&
      task.language() != v1::CodeTask::LANGUAGE_PYTHON) {
    return Invalid("assert-style tests (HumanEval, MBPP) are Python");
  }
  task.set_language(v1::CodeTask::LANGUAGE_PYTHON);
  if (auto list = object.find("test_list"); list != object.end()) {
    if (!list->is_array()) return Invalid("\"test_list\" must be a list of strings");
    std::string prelude;
    if (auto imports = object.find("test_imports"); imports != object.end()) {
      ARBITER_ASSIGN_OR_RETURN(prelude, AsText(*imports, "\"test_imports\""));
      prelude += "\n";
    }
    if (auto setup = object.find("test_setup_code"); setup != object.end()) {
      ARBITER_ASSIGN_OR_RETURN(const std::string code, AsText(*setup, "\"test_setup_code\""));
      prelude += code + "\n";
    }
    for (size_t i = 0; i < list->size(); ++i) {
      if (!(*list)[i].is_string()) return Invalid(absl::StrCat("test_list[", i, "] is not text"));
      task.add_tests()->set_test_code(prelude + (*list)[i].get<std::string>() + "\n");
    }
    return absl::OkStatus();
  }
  ARBITER_ASSIGN_OR_RETURN(const std::string test, StringField(object, "test", "HumanEval form"));
  ARBITER_ASSIGN_OR_RETURN(const std::string entry,
                           StringField(object, "entry_point", "HumanEval form"));
  if (entry.empty()) return Invalid("\"entry_point\" is empty");
  task.add_tests()->set_test_code(absl::StrCat(test, "\n\ncheck(", entry, ")\n"));
  return absl::OkStatus();
}

}  // namespace arbiter::code::gt
