#include "server/dispatcher.h"

#include <cmath>
#include <deque>
#include <exception>
#include <new>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "rpc/status_conversion.h"
#include "server/item_key.h"
#include "server/request_validation.h"
#include "shaping/shaping.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::server {

using rpc::ToRpcStatus;

struct Dispatcher::VerifierEntry {
  const sdk::Verifier* verifier = nullptr;
  std::string name;
  std::string version;
  int metrics_index = -1;
};

// One admitted request. Shared by every task working on it; freed after on_done.
struct Dispatcher::Call {
  struct Group {
    const VerifierEntry* verifier = nullptr;
    std::unique_ptr<const sdk::PreparedTask> prepared;
    bool verifier_advantages = false;  // its Finalize set advantages (sdk::GroupFinal)
    int pending = 0;                   // samples not yet delivered; guarded by Call::mu
    // Check() verdicts in sample order, moved into the GroupResult once final. Written by the
    // group's Prepare task and by deliveries under Call::mu.
    std::vector<v1::SampleResult> samples;
  };
  // One distinct item of the batch: checked once, delivered to every (group, sample) that has
  // the same ItemKey. The first destination is the one that "ran"; the others are `cached`.
  struct Item {
    int owner_group = 0;
    int owner_sample = 0;
    ItemKey key;
    bool done = false;
    v1::SampleResult result;
    std::vector<std::pair<int, int>> destinations;
  };

  const v1::ScoreRequest* request = nullptr;
  ScoreCallbacks callbacks;
  sdk::VerifyContext ctx;
  shaping::RequestPlan shaping_plan;  // once per request: shaping a group costs O(1) in the batch
  SandboxAdmission::Ticket sandbox_ticket;
  int64_t items = 0;
  absl::Time start;

  // Sized once before any task runs. results[g] is written by group g's Prepare task (on
  // failure) and by FinishGroup, once nothing else can touch group g.
  std::vector<v1::GroupResult> results;
  std::vector<Group> groups;

  absl::Mutex mu;
  std::deque<Item> unique_items ABSL_GUARDED_BY(mu);  // deque: stable references
  absl::flat_hash_map<ItemKey, int> item_index ABSL_GUARDED_BY(mu);
  int groups_remaining ABSL_GUARDED_BY(mu) = 0;

  absl::Mutex emit_mu;  // serialises on_group
};

namespace {

v1::SampleResult InfraError(absl::string_view message) {
  v1::SampleResult result;
  result.set_outcome(v1::INFRA_ERROR);
  result.set_message(std::string(message));
  return result;
}

// The verifier contract says outcome is set and score is finite; a verifier that breaks it must
// not poison a trainer's batch, so the sample becomes INFRA_ERROR (masked) instead. `reward`
// belongs to shaping, and an advantage counts only when Finalize says it set them: whatever else
// a verifier wrote there is dropped.
void Sanitize(v1::SampleResult& result, bool keep_advantage) {
  if (result.outcome() == v1::OUTCOME_UNSPECIFIED) {
    result = InfraError("verifier returned no outcome (server-side bug)");
  } else if (!std::isfinite(result.score())) {
    result = InfraError("verifier returned a non-finite score (server-side bug)");
  }
  result.clear_reward();
  if (!keep_advantage || !std::isfinite(result.advantage())) result.clear_advantage();
}

// Every sample INFRA_ERROR and the group's status `status` (deadline or cancellation before the
// task was even prepared).
void FailGroupAsInfra(const v1::Group& group, const absl::Status& status,
                      absl::string_view sample_message, v1::GroupResult& result) {
  *result.mutable_status() = ToRpcStatus(status);
  result.clear_samples();
  for (const v1::Sample& sample : group.samples()) {
    v1::SampleResult* out = result.add_samples();
    *out = InfraError(sample_message);
    out->set_sample_id(sample.sample_id());
  }
}

// For a catch block: what a verifier threw while `doing`, and the group status it becomes. A
// verifier that throws (GiNaC or CaDiCaL when an allocation fails, a plugin's bug) fails only what
// it was working on, as INFRA_ERROR (masked, never a reward): an exception leaving a worker
// thread would end the process and every batch in it. Out of memory is RESOURCE_EXHAUSTED (worth
// retrying), anything else INTERNAL.
absl::Status CurrentVerifierException(absl::string_view verifier, absl::string_view doing) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        absl::StrCat("verifier '", verifier, "' ran out of memory ", doing));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("verifier '", verifier, "' threw ", doing, ": ", e.what()));
  } catch (...) {
    return absl::InternalError(
        absl::StrCat("verifier '", verifier, "' threw a non-standard exception ", doing));
  }
}

