// Child processes for the integration tests: posix_spawn with stdio redirected to files, waits
// bounded in time, and a kill-on-destruction guarantee so no test leaves a process behind.
//
// Thread-safety: a Subprocess is used from one thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace arbiter::integration {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the executable path
  std::string stdin_path = "/dev/null";
  std::string stdout_path = "/dev/null";
  std::string stderr_path = "/dev/null";
};

class Subprocess {
 public:
  static absl::StatusOr<Subprocess> Spawn(const SpawnOptions& options);
  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&&) = delete;
  Subprocess(const Subprocess&) = delete;
  ~Subprocess();  // SIGKILLs and reaps a child still running

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // Sends `signal` to the child (no-op when it has been reaped).
  void Signal(int signal) const;
  // Reaps without blocking: true (and the exit code in *code) when the child has exited.
  bool TryWait(int* code);
  // Waits up to `timeout` for the child to exit. The exit code, or 128+signal for a child killed
  // by a signal. DEADLINE_EXCEEDED (child left running) on timeout.
  absl::StatusOr<int> Wait(absl::Duration timeout);

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv to completion with `stdin_path` as input, capturing stdout and stderr through files
// in `scratch_dir`. The child is killed after `timeout` (DEADLINE_EXCEEDED).
absl::StatusOr<RunResult> RunProcess(const std::vector<std::string>& argv,
                                     const std::string& scratch_dir, absl::Duration timeout,
                                     const std::string& stdin_path = "/dev/null");

// Whole-file read; NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// A fresh directory under $TMPDIR (or /tmp), removed recursively by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace arbiter::integration
