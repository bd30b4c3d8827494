// PreparedTaskCache: the `code` verifier's parsed ground truths, shared by every group whose task
// carries the same label, so that 64 groups naming one registered 4,000-test suite
// (Task.ground_truth_ref, resolved by the server to the same bytes) parse it once.
//
// Keyed by (Task.mode, ground_truth bytes): a lookup hashes the label (absl::Hash, about 0.1 ms
// per MB here) and confirms a hit by comparing the full bytes, so a crafted hash collision can
// never hand one client's prepared tests to another. The entry keeps its own copy of the label
// for that comparison. Only labels of at least kMinBytes are cached: smaller ones parse in
// microseconds. Bounded by bytes (the label plus an estimate of the prepared task, see Cost);
// least recently used entries are evicted first; 0 disables the cache.
//
// Thread-safety: every method may be called concurrently (one mutex; hashing happens outside
// it, the byte comparison inside, which is as long as a memcmp of the label).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "verifiers/code/task.h"

namespace arbiter::code {

class PreparedTaskCache {
 public:
  static constexpr size_t kMinBytes = 16 << 10;

  explicit PreparedTaskCache(int64_t max_bytes) : max_bytes_(max_bytes) {}

  // True when a label of this size would be cached.
  bool Caches(absl::string_view ground_truth) const {
    return max_bytes_ > 0 && ground_truth.size() >= kMinBytes;
  }

  // The prepared task cached for exactly this (mode, ground_truth), marked recently used; null
  // when not held.
  std::shared_ptr<const PreparedCodeTask> Find(absl::string_view mode,
                                               absl::string_view ground_truth);

  // Caches `prepared` for (mode, ground_truth) unless an entry exists or it alone exceeds the
  // bound; evicts least recently used entries to stay within it.
  void Insert(absl::string_view mode, absl::string_view ground_truth,
              std::shared_ptr<const PreparedCodeTask> prepared);

  // What an entry counts against max_bytes: its label, the prepared task's tests (CodeTask
  // serialized size, inputs) and a fixed per-test allowance for the objects holding them.
  static int64_t Cost(absl::string_view ground_truth, const PreparedCodeTask& prepared);

  int64_t bytes() const;
  int64_t size() const;
  int64_t hits() const;
  int64_t misses() const;

 private:
  struct Entry {
    size_t hash;
    std::string mode;
    std::string ground_truth;
    std::shared_ptr<const PreparedCodeTask> prepared;
    int64_t cost;
  };
  using List = std::list<Entry>;

  void EraseLocked(List::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t max_bytes_;
  mutable absl::Mutex mu_;
  int64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
  List lru_ ABSL_GUARDED_BY(mu_);  // front = most recently used
  // Hash → the entry with that hash. Two labels with one hash (never seen in practice, or
  // crafted) take turns: the newer insert replaces the older entry; Find compares bytes.
  absl::flat_hash_map<size_t, List::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::code
