// JSON bodies of the HTTP gateway: parsing untrusted bytes and writing well-formed UTF-8.
//
// ParseJsonBody turns a request body into a nlohmann::json value or says what is wrong with it
// (INVALID_ARGUMENT, with the byte offset nlohmann reports); the usual bodies are read by
// ParseJsonSubset (json_subset.h), the same value ≈ 14× faster. Nesting deeper than
// kMaxJsonDepth is refused before parsing: nlohmann's dump() and copies recurse, so a body of a
// few MB of `[` would otherwise overflow the stack when a label is re-encoded.
//
// Utf8Json / DumpJson: every string the gateway writes goes through sdk::ToValidUtf8 (a
// verifier message may quote a completion), and DumpJson replaces anything left ill-formed
// instead of throwing. Pure functions; thread-safe; linear in the input.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace arbiter::server::http {

inline constexpr int kMaxJsonDepth = 128;

// OK and the value, or INVALID_ARGUMENT: "body is not JSON: ..." / "body nests deeper than ...".
absl::StatusOr<nlohmann::json> ParseJsonBody(absl::string_view body);

// A JSON string holding `text` repaired to well-formed UTF-8.
nlohmann::json Utf8Json(absl::string_view text);

// Compact JSON text; ill-formed UTF-8 (none expected) becomes U+FFFD.
std::string DumpJson(const nlohmann::json& value);
std::string DumpJson(const nlohmann::ordered_json& value);

// The top-level field `key` of `body`, parsed again with its objects' key order
// (sdk::ParseUntrustedOrderedJson, linear), for the labels KeyOrderMatters (label.h) names; null
// when the body does not parse (it did once already) or has no such field.
std::optional<nlohmann::ordered_json> OrderedBodyField(absl::string_view body, const char* key);

// A finite double for JSON: NaN and infinities (never expected) become 0.
double FiniteOrZero(double value);

}  // namespace arbiter::server::http
