// Spec §3.6 vectors (confirmed against BeamPERL's own functions) and the extractor's quirks.
#include "verifiers/beam/compat.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace arbiter::beam {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;

struct Vector {
  const char* name;
  std::string completion;
  std::vector<std::string> gold;
  bool format_ok;
  bool accuracy_ok;
  double score;
};

const std::vector<std::string> kGold = {"0.25P", "0.75P"};
const std::string kThink = "<think>\nreasoning";

std::vector<Vector> SpecVectors() {
  return {
      {"labelled_boxes", kThink + "\n</think>\nR_A = \\boxed{0.25P}, R_B = \\boxed{0.75P}", kGold,
       true, true, 1.0},
      {"swapped_one_box", kThink + "\n</think>\n\\boxed{0.75P, 0.25P}", kGold, true, true, 1.0},
      {"fractions", kThink + "\n</think>\n\\boxed{\\frac{3}{4}P}, \\boxed{\\frac{P}{4}}", kGold,
       true, true, 1.0},
      {"extra_value", kThink + "\n</think>\n\\boxed{0.25P, 0.75P, 5P}", kGold, true, true, 1.0},
      {"error_2e-4", kThink + "\n</think>\n\\boxed{0.25P} \\boxed{0.7502P}", kGold, true, false,
       0.333},
      {"no_box", kThink + "\n</think>\nR_A=0.25P, R_B=0.75P", kGold, false, false, 0.0},
      {"no_think_tag", "no think tag \\boxed{0.25P} \\boxed{0.75P}", kGold, false, false, 0.0},
      {"tag_without_newlines",
       kThink + "</think>\\boxed{P} and \\boxed{0}",
       {"1.0P", "0"},
       false,
       true,
       0.667},
      {"2P/3_is_2", kThink + "\n</think>\n\\boxed{2P/3}", {"0.666667P"}, true, false, 0.333},
      {"signed",
       kThink + "\n</think>\n\\boxed{-0.222222P} \\boxed{0.222222P}",
       {"0.222222P", "-0.222222P"},
       true,
       true,
       1.0},
      {"label_inside_box",
       kThink + "\n</think>\n\\boxed{R_A = 0.95P}",
       {"0.95P", "0.05P"},
       true,
       false,
       0.333},
  };
}

TEST(Compat, EverySpecVectorHolds) {
  for (const Vector& v : SpecVectors()) {
    SCOPED_TRACE(v.name);
    auto gold = ParseGold(v.gold);
    ASSERT_TRUE(gold.ok()) << gold.status();
    const CompatResult r = ScoreCompat(v.completion, *gold, CompatOptions());
    EXPECT_EQ(r.format_ok, v.format_ok);
    EXPECT_EQ(r.accuracy_ok, v.accuracy_ok);
    EXPECT_NEAR(r.score, v.score, 1e-12);
  }
}

std::vector<double> Extract(const std::string& text, bool gold = false) {
  std::vector<double> out;
  ExtractCoefficients(text, gold, &out);
  return out;
}

TEST(Compat, ZeroTimesPYieldsTwoZeros) {
  EXPECT_THAT(Extract("\\boxed{0P}"), ElementsAre(0.0, 0.0));
}

TEST(Compat, POverThreeYieldsOne) { EXPECT_THAT(Extract("\\boxed{P/3}"), ElementsAre(1.0)); }

TEST(Compat, UnicodeMinusIsNotASign) {
  EXPECT_THAT(Extract("\\boxed{\xE2\x88\x92"
                      "0.5P}"),
              ElementsAre(0.5));
}

TEST(Compat, FractionRulesInOrder) {
  EXPECT_THAT(
      Extract("\\boxed{\\dfrac{3P}{4}; \\tfrac{P}{8}; \\frac{2}{9}P; \\frac{1}{2} \\cdot P}"),
      ElementsAre(0.75, 0.125, DoubleNear(2.0 / 9, 1e-15), 0.5));
  EXPECT_THAT(Extract("\\boxed{\\frac{3 \\cdot P}{2}}"), ElementsAre(1.5));
}

TEST(Compat, ProductsSignsAndBareP) {
  EXPECT_THAT(Extract("\\boxed{3*P, -2 \\cdot P, +1/4P, P, 0.0}"),
              ElementsAre(3.0, -2.0, 0.25, 1.0, 0.0));
}

TEST(Compat, WordBoundariesBlockProducts) {
  // "3PL" is not c·P (P is followed by a word character); "RP" is not a bare P.
  EXPECT_TRUE(Extract("\\boxed{3PL + RP}").empty());
}

TEST(Compat, NestedAndUnbalancedBoxes) {
  EXPECT_THAT(Extract("\\boxed{\\boxed{2P}}"), ElementsAre(2.0, 2.0));
  EXPECT_TRUE(Extract("\\boxed{2P").empty());
  EXPECT_THAT(Extract("\\boxed{2P \\boxed{3P}"), ElementsAre(3.0));
}

TEST(Compat, ZeroDivisionSkipsTheItem) {
  // Rule 4 then sees "3P" and rule 5 the standalone denominator 0.
  EXPECT_THAT(Extract("\\boxed{\\frac{3P}{0}}"), ElementsAre(3.0, 0.0));
}

