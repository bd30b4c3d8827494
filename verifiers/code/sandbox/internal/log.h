// Minimal logging for the sandbox (Debian's Abseil 20220623 has no absl/log): one line to stderr,
// prefixed with the level and "sandbox:". Thread-safe (one fprintf per line).
#pragma once

#include <string_view>

namespace arbiter::code::internal {

enum class LogLevel { kInfo, kWarning, kError };

void Log(LogLevel level, std::string_view message);

}  // namespace arbiter::code::internal
