// Environment twins for command-line flags: every flag `--foo_bar` of arbiterd can also be set
// with `ARBITER_FOO_BAR`. Precedence is flag > environment > default: main() applies the
// environment to the flags first, then lets absl::ParseCommandLine override them.
//
// Only main.cc uses this; it is a library so the precedence rules are tested. arbiterd's flags are
// those of server/main.cc and of the verifier folders' flags.cc (IsArbiterdFlagFile).
// Thread-safety: call from main() before any other thread reads the flags.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace arbiter::server {

// "max_deadline" -> "ARBITER_MAX_DEADLINE".
std::string EnvName(absl::string_view flag_name);

// Reads one environment variable; nullopt when unset. Injected so tests need no real env.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> ProcessEnv(const std::string& name);

// For each flag in `flag_names` whose twin EnvName(flag) is set, parses the variable's value into
// the flag, exactly as `--flag=value` would. Stops at the first error: INVALID_ARGUMENT naming the
// variable, the flag and why (e.g. "ARBITER_MAX_DEADLINE='ten' is not a valid value for
// --max_deadline: ..."); NOT_FOUND when a name is not a registered flag.
absl::Status ApplyEnvironment(absl::Span<const std::string> flag_names, const EnvLookup& lookup);

// True for the source files that define arbiterd's own flags: `server/main.cc` and a verifier
// folder's `verifiers/<name>/flags.cc` (paths as the compiler saw them, absolute or relative).
// Flags of other files (gRPC's, Abseil's) get no twin and are not in --help.
bool IsArbiterdFlagFile(absl::string_view file);

// Names of the registered flags defined in a source file for which `defined_in(path)` is true,
// sorted.
std::vector<std::string> FlagsDefinedIn(absl::FunctionRef<bool(absl::string_view)> defined_in);

// One "name=value" line per flag, with its current value, in the order given.
std::vector<std::string> FlagValues(absl::Span<const std::string> flag_names);

}  // namespace arbiter::server