TEST(Compat, GoldFallsBackToRawTextPredictionsDoNot) {
  EXPECT_THAT(Extract("0.25P ; 0.75P", /*gold=*/true), ElementsAre(0.25, 0.75));
  EXPECT_TRUE(Extract("0.25P ; 0.75P", /*gold=*/false).empty());
}

TEST(Compat, AfterThinkIsCaseInsensitiveWithInnerSpaces) {
  EXPECT_EQ(TextAfterThink("a</think>b</ THINK >c"), "c");
  EXPECT_EQ(TextAfterThink("a</thin\xE2\x84\xAA>c"), "c");  // Kelvin sign, as Python's re.I
  EXPECT_EQ(TextAfterThink("no tag"), "");
}

TEST(Compat, FormatNeedsExactlyOneTagAndNonBlankBox) {
  EXPECT_TRUE(FormatOk("x\n</think>\n\\boxed{1}"));
  EXPECT_FALSE(FormatOk("x\n</think>\n\\boxed{ }"));
  EXPECT_FALSE(FormatOk("x\n</think>\n\\boxed{1}\n</think>\n\\boxed{1}"));
  EXPECT_TRUE(FormatOk("x\n</think>\n\\boxed{ } \\boxed {a}"));
  // Overlapping tags count once; the box must follow the last one.
  EXPECT_TRUE(FormatOk("x\n</think>\n</think>\n\\boxed{1}"));
}

TEST(Compat, StrictCountRejectsExtraPredictions) {
  const std::vector<double> gold = {0.25, 0.75};
  EXPECT_TRUE(MatchCoefficients(gold, {0.25, 0.75, 5.0}, 1e-4, false));
  EXPECT_FALSE(MatchCoefficients(gold, {0.25, 0.75, 5.0}, 1e-4, true));
  EXPECT_TRUE(MatchCoefficients(gold, {0.75, 0.25}, 1e-4, true));
}

TEST(Compat, DuplicateGoldNeedsDuplicatePredictions) {
  EXPECT_FALSE(MatchCoefficients({0.5, 0.5}, {0.5}, 1e-4, false));
  EXPECT_TRUE(MatchCoefficients({0.5, 0.5}, {0.50005, 0.5}, 1e-4, false));
}

TEST(Compat, CustomWeights) {
  CompatOptions options;
  options.format_weight = 1.0;
  options.accuracy_weight = 2.0;
  const CompatResult r = ScoreCompat("t\n</think>\n\\boxed{0.25P, 0.75P}", {0.25, 0.75}, options);
  EXPECT_DOUBLE_EQ(r.score, 3.0);
}

TEST(Compat, GoldJsonAcceptsListsAndRejectsGarbage) {
  auto gold = ParseGoldJson(R"(["2.1P", "0.9P"])");
  ASSERT_TRUE(gold.ok());
  EXPECT_THAT(*gold, ElementsAre("2.1P", "0.9P"));
  EXPECT_FALSE(ParseGoldJson("[2.1P").ok());
  EXPECT_FALSE(ParseGoldJson("[]").ok());
  EXPECT_FALSE(ParseGoldJson(R"([{"a":1}])").ok());
  EXPECT_FALSE(ParseGold({"no coefficient here"}).ok());
}

TEST(Compat, LongDigitRunsStayLinear) {
  // A megabyte of digits must not make the product scan quadratic (this returns in ms).
  const std::string text = "\\boxed{" + std::string(1 << 20, '7') + "}";
  EXPECT_TRUE(Extract(text).empty());
}

TEST(Compat, NestedBoxesAreScannedWithinTwiceTheText) {
  // A model stuck repeating "\\boxed{": every level's content holds all the deeper ones, so
  // scanning them all is quadratic (20k levels took 10 s). Kept contents add up to <= 2·|text|.
  constexpr int kLevels = 50000;
  std::string text;
  for (int i = 0; i < kLevels; ++i) text += "\\boxed{";
  text += "2P";
  text += std::string(kLevels, '}');
  size_t total = 0;
  const std::vector<std::string_view> boxes = BoxedContents(text);
  for (std::string_view box : boxes) total += box.size();
  EXPECT_LE(total, 2 * text.size());
  EXPECT_FALSE(boxes.empty());
  const CompatResult r = ScoreCompat("x\n</think>\n" + text, {2.0}, CompatOptions{});
  EXPECT_TRUE(r.has_box);
  EXPECT_LE(r.predicted.size(), 8u);  // a few kept levels, each yielding the one 2
}

TEST(Compat, DisjointBoxesAreAllKept) {
  EXPECT_EQ(BoxedContents("\\boxed{1P} \\boxed{2P} \\boxed{\\boxed{3P}}").size(), 4u);
}

TEST(Compat, GoldListsAreBounded) {
  std::vector<std::string> gold(kMaxGoldValues + 1, "1P");
  EXPECT_EQ(ParseGold(gold).status().code(), absl::StatusCode::kInvalidArgument);
  gold.resize(kMaxGoldValues);
  EXPECT_TRUE(ParseGold(gold).ok());
}

}  // namespace
}  // namespace arbiter::beam
