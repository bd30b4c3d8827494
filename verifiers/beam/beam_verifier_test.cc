// End to end through sdk::ScoreGroup: compat (spec §3.6 vectors via ground_truth), symbolic
// (labels, order rule, moments, decimals), outcomes, malformed tasks, registration.
#include "verifiers/beam/beam_verifier.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/beam/internal/beam_builder.h"
#include "verifiers/beam/register.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::beam {
namespace {

using internal::BeamBuilder;

std::vector<v1::SampleResult> Score(const v1::Task& task, const std::vector<std::string>& texts) {
  std::vector<v1::Sample> samples;
  for (const std::string& t : texts) samples.emplace_back().set_completion(t);
  BeamVerifier verifier;
  auto results = sdk::ScoreGroup(verifier, task, samples);
  EXPECT_TRUE(results.ok()) << results.status();
  return results.ok() ? *results : std::vector<v1::SampleResult>();
}

v1::Task GroundTruth(const std::string& json) {
  v1::Task task;
  task.set_verifier("beam");
  task.set_ground_truth(json);
  return task;
}

v1::Task Symbolic(const BeamBuilder& beam, bool ask_moments = false) {
  v1::Task task;
  task.set_verifier("beam");
  *task.mutable_beam()->mutable_beam() = beam.beam();
  task.mutable_beam()->set_ask_moments(ask_moments);
  return task;
}

std::string Answer(const std::string& tail) { return "<think>\nwork\n</think>\n" + tail; }

TEST(BeamVerifier, CompatSpecVectorsThroughScoreGroup) {
  const auto r = Score(GroundTruth(R"(["0.25P", "0.75P"])"),
                       {Answer("R_A = \\boxed{0.25P}, R_B = \\boxed{0.75P}"),
                        Answer("\\boxed{0.25P} \\boxed{0.7502P}"), Answer("R_A=0.25P, R_B=0.75P"),
                        "no think tag \\boxed{0.25P} \\boxed{0.75P}"});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].outcome(), v1::CORRECT);
  EXPECT_DOUBLE_EQ(r[0].score(), 1.0);
  EXPECT_TRUE(r[0].beam().format_ok());
  EXPECT_EQ(r[0].beam().predicted_size(), 2);
  EXPECT_EQ(r[1].outcome(), v1::INCORRECT);
  EXPECT_DOUBLE_EQ(r[1].score(), 0.333);
  EXPECT_EQ(r[2].outcome(), v1::NO_ANSWER);
  EXPECT_DOUBLE_EQ(r[2].score(), 0.0);
  EXPECT_EQ(r[3].outcome(), v1::INCORRECT);
  EXPECT_DOUBLE_EQ(r[3].score(), 0.0);
  // Accuracy without format: 0.667 but not CORRECT.
  const auto r2 = Score(GroundTruth(R"(["1.0P", "0"])"), {"x</think>\\boxed{P} and \\boxed{0}"});
  EXPECT_EQ(r2[0].outcome(), v1::INCORRECT);
  EXPECT_DOUBLE_EQ(r2[0].score(), 0.667);
}

TEST(BeamVerifier, CompatTypedTaskHonoursWeightsAndStrictCount) {
  v1::Task task;
  task.set_verifier("beam");
  task.mutable_beam()->add_gold("2.1P");
  task.mutable_beam()->add_gold("0.9P");
  task.mutable_beam()->set_format_weight(1.0);
  task.mutable_beam()->set_accuracy_weight(2.0);
  task.mutable_beam()->set_strict_count(true);
  const auto r = Score(task, {Answer("\\boxed{2.1P} \\boxed{0.9P}"),
                              Answer(R"(\boxed{2.1P} \boxed{0.9P} \boxed{3P})")});
  EXPECT_DOUBLE_EQ(r[0].score(), 3.0);
  EXPECT_EQ(r[1].outcome(), v1::INCORRECT);
  EXPECT_DOUBLE_EQ(r[1].score(), 1.0);
}

TEST(BeamVerifier, SymbolicAcceptsEquivalentFormsAndLabels) {
  // Spec §3.5 beam: R_A = 2.1P, R_B = 0.9P.
  const v1::Task task = Symbolic(BeamBuilder("2*L").Pin("0").Roller("2*L").Force("-3*P", "0.6*L"));
  const auto r = Score(task, {
                                 Answer("R_A = \\boxed{2.1P}, R_B = \\boxed{0.9P}"),
                                 Answer(R"(\boxed{R_B = \frac{9}{10}P, R_A = \frac{21P}{10}})"),
                                 Answer("\\boxed{2.1P} \\boxed{0.9P}"),
                                 Answer("\\boxed{0.9P} \\boxed{2.1P}"),  // order rule: wrong
                                 Answer("\\boxed{2.10001P} \\boxed{0.89999P}"),  // decimals
                                 Answer("\\boxed{2.1P}"),                        // one missing
                                 Answer("\\boxed{R_1 = 2.1P, R_2 = 0.9P, 7P}"),  // extra ignored
                             });
  EXPECT_EQ(r[0].outcome(), v1::CORRECT) << r[0].message();
  EXPECT_EQ(r[1].outcome(), v1::CORRECT) << r[1].message();
  EXPECT_EQ(r[2].outcome(), v1::CORRECT) << r[2].message();
  EXPECT_EQ(r[3].outcome(), v1::INCORRECT);
  EXPECT_EQ(r[4].outcome(), v1::CORRECT) << r[4].message();
  EXPECT_EQ(r[5].outcome(), v1::INCORRECT);
  EXPECT_EQ(r[6].outcome(), v1::CORRECT) << r[6].message();
  EXPECT_EQ(r[0].beam().expected_size(), 2);
  EXPECT_EQ(r[0].beam().expected(0), "R_A = 21/10*P");
}

