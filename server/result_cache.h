// ResultCache: a bounded, content-addressed LRU cache of Check() verdicts.
//
// Keyed by ItemKey (verifier, version, task, completion, turns). The stored value is the
// verifier's Check() result, before Finalize and shaping; the dispatcher never stores an
// INFRA_ERROR verdict (an infrastructure failure must be retried, not remembered). With
// capacity 0 every lookup misses and nothing is stored.
//
// Thread-safety: all methods may be called concurrently (one internal mutex; the critical
// sections are a hash lookup and a list splice).
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "arbiter/v1/arbiter.pb.h"
#include "server/item_key.h"

namespace arbiter::server {

class ResultCache {
 public:
  explicit ResultCache(int64_t capacity) : capacity_(capacity) {}

  // The stored verdict, marked most recently used; nullopt on a miss.
  std::optional<v1::SampleResult> Lookup(const ItemKey& key);
  // Stores (or refreshes) a verdict, evicting the least recently used entry when full.
  void Insert(const ItemKey& key, const v1::SampleResult& result);

  int64_t size() const;
  int64_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<ItemKey, v1::SampleResult>;

  const int64_t capacity_;
  mutable absl::Mutex mu_;
  // Front = most recently used.
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<ItemKey, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::server
