// The `code` verifier's languages: CodeTask.Language (the wire enum) mapped to the sandbox's
// Language, the names a dataset's ground_truth wrapper may use, the tags a completion's fenced
// block may carry (which test kinds each runs: SupportsFunctionCalls in sandbox/runner.h). One
// table, so extraction, ground_truth parsing and task preparation agree.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "verifiers/code/code.pb.h"
#include "verifiers/code/sandbox/runner.h"

namespace arbiter::code {

// LANGUAGE_UNSPECIFIED is Python (an untagged program's default). Precondition: a valid value.
Language ToSandboxLanguage(v1::CodeTask::Language language);

// "python"/"python3"/"py", "cpp"/"c++", "c", "java", "javascript"/"js"/"node", "go"/"golang",
// "rust"/"rs" (case-insensitive); nullopt for anything else.
std::optional<v1::CodeTask::Language> LanguageFromName(absl::string_view name);

// The language a fenced block's tag names (first word of the info string, any case):
// python/py/python3/py3, cpp/c++/cc/cxx, c, java, javascript/js, go, rust/rs. nullopt otherwise.
std::optional<v1::CodeTask::Language> LanguageFromTag(absl::string_view tag);

// "python", "cpp", ... (echoed in CodeTurn.language).
std::string TaskLanguageName(v1::CodeTask::Language language);

// Every language a completion may choose when the task does not pin one.
std::vector<v1::CodeTask::Language> KnownLanguages();

}  // namespace arbiter::code
