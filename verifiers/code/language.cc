#include "verifiers/code/language.h"

#include <string>

#include "absl/strings/ascii.h"

namespace arbiter::code {
namespace {

struct LanguageInfo {
  v1::CodeTask::Language language;
  std::vector<absl::string_view> tags;
};

const std::vector<LanguageInfo>& Table() {
  static const auto* table = new std::vector<LanguageInfo>{
      {v1::CodeTask::LANGUAGE_PYTHON, {"python", "py", "python3", "py3"}},
      {v1::CodeTask::LANGUAGE_CPP, {"cpp", "c++", "cc", "cxx"}},
      {v1::CodeTask::LANGUAGE_C, {"c"}},
      {v1::CodeTask::LANGUAGE_JAVA, {"java"}},
      {v1::CodeTask::LANGUAGE_JAVASCRIPT, {"javascript", "js"}},
      {v1::CodeTask::LANGUAGE_GO, {"go"}},
      {v1::CodeTask::LANGUAGE_RUST, {"rust", "rs"}},
  };
  return *table;
}

}  // namespace

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
  if (lower == "python" || lower == "python3" || lower == "py") {
    return v1::CodeTask::LANGUAGE_PYTHON;
  }
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

std::optional<v1::CodeTask::Language> LanguageFromTag(absl::string_view tag) {
  const std::string lower = absl::AsciiStrToLower(tag);
  for (const LanguageInfo& info : Table()) {
    for (absl::string_view known : info.tags) {
      if (lower == known) return info.language;
    }
  }
  return std::nullopt;
}

std::string TaskLanguageName(v1::CodeTask::Language language) {
  return std::string(LanguageName(ToSandboxLanguage(language)));
}

std::vector<v1::CodeTask::Language> KnownLanguages() {
  std::vector<v1::CodeTask::Language> out;
  for (const LanguageInfo& info : Table()) out.push_back(info.language);
  return out;
}

}  // namespace arbiter::code
