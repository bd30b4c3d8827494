// Python function results as the graders' `==` sees them. JSON transport loses tuple vs list
// and non-string dict keys ({1: 2} arrives as {"1": 2}); the Python harness therefore sends,
// beside the JSON text, the value's Python types (RawRun::python_types: "exact", or a tagged
// encoding: containers ["tuple"|"list"|"dict", items], dict items [key, value] pairs, scalars as
// themselves). These functions compare such a tagged value with an expected JSON value (what
// json.loads gives the grader: lists and string-keyed dicts) the way each grader does:
//   LiveCodeBench (lcb_runner/evaluation/testing_util.py grade_call_based): a top-level tuple
//     becomes a list, then `prediction == expected`: a nested tuple never equals a list, an
//     int-keyed dict never equals a string-keyed one;
//   APPS / TACO (eval/testing_util.py, call-based): expected dicts (or a list whose first element
//     is a dict) whose keys all parse as int get int keys and are wrapped in a list; then the
//     result (top-level tuple → list) equals expected, or its first element, or, when the
//     result's first element is a tuple, [list(x) for x in result] equals expected[0].
// Scalars compare as Python numbers do (True == 1 == 1.0, exactly; NaN never equal), as in
// JsonEqual (compare.h). Values from the sandbox are untrusted: a malformed tagged value is
// treated as the plain JSON value. Thread-safety: pure functions.
#pragma once

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace arbiter::code {

// The tagged value of `plain` (the returned JSON) given the harness's `python_types`: `plain`
// itself tagged when `python_types` is "exact", empty or malformed.
nlohmann::json PythonValue(const nlohmann::json& plain, absl::string_view python_types);

// json.loads's value in the tagged encoding: arrays are lists, objects string-keyed dicts.
nlohmann::json Tagged(const nlohmann::json& plain);

// Python's `a == b` on two tagged values; `strict_types` also requires the same scalar types
// (true != 1, 1 != 1.0), as COMPARE_EXACT does.
bool PythonEqual(const nlohmann::json& a, const nlohmann::json& b, bool strict_types = false);

// Whether a call returning `got` (tagged) passes against `expected` (JSON) under the grader.
// `first_element`: the APPS form's "a return equal to the first element of a non-empty expected
// list also passes" (CodeTest.accept_first_element).
bool LiveCodeBenchCallMatches(const nlohmann::json& got, const nlohmann::json& expected,
                              bool first_element);
bool AppsCallMatches(const nlohmann::json& got, const nlohmann::json& expected, bool first_element);

}  // namespace arbiter::code
