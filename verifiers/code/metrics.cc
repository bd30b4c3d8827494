#include "verifiers/code/metrics.h"

#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace arbiter::code {
namespace {

// 1 ms to 30 s: a trivial test takes about a millisecond warm, a limit-bound one its limit.
prometheus::Histogram::BucketBoundaries Buckets() {
  return {1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30};
}

bool Ran(v1::TestVerdict verdict) {
  return verdict != v1::SKIPPED && verdict != v1::NO_PROGRAM && verdict != v1::COMPILE_ERROR &&
         verdict != v1::SANDBOX_ERROR && verdict != v1::TEST_VERDICT_UNSPECIFIED;
}

}  // namespace

void SandboxMetrics::Register(prometheus::Registry& registry) {
  auto& tests = prometheus::BuildCounter()
                    .Name("arbiter_sandbox_tests_total")
                    .Help("Unit tests judged by the code verifier, by verdict.")
                    .Register(registry);
  for (int v = 0; v < kNumVerdicts; ++v) {
    if (!v1::TestVerdict_IsValid(v)) continue;
    tests_[v] = &tests.Add({{"verdict", v1::TestVerdict_Name(static_cast<v1::TestVerdict>(v))}});
  }
  test_duration_ = &prometheus::BuildHistogram()
                        .Name("arbiter_sandbox_test_duration_seconds")
                        .Help("Wall time of one sandboxed test that ran, in seconds.")
                        .Register(registry)
                        .Add({}, Buckets());
  startup_ = &prometheus::BuildHistogram()
                  .Name("arbiter_sandbox_startup_seconds")
                  .Help(
                      "Sandbox session start-up (namespaces, interpreter, compiled program "
                      "loaded) until the first test could run, in seconds.")
                  .Register(registry)
                  .Add({}, Buckets());
}

void SandboxMetrics::RecordSample(const v1::CodeDetail& detail) const {
  if (test_duration_ == nullptr) return;
  for (const v1::CodeTurn& turn : detail.turns()) {
    if (turn.turn_verdict() != v1::TEST_VERDICT_UNSPECIFIED) {  // compact: one for all tests
      const int v = static_cast<int>(turn.turn_verdict());
      if (v >= 0 && v < kNumVerdicts && tests_[v] != nullptr)
        tests_[v]->Increment(turn.num_tests());
      continue;
    }
    for (const v1::TestResult& test : turn.tests()) {
      const int v = static_cast<int>(test.verdict());
      if (v >= 0 && v < kNumVerdicts && tests_[v] != nullptr) tests_[v]->Increment();
      if (Ran(test.verdict())) test_duration_->Observe(test.wall_seconds());
    }
  }
}

void SandboxMetrics::RecordStartup(absl::Duration startup) const {
  if (startup_ != nullptr) startup_->Observe(absl::ToDoubleSeconds(startup));
}

}  // namespace arbiter::code
