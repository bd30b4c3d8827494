#include "verifiers/code/sandbox/internal/log.h"

#include <cstdio>

namespace arbiter::code::internal {

void Log(LogLevel level, std::string_view message) {
  const char tag = level == LogLevel::kInfo ? 'I' : level == LogLevel::kWarning ? 'W' : 'E';
  std::fprintf(stderr, "%c arbiter sandbox: %.*s\n", tag, static_cast<int>(message.size()),
               message.data());
}

}  // namespace arbiter::code::internal
