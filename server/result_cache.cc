#include "server/result_cache.h"

namespace arbiter::server {

std::optional<v1::SampleResult> ResultCache::Lookup(const ItemKey& key) {
  if (capacity_ <= 0 || max_bytes_ <= 0) return std::nullopt;
  absl::MutexLock lock(&mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->result;
}

void ResultCache::Insert(const ItemKey& key, const v1::SampleResult& result) {
  if (capacity_ <= 0 || max_bytes_ <= 0) return;
  const int64_t cost = static_cast<int64_t>(result.ByteSizeLong()) + kEntryOverhead;
  absl::MutexLock lock(&mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->cost;
    lru_.erase(it->second);
    index_.erase(it);
  }
  if (cost > max_bytes_) return;  // would evict everything and still not fit
  lru_.push_front(Entry{key, result, cost});
  index_.emplace(key, lru_.begin());
  bytes_ += cost;
  EvictOverBounds();
}

void ResultCache::EvictOverBounds() {
  while (!lru_.empty() && (static_cast<int64_t>(lru_.size()) > capacity_ || bytes_ > max_bytes_)) {
    bytes_ -= lru_.back().cost;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

int64_t ResultCache::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(lru_.size());
}

int64_t ResultCache::bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

}  // namespace arbiter::server
