#include "verifiers/code/prepared_task_cache.h"

#include <algorithm>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/time/clock.h"

namespace arbiter::code {
namespace {

size_t Hash(absl::string_view mode, absl::string_view ground_truth) {
  return absl::HashOf(mode, ground_truth);
}

// A status that says something about the circumstances of one preparation rather than about the
// label: its waiters prepare again instead of taking it.
bool Transient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

}  // namespace

int64_t PreparedTaskCache::Cost(absl::string_view ground_truth, const PreparedCodeTask& prepared) {
  // Per test: a CodeTest message, a TestInput (three strings), an nlohmann::json and the vector
  // slots beyond the strings' contents; an allowance, not a measurement.
  constexpr int64_t kPerTest = 512;
  auto cost = static_cast<int64_t>(ground_truth.size() + prepared.task.ByteSizeLong());
  for (const TestInput& input : prepared.inputs) {
    cost += static_cast<int64_t>(input.stdin_data.size() + input.fn_name.size() +
                                 input.args_json.size()) +
            kPerTest;
  }
  return cost;
}

std::shared_ptr<const PreparedCodeTask> PreparedTaskCache::Find(absl::string_view mode,
                                                                absl::string_view ground_truth) {
  const size_t hash = Hash(mode, ground_truth);
  absl::MutexLock lock(&mu_);
  std::shared_ptr<const PreparedCodeTask> found = FindLocked(hash, mode, ground_truth);
  ++(found ? hits_ : misses_);
  return found;
}

std::shared_ptr<const PreparedCodeTask> PreparedTaskCache::FindLocked(
    size_t hash, absl::string_view mode, absl::string_view ground_truth) {
  auto found = index_.find(hash);
  if (found == index_.end() || found->second->mode != mode ||
      found->second->ground_truth != ground_truth) {
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, found->second);
  return found->second->prepared;
}

PreparedTaskCache::Prepared PreparedTaskCache::GetOrPrepare(absl::string_view mode,
                                                            absl::string_view ground_truth,
                                                            const sdk::VerifyContext& ctx,
                                                            absl::FunctionRef<Prepared()> prepare) {
  const size_t hash = Hash(mode, ground_truth);
  while (true) {
    std::shared_ptr<Flight> flight;
    bool lead = false;
    {
      absl::MutexLock lock(&mu_);
      if (std::shared_ptr<const PreparedCodeTask> hit = FindLocked(hash, mode, ground_truth)) {
        ++hits_;
        return hit;
      }
      auto [it, inserted] = flights_.try_emplace(hash);
      if (inserted) {
        it->second = std::make_shared<Flight>();
        it->second->hash = hash;
        it->second->mode = mode;
        it->second->ground_truth = ground_truth;
      }
      // Another label with this hash in flight: prepare alone (flight stays null).
      if (inserted || (it->second->mode == mode && it->second->ground_truth == ground_truth)) {
        flight = it->second;
      }
      lead = flight == nullptr || inserted;
      if (lead) ++misses_;
    }
    if (lead) return Lead(flight.get(), mode, ground_truth, prepare);
    if (std::optional<Prepared> shared = Wait(*flight, ctx)) return *std::move(shared);
  }
}

PreparedTaskCache::Prepared PreparedTaskCache::Lead(Flight* flight, absl::string_view mode,
                                                    absl::string_view ground_truth,
                                                    absl::FunctionRef<Prepared()> prepare) {
  // Lands the flight even when `prepare` throws, so that no waiter waits for ever.
  const Prepared* landed_with = nullptr;
  absl::Cleanup land = [&] {
    if (flight != nullptr) Land(*flight, landed_with);
  };
  Prepared result = prepare();
  if (result.ok() && Caches(ground_truth)) Insert(mode, ground_truth, *result);
  landed_with = &result;
  std::move(land).Invoke();
  return result;
}

void PreparedTaskCache::Land(Flight& flight, const Prepared* result) {
  absl::MutexLock lock(&mu_);
  flight.done = true;
  flight.shareable = result != nullptr && (result->ok() || !Transient(result->status()));
  if (flight.shareable) flight.result = *result;
  auto it = flights_.find(flight.hash);
  if (it != flights_.end() && it->second.get() == &flight) flights_.erase(it);
}

std::optional<PreparedTaskCache::Prepared> PreparedTaskCache::Wait(Flight& flight,
                                                                   const sdk::VerifyContext& ctx) {
  absl::MutexLock lock(&mu_);
  ++waiting_;
  std::optional<Prepared> out;
  while (!flight.done) {
    if (ctx.Cancelled()) {
      out = absl::CancelledError("cancelled while another request prepared the same task");
      break;
    }
    const absl::Time now = absl::Now();
    if (now >= ctx.deadline) {
      out = absl::DeadlineExceededError(
          "deadline exceeded while another request prepared the same task");
      break;
    }
    const absl::Time until =
        ctx.cancellation == nullptr ? ctx.deadline : std::min(ctx.deadline, now + kPoll);
    mu_.AwaitWithDeadline(absl::Condition(&flight.done), until);
  }
  --waiting_;
  if (flight.done && flight.shareable && !out) {
    ++shared_;
    out = flight.result;
  }
  return out;
}

void PreparedTaskCache::Insert(absl::string_view mode, absl::string_view ground_truth,
                               std::shared_ptr<const PreparedCodeTask> prepared) {
  const int64_t cost = Cost(ground_truth, *prepared);
  if (max_bytes_ <= 0 || cost > max_bytes_) return;
  const size_t hash = Hash(mode, ground_truth);
  Entry entry{hash, std::string(mode), std::string(ground_truth), std::move(prepared), cost};
  absl::MutexLock lock(&mu_);
  if (auto found = index_.find(hash); found != index_.end()) {
    if (found->second->mode == mode && found->second->ground_truth == ground_truth) return;
    EraseLocked(found->second);  // a different label with the same hash: the newer one stays
  }
  lru_.push_front(std::move(entry));
  index_[hash] = lru_.begin();
  bytes_ += cost;
  while (bytes_ > max_bytes_) EraseLocked(std::prev(lru_.end()));
}

void PreparedTaskCache::EraseLocked(List::iterator it) {
  bytes_ -= it->cost;
  index_.erase(it->hash);
  lru_.erase(it);
}

int64_t PreparedTaskCache::bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

int64_t PreparedTaskCache::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(lru_.size());
}

int64_t PreparedTaskCache::hits() const {
  absl::MutexLock lock(&mu_);
  return hits_;
}

int64_t PreparedTaskCache::misses() const {
  absl::MutexLock lock(&mu_);
  return misses_;
}

int64_t PreparedTaskCache::shared() const {
  absl::MutexLock lock(&mu_);
  return shared_;
}

int64_t PreparedTaskCache::waiting() const {
  absl::MutexLock lock(&mu_);
  return waiting_;
}

bool PreparedTaskCache::AwaitWaiting(int64_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return waiting_ >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

}  // namespace arbiter::code
