#include "verifiers/sat/unsat_memo.h"

#include <openssl/evp.h>

namespace arbiter::sat {

FormulaDigest DigestOf(const CnfFormula& formula) {
  FormulaDigest digest{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  const uint64_t header[3] = {static_cast<uint64_t>(formula.num_vars), formula.lits.size(),
                              formula.start.size()};
  EVP_DigestUpdate(ctx, header, sizeof header);
  EVP_DigestUpdate(ctx, formula.lits.data(), formula.lits.size() * sizeof(uint32_t));
  EVP_DigestUpdate(ctx, formula.start.data(), formula.start.size() * sizeof(uint32_t));
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx, digest.data(), &size);
  EVP_MD_CTX_free(ctx);
  return digest;
}

std::optional<UnsatCheck> UnsatMemo::Lookup(const FormulaDigest& digest,
                                            absl::Duration budget) const {
  absl::MutexLock lock(&mu_);
  const auto it = entries_.find(digest);
  if (it == entries_.end()) return std::nullopt;
  const Entry& entry = it->second;
  if (entry.check.result == UnsatCheck::Result::kUnknown && budget > entry.budget) {
    return std::nullopt;
  }
  return entry.check;
}

void UnsatMemo::Insert(const FormulaDigest& digest, absl::Duration budget,
                       const UnsatCheck& check) {
  if (check.result == UnsatCheck::Result::kUnknown && !check.budget_exhausted) return;
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = entries_.try_emplace(digest, Entry{check, budget});
  if (!inserted) {
    // Keep the more informative result: a decision, or the larger budget that failed.
    Entry& entry = it->second;
    if (entry.check.result == UnsatCheck::Result::kUnknown &&
        (check.result != UnsatCheck::Result::kUnknown || budget > entry.budget)) {
      entry = Entry{check, budget};
    }
    return;
  }
  order_.push_back(digest);
  while (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace arbiter::sat
