// JSON Lines I/O for arbiter messages, in proto3's canonical JSON mapping.
//
// Input: one message per line; field names may be lowerCamelCase ("groupId") or the proto's own
// snake_case ("group_id"); enums by name ("MODE_COMPAT") or number; unknown fields are an error
// (a misspelt field must not be silently dropped).
// Output: one message per line, field names in snake_case (the proto's names, as in Saturn's and
// the trainers' own files), and every primitive field printed even when it holds its default, so
// a consumer reads `"score": 0` rather than a missing key. Enums print by name; 64-bit integers
// print as JSON strings (proto3 JSON). Unset message fields and unset oneof members are omitted.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace arbiter::client {

// Parses one JSON object into `message` (cleared first). INVALID_ARGUMENT with the parser's
// reason on failure.
absl::Status ParseJsonMessage(std::string_view json, google::protobuf::Message* message);

// Prints `message` as one line of JSON (no trailing newline), as described above.
absl::StatusOr<std::string> PrintJsonMessage(const google::protobuf::Message& message);

// True when `line` holds only whitespace (such lines are skipped by the JSONL readers).
bool IsBlankLine(std::string_view line);

}  // namespace arbiter::client
