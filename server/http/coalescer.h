// Coalescer: merges the gateway's small requests into few Dispatcher::Score batches.
//
// OpenRLHF and slime send one completion per HTTP request with hundreds in flight; one Score
// call per request would pay the dispatcher's per-request costs hundreds of times. Submit()
// queues a submission (one HTTP request's groups); a flusher thread sends everything queued
// once the oldest submission has waited `window`, at once when `max_items` samples are queued
// (a submission that large travels alone), and — with `flush_when_idle` — as soon as no batch
// of ours is being scored: an idle server answers a lone request without waiting for the
// window, and a busy one batches what arrives meanwhile (group commit). Each submission gets its
// own groups back, in its order, through its own callback.
//
// Isolation: groups are validated by the caller (known verifier), so a merged batch is not
// expected to be refused as malformed; if it is (INVALID_ARGUMENT), every submission is retried
// alone and only the bad one fails; likewise when the sandbox is saturated (IsSandboxSaturated),
// so requests without sandbox work are not refused with their neighbours. Other
// RESOURCE_EXHAUSTED (admission) and UNAVAILABLE (draining) go to every submission of the batch
// (the gateway answers 503 + Retry-After). A batch's
// deadline is the earliest of its submissions'.
//
// Who sends: Submit itself when the batch is due at once (idle, full, too large, shutting down);
// the worker that answers the last batch in flight (group commit); the flusher thread only when
// a window ends while a batch is still being scored. No thread wake-up per request: measured
// with per-sample slime traffic, a hand-off to the flusher on every Submit was ≈ 1 futex wake
// and 2 context switches per request.
//
// Thread-safety: Submit may be called from any thread. `done` runs on a dispatcher worker (or,
// for a refused batch, on whichever thread sent it, possibly inside Submit; for an empty
// submission, on the caller) and must not block. Shutdown() sends what is queued and joins the
// flusher; the destructor also waits until every batch sent has been answered. The dispatcher must
// outlive the coalescer.
#pragma once

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "server/dispatcher.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::server::http {

struct CoalescerOptions {
  absl::Duration window = absl::Milliseconds(2);
  int64_t max_items = 1024;
  bool flush_when_idle = true;
};

class Coalescer {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<std::vector<v1::GroupResult>>) &&>;

  // `dispatcher` must outlive the coalescer. Every batch is sent with `cancellation` (may be
  // null): cancelling it skips the unchecked items of every batch (they end INFRA_ERROR).
  Coalescer(Dispatcher* dispatcher, CoalescerOptions options,
            std::shared_ptr<const sdk::CancellationToken> cancellation);
  ~Coalescer();  // Shutdown(), then waits for the batches in flight

  // Queues `groups` (may be empty: then `done` runs at once with no groups). `done` is called
  // exactly once: with one GroupResult per group, or with the status that refused the batch.
  void Submit(std::vector<v1::Group> groups, absl::Time deadline, Done done);

  // Sends what is queued and stops the flusher. Idempotent; later Submits are sent at once.
  void Shutdown();

 private:
  struct Submission;
  struct Batch;

  void FlushLoop();
  // Moves the pending submissions out as one batch, counted in flight.
  std::vector<Submission> TakePending() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sends a batch its caller has already counted in flight (mu_ not held).
  void Send(std::vector<Submission> submissions);
  // Each submission alone (after a merged batch was refused as malformed).
  void SendEachAlone(std::vector<Submission> submissions);

  Dispatcher* const dispatcher_;
  const CoalescerOptions options_;
  const std::shared_ptr<const sdk::CancellationToken> cancellation_;

  absl::Mutex mu_;
  std::vector<Submission> pending_ ABSL_GUARDED_BY(mu_);
  int64_t pending_items_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t batches_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time oldest_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread flusher_;
};

}  // namespace arbiter::server::http
