// Internal to ground_truth.cc: one parser per ground_truth form and the helpers they share.
// Each parser appends tests to `out.task` (whose fn_name a wrapper may have set) and notes to
// `out.notes`; errors are INVALID_ARGUMENT "code: ground_truth: ..." naming the problem.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/ground_truth.h"

namespace arbiter::code::gt {

// A value read from the label. Objects keep the label's key order (nlohmann::json would sort
// them): arguments are re-serialised for the program, which may iterate a dict argument, and the
// graders' json.loads keeps that order.
using LabelValue = nlohmann::ordered_json;

absl::Status Invalid(absl::string_view what);

// Parses JSON text found inside the label, keys in order (linear in the text); INVALID_ARGUMENT
// naming `what` when it is not JSON.
absl::StatusOr<LabelValue> LabelJson(absl::string_view text, absl::string_view what);

// Stdin / expected stdout text: strings as they are, lists of strings joined by "\n", other
// scalars as JSON text.
absl::StatusOr<std::string> AsText(const LabelValue& value, absl::string_view what);

// "fn_name" / "func_name" of `object` or of its "metadata" (an object or JSON text); empty when
// absent or null.
absl::StatusOr<std::string> FnName(const LabelValue& object);

// LiveCodeBench functional input: one JSON value per non-blank line → a JSON array text. A list
// input is already the argument list.
absl::StatusOr<std::string> LcbArgs(const LabelValue& input, absl::string_view where);

// {"inputs", "outputs", "fn_name"?}: APPS/TACO, or LiveCodeBench's io form (string inputs with
// a function name).
absl::Status ParseInputsOutputs(const LabelValue& object, ParsedGroundTruth& out);
// {"input": [...], "output": [...]} (CodeContests), and a row's public/private/generated tests.
absl::Status ParseCodeContests(const LabelValue& object, ParsedGroundTruth& out);
// [{"input", "output", "testtype"?, "metadata"?}] and [{"input": {"stdin"}, "output": {"stdout"}}].
absl::Status ParseTestList(const LabelValue& list, ParsedGroundTruth& out);
// {"test_cases": [{"input", "output", "type"}]}.
absl::Status ParseTestCases(const LabelValue& object, ParsedGroundTruth& out);
// HumanEval {"test", "entry_point"} and MBPP {"test_list", ...}.
absl::Status ParseAsserts(const LabelValue& object, ParsedGroundTruth& out);

}  // namespace arbiter::code::gt
