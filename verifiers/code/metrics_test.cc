#include "verifiers/code/metrics.h"

#include <string>

#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace arbiter::code {
namespace {

// The value of a counter child or the count of a histogram, found by family name and label value.
double Value(prometheus::Registry& registry, const std::string& family,
             const std::string& label_value = "") {
  for (const prometheus::MetricFamily& f : registry.Collect()) {
    if (f.name != family) continue;
    for (const prometheus::ClientMetric& m : f.metric) {
      if (!label_value.empty() && (m.label.empty() || m.label[0].value != label_value)) continue;
      return f.type == prometheus::MetricType::Histogram
                 ? static_cast<double>(m.histogram.sample_count)
                 : m.counter.value;
    }
  }
  return -1;
}

TEST(SandboxMetrics, CountsVerdictsAndTimesOnlyTestsThatRan) {
  v1::CodeDetail detail;
  v1::CodeTurn* turn = detail.add_turns();
  for (v1::TestVerdict v : {v1::OK, v1::OK, v1::WRONG_ANSWER, v1::TIME_LIMIT, v1::SKIPPED}) {
    v1::TestResult* test = turn->add_tests();
    test->set_verdict(v);
    test->set_wall_seconds(0.01);
  }
  SandboxMetrics metrics;
  metrics.RecordSample(detail);  // before registration: nothing, no crash
  prometheus::Registry registry;
  metrics.Register(registry);
  metrics.RecordSample(detail);
  metrics.RecordStartup(absl::Milliseconds(30));

  EXPECT_EQ(Value(registry, "arbiter_sandbox_tests_total", "OK"), 2);
  EXPECT_EQ(Value(registry, "arbiter_sandbox_tests_total", "WRONG_ANSWER"), 1);
  EXPECT_EQ(Value(registry, "arbiter_sandbox_tests_total", "SKIPPED"), 1);
  EXPECT_EQ(Value(registry, "arbiter_sandbox_tests_total", "MEMORY_LIMIT"), 0);
  EXPECT_EQ(Value(registry, "arbiter_sandbox_test_duration_seconds"), 4);  // not the skipped one
  EXPECT_EQ(Value(registry, "arbiter_sandbox_startup_seconds"), 1);
}

TEST(SandboxMetrics, CountsEveryTestOfACompactTurn) {
  v1::CodeDetail detail;
  v1::CodeTurn* turn = detail.add_turns();  // the compact form of 40 tests without a program
  turn->set_turn_verdict(v1::NO_PROGRAM);
  turn->set_num_tests(40);
  turn->add_tests()->set_verdict(v1::NO_PROGRAM);
  SandboxMetrics metrics;
  prometheus::Registry registry;
  metrics.Register(registry);
  metrics.RecordSample(detail);
  EXPECT_EQ(Value(registry, "arbiter_sandbox_tests_total", "NO_PROGRAM"), 40);
  EXPECT_EQ(Value(registry, "arbiter_sandbox_test_duration_seconds"), 0);
}

}  // namespace
}  // namespace arbiter::code
