#include "server/result_cache.h"

namespace arbiter::server {

std::optional<v1::SampleResult> ResultCache::Lookup(const ItemKey& key) {
  if (capacity_ <= 0) return std::nullopt;
  absl::MutexLock lock(&mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ResultCache::Insert(const ItemKey& key, const v1::SampleResult& result) {
  if (capacity_ <= 0) return;
  absl::MutexLock lock(&mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->second = result;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.emplace_front(key, result);
  index_.emplace(key, lru_.begin());
  if (static_cast<int64_t>(lru_.size()) > capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

int64_t ResultCache::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(lru_.size());
}

}  // namespace arbiter::server
