// Metrics: arbiterd's Prometheus metrics, built once at start-up.
//
// Families are created in the constructor and every child (label combination) is resolved up
// front, so recording is a pointer dereference and an atomic add. Labels are bounded: rpc (the
// four RPCs), code (the 17 canonical codes), verifier (the registry's names), outcome (the four
// outcomes). Names follow Prometheus practice: `arbiter_` prefix, base units, `_total` counters,
// `_seconds` histograms.
//
//   arbiter_requests_total{rpc,code}            answered RPCs
//   arbiter_request_duration_seconds{rpc}       RPC latency, admission to answer
//   arbiter_items_total{verifier,outcome}       samples answered (cached ones included)
//   arbiter_verify_duration_seconds{verifier}   one Check() call
//   arbiter_cache_hits_total                    samples answered from the cache or in-batch dedup
//   arbiter_rejected_total                      requests refused by admission control
//   arbiter_queue_depth                         checks queued and not yet started
//   arbiter_in_flight_items                     samples admitted and not yet answered
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace arbiter::server {

enum class Rpc { kScore = 0, kScoreStream, kGenerate, kListVerifiers };
inline constexpr int kNumRpcs = 4;

class Metrics {
 public:
  // Children are made for exactly these verifier names; others are not recorded.
  explicit Metrics(const std::vector<std::string>& verifier_names);

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

  // Index of a verifier for the two per-verifier calls below; -1 when unknown.
  int VerifierIndex(const std::string& name) const;

  void RequestDone(Rpc rpc, absl::StatusCode code, absl::Duration latency);
  void ItemAnswered(int verifier_index, v1::Outcome outcome);
  void CheckDone(int verifier_index, absl::Duration duration);
  void CacheHit() { cache_hits_->Increment(); }
  void Rejected() { rejected_->Increment(); }
  void QueueDepthAdd(double delta) { queue_depth_->Increment(delta); }
  void InFlightAdd(double delta) { in_flight_->Increment(delta); }

 private:
  static constexpr int kNumCodes = 17;
  static constexpr int kNumOutcomes = 5;  // including OUTCOME_UNSPECIFIED, never expected

  std::shared_ptr<prometheus::Registry> registry_;
  std::array<std::array<prometheus::Counter*, kNumCodes>, kNumRpcs> requests_{};
  std::array<prometheus::Histogram*, kNumRpcs> request_duration_{};
  absl::flat_hash_map<std::string, int> verifier_index_;
  std::vector<std::array<prometheus::Counter*, kNumOutcomes>> items_;
  std::vector<prometheus::Histogram*> verify_duration_;
  prometheus::Counter* cache_hits_ = nullptr;
  prometheus::Counter* rejected_ = nullptr;
  prometheus::Gauge* queue_depth_ = nullptr;
  prometheus::Gauge* in_flight_ = nullptr;
};

}  // namespace arbiter::server
