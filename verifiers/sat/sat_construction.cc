#include "verifiers/sat/sat_construction.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "verifiers/sat/difficulty.h"
#include "verifiers/sat/rng.h"

namespace arbiter::sat {
namespace {

struct Clause {
  uint32_t pos = 0;
  uint32_t neg = 0;
};

// Number of distinct (solution, clause) pairs, saturated at `cap`.
int64_t PoolTarget(int n, int k, int64_t cap) {
  const int64_t per = MaxClausesPerSolution(n, k);  // C(k,n)·(2^n−1) <= 2^26·C(26,13)
  if (per >= cap) return cap;
  const int64_t total = per << k;  // per < cap <= kMaxPoolCap, so no overflow
  return std::min(total, cap);
}

// C(m, l) saturated at `cap`.
int64_t ChooseSaturated(int64_t m, int64_t l, int64_t cap) {
  if (l > m) return 0;
  l = std::min(l, m - l);
  double value = 1;
  for (int64_t i = 1; i <= l; ++i) {
    value = value * static_cast<double>(m - l + i) / static_cast<double>(i);
    if (value >= static_cast<double>(cap)) return cap;
  }
  return std::llround(value);  // value >= 1
}

// Step A, one draw (single_clause.py): n sorted distinct variables, their planted bits, a
// pattern in [1, 2^n) choosing which literals agree with the solution, random other bits.
std::pair<uint32_t, Clause> DrawClause(int n, int k, Rng& rng, std::vector<int>& scratch) {
  for (int i = 0; i < k; ++i) scratch[i] = i;
  for (int i = 0; i < n; ++i) std::swap(scratch[i], scratch[i + rng.Below(k - i)]);
  std::sort(scratch.begin(), scratch.begin() + n);
  uint32_t solution = 0;
  uint32_t chosen = 0;
  for (int i = 0; i < n; ++i) {
    chosen |= 1u << scratch[i];
    if (rng.Below(2)) solution |= 1u << scratch[i];
  }
  const uint64_t pattern = 1 + rng.Below((uint64_t{1} << n) - 1);
  Clause clause;
  for (int i = 0; i < n; ++i) {
    const uint32_t bit = 1u << scratch[i];
    const bool planted_true = solution & bit;
    const bool agree = (pattern >> i) & 1;
    ((planted_true == agree) ? clause.pos : clause.neg) |= bit;
  }
  for (int v = 0; v < k; ++v) {
    if (!(chosen & (1u << v)) && rng.Below(2)) solution |= 1u << v;
  }
  return {solution, clause};
}

std::string RenderSolution(uint32_t solution, int k) {
  std::string s(k, '0');
  for (int i = 0; i < k; ++i) {
    if (solution & (1u << i)) s[i] = '1';
  }
  return s;
}

absl::Status ValidateParams(const SatConstructionParams& p) {
  if (absl::Status s = ValidateShape(p.n, p.k, p.l); !s.ok()) return s;
  if (p.count < 1 || p.count > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: count = ", p.count, " must be in [1, ", kMaxCount, "]"));
  }
  if (int64_t{p.count} * p.l > kMaxCountTimesL) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: count × l = ", int64_t{p.count} * p.l, " exceeds ", kMaxCountTimesL));
  }
  if (p.pool_cap < 0 || p.pool_cap > kMaxPoolCap) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: pool_cap = ", p.pool_cap, " must be in [0, ", kMaxPoolCap, "]"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string RenderClause(uint32_t pos, uint32_t neg) {
  std::string out;
  for (int v = 0; v < 26; ++v) {
    const uint32_t bit = 1u << v;
    if (neg & bit) out.push_back('!');
    if ((pos | neg) & bit) out.push_back(static_cast<char>('A' + v));
  }
  return out;
}

absl::StatusOr<std::vector<SatInstance>> SatConstruction(const SatConstructionParams& p) {
  if (absl::Status s = ValidateParams(p); !s.ok()) return s;
  Rng rng(p.seed);
  // Step A: the pool, grouped by solution in order of first appearance.
  const int64_t target = PoolTarget(p.n, p.k, p.pool_cap == 0 ? kDefaultPoolCap : p.pool_cap);
  absl::flat_hash_set<std::pair<uint32_t, uint64_t>> seen;
  absl::flat_hash_map<uint32_t, size_t> group_of;
  std::vector<std::pair<uint32_t, std::vector<std::string>>> groups;
  std::vector<int> scratch(p.k);
  while (static_cast<int64_t>(seen.size()) < target) {
    const auto [solution, clause] = DrawClause(p.n, p.k, rng, scratch);
    if (!seen.insert({solution, (uint64_t{clause.pos} << 32) | clause.neg}).second) continue;
    auto [it, inserted] = group_of.try_emplace(solution, groups.size());
    if (inserted) groups.push_back({solution, {}});
    groups[it->second].second.push_back(RenderClause(clause.pos, clause.neg));
  }
  // Step B (combine.py).
  std::vector<size_t> valid;
  int64_t total = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto m = static_cast<int64_t>(groups[g].second.size());
    if (m < p.l) continue;
    valid.push_back(g);
    total = std::min<int64_t>(total + ChooseSaturated(m, p.l, kMaxCount), kMaxCount);
  }
  if (valid.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("sat: l = ", p.l, ": no planted solution has ",
                                                   p.l, " distinct clauses in a pool of ", target,
                                                   " (raise pool_cap, or lower l or k)"));
  }
  const int64_t wanted = std::min<int64_t>(p.count, total);
  absl::flat_hash_set<std::string> unique_keys;
  std::vector<std::pair<uint32_t, std::string>> found;
  std::vector<size_t> pick;  // identity between attempts
  std::vector<size_t> swaps(p.l);
  std::vector<std::string> chosen(p.l);
  for (int64_t attempt = 0; attempt < 10 * wanted && static_cast<int64_t>(found.size()) < wanted;
       ++attempt) {
    const auto& [solution, clauses] = groups[valid[rng.Below(valid.size())]];
    // Partial Fisher-Yates over an identity permutation, undone afterwards: O(l) per attempt.
    const size_t m = clauses.size();
    while (pick.size() < m) pick.push_back(pick.size());
    for (int i = 0; i < p.l; ++i) {
      swaps[i] = i + rng.Below(m - i);
      std::swap(pick[i], pick[swaps[i]]);
      chosen[i] = clauses[pick[i]];
    }
    for (int i = p.l - 1; i >= 0; --i) std::swap(pick[i], pick[swaps[i]]);
    std::sort(chosen.begin(), chosen.end());
    std::string formula = absl::StrJoin(chosen, " & ");
    if (!unique_keys.insert(absl::StrCat(solution, "|", formula)).second) continue;
    found.emplace_back(solution, std::move(formula));
  }
  if (static_cast<int64_t>(found.size()) < wanted) {
    return absl::InvalidArgumentError(absl::StrCat("sat: count = ", p.count, ": only ",
                                                   found.size(), " unique formulas found in ",
                                                   10 * wanted, " attempts"));
  }
  for (size_t i = found.size(); i > 1; --i) std::swap(found[i - 1], found[rng.Below(i)]);
  std::vector<SatInstance> out;
  out.reserve(found.size());
  for (size_t i = 0; i < found.size(); ++i) {
    out.push_back({p.start_id + static_cast<int64_t>(i), RenderSolution(found[i].first, p.k),
                   std::move(found[i].second)});
  }
  return out;
}

}  // namespace arbiter::sat
