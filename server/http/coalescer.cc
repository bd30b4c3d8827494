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
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_ && submission.items < options_.max_items) {
      if (pending_.empty()) oldest_ = absl::Now();
      pending_items_ += submission.items;
      pending_.push_back(std::move(submission));
      return;
    }
  }
  std::vector<Submission> alone;
  alone.push_back(std::move(submission));
  Send(std::move(alone));
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
  mu_.Lock();
  while (true) {
    auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || !pending_.empty();
    };
    mu_.Await(absl::Condition(&has_work));
    if (pending_.empty()) break;  // stopping, nothing left
    auto full = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || pending_items_ >= options_.max_items ||
             (options_.flush_when_idle && batches_in_flight_ == 0);
    };
    mu_.AwaitWithDeadline(absl::Condition(&full), oldest_ + options_.window);
    std::vector<Submission> batch = std::move(pending_);
    pending_.clear();
    pending_items_ = 0;
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

  {
    absl::MutexLock lock(&mu_);
    ++batches_in_flight_;
  }
  ScoreCallbacks callbacks;
  callbacks.on_done = [this, batch](std::vector<v1::GroupResult> groups) {
    {
      // Before the answers: the flusher may send the next batch while these are rendered.
      absl::MutexLock lock(&mu_);
      --batches_in_flight_;
    }
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
    std::vector<Submission> alone;
    alone.push_back(std::move(submission));
    Send(std::move(alone));
  }
}

}  // namespace arbiter::server::http
