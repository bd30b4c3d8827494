#include "verifiers/code/language.h"

#include <string>

#include "absl/strings/ascii.h"

namespace arbiter::code {

Language ToSandboxLanguage(v1::CodeTask::Language language) {
  switch (language) {
    case v1::CodeTask::LANGUAGE_CPP:
      return Language::kCpp;
    case v1::CodeTask::LANGUAGE_C:
      return Language::kC;
    case v1::CodeTask::LANGUAGE_JAVA:
      return Language::kJava;
    case v1::CodeTask::LANGUAGE_JAVASCRIPT:
      return Language::kJavaScript;
    case v1::CodeTask::LANGUAGE_GO:
      return Language::kGo;
    case v1::CodeTask::LANGUAGE_RUST:
      return Language::kRust;
    default:  // LANGUAGE_UNSPECIFIED, LANGUAGE_PYTHON
      return Language::kPython;
  }
}

std::optional<v1::CodeTask::Language> LanguageFromName(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "python" || lower == "python3" || lower == "py")
    return v1::CodeTask::LANGUAGE_PYTHON;
  if (lower == "cpp" || lower == "c++") return v1::CodeTask::LANGUAGE_CPP;
  if (lower == "c") return v1::CodeTask::LANGUAGE_C;
  if (lower == "java") return v1::CodeTask::LANGUAGE_JAVA;
  if (lower == "javascript" || lower == "js" || lower == "node") {
    return v1::CodeTask::LANGUAGE_JAVASCRIPT;
  }
  if (lower == "go" || lower == "golang") return v1::CodeTask::LANGUAGE_GO;
  if (lower == "rust" || lower == "rs") return v1::CodeTask::LANGUAGE_RUST;
  return std::nullopt;
}

}  // namespace arbiter::code
