#include "shaping/resolve.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "shaping/grpo_lambda.h"
#include "shaping/shaping.h"
#include "shaping/unlikeliness.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::shaping {
namespace {

absl::Status CheckRange(bool has, double value, double low, double high, bool low_open,
                        const char* name) {
  if (!has) return absl::OkStatus();
  const bool ok = std::isfinite(value) && (low_open ? value > low : value >= low) && value <= high;
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "shaping.", name, " must be in ", low_open ? "(" : "[", low, ", ", high, "]; got ", value));
}

absl::Status ValidateLengthBudget(const v1::LengthBudgetParams& p) {
  if (!v1::LengthBudgetParams::Shape_IsValid(p.shape())) {
    return absl::InvalidArgumentError(
        absl::StrCat("shaping.length_budget.shape: unknown value ", p.shape()));
  }
  if (p.step() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("shaping.length_budget.step must be ≥ 0; got ", p.step()));
  }
  if (p.has_decay_every() && p.decay_every() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("shaping.length_budget.decay_every must be ≥ 1; got ", p.decay_every()));
  }
  constexpr double kHuge = 1e15;
  ARBITER_RETURN_IF_ERROR(CheckRange(p.has_initial_budget(), p.initial_budget(), 1, kHuge, false,
                                     "length_budget.initial_budget"));
  ARBITER_RETURN_IF_ERROR(CheckRange(p.has_decay(), p.decay(), 0, 1, true, "length_budget.decay"));
  ARBITER_RETURN_IF_ERROR(
      CheckRange(p.has_min_budget(), p.min_budget(), 0, kHuge, true, "length_budget.min_budget"));
  ARBITER_RETURN_IF_ERROR(
      CheckRange(p.has_budget(), p.budget(), 0, kHuge, true, "length_budget.budget"));
  ARBITER_RETURN_IF_ERROR(
      CheckRange(p.has_r_max(), p.r_max(), 0, kHuge, false, "length_budget.r_max"));
  ARBITER_RETURN_IF_ERROR(CheckRange(p.has_lambda_correct(), p.lambda_correct(), -kHuge, kHuge,
                                     false, "length_budget.lambda_correct"));
  ARBITER_RETURN_IF_ERROR(CheckRange(p.has_lambda_length(), p.lambda_length(), -kHuge, kHuge, false,
                                     "length_budget.lambda_length"));
  return CheckRange(p.has_lambda_format(), p.lambda_format(), -kHuge, kHuge, false,
                    "length_budget.lambda_format");
}

void ResolveLengthBudget(const v1::LengthBudgetParams& in, v1::LengthBudgetParams* out) {
  const BudgetSchedule schedule_defaults;
  const LengthWeights weight_defaults;
  out->set_shape(in.shape() == v1::LengthBudgetParams::SHAPE_UNSPECIFIED
                     ? v1::LengthBudgetParams::SHAPE_TRIANGULAR
                     : in.shape());
  out->set_step(in.step());
  out->set_initial_budget(in.has_initial_budget() ? in.initial_budget()
                                                  : schedule_defaults.initial_budget);
  out->set_decay(in.has_decay() ? in.decay() : schedule_defaults.decay);
  out->set_decay_every(in.has_decay_every() ? in.decay_every() : schedule_defaults.decay_every);
  out->set_min_budget(in.has_min_budget() ? in.min_budget() : schedule_defaults.min_budget);
  out->set_r_max(in.has_r_max() ? in.r_max() : 1.0);
  out->set_lambda_correct(in.has_lambda_correct() ? in.lambda_correct() : weight_defaults.correct);
  out->set_lambda_length(in.has_lambda_length() ? in.lambda_length() : weight_defaults.length);
  out->set_lambda_format(in.has_lambda_format() ? in.lambda_format() : weight_defaults.format);
  out->set_budget(in.has_budget() ? in.budget() : BudgetAt(in.step(), ToBudgetSchedule(*out)));
}

}  // namespace

bool HasStage(const v1::Shaping& shaping, v1::Shaping::Stage stage) {
  for (int s : shaping.stages()) {
    if (s == stage) return true;
  }
  return false;
}

absl::Status ValidateShaping(const v1::Shaping& shaping) {
  for (int i = 0; i < shaping.stages_size(); ++i) {
    const int stage = shaping.stages(i);
    if (stage == v1::Shaping::STAGE_UNSPECIFIED || !v1::Shaping::Stage_IsValid(stage)) {
      return absl::InvalidArgumentError(
          absl::StrCat("shaping.stages[", i, "]: unknown stage ", stage));
    }
    for (int j = 0; j < i; ++j) {
      if (shaping.stages(j) == stage) {
        return absl::InvalidArgumentError(
            absl::StrCat("shaping.stages: ", v1::Shaping::Stage_Name(stage), " listed twice"));
      }
    }
  }
  if (!v1::Normalizer_IsValid(shaping.normalizer())) {
    return absl::InvalidArgumentError(
        absl::StrCat("shaping.normalizer: unknown value ", shaping.normalizer()));
  }
  ARBITER_RETURN_IF_ERROR(
      CheckRange(shaping.has_epsilon(), shaping.epsilon(), 0, 1e6, false, "epsilon"));
  const v1::UnlikelinessParams& u = shaping.unlikeliness();
  ARBITER_RETURN_IF_ERROR(CheckRange(u.has_beta(), u.beta(), 0, 1, false, "unlikeliness.beta"));
  if (!v1::UnlikelinessParams::Likelihood_IsValid(u.likelihood())) {
    return absl::InvalidArgumentError(
        absl::StrCat("shaping.unlikeliness.likelihood: unknown value ", u.likelihood()));
  }
  ARBITER_RETURN_IF_ERROR(ValidateLengthBudget(shaping.length_budget()));
  const v1::GrpoLambdaParams& g = shaping.grpo_lambda();
  ARBITER_RETURN_IF_ERROR(CheckRange(g.has_lambda(), g.lambda(), 0, 1, true, "grpo_lambda.lambda"));
  ARBITER_RETURN_IF_ERROR(CheckRange(g.has_alpha(), g.alpha(), 0, 1e6, false, "grpo_lambda.alpha"));
  const v1::PairParams& p = shaping.pair();
  if (!v1::PairParams::Mode_IsValid(p.mode())) {
    return absl::InvalidArgumentError(absl::StrCat("shaping.pair.mode: unknown value ", p.mode()));
  }
  return CheckRange(p.has_lambda_neg(), p.lambda_neg(), 0, 1e6, false, "pair.lambda_neg");
}

