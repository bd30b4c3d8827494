#include "verifiers/beam/beam_verifier.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "verifiers/beam/compat.h"
#include "verifiers/beam/symbolic_check.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::beam {
namespace {

absl::StatusOr<CompatOptions> OptionsOf(const v1::BeamTask& task) {
  CompatOptions options;
  if (task.format_weight() != 0.0 || task.accuracy_weight() != 0.0) {
    options.format_weight = task.format_weight();
    options.accuracy_weight = task.accuracy_weight();
  }
  if (task.tolerance() != 0.0) options.tolerance = task.tolerance();
  options.strict_count = task.strict_count();
  if (!std::isfinite(options.format_weight) || !std::isfinite(options.accuracy_weight) ||
      std::fabs(options.format_weight) > 1e6 || std::fabs(options.accuracy_weight) > 1e6) {
    return absl::InvalidArgumentError(
        "beam: format_weight/accuracy_weight must be finite, |w| <= 1e6");
  }
  if (!std::isfinite(options.tolerance) || options.tolerance < 0.0) {
    return absl::InvalidArgumentError("beam: tolerance must be finite and >= 0");
  }
  return options;
}

v1::SampleResult Verdict(bool format_ok, bool accuracy_ok, bool has_box, double score) {
  v1::SampleResult result;
  if (!has_box) {
    result.set_outcome(v1::NO_ANSWER);
    result.set_message("no \\boxed{} answer");
  } else if (format_ok && accuracy_ok) {
    result.set_outcome(v1::CORRECT);
  } else {
    result.set_outcome(v1::INCORRECT);
    result.set_message(!accuracy_ok ? "answers do not match the reactions"
                                    : R"(format: need exactly one "\n</think>\n" then a box)");
  }
  result.set_score(std::isfinite(score) ? score : 0.0);
  return result;
}

}  // namespace

v1::VerifierInfo BeamVerifier::Info() const {
  v1::VerifierInfo info;
  info.set_name(kVerifierName);
  info.set_version(kVerifierVersion);
  info.set_description(
      "BeamPERL beam statics: compat reward (format + coefficient-of-P accuracy) and a symbolic "
      "GiNaC solver checking reactions by equivalence");
  info.set_defaults_json(
      R"({"format_weight":0.333,"accuracy_weight":0.667,"tolerance":1e-4,"strict_count":false,)"
      R"("ask_moments":false})");
  info.set_ground_truth_formats(R"(BeamPERL gold list as JSON: ["2.1P", "0.9P"])");
  return info;
}

absl::StatusOr<std::unique_ptr<const PreparedBeam>> BeamVerifier::PrepareTask(
    const v1::Task& task) const {
  if (!task.mode().empty() && task.mode() != "compat" && task.mode() != "symbolic") {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: unknown mode \"", task.mode(), "\"; modes: compat, symbolic"));
  }
  if (task.kind_case() == v1::Task::kGroundTruth) {
    if (task.mode() == "symbolic") {
      return absl::InvalidArgumentError(
          "beam: symbolic mode needs a typed BeamTask with the beam; a ground_truth gold list "
          "is checked in compat mode");
    }
    ARBITER_ASSIGN_OR_RETURN(std::vector<std::string> gold, ParseGoldJson(task.ground_truth()));
    auto prepared = std::make_unique<PreparedBeam>();
    ARBITER_ASSIGN_OR_RETURN(prepared->gold, ParseGold(gold));
    return std::unique_ptr<const PreparedBeam>(std::move(prepared));
  }
  if (task.kind_case() != v1::Task::kBeam) {
    return absl::InvalidArgumentError("beam: task needs `beam` (BeamTask) or `ground_truth`");
  }
  const v1::BeamTask& beam = task.beam();
  ARBITER_ASSIGN_OR_RETURN(CompatOptions options, OptionsOf(beam));
  v1::BeamTask::Mode mode = beam.mode();
  if (mode == v1::BeamTask::MODE_UNSPECIFIED && !task.mode().empty()) {
    mode = task.mode() == "compat" ? v1::BeamTask::MODE_COMPAT : v1::BeamTask::MODE_SYMBOLIC;
  }
  if (mode == v1::BeamTask::MODE_UNSPECIFIED) {
    mode = beam.gold_size() > 0 ? v1::BeamTask::MODE_COMPAT : v1::BeamTask::MODE_SYMBOLIC;
  }
  if (mode == v1::BeamTask::MODE_COMPAT) {
    if (beam.gold_size() == 0) return absl::InvalidArgumentError("beam: compat mode needs `gold`");
    auto prepared = std::make_unique<PreparedBeam>();
    prepared->options = options;
    ARBITER_ASSIGN_OR_RETURN(prepared->gold, ParseGold(std::vector<std::string>(
                                                 beam.gold().begin(), beam.gold().end())));
    return std::unique_ptr<const PreparedBeam>(std::move(prepared));
  }
  if (mode != v1::BeamTask::MODE_SYMBOLIC) {
    return absl::InvalidArgumentError(absl::StrCat("beam: unknown mode ", mode));
  }
  if (!beam.has_beam()) return absl::InvalidArgumentError("beam: symbolic mode needs `beam`");
  ARBITER_ASSIGN_OR_RETURN(std::unique_ptr<const SymbolicChecker> checker,
                           SymbolicChecker::Create(beam.beam(), options, beam.ask_moments()));
  auto prepared = std::make_unique<PreparedBeam>();
  prepared->symbolic = std::move(checker);
  return std::unique_ptr<const PreparedBeam>(std::move(prepared));
}

v1::SampleResult BeamVerifier::CheckSample(const PreparedBeam& task, const v1::Sample& sample,
                                           const sdk::VerifyContext& ctx) const {
  (void)ctx;  // Linear scans and a bounded parse per answer: nothing long to interrupt.
  if (task.symbolic == nullptr) {
    const CompatResult r = ScoreCompat(sample.completion(), task.gold, task.options);
    v1::SampleResult result = Verdict(r.format_ok, r.accuracy_ok, r.has_box, r.score);
    v1::BeamDetail* detail = result.mutable_beam();
    detail->set_format_ok(r.format_ok);
    detail->set_accuracy_ok(r.accuracy_ok);
    // The gold values are the task's own (the caller has them); copying them into every sample
    // multiplied a large task by the group size. Predictions are capped for the same reason.
    const size_t shown = std::min(r.predicted.size(), kMaxDetailValues);
    for (size_t i = 0; i < shown; ++i) {
      detail->add_predicted(std::isfinite(r.predicted[i]) ? r.predicted[i] : 0.0);
    }
    return result;
  }
  SymbolicVerdict r = task.symbolic->Check(sample.completion());
  v1::SampleResult result = Verdict(r.format_ok, r.accuracy_ok, r.has_box, r.score);
  if (!r.message.empty() && result.outcome() != v1::CORRECT) result.set_message(r.message);
  *result.mutable_beam() = std::move(r.detail);
  return result;
}

}  // namespace arbiter::beam
