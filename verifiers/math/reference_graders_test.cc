#include "verifiers/math/reference_graders.h"

#include "gtest/gtest.h"
#include "verifiers/math/minerva_normalize.h"

namespace arbiter::math {
namespace {

TEST(MinervaNormalize, MatchesTheReferenceOnItsOwnExamples) {
  EXPECT_EQ(MinervaNormalize(R"($\frac34$)"), R"(\frac{3}{4})");
  EXPECT_EQ(MinervaNormalize(R"(x = 5\text{ cm})"), "5");
  EXPECT_EQ(MinervaNormalize("1,000"), "1000");
  EXPECT_EQ(MinervaNormalize(R"(\sqrt2)"), R"(\sqrt{2})");
  EXPECT_EQ(MinervaNormalize(R"(\boxed{10})"), "10");
  EXPECT_EQ(MinervaNormalize("34."), "34.");
}

TEST(LmEvalNormalize, FollowsLmEval0413Revision) {
  EXPECT_EQ(LmEvalNormalize(R"(\left(1,2\right))"), R"(\left(1,2\right))");  // "ft" kept
  EXPECT_EQ(LmEvalNormalize("0,1"), "0,1");                                  // not 01
  EXPECT_EQ(LmEvalNormalize("1,000"), "1000");
  EXPECT_EQ(LmEvalNormalize(R"(\sqrt[3]8)"), R"(\sqrt[3]{8})");
  EXPECT_EQ(LmEvalNormalize("5 feet"), "5");
}

TEST(Dapo, AnswerWithTrailingDotScoresWrongAsInVerl) {
  EXPECT_FALSE(GradeDapo("Answer: 34.", "34", false).correct);
  EXPECT_TRUE(GradeDapo("Answer: 34", "34", false).correct);
  EXPECT_FALSE(GradeDapo("**Answer:** 34", "34", false).correct);
}

TEST(Dapo, OnlyTheLast300CharactersAreRead) {
  const std::string text = "Answer: 34\n" + std::string(400, 'x');
  EXPECT_FALSE(GradeDapo(text, "34", false).extracted.has_value());
}

TEST(Dapo, StrictBoxComparesVerbatim) {
  EXPECT_TRUE(GradeDapo(R"(so \boxed{34})", "34", true).correct);
  EXPECT_FALSE(GradeDapo(R"(so \boxed{34.0})", "34", true).correct);
}

TEST(Gsm8k, DeviationsHaveASwitchBackToParity) {
  EXPECT_TRUE(GradeGsm8k("#### 42.", "42", false, false).correct);
  EXPECT_FALSE(GradeGsm8k("#### 42.", "42", false, true).correct);
  const std::string early = "#### 42\n" + std::string(400, 'x');
  EXPECT_TRUE(GradeGsm8k(early, "42", false, false).correct);
  EXPECT_FALSE(GradeGsm8k(early, "42", false, true).extracted.has_value());
  EXPECT_FALSE(GradeGsm8k("####18", "18", false, false).extracted.has_value());
}

TEST(Gsm8k, FlexibleTakesTheLastNumber) {
  EXPECT_TRUE(GradeGsm8k("so 3 + 4 = 7", "7", true, true).correct);
}

TEST(Minerva, ExtractsTheFinalAnswerLine) {
  EXPECT_EQ(*MinervaExtract("Final Answer: The final answer is 5. I hope it is correct."), "5");
  // lm-eval appends "I hope it is correct." with no space: a line without it never matches.
  EXPECT_FALSE(MinervaExtract("Final Answer: The final answer is $x$").has_value());
  EXPECT_EQ(*MinervaExtract("Final Answer: The final answer is $x$. "), "$x$");
  EXPECT_FALSE(MinervaExtract("The answer is 5").has_value());
}

TEST(MultipleChoice, BoxedLetterFirstThenPatterns) {
  EXPECT_TRUE(GradeMultipleChoice(R"(\boxed{(C)} though the answer is B)", "C", "ABCD").correct);
  EXPECT_TRUE(GradeMultipleChoice("so the answer is (B).", "B", "ABCD").correct);
  EXPECT_FALSE(GradeMultipleChoice("so the answer is E.", "E", "ABCD").extracted.has_value());
}

}  // namespace
}  // namespace arbiter::math
