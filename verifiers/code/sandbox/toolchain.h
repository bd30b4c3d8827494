// How each language is built and run, as data: the runner has no branch per language, so adding
// one is adding a row here (and its tag in the verifier), not editing the session code.
//   compile  optional: the program is written to `source_file` in a fresh build directory, then
//            `argv` runs there (in its own sandbox, with the compile limits of BwrapOptions) and
//            must produce `artifact`; the result is cached by (argv, source).
//   run      empty: the harness's own warm interpreter runs the program (Python); otherwise the
//            argv each test child execs, where kArtifact stands for the artifact's path as the
//            test sees it (/arbiter/prog in a sandbox).
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/code/sandbox/bwrap_runner.h"

namespace arbiter::code {

inline constexpr char kArtifact[] = "{artifact}";

struct CompileStep {
  std::vector<std::string> argv;
  std::string source_file;
  std::string artifact;
};

struct Toolchain {
  std::string name;  // as the harness and the logs say it
  std::optional<CompileStep> compile;
  std::vector<std::string> run;
};

// The toolchain of `language` with the paths and flags of `options`; FAILED_PRECONDITION naming
// the language when this sandbox cannot run it.
absl::StatusOr<Toolchain> ToolchainFor(Language language, const BwrapOptions& options);

}  // namespace arbiter::code
