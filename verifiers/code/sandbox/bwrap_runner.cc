#include "verifiers/code/sandbox/bwrap_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "verifiers/code/sandbox/internal/cgroup.h"
#include "verifiers/code/sandbox/internal/compile_cache.h"
#include "verifiers/code/sandbox/internal/harness_source.h"
#include "verifiers/code/sandbox/internal/log.h"
#include "verifiers/code/sandbox/internal/protocol.h"
#include "verifiers/code/sandbox/internal/sandbox_process.h"
#include "verifiers/code/sandbox/internal/seccomp_filter.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {
namespace {

using internal::Frame;
using internal::SandboxProcess;

constexpr char kPath[] = "/usr/local/bin:/usr/bin:/bin";
// Room for the harness (supervisor and forker) and the tmpfs pages (charged to the session's
// cgroup).
constexpr int64_t kHarnessMemory = int64_t{96} << 20;
// bwrap itself and the harness's two processes (supervisor and forker) live in the session's pids
// group besides the test's processes.
constexpr int kHarnessProcesses = 3;

bool IsSymlink(const char* path) {
  struct stat st;
  return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

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

// An embedded artifact (the forker library, the launcher) as a file in `dir`, which the
// unprivileged host uid bwrap runs as can traverse; each runner writes its own copies.
absl::StatusOr<std::string> WriteEmbedded(const std::string& dir, const char* name,
                                          const char* suffix, std::string_view bytes, mode_t mode) {
  std::string path = absl::StrCat(dir, "/", name, "-XXXXXX", suffix);
  const int fd = mkstemps(path.data(), static_cast<int>(strlen(suffix)));
  if (fd < 0) {
    return absl::FailedPreconditionError(absl::StrCat("mkstemps ", path, ": ", strerror(errno)));
  }
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == bytes.size() && fchmod(fd, mode) == 0;
  close(fd);
  if (!ok) {
    unlink(path.c_str());
    return absl::FailedPreconditionError(absl::StrCat("cannot write ", path));
  }
  return path;
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// Below this much free space a failed compilation is blamed on the disk, not the program.
constexpr int64_t kMinFreeScratchBytes = int64_t{16} << 20;

int64_t FreeBytes(const std::string& path) {
  struct statvfs fs;
  if (statvfs(path.c_str(), &fs) != 0) return INT64_MAX;
  return static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
}

nlohmann::json LimitsJson(const RunLimits& limits) {
  return {{"cpu_s", Seconds(limits.cpu)},
          {"wall_s", Seconds(limits.wall)},
          {"memory_bytes", limits.memory_bytes},
          // RLIMIT_NPROC counts every process of uid 65534 in the sandbox's user namespace,
          // including the harness's supervisor (pid 1) and forker.
          {"nproc", limits.max_processes + 2},
          {"nofile", limits.max_open_files},
          {"fsize", limits.max_file_bytes},
          {"max_stdout", limits.max_stdout_bytes},
          {"max_stderr", limits.max_stderr_bytes}};
}

RawRun::Status ParseStatus(const std::string& s) {
  if (s == "exited") return RawRun::Status::kExited;
  if (s == "signaled") return RawRun::Status::kSignaled;
  if (s == "cpu") return RawRun::Status::kCpuTimeLimit;
  if (s == "wall") return RawRun::Status::kWallTimeLimit;
  if (s == "memory") return RawRun::Status::kMemoryLimit;
  if (s == "output") return RawRun::Status::kOutputLimit;
  return RawRun::Status::kNotRun;
}

absl::StatusOr<RawRun> ToRawRun(const Frame& frame) {
  const nlohmann::json& h = frame.header;
  if (frame.blobs.size() != 3 || !h.contains("status") || !h["status"].is_string()) {
    return absl::DataLossError("malformed test result from the harness");
  }
  RawRun run;
  run.status = ParseStatus(h["status"].get<std::string>());
  if (run.status == RawRun::Status::kNotRun) return absl::DataLossError("unknown test status");
  run.exit_code = h.value("exit_code", 0);
  run.signal = h.value("signal", 0);
  run.cpu_time = absl::Seconds(h.value("cpu_s", 0.0));
  run.wall_time = absl::Seconds(h.value("wall_s", 0.0));
  run.peak_memory_bytes = h.value("maxrss", int64_t{0});
  run.error = h.value("error", std::string());
  run.stdout_data = frame.blobs[0];
  run.stderr_data = frame.blobs[1];
  run.return_json = frame.blobs[2];
  return run;
}

// The test took the harness down with it (killed it, stopped it, or forged frames): the
// program's own failure, reported on the test, never an infrastructure error.
RawRun HarnessLost(const absl::Status& why, const RunLimits& limits) {
  RawRun run;
  const bool hung = absl::IsDeadlineExceeded(why);
  run.status = hung ? RawRun::Status::kWallTimeLimit : RawRun::Status::kSignaled;
  run.signal = hung ? 0 : SIGKILL;
  run.error = absl::StrCat("the test broke the sandbox harness: ", why.message());
  run.wall_time = hung ? limits.wall : absl::ZeroDuration();
  return run;
}

}  // namespace

class BwrapRunner::Session {
 public:
  ~Session() {
    process.reset();  // kills bwrap; --die-with-parent + the pid namespace take the rest
    cgroup.reset();   // kills stragglers, waits until empty, removes the groups
    if (!host_work_dir.empty()) internal::RemoveTree(host_work_dir);
  }
  std::unique_ptr<internal::SessionCgroup> cgroup;
  std::unique_ptr<SandboxProcess> process;
  std::string host_work_dir;  // Isolation::kNone only
};

BwrapRunner::BwrapRunner(BwrapOptions options) : options_(std::move(options)) {}
BwrapRunner::~BwrapRunner() {
  for (const std::string& path : {forker_path_, launcher_path_}) {
    if (!path.empty()) unlink(path.c_str());
  }
}

absl::StatusOr<std::unique_ptr<BwrapRunner>> BwrapRunner::Create(BwrapOptions options) {
  auto runner = std::unique_ptr<BwrapRunner>(new BwrapRunner(std::move(options)));
  const BwrapOptions& o = runner->options_;
  if (access(o.python_path.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("no interpreter at ", o.python_path));
  }
  runner->harness_source_ = std::string(internal::HarnessSource());
  ARBITER_ASSIGN_OR_RETURN(runner->cache_,
                           internal::CompileCache::Create(o.cache_dir, o.cache_max_bytes));
  ARBITER_ASSIGN_OR_RETURN(
      runner->forker_path_,
      WriteEmbedded(runner->cache_->dir(), "forker", ".so", internal::ForkerLibrary(), 0444));
  ARBITER_ASSIGN_OR_RETURN(
      runner->launcher_path_,
      WriteEmbedded(runner->cache_->dir(), "launcher", "", internal::LauncherProgram(), 0500));
  if (o.isolation == BwrapOptions::Isolation::kBwrap) {
    if (access(o.bwrap_path.c_str(), X_OK) != 0) {
      return absl::FailedPreconditionError(absl::StrCat("no bubblewrap at ", o.bwrap_path));
    }
    for (const std::string& path : o.extra_ro_binds) {
      if (!Exists(path)) return absl::FailedPreconditionError(absl::StrCat("no ", path));
    }
    ARBITER_ASSIGN_OR_RETURN(runner->seccomp_bpf_, internal::BuildSeccompBpf());
    runner->cgroups_ = internal::CgroupManager::Create(o.use_cgroups);
    // Probe: a sandbox that cannot start (no user namespaces, seccomp refused) fails here, at
    // start-up, instead of on every request.
    SessionRequest probe;
    probe.program = "print(1)";
    probe.tests.resize(1);
    auto result = runner->RunSession(probe, sdk::VerifyContext{}, nullptr);
    if (!result.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the sandbox cannot start on this machine: ", result.status().message()));
    }
    if (result->tests[0].stdout_data != "1\n") {
      return absl::FailedPreconditionError(
          absl::StrCat("the sandbox probe printed '", result->tests[0].stdout_data, "' (error '",
                       result->tests[0].error, "', stderr '", result->tests[0].stderr_data, "')"));
    }
  } else {
    runner->cgroups_ = internal::CgroupManager::Create(false);
  }
  return runner;
}

std::string BwrapRunner::DescribeIsolation() const {
  if (options_.isolation == BwrapOptions::Isolation::kNone) {
    return "NONE: candidate programs run on the host as this server's user, with rlimits only "
           "(no namespaces, no seccomp, no filesystem isolation)";
  }
  return absl::StrCat(
      "bubblewrap (user/pid/net/ipc/uts/cgroup namespaces, read-only /usr, tmpfs "
      "/work ",
      options_.work_tmpfs_bytes >> 20,
      " MiB, uid 65534, no "
      "capabilities) + seccomp deny-list + rlimits + ",
      cgroups_ ? cgroups_->Describe() : "no cgroups");
}

void BwrapRunner::LogIsolationMode() const {
  const bool none = options_.isolation == BwrapOptions::Isolation::kNone;
  internal::Log(none ? internal::LogLevel::kWarning : internal::LogLevel::kInfo,
                absl::StrCat(none ? "UNSANDBOXED MODE: " : "isolation: ", DescribeIsolation()));
}

std::vector<std::string> BwrapRunner::SandboxArgv(
    const std::vector<std::string>& extra_binds, const std::vector<std::string>& command,
    const std::vector<std::string>& procs_files) const {
  // The launcher joins the session's cgroups (so every sandbox process starts inside them) and,
  // as root, becomes the unprivileged host uid/gid before it execs bwrap.
  std::vector<std::string> prefix;
  for (const std::string& file : procs_files) prefix.insert(prefix.end(), {"--procs", file});
  if (geteuid() == 0) {
    prefix.insert(prefix.end(), {"--uid", absl::StrCat(options_.host_uid), "--gid",
                                 absl::StrCat(options_.host_gid)});
  }
  if (!prefix.empty()) {
    prefix.insert(prefix.begin(), launcher_path_);
    prefix.push_back("--");
  }
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
  a.insert(a.begin(), prefix.begin(), prefix.end());
  // Merged-/usr systems have /bin etc. as symlinks into /usr; otherwise bind the directories.
  for (const char* dir : {"/bin", "/sbin", "/lib", "/lib64", "/lib32"}) {
    if (IsSymlink(dir)) {
      char target[256];
      const ssize_t n = readlink(dir, target, sizeof target - 1);
      if (n <= 0) continue;
      a.insert(a.end(), {"--symlink", std::string(target, static_cast<size_t>(n)), dir});
    } else if (Exists(dir)) {
      a.insert(a.end(), {"--ro-bind", dir, dir});
    }
  }
  for (const std::string& path : options_.extra_ro_binds) {
    a.insert(a.end(), {"--ro-bind", path, path});
  }
  // As host root, a write to /proc/sys would reach global kernel settings (core_pattern!): the
  // launcher's uid drop prevents that ...
  // ... and /proc/sys is hidden behind an empty read-only tmpfs all the same (defence in depth).
  a.insert(a.end(),
           {"--proc", "/proc", "--tmpfs", "/proc/sys", "--remount-ro", "/proc/sys", "--dev", "/dev",
            "--size", absl::StrCat(options_.shm_tmpfs_bytes), "--tmpfs", "/dev/shm", "--size",
            absl::StrCat(options_.work_tmpfs_bytes), "--tmpfs", "/work"});
  a.insert(a.end(), extra_binds.begin(), extra_binds.end());
  a.insert(a.end(), {"--remount-ro",
                     "/dev",
                     "--remount-ro",
                     "/",
                     "--clearenv",
                     "--setenv",
                     "PATH",
                     kPath,
                     "--setenv",
                     "LANG",
                     "C.UTF-8",
                     "--setenv",
                     "PYTHONDONTWRITEBYTECODE",
                     "1",
                     "--setenv",
                     "PYTHONHASHSEED",
                     "0",
                     "--setenv",
                     "HOME",
                     "/work",
                     "--setenv",
                     "TMPDIR",
                     "/work",
                     "--chdir",
                     "/work",
                     "--cap-drop",
                     "ALL",
                     "--seccomp",
                     "3",
                     "--"});
  a.insert(a.end(), command.begin(), command.end());
  return a;
}

absl::StatusOr<std::unique_ptr<BwrapRunner::Session>> BwrapRunner::StartSession(
    const SessionRequest& request, const std::string& binary, size_t tests,
    const sdk::VerifyContext& ctx) const {
  auto session = std::make_unique<Session>();
  const bool isolated = options_.isolation == BwrapOptions::Isolation::kBwrap;
  const std::vector<std::string> python = {options_.python_path, "-s", "-B", "-c", harness_source_};
  nlohmann::json init = {{"op", "init"},
                         {"lang", request.language == Language::kCpp ? "cpp" : "python"},
                         {"limits", LimitsJson(request.limits)},
                         {"isolated", isolated},
                         // How many tests will follow: one test runs without a forker.
                         {"tests", tests}};
  std::vector<std::string> procs_files;
  if (isolated && cgroups_->mode() != internal::CgroupMode::kNone) {
    auto group = cgroups_->NewSession(request.limits.memory_bytes + options_.work_tmpfs_bytes +
                                          options_.shm_tmpfs_bytes + kHarnessMemory,
                                      request.limits.max_processes + kHarnessProcesses);
    if (group.ok()) {
      session->cgroup = *std::move(group);
      procs_files = session->cgroup->ProcsFiles();
    }
  }
  int data_fd = -1;
  std::vector<std::string> argv;
  if (isolated) {
    std::vector<std::string> binds = {"--ro-bind", forker_path_, "/arbiter/forker.so"};
    if (!binary.empty()) binds.insert(binds.end(), {"--ro-bind", binary, "/arbiter/prog"});
    argv = SandboxArgv(binds, python, procs_files);
    ARBITER_ASSIGN_OR_RETURN(data_fd, DataFd(seccomp_bpf_));
  } else {
    ARBITER_ASSIGN_OR_RETURN(session->host_work_dir, cache_->NewBuildDir());
    init["work"] = session->host_work_dir;
    init["binary"] = binary;
    init["forker"] = forker_path_;
    argv = {"/usr/bin/env",
            "-i",
            absl::StrCat("PATH=", kPath),
            "LANG=C.UTF-8",
            "PYTHONHASHSEED=0",
            absl::StrCat("HOME=", session->host_work_dir),
            absl::StrCat("TMPDIR=", session->host_work_dir)};
    argv.insert(argv.end(), python.begin(), python.end());
  }
  auto process = SandboxProcess::Start(argv, data_fd);
  if (data_fd >= 0) close(data_fd);
  if (!process.ok()) return process.status();
  session->process = *std::move(process);
  Frame frame;
  frame.header = std::move(init);
  frame.blobs = {request.language == Language::kCpp ? std::string() : request.program};
  const absl::Time deadline = absl::Now() + absl::Seconds(10) + options_.harness_grace;
  absl::Status sent =
      session->process->Send(internal::EncodeFrame(std::move(frame)), deadline, ctx);
  absl::StatusOr<Frame> ready =
      sent.ok() ? session->process->Receive(deadline, ctx) : absl::StatusOr<Frame>(sent);
  if (!ready.ok()) {
    if (ctx.Done()) return internal::ContextStatus(ctx);
    session->process->WaitExit(absl::Now() + absl::Milliseconds(200));
    return absl::UnavailableError(absl::StrCat("sandbox did not start: ", ready.status().message(),
                                               "; stderr: ", session->process->stderr_text()));
  }
  return session;
}

absl::StatusOr<SessionResult> BwrapRunner::RunSession(const SessionRequest& request,
                                                      const sdk::VerifyContext& ctx,
                                                      const TestCallback& on_test) const {
  SessionResult result;
  result.tests.resize(request.tests.size());
  if (ctx.Done()) return internal::ContextStatus(ctx);
  std::string binary;
  // Held for the whole session: an eviction meanwhile cannot unlink the file under us.
  std::shared_ptr<const internal::CompiledProgram> compiled;
  if (request.language == Language::kCpp) {
    ARBITER_ASSIGN_OR_RETURN(compiled, Compile(request.program, ctx));
    result.compile_output = compiled->diagnostics;
    if (!compiled->ok) {
      result.compiled = false;
      return result;
    }
    binary = compiled->binary_path;
  }
  size_t next = 0;
  while (next < request.tests.size()) {
    ARBITER_ASSIGN_OR_RETURN(std::unique_ptr<Session> session,
                             StartSession(request, binary, request.tests.size() - next, ctx));
    bool restart = false;
    for (; next < request.tests.size() && !restart; ++next) {
      if (ctx.Done()) return internal::ContextStatus(ctx);
      const TestInput& test = request.tests[next];
      Frame frame;
      frame.header = {{"op", "test"}, {"fn_name", test.fn_name}};
      frame.blobs = {test.stdin_data, test.args_json};
      const int64_t oom_before = session->cgroup ? session->cgroup->MemoryLimitHits() : 0;
      const absl::Time deadline = absl::Now() + request.limits.wall + options_.harness_grace;
      absl::Status sent =
          session->process->Send(internal::EncodeFrame(std::move(frame)), deadline, ctx);
      absl::StatusOr<Frame> reply =
          sent.ok() ? session->process->Receive(deadline, ctx) : absl::StatusOr<Frame>(sent);
      absl::StatusOr<RawRun> run = reply.ok() ? ToRawRun(*reply) : reply.status();
      if (!run.ok()) {
        if (ctx.Done()) return internal::ContextStatus(ctx);
        run = HarnessLost(run.status(), request.limits);
        restart = true;
      } else if (reply->header.value("retire", false)) {
        restart = true;  // the test changed the harness's own limits: a fresh sandbox goes on
      }
      if (session->cgroup && run->status == RawRun::Status::kSignaled && run->signal == SIGKILL &&
          session->cgroup->MemoryLimitHits() > oom_before) {
        run->status = RawRun::Status::kMemoryLimit;
      }
      result.tests[next] = *std::move(run);
      if (on_test && !on_test(next, result.tests[next])) return result;
    }
  }
  return result;
}

absl::StatusOr<std::shared_ptr<const internal::CompiledProgram>> BwrapRunner::Compile(
    const std::string& source, const sdk::VerifyContext& ctx) const {
  const std::string material =
      absl::StrCat(options_.cxx_path, "\n", absl::StrJoin(options_.cxx_flags, " "), "\n", source);
  auto cached = cache_->Lookup(material);
  if (cached == nullptr) {
    ARBITER_ASSIGN_OR_RETURN(std::string dir, cache_->NewBuildDir());
    const bool isolated = options_.isolation == BwrapOptions::Isolation::kBwrap;
    const std::string build = isolated ? "/build" : dir;
    {
      const int fd = open((dir + "/main.cpp").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      const bool ok =
          fd >= 0 && write(fd, source.data(), source.size()) == static_cast<ssize_t>(source.size());
      const int error = errno;
      if (fd >= 0) close(fd);
      if (!ok) {
        internal::RemoveTree(dir);
        const std::string why = absl::StrCat("cannot write the program for compilation to ", dir,
                                             ": ", strerror(error));
        internal::Log(internal::LogLevel::kError, why);
        return absl::UnavailableError(why);
      }
    }
    // rlimits for the compiler are set by a two-line Python wrapper that then execs g++.
    nlohmann::json compiler = options_.cxx_flags;
    for (const char* arg : {"-o", "prog", "main.cpp"}) compiler.push_back(arg);
    compiler.insert(compiler.begin(), options_.cxx_path);
    const int64_t cpu = static_cast<int64_t>(std::ceil(Seconds(options_.compile_cpu)));
    const std::string wrapper = absl::StrCat(
        "import os,resource as r,json\n"
        "os.chdir('",
        build, "')\n", "r.setrlimit(r.RLIMIT_CPU,(", cpu, ",", cpu + 1,
        "));r.setrlimit(r.RLIMIT_AS,(", options_.compile_memory_bytes, ",",
        options_.compile_memory_bytes,
        "));r.setrlimit(r.RLIMIT_CORE,(0,0));r.setrlimit(r.RLIMIT_FSIZE,(1<<28,1<<28))\n"
        "a=json.loads(",
        nlohmann::json(compiler.dump()).dump(), ")\nos.execv(a[0],a)\n");
    const std::vector<std::string> command = {options_.python_path, "-S", "-B", "-c", wrapper};
    std::vector<std::string> argv;
    int data_fd = -1;
    if (isolated) {
      argv = SandboxArgv({"--bind", dir, "/build", "--setenv", "TMPDIR", "/build"}, command, {});
      ARBITER_ASSIGN_OR_RETURN(data_fd, DataFd(seccomp_bpf_));
    } else {
      argv = {"/usr/bin/env", "-i", absl::StrCat("PATH=", kPath), absl::StrCat("TMPDIR=", dir)};
      argv.insert(argv.end(), command.begin(), command.end());
    }
    auto process = SandboxProcess::Start(argv, data_fd);
    if (data_fd >= 0) close(data_fd);
    if (!process.ok()) {
      internal::RemoveTree(dir);
      return process.status();
    }
    const absl::Time deadline = std::min(absl::Now() + options_.compile_wall, ctx.deadline);
    int status = -1;
    while (status == -1 && absl::Now() < deadline && !ctx.Cancelled()) {
      status = (*process)->WaitExit(std::min(deadline, absl::Now() + absl::Milliseconds(20)));
    }
    (*process)->Kill();
    if (ctx.Done()) {
      internal::RemoveTree(dir);
      return internal::ContextStatus(ctx);
    }
    std::string output = (*process)->stderr_text();
    const bool ok =
        status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && Exists(dir + "/prog");
    // A compiler that failed for want of space is the server's trouble, not a compile error to
    // charge to the model.
    if (!ok && FreeBytes(dir) < kMinFreeScratchBytes) {
      internal::RemoveTree(dir);
      const std::string why =
          absl::StrCat("the scratch directory ", cache_->dir(),
                       " is (nearly) full: compilation failed for want of space");
      internal::Log(internal::LogLevel::kError, why);
      return absl::UnavailableError(why);
    }
    if (status == -1) output += "\ncompilation exceeded the time limit";
    if (status != -1 && WIFSIGNALED(status)) {
      absl::StrAppend(&output, "\ncompiler killed by signal ", WTERMSIG(status));
    }
    cached = cache_->Insert(material, ok, dir + "/prog", std::move(output));
    internal::RemoveTree(dir);
  }
  return cached;
}

}  // namespace arbiter::code
