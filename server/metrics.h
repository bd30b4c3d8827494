// Metrics: arbiterd's Prometheus metrics, built once at start-up.
//
// Families are created in the constructor and every child (label combination) is resolved up
// front, so recording is a pointer dereference and an atomic add. Labels are bounded: rpc (the
// five RPCs), code (the 17 canonical codes), verifier (the registry's names), outcome (the four
// outcomes). Names follow Prometheus practice: `arbiter_` prefix, base units, `_total` counters,
// `_seconds` histograms.
//
//   arbiter_build_info{version}                    1; the server's version
//   arbiter_requests_total{rpc,code}               answered RPCs
//   arbiter_request_duration_seconds{rpc}          RPC latency, admission to answer
//   arbiter_in_flight_requests                     Score/ScoreStream requests admitted, unanswered
//   arbiter_request_groups                         groups per admitted request (histogram)
//   arbiter_group_samples                          samples per admitted group (histogram)
//   arbiter_items_total{verifier,outcome}          samples answered (cached ones included)
//   arbiter_score{verifier}                        distribution of answered samples' score
//   arbiter_infra_errors_total{verifier,cause}     checks ending INFRA_ERROR: deadline, cancelled,
//                                                  sandbox (a sandboxed verifier), verifier
//   arbiter_queue_wait_seconds{verifier}           one check's wait for a worker
//   arbiter_verify_duration_seconds{verifier}      one Check() call (the run time)
//   arbiter_cache_hits_total                       samples answered from the cache or in-batch
//   dedup arbiter_cache_misses_total                     samples that had to be checked
//   arbiter_rejected_total{reason}                 requests refused at admission: capacity,
//                                                  draining, invalid, unauthenticated,
//                                                  sandbox_saturated (sandbox_admission.h)
//   arbiter_queue_depth                            checks queued and not yet started
//   arbiter_in_flight_items                        samples admitted and not yet answered
//   arbiter_admission_limit_items                  --max_queued_items (saturation's denominator)
//   arbiter_suite_*                                the suite store (suite_store.h)
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

enum class Rpc { kScore = 0, kScoreStream, kGenerate, kListVerifiers, kRegisterSuite };
inline constexpr int kNumRpcs = 5;

enum class RejectReason { kCapacity = 0, kDraining, kInvalid, kUnauthenticated, kSandboxSaturated };
inline constexpr int kNumRejectReasons = 5;

enum class InfraCause { kDeadline = 0, kCancelled, kSandbox, kVerifier };
inline constexpr int kNumInfraCauses = 4;

class Metrics {
 public:
  // Children are made for exactly these verifier names; others are not recorded.
  explicit Metrics(const std::vector<std::string>& verifier_names,
                   int64_t admission_limit_items = 0);

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

  // Index of a verifier for the two per-verifier calls below; -1 when unknown.
  int VerifierIndex(const std::string& name) const;

  void RequestDone(Rpc rpc, absl::StatusCode code, absl::Duration latency);
  // One answered sample: its outcome and, when finite, its score.
  void ItemAnswered(int verifier_index, const v1::SampleResult& sample);
  void CheckDone(int verifier_index, absl::Duration queue_wait, absl::Duration run);
  void InfraError(int verifier_index, InfraCause cause);
  void RequestAdmitted(int groups);
  void GroupAdmitted(int samples) { group_samples_->Observe(samples); }
  void RequestAnswered() { in_flight_requests_->Decrement(); }
  void CacheHit() { cache_hits_->Increment(); }
  void CacheMiss() { cache_misses_->Increment(); }
  void Rejected(RejectReason reason) { rejected_[static_cast<int>(reason)]->Increment(); }
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
  std::vector<prometheus::Histogram*> queue_wait_;
  std::vector<prometheus::Histogram*> score_;
  std::vector<std::array<prometheus::Counter*, kNumInfraCauses>> infra_errors_;
  prometheus::Gauge* in_flight_requests_ = nullptr;
  prometheus::Histogram* request_groups_ = nullptr;
  prometheus::Histogram* group_samples_ = nullptr;
  prometheus::Counter* cache_hits_ = nullptr;
  prometheus::Counter* cache_misses_ = nullptr;
  std::array<prometheus::Counter*, kNumRejectReasons> rejected_{};
  prometheus::Gauge* queue_depth_ = nullptr;
  prometheus::Gauge* in_flight_ = nullptr;
};

}  // namespace arbiter::server
