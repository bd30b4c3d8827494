// Stdout comparison as each dataset's own grader does it, so a row scores here as it scored
// there. Each function reimplements one grader's decision, fallbacks and quirks included (read
// from the grader's code; paths in GRADING.md "Comparison"):
//
//   LiveCodeBench  (lcb_runner/evaluation/testing_util.py, grade_stdio) whole output stripped,
//                  split at "\n", each line stripped; same line count; two lines match when equal
//                  or when every whitespace token of both parses as a Python Decimal and the token
//                  lists are equal as exact decimals (-1100.0 == -1100; 0.1 != 0.10000001).
//   APPS           (hendrycks/apps eval/testing_util.py, standard input) the output's lines
//                  (str.splitlines) pass the first of: joined and stripped equal to the stripped
//                  expected text (also with each line stripped); equal to the expected lines
//                  (split at "\n", empty ones dropped, stripped), also after dropping empty output
//                  lines; every line a float and numpy.allclose (rtol 1e-5, atol 1e-8); the set of
//                  per-line token sets equal (line order, token order and repeats ignored); the
//                  same with every token a float rounded to 3 decimals.
//   CodeContests   (deepmind code_contests execution/tester_sandboxer.cc, OutputsMatch) tokens
//                  split at " \n\t\r\v", lower-cased; equal lists, or same length and each pair
//                  equal as text, or both numeric (absl::SimpleAtoi / SimpleAtod) and within 1e-5
//                  absolute (as doubles: large integers that round to the same double match).
//   SandboxFusion  (sandbox/utils/testing.py, check_stdio_test_case) both stripped and split at
//                  "\n"; same line count; lines lower-cased (ASCII) and stripped; equal, or both a
//                  float with |a-b| / max(|b|, 1e-10) < 1e-5.
//   open-r1        (src/open_r1/rewards.py, code_reward's evaluation script) output stripped and
//                  split at "\n", expected split at "\n"; the pairs zip() forms (the shorter side
//                  decides how many) equal after stripping. Lenient by construction: a program
//                  that prints only the first expected line passes. Reproduced, not endorsed.
//
// Thread-safety: pure functions.
#pragma once

#include "absl/strings/string_view.h"

namespace arbiter::code {

bool LiveCodeBenchOutputMatches(absl::string_view got, absl::string_view expected);
bool AppsOutputMatches(absl::string_view got, absl::string_view expected);
bool CodeContestsOutputMatches(absl::string_view got, absl::string_view expected);
bool SandboxFusionOutputMatches(absl::string_view got, absl::string_view expected);
bool OpenR1OutputMatches(absl::string_view got, absl::string_view expected);

}  // namespace arbiter::code
