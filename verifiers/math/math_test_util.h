// Shared by the math verifier's tests: one completion checked against one gold label.
#pragma once

#include <string>

#include "gtest/gtest.h"
#include "verifiers/math/math_verifier.h"

namespace arbiter::math::testing {

// Prepare (expected to succeed) and Check of one completion; an empty result if Prepare fails.
inline arbiter::v1::SampleResult ScoreOne(const std::string& gold, const std::string& completion,
                                          const std::string& mode = "") {
  MathVerifier verifier;
  arbiter::v1::Task task;
  task.set_verifier("math");
  task.set_ground_truth(gold);
  task.set_mode(mode);
  auto prepared = verifier.Prepare(task);
  EXPECT_TRUE(prepared.ok()) << prepared.status();
  if (!prepared.ok()) return {};
  arbiter::v1::Sample sample;
  sample.set_completion(completion);
  return verifier.Check(**prepared, sample, {});
}

}  // namespace arbiter::math::testing
