#include "server/sandbox_admission.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace arbiter::server {
namespace {

constexpr absl::string_view kSaturatedPayload = "arbiter.server/sandbox_saturated";

}  // namespace

bool IsSandboxSaturated(const absl::Status& status) {
  return status.code() == absl::StatusCode::kResourceExhausted &&
         status.GetPayload(kSaturatedPayload).has_value();
}

SandboxAdmission::ItemRun::ItemRun(SandboxAdmission* owner, Ticket* ticket, uint64_t id)
    : owner_(owner), ticket_(ticket), id_(id) {}

SandboxAdmission::ItemRun::ItemRun(ItemRun&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)),
      ticket_(std::exchange(other.ticket_, nullptr)),
      id_(other.id_) {}

void SandboxAdmission::ItemRun::End(bool ran) {
  if (owner_ == nullptr) return;
  SandboxAdmission& owner = *std::exchange(owner_, nullptr);
  const absl::Time now = owner.options_.clock->Now();
  absl::MutexLock lock(&owner.mu_);
  auto it = owner.running_.find(id_);
  if (it != owner.running_.end()) {
    if (ran) {
      const double seconds = absl::ToDoubleSeconds(now - it->second);
      owner.ewma_seconds_ = owner.measured_
                                ? owner.options_.ewma_weight * seconds +
                                      (1 - owner.options_.ewma_weight) * owner.ewma_seconds_
                                : seconds;
      owner.measured_ = true;
    }
    owner.running_.erase(it);
  }
  // A ticket's count changes only under the owner's lock: items of one request end on several
  // sandbox threads at once.
  if (ticket_->items_ > 0) {
    --ticket_->items_;
    --owner.ahead_;
  }
}

SandboxAdmission::Ticket::Ticket(Ticket&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), items_(std::exchange(other.items_, 0)) {}

SandboxAdmission::Ticket& SandboxAdmission::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = std::exchange(other.owner_, nullptr);
    items_ = std::exchange(other.items_, 0);
  }
  return *this;
}

void SandboxAdmission::Ticket::Release() {
  if (owner_ == nullptr) return;
  absl::MutexLock lock(&owner_->mu_);
  owner_->ahead_ -= items_;
  items_ = 0;
  owner_ = nullptr;
}

SandboxAdmission::ItemRun SandboxAdmission::Ticket::StartItem(bool sandboxed) {
  if (!sandboxed || owner_ == nullptr) return {};
  const absl::Time now = owner_->options_.clock->Now();
  absl::MutexLock lock(&owner_->mu_);
  const uint64_t id = owner_->next_run_id_++;
  owner_->running_.emplace(id, now);
  return {owner_, this, id};
}

SandboxAdmission::SandboxAdmission(Options options, std::shared_ptr<Metrics> metrics)
    : options_(options), metrics_(std::move(metrics)) {}

absl::Duration SandboxAdmission::ItemTimeLocked(absl::Time now) const {
  double seconds = measured_ ? ewma_seconds_ : absl::ToDoubleSeconds(options_.initial_item_time);
  // Checks running longer than the estimate are evidence that it is stale (slow programs
  // arrived after fast ones): their mean elapsed time is a lower bound on their item time.
  if (!running_.empty()) {
    double elapsed = 0;
    for (const auto& [id, start] : running_) elapsed += absl::ToDoubleSeconds(now - start);
    seconds = std::max(seconds, elapsed / static_cast<double>(running_.size()));
  }
  return absl::Seconds(seconds);
}

absl::Duration SandboxAdmission::ItemTime() const {
  const absl::Time now = options_.clock->Now();
  absl::MutexLock lock(&mu_);
  return ItemTimeLocked(now);
}

int64_t SandboxAdmission::items_ahead() const {
  absl::MutexLock lock(&mu_);
  return ahead_;
}

absl::StatusOr<SandboxAdmission::Ticket> SandboxAdmission::AdmitItems(int64_t items,
                                                                      absl::Time deadline) {
  if (items <= 0) return Ticket();
  const absl::Time now = options_.clock->Now();
  absl::MutexLock lock(&mu_);
  if (ahead_ > 0) {
    const double per_item = absl::ToDoubleSeconds(ItemTimeLocked(now));
    const double lanes = std::max(1, options_.concurrency);
    const double estimate = static_cast<double>(ahead_ + items) * per_item / lanes;
    const double remaining = absl::ToDoubleSeconds(deadline - now);
    if (estimate > options_.headroom * remaining) {
      if (metrics_) metrics_->Rejected(RejectReason::kSandboxSaturated);
      const double drain = static_cast<double>(ahead_) * per_item / lanes;
      absl::Status refused = absl::ResourceExhaustedError(absl::StrFormat(
          "sandbox saturated: ~%d items queued (~%.1f s each, %d at a time); this request's %d "
          "would not finish well within its deadline (%.1f s left); retry in ~%.0f s",
          ahead_, per_item, options_.concurrency, items, std::max(0.0, remaining),
          std::max(1.0, std::ceil(drain))));
      refused.SetPayload(kSaturatedPayload, absl::Cord("1"));
      return refused;
    }
  }
  ahead_ += items;
  return Ticket(this, items);
}

}  // namespace arbiter::server
