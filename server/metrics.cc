#include "server/metrics.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "server/server.h"

namespace arbiter::server {
namespace {

constexpr const char* kRpcNames[kNumRpcs] = {"Score", "ScoreStream", "Generate", "ListVerifiers",
                                             "RegisterSuite"};
constexpr const char* kRejectReasons[kNumRejectReasons] = {"capacity", "draining", "invalid",
                                                           "unauthenticated", "sandbox_saturated"};
constexpr const char* kInfraCauses[kNumInfraCauses] = {"deadline", "cancelled", "sandbox",
                                                       "verifier"};

// Latency buckets from 100 µs to ~100 s, in seconds.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05,
          0.1,  0.25,   0.5,  1,    2.5,    5,    10,   30,    100};
}

// Powers of two from 1 to 65,536: groups per request, samples per group.
prometheus::Histogram::BucketBoundaries CountBuckets() {
  prometheus::Histogram::BucketBoundaries b;
  for (double v = 1; v <= 65536; v *= 2) b.push_back(v);
  return b;
}

// Rewards: binary ones land on 0 and 1, VeRPO's dense ones between, shaped ones around them.
prometheus::Histogram::BucketBoundaries ScoreBuckets() {
  return {-10, -2,   -1,  -0.5,     -0.25,    -1e-9, 1e-9, 0.1, 0.25,
          0.5, 0.75, 0.9, 1 - 1e-9, 1 + 1e-9, 1.5,   2,    3,   10};
}

}  // namespace

Metrics::Metrics(const std::vector<std::string>& verifier_names, int64_t admission_limit_items)
    : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::BuildGauge()
      .Name("arbiter_build_info")
      .Help("Always 1; the label carries the server's version.")
      .Register(*registry_)
      .Add({{"version", Version()}})
      .Set(1);
  prometheus::BuildGauge()
      .Name("arbiter_admission_limit_items")
      .Help("Samples the server admits at once (--max_queued_items); more is RESOURCE_EXHAUSTED.")
      .Register(*registry_)
      .Add({})
      .Set(static_cast<double>(admission_limit_items));
  in_flight_requests_ = &prometheus::BuildGauge()
                             .Name("arbiter_in_flight_requests")
                             .Help("Score and ScoreStream requests admitted and not yet answered.")
                             .Register(*registry_)
                             .Add({});
  request_groups_ = &prometheus::BuildHistogram()
                         .Name("arbiter_request_groups")
                         .Help("Groups per admitted Score/ScoreStream request.")
                         .Register(*registry_)
                         .Add({}, CountBuckets());
  group_samples_ = &prometheus::BuildHistogram()
                        .Name("arbiter_group_samples")
                        .Help("Samples per admitted group.")
                        .Register(*registry_)
                        .Add({}, CountBuckets());
  auto& requests = prometheus::BuildCounter()
                       .Name("arbiter_requests_total")
                       .Help("Answered RPCs by method and status code.")
                       .Register(*registry_);
  auto& request_duration = prometheus::BuildHistogram()
                               .Name("arbiter_request_duration_seconds")
                               .Help("RPC latency from admission to answer, in seconds.")
                               .Register(*registry_);
  for (int rpc = 0; rpc < kNumRpcs; ++rpc) {
    for (int code = 0; code < kNumCodes; ++code) {
      const std::string code_name =
          absl::AsciiStrToUpper(absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
      requests_[rpc][code] = &requests.Add({{"rpc", kRpcNames[rpc]}, {"code", code_name}});
    }
    request_duration_[rpc] = &request_duration.Add({{"rpc", kRpcNames[rpc]}}, LatencyBuckets());
  }

  auto& items = prometheus::BuildCounter()
                    .Name("arbiter_items_total")
                    .Help("Samples answered, by verifier and outcome (cached ones included).")
                    .Register(*registry_);
  auto& verify_duration = prometheus::BuildHistogram()
                              .Name("arbiter_verify_duration_seconds")
                              .Help("Duration of one verifier Check() call, in seconds.")
                              .Register(*registry_);
  auto& queue_wait = prometheus::BuildHistogram()
                         .Name("arbiter_queue_wait_seconds")
                         .Help("Time one check waited for a worker, in seconds.")
                         .Register(*registry_);
  auto& score = prometheus::BuildHistogram()
                    .Name("arbiter_score")
                    .Help("Score of answered samples (cached ones included), by verifier.")
                    .Register(*registry_);
  auto& infra_errors = prometheus::BuildCounter()
                           .Name("arbiter_infra_errors_total")
                           .Help("Checks that ended INFRA_ERROR, by verifier and cause.")
                           .Register(*registry_);
  for (const std::string& name : verifier_names) {
    verifier_index_[name] = static_cast<int>(items_.size());
    queue_wait_.push_back(&queue_wait.Add({{"verifier", name}}, LatencyBuckets()));
    score_.push_back(&score.Add({{"verifier", name}}, ScoreBuckets()));
    std::array<prometheus::Counter*, kNumInfraCauses> by_cause{};
    for (int c = 0; c < kNumInfraCauses; ++c) {
      by_cause[c] = &infra_errors.Add({{"verifier", name}, {"cause", kInfraCauses[c]}});
    }
    infra_errors_.push_back(by_cause);
    std::array<prometheus::Counter*, kNumOutcomes> by_outcome{};
    for (int outcome = 0; outcome < kNumOutcomes; ++outcome) {
      by_outcome[outcome] = &items.Add(
          {{"verifier", name}, {"outcome", v1::Outcome_Name(static_cast<v1::Outcome>(outcome))}});
    }
    items_.push_back(by_outcome);
    verify_duration_.push_back(&verify_duration.Add({{"verifier", name}}, LatencyBuckets()));
  }

  cache_hits_ = &prometheus::BuildCounter()
                     .Name("arbiter_cache_hits_total")
                     .Help("Samples answered from the result cache or an identical item.")
                     .Register(*registry_)
                     .Add({});
  cache_misses_ = &prometheus::BuildCounter()
                       .Name("arbiter_cache_misses_total")
                       .Help("Samples that had to be checked (not in the cache, not repeated).")
                       .Register(*registry_)
                       .Add({});
  auto& rejected =
      prometheus::BuildCounter()
          .Name("arbiter_rejected_total")
          .Help(
              "Requests refused at admission, by reason: capacity "
              "(RESOURCE_EXHAUSTED), draining (UNAVAILABLE), invalid "
              "(INVALID_ARGUMENT), unauthenticated (UNAUTHENTICATED), sandbox_saturated "
              "(RESOURCE_EXHAUSTED: queued sandbox work would outlast the deadline).")
          .Register(*registry_);
  for (int r = 0; r < kNumRejectReasons; ++r) {
    rejected_[r] = &rejected.Add({{"reason", kRejectReasons[r]}});
  }
  queue_depth_ = &prometheus::BuildGauge()
                      .Name("arbiter_queue_depth")
                      .Help("Checks queued on the worker pools and not yet started.")
                      .Register(*registry_)
                      .Add({});
  in_flight_ = &prometheus::BuildGauge()
                    .Name("arbiter_in_flight_items")
                    .Help("Samples admitted and not yet answered.")
                    .Register(*registry_)
                    .Add({});
}

