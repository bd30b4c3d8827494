// The answer grammar: LaTeX-ish forms models write, splitting and labels, and malformed input.
#include "verifiers/beam/answer_parser.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/beam/expr.h"
#include "verifiers/beam/internal/ginac_lock.h"

namespace arbiter::beam {
namespace {

bool Same(const std::string& answer, const std::string& expected) {
  absl::MutexLock lock(&internal::GinacMutex());
  absl::StatusOr<GiNaC::ex> a = ParseAnswerExpr(answer);
  absl::StatusOr<GiNaC::ex> b = ParseDescriptionExpr(expected, "expected");
  EXPECT_TRUE(a.ok()) << answer << ": " << a.status();
  EXPECT_TRUE(b.ok()) << expected;
  return a.ok() && b.ok() && (*a - *b).expand().normal().is_zero();
}

TEST(AnswerParser, ReadsLatexForms) {
  EXPECT_TRUE(Same("0.25P", "P/4"));
  EXPECT_TRUE(Same("\\frac{3}{4}P", "3*P/4"));
  EXPECT_TRUE(Same("\\dfrac{3P}{4}", "3*P/4"));
  EXPECT_TRUE(Same("\\tfrac{P}{4}", "P/4"));
  EXPECT_TRUE(Same("\\frac34 P", "3*P/4"));
  EXPECT_TRUE(Same("3PL/4", "3*P*L/4"));
  EXPECT_TRUE(Same("P/3", "P/3"));
  EXPECT_TRUE(Same("2P/3", "2*P/3"));
  EXPECT_TRUE(
      Same("\xE2\x88\x92"
           "0.5P",
           "-P/2"));  // U+2212
  EXPECT_TRUE(Same("-\\frac{M}{L}", "-M/L"));
  EXPECT_TRUE(Same("0.5 \\cdot P", "P/2"));
  EXPECT_TRUE(Same("0.5 \\times P", "P/2"));
  EXPECT_TRUE(Same("\\frac{q L^2}{2}", "q*L^2/2"));
  EXPECT_TRUE(Same("\\frac{qL^{2}}{2}", "q*L^2/2"));
  EXPECT_TRUE(Same("2(P+q L)", "2*P + 2*q*L"));
  EXPECT_TRUE(Same("\\left( \\frac{1}{2} \\right) P", "P/2"));
  EXPECT_TRUE(Same("0.75\\,P", "3*P/4"));
  EXPECT_TRUE(Same("0.75P \\text{ (upward)}", "3*P/4"));
  EXPECT_TRUE(Same("0.75\\mathrm{P}", "3*P/4"));
  EXPECT_TRUE(Same("0.75P.", "3*P/4"));
  EXPECT_TRUE(Same("$0.75P$", "3*P/4"));
  EXPECT_TRUE(Same("0", "0"));
  EXPECT_TRUE(Same(".5P", "P/2"));
}

TEST(AnswerParser, RejectsMalformedInputWithoutCrashing) {
  absl::MutexLock lock(&internal::GinacMutex());
  const std::vector<std::string> inputs = {"",
                                           "\\frac{1}{",
                                           "((((",
                                           "P/0",
                                           "\\frac{P}{0}",
                                           "0^-1",
                                           "1/(P-P)",
                                           "xyz",
                                           "3 kN",
                                           "P^P",
                                           "P^{100}",
                                           "10^9^9^9",
                                           "\\frac",
                                           "}{",
                                           "\\text{",
                                           "1..2",
                                           "\\sqrt{2}P",
                                           std::string(3000, '('),
                                           std::string(100, '-') + "P",
                                           std::string(30, '-') + "P"};
  for (const std::string& bad : inputs) {
    absl::StatusOr<GiNaC::ex> e = ParseAnswerExpr(bad);
    if (bad == std::string(30, '-') + "P") {
      EXPECT_TRUE(e.ok()) << e.status();  // 30 unary minuses: +P; 100 exceed the depth bound
      continue;
    }
    EXPECT_FALSE(e.ok()) << "accepted: " << bad;
  }
}

TEST(AnswerParser, SplitsItemsAndKeepsLabels) {
  const std::vector<AnswerItem> items =
      SplitAnswers(R"(R_A = 0.25P, R_{B} = \frac{3}{4}P; M_{\text{A}}=PL \quad 5P and A_y = 1)");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].label, "RA");
  EXPECT_EQ(items[0].expr, "0.25P");
  EXPECT_EQ(items[1].label, "RB");
  EXPECT_EQ(items[1].expr, "\\frac{3}{4}P");
  EXPECT_EQ(items[2].label, "MA");
  EXPECT_EQ(items[3].label, "");
  EXPECT_EQ(items[3].expr, "5P");
  EXPECT_EQ(items[4].label, "Ay");
}

TEST(AnswerParser, DoesNotSplitInsideGroupsOrThinSpaces) {
  const std::vector<AnswerItem> items = SplitAnswers("\\frac{1,5}{2}P, 0.75\\,P");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].expr, "0.75\\,P");
}

}  // namespace
}  // namespace arbiter::beam
