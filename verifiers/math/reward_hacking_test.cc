// Reward hacking against the math verifier (issue 14): each hack a policy could learn, with the
// outcome and reward it gets. The matrix over every verifier: tests/reliability/reward_hacking.md;
// the defences: README.md "Defences against reward hacking".
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "verifiers/math/math_test_util.h"
#include "verifiers/math/math_verifier.h"

namespace arbiter::math {
namespace {

using arbiter::v1::CORRECT;
using arbiter::v1::INCORRECT;
using arbiter::v1::NO_ANSWER;
using arbiter::v1::Outcome;

arbiter::v1::SampleResult Score(const std::string& gold, const std::string& completion,
                                const std::string& mode = "") {
  return testing::ScoreOne(gold, completion, mode);
}

struct Hack {
  const char* name;
  const char* mode;
  const char* gold;
  std::string completion;
  Outcome want;
  double score;
};

// clang-format off
const Hack kHacks[] = {
    // Several boxes: the last one counts (Math-Verify's rightmost match), so hedging with the
    // right answer first earns nothing.
    {"many boxes, right one first", "", "7", R"($\boxed{7}$? No: $\boxed{5}$, or $\boxed{6}$.)", INCORRECT, 0},
    {"many boxes, right one last", "", "7", R"($\boxed{5}$? No: $\boxed{6}$, finally $\boxed{7}$.)", CORRECT, 1},
    {"right box then an empty box", "", "7", R"($\boxed{7}$ and $\boxed{}$)", CORRECT, 1},
    // An empty box is skipped when an earlier one parses (rightmost that parses); alone it is
    // an unparsable answer.
    {"empty box", "", "7", R"(The answer is $\boxed{}$.)", INCORRECT, 0},
    {"box of spaces", "", "7", R"(The answer is $\boxed{ \ }$.)", INCORRECT, 0},
    // The verifier never sees the prompt; a completion that echoes it gets what its own last
    // answer says.
    {"prompt echoed (its numbers)", "", "7", "Compute $3+4$. Then compute $4$.", INCORRECT, 0},
    {"prompt echoed (template box)", "", "7", R"(Put your final answer in \boxed{}.)", INCORRECT, 0},
    {"prompt echoed (example answer)", "", "7", R"(Example: the answer is $\boxed{42}$.)", INCORRECT, 0},
    // Candidates listed in one box are a tuple/set, never equal to a single-value label.
    {"many candidates in one box", "", "7", R"($\boxed{1,2,3,4,5,6,7,8,9}$)", INCORRECT, 0},
    {"two candidates in one box", "", "7", R"($\boxed{7, 8}$)", INCORRECT, 0},
    {"candidates joined by or", "", "7", R"($\boxed{7 \text{ or } 8}$)", INCORRECT, 0},
    {"plus-minus for a single label", "", "7", R"($\boxed{\pm 7}$)", INCORRECT, 0},
    {"set of candidates", "", "7", R"($\boxed{\{6, 7, 8\}}$)", INCORRECT, 0},
    // Unicode digits and look-alikes never equal a different value.
    {"fullwidth digits", "", "12", "$\\boxed{\xEF\xBC\x91\xEF\xBC\x92}$", INCORRECT, 0},
    {"arabic-indic digits", "", "12", "$\\boxed{\xD9\xA1\xD9\xA2}$", INCORRECT, 0},
    {"fullwidth zero", "", "0", "$\\boxed{\xEF\xBC\x90}$", INCORRECT, 0},
    {"U+2212 minus, right value", "", "-4", "$\\boxed{\xE2\x88\x92" "4}$", CORRECT, 1},
    {"U+2212 minus, wrong sign", "", "4", "$\\boxed{\xE2\x88\x92" "4}$", INCORRECT, 0},
    {"cyrillic a for latin a", "", "a+1", "$\\boxed{\xD0\xB0+1}$", INCORRECT, 0},
    {"zero-width space inside", "", "12", "$\\boxed{1\xE2\x80\x8B" "2}$", INCORRECT, 0},
    // Giant answers hit a cap: INCORRECT, fast.
    {"giant number", "", "7", "$\\boxed{" + std::string(100000, '7') + "}$", INCORRECT, 0},
    {"giant sum", "", "7", "$\\boxed{" + [] { std::string s = "7"; for (int i = 0; i < 5000; ++i) s += "+0"; return s; }() + "}$", INCORRECT, 0},
    // dapo: the last "Answer:" line counts; +1/-1.
    {"dapo: several Answer lines, right first", "dapo", "96", "Answer: 96\nAnswer: 95", INCORRECT, -1},
    {"dapo: empty Answer", "dapo", "96", "Answer: ", INCORRECT, -1},
    // gsm8k: the last "#### N".
    {"gsm8k: several #### lines, right first", "gsm8k", "96", "#### 96\n#### 95", INCORRECT, 0},
    // multiple_choice: one letter, not all of them.
    {"multiple choice: every letter boxed", "multiple_choice", "B", R"($\boxed{ABCD}$)", NO_ANSWER, 0},
    {"multiple choice: every letter listed", "multiple_choice", "B", "The answer is A, B, C or D.", INCORRECT, 0},
    {"multiple choice: boxes for each letter, right last", "multiple_choice", "B", R"($\boxed{A}$ $\boxed{C}$ $\boxed{B}$)", CORRECT, 1},
};
// clang-format on

TEST(MathRewardHacking, EachHackGetsItsDocumentedOutcomeAndReward) {
  for (const Hack& hack : kHacks) {
    const absl::Time start = absl::Now();
    const arbiter::v1::SampleResult r = Score(hack.gold, hack.completion, hack.mode);
    EXPECT_EQ(arbiter::v1::Outcome_Name(r.outcome()), arbiter::v1::Outcome_Name(hack.want))
        << hack.name << ": " << r.message();
    EXPECT_DOUBLE_EQ(r.score(), hack.score) << hack.name;
    EXPECT_LT(absl::Now() - start, absl::Seconds(2)) << hack.name;
  }
}

}  // namespace
}  // namespace arbiter::math
