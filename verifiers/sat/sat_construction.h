// Saturn's SAT_Construction(n, k, l, m) (spec §1.4) with a seeded, specified PRNG (rng.h).
//
// Step A draws a pool of min(pool_cap, C(k,n)·2^k·(2^n−1)) unique (solution, clause) pairs, each
// clause satisfied by its planted solution; step B groups the pool by solution, keeps groups with
// at least l clauses, and draws up to 10·m times a group uniformly and l of its clauses without
// replacement, deduplicating (solution, formula); the result is shuffled and numbered from
// start_id. As in Saturn, m is lowered to the number of possible formulas when that is smaller.
//
// Deterministic in the parameters. Cost O(pool + 10·m·l·log l); bounded by the limits below.
// Thread-safe (pure function).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace arbiter::sat {

inline constexpr int kDefaultPoolCap = 10000;
inline constexpr int kMaxPoolCap = 200000;
inline constexpr int kMaxCount = 100000;
inline constexpr int64_t kMaxCountTimesL = 10000000;

struct SatConstructionParams {
  int n = 3;
  int k = 5;
  int l = 5;
  int count = 1;
  uint64_t seed = 0;
  int pool_cap = 0;  // 0 = kDefaultPoolCap
  int64_t start_id = 0;
};

struct SatInstance {
  int64_t id = 0;
  std::string solution;  // k characters 0/1
  std::string clause;    // Saturn's encoding, clauses sorted, joined by " & "
};

// INVALID_ARGUMENT naming the parameter: n, k, l (ValidateShape), count outside
// [1, kMaxCount] or count·l > kMaxCountTimesL, pool_cap outside [0, kMaxPoolCap], no solution
// group with l clauses in the pool (raise pool_cap or lower l/k), or fewer than m unique formulas
// after 10·m attempts.
absl::StatusOr<std::vector<SatInstance>> SatConstruction(const SatConstructionParams& params);

// Renders a clause given the masks of its positive and negated variables (sorted: A..Z).
std::string RenderClause(uint32_t pos, uint32_t neg);

}  // namespace arbiter::sat
