// One running sandbox (bwrap + harness, or the harness alone without isolation) and the framed
// channel to it. Started with posix_spawn (vfork semantics: the server never fork()s): the child
// gets a fresh session (setsid), default signal dispositions and an empty signal mask, and only
// the descriptors listed here (closefrom); every descriptor of ours is O_CLOEXEC.
//   fd 0 and 1: one end of a socketpair carrying frames (see protocol.h)
//   fd 2:       a pipe whose first 64 KiB we keep (bwrap's and the harness's own errors)
//   fd 3:       optional, e.g. the seccomp BPF for bwrap's --seccomp 3
// Joining the session's cgroups happens in argv itself (the launcher, see launcher.c).
//
// Thread-safety: one thread at a time. The destructor kills the process group and reaps it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "verifiers/code/sandbox/internal/protocol.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::code::internal {

class SandboxProcess {
 public:
  static absl::StatusOr<std::unique_ptr<SandboxProcess>> Start(const std::vector<std::string>& argv,
                                                               int extra_fd);
  ~SandboxProcess();

  // Sends one frame. UNAVAILABLE when the other side is gone.
  absl::Status Send(const std::string& encoded, absl::Time deadline, const sdk::VerifyContext& ctx);
  // Waits for one frame until `deadline` (DEADLINE_EXCEEDED, with a message saying it was our
  // own timeout) or ctx is done (CANCELLED / DEADLINE_EXCEEDED). UNAVAILABLE when the harness
  // closed the channel or died; DATA_LOSS on a malformed frame.
  absl::StatusOr<Frame> Receive(absl::Time deadline, const sdk::VerifyContext& ctx);
  // Waits for the process to exit by itself until `deadline`; returns its wait status or -1.
  int WaitExit(absl::Time deadline);

  // SIGKILL to the whole process group, then reap. Idempotent.
  void Kill();
  pid_t pid() const { return pid_; }
  const std::string& stderr_text() const { return stderr_; }

 private:
  SandboxProcess() = default;
  void DrainStderr();

  pid_t pid_ = -1;
  bool reaped_ = false;
  int channel_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_;
  FrameDecoder decoder_{size_t{256} << 20};
};

// Status to return when ctx says stop.
absl::Status ContextStatus(const sdk::VerifyContext& ctx);

}  // namespace arbiter::code::internal
