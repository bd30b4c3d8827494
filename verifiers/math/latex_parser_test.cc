#include "verifiers/math/latex_parser.h"

#include <string>

#include "gtest/gtest.h"

namespace arbiter::math {
namespace {

std::string Parsed(const char* latex) {
  absl::StatusOr<Expr> e = ParseAnswer(latex);
  return e.ok() ? ToString(*e) : std::string(e.status().message());
}

TEST(LatexParser, NormalisesFractionSpellings) {
  EXPECT_EQ(Parsed(R"(\dfrac{3}{4})"), Parsed(R"(\frac{3}{4})"));
  EXPECT_EQ(Parsed(R"(\tfrac34)"), Parsed(R"(\frac{3}{4})"));
  EXPECT_EQ(Parsed(R"(\frac13)"), Parsed(R"(\frac{1}{3})"));
}

TEST(LatexParser, DropsSizingAndUnits) {
  EXPECT_EQ(Parsed(R"(\left( 1, 2 \right))"), "(1, 2)");
  EXPECT_EQ(Parsed(R"(\displaystyle 5)"), "5");
  EXPECT_EQ(Parsed(R"(12\text{ cm})"), "12");
  EXPECT_EQ(Parsed(R"(90^\circ)"), "90");
  EXPECT_EQ(Parsed(R"(90^{\circ})"), "90");
}

TEST(LatexParser, ReadsThousandsSeparators) {
  EXPECT_EQ(Parsed("1,250"), "1250");
  EXPECT_EQ(Parsed("14{,}916"), "14916");
  EXPECT_EQ(Parsed(R"(1\,000\,000)"), "1000000");
  EXPECT_EQ(Parsed("(2,-1)"), "(2, -1)");
}

TEST(LatexParser, ReadsStructures) {
  EXPECT_EQ(Parsed(R"([3,\infty))"), "[3, inf)");
  EXPECT_EQ(Parsed(R"(\{1,2\})"), "{1, 2}");
  EXPECT_EQ(Parsed(R"(\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix})"), "[1, 2; 3, 4]");
  EXPECT_EQ(Parsed(R"(\text{Evelyn})"), "\"evelyn\"");
  EXPECT_EQ(Parsed(R"((-\infty, 1) \cup (2, \infty))"), "(-inf, 1) U (2, inf)");
}

TEST(LatexParser, ImplicitMultiplicationAndRoots) {
  EXPECT_EQ(Parsed(R"(3\sqrt{3})"), "(3*sqrt(3))");
  EXPECT_EQ(Parsed(R"(\sqrt3)"), "sqrt(3)");
  EXPECT_EQ(Parsed("(x-1)(x+1)"), "((x + -1)*(x + 1))");
}

TEST(LatexParser, MixedNumberIsASum) { EXPECT_EQ(Parsed(R"(2\frac{1}{2})"), "(2 + (1*2^-1))"); }

TEST(LatexParser, DeepNestingIsACapNotACrash) {
  absl::StatusOr<Expr> e = ParseAnswer(std::string(10000, '(') + "1" + std::string(10000, ')'));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(LatexParser, HugeLiteralIsACap) {
  absl::StatusOr<Expr> e = ParseAnswer(std::string(5000, '9'));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace arbiter::math
