// Output comparison for the `code` verifier, done by the server outside the sandbox: the
// candidate's stdout against the expected text, and a function's returned JSON against the
// expected JSON value. Expected values never enter the sandbox.
//
// Text modes (CodeTest.Compare):
//   exact       byte-for-byte;
//   whitespace  (default of typed tasks) each line as its sequence of space/tab-separated tokens
//               ("\r" counts as whitespace), trailing blank lines ignored;
//   float       all whitespace-separated tokens in order; two tokens that both parse as finite
//               numbers are equal within `tolerance`, absolute or relative to the expected value;
//               any other pair must match exactly;
//   livecodebench, apps, codecontests, sandboxfusion, open_r1: as those graders decide
//               (grader_compare.h).
// JSON values (function results), as Python compares the values the harness returned with the
// ones json.loads gives: numbers compare as numbers, exactly (1 == 1.0; integers beyond 2^53
// too) or within `tolerance` when it is > 0; a boolean equals the number 1 or 0 (True == 1);
// null, strings exactly; arrays elementwise; objects by key set and values, key order
// irrelevant. NaN never equals anything. With `strict_types` (COMPARE_EXACT) JSON types must
// match as well: true != 1 and 1 != 1.0.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "nlohmann/json.hpp"
#include "verifiers/code/code.pb.h"

namespace arbiter::code {

inline constexpr double kDefaultFloatTolerance = 1e-6;

// `mode` COMPARE_UNSPECIFIED means COMPARE_WHITESPACE; `tolerance` <= 0 means the default.
bool OutputMatches(absl::string_view got, absl::string_view expected, v1::CodeTest::Compare mode,
                   double tolerance);

// `tolerance` 0 compares numbers exactly.
bool JsonEqual(const nlohmann::json& got, const nlohmann::json& expected, double tolerance,
               bool strict_types = false);

// A one-line, length-capped rendering of `text` for verdict messages.
std::string Snippet(absl::string_view text, size_t max_chars = 80);

}  // namespace arbiter::code
