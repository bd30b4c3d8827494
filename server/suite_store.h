// SuiteStore: ground truths registered once (RegisterSuite) and named by content hash afterwards
// (Task.ground_truth_ref), so a trainer does not resend a prompt's megabytes of tests with every
// group, step and epoch.
//
// A suite's id is the lowercase hex SHA-256 of its bytes: clients can compute it themselves, and
// registering the same content twice is a no-op. The store is per replica and in memory, bounded
// by bytes (each suite costs its size plus kEntryOverhead); the least recently used suites are
// evicted first. An id the store does not hold (never registered on this replica, or evicted)
// makes the group that names it fail with NOT_FOUND, and the client registers it again or sends it
// inline. Resolution substitutes the content for the reference, so the task a verifier sees, its
// cache key and its verdicts are exactly those of the inline form; a verifier that parses large
// labels keeps its parse by content (the code verifier's PreparedTaskCache), so the groups naming
// one suite parse it once.
//
// Metrics (when given a registry): arbiter_suite_store_entries, arbiter_suite_store_bytes,
// arbiter_suite_lookups_total{result="hit"|"miss"}, arbiter_suite_evictions_total.
//
// Thread-safety: every method may be called concurrently (one mutex; content is hashed and copied
// outside it).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "arbiter/v1/arbiter.pb.h"

namespace prometheus {
class Counter;
class Gauge;
class Registry;
}  // namespace prometheus

namespace arbiter::server {

class SuiteStore {
 public:
  // Bookkeeping per suite besides its content (list node, index slot, id): an estimate.
  static constexpr int64_t kEntryOverhead = 256;

  // `max_bytes` bounds what the store holds; 0 disables it (Register is FAILED_PRECONDITION).
  // `registry`, when not null, receives the store's metrics and must outlive the store.
  explicit SuiteStore(int64_t max_bytes, prometheus::Registry* registry = nullptr);

  // Lowercase hex SHA-256 of `content`.
  static std::string SuiteId(absl::string_view content);

  // Stores `content` (idempotent: registering held content only marks it recently used) and
  // returns its id. FAILED_PRECONDITION when the store is disabled; INVALID_ARGUMENT when the
  // content alone exceeds max_bytes (not RESOURCE_EXHAUSTED, which clients retry).
  absl::StatusOr<std::string> Register(std::string content);

  // The content registered under `suite_id`, marked recently used; null when not held. Shared:
  // the caller may keep it while a concurrent registration evicts the entry.
  std::shared_ptr<const std::string> Find(absl::string_view suite_id);

  // `task` itself when it has no ground_truth_ref; otherwise `storage`, filled with a copy of
  // `task` whose ground_truth is the registered content (and ground_truth_ref cleared).
  // INVALID_ARGUMENT when the task sets both a ref and a kind (ground_truth, a typed task or an
  // extension); NOT_FOUND when the id is not held, with a message saying what to do.
  absl::StatusOr<const v1::Task*> Resolve(const v1::Task& task, v1::Task& storage);

  int64_t size() const;
  // What the held suites cost against max_bytes.
  int64_t bytes() const;
  int64_t max_bytes() const { return max_bytes_; }

 private:
  struct Entry {
    std::string id;
    std::shared_ptr<const std::string> content;
    int64_t cost;
  };

  void EvictOverBound() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void UpdateGauges() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t max_bytes_;
  prometheus::Gauge* entries_gauge_ = nullptr;
  prometheus::Gauge* bytes_gauge_ = nullptr;
  prometheus::Counter* hits_ = nullptr;
  prometheus::Counter* misses_ = nullptr;
  prometheus::Counter* evictions_ = nullptr;

  mutable absl::Mutex mu_;
  int64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // Front = most recently used.
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::server
