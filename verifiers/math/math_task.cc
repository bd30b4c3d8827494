#include "verifiers/math/math_task.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace arbiter::math {
namespace {

using Json = nlohmann::json;

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("math: ", what));
}

absl::StatusOr<Mode> ParseMode(const std::string& name) {
  const std::string n = absl::AsciiStrToLower(name);
  if (n.empty() || n == "math_verify" || n == "default") return Mode::kMathVerify;
  if (n == "dapo" || n == "math_dapo") return Mode::kDapo;
  if (n == "gsm8k") return Mode::kGsm8k;
  if (n == "minerva" || n == "minerva_math") return Mode::kMinerva;
  if (n == "multiple_choice") return Mode::kMultipleChoice;
  return Bad(absl::StrCat("unknown mode \"", name, "\"; modes: ", kModeList));
}

// A JSON array whose elements are all strings is a list of golds; anything else is one gold.
std::vector<std::string> GoldsFromLabel(const std::string& label) {
  if (!label.empty() && label.front() == '[') {
    const Json j = Json::parse(label, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded() && j.is_array() && !j.empty()) {
      std::vector<std::string> golds;
      for (const Json& g : j) {
        if (!g.is_string()) return {label};
        golds.push_back(g.get<std::string>());
      }
      return golds;
    }
  }
  return {label};
}

absl::Status ApplyDefaults(MathConfig& config) {
  if (config.mode == Mode::kDapo) {
    config.correct_score = 1.0;
    config.incorrect_score = -1.0;
    config.no_answer_score = -1.0;
  }
  return absl::OkStatus();
}

absl::StatusOr<arbiter::math::v1::MathTask> FromJsonObject(const Json& row) {
  arbiter::math::v1::MathTask t;
  auto answer = row.find("answer");
  if (answer == row.end()) return Bad("ground_truth object needs \"answer\"");
  if (answer->is_string()) {
    t.set_answer(answer->get<std::string>());
  } else if (answer->is_array() || answer->is_number()) {
    t.set_answer(answer->dump());
  } else {
    return Bad("\"answer\" must be a string, a number or an array of strings");
  }
  auto str = [&](const char* key, std::string* out) -> absl::Status {
    auto it = row.find(key);
    if (it == row.end() || it->is_null()) return absl::OkStatus();
    if (!it->is_string()) return Bad(absl::StrCat("\"", key, "\" must be a string"));
    *out = it->get<std::string>();
    return absl::OkStatus();
  };
  std::string mode, after, method, choices;
  for (auto& [key, out] :
       std::vector<std::pair<const char*, std::string*>>{{"mode", &mode},
                                                         {"answer_after", &after},
                                                         {"gsm8k_method", &method},
                                                         {"choices", &choices}}) {
    if (absl::Status s = str(key, out); !s.ok()) return s;
  }
  t.set_mode(mode);
  t.set_answer_after(after);
  t.set_gsm8k_method(method);
  t.set_choices(choices);
  for (const char* key : {"float_rounding", "cpu_budget_ms"}) {
    auto it = row.find(key);
    if (it == row.end()) continue;
    if (!it->is_number_integer()) return Bad(absl::StrCat("\"", key, "\" must be an integer"));
    const int64_t v = it->get<int64_t>();
    if (v < 0 || v > 60000) return Bad(absl::StrCat("\"", key, "\" out of range"));
    if (std::string(key) == "float_rounding")
      t.set_float_rounding(static_cast<int32_t>(v));
    else
      t.set_cpu_budget_ms(static_cast<int32_t>(v));
  }
  for (const char* key : {"correct_score", "incorrect_score", "no_answer_score"}) {
    auto it = row.find(key);
    if (it == row.end()) continue;
    if (!it->is_number()) return Bad(absl::StrCat("\"", key, "\" must be a number"));
    const double v = it->get<double>();
    if (std::string(key) == "correct_score") t.set_correct_score(v);
    if (std::string(key) == "incorrect_score") t.set_incorrect_score(v);
    if (std::string(key) == "no_answer_score") t.set_no_answer_score(v);
  }
  for (const char* key : {"strict_box_verify", "gsm8k_parity"}) {
    auto it = row.find(key);
    if (it == row.end()) continue;
    if (!it->is_boolean()) return Bad(absl::StrCat("\"", key, "\" must be a boolean"));
    if (std::string(key) == "strict_box_verify")
      t.set_strict_box_verify(it->get<bool>());
    else
      t.set_gsm8k_parity(it->get<bool>());
  }
  return t;
}

}  // namespace

