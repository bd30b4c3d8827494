// How each language is built and run, as data: the runner has no branch per language, so adding
// one is adding a row in toolchain.cc (and its tag in the verifier), not editing the session code.
// The table, its flags and its measured limits are documented in README.md ("Languages").
//   compile  optional: the program is written to `source_file` in a fresh build directory, then
//            `argv` runs there (in its own sandbox, with the compile limits of BwrapOptions) and
//            must produce `artifact`; the result is cached by (argv, source).
//   run      empty: the harness's own warm interpreter runs the program (Python); otherwise the
//            argv each test child execs, where kArtifact stands for the artifact's path as the
//            test sees it (/arbiter/prog in a sandbox) and kMemoryMib for the test's memory
//            limit in MiB (a runtime's own heap cap: java -Xmx, node --max-old-space-size).
//   call     exec'd languages with function-call tests: the argv (same placeholders) to which
//            the function's name is appended; the JSON argument array arrives on stdin and the
//            wrapper writes the harness's result record ({"return"}/{"error"}) to fd 3.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/code/sandbox/bwrap_runner.h"

namespace arbiter::code {

inline constexpr char kArtifact[] = "{artifact}";
inline constexpr char kMemoryMib[] = "{memory_mib}";

struct CompileStep {
  std::vector<std::string> argv;
  std::string source_file;
  std::string artifact;
};

struct Toolchain {
  std::string name;  // as the harness and the logs say it
  std::optional<CompileStep> compile;
  std::vector<std::string> run;
  std::vector<std::string> call;  // empty: no function-call tests
  // Added to the test's RLIMIT_AS for runtimes that reserve address space they never touch
  // (the JVM, V8, the Go runtime); the session's cgroup still bounds what is really used.
  int64_t address_space_extra = 0;
  // Text in stderr that, when the program failed, means it ran out of memory (MEMORY_LIMIT).
  std::vector<std::string> memory_markers;
  // Host paths the compile and run sandboxes bind read-only at the same place (configuration a
  // toolchain reads, e.g. the JVM's /etc/java-17-openjdk).
  std::vector<std::string> ro_binds;
  // Host files that must exist for this toolchain to work (SandboxRunner::CanRun), and the
  // Debian package that provides them (for the message when one is missing).
  std::vector<std::string> required;
  std::string package;
};

// The toolchain of `language` with the paths and flags of `options`; FAILED_PRECONDITION naming
// the language when this sandbox has no toolchain for it.
absl::StatusOr<Toolchain> ToolchainFor(Language language, const BwrapOptions& options);

// OK when every file the toolchain needs exists on this host; otherwise FAILED_PRECONDITION
// naming the language and the missing file (and the Debian package that provides it).
absl::Status ToolchainAvailable(Language language, const BwrapOptions& options);

}  // namespace arbiter::code