TEST(BeamVerifier, SymbolicMomentsWhenAsked) {
  const BeamBuilder gerber =
      BeamBuilder("2*L").Fixed("0").Hinge("L").Roller("2*L").Force("-P", "3*L/2");
  const auto with =
      Score(Symbolic(gerber, true),
            {Answer("\\boxed{R_A = P/2, M_A = \\frac{PL}{2}, R_B = 0.5P}"),
             Answer("\\boxed{P/2, PL/2, P/2}"), Answer("\\boxed{R_A = P/2, R_B = P/2}")});
  EXPECT_EQ(with[0].outcome(), v1::CORRECT) << with[0].message();
  EXPECT_EQ(with[1].outcome(), v1::CORRECT) << with[1].message();
  EXPECT_EQ(with[2].outcome(), v1::INCORRECT);
  const auto without = Score(Symbolic(gerber, false), {Answer("\\boxed{R_A = P/2, R_B = P/2}")});
  EXPECT_EQ(without[0].outcome(), v1::CORRECT) << without[0].message();
}

TEST(BeamVerifier, SymbolicNegativeAndMomentReactions) {
  const auto r =
      Score(Symbolic(BeamBuilder("L").Pin("0").Roller("L").Couple("M", "L/2")),
            {Answer("\\boxed{R_A = \\frac{M}{L}} \\boxed{R_B = \xE2\x88\x92\\frac{M}{L}}"),
             Answer("\\boxed{R_A = -M/L} \\boxed{R_B = M/L}"),
             Answer(R"(\boxed{R_A = \frac{M}{L \cdot }})")});
  EXPECT_EQ(r[0].outcome(), v1::CORRECT) << r[0].message();
  EXPECT_EQ(r[1].outcome(), v1::INCORRECT);
  EXPECT_EQ(r[2].outcome(), v1::INCORRECT);
  EXPECT_TRUE(std::isfinite(r[2].score()));
}

TEST(BeamVerifier, MalformedOrRefusedTasksAreInvalidArgument) {
  BeamVerifier verifier;
  const std::vector<v1::Task> bad = {
      GroundTruth("not json"),
      GroundTruth(R"(["abc"])"),
      Symbolic(BeamBuilder("L").Pin("0").Pin("L")),
      Symbolic(BeamBuilder("L").Roller("0").Roller("L")),
      Symbolic(BeamBuilder("L").Pin("0").Roller("L").Force("P**", "L")),
      v1::Task(),
  };
  for (const v1::Task& task : bad) {
    EXPECT_EQ(verifier.Prepare(task).status().code(), absl::StatusCode::kInvalidArgument)
        << task.DebugString();
  }
  EXPECT_NE(verifier.Prepare(Symbolic(BeamBuilder("L").Pin("0").Pin("L")))
                .status()
                .message()
                .find("statically indeterminate (degree 1)"),
            std::string::npos);
}

TEST(BeamVerifier, SharedSymbolicTaskIsSafeAcrossThreads) {
  // GiNaC is not thread-safe; the verifier serialises its GiNaC work (run under TSan/ASan in CI).
  BeamVerifier verifier;
  auto prepared =
      verifier.Prepare(Symbolic(BeamBuilder("2*L").Pin("0").Roller("2*L").Force("-3*P", "0.6*L")));
  ASSERT_TRUE(prepared.ok());
  v1::Sample good, bad;
  good.set_completion(Answer(R"(\boxed{R_A = 2.1P} \boxed{R_B = \frac{9P}{10}})"));
  bad.set_completion(Answer("\\boxed{R_A = 2P} \\boxed{R_B = P}"));
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (verifier.Check(**prepared, i % 2 ? bad : good, {}).outcome() == v1::CORRECT) {
          correct.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(correct.load(), 400);
}

TEST(BeamVerifier, RegistersVerifierAndGenerator) {
  sdk::VerifierRegistry registry;
  ASSERT_TRUE(RegisterBeamVerifier(registry).ok());
  ASSERT_NE(registry.Find("beam"), nullptr);
  EXPECT_EQ(registry.Find("beam")->Info().version(), "2");
  EXPECT_NE(registry.FindGenerator("beam"), nullptr);
  EXPECT_EQ(RegisterBeamVerifier(registry).code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace arbiter::beam