absl::StatusOr<MathConfig> ConfigFromMathTask(const arbiter::math::v1::MathTask& task,
                                              const std::string& fallback_mode) {
  MathConfig config;
  const std::string& mode = task.mode().empty() ? fallback_mode : task.mode();
  absl::StatusOr<Mode> m = ParseMode(mode);
  if (!m.ok()) return m.status();
  config.mode = *m;
  config.mode_name = mode.empty() ? "math_verify" : absl::AsciiStrToLower(mode);
  if (absl::Status s = ApplyDefaults(config); !s.ok()) return s;
  if (task.answer().empty()) return Bad("the gold answer is empty");
  config.golds = GoldsFromLabel(task.answer());
  config.answer_after = task.answer_after();
  if (task.float_rounding() < 0 || task.float_rounding() > 15) {
    return Bad("float_rounding must be in 0..15");
  }
  if (task.float_rounding() > 0) config.float_rounding = task.float_rounding();
  if (task.has_correct_score()) config.correct_score = task.correct_score();
  if (task.has_incorrect_score()) config.incorrect_score = task.incorrect_score();
  if (task.has_no_answer_score()) config.no_answer_score = task.no_answer_score();
  for (double v : {config.correct_score, config.incorrect_score, config.no_answer_score}) {
    if (!std::isfinite(v)) return Bad("scores must be finite");
  }
  config.strict_box_verify = task.strict_box_verify();
  const std::string method = absl::AsciiStrToLower(task.gsm8k_method());
  if (method != "" && method != "strict" && method != "flexible") {
    return Bad("gsm8k_method must be strict or flexible");
  }
  config.gsm8k_flexible = method == "flexible";
  config.gsm8k_parity = task.gsm8k_parity();
  if (!task.choices().empty()) config.choices = absl::AsciiStrToUpper(task.choices());
  if (task.cpu_budget_ms() < 0 || task.cpu_budget_ms() > 60000) {
    return Bad("cpu_budget_ms must be in 0..60000");
  }
  if (task.cpu_budget_ms() > 0) config.cpu_budget = absl::Milliseconds(task.cpu_budget_ms());
  return config;
}

absl::StatusOr<MathConfig> ResolveMathTask(const arbiter::v1::Task& task) {
  if (task.has_extension()) {
    arbiter::math::v1::MathTask typed;
    if (!task.extension().UnpackTo(&typed)) {
      return Bad(absl::StrCat("extension is ", task.extension().type_url(),
                              ", expected arbiter.math.v1.MathTask"));
    }
    return ConfigFromMathTask(typed, task.mode());
  }
  if (task.kind_case() != arbiter::v1::Task::kGroundTruth) {
    return Bad("expected ground_truth or an arbiter.math.v1.MathTask extension");
  }
  const std::string& label = task.ground_truth();
  if (!label.empty() && label.front() == '{') {
    const Json row = Json::parse(label, nullptr, /*allow_exceptions=*/false);
    if (!row.is_discarded() && row.is_object()) {
      absl::StatusOr<arbiter::math::v1::MathTask> typed = FromJsonObject(row);
      if (!typed.ok()) return typed.status();
      return ConfigFromMathTask(*typed, task.mode());
    }
  }
  arbiter::math::v1::MathTask typed;
  typed.set_answer(label);
  return ConfigFromMathTask(typed, task.mode());
}

}  // namespace arbiter::math
