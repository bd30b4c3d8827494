// Extraction of the final answer from a completion, with exactly the semantics of Saturn's
// `re.findall(r'\\boxed{(.*?)}', response)[-1]` (no DOTALL): the last non-overlapping match of
// "\boxed{" followed by the shortest text without a newline up to the first "}".
//
// Works on UTF-8 bytes; equivalent to Python's code-point regex because "\boxed{", "}" and "\n"
// are ASCII and never occur inside a multi-byte sequence. Scans backwards from the end, so the
// usual completion (reasoning, then the box near the end) costs a few hundred bytes; the worst
// case is one pass over the text. No allocation. Thread-safe (pure function).
#pragma once

#include <optional>
#include <string_view>

namespace arbiter::sat {

// The captured text of the last match (a view into `text`), or nullopt when there is none.
std::optional<std::string_view> LastBoxed(std::string_view text);

// The same, computed the way the regex engine does (forward, match by match): the reference for
// tests. Quadratic in the worst case ("\boxed{" repeated without a close), like the regex.
std::optional<std::string_view> LastBoxedForward(std::string_view text);

}  // namespace arbiter::sat
