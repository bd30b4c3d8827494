// The one way to parse untrusted JSON (task labels from clients, return values and frames from
// the sandbox, HTTP bodies): never throws, and refuses nesting deeper than `max_depth` before
// parsing, because serialising, comparing and copying a JSON value recurse once per level (a few
// MB of `[` would overflow the stack later, far from the parser).
//
// Thread-safety: pure functions; linear in the input.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace arbiter::sdk {

inline constexpr int kMaxJsonDepth = 256;

// True when arrays/objects in `text` nest deeper than `max_depth` (strings are skipped; malformed
// text is left to the parser).
bool JsonNestsDeeperThan(absl::string_view text, int max_depth);

// The value, or INVALID_ARGUMENT "<what> is not valid JSON (...)" / "<what> is nested deeper than
// N levels".
absl::StatusOr<nlohmann::json> ParseUntrustedJson(absl::string_view text, absl::string_view what,
                                                  int max_depth = kMaxJsonDepth);

// As ParseUntrustedJson, but objects keep their keys in the text's order, as Python's json.loads
// does (a repeated key keeps its first place and takes its last value): for values that are
// re-serialised for a program whose result may depend on that order (a dict's iteration order).
// nlohmann::json sorts keys. Linear in the input (ordered_json's own parser scans an object's
// keys for every insertion: quadratic in an object's size). Lookups in an ordered_json are
// linear in its key count: use it where order must survive, not for comparisons.
absl::StatusOr<nlohmann::ordered_json> ParseUntrustedOrderedJson(absl::string_view text,
                                                                 absl::string_view what,
                                                                 int max_depth = kMaxJsonDepth);

}  // namespace arbiter::sdk
