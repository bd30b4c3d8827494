// Resolution of a Shaping message: every unset parameter replaced by its documented default, and
// conversions to the plain parameter types of the stage functions. ValidateShaping() (declared in
// shaping.h) is implemented here too.
//
// Defaults: normaliser ZSCORE_UNBIASED (or the verifier's advantages, see shaping.h), ε 1e-6;
// unlikeliness β 0.25, likelihood MEAN; length budget TRIANGULAR, B0 256, γ 0.7, T 150, B_min 1,
// R_max 1, (λ_c, λ_ℓ, λ_f) = (0.6, 0.3, 0.1); GRPO-λ λ 0.2, α 0.6; pair mode D, λ_neg 1.
// Thread-safe: pure functions.
#pragma once

#include "arbiter/v1/arbiter.pb.h"
#include "shaping/length_budget.h"
#include "shaping/normalize.h"
#include "shaping/pair_grpo.h"

namespace arbiter::shaping {

bool HasStage(const v1::Shaping& shaping, v1::Shaping::Stage stage);

// The shaping as applied. `keep_verifier_advantages`: the normaliser is unspecified and the
// verifier set advantages (the normaliser stays NORMALIZER_UNSPECIFIED). Stage parameters are
// filled only for the stages listed, pair parameters only when `paired`. The length budget's
// `budget` is resolved to B(step) unless set. Precondition: ValidateShaping(shaping) is OK.
v1::Shaping ResolveShaping(const v1::Shaping& shaping, bool keep_verifier_advantages, bool paired);

// Conversions of a resolved Shaping's parts.
NormalizerKind ToNormalizerKind(v1::Normalizer normalizer);  // UNSPECIFIED → kZScoreUnbiased
PairMode ToPairMode(v1::PairParams::Mode mode);
LengthShape ToLengthShape(v1::LengthBudgetParams::Shape shape);
BudgetSchedule ToBudgetSchedule(const v1::LengthBudgetParams& params);
LengthWeights ToLengthWeights(const v1::LengthBudgetParams& params);

}  // namespace arbiter::shaping
