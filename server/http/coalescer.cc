#include "server/http/coalescer.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/time/clock.h"
#include "server/sandbox_admission.h"

namespace arbiter::server::http {

struct Coalescer::Submission {
  std::vector<v1::Group> groups;
  absl::Time deadline;
  Done done;
  int64_t items = 0;
};

// One Score call: the merged request (alive until on_done returns, as the dispatcher requires)
// and, per submission, its callback and how many of the request's groups are its own.
struct Coalescer::Batch {
  v1::ScoreRequest request;
  std::vector<Submission> submissions;
  std::vector<int> group_counts;
};

Coalescer::Coalescer(Dispatcher* dispatcher, CoalescerOptions options,
                     std::shared_ptr<const sdk::CancellationToken> cancellation)
    : dispatcher_(dispatcher),
      options_(options),
      cancellation_(std::move(cancellation)),
      flusher_([this] { FlushLoop(); }) {}

Coalescer::~Coalescer() {
  Shutdown();
  // Answers refer to this object (the in-flight count): wait for the last one. The dispatcher
  // answers every admitted request by its deadline.
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return batches_in_flight_ == 0; };
  mu_.Await(absl::Condition(&idle));
}

void Coalescer::Submit(std::vector<v1::Group> groups, absl::Time deadline, Done done) {
  if (groups.empty()) {
    std::move(done)(std::vector<v1::GroupResult>());
    return;
  }
  Submission submission{std::move(groups), deadline, std::move(done), 0};
  for (const v1::Group& group : submission.groups) submission.items += group.samples_size();
  std::vector<Submission> batch;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ || submission.items >= options_.max_items) {
      ++batches_in_flight_;
      batch.push_back(std::move(submission));  // alone
    } else {
      if (pending_.empty()) oldest_ = absl::Now();
      pending_items_ += submission.items;
      pending_.push_back(std::move(submission));
      // Idle (or full): sent from this thread, without waking the flusher. Per-sample HTTP
      // traffic mostly finds the server idle (≈ 2 requests per batch at 64 in flight), so a
      // hand-off to the flusher here would cost a thread wake-up per request.
      if (pending_items_ >= options_.max_items ||
          (options_.flush_when_idle && batches_in_flight_ == 0)) {
        batch = TakePending();
      }
    }
  }
  if (!batch.empty()) Send(std::move(batch));
}

std::vector<Coalescer::Submission> Coalescer::TakePending() {
  std::vector<Submission> batch = std::move(pending_);
  pending_.clear();
  pending_items_ = 0;
  ++batches_in_flight_;
  return batch;
}

void Coalescer::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  flusher_.join();
}

void Coalescer::FlushLoop() {
  // Only a window that ends while a batch is being scored needs this thread: idle or full
  // batches leave from Submit, and what waited for a batch to end leaves from its on_done.
  // So it sleeps until something is pending, then until that window's end, and is not woken
  // when another thread takes the pending submissions meanwhile (it finds none at its deadline).
  mu_.Lock();
  while (true) {
    auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || !pending_.empty();
    };
    mu_.Await(absl::Condition(&has_work));
    if (pending_.empty()) break;  // stopping, nothing left
    auto due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || pending_items_ >= options_.max_items ||
             (options_.flush_when_idle && batches_in_flight_ == 0 && !pending_.empty());
    };
    const bool due_now = mu_.AwaitWithDeadline(absl::Condition(&due), oldest_ + options_.window);
    if (pending_.empty()) continue;                                     // taken by another thread
    if (!due_now && absl::Now() < oldest_ + options_.window) continue;  // a newer window
    std::vector<Submission> batch = TakePending();
    mu_.Unlock();
    Send(std::move(batch));
    mu_.Lock();
  }
  mu_.Unlock();
}

void Coalescer::Send(std::vector<Submission> submissions) {
  auto batch = std::make_shared<Batch>();
  absl::Time deadline = absl::InfiniteFuture();
  for (Submission& submission : submissions) {
    deadline = std::min(deadline, submission.deadline);
    batch->group_counts.push_back(static_cast<int>(submission.groups.size()));
    for (v1::Group& group : submission.groups) *batch->request.add_groups() = std::move(group);
    submission.groups.clear();
  }
  batch->submissions = std::move(submissions);

  ScoreCallbacks callbacks;
  callbacks.on_done = [this, batch](std::vector<v1::GroupResult> groups) {
    std::vector<Submission> next_batch;
    {
      absl::MutexLock lock(&mu_);
      --batches_in_flight_;
      // Group commit from this worker: what queued while this batch was scored leaves now,
      // before these answers are rendered, and without waking the flusher.
      if (options_.flush_when_idle && batches_in_flight_ == 0 && !pending_.empty()) {
        next_batch = TakePending();
      }
    }
    // `this` stays valid: the destructor waits for next_batch, counted in flight above.
    if (!next_batch.empty()) Send(std::move(next_batch));
    auto next = groups.begin();
    for (size_t i = 0; i < batch->submissions.size(); ++i) {
      std::vector<v1::GroupResult> own(std::make_move_iterator(next),
                                       std::make_move_iterator(next + batch->group_counts[i]));
      next += batch->group_counts[i];
      for (size_t g = 0; g < own.size(); ++g) own[g].set_group_index(static_cast<int>(g));
      std::move(batch->submissions[i].done)(std::move(own));
    }
  };
  const absl::Status status =
      dispatcher_->Score(batch->request, deadline, cancellation_, std::move(callbacks));
  if (status.ok()) return;
  {
    absl::MutexLock lock(&mu_);
    --batches_in_flight_;
  }
  // Malformed, or refused for its sandbox work: apart, the others are scored.
  if ((status.code() == absl::StatusCode::kInvalidArgument || IsSandboxSaturated(status)) &&
      batch->submissions.size() > 1) {
    int next = 0;  // give each submission its groups back
    for (size_t i = 0; i < batch->submissions.size(); ++i) {
      for (int g = 0; g < batch->group_counts[i]; ++g) {
        batch->submissions[i].groups.push_back(std::move(*batch->request.mutable_groups(next++)));
      }
    }
    SendEachAlone(std::move(batch->submissions));
    return;
  }
  for (Submission& submission : batch->submissions) std::move(submission.done)(status);
}

void Coalescer::SendEachAlone(std::vector<Submission> submissions) {
  for (Submission& submission : submissions) {
    {
      absl::MutexLock lock(&mu_);
      ++batches_in_flight_;
    }
    std::vector<Submission> alone;
    alone.push_back(std::move(submission));
    Send(std::move(alone));
  }
}

}  // namespace arbiter::server::http
