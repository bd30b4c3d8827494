#include "verifiers/code/sandbox/bwrap_runner.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "verifiers/code/sandbox/internal/cgroup.h"
#include "verifiers/code/sandbox/internal/compile_cache.h"
#include "verifiers/code/sandbox/internal/compiler.h"
#include "verifiers/code/sandbox/internal/harness_session.h"
#include "verifiers/code/sandbox/internal/harness_source.h"
#include "verifiers/code/sandbox/internal/log.h"
#include "verifiers/code/sandbox/internal/sandbox_command.h"
#include "verifiers/code/sandbox/internal/seccomp_filter.h"
#include "verifiers/code/sandbox/toolchain.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {
namespace {

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

}  // namespace

BwrapRunner::BwrapRunner(BwrapOptions options) : options_(std::move(options)) {}
BwrapRunner::~BwrapRunner() {
  for (const std::string& path : {forker_path_, launcher_path_}) {
    if (!path.empty()) unlink(path.c_str());
  }
}

absl::StatusOr<std::unique_ptr<BwrapRunner>> BwrapRunner::Create(BwrapOptions options) {
  auto runner = std::unique_ptr<BwrapRunner>(new BwrapRunner(std::move(options)));
  const BwrapOptions& o = runner->options_;
  const bool isolated = o.isolation == BwrapOptions::Isolation::kBwrap;
  if (access(o.python_path.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("no interpreter at ", o.python_path));
  }
  if (isolated && access(o.bwrap_path.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("no bubblewrap at ", o.bwrap_path));
  }
  for (const std::string& path : isolated ? o.extra_ro_binds : std::vector<std::string>{}) {
    if (access(path.c_str(), F_OK) != 0) {
      return absl::FailedPreconditionError(absl::StrCat("no ", path));
    }
  }
  ARBITER_ASSIGN_OR_RETURN(runner->cache_,
                           internal::CompileCache::Create(o.cache_dir, o.cache_max_bytes));
  ARBITER_ASSIGN_OR_RETURN(
      runner->forker_path_,
      WriteEmbedded(runner->cache_->dir(), "forker", ".so", internal::ForkerLibrary(), 0444));
  ARBITER_ASSIGN_OR_RETURN(
      runner->launcher_path_,
      WriteEmbedded(runner->cache_->dir(), "launcher", "", internal::LauncherProgram(), 0500));
  if (runner->options_.scratch == nullptr) {
    runner->options_.scratch = std::make_shared<DiskScratch>(runner->cache_->dir());
  }
  std::string seccomp;
  if (isolated) {
    ARBITER_ASSIGN_OR_RETURN(seccomp, internal::BuildSeccompBpf());
  }
  runner->cgroups_ = internal::CgroupManager::Create(isolated && o.use_cgroups);
  runner->command_ =
      std::make_unique<internal::SandboxCommand>(o, runner->launcher_path_, std::move(seccomp));
  runner->compiler_ =
      std::make_unique<internal::Compiler>(o, *runner->command_, *runner->cache_, *o.scratch);
  if (isolated) ARBITER_RETURN_IF_ERROR(runner->Probe());
  return runner;
}

// A sandbox that cannot start (no user namespaces, seccomp refused) fails here, at start-up,
// instead of on every request.
absl::Status BwrapRunner::Probe() const {
  SessionRequest probe;
  probe.program = "print(1)";
  probe.tests.resize(1);
  auto result = RunSession(probe, sdk::VerifyContext{}, nullptr);
  if (!result.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the sandbox cannot start on this machine: ", result.status().message()));
  }
  if (result->tests[0].stdout_data != "1\n") {
    return absl::FailedPreconditionError(
        absl::StrCat("the sandbox probe printed '", result->tests[0].stdout_data, "' (error '",
                     result->tests[0].error, "', stderr '", result->tests[0].stderr_data, "')"));
  }
  return absl::OkStatus();
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

std::vector<std::string> BwrapRunner::SandboxCommand(
    const std::vector<std::string>& command) const {
  internal::Launch launch;
  launch.command = command;
  return command_->Argv(launch);
}

const std::string& BwrapRunner::SeccompProgram() const { return command_->seccomp_bpf(); }

absl::Status BwrapRunner::CanRun(Language language) const {
  return ToolchainAvailable(language, options_);
}

absl::StatusOr<SessionResult> BwrapRunner::RunSession(const SessionRequest& request,
                                                      const sdk::VerifyContext& ctx,
                                                      const TestCallback& on_test) const {
  SessionResult result;
  result.tests.resize(request.tests.size());
  if (ctx.Done()) return internal::ContextStatus(ctx);
  ARBITER_ASSIGN_OR_RETURN(const Toolchain toolchain, ToolchainFor(request.language, options_));
  // Held for the whole session: an eviction meanwhile cannot unlink the file under us.
  std::shared_ptr<const internal::CompiledProgram> compiled;
  if (toolchain.compile) {
    ARBITER_ASSIGN_OR_RETURN(compiled, compiler_->Compile(toolchain, request.program, ctx));
    result.compile_output = compiled->diagnostics;
    if (!compiled->ok) {
      result.compiled = false;
      return result;
    }
  }
  const std::string artifact = compiled ? compiled->binary_path : std::string();
  const internal::HarnessEnvironment env{options_, *command_, *cgroups_, *options_.scratch,
                                         forker_path_};
  size_t next = 0;
  while (next < request.tests.size()) {
    ARBITER_ASSIGN_OR_RETURN(
        std::unique_ptr<internal::HarnessSession> session,
        internal::HarnessSession::Start(env, toolchain, request.program, artifact, request.limits,
                                        request.mode, request.tests.size() - next, ctx));
    bool restart = false;
    for (; next < request.tests.size() && !restart; ++next) {
      if (ctx.Done()) return internal::ContextStatus(ctx);
      ARBITER_ASSIGN_OR_RETURN(internal::HarnessSession::Outcome outcome,
                               session->Run(request.tests[next], ctx));
      restart = outcome.restart;
      result.tests[next] = std::move(outcome.run);
      if (on_test && !on_test(next, result.tests[next])) return result;
    }
  }
  return result;
}

}  // namespace arbiter::code