constexpr absl::string_view kDeadlineMessage = "deadline exceeded before verification";
constexpr absl::string_view kCancelledMessage = "cancelled before verification";

// For a catch block around a verifier's group-level call (Prepare, Finalize): every sample of
// the group INFRA_ERROR with what it threw, each counted as a verifier infrastructure error.
void FailGroupOnVerifierException(Metrics* metrics, absl::string_view verifier, int metrics_index,
                                  absl::string_view doing, const v1::Group& group,
                                  v1::GroupResult& result) {
  const absl::Status thrown = CurrentVerifierException(verifier, doing);
  FailGroupAsInfra(group, thrown, thrown.message(), result);
  if (metrics == nullptr) return;
  for (int i = 0; i < group.samples_size(); ++i) {
    metrics->InfraError(metrics_index, InfraCause::kVerifier);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Dispatcher>> Dispatcher::Create(
    const ServerOptions& options, const sdk::VerifierRegistry* registry,
    std::shared_ptr<Metrics> metrics) {
  if (registry == nullptr) return absl::InvalidArgumentError("Dispatcher: registry is null");
  absl::StatusOr<ServerOptions> resolved = ResolveOptions(options);
  if (!resolved.ok()) return resolved.status();
  return std::unique_ptr<Dispatcher>(new Dispatcher(*resolved, registry, std::move(metrics)));
}

Dispatcher::Dispatcher(const ServerOptions& options, const sdk::VerifierRegistry* registry,
                       std::shared_ptr<Metrics> metrics)
    : options_(options),
      registry_(registry),
      metrics_(std::move(metrics)),
      cache_(options.cache_entries, options.cache_max_bytes),
      sandbox_admission_(options.sandbox_concurrency, metrics_),
      suites_(options.suite_store_bytes, metrics_ ? metrics_->registry().get() : nullptr),
      sandbox_pool_(std::make_unique<WorkPool>("arb-sandbox", options.sandbox_concurrency)),
      cpu_pool_(std::make_unique<WorkPool>("arb-cpu", options.cpu_threads)) {
  for (const std::string& name : registry_->Names()) {
    auto entry = std::make_unique<VerifierEntry>();
    entry->verifier = registry_->Find(name);
    entry->name = name;
    entry->version = entry->verifier->Info().version();
    entry->metrics_index = metrics_ ? metrics_->VerifierIndex(name) : -1;
    verifiers_.push_back(std::move(entry));
  }
}

Dispatcher::~Dispatcher() {
  // Pools first (they are declared last, but be explicit): queued tasks still use the cache.
  cpu_pool_.reset();
  sandbox_pool_.reset();
}

absl::Time Dispatcher::EffectiveDeadline(absl::Time client_deadline) const {
  const absl::Time now = absl::Now();
  if (client_deadline == absl::InfiniteFuture()) return now + options_.default_deadline;
  return std::min(client_deadline, now + options_.max_deadline);
}

int64_t Dispatcher::in_flight_items() const {
  absl::MutexLock lock(&admission_mu_);
  return in_flight_;
}

bool Dispatcher::WaitUntilIdle(absl::Time deadline) const {
  absl::MutexLock lock(&admission_mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(admission_mu_) { return in_flight_ == 0; };
  return admission_mu_.AwaitWithDeadline(absl::Condition(&idle), deadline);
}

absl::Status Dispatcher::Admit(int64_t items) {
  absl::MutexLock lock(&admission_mu_);
  if (draining_) {
    if (metrics_) metrics_->Rejected(RejectReason::kDraining);
    return absl::UnavailableError("server is shutting down; retry on another replica");
  }
  if (in_flight_ + items > options_.max_queued_items) {
    if (metrics_) metrics_->Rejected(RejectReason::kCapacity);
    return absl::ResourceExhaustedError(absl::StrCat(
        "server at capacity: admitting ", items, " more items would exceed max_queued_items (",
        options_.max_queued_items, "); retry with backoff"));
  }
  in_flight_ += items;
  return absl::OkStatus();
}

void Dispatcher::StartDraining() {
  absl::MutexLock lock(&admission_mu_);
  draining_ = true;
}

void Dispatcher::Release(int64_t items) {
  absl::MutexLock lock(&admission_mu_);
  in_flight_ -= items;
}

absl::Status Dispatcher::RunOnCpuPool(absl::AnyInvocable<void() &&> task) {
  if (absl::Status admitted = Admit(1); !admitted.ok()) return admitted;
  cpu_pool_->Submit([this, task = std::move(task)]() mutable {
    std::move(task)();
    Release(1);
  });
  return absl::OkStatus();
}

absl::Status Dispatcher::Score(const v1::ScoreRequest& request, absl::Time client_deadline,
                               std::shared_ptr<const sdk::CancellationToken> cancellation,
                               ScoreCallbacks callbacks) {
  absl::StatusOr<ValidatedRequest> validated =
      ValidateScoreRequest(request, options_.max_queued_items);
  if (!validated.ok()) {
    if (metrics_) metrics_->Rejected(RejectReason::kInvalid);
    return validated.status();
  }
  const int num_groups = request.groups_size();
  // Every group's verifier, looked up once (an unknown one fails its group in PrepareGroup).
  std::vector<const VerifierEntry*> group_verifiers(num_groups, nullptr);
  int64_t sandbox_items = 0;
  for (int g = 0; g < num_groups; ++g) {
    const std::string& name = request.groups(g).task().verifier();
    for (const auto& entry : verifiers_) {
      if (entry->name == name) group_verifiers[g] = entry.get();
    }
    if (group_verifiers[g] != nullptr &&
        group_verifiers[g]->verifier->work() == sdk::Verifier::Work::kSandbox) {
      sandbox_items += request.groups(g).samples_size();
    }
  }
  const absl::Time deadline = EffectiveDeadline(client_deadline);
  absl::StatusOr<SandboxAdmission::Ticket> sandbox =
      sandbox_admission_.AdmitItems(sandbox_items, deadline);
  if (!sandbox.ok()) return sandbox.status();
  const int64_t items = validated->items;
  if (absl::Status admitted = Admit(items); !admitted.ok()) return admitted;
  if (metrics_) {
    metrics_->InFlightAdd(static_cast<double>(items));
    metrics_->RequestAdmitted(request.groups_size());
    for (const v1::Group& group : request.groups()) metrics_->GroupAdmitted(group.samples_size());
  }

  auto call = std::make_shared<Call>();
  call->request = &request;
  call->callbacks = std::move(callbacks);
  call->ctx.deadline = deadline;
  call->sandbox_ticket = *std::move(sandbox);
  call->ctx.cancellation =
      cancellation ? std::move(cancellation) : std::make_shared<sdk::CancellationToken>();
  call->shaping_plan = std::move(validated->shaping);
  call->items = items;
  call->start = absl::Now();
  call->results.resize(num_groups);
  call->groups.resize(num_groups);
  {
    absl::MutexLock lock(&call->mu);
    call->groups_remaining = num_groups;
  }
  for (int g = 0; g < num_groups; ++g) {
    call->results[g].set_group_index(g);
    call->results[g].set_group_id(request.groups(g).group_id());
    call->groups[g].verifier = group_verifiers[g];
  }
  for (int g = 0; g < num_groups; ++g) {
    cpu_pool_->Submit([this, call, g]() mutable { PrepareGroup(call, g); });
  }
  return absl::OkStatus();
}

void Dispatcher::PrepareGroup(const std::shared_ptr<Call>& call, int g) {
  const v1::Group& group = call->request->groups(g);
  v1::GroupResult& result = call->results[g];
  Call::Group& state = call->groups[g];
  if (call->ctx.Cancelled()) {
    FailGroupAsInfra(group, absl::CancelledError("cancelled before the task was prepared"),
                     kCancelledMessage, result);
    return FinishGroup(call, g);
  }
  if (absl::Now() >= call->ctx.deadline) {
    FailGroupAsInfra(group,
                     absl::DeadlineExceededError("deadline exceeded before the task was prepared"),
                     kDeadlineMessage, result);
    return FinishGroup(call, g);
  }
  if (state.verifier == nullptr) {
    *result.mutable_status() = ToRpcStatus(
        absl::InvalidArgumentError(UnknownVerifierMessage(group.task().verifier(), *registry_)));
    return FinishGroup(call, g);
  }
  if (group.samples_size() == 0) {
    *result.mutable_status() = ToRpcStatus(absl::InvalidArgumentError("group has no samples"));
    return FinishGroup(call, g);
  }
  v1::Task resolved_storage;  // the task with its ground_truth_ref resolved, when it has one
  absl::StatusOr<const v1::Task*> task = suites_.Resolve(group.task(), resolved_storage);
  if (!task.ok()) {
    *result.mutable_status() = ToRpcStatus(task.status());
    return FinishGroup(call, g);
  }
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> prepared;
  try {
    prepared = state.verifier->verifier->PrepareWithin(**task, call->ctx);
  } catch (...) {
    FailGroupOnVerifierException(metrics_.get(), state.verifier->name,
                                 state.verifier->metrics_index, "preparing the task", group,
                                 result);
    return FinishGroup(call, g);
  }
  if (!prepared.ok()) {
    // Ran out of time or was cancelled while waiting for a preparation in flight elsewhere (the
    // code verifier's shared parse): as when that happens before preparing.
    if (absl::IsDeadlineExceeded(prepared.status()) || absl::IsCancelled(prepared.status())) {
      FailGroupAsInfra(group, prepared.status(),
                       absl::IsCancelled(prepared.status()) ? kCancelledMessage : kDeadlineMessage,
                       result);
    } else {
      *result.mutable_status() = ToRpcStatus(prepared.status());
    }
    return FinishGroup(call, g);
  }
  state.prepared = *std::move(prepared);

  // Hashing and cache lookups happen outside the call's lock.
  // A referenced suite's id is its content's SHA-256: the digest need not hash the content again.
  const std::string suite_sha256 = absl::HexStringToBytes(group.task().ground_truth_ref());
  const ItemKey task_digest =
      TaskDigest(state.verifier->name, state.verifier->version, **task, suite_sha256);
  const int n = group.samples_size();
  std::vector<ItemKey> keys(n);
  std::vector<std::optional<v1::SampleResult>> hits(n);
  for (int i = 0; i < n; ++i) {
    keys[i] = SampleKey(task_digest, group.samples(i));
    hits[i] = cache_.Lookup(keys[i]);
  }
  state.samples.resize(n);

  std::vector<int> to_schedule;
  bool ready = false;
  {
    absl::MutexLock lock(&call->mu);
    int pending = 0;
    for (int i = 0; i < n; ++i) {
      if (hits[i].has_value()) {
        state.samples[i] = *std::move(hits[i]);
        state.samples[i].set_cached(true);
        if (metrics_) metrics_->CacheHit();
        continue;
      }
      auto [it, inserted] = call->item_index.try_emplace(keys[i], call->unique_items.size());
      if (inserted) {
        Call::Item& item = call->unique_items.emplace_back();
        item.owner_group = g;
        item.owner_sample = i;
        item.key = keys[i];
        item.destinations.emplace_back(g, i);
        to_schedule.push_back(it->second);
        ++pending;
        if (metrics_) metrics_->CacheMiss();
        continue;
      }
      Call::Item& item = call->unique_items[it->second];
      if (metrics_) metrics_->CacheHit();
      if (item.done) {
        state.samples[i] = item.result;
        state.samples[i].set_cached(true);
      } else {
        item.destinations.emplace_back(g, i);
        ++pending;
      }
    }
    state.pending = pending;
    ready = pending == 0;
  }
  // A CPU-bound group checks its first new item on this thread instead of queueing it (the rest
  // are queued first, so other workers start on them): one thread hand-off less per group,
  // which is most of the cost of a small request.
  int inline_item = -1;
  if (!to_schedule.empty() && state.verifier->verifier->work() == sdk::Verifier::Work::kCpu) {
    inline_item = to_schedule.front();
  }
  for (size_t k = inline_item >= 0 ? 1 : 0; k < to_schedule.size(); ++k) {
    Schedule(call, to_schedule[k]);
  }
  if (inline_item >= 0) {
    if (metrics_) metrics_->QueueDepthAdd(1);  // CheckItem counts it out again
    CheckItem(call, inline_item, absl::Now());
  }
  if (ready) FinishGroup(call, g);
}

void Dispatcher::Schedule(const std::shared_ptr<Call>& call, int item) {
  int owner_group;
  {
    absl::MutexLock lock(&call->mu);
    owner_group = call->unique_items[item].owner_group;
  }
  const bool sandbox =
      call->groups[owner_group].verifier->verifier->work() == sdk::Verifier::Work::kSandbox;
  if (metrics_) metrics_->QueueDepthAdd(1);
  (sandbox ? sandbox_pool_ : cpu_pool_)->Submit([this, call, item, queued = absl::Now()]() mutable {
    CheckItem(call, item, queued);
  });
}

void Dispatcher::CheckItem(const std::shared_ptr<Call>& call, int item_index, absl::Time queued) {
  if (metrics_) metrics_->QueueDepthAdd(-1);
  int g, i;
  ItemKey key;
  {
    absl::MutexLock lock(&call->mu);
    const Call::Item& item = call->unique_items[item_index];
    g = item.owner_group;
    i = item.owner_sample;
    key = item.key;
  }
  const Call::Group& owner = call->groups[g];
  SandboxAdmission::ItemRun sandbox_run = call->sandbox_ticket.StartItem(
      owner.verifier->verifier->work() == sdk::Verifier::Work::kSandbox);
  v1::SampleResult result;
  const int metrics_index = owner.verifier->metrics_index;
  if (call->ctx.Cancelled()) {
    result = InfraError(kCancelledMessage);
    if (metrics_) metrics_->InfraError(metrics_index, InfraCause::kCancelled);
  } else if (absl::Now() >= call->ctx.deadline) {
    result = InfraError(kDeadlineMessage);
    if (metrics_) metrics_->InfraError(metrics_index, InfraCause::kDeadline);
  } else {
    const absl::Time start = absl::Now();
    try {
      result = owner.verifier->verifier->Check(*owner.prepared, call->request->groups(g).samples(i),
                                               call->ctx);
    } catch (...) {
      result =
          InfraError(CurrentVerifierException(owner.verifier->name, "checking a sample").message());
    }
    sandbox_run.Finish();
    if (metrics_) {
      metrics_->CheckDone(metrics_index, start - queued, absl::Now() - start);
      if (result.outcome() == v1::INFRA_ERROR) {
        const bool sandboxed = owner.verifier->verifier->work() == sdk::Verifier::Work::kSandbox;
        metrics_->InfraError(metrics_index, call->ctx.Cancelled() ? InfraCause::kCancelled
                                            : absl::Now() >= call->ctx.deadline
                                                ? InfraCause::kDeadline
                                            : sandboxed ? InfraCause::kSandbox
                                                        : InfraCause::kVerifier);
      }
    }
    Sanitize(result, /*keep_advantage=*/false);
    result.clear_sample_id();
    result.set_cached(false);
    if (result.outcome() != v1::INFRA_ERROR) cache_.Insert(key, result);
  }

  std::vector<int> ready;
  {
    absl::MutexLock lock(&call->mu);
    Call::Item& item = call->unique_items[item_index];
    item.done = true;
    item.result = result;
    bool first = true;
    for (const auto& [dg, di] : item.destinations) {
      v1::SampleResult& out = call->groups[dg].samples[di];
      out = result;
      out.set_cached(!first);
      first = false;
      if (--call->groups[dg].pending == 0) ready.push_back(dg);
    }
  }
  for (int dg : ready) FinishGroup(call, dg);
}

void Dispatcher::FinishGroup(const std::shared_ptr<Call>& call, int g) {
  const v1::Group& group = call->request->groups(g);
  v1::GroupResult& result = call->results[g];
  Call::Group& state = call->groups[g];
  if (result.status().code() == 0 && state.prepared != nullptr) {
    for (int i = 0; i < group.samples_size(); ++i) {
      state.samples[i].set_sample_id(group.samples(i).sample_id());
    }
    sdk::GroupFinal final;
    absl::Status finalized;
    bool threw = false;
    try {
      finalized = state.verifier->verifier->Finalize(*state.prepared, group.samples(),
                                                     absl::MakeSpan(state.samples), final);
    } catch (...) {
      FailGroupOnVerifierException(metrics_.get(), state.verifier->name,
                                   state.verifier->metrics_index, "finalizing the group", group,
                                   result);
      threw = true;
    }
    if (!threw) {
      if (!finalized.ok()) *result.mutable_status() = ToRpcStatus(finalized);
      state.verifier_advantages = finalized.ok() && final.advantages_set;
      if (finalized.ok() && !final.detail.type_url().empty()) {
        *result.mutable_stats()->mutable_verifier_detail() = std::move(final.detail);
      }
      result.mutable_samples()->Reserve(static_cast<int>(state.samples.size()));
      for (v1::SampleResult& sample : state.samples) {
        Sanitize(sample, state.verifier_advantages);
        *result.add_samples() = std::move(sample);
      }
    }
    state.samples.clear();
  }
  // Verdicts quote program output, compiler diagnostics and task text; a client rejects a whole
  // response over one ill-formed UTF-8 string, so nothing leaves unrepaired (cheap when valid).
  sdk::RepairUtf8Fields(result);
  if (!call->shaping_plan.whole_batch) {
    const shaping::GroupInput shaped[] = {{&result, state.verifier_advantages}};
    std::vector<absl::Status> statuses =
        shaping::ShapeBatch(*call->request, call->shaping_plan, shaped);
    if (!statuses.empty() && !statuses[0].ok()) *result.mutable_status() = ToRpcStatus(statuses[0]);
    if (call->callbacks.on_group) {
      absl::MutexLock lock(&call->emit_mu);
      call->callbacks.on_group(result);
    }
  }
  bool last;
  {
    absl::MutexLock lock(&call->mu);
    last = --call->groups_remaining == 0;
  }
  if (last) CompleteCall(call);
}

void Dispatcher::CompleteCall(const std::shared_ptr<Call>& call) {
  if (call->shaping_plan.whole_batch) {
    std::vector<shaping::GroupInput> all;
    all.reserve(call->results.size());
    for (size_t g = 0; g < call->results.size(); ++g) {
      all.push_back({&call->results[g], call->groups[g].verifier_advantages});
    }
    std::vector<absl::Status> statuses =
        shaping::ShapeBatch(*call->request, call->shaping_plan, all);
    for (size_t k = 0; k < statuses.size() && k < all.size(); ++k) {
      if (!statuses[k].ok()) *all[k].result->mutable_status() = ToRpcStatus(statuses[k]);
    }
    if (call->callbacks.on_group) {
      absl::MutexLock lock(&call->emit_mu);
      for (const v1::GroupResult& result : call->results) call->callbacks.on_group(result);
    }
  }
  if (metrics_) {
    for (size_t g = 0; g < call->results.size(); ++g) {
      const int index = call->groups[g].verifier ? call->groups[g].verifier->metrics_index : -1;
      for (const v1::SampleResult& sample : call->results[g].samples()) {
        metrics_->ItemAnswered(index, sample);
      }
    }
    metrics_->InFlightAdd(-static_cast<double>(call->items));
    metrics_->RequestAnswered();
  }
  Release(call->items);
  std::move(call->callbacks.on_done)(std::move(call->results));
}

}  // namespace arbiter::server
