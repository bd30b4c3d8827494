#include "verifiers/sat/sat_task.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "verifiers/sat/dimacs.h"
#include "verifiers/sat/internal/text.h"

namespace arbiter::sat {
namespace {

using Json = nlohmann::json;

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("sat: ground_truth: ", what));
}

absl::Status ReadInt(const Json& row, const char* name, int32_t* out) {
  auto it = row.find(name);
  if (it == row.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_number_integer()) return Bad(absl::StrCat("\"", name, "\" must be an integer"));
  const int64_t v = it->get<int64_t>();
  if (v < 0 || v > (int64_t{1} << 30)) return Bad(absl::StrCat("\"", name, "\" out of range"));
  *out = static_cast<int32_t>(v);
  return absl::OkStatus();
}

absl::Status ReadEnum(const Json& row, const char* name, std::string* out) {
  auto it = row.find(name);
  if (it == row.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) return Bad(absl::StrCat("\"", name, "\" must be a string"));
  *out = absl::AsciiStrToLower(it->get<std::string>());
  return absl::OkStatus();
}

absl::StatusOr<v1::SatTask> FromJson(std::string_view text) {
  const Json row = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (row.is_discarded() || !row.is_object()) return Bad("not a valid JSON object");
  v1::SatTask task;
  auto clause = row.find("clause");
  if (clause == row.end() || !clause->is_string()) {
    return Bad("JSON object needs a string field \"clause\"");
  }
  task.set_formula(clause->get<std::string>());
  int32_t k = 0;
  int32_t budget = 0;
  if (absl::Status s = ReadInt(row, "k", &k); !s.ok()) return s;
  if (absl::Status s = ReadInt(row, "unsat_budget_ms", &budget); !s.ok()) return s;
  task.set_k(k);
  task.set_unsat_budget_ms(budget);
  std::string mode;
  std::string format;
  if (absl::Status s = ReadEnum(row, "mode", &mode); !s.ok()) return s;
  if (absl::Status s = ReadEnum(row, "format", &format); !s.ok()) return s;
  if (mode == "strict") {
    task.set_mode(v1::SatTask::MODE_STRICT);
  } else if (mode == "compat") {
    task.set_mode(v1::SatTask::MODE_COMPAT);
  } else if (!mode.empty()) {
    return Bad(absl::StrCat(R"("mode" must be "strict" or "compat", got ")", mode, "\""));
  }
  if (format == "saturn") {
    task.set_format(v1::SatTask::FORMAT_SATURN);
  } else if (format == "dimacs") {
    task.set_format(v1::SatTask::FORMAT_DIMACS);
  } else if (!format.empty() && format != "auto") {
    return Bad(
        absl::StrCat(R"("format" must be "saturn", "dimacs" or "auto", got ")", format, "\""));
  }
  return task;
}

}  // namespace

absl::StatusOr<v1::SatTask> ParseGroundTruth(std::string_view ground_truth) {
  const absl::string_view stripped =
      absl::StripLeadingAsciiWhitespace(internal::ToAbsl(ground_truth));
  const std::string_view trimmed(stripped.data(), stripped.size());
  if (trimmed.empty()) return Bad("empty");
  if (trimmed.front() == '{') return FromJson(trimmed);
  v1::SatTask task;
  task.set_formula(std::string(ground_truth));
  return task;
}

absl::StatusOr<v1::SatTask> ResolveSatTask(const v1::Task& task) {
  v1::SatTask sat;
  if (task.has_sat()) {
    sat = task.sat();
  } else if (task.kind_case() == v1::Task::kGroundTruth) {
    absl::StatusOr<v1::SatTask> parsed = ParseGroundTruth(task.ground_truth());
    if (!parsed.ok()) return parsed.status();
    sat = *std::move(parsed);
  } else {
    return absl::InvalidArgumentError("sat: the task needs `sat` or `ground_truth`");
  }
  // Task.mode applies when the task itself does not say (typed mode or the row's "mode").
  if (!task.mode().empty() && sat.mode() == v1::SatTask::MODE_UNSPECIFIED) {
    if (task.mode() == "strict") {
      sat.set_mode(v1::SatTask::MODE_STRICT);
    } else if (task.mode() == "compat") {
      sat.set_mode(v1::SatTask::MODE_COMPAT);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("sat: unknown mode \"", task.mode(), "\"; modes: strict (default), compat"));
    }
  }
  if (sat.format() == v1::SatTask::FORMAT_UNSPECIFIED) {
    sat.set_format(LooksLikeDimacs(sat.formula()) ? v1::SatTask::FORMAT_DIMACS
                                                  : v1::SatTask::FORMAT_SATURN);
  }
  if (sat.mode() == v1::SatTask::MODE_UNSPECIFIED) sat.set_mode(v1::SatTask::MODE_STRICT);
  if (sat.k() < 0) return absl::InvalidArgumentError("sat: k must be >= 0");
  if (sat.unsat_budget_ms() < 0 || sat.unsat_budget_ms() > kMaxUnsatBudgetMs) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: unsat_budget_ms must be in [0, ", kMaxUnsatBudgetMs, "]"));
  }
  if (sat.unsat_budget_ms() == 0) sat.set_unsat_budget_ms(kDefaultUnsatBudgetMs);
  return sat;
}

}  // namespace arbiter::sat
