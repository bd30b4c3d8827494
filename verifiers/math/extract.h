// Answer extraction for the math_verify mode: where in a completion the final answer is.
//
// Follows Math-Verify 0.8's priority scheme: candidates are grouped by priority and, inside a
// group, tried from the rightmost; the caller parses them in the returned order and keeps the
// first that parses.
//   0    \boxed{...} / \fbox{...} (brace-matched), "final answer is X. I hope"
//   50   "final answer ... is X"
//   100  "answer: ... X"   (X a LaTeX environment or a number/expression; after the last '='
//   200  "answer ... X"     within 100 characters, else the first within 50)
//   300  any LaTeX environment (adjacent ones joined by `,`/`and`/`or` become one set) ($..$,
//   $$..$$, \(..\), \[..\]), bare \frac{a}{b}, bare numbers
//        (thousands separators, decimals, a trailing %) and simple expressions like 1/2
// A gold label that is bare LaTeX is not extracted: it is parsed as if boxed (spec §2).
//
// Only the last `max_scan_bytes` of a completion are read. Pure, thread-safe, and linear in the
// scanned text apart from the bounded windows after "answer".
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace arbiter::math {

struct Candidate {
  std::string text;
  int priority = 0;
  size_t end = 0;  // offset just past the match, for ordering
  bool percent = false;
  // Answers joined by `,` / `and` / `or` between LaTeX environments (`$1$ and $2$`, `$\boxed{1}$,
  // $\boxed{2}$`), up to six, as Math-Verify joins them: parsed one by one into a finite set.
  std::vector<std::string> parts = {};
};

std::vector<Candidate> FindCandidates(absl::string_view completion, size_t max_scan_bytes = 65536);

// The brace-matched content of the last \boxed{} (or \fbox{}) of `text`, or empty when there is
// none. `found` tells an empty box from no box.
std::string LastBoxed(absl::string_view text, bool* found);

// True when a gold label has LaTeX delimiters (`$`, `\(`, `\[`, `\boxed`) and so is extracted
// like a completion; otherwise it is bare LaTeX, parsed whole.
bool HasMathDelimiters(absl::string_view gold);

}  // namespace arbiter::math
