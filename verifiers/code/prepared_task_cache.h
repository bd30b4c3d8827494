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
// Single flight (GetOrPrepare): while one caller prepares a label, concurrent callers with the
// same key wait for its result instead of parsing the same megabytes again (64 samples of one
// group arrive together); each waiter stops waiting at its own deadline or cancellation.
// Failures are never stored: a status the preparation returned (a verdict on the label, e.g.
// INVALID_ARGUMENT) is handed to that flight's waiters only; the next caller prepares again.
//
// Thread-safety: every method may be called concurrently (one mutex; hashing happens outside
// it, the byte comparison inside, which is as long as a memcmp of the label; preparing happens
// outside it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "verifiers/code/task.h"
#include "verifiers/sdk/verify_context.h"

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

  using Prepared = absl::StatusOr<std::shared_ptr<const PreparedCodeTask>>;

  // The prepared task for (mode, ground_truth): the cached one (a hit); else the result of the
  // preparation another caller is running for the same key, waited for (shared); else
  // `prepare()`'s, run here (a miss) and cached when it succeeds, Caches(ground_truth) and it
  // fits. `prepare` returns a non-null task or a status. A waiter returns DEADLINE_EXCEEDED or
  // CANCELLED as soon as `ctx` is done (within kPoll for a cancellation); the preparation goes
  // on for the others. A waiter whose preparer returned a transient status (DEADLINE_EXCEEDED,
  // CANCELLED, RESOURCE_EXHAUSTED, UNAVAILABLE, ABORTED, INTERNAL, UNKNOWN) or threw prepares
  // again itself (one at a time, as a new flight); other statuses (verdicts on the label) are
  // shared with the waiters of that flight.
  Prepared GetOrPrepare(absl::string_view mode, absl::string_view ground_truth,
                        const sdk::VerifyContext& ctx, absl::FunctionRef<Prepared()> prepare);

  // How often a waiter checks its cancellation token (the token cannot wake it).
  static constexpr absl::Duration kPoll = absl::Milliseconds(10);

  // What an entry counts against max_bytes: its label, the prepared task's tests (CodeTask
  // serialized size, inputs) and a fixed per-test allowance for the objects holding them.
  static int64_t Cost(absl::string_view ground_truth, const PreparedCodeTask& prepared);

  int64_t bytes() const;
  int64_t size() const;
  int64_t hits() const;
  int64_t misses() const;
  // Callers served another caller's in-flight preparation.
  int64_t shared() const;
  // Callers waiting for another's preparation right now.
  int64_t waiting() const;
  // Blocks until at least `n` callers wait (true) or `timeout` passes (false); for tests that
  // need the waiters in place before a preparation ends.
  bool AwaitWaiting(int64_t n, absl::Duration timeout) const;

 private:
  struct Entry {
    size_t hash;
    std::string mode;
    std::string ground_truth;
    std::shared_ptr<const PreparedCodeTask> prepared;
    int64_t cost;
  };
  using List = std::list<Entry>;
  // One preparation in progress. Every field is guarded by the cache's mu_; `mode` and
  // `ground_truth` view the preparer's own arguments and are read only while the flight is in
  // flights_ (the preparer removes it before it returns).
  struct Flight {
    size_t hash;
    absl::string_view mode;
    absl::string_view ground_truth;
    bool done = false;
    bool shareable = false;  // `result` is for the waiters; else they prepare again
    Prepared result;
  };

  std::shared_ptr<const PreparedCodeTask> FindLocked(size_t hash, absl::string_view mode,
                                                     absl::string_view ground_truth)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs `prepare` for `flight` (null: alone, no waiters), caches and lands the result.
  Prepared Lead(Flight* flight, absl::string_view mode, absl::string_view ground_truth,
                absl::FunctionRef<Prepared()> prepare) ABSL_LOCKS_EXCLUDED(mu_);
  void Land(Flight& flight, const Prepared* result) ABSL_LOCKS_EXCLUDED(mu_);
  // The flight's shared result; nullopt when it ended without one (prepare again).
  std::optional<Prepared> Wait(Flight& flight, const sdk::VerifyContext& ctx)
      ABSL_LOCKS_EXCLUDED(mu_);
  void EraseLocked(List::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t max_bytes_;
  mutable absl::Mutex mu_;
  int64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t shared_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t waiting_ ABSL_GUARDED_BY(mu_) = 0;
  List lru_ ABSL_GUARDED_BY(mu_);  // front = most recently used
  // Hash → the entry with that hash. Two labels with one hash (never seen in practice, or
  // crafted) take turns: the newer insert replaces the older entry; Find compares bytes.
  absl::flat_hash_map<size_t, List::iterator> index_ ABSL_GUARDED_BY(mu_);
  // Hash → the preparation in progress for it. A different key with the same hash prepares on
  // its own, without a flight.
  absl::flat_hash_map<size_t, std::shared_ptr<Flight>> flights_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::code
