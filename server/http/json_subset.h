// A fast parser for the JSON that trainers send, in front of nlohmann's.
//
// nlohmann's lexer costs ≈ 4 ns per byte (it copies every character twice, one call each): on
// per-sample slime traffic (2.3 KB bodies) it was the largest of the gateway's own costs per
// request. This reader (plain bytes 8 at a time): 0.69 µs per such body against nlohmann's
// 10.1 µs (CPU time, server_http_json_benchmark, load average ≈ 12). ParseJsonSubset accepts a
// subset of JSON and builds the same nlohmann::json value nlohmann::json::parse would, or returns
// nullopt and leaves the text to nlohmann (which then gives the value or the error). The subset:
// objects without a repeated key, arrays, strings whose escapes are \" \\ \/ \b \f \n \r \t and
// whose bytes are well-formed UTF-8 (no control characters), true/false/null, and integers that fit
// in 64 bits (unsigned when not negative, as nlohmann stores them), around JSON whitespace.
// Anything else (\u escapes, fractions, exponents, a byte-order mark, any error) is not in the
// subset. Differential test against nlohmann: json_subset_test.cc; the request fuzz target asserts
// the agreement on every input too.
//
// Arrays and objects nested deeper than `max_depth` are not in the subset either, so an accepted
// text never nests deeper (sdk::JsonNestsDeeperThan(text, max_depth) is false for it): the caller
// checks nesting only for what falls through. Recursion is one level per nesting.
// Pure function; thread-safe; linear in the input.
#pragma once

#include <optional>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace arbiter::server::http {

// The value nlohmann::json::parse(text) returns, or nullopt when `text` is outside the subset.
std::optional<nlohmann::json> ParseJsonSubset(absl::string_view text, int max_depth);

}  // namespace arbiter::server::http
