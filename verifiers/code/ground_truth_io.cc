// The {"inputs"/"outputs"} family: APPS/TACO, LiveCodeBench's io form, CodeContests.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/ground_truth_forms.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code::gt {
namespace {

// The graders zip() inputs with outputs: the pairs that exist are graded.
size_t PairedCount(const LabelValue& inputs, const LabelValue& outputs, absl::string_view in_key,
                   absl::string_view out_key, ParsedGroundTruth& out) {
  const size_t n = std::min(inputs.size(), outputs.size());
  if (inputs.size() != outputs.size()) {
    out.notes.push_back(absl::StrCat("\"", in_key, "\" has ", inputs.size(), " entries and \"",
                                     out_key, "\" ", outputs.size(), ": graded the first ", n,
                                     " pairs"));
  }
  return n;
}

absl::Status AddStdinTest(const LabelValue& in, const LabelValue& expected,
                          const std::string& where, v1::CodeTest::Compare compare,
                          v1::CodeTask& task) {
  v1::CodeTest* test = task.add_tests();
  ARBITER_ASSIGN_OR_RETURN(*test->mutable_input(), AsText(in, where + " input"));
  ARBITER_ASSIGN_OR_RETURN(*test->mutable_expected_output(), AsText(expected, where + " output"));
  test->set_compare(compare);
  return absl::OkStatus();
}

// LiveCodeBench's io form: with a function name, string inputs are JSON lines (one argument per
// line) and string outputs JSON text; APPS/TACO call-based inputs are argument lists.
bool IsLiveCodeBenchCall(const LabelValue& inputs) {
  return !inputs.empty() && std::all_of(inputs.begin(), inputs.end(),
                                        [](const LabelValue& in) { return in.is_string(); });
}

absl::Status AddLcbCall(const LabelValue& in, const LabelValue& expected, const std::string& where,
                        v1::CodeTask& task) {
  v1::CodeTest* test = task.add_tests();
  ARBITER_ASSIGN_OR_RETURN(*test->mutable_args_json(), LcbArgs(in, where + " input"));
  LabelValue value = expected;
  if (expected.is_string()) {
    ARBITER_ASSIGN_OR_RETURN(value, LabelJson(expected.get<std::string>(), where + " output"));
  }
  test->set_expected_json(value.dump());
  test->set_compare(v1::CodeTest::COMPARE_LIVECODEBENCH);
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseInputsOutputs(const LabelValue& object, ParsedGroundTruth& out) {
  auto inputs = object.find("inputs");
  auto outputs = object.find("outputs");
  if (inputs == object.end() || outputs == object.end() || !inputs->is_array() ||
      !outputs->is_array()) {
    return Invalid(R"(APPS/TACO/LiveCodeBench form needs "inputs" and "outputs" arrays)");
  }
  v1::CodeTask& task = out.task;
  const size_t n = PairedCount(*inputs, *outputs, "inputs", "outputs", out);
  const bool lcb_call = !task.fn_name().empty() && IsLiveCodeBenchCall(*inputs);
  for (size_t i = 0; i < n; ++i) {
    const std::string where = absl::StrCat("inputs[", i, "]");
    const LabelValue& in = (*inputs)[i];
    const LabelValue& expected = (*outputs)[i];
    if (task.fn_name().empty()) {
      ARBITER_RETURN_IF_ERROR(AddStdinTest(in, expected, where, v1::CodeTest::COMPARE_APPS, task));
    } else if (lcb_call) {
      ARBITER_RETURN_IF_ERROR(AddLcbCall(in, expected, where, task));
    } else {
      v1::CodeTest* test = task.add_tests();
      test->set_args_json(in.is_array() ? in.dump() : LabelValue::array({in}).dump());
      test->set_expected_json(expected.dump());
      test->set_accept_first_element(true);
      test->set_compare(v1::CodeTest::COMPARE_APPS);
    }
  }
  return absl::OkStatus();
}

absl::Status ParseCodeContests(const LabelValue& object, ParsedGroundTruth& out) {
  const bool row = object.contains("public_tests") || object.contains("private_tests") ||
                   object.contains("generated_tests");
  std::vector<std::string> groups;
  if (row) {
    groups = {"public_tests", "private_tests", "generated_tests"};
  } else {
    groups = {""};
  }
  for (const std::string& group : groups) {
    if (!group.empty() && !object.contains(group)) continue;
    const LabelValue& tests = group.empty() ? object : object.at(group);
    const std::string prefix = group.empty() ? "" : group + ".";
    auto inputs = tests.is_object() ? tests.find("input") : tests.end();
    auto outputs = tests.is_object() ? tests.find("output") : tests.end();
    if (!tests.is_object() || inputs == tests.end() || outputs == tests.end() ||
        !inputs->is_array() || !outputs->is_array()) {
      return Invalid(absl::StrCat("CodeContests form needs \"", prefix, "input\" and \"", prefix,
                                  "output\" arrays"));
    }
    const size_t n = PairedCount(*inputs, *outputs, prefix + "input", prefix + "output", out);
    for (size_t i = 0; i < n; ++i) {
      ARBITER_RETURN_IF_ERROR(AddStdinTest((*inputs)[i], (*outputs)[i],
                                           absl::StrCat(prefix, "input[", i, "]"),
                                           v1::CodeTest::COMPARE_CODECONTESTS, out.task));
    }
  }
  return absl::OkStatus();
}

}  // namespace arbiter::code::gt
