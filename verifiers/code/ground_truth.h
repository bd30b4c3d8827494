// Parsing a dataset's own test label (Task.ground_truth) into a typed CodeTask, read the way the
// dataset's own grader reads it, with that grader's comparison as each test's default
// (GRADING.md "Tasks" has the table; testdata/ has one file per form and edge case).
//
// Forms, recognised by shape (a JSON string holding JSON text is unwrapped first, twice at most):
//   APPS / TACO          {"inputs": [...], "outputs": [...], "fn_name"?}         → COMPARE_APPS
//       stdin: strings (lists of strings joined with "\n"). fn_name with list inputs: each input
//       is the argument list, each output the value; a return equal to the first element of a
//       non-empty expected list also passes (APPS/TACO testing_util).
//   LiveCodeBench io     {"inputs": ["<JSON value per line>"...], "outputs": ["<JSON>"...],
//                         "fn_name": f}  (string inputs with fn_name; LCB, SandboxFusion and
//                         DeepCoder evaluation): each input line one JSON argument, the output
//                         one JSON value                                     →
//                         COMPARE_LIVECODEBENCH
//   LiveCodeBench list   [{"input", "output", "testtype": "stdin"|"functional",
//                          "metadata"?: {"func_name"}}...] (DeepCoder keeps func_name per test)
//                                                                          → COMPARE_LIVECODEBENCH
//   SandboxFusion        [{"input": {"stdin"}, "output": {"stdout"}}...]   → COMPARE_SANDBOXFUSION
//   CodeContests         {"input": [...], "output": [...]}, or a row's {"public_tests",
//                         "private_tests", "generated_tests"} (all run)    → COMPARE_CODECONTESTS
//   open-r1 / PrimeIntellect  {"test_cases": [{"input", "output", "type"}...]}  → COMPARE_OPEN_R1
//   HumanEval            {"test": "def check(candidate): ...", "entry_point": "f"}: one
//                         assert-style test running check(f)
//   MBPP                 {"test_list": ["assert ..."...], "test_setup_code"?, "test_imports"?}:
//                         one assert-style test per assert
//   Wrapper              {"language"?, "fn_name"? | "metadata": {"func_name"}, "tests" |
//                         "input_output" | "verification_info": <any form>}, or the form's keys
//                         with "language" beside them.
// Inputs and outputs of different lengths: the pairs that exist are graded (as the graders'
// zip() does) and a note says so. No "language": LANGUAGE_UNSPECIFIED (the completion chooses).
// Anything else is INVALID_ARGUMENT naming the problem (never an exception).
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "verifiers/code/code.pb.h"

namespace arbiter::code {

struct ParsedGroundTruth {
  v1::CodeTask task;
  // What the parse had to decide that a user should know (e.g. unequal inputs/outputs).
  std::vector<std::string> notes;
};

absl::StatusOr<ParsedGroundTruth> ParseGroundTruth(absl::string_view ground_truth);

}  // namespace arbiter::code
