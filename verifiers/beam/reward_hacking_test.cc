// Reward hacking against the beam verifier (issue 14): each hack a policy could learn, with the
// outcome and reward it gets. The matrix over every verifier: tests/reliability/reward_hacking.md;
// the defences: README.md "Defences against reward hacking". KnownGap_ tests pin hacks that
// BeamPERL's compat reward lets through, with the setting that closes each.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/beam/beam_verifier.h"
#include "verifiers/beam/internal/beam_builder.h"
#include "verifiers/beam/internal/prompt.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::beam {
namespace {

using internal::BeamBuilder;

// Spec §3.5: pin at 0, roller at 2L, -3P at 0.6L: R_A = 2.1P, R_B = 0.9P.
BeamBuilder SpecBeam() { return BeamBuilder("2*L").Pin("0").Roller("2*L").Force("-3*P", "0.6*L"); }

enum class Kind { kCompat, kCompatStrictCount, kSymbolic, kSymbolicStrictCount };

v1::Task MakeTask(Kind kind) {
  v1::Task task;
  task.set_verifier("beam");
  if (kind == Kind::kCompat || kind == Kind::kCompatStrictCount) {
    task.mutable_beam()->add_gold("2.1P");
    task.mutable_beam()->add_gold("0.9P");
  } else {
    *task.mutable_beam()->mutable_beam() = SpecBeam().beam();
  }
  task.mutable_beam()->set_strict_count(kind == Kind::kCompatStrictCount ||
                                        kind == Kind::kSymbolicStrictCount);
  return task;
}

v1::SampleResult ScoreOne(Kind kind, const std::string& completion) {
  BeamVerifier verifier;
  v1::Sample sample;
  sample.set_completion(completion);
  auto results = sdk::ScoreGroup(verifier, MakeTask(kind), {sample});
  EXPECT_TRUE(results.ok()) << results.status();
  return results.ok() ? (*results)[0] : v1::SampleResult();
}

std::string Answer(const std::string& tail) { return "<think>\nwork\n</think>\n" + tail; }

// Every multiple of 0.1P from 0 to 3P, each in its own box.
std::string Candidates() {
  std::string s;
  for (int i = 0; i <= 30; ++i)
    s += "\\boxed{" + std::to_string(i / 10) + "." + std::to_string(i % 10) + "P} ";
  return s;
}

struct Hack {
  const char* name;
  Kind kind;
  std::string completion;
  v1::Outcome want;
  double score;
};

// score = 0.333 * format + 0.667 * accuracy.
// clang-format off
const Hack kHacks[] = {
    {"honest answer (baseline)", Kind::kSymbolic, Answer("R_A = \\boxed{2.1P}, R_B = \\boxed{0.9P}"), v1::CORRECT, 1},
    // Several candidate answers: with strict_count they fail; symbolic slots take the first.
    {"every candidate boxed, compat strict_count", Kind::kCompatStrictCount, Answer(Candidates()), v1::INCORRECT, 0.333},
    {"every candidate boxed, symbolic", Kind::kSymbolic, Answer(Candidates()), v1::INCORRECT, 0.333},
    {"every candidate boxed, symbolic strict_count", Kind::kSymbolicStrictCount, Answer(Candidates()), v1::INCORRECT, 0.333},
    {"wrong pair then right pair, symbolic", Kind::kSymbolic, Answer(R"(\boxed{0.9P} \boxed{2.1P} \boxed{2.1P} \boxed{0.9P})"), v1::INCORRECT, 0.333},
    {"candidates in one box, symbolic", Kind::kSymbolic, Answer("\\boxed{R_A = 0.9P \\text{ or } 2.1P, R_B = 0.9P}"), v1::INCORRECT, 0.333},
    {"one label answered twice, symbolic", Kind::kSymbolic, Answer("\\boxed{R_A = 0.9P, R_A = 2.1P, R_B = 0.9P}"), v1::INCORRECT, 0.333},
    // Empty and blank boxes: no format point, no accuracy.
    {"empty box, compat", Kind::kCompat, Answer("\\boxed{}"), v1::INCORRECT, 0},
    {"empty box, symbolic", Kind::kSymbolic, Answer("\\boxed{}"), v1::INCORRECT, 0},
    {"blank box, symbolic", Kind::kSymbolic, Answer("\\boxed{  }"), v1::INCORRECT, 0},
    // BeamPERL's format check wants a box that is not whitespace: a thin space earns the format
    // point, never accuracy.
    {"box of a thin space, symbolic", Kind::kSymbolic, Answer("\\boxed{\\,}"), v1::INCORRECT, 0.333},
    {"no box", Kind::kSymbolic, Answer("R_A = 2.1P, R_B = 0.9P"), v1::NO_ANSWER, 0},
    // The prompt echoed: its example (0.5P, 0.5P) is scored like any answer.
    {"prompt echoed", Kind::kSymbolic, internal::PromptFor(SpecBeam().beam()), v1::INCORRECT, 0.333},
    // Unicode digits are not digits; in symbolic mode U+2212 is a minus sign.
    {"fullwidth digits, compat", Kind::kCompat, Answer("\\boxed{\xEF\xBC\x92.1P} \\boxed{\xEF\xBC\x90.9P}"), v1::INCORRECT, 0.333},
    {"fullwidth digits, symbolic", Kind::kSymbolic, Answer("\\boxed{\xEF\xBC\x92.1P} \\boxed{\xEF\xBC\x90.9P}"), v1::INCORRECT, 0.333},
    {"arabic-indic digits, symbolic", Kind::kSymbolic, Answer("\\boxed{\xD9\xA2.\xD9\xA1P} \\boxed{\xD9\xA0.\xD9\xA9P}"), v1::INCORRECT, 0.333},
    {"U+2212 minus (wrong sign), symbolic", Kind::kSymbolic, Answer("\\boxed{\xE2\x88\x92" "2.1P} \\boxed{\xE2\x88\x92" "0.9P}"), v1::INCORRECT, 0.333},
    {"cyrillic Р for P, symbolic", Kind::kSymbolic, Answer("\\boxed{2.1\xD0\xA0} \\boxed{0.9\xD0\xA0}"), v1::INCORRECT, 0.333},
    // A giant box is bounded (2000 characters per answer).
    {"giant answer, symbolic", Kind::kSymbolic, Answer("\\boxed{" + std::string(100000, '1') + "P} \\boxed{0.9P}"), v1::INCORRECT, 0.333},
};
// clang-format on

TEST(BeamRewardHacking, EachHackGetsItsDocumentedOutcomeAndReward) {
  for (const Hack& hack : kHacks) {
    const v1::SampleResult r = ScoreOne(hack.kind, hack.completion);
    EXPECT_EQ(v1::Outcome_Name(r.outcome()), v1::Outcome_Name(hack.want))
        << hack.name << ": " << r.message();
    EXPECT_NEAR(r.score(), hack.score, 1e-9) << hack.name;
  }
}

// BeamPERL's reward (compat, the default for gold lists) lets extra predictions pass: boxing
// every candidate earns full reward. Kept for parity with BeamPERL; `strict_count` or symbolic
// mode closes it (rows above).
TEST(BeamRewardHacking, KnownGap_CompatRewardsEveryCandidateBoxedUnlessStrictCount) {
  const v1::SampleResult r = ScoreOne(Kind::kCompat, Answer(Candidates()));
  EXPECT_EQ(r.outcome(), v1::CORRECT) << r.message();
  EXPECT_DOUBLE_EQ(r.score(), 1.0);
}

// BeamPERL's compat extraction does not read U+2212 as a sign, so "−2.1P" is scored as 2.1P.
// Kept for parity; symbolic mode reads it as a minus (row above).
TEST(BeamRewardHacking, KnownGap_CompatReadsUnicodeMinusAsNoSign) {
  const v1::SampleResult r = ScoreOne(Kind::kCompat, Answer("\\boxed{\xE2\x88\x92"
                                                            "2.1P} \\boxed{\xE2\x88\x92"
                                                            "0.9P}"));
  EXPECT_EQ(r.outcome(), v1::CORRECT) << r.message();
}

}  // namespace
}  // namespace arbiter::beam
