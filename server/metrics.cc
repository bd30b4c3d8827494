#include "server/metrics.h"

#include "absl/strings/ascii.h"

namespace arbiter::server {
namespace {

constexpr const char* kRpcNames[kNumRpcs] = {"Score", "ScoreStream", "Generate", "ListVerifiers"};

// Latency buckets from 100 µs to ~100 s, in seconds.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05,
          0.1,  0.25,   0.5,  1,    2.5,    5,    10,   30,    100};
}

}  // namespace

Metrics::Metrics(const std::vector<std::string>& verifier_names)
    : registry_(std::make_shared<prometheus::Registry>()) {
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
  for (const std::string& name : verifier_names) {
    verifier_index_[name] = static_cast<int>(items_.size());
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
  rejected_ = &prometheus::BuildCounter()
                   .Name("arbiter_rejected_total")
                   .Help("Requests refused by admission control (RESOURCE_EXHAUSTED).")
                   .Register(*registry_)
                   .Add({});
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

void Metrics::ItemAnswered(int verifier_index, v1::Outcome outcome) {
  if (verifier_index < 0 || verifier_index >= static_cast<int>(items_.size())) return;
  int o = static_cast<int>(outcome);
  if (o < 0 || o >= kNumOutcomes) o = 0;
  items_[verifier_index][o]->Increment();
}

void Metrics::CheckDone(int verifier_index, absl::Duration duration) {
  if (verifier_index < 0 || verifier_index >= static_cast<int>(verify_duration_.size())) return;
  verify_duration_[verifier_index]->Observe(absl::ToDoubleSeconds(duration));
}

}  // namespace arbiter::server
