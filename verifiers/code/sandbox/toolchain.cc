#include "verifiers/code/sandbox/toolchain.h"

#include "absl/strings/str_cat.h"

namespace arbiter::code {

absl::StatusOr<Toolchain> ToolchainFor(Language language, const BwrapOptions& options) {
  switch (language) {
    case Language::kCpp: {
      CompileStep step{{options.cxx_path}, "main.cpp", "prog"};
      step.argv.insert(step.argv.end(), options.cxx_flags.begin(), options.cxx_flags.end());
      step.argv.insert(step.argv.end(), {"-o", "prog", "main.cpp"});
      return Toolchain{"cpp", std::move(step), {kArtifact}};
    }
    case Language::kPython:
      return Toolchain{"python", std::nullopt, {}};
    case Language::kC:
    case Language::kJava:
    case Language::kJavaScript:
    case Language::kGo:
    case Language::kRust:
      break;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("code: this sandbox cannot run ", LanguageName(language), " programs yet"));
}

}  // namespace arbiter::code
