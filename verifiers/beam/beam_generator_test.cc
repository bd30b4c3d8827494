// The generator: every family, determinism in the seed, gold answers that the verifier accepts
// (compat and symbolic), and parameter validation.
#include "verifiers/beam/beam_generator.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "verifiers/beam/beam_verifier.h"
#include "verifiers/beam/compat.h"

namespace arbiter::beam {
namespace {

v1::GenerateRequest Request(v1::BeamGenerateParams::Family family, int count, uint64_t seed) {
  v1::GenerateRequest request;
  request.set_kind("beam");
  request.mutable_beam()->set_family(family);
  request.mutable_beam()->set_count(count);
  request.mutable_beam()->set_seed(seed);
  return request;
}

// A completion that boxes the given answers after a proper think block.
std::string Completion(const google::protobuf::RepeatedPtrField<std::string>& answers) {
  std::string text = "<think>\nsolve\n</think>\n";
  char label = 'A';
  for (const std::string& a : answers) {
    text += std::string("R_") + label++ + " = \\boxed{" + a + "} ";
  }
  return text;
}

TEST(BeamGenerator, EveryFamilyYieldsTasksItsGoldAnswersPass) {
  BeamGenerator generator;
  BeamVerifier verifier;
  for (int f = v1::BeamGenerateParams::FAMILY_TRAIN; f <= v1::BeamGenerateParams::FAMILY_MOMENT;
       ++f) {
    const auto family = static_cast<v1::BeamGenerateParams::Family>(f);
    SCOPED_TRACE(v1::BeamGenerateParams::Family_Name(family));
    auto response = generator.Generate(Request(family, 25, 7));
    ASSERT_TRUE(response.ok()) << response.status();
    ASSERT_EQ(response->tasks_size(), 25);
    for (const v1::GeneratedTask& t : response->tasks()) {
      EXPECT_EQ(t.task().verifier(), "beam");
      EXPECT_NE(t.prompt().find("<think>"), std::string::npos);
      EXPECT_NE(t.prompt().find("\\boxed{"), std::string::npos);
      ASSERT_EQ(t.beam().gold_size(), 2);
      ASSERT_EQ(t.beam().gold_symbolic_size(), 2);
      // Compat: the gold strings, boxed, score 1.
      auto compat = verifier.Prepare(t.task());
      ASSERT_TRUE(compat.ok()) << compat.status();
      v1::Sample sample;
      sample.set_completion(Completion(t.beam().gold()));
      EXPECT_EQ(verifier.Check(**compat, sample, {}).outcome(), v1::CORRECT) << t.DebugString();
      // Symbolic: the exact forms score 1 too.
      v1::Task symbolic = t.task();
      symbolic.mutable_beam()->set_mode(v1::BeamTask::MODE_SYMBOLIC);
      auto prepared = verifier.Prepare(symbolic);
      ASSERT_TRUE(prepared.ok()) << prepared.status();
      sample.set_completion(Completion(t.beam().gold_symbolic()));
      EXPECT_EQ(verifier.Check(**prepared, sample, {}).outcome(), v1::CORRECT)
          << sample.completion();
    }
  }
}

TEST(BeamGenerator, AnAnswerShapedLikeThePromptsExampleScoresAsThePaperScoresIt) {
  // The prompt ends inside the thought (BeamPERL's user message ends with "<think>") and shows
  // the shape of the answer; a completion that follows it literally must pass the format check.
  BeamGenerator generator;
  BeamVerifier verifier;
  auto response = generator.Generate(Request(v1::BeamGenerateParams::FAMILY_TRAIN, 5, 3));
  ASSERT_TRUE(response.ok()) << response.status();
  for (const v1::GeneratedTask& t : response->tasks()) {
    const std::string& prompt = t.prompt();
    ASSERT_GE(prompt.size(), 8u);
    EXPECT_EQ(prompt.substr(prompt.size() - 8), "<think>\n");
    const std::string completion =
        absl::StrCat("The supports share the load by the lever rule.\n</think>\nR_A = \\boxed{",
                     t.beam().gold(0), "}, R_B = \\boxed{", t.beam().gold(1), "}");
    auto prepared = verifier.Prepare(t.task());
    ASSERT_TRUE(prepared.ok());
    v1::Sample sample;
    sample.set_completion(completion);
    const v1::SampleResult r = verifier.Check(**prepared, sample, {});
    EXPECT_EQ(r.outcome(), v1::CORRECT) << prompt << "\n---\n" << completion;
    EXPECT_NEAR(r.score(), 1.0, 1e-9);
    EXPECT_TRUE(r.beam().format_ok());
  }
}

TEST(BeamGenerator, SameSeedSameTasksOtherSeedOtherTasks) {
  BeamGenerator generator;
  auto a = generator.Generate(Request(v1::BeamGenerateParams::FAMILY_TRAIN, 20, 42));
  auto b = generator.Generate(Request(v1::BeamGenerateParams::FAMILY_TRAIN, 20, 42));
  auto c = generator.Generate(Request(v1::BeamGenerateParams::FAMILY_TRAIN, 20, 43));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
  EXPECT_NE(a->SerializeAsString(), c->SerializeAsString());
}

TEST(BeamGenerator, TrainFamilyStaysInBeamPerlsGrid) {
  BeamGenerator generator;
  auto r = generator.Generate(Request(v1::BeamGenerateParams::FAMILY_TRAIN, 200, 1));
  ASSERT_TRUE(r.ok());
  for (const v1::GeneratedTask& t : r->tasks()) {
    const v1::Beam& beam = t.beam().beam();
    EXPECT_TRUE(beam.length() == "L" || beam.length() == "2*L" || beam.length() == "3*L");
    ASSERT_EQ(beam.supports_size(), 2);
    EXPECT_EQ(beam.supports(0).type(), v1::BeamSupport::PIN);
    EXPECT_EQ(beam.supports(0).position(), "0");
    EXPECT_EQ(beam.supports(1).position(), beam.length());
    ASSERT_EQ(beam.loads_size(), 1);
    const std::string& m = beam.loads(0).magnitude();
    EXPECT_TRUE(m == "-1*P" || m == "-2*P" || m == "-3*P") << m;
    // Reactions sum to the load: the gold coefficients add up to the magnitude.
    auto gold = ParseGold(std::vector<std::string>(t.beam().gold().begin(), t.beam().gold().end()));
    ASSERT_TRUE(gold.ok());
    EXPECT_NEAR((*gold)[0] + (*gold)[1], m[1] - '0', 2e-6);
  }
}

TEST(BeamGenerator, RejectsBadCount) {
  BeamGenerator generator;
  EXPECT_EQ(generator.Generate(Request(v1::BeamGenerateParams::FAMILY_TRAIN, 0, 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      generator.Generate(Request(v1::BeamGenerateParams::FAMILY_TRAIN, 100000, 1)).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(BeamGenerator, SpecWorkedExamplePrompt) {
  // Prompt wording for a BeamPERL-like beam, e.g. the §3.5 example.
  BeamGenerator generator;
  auto r = generator.Generate(Request(v1::BeamGenerateParams::FAMILY_MOMENT, 1, 3));
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->tasks(0).prompt().find("counter-clockwise applied moment"), std::string::npos)
      << r->tasks(0).prompt();
}

}  // namespace
}  // namespace arbiter::beam
