// The code verifier's own Prometheus metrics, added to the server's registry through
// sdk::Verifier::RegisterMetrics:
//
//   arbiter_sandbox_tests_total{verdict}          per-test verdicts (TestVerdict names)
//   arbiter_sandbox_test_duration_seconds         wall time of each test that ran
//   arbiter_sandbox_startup_seconds               sandbox session start-up until the first test
//
// Recording before registration (unit tests, tools) does nothing.
// Thread-safety: Register() once before serving; Record*() from any thread afterwards.
#pragma once

#include <array>

#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"

namespace prometheus {
class Counter;
class Histogram;
class Registry;
}  // namespace prometheus

namespace arbiter::code {

class SandboxMetrics {
 public:
  void Register(prometheus::Registry& registry);
  // Every test of every turn of one sample's detail.
  void RecordSample(const v1::CodeDetail& detail) const;
  void RecordStartup(absl::Duration startup) const;

 private:
  static constexpr int kNumVerdicts = v1::TestVerdict_ARRAYSIZE;
  std::array<prometheus::Counter*, kNumVerdicts> tests_{};
  prometheus::Histogram* test_duration_ = nullptr;
  prometheus::Histogram* startup_ = nullptr;
};

}  // namespace arbiter::code
