// UTF-8 hygiene for text a verifier copies out of untrusted places (program output, compiler
// diagnostics, completions) into a response.
//
// Every proto3 `string` field must hold well-formed UTF-8: a client that parses a response with
// one ill-formed field rejects the whole response, so one program printing half of a `€` would
// lose every group of its batch. Cut text with Utf8Prefix/Utf8Suffix (never mid-character) and
// repair it with ToValidUtf8; the server also runs RepairUtf8Fields over every result it sends.
//
// Well-formed means RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF. All functions are pure and thread-safe; time is linear in the input.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "arbiter/v1/arbiter.pb.h"
#include "google/protobuf/message.h"

namespace arbiter::sdk {

inline constexpr absl::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed sequence that starts at text[pos], or 0 when the bytes there are
// not one (a stray continuation byte, a truncated or overlong sequence, a surrogate, ...).
size_t Utf8SequenceAt(absl::string_view text, size_t pos);

bool IsValidUtf8(absl::string_view text);

// `text` with each maximal ill-formed subpart replaced by U+FFFD (the WHATWG/Unicode "maximal
// subpart" practice); well-formed text is returned unchanged.
std::string ToValidUtf8(absl::string_view text);

// The longest prefix (suffix) of at most `max_bytes` bytes that does not cut a well-formed
// character in two. Ill-formed bytes are kept as they are: repair separately.
absl::string_view Utf8Prefix(absl::string_view text, size_t max_bytes);
absl::string_view Utf8Suffix(absl::string_view text, size_t max_bytes);

// Replaces every ill-formed `string` field of `message`, recursively (nested, repeated, map and
// oneof fields; `bytes` fields are left alone), by its ToValidUtf8 form. Returns how many
// values were repaired. Cost: one validation pass over every string that is set.
int RepairUtf8Fields(google::protobuf::Message& message);

// Repairs `detail` (RepairUtf8Fields) and packs it into `result`'s extension slot: the server
// cannot see inside a packed message, so a verifier whose detail travels as google.protobuf.Any
// must pack it through this.
void PackDetail(google::protobuf::Message& detail, arbiter::v1::SampleResult& result);

}  // namespace arbiter::sdk
