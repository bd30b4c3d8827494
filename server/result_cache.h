// ResultCache: a bounded, content-addressed LRU cache of Check() verdicts.
//
// Keyed by ItemKey (verifier, version, task, completion, turns). The stored value is the
// verifier's Check() result, before Finalize and shaping; the dispatcher never stores an
// INFRA_ERROR verdict (an infrastructure failure must be retried, not remembered). Bounded twice:
// by entries and by bytes (each entry costs its verdict's encoded size plus kEntryOverhead), the
// least recently used entries going first; a verdict larger than the byte bound is not stored.
// With either bound 0 every lookup misses and nothing is stored.
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
  // Bookkeeping per entry besides the verdict: list node, index slot, key (an estimate).
  static constexpr int64_t kEntryOverhead = 128;

  ResultCache(int64_t capacity, int64_t max_bytes) : capacity_(capacity), max_bytes_(max_bytes) {}

  // The stored verdict, marked most recently used; nullopt on a miss.
  std::optional<v1::SampleResult> Lookup(const ItemKey& key);
  // Stores (or refreshes) a verdict, evicting the least recently used entry when full.
  void Insert(const ItemKey& key, const v1::SampleResult& result);

  int64_t size() const;
  // What the stored entries cost against max_bytes.
  int64_t bytes() const;
  int64_t capacity() const { return capacity_; }
  int64_t max_bytes() const { return max_bytes_; }

 private:
  struct Entry {
    ItemKey key;
    v1::SampleResult result;
    int64_t cost;
  };

  void EvictOverBounds() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t capacity_;
  const int64_t max_bytes_;
  mutable absl::Mutex mu_;
  int64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // Front = most recently used.
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<ItemKey, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::server