int Metrics::VerifierIndex(const std::string& name) const {
  auto it = verifier_index_.find(name);
  return it == verifier_index_.end() ? -1 : it->second;
}

void Metrics::RequestDone(Rpc rpc, absl::StatusCode code, absl::Duration latency) {
  const int r = static_cast<int>(rpc);
  int c = static_cast<int>(code);
  if (c < 0 || c >= kNumCodes) c = static_cast<int>(absl::StatusCode::kUnknown);
  requests_[r][c]->Increment();
  request_duration_[r]->Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::ItemAnswered(int verifier_index, const v1::SampleResult& sample) {
  if (verifier_index < 0 || verifier_index >= static_cast<int>(items_.size())) return;
  int o = static_cast<int>(sample.outcome());
  if (o < 0 || o >= kNumOutcomes) o = 0;
  items_[verifier_index][o]->Increment();
  if (sample.outcome() != v1::INFRA_ERROR && std::isfinite(sample.score())) {
    score_[verifier_index]->Observe(sample.score());
  }
}

void Metrics::CheckDone(int verifier_index, absl::Duration queue_wait, absl::Duration run) {
  if (verifier_index < 0 || verifier_index >= static_cast<int>(verify_duration_.size())) return;
  queue_wait_[verifier_index]->Observe(absl::ToDoubleSeconds(queue_wait));
  verify_duration_[verifier_index]->Observe(absl::ToDoubleSeconds(run));
}

void Metrics::InfraError(int verifier_index, InfraCause cause) {
  if (verifier_index < 0 || verifier_index >= static_cast<int>(infra_errors_.size())) return;
  infra_errors_[verifier_index][static_cast<int>(cause)]->Increment();
}

void Metrics::RequestAdmitted(int groups) {
  in_flight_requests_->Increment();
  request_groups_->Observe(groups);
}

}  // namespace arbiter::server
