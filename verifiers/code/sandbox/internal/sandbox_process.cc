#include "verifiers/code/sandbox/internal/sandbox_process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace arbiter::code::internal {
namespace {

constexpr size_t kStderrKeep = 64 << 10;
// How often a blocked wait looks at the cancellation token (it has no descriptor to poll).
constexpr int kPollSliceMs = 20;

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

int SliceMs(absl::Time deadline) {
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  return static_cast<int>(std::min<int64_t>(kPollSliceMs, absl::ToInt64Milliseconds(left) + 1));
}

}  // namespace

absl::Status ContextStatus(const sdk::VerifyContext& ctx) {
  return ctx.Cancelled() ? absl::CancelledError("sandbox session cancelled")
                         : absl::DeadlineExceededError("sandbox session reached the deadline");
}

absl::StatusOr<std::unique_ptr<SandboxProcess>> SandboxProcess::Start(
    const std::vector<std::string>& argv, int extra_fd) {
  int channel[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0) {
    return absl::InternalError(absl::StrCat("socketpair: ", strerror(errno)));
  }
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(channel[0]);
    close(channel[1]);
    return absl::InternalError(absl::StrCat("pipe2: ", strerror(errno)));
  }
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  cargv.reserve(args.size() + 1);
  for (std::string& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, channel[1], 0);
  posix_spawn_file_actions_adddup2(&actions, channel[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  if (extra_fd >= 0) posix_spawn_file_actions_adddup2(&actions, extra_fd, 3);
  posix_spawn_file_actions_addclosefrom_np(&actions, extra_fd >= 0 ? 4 : 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t mask, defaults;
  sigemptyset(&mask);
  sigfillset(&defaults);
  posix_spawnattr_setsigmask(&attr, &mask);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSID | POSIX_SPAWN_USEVFORK);
  pid_t pid = -1;
  // Nothing of the server's environment reaches bwrap (nor its /proc/<pid>/environ).
  char path_env[] = "PATH=/usr/bin:/bin";
  char* envp[] = {path_env, nullptr};
  const int rc = posix_spawn(&pid, cargv[0], &actions, &attr, cargv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(channel[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(channel[0]);
    close(err_pipe[0]);
    return absl::UnavailableError(absl::StrCat("posix_spawn ", args[0], ": ", strerror(rc)));
  }
  auto process = std::unique_ptr<SandboxProcess>(new SandboxProcess());
  process->pid_ = pid;
  process->channel_fd_ = channel[0];
  process->stderr_fd_ = err_pipe[0];
  fcntl(process->channel_fd_, F_SETFL, O_NONBLOCK);
  fcntl(process->stderr_fd_, F_SETFL, O_NONBLOCK);
  return process;
}

SandboxProcess::~SandboxProcess() {
  Kill();
  CloseFd(channel_fd_);
  CloseFd(stderr_fd_);
}

void SandboxProcess::DrainStderr() {
  char buf[4096];
  while (stderr_fd_ >= 0) {
    const ssize_t n = read(stderr_fd_, buf, sizeof buf);
    if (n > 0) {
      stderr_.append(buf, std::min(static_cast<size_t>(n),
                                   kStderrKeep - std::min(kStderrKeep, stderr_.size())));
      continue;
    }
    if (n == 0) CloseFd(stderr_fd_);
    return;
  }
}

absl::Status SandboxProcess::Send(const std::string& encoded, absl::Time deadline,
                                  const sdk::VerifyContext& ctx) {
  size_t sent = 0;
  while (sent < encoded.size()) {
    const ssize_t n = send(channel_fd_, encoded.data() + sent, encoded.size() - sent,
                           MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return absl::UnavailableError(absl::StrCat("sandbox channel: ", strerror(errno)));
    }
    if (ctx.Done()) return ContextStatus(ctx);
    if (absl::Now() >= deadline) return absl::DeadlineExceededError("sandbox harness not reading");
    pollfd fds[2] = {{channel_fd_, POLLOUT, 0}, {stderr_fd_, POLLIN, 0}};
    poll(fds, stderr_fd_ >= 0 ? 2 : 1, SliceMs(deadline));
    if (fds[1].revents) DrainStderr();
  }
  return absl::OkStatus();
}

absl::StatusOr<Frame> SandboxProcess::Receive(absl::Time deadline, const sdk::VerifyContext& ctx) {
  char buf[1 << 16];
  while (true) {
    auto next = decoder_.Next();
    if (!next.ok()) return next.status();
    if (next->has_value()) return **std::move(next);
    const ssize_t n = recv(channel_fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      decoder_.Append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      DrainStderr();
      return absl::UnavailableError("sandbox harness closed the channel");
    }
    if (errno != EAGAIN && errno != EINTR) {
      return absl::UnavailableError(absl::StrCat("sandbox channel: ", strerror(errno)));
    }
    if (ctx.Done()) return ContextStatus(ctx);
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError("sandbox harness did not answer in time");
    }
    pollfd fds[2] = {{channel_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
    poll(fds, stderr_fd_ >= 0 ? 2 : 1, SliceMs(deadline));
    if (fds[1].revents) DrainStderr();
  }
}

int SandboxProcess::WaitExit(absl::Time deadline) {
  while (!reaped_) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      DrainStderr();
      return status;
    }
    if (r < 0 && errno != EINTR) return -1;
    if (absl::Now() >= deadline) return -1;
    pollfd fd = {stderr_fd_, POLLIN, 0};
    poll(&fd, stderr_fd_ >= 0 ? 1 : 0, std::min(SliceMs(deadline), 5));
    if (fd.revents) DrainStderr();
  }
  return -1;
}

void SandboxProcess::Kill() {
  if (pid_ <= 0 || reaped_) return;
  // The child called setsid(): its pid is the process group. bwrap's --die-with-parent and the
  // pid namespace take everything inside down with it.
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  int status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

}  // namespace arbiter::code::internal
