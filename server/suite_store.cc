#include "server/suite_store.h"

#include <openssl/evp.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace arbiter::server {

SuiteStore::SuiteStore(int64_t max_bytes, prometheus::Registry* registry) : max_bytes_(max_bytes) {
  if (registry == nullptr) return;
  entries_gauge_ = &prometheus::BuildGauge()
                        .Name("arbiter_suite_store_entries")
                        .Help("Suites held for Task.ground_truth_ref (RegisterSuite).")
                        .Register(*registry)
                        .Add({});
  bytes_gauge_ = &prometheus::BuildGauge()
                      .Name("arbiter_suite_store_bytes")
                      .Help("Bytes the held suites cost against --suite_store_bytes.")
                      .Register(*registry)
                      .Add({});
  auto& lookups = prometheus::BuildCounter()
                      .Name("arbiter_suite_lookups_total")
                      .Help("Task.ground_truth_ref resolutions: hit, or miss (group NOT_FOUND).")
                      .Register(*registry);
  hits_ = &lookups.Add({{"result", "hit"}});
  misses_ = &lookups.Add({{"result", "miss"}});
  evictions_ = &prometheus::BuildCounter()
                    .Name("arbiter_suite_evictions_total")
                    .Help("Suites evicted to stay within --suite_store_bytes.")
                    .Register(*registry)
                    .Add({});
}

std::string SuiteStore::SuiteId(absl::string_view content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(content.data(), content.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(size_t{2} * size);
  for (unsigned int i = 0; i < size; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 0xf]);
  }
  return id;
}

absl::StatusOr<std::string> SuiteStore::Register(std::string content) {
  if (max_bytes_ == 0) {
    return absl::FailedPreconditionError(
        "this server's suite store is disabled (--suite_store_bytes=0): send ground truths inline");
  }
  const int64_t cost = static_cast<int64_t>(content.size()) + kEntryOverhead;
  if (cost > max_bytes_) {
    return absl::InvalidArgumentError(absl::StrCat("suite of ", content.size(),
                                                   " bytes exceeds the suite store (", max_bytes_,
                                                   " bytes, --suite_store_bytes): send it inline"));
  }
  std::string id = SuiteId(content);
  auto shared = std::make_shared<const std::string>(std::move(content));
  absl::MutexLock lock(&mu_);
  if (auto it = index_.find(id); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return id;
  }
  lru_.push_front(Entry{id, std::move(shared), cost});
  index_.emplace(id, lru_.begin());
  bytes_ += cost;
  EvictOverBound();
  UpdateGauges();
  return id;
}

std::shared_ptr<const std::string> SuiteStore::Find(absl::string_view suite_id) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(suite_id);
  if (it == index_.end()) {
    if (misses_ != nullptr) misses_->Increment();
    return nullptr;
  }
  if (hits_ != nullptr) hits_->Increment();
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->content;
}

absl::StatusOr<const v1::Task*> SuiteStore::Resolve(const v1::Task& task, v1::Task& storage) {
  if (task.ground_truth_ref().empty()) return &task;
  if (task.kind_case() != v1::Task::KIND_NOT_SET) {
    return absl::InvalidArgumentError(
        "task sets both ground_truth_ref and an inline task (ground_truth, a typed task or an "
        "extension): send one of them");
  }
  std::shared_ptr<const std::string> content = Find(task.ground_truth_ref());
  if (content == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "ground_truth_ref '", task.ground_truth_ref().substr(0, 64),
        "' is not registered on this replica (never registered here, or evicted): call "
        "RegisterSuite again or send the ground truth inline"));
  }
  storage = task;
  storage.clear_ground_truth_ref();
  storage.set_ground_truth(*content);
  return &storage;
}

int64_t SuiteStore::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(lru_.size());
}

int64_t SuiteStore::bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

void SuiteStore::EvictOverBound() {
  // The newest entry (front) fits by itself (Register checked), so this stops before it.
  while (bytes_ > max_bytes_ && lru_.size() > 1) {
    const Entry& victim = lru_.back();
    bytes_ -= victim.cost;
    index_.erase(victim.id);
    lru_.pop_back();
    if (evictions_ != nullptr) evictions_->Increment();
  }
}

void SuiteStore::UpdateGauges() {
  if (entries_gauge_ != nullptr) entries_gauge_->Set(static_cast<double>(lru_.size()));
  if (bytes_gauge_ != nullptr) bytes_gauge_->Set(static_cast<double>(bytes_));
}

}  // namespace arbiter::server
