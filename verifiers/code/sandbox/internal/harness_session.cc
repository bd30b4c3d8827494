#include "verifiers/code/sandbox/internal/harness_session.h"

#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "verifiers/code/sandbox/internal/harness_source.h"
#include "verifiers/code/sandbox/internal/protocol.h"

namespace arbiter::code::internal {
namespace {

// Room for the harness (supervisor and forker) and the tmpfs pages (charged to the session's
// cgroup).
constexpr int64_t kHarnessMemory = int64_t{96} << 20;
// bwrap itself and the harness's two processes (supervisor and forker) live in the session's pids
// group besides the test's processes.
constexpr int kHarnessProcesses = 3;
// How long the harness may take to start and compile the candidate.
constexpr absl::Duration kStartTime = absl::Seconds(10);
// How long bwrap may take to exit once the channel broke (it exits as soon as its child does).
constexpr absl::Duration kExitWait = absl::Seconds(1);

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

std::vector<std::string> HarnessCommand(const std::string& python) {
  std::vector<std::string> argv = {python, "-s", "-B", "-c", std::string(HarnessBootstrap())};
  for (const HarnessModule& module : HarnessModules()) {
    argv.emplace_back(module.name);
    argv.emplace_back(module.source);
  }
  return argv;
}

nlohmann::json LimitsJson(const RunLimits& limits, const Toolchain& toolchain) {
  return {{"cpu_s", Seconds(limits.cpu)},
          {"wall_s", Seconds(limits.wall)},
          // RLIMIT_AS: runtimes that reserve address space they never touch get more (the
          // session's cgroup bounds what is really used).
          {"memory_bytes", limits.memory_bytes + toolchain.address_space_extra},
          // RLIMIT_NPROC counts every process of uid 65534 in the sandbox's user namespace,
          // including the harness's supervisor (pid 1) and forker.
          {"nproc", limits.max_processes + 2},
          {"nofile", limits.max_open_files},
          {"fsize", limits.max_file_bytes},
          {"max_stdout", limits.max_stdout_bytes},
          {"max_stderr", limits.max_stderr_bytes}};
}

// A toolchain argv (run or call step) as the harness takes it: the artifact's path and the
// memory limit in place.
nlohmann::json ArgvJson(const std::vector<std::string>& argv, const std::string& artifact_path,
                        const RunLimits& limits) {
  const std::string memory_mib = std::to_string(std::max<int64_t>(1, limits.memory_bytes >> 20));
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& arg : argv) {
    out.push_back(absl::StrReplaceAll(arg, {{kArtifact, artifact_path}, {kMemoryMib, memory_mib}}));
  }
  return out;
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
  // The fourth blob (python_types) is absent from harnesses older than the field.
  if (frame.blobs.size() < 3 || frame.blobs.size() > 4 || !h.contains("status") ||
      !h["status"].is_string()) {
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
  if (h.contains("unequal") && h["unequal"].is_string()) {
    run.unequal = h["unequal"].get<std::string>();
  }
  run.stdout_data = frame.blobs[0];
  run.stderr_data = frame.blobs[1];
  run.return_json = frame.blobs[2];
  if (frame.blobs.size() == 4) run.python_types = frame.blobs[3];
  return run;
}

// The test took the harness down with it (stopped it, broke its limits, forged frames): the
// program's own failure, reported on the test. A sandbox killed from outside is not this (see
// KilledFromOutside).
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

HarnessSession::~HarnessSession() {
  process_.reset();  // kills bwrap; --die-with-parent + the pid namespace take the rest
  cgroup_.reset();   // kills stragglers, waits until empty, removes the groups
  if (!host_work_dir_.empty()) env_.scratch.Remove(host_work_dir_);
}

absl::StatusOr<std::unique_ptr<HarnessSession>> HarnessSession::Start(
    const HarnessEnvironment& env, const Toolchain& toolchain, const std::string& program,
    const std::string& artifact, const RunLimits& limits, ExecutionMode mode, size_t tests,
    const sdk::VerifyContext& ctx) {
  auto session = std::unique_ptr<HarnessSession>(new HarnessSession(env, limits));
  session->python_ = toolchain.run.empty();
  const SandboxCommand& command = env.command;
  Launch launch;
  launch.command = HarnessCommand(env.options.python_path);
  if (command.isolated()) {
    launch.binds.push_back({env.forker_path, "/arbiter/forker.so"});
    if (!artifact.empty()) launch.binds.push_back({artifact, "/arbiter/prog"});
    for (const std::string& path : toolchain.ro_binds) launch.binds.push_back({path, path});
    if (env.cgroups.mode() != CgroupMode::kNone) {
      auto group = env.cgroups.NewSession(limits.memory_bytes + env.options.work_tmpfs_bytes +
                                              env.options.shm_tmpfs_bytes + kHarnessMemory,
                                          limits.max_processes + kHarnessProcesses);
      if (group.ok()) {
        session->cgroup_ = *std::move(group);
        launch.procs_files = session->cgroup_->ProcsFiles();
      }
    }
  } else {
    auto dir = env.scratch.NewDir();
    if (!dir.ok()) return dir.status();
    session->host_work_dir_ = *std::move(dir);
  }
  const std::string work = command.Place(session->host_work_dir_, "/work");
  launch.env = {{"HOME", work}, {"TMPDIR", work}};
  launch.cwd = work;
  Frame frame;
  const std::string artifact_path = command.Place(artifact, "/arbiter/prog");
  frame.header = {{"op", "init"},
                  // "python": the harness's own interpreter runs the program.
                  {"run", toolchain.run.empty() ? nlohmann::json("python")
                                                : ArgvJson(toolchain.run, artifact_path, limits)},
                  {"call", ArgvJson(toolchain.call, artifact_path, limits)},
                  {"memory_markers", toolchain.memory_markers},
                  {"mode", mode == ExecutionMode::kPerCompletion ? "completion" : "fresh"},
                  {"limits", LimitsJson(limits, toolchain)},
                  {"isolated", command.isolated()},
                  // How many tests will follow: one test runs without a forker.
                  {"tests", tests},
                  {"work", work},
                  {"forker", command.Place(env.forker_path, "/arbiter/forker.so")}};
  frame.blobs = {toolchain.run.empty() ? program : std::string()};
  auto process = command.Start(launch);
  if (!process.ok()) return process.status();
  session->process_ = *std::move(process);
  const absl::Time deadline = absl::Now() + kStartTime + env.options.harness_grace;
  absl::Status sent = session->process_->Send(EncodeFrame(std::move(frame)), deadline, ctx);
  absl::StatusOr<Frame> ready =
      sent.ok() ? session->process_->Receive(deadline, ctx) : absl::StatusOr<Frame>(sent);
  if (!ready.ok()) {
    if (ctx.Done()) return ContextStatus(ctx);
    session->process_->WaitExit(absl::Now() + absl::Milliseconds(200));
    return absl::UnavailableError(absl::StrCat("sandbox did not start: ", ready.status().message(),
                                               "; stderr: ", session->process_->stderr_text()));
  }
  return session;
}

absl::StatusOr<HarnessSession::Outcome> HarnessSession::Run(const TestInput& test,
                                                            const sdk::VerifyContext& ctx) {
  Frame frame;
  frame.header = {{"op", "test"}, {"fn_name", test.fn_name}};
  // APPS's dict-key conversion travels inside the arguments blob, as an object no test's own
  // arguments can be (they are always a JSON array): only the Python child reads it.
  frame.blobs = {test.stdin_data, test.apps_int_keys && python_
                                      ? absl::StrCat("{\"apps_int_keys\":", test.args_json, "}")
                                      : test.args_json};
  const int64_t oom_before = cgroup_ ? cgroup_->MemoryLimitHits() : 0;
  const absl::Time deadline = absl::Now() + limits_.wall + env_.options.harness_grace;
  absl::Status sent = process_->Send(EncodeFrame(std::move(frame)), deadline, ctx);
  absl::StatusOr<Frame> reply =
      sent.ok() ? process_->Receive(deadline, ctx) : absl::StatusOr<Frame>(sent);
  absl::StatusOr<RawRun> run = reply.ok() ? ToRawRun(*reply) : reply.status();
  Outcome outcome;
  if (!run.ok()) {
    if (ctx.Done()) return ContextStatus(ctx);
    // A closed channel (UNAVAILABLE) may be the sandbox killed from outside; a hung or garbled
    // harness is alive and stays this test's failure.
    if (absl::IsUnavailable(run.status())) {
      if (absl::Status outside = KilledFromOutside(oom_before); !outside.ok()) return outside;
    }
    run = HarnessLost(run.status(), limits_);
    outcome.restart = true;
  } else if (reply->header.value("retire", false)) {
    outcome.restart = true;  // the test changed the harness's own limits: a fresh sandbox goes on
  }
  if (cgroup_ && run->status == RawRun::Status::kSignaled && run->signal == SIGKILL &&
      cgroup_->MemoryLimitHits() > oom_before) {
    run->status = RawRun::Status::kMemoryLimit;
  }
  outcome.run = *std::move(run);
  return outcome;
}

// Nothing inside the sandbox can signal bwrap (it is outside the sandbox's pid namespace), and
// the supervisor is pid 1 there: the kernel drops every signal its namespace sends it, and
// seccomp denies lowering its CPU limit (seccomp_filter.cc), so the only SIGKILL a test can bring
// on it is the session cgroup's OOM killer. bwrap killed by a signal, or the supervisor killed by
// SIGKILL (bwrap exits 128 + 9) while the cgroup stayed under its memory limit, is therefore the
// sandbox killed from outside (the host's OOM killer, an operator, the node): the server's
// trouble, UNAVAILABLE, never a verdict. Without isolation the test can kill its harness itself,
// so that mode keeps charging the test.
absl::Status HarnessSession::KilledFromOutside(int64_t oom_before) {
  if (!env_.command.isolated()) return absl::OkStatus();
  const int status = process_->WaitExit(absl::Now() + kExitWait);
  if (status == -1) return absl::OkStatus();
  std::string what;
  if (WIFSIGNALED(status)) {
    what = absl::StrCat("bwrap (pid ", process_->pid(), ") killed by signal ", WTERMSIG(status));
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGKILL &&
             !(cgroup_ && cgroup_->MemoryLimitHits() > oom_before)) {
    what = "the harness supervisor killed by signal 9";
  } else {
    return absl::OkStatus();
  }
  return absl::UnavailableError(
      absl::StrCat("sandbox process killed from outside: ", what, " mid-test"));
}

}  // namespace arbiter::code::internal
