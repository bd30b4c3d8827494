// Bridges between std::string_view (used by this folder) and Debian's Abseil 20220623, whose
// absl::string_view is its own type, not an alias of std::string_view. Thread-safe (pure).
#pragma once

#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace arbiter::sat::internal {

inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }

// C-style escaping of untrusted bytes for error messages (valid UTF-8, printable).
inline std::string Escape(std::string_view s) { return absl::CHexEscape(ToAbsl(s)); }

}  // namespace arbiter::sat::internal
