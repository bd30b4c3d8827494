#include "verifiers/code/sandbox/internal/compiler.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "verifiers/code/sandbox/internal/log.h"

namespace arbiter::code::internal {
namespace {

// Below this much free space a failed compilation is blamed on the disk, not the program.
constexpr int64_t kMinFreeScratchBytes = int64_t{16} << 20;
constexpr int64_t kCompileFileBytes = int64_t{1} << 28;

}  // namespace

absl::StatusOr<std::shared_ptr<const CompiledProgram>> Compiler::Compile(
    const Toolchain& toolchain, const std::string& source, const sdk::VerifyContext& ctx) const {
  const std::string material =
      absl::StrCat(absl::StrJoin(toolchain.compile->argv, "\n"), "\n\n", source);
  if (auto cached = cache_.Lookup(material)) return cached;
  return Build(toolchain, material, source, ctx);
}

absl::StatusOr<std::shared_ptr<const CompiledProgram>> Compiler::Build(
    const Toolchain& toolchain, const std::string& material, const std::string& source,
    const sdk::VerifyContext& ctx) const {
  const CompileStep& step = *toolchain.compile;
  auto dir_or = scratch_.NewDir();
  if (!dir_or.ok()) return dir_or.status();
  const std::string dir = *std::move(dir_or);
  if (absl::Status written = scratch_.WriteFile(dir + "/" + step.source_file, source);
      !written.ok()) {
    scratch_.Remove(dir);
    return written;
  }
  const std::string build = command_.Place(dir, "/build");
  const auto cpu = static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(options_.compile_cpu)));
  Launch launch;
  launch.command = step.argv;
  launch.binds = {{dir, "/build", /*writable=*/true}};
  for (const std::string& path : toolchain.ro_binds) launch.binds.push_back({path, path});
  // RLIMIT_AS counts every 64 MiB malloc arena a compiler thread reserves: rustc needed ~900
  // MiB of address space for a small program (so under the 1 GiB limit it failed now and then,
  // "Rust cannot catch foreign exceptions", depending on how many threads ran at once) and 500
  // MiB with two arenas. The same cap keeps g++, javac and go within the limit for what they use.
  launch.env = {{"HOME", build}, {"TMPDIR", build}, {"MALLOC_ARENA_MAX", "2"}};
  launch.cwd = build;
  launch.rlimits = {{"cpu", cpu, cpu + 1},
                    {"as", options_.compile_memory_bytes, options_.compile_memory_bytes},
                    {"core", 0, 0},
                    {"fsize", kCompileFileBytes, kCompileFileBytes}};
  auto process = command_.Start(launch);
  if (!process.ok()) {
    scratch_.Remove(dir);
    return process.status();
  }
  const absl::Time deadline = std::min(absl::Now() + options_.compile_wall, ctx.deadline);
  int status = -1;
  while (status == -1 && absl::Now() < deadline && !ctx.Cancelled()) {
    status = (*process)->WaitExit(std::min(deadline, absl::Now() + absl::Milliseconds(20)));
  }
  (*process)->Kill();
  if (ctx.Done()) {
    scratch_.Remove(dir);
    return ContextStatus(ctx);
  }
  std::string output = (*process)->stderr_text();
  const std::string artifact = dir + "/" + step.artifact;
  const bool ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                  access(artifact.c_str(), F_OK) == 0;
  // A compiler that failed for want of space is the server's trouble, not a compile error to
  // charge to the model.
  if (!ok && scratch_.FreeBytes(dir) < kMinFreeScratchBytes) {
    scratch_.Remove(dir);
    const std::string why = absl::StrCat("the scratch directory ", dir,
                                         " is (nearly) full: compilation failed for want of space");
    Log(LogLevel::kError, why);
    return absl::UnavailableError(why);
  }
  if (status == -1) output += "\ncompilation exceeded the time limit";
  if (status != -1 && WIFSIGNALED(status)) {
    absl::StrAppend(&output, "\ncompiler killed by signal ", WTERMSIG(status));
  }
  auto cached = cache_.Insert(material, ok, artifact, std::move(output));
  scratch_.Remove(dir);
  return cached;
}

}  // namespace arbiter::code::internal
