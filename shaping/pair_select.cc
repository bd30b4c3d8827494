#include "shaping/pair_select.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace arbiter::shaping {
namespace {

struct Candidate {
  const v1::ProbeStat* stat = nullptr;
  int64_t samples = 0;
};

// a's rate < b's rate, exactly.
bool RateLess(const Candidate& a, const Candidate& b) {
  return static_cast<int64_t>(a.stat->successes()) * b.samples <
         static_cast<int64_t>(b.stat->successes()) * a.samples;
}

bool RateEqual(const Candidate& a, const Candidate& b) {
  return static_cast<int64_t>(a.stat->successes()) * b.samples ==
         static_cast<int64_t>(b.stat->successes()) * a.samples;
}

// Better q+: lower rate, then smaller prompt_id. Better q−: higher rate, then smaller prompt_id.
bool BetterPositive(const Candidate& a, const Candidate& b) {
  if (!RateEqual(a, b)) return RateLess(a, b);
  return a.stat->prompt_id() < b.stat->prompt_id();
}
bool BetterNegative(const Candidate& a, const Candidate& b) {
  if (!RateEqual(a, b)) return RateLess(b, a);
  return a.stat->prompt_id() < b.stat->prompt_id();
}

double Rate(const Candidate& c) {
  return static_cast<double>(c.stat->successes()) / static_cast<double>(c.samples);
}

}  // namespace

bool InPositiveWindow(int64_t successes, int64_t samples, int64_t g, int64_t c) {
  // 1/g ≤ s/n ≤ c/g  ⇔  n ≤ s·g ≤ c·n.
  return samples <= successes * g && successes * g <= c * samples;
}

bool InNegativeWindow(int64_t successes, int64_t samples, int64_t g, int64_t c) {
  // 1 − c/g ≤ s/n ≤ 1 − 1/g  ⇔  (g − c)·n ≤ s·g ≤ (g − 1)·n.
  return (g - c) * samples <= successes * g && successes * g <= (g - 1) * samples;
}

absl::StatusOr<v1::PairSelectResult> SelectPair(const v1::PairSelectParams& params) {
  if (params.g() < 0) return absl::InvalidArgumentError("pair_select: g must be ≥ 0");
  if (params.c() < 0) return absl::InvalidArgumentError("pair_select: c must be ≥ 0");
  const int64_t g = params.g() == 0 ? kDefaultPairSelectG : params.g();
  const int64_t c = params.c() == 0 ? kDefaultPairSelectC : params.c();
  if (c > g) {
    return absl::InvalidArgumentError(absl::StrCat("pair_select: c (", c, ") exceeds g (", g, ")"));
  }
  if (params.candidates().empty()) {
    return absl::InvalidArgumentError("pair_select: no candidates");
  }
  absl::flat_hash_set<std::string> seen;
  const Candidate* best_plus = nullptr;
  std::vector<Candidate> candidates;
  candidates.reserve(params.candidates_size());
  for (int i = 0; i < params.candidates_size(); ++i) {
    const v1::ProbeStat& stat = params.candidates(i);
    if (stat.prompt_id().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("pair_select: candidate ", i, " has no prompt_id"));
    }
    if (!seen.insert(stat.prompt_id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("pair_select: duplicate prompt_id '", stat.prompt_id(), "'"));
    }
    const int64_t samples = stat.samples() == 0 ? g : stat.samples();
    if (samples < 0 || stat.successes() < 0 || stat.successes() > samples) {
      return absl::InvalidArgumentError(absl::StrCat("pair_select: candidate '", stat.prompt_id(),
                                                     "' has successes ", stat.successes(),
                                                     " outside [0, ", samples, "]"));
    }
    candidates.push_back({&stat, samples});
  }
  for (const Candidate& cand : candidates) {
    if (cand.stat->pool() == v1::ProbeStat::POOL_EASY) continue;
    if (!InPositiveWindow(cand.stat->successes(), cand.samples, g, c)) continue;
    if (best_plus == nullptr || BetterPositive(cand, *best_plus)) best_plus = &cand;
  }
  const Candidate* best_minus = nullptr;
  for (const Candidate& cand : candidates) {
    if (&cand == best_plus || cand.stat->pool() == v1::ProbeStat::POOL_HARD) continue;
    if (!InNegativeWindow(cand.stat->successes(), cand.samples, g, c)) continue;
    if (best_minus == nullptr || BetterNegative(cand, *best_minus)) best_minus = &cand;
  }
  v1::PairSelectResult result;
  result.set_q_plus_low(1.0 / static_cast<double>(g));
  result.set_q_plus_high(static_cast<double>(c) / static_cast<double>(g));
  result.set_q_minus_low(1.0 - static_cast<double>(c) / static_cast<double>(g));
  result.set_q_minus_high(1.0 - 1.0 / static_cast<double>(g));
  if (best_plus == nullptr) {
    return absl::NotFoundError(absl::StrCat("pair_select: no q+ candidate with success rate in [1/",
                                            g, ", ", c, "/", g, "]"));
  }
  if (best_minus == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "pair_select: no q- candidate with success rate in [1 - ", c, "/", g, ", 1 - 1/", g, "]"));
  }
  result.set_q_plus(best_plus->stat->prompt_id());
  result.set_q_plus_rate(Rate(*best_plus));
  result.set_q_minus(best_minus->stat->prompt_id());
  result.set_q_minus_rate(Rate(*best_minus));
  return result;
}

}  // namespace arbiter::shaping
