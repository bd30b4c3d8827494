// The `arbiter` subcommands. Each takes the words after its name, prints its own --help, and
// returns the process exit code: 0 success, 1 the operation failed (server unreachable, RPC error,
// not SERVING), 2 bad usage.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/flags.h"
#include "client/client.h"

namespace arbiter::client::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int RunScore(const std::vector<std::string>& args);
int RunGen(const std::vector<std::string>& args);
int RunHealth(const std::vector<std::string>& args);
int RunVerifiers(const std::vector<std::string>& args);
int RunBench(const std::vector<std::string>& args);

// `arbiter gen KIND --params=JSON` for any generator the server lists (gen_any.cc).
int GenAny(const std::string& kind, const std::vector<std::string>& args);
// "  kind (params type): description" per generator of the server at `server`; "" if unreachable.
std::string ListedKinds(const std::string& server);

// Shared plumbing.
// Parses `args` into `flags`; prints usage (exit 0) for --help or the error (exit 2). Returns -1
// when the command should go on.
int ParseOrExit(FlagSet& flags, const std::vector<std::string>& args);
// A client for `server` with the CLI's defaults.
absl::StatusOr<std::unique_ptr<Client>> Connect(const std::string& server, absl::Duration deadline,
                                                int max_concurrent_rpcs);
// An output stream for `path` ("-" = stdout). Null (with the reason on stderr) when it cannot be
// opened.
std::unique_ptr<std::ostream, void (*)(std::ostream*)> OpenOutput(const std::string& path);
// Prints "arbiter <command>: <status>" on stderr and returns kExitFailure.
int Fail(const std::string& command, const absl::Status& status);

}  // namespace arbiter::client::cli
