// Pair selection for pair-weighted GRPO (spec §5.2): from probe success counts, choose a
// hard-but-solvable prompt q+ and an easy-but-brittle prompt q−.
//
// Windows (G rollouts per probe, width c): q+ needs p̂ ∈ [1/G, c/G], q− needs p̂ ∈ [1 − c/G,
// 1 − 1/G], where p̂ = successes / samples. q+ is the lowest p̂ in its window, q− the highest in
// its window, ties broken by the smallest prompt_id; q− is never the prompt chosen as q+. q+ comes
// from the HARD pool (or an unspecified pool), q− from the EASY pool (or unspecified). The q−
// window is from [3P]; the q+ window and the tie-break are [INFERRED] (see README.md).
// Window membership is decided in exact integer arithmetic, so 1/8 is inside [1/8, 2/8].
//
// Thread-safe: pure functions.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::shaping {

inline constexpr int kDefaultPairSelectG = 8;
inline constexpr int kDefaultPairSelectC = 2;

// True when successes/samples ∈ [1/g, c/g] (q+ window). samples > 0, g > 0.
bool InPositiveWindow(int64_t successes, int64_t samples, int64_t g, int64_t c);
// True when successes/samples ∈ [1 − c/g, 1 − 1/g] (q− window). samples > 0, g > 0.
bool InNegativeWindow(int64_t successes, int64_t samples, int64_t g, int64_t c);

// Resolves g (0 → 8) and c (0 → 2) and selects the pair. INVALID_ARGUMENT for no candidates,
// g < 0, c < 0 or c > g, an empty or duplicate prompt_id, or successes outside [0, samples];
// NOT_FOUND (naming the window) when no candidate fits the q+ or the q− window.
absl::StatusOr<v1::PairSelectResult> SelectPair(const v1::PairSelectParams& params);

}  // namespace arbiter::shaping
