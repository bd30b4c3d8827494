// JSON parsing for untrusted text (task labels from clients, return values from the sandbox):
// never throws, and refuses nesting deeper than kMaxJsonDepth before parsing, because
// serialising, comparing and destroying a JSON value recurse once per level.
//
// Thread-safety: pure function.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace arbiter::code {

inline constexpr int kMaxJsonDepth = 256;

// INVALID_ARGUMENT "<what> is not valid JSON (...)" or "<what> is nested deeper than 256".
absl::StatusOr<nlohmann::json> ParseJson(absl::string_view text, absl::string_view what);

}  // namespace arbiter::code
