#include "verifiers/code/sandbox/internal/sandbox_command.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code::internal {
namespace {

constexpr char kPath[] = "/usr/local/bin:/usr/bin:/bin";

// Every command gets these and nothing of the server's environment.
const std::vector<std::pair<std::string, std::string>>& BaseEnv() {
  static const auto* const env =
      new std::vector<std::pair<std::string, std::string>>{{"PATH", kPath},
                                                           {"LANG", "C.UTF-8"},
                                                           {"PYTHONDONTWRITEBYTECODE", "1"},
                                                           {"PYTHONHASHSEED", "0"}};
  return *env;
}

bool IsSymlink(const char* path) {
  struct stat st;
  return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

// A sealed, read-only memfd holding `data` (the seccomp program bwrap reads from fd 3).
absl::StatusOr<int> DataFd(const std::string& data) {
  const int fd = memfd_create("arbiter-sandbox-data", MFD_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("memfd_create: ", strerror(errno)));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      close(fd);
      return absl::InternalError("writing the seccomp program failed");
    }
    done += static_cast<size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

}  // namespace

std::vector<std::string> SandboxCommand::LauncherPrefix(const Launch& launch) const {
  // The launcher joins the session's cgroups (so every sandbox process starts inside them), sets
  // the rlimits and, as root, becomes the unprivileged host uid/gid before it execs bwrap.
  std::vector<std::string> prefix;
  for (const std::string& file : launch.procs_files) prefix.insert(prefix.end(), {"--procs", file});
  for (const Launch::Rlimit& r : launch.rlimits) {
    prefix.insert(prefix.end(), {"--rlimit", absl::StrCat(r.name, "=", r.soft, ":", r.hard)});
  }
  if (isolated() && geteuid() == 0) {
    prefix.insert(prefix.end(), {"--uid", absl::StrCat(options_.host_uid), "--gid",
                                 absl::StrCat(options_.host_gid)});
  }
  if (!isolated() && !launch.cwd.empty()) prefix.insert(prefix.end(), {"--chdir", launch.cwd});
  if (!prefix.empty()) {
    prefix.insert(prefix.begin(), launcher_path_);
    prefix.emplace_back("--");
  }
  return prefix;
}

std::vector<std::string> SandboxCommand::BwrapArgs(const Launch& launch) const {
  // --as-pid-1: the harness is init of the pid namespace, so a test cannot signal it (init only
  // gets signals it handles) and kill(-1) from it reaches every other sandbox process.
  std::vector<std::string> a = {options_.bwrap_path,
                                "--unshare-all",
                                "--unshare-user",
                                "--disable-userns",
                                "--die-with-parent",
                                "--as-pid-1",
                                "--new-session",
                                "--uid",
                                "65534",
                                "--gid",
                                "65534",
                                "--hostname",
                                "sandbox",
                                "--ro-bind",
                                "/usr",
                                "/usr"};
  // Merged-/usr systems have /bin etc. as symlinks into /usr; otherwise bind the directories.
  for (const char* dir : {"/bin", "/sbin", "/lib", "/lib64", "/lib32"}) {
    if (IsSymlink(dir)) {
      char target[256];
      const ssize_t n = readlink(dir, target, sizeof target - 1);
      if (n <= 0) continue;
      a.insert(a.end(), {"--symlink", std::string(target, static_cast<size_t>(n)), dir});
    } else if (access(dir, F_OK) == 0) {
      a.insert(a.end(), {"--ro-bind", dir, dir});
    }
  }
  for (const std::string& path : options_.extra_ro_binds) {
    a.insert(a.end(), {"--ro-bind", path, path});
  }
  // As host root, a write to /proc/sys would reach global kernel settings (core_pattern!): the
  // launcher's uid drop prevents that, and /proc/sys is hidden behind an empty read-only tmpfs
  // all the same (defence in depth).
  a.insert(a.end(),
           {"--proc", "/proc", "--tmpfs", "/proc/sys", "--remount-ro", "/proc/sys", "--dev", "/dev",
            "--size", absl::StrCat(options_.shm_tmpfs_bytes), "--tmpfs", "/dev/shm", "--size",
            absl::StrCat(options_.work_tmpfs_bytes), "--tmpfs", "/work"});
  for (const Launch::Bind& bind : launch.binds) {
    a.insert(a.end(), {bind.writable ? "--bind" : "--ro-bind", bind.host, bind.inside});
  }
  a.insert(a.end(), {"--remount-ro", "/dev", "--remount-ro", "/", "--clearenv"});
  for (const auto& env : {BaseEnv(), launch.env}) {
    for (const auto& [name, value] : env) a.insert(a.end(), {"--setenv", name, value});
  }
  a.insert(a.end(), {"--chdir", launch.cwd.empty() ? "/work" : launch.cwd, "--cap-drop", "ALL",
                     "--seccomp", "3", "--"});
  return a;
}

std::vector<std::string> SandboxCommand::Argv(const Launch& launch) const {
  std::vector<std::string> argv = LauncherPrefix(launch);
  if (isolated()) {
    const std::vector<std::string> bwrap = BwrapArgs(launch);
    argv.insert(argv.end(), bwrap.begin(), bwrap.end());
  } else {
    argv.insert(argv.end(), {"/usr/bin/env", "-i"});
    for (const auto& env : {BaseEnv(), launch.env}) {
      for (const auto& [name, value] : env) argv.push_back(absl::StrCat(name, "=", value));
    }
  }
  argv.insert(argv.end(), launch.command.begin(), launch.command.end());
  return argv;
}

absl::StatusOr<std::unique_ptr<SandboxProcess>> SandboxCommand::Start(const Launch& launch) const {
  int data_fd = -1;
  if (isolated()) {
    ARBITER_ASSIGN_OR_RETURN(data_fd, DataFd(seccomp_bpf_));
  }
  auto process = SandboxProcess::Start(Argv(launch), data_fd);
  if (data_fd >= 0) close(data_fd);
  return process;
}

}  // namespace arbiter::code::internal
