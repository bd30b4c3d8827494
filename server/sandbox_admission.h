// SandboxAdmission: refuses sandbox-bound work that could only expire in the sandbox queue.
//
// The sandbox pool runs `concurrency` checks at a time; hostile programs (infinite loops up to
// their time limit) can fill it for minutes. Without this, the dispatcher admits such work up to
// max_queued_items and the items wait until their deadline passes, ending INFRA_ERROR "deadline
// exceeded before verification" after the trainer waited the whole deadline for nothing. Here a
// request is judged at admission instead:
//
//   work ahead  = sandbox items admitted and not finished (queued or running), over all requests
//   item time t = max(EWMA of recent sandbox check times, mean elapsed of the checks running now);
//                 before the first check finishes, max(initial_item_time, that mean)
//   estimate    = (ahead + this request's sandbox items) x t / concurrency
//
// When items are ahead and estimate > headroom x (deadline - now), the request is refused with
// RESOURCE_EXHAUSTED "sandbox saturated: ~N items queued …; retry in ~S s" (S = ahead x t /
// concurrency, the time for the work ahead to drain). The headroom (admit only under 70 % of
// the remaining deadline) absorbs item times that rise with machine load after admission.
//
// Never refused: requests without sandbox items (SAT, math, beam run on the CPU pool, which a
// busy sandbox does not slow down), and any request when nothing is ahead (waiting could not
// help it; its own items beyond the deadline end INFRA_ERROR as before). A request with both
// kinds of groups is sandbox-bound and judged as a whole.
//
// Limits: one estimate for every sandbox verifier and task, learned from the checks themselves;
// a burst of slow programs arriving while the estimate still reflects fast ones is over-admitted
// until the running checks' elapsed time (within ~t) or finished checks correct it.
//
// Thread-safety: every method may be called concurrently. A Ticket or ItemRun is used by one
// thread at a time; it must not outlive its SandboxAdmission.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/metrics.h"
#include "verifiers/sdk/clock.h"

namespace arbiter::server {

// True for SandboxAdmission's refusal (RESOURCE_EXHAUSTED marked with a payload), so that a
// caller that merged requests (the HTTP coalescer) can retry them apart: the ones without
// sandbox work are then admitted.
bool IsSandboxSaturated(const absl::Status& status);

class SandboxAdmission {
 public:
  struct Options {
    int concurrency = 1;  // the sandbox pool's size (ServerOptions::sandbox_concurrency), >= 1
    double headroom = 0.7;
    absl::Duration initial_item_time = absl::Seconds(1);
    double ewma_weight = 0.2;               // weight of the newest check time
    sdk::Clock* clock = &sdk::RealClock();  // a sdk::FakeClock in tests
  };

  class Ticket;
  // One sandbox item of a ticket, from dequeue to verdict. Finish() after Check() returned
  // records its time; an item destroyed unfinished (skipped: deadline, cancellation) only stops
  // counting as work ahead. A default-constructed ItemRun does nothing.
  class ItemRun {
   public:
    ItemRun() = default;
    ItemRun(ItemRun&& other) noexcept;
    ItemRun& operator=(ItemRun&&) = delete;
    ~ItemRun() { End(false); }
    void Finish() { End(true); }

   private:
    friend class Ticket;
    ItemRun(SandboxAdmission* owner, Ticket* ticket, uint64_t id);
    void End(bool ran);
    SandboxAdmission* owner_ = nullptr;
    Ticket* ticket_ = nullptr;
    uint64_t id_ = 0;
  };

  // The sandbox items one admitted request holds; its destruction releases those that never
  // ran (cache hits, in-batch duplicates). Default-constructed: holds nothing.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket() { Release(); }
    // `sandboxed`: the item runs on the sandbox pool; otherwise (or for an empty ticket) the
    // returned ItemRun does nothing.
    ItemRun StartItem(bool sandboxed);

   private:
    friend class SandboxAdmission;
    friend class ItemRun;
    Ticket(SandboxAdmission* owner, int64_t items) : owner_(owner), items_(items) {}
    void Release();
    SandboxAdmission* owner_ = nullptr;
    int64_t items_ = 0;  // held and not yet ended
  };

  // `metrics` (may be null) must outlive this object.
  SandboxAdmission(Options options, std::shared_ptr<Metrics> metrics);
  // Default options but the concurrency.
  SandboxAdmission(int concurrency, std::shared_ptr<Metrics> metrics)
      : SandboxAdmission(WithConcurrency(concurrency), std::move(metrics)) {}

  // Admits a request's `items` sandbox samples (those of groups whose verifier has
  // Work::kSandbox; the dispatcher counts them while it looks the verifiers up) due by
  // `deadline`: OK with a ticket for them, or RESOURCE_EXHAUSTED with the retry hint (counted as
  // rejected{reason="sandbox_saturated"}).
  absl::StatusOr<Ticket> AdmitItems(int64_t items, absl::Time deadline);
  // The current per-item estimate t (above).
  absl::Duration ItemTime() const;
  // Sandbox items admitted and not finished.
  int64_t items_ahead() const;

 private:
  static Options WithConcurrency(int concurrency) {
    Options options;
    options.concurrency = concurrency;
    return options;
  }
  absl::Duration ItemTimeLocked(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const std::shared_ptr<Metrics> metrics_;

  mutable absl::Mutex mu_;
  int64_t ahead_ ABSL_GUARDED_BY(mu_) = 0;
  bool measured_ ABSL_GUARDED_BY(mu_) = false;
  double ewma_seconds_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_run_id_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, absl::Time> running_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::server
