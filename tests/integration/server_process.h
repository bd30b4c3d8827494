// The real `arbiterd`, started for one test: bound to 127.0.0.1:0, its port read from
// --port_file, ready once grpc.health.v1 answers SERVING. Stop() sends SIGTERM and returns the
// exit code; the destructor SIGKILLs a server still running, so no test leaves one behind.
//
// Thread-safety: used from one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/subprocess.h"

namespace arbiter::integration {

class ServerProcess {
 public:
  // Starts `arbiterd_path` with the flags above plus `extra_flags`, writing its port file and
  // logs into `scratch_dir`. Fails with a message that includes the server's stderr when it exits
  // early, never writes its port file, or is not SERVING within `startup_timeout`.
  // `wrapper`, when given, is put before the command (e.g. {"unshare", "--pid", "--fork"}); pid()
  // is then the wrapper's. `host` is the IPv4 address it listens on (port 0: any free one), which
  // must be reachable from here (e.g. a network namespace's address with an `ip netns exec`
  // wrapper).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& arbiterd_path, const std::string& scratch_dir,
      const std::vector<std::string>& extra_flags = {},
      absl::Duration startup_timeout = absl::Seconds(60),
      const std::vector<std::string>& wrapper = {}, const std::string& host = "127.0.0.1");

  // "HOST:PORT" ("127.0.0.1:PORT" by default).
  const std::string& address() const { return address_; }
  pid_t pid() const { return process_.pid(); }
  // SIGTERM, then waits up to `timeout` for the exit; returns the exit code.
  absl::StatusOr<int> Stop(absl::Duration timeout);
  // Sends `signal` (e.g. SIGKILL, SIGSTOP) without waiting.
  void Signal(int signal) const { process_.Signal(signal); }
  // Waits up to `timeout` for an exit caused elsewhere; returns the exit code.
  absl::StatusOr<int> Wait(absl::Duration timeout) { return process_.Wait(timeout); }
  // The server's stderr so far (for failure messages).
  std::string Log() const;

 private:
  ServerProcess(Subprocess process, std::string log_path)
      : process_(std::move(process)), log_path_(std::move(log_path)) {}

  Subprocess process_;
  std::string log_path_;
  std::string address_;
};

}  // namespace arbiter::integration
