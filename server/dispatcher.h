// Dispatcher: runs ScoreRequests on bounded worker pools, transport-independent.
//
// Score() validates and admits a request at once (cheap, safe to call from a gRPC reaction) and
// then works asynchronously:
//   1. per group, on the CPU pool: Prepare(task) (a malformed task fails only that group), then
//      each sample is looked up in the result cache and deduplicated against identical items of
//      the whole batch (ItemKey) — duplicates and hits come back with `cached = true`;
//   2. each distinct item is checked once, on the CPU pool or, for Verifier::Work::kSandbox,
//      on the sandbox pool (the sandbox concurrency cap). An item dequeued after the deadline or
//      after cancellation is not checked: it is INFRA_ERROR "deadline exceeded before
//      verification" / "cancelled before verification" — never a silent 0;
//   3. when a group's last item is in: Finalize, then shaping (shaping::ShapeBatch), and the
//      group is handed to `on_group`. When shaping needs the whole batch
//      (shaping::NeedsWholeBatch) every group is shaped and handed over once all are verified.
//
// A verifier that throws from Prepare, Check or Finalize (GiNaC or CaDiCaL when an allocation
// fails, a plugin's bug) fails only what it was working on: that sample, or that group's samples,
// become INFRA_ERROR naming the verifier and what it threw (group status RESOURCE_EXHAUSTED for
// std::bad_alloc, INTERNAL otherwise); neighbours are scored and the server serves on.
//
// Admission: at most `max_queued_items` samples are in flight over all requests; a request that
// would exceed that is RESOURCE_EXHAUSTED at once, never queued; so is a request with sandbox
// work that the queued sandbox work would keep from finishing in time (sandbox_admission.h).
// Deadline: min(client deadline,
// now + max_deadline), or now + default_deadline when the client sets none.
//
// Thread-safety: every method may be called concurrently. Callbacks run on worker threads; the
// calls for one request never overlap. The destructor waits for all queued work.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "server/metrics.h"
#include "server/options.h"
#include "server/result_cache.h"
#include "server/sandbox_admission.h"
#include "server/suite_store.h"
#include "server/work_pool.h"
#include "verifiers/sdk/registry.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::server {

struct ScoreCallbacks {
  // Each group once it is final (group_index set). May be empty.
  absl::AnyInvocable<void(const v1::GroupResult&)> on_group;
  // Exactly once, after the last on_group: every group, in request order.
  absl::AnyInvocable<void(std::vector<v1::GroupResult>) &&> on_done;
};

class Dispatcher {
 public:
  // `options` must be resolved (ResolveOptions). `registry` must outlive the dispatcher.
  // `metrics` may be null.
  static absl::StatusOr<std::unique_ptr<Dispatcher>> Create(const ServerOptions& options,
                                                            const sdk::VerifierRegistry* registry,
                                                            std::shared_ptr<Metrics> metrics);
  ~Dispatcher();

  // OK: the request is admitted and `callbacks` will be called. Otherwise nothing is called:
  // INVALID_ARGUMENT for a malformed request (see ValidateScoreRequest), RESOURCE_EXHAUSTED when
  // admitting it would exceed max_queued_items or its sandbox items could not finish before its
  // deadline (SandboxAdmission), UNAVAILABLE once draining (StartDraining).
  // `request` must stay valid until on_done returns.
  // `client_deadline` is InfiniteFuture() when the client set none. `cancellation` may be null.
  absl::Status Score(const v1::ScoreRequest& request, absl::Time client_deadline,
                     std::shared_ptr<const sdk::CancellationToken> cancellation,
                     ScoreCallbacks callbacks);

  // Runs `task` on the CPU pool (Generate requests). It counts as one item against
  // max_queued_items while queued or running: RESOURCE_EXHAUSTED (and `task` is dropped) when
  // the bound is reached, UNAVAILABLE once draining.
  absl::Status RunOnCpuPool(absl::AnyInvocable<void() &&> task);

  // From now on new work is refused with UNAVAILABLE, which clients retry on another replica
  // (a request that slipped in as the server shut down used to end CANCELLED instead). Work
  // already admitted runs on. Irreversible; the server calls it first thing on shutdown.
  void StartDraining();

  absl::Time EffectiveDeadline(absl::Time client_deadline) const;
  // Samples admitted and not yet answered.
  int64_t in_flight_items() const;
  // Blocks until nothing admitted is in flight or `deadline` passes; true when idle. For
  // shutdown (after StartDraining), never from a gRPC reaction.
  bool WaitUntilIdle(absl::Time deadline) const;

  // Suites for Task.ground_truth_ref (RegisterSuite writes them; PrepareGroup resolves them).
  SuiteStore& suites() { return suites_; }

 private:
  struct VerifierEntry;
  struct Call;

  Dispatcher(const ServerOptions& options, const sdk::VerifierRegistry* registry,
             std::shared_ptr<Metrics> metrics);

  // OK, RESOURCE_EXHAUSTED (over max_queued_items) or UNAVAILABLE (draining).
  absl::Status Admit(int64_t items);
  void Release(int64_t items);
  void PrepareGroup(const std::shared_ptr<Call>& call, int g);
  // `queued`: when the item was handed to a pool (queue wait = start - queued).
  void CheckItem(const std::shared_ptr<Call>& call, int item, absl::Time queued);
  void Schedule(const std::shared_ptr<Call>& call, int item);
  void FinishGroup(const std::shared_ptr<Call>& call, int g);
  void CompleteCall(const std::shared_ptr<Call>& call);

  const ServerOptions options_;
  const sdk::VerifierRegistry* const registry_;
  const std::shared_ptr<Metrics> metrics_;
  std::vector<std::unique_ptr<VerifierEntry>> verifiers_;
  ResultCache cache_;
  SandboxAdmission sandbox_admission_;  // refuses sandbox work that would expire queued
  SuiteStore suites_;

  mutable absl::Mutex admission_mu_;
  int64_t in_flight_ ABSL_GUARDED_BY(admission_mu_) = 0;
  bool draining_ ABSL_GUARDED_BY(admission_mu_) = false;

  // Last members: destroyed first, so queued work finishes while everything above still lives.
  std::unique_ptr<WorkPool> sandbox_pool_;
  std::unique_ptr<WorkPool> cpu_pool_;
};

}  // namespace arbiter::server
