#include "server/env_flags.h"

#include <algorithm>
#include <cstdlib>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace arbiter::server {

std::string EnvName(absl::string_view flag_name) {
  return absl::StrCat("ARBITER_", absl::AsciiStrToUpper(flag_name));
}

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

absl::Status ApplyEnvironment(absl::Span<const std::string> flag_names, const EnvLookup& lookup) {
  for (const std::string& name : flag_names) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      return absl::NotFoundError(absl::StrCat("no flag named --", name));
    }
    const std::string variable = EnvName(name);
    const std::optional<std::string> value = lookup(variable);
    if (!value.has_value()) continue;
    std::string error;
    if (!flag->ParseFrom(*value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat(variable, "='", *value, "' is not a valid value for --", name, ": ", error));
    }
  }
  return absl::OkStatus();
}

bool IsArbiterdFlagFile(absl::string_view file) {
  if (file == "server/main.cc" || absl::EndsWith(file, "/server/main.cc")) return true;
  // verifiers/<name>/flags.cc: one folder name between the two.
  if (!absl::ConsumeSuffix(&file, "/flags.cc")) return false;
  const size_t slash = file.rfind('/');
  if (slash == absl::string_view::npos || slash + 1 == file.size()) return false;
  file.remove_suffix(file.size() - slash);
  return file == "verifiers" || absl::EndsWith(file, "/verifiers");
}

std::vector<std::string> FlagsDefinedIn(absl::FunctionRef<bool(absl::string_view)> defined_in) {
  std::vector<std::string> names;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (defined_in(flag->Filename())) names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> FlagValues(absl::Span<const std::string> flag_names) {
  std::vector<std::string> lines;
  for (const std::string& name : flag_names) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    lines.push_back(absl::StrCat(name, "=", flag == nullptr ? "<unknown>" : flag->CurrentValue()));
  }
  return lines;
}

}  // namespace arbiter::server