v1::Shaping ResolveShaping(const v1::Shaping& shaping, bool keep_verifier_advantages, bool paired) {
  v1::Shaping r;
  *r.mutable_stages() = shaping.stages();
  r.set_normalizer(shaping.normalizer() == v1::NORMALIZER_UNSPECIFIED && !keep_verifier_advantages
                       ? v1::NORMALIZER_ZSCORE_UNBIASED
                       : shaping.normalizer());
  r.set_epsilon(shaping.has_epsilon() ? shaping.epsilon() : kDefaultEpsilon);
  if (HasStage(shaping, v1::Shaping::STAGE_UNLIKELINESS)) {
    const v1::UnlikelinessParams& in = shaping.unlikeliness();
    v1::UnlikelinessParams* out = r.mutable_unlikeliness();
    out->set_beta(in.has_beta() ? in.beta() : kDefaultUnlikelinessBeta);
    out->set_likelihood(in.likelihood() == v1::UnlikelinessParams::LIKELIHOOD_UNSPECIFIED
                            ? v1::UnlikelinessParams::LIKELIHOOD_MEAN
                            : in.likelihood());
  }
  if (HasStage(shaping, v1::Shaping::STAGE_LENGTH_BUDGET)) {
    ResolveLengthBudget(shaping.length_budget(), r.mutable_length_budget());
  }
  if (HasStage(shaping, v1::Shaping::STAGE_GRPO_LAMBDA)) {
    const v1::GrpoLambdaParams& in = shaping.grpo_lambda();
    r.mutable_grpo_lambda()->set_lambda(in.has_lambda() ? in.lambda() : kDefaultGrpoLambda);
    r.mutable_grpo_lambda()->set_alpha(in.has_alpha() ? in.alpha() : kDefaultGrpoAlpha);
  }
  if (paired) {
    const v1::PairParams& in = shaping.pair();
    r.mutable_pair()->set_mode(in.mode() == v1::PairParams::MODE_UNSPECIFIED
                                   ? v1::PairParams::MODE_PROMPT_WEIGHT
                                   : in.mode());
    r.mutable_pair()->set_lambda_neg(in.has_lambda_neg() ? in.lambda_neg() : kDefaultLambdaNeg);
  }
  return r;
}

NormalizerKind ToNormalizerKind(v1::Normalizer normalizer) {
  switch (normalizer) {
    case v1::NORMALIZER_NONE:
      return NormalizerKind::kNone;
    case v1::NORMALIZER_MEAN_ONLY:
      return NormalizerKind::kMeanOnly;
    case v1::NORMALIZER_ZSCORE_POPULATION:
      return NormalizerKind::kZScorePopulation;
    default:
      return NormalizerKind::kZScoreUnbiased;
  }
}

PairMode ToPairMode(v1::PairParams::Mode mode) {
  switch (mode) {
    case v1::PairParams::MODE_LITERAL_PER_PROMPT:
      return PairMode::kLiteralPerPrompt;
    case v1::PairParams::MODE_PAIR_POOLED_SPARSE:
      return PairMode::kPairPooledSparse;
    default:
      return PairMode::kPromptWeight;
  }
}

LengthShape ToLengthShape(v1::LengthBudgetParams::Shape shape) {
  return shape == v1::LengthBudgetParams::SHAPE_BAND ? LengthShape::kBand
                                                     : LengthShape::kTriangular;
}

BudgetSchedule ToBudgetSchedule(const v1::LengthBudgetParams& params) {
  BudgetSchedule s;
  if (params.has_initial_budget()) s.initial_budget = params.initial_budget();
  if (params.has_decay()) s.decay = params.decay();
  if (params.has_decay_every()) s.decay_every = params.decay_every();
  if (params.has_min_budget()) s.min_budget = params.min_budget();
  return s;
}

LengthWeights ToLengthWeights(const v1::LengthBudgetParams& params) {
  LengthWeights w;
  if (params.has_lambda_correct()) w.correct = params.lambda_correct();
  if (params.has_lambda_length()) w.length = params.lambda_length();
  if (params.has_lambda_format()) w.format = params.lambda_format();
  return w;
}

}  // namespace arbiter::shaping
