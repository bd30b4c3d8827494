// The `code` verifier's languages: CodeTask.Language (the wire enum) mapped to the sandbox's
// Language, and the names a dataset's ground_truth wrapper may use for them.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>

#include "absl/strings/string_view.h"
#include "verifiers/code/code.pb.h"
#include "verifiers/code/sandbox/runner.h"

namespace arbiter::code {

// LANGUAGE_UNSPECIFIED is Python (the documented default). Precondition: a valid enum value.
Language ToSandboxLanguage(v1::CodeTask::Language language);

// "python"/"python3"/"py", "cpp"/"c++", "c", "java", "javascript"/"js"/"node", "go"/"golang",
// "rust"/"rs" (case-insensitive); nullopt for anything else.
std::optional<v1::CodeTask::Language> LanguageFromName(absl::string_view name);

}  // namespace arbiter::code
