#include "verifiers/code/prepared_task_cache.h"

#include <utility>

#include "absl/hash/hash.h"

namespace arbiter::code {
namespace {

size_t Hash(absl::string_view mode, absl::string_view ground_truth) {
  return absl::HashOf(mode, ground_truth);
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
  auto found = index_.find(hash);
  if (found == index_.end() || found->second->mode != mode ||
      found->second->ground_truth != ground_truth) {
    ++misses_;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, found->second);
  ++hits_;
  return found->second->prepared;
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

}  // namespace arbiter::code
