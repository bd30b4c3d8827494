#include "verifiers/math/compare.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "verifiers/math/latex_parser.h"

namespace arbiter::math {
namespace {

bool Same(const char* gold, const char* pred) {
  Budget budget(absl::Seconds(1), nullptr);
  return Compare(*ParseAnswer(gold), *ParseAnswer(pred), {}, budget).equal;
}

TEST(Compare, ExactRationalsAndDecimals) {
  EXPECT_TRUE(Same(R"(\frac{1}{2})", "0.5"));
  EXPECT_TRUE(Same(R"(\frac{1}{7})", "0.142857"));
  EXPECT_FALSE(Same(R"(\frac{1}{7})", "0.1428"));
  EXPECT_FALSE(Same(R"(\pi)", "3.14"));
  EXPECT_TRUE(Same(R"(\pi)", "3.1415926"));
}

TEST(Compare, SymbolicIdentities) {
  EXPECT_TRUE(Same(R"(3\sqrt{3})", R"(\sqrt{27})"));
  EXPECT_TRUE(Same(R"(\frac{\sqrt{2}}{2})", R"(\frac{1}{\sqrt{2}})"));
  EXPECT_TRUE(Same(R"(\sin^2 x + \cos^2 x)", "1"));
  EXPECT_FALSE(Same("x^2+1", "(x+1)^2"));
}

TEST(Compare, RelationsMatchOnTheirSolutionSet) {
  EXPECT_TRUE(Same("y=-2x+5", "2x + y = 5"));
  EXPECT_TRUE(Same("x < 3", "3 > x"));
  EXPECT_FALSE(Same("x < 3", "x > 3"));
  EXPECT_FALSE(Same("x < 3", "x <= 3"));
  EXPECT_TRUE(Same("3", "x = 3"));
  EXPECT_TRUE(Same("6", "a = 2 + 4 = 6"));
}

TEST(Compare, StructuresCompareByKind) {
  EXPECT_TRUE(Same(R"(\{1, 2\})", R"(\{2, 1\})"));
  EXPECT_FALSE(Same("(1, 2)", "(2, 1)"));
  EXPECT_TRUE(Same("(1, 2)", "(1, 2)"));
  EXPECT_FALSE(Same("[1, 2]", "[1, 2)"));
  EXPECT_TRUE(Same(R"((-\infty, 1) \cup (2, \infty))", R"((2, \infty) \cup (-\infty, 1))"));
  EXPECT_FALSE(
      Same(R"(\begin{pmatrix} 1 \\ 2 \end{pmatrix})", R"(\begin{pmatrix} 1 & 2 \end{pmatrix})"));
}

// Zero to a non-positive power never reaches GiNaC, which would throw from inside an ex
// constructor and leak the power it allocated (LeakSanitizer; issue 14).
TEST(Compare, UndefinedValuesAreNeverEqualAndNeverReachGinac) {
  for (const char* pred : {"1/0", R"(\log_1 2)", "0^{-2}", R"(\sqrt[0]{2})", R"(\cot 0)", "0^{-x}",
                           R"(2 + \frac{x}{0})", R"(\sin^2 1 + \cos^2 1 + 0^{0})"}) {
    Budget budget(absl::Seconds(1), nullptr);
    const Comparison c = Compare(*ParseAnswer("2"), *ParseAnswer(pred), {}, budget);
    EXPECT_FALSE(c.equal) << pred;
    EXPECT_EQ(c.method.rfind("undefined: ", 0), 0u) << pred << ": " << c.method;
  }
  EXPECT_TRUE(Same("0^0", "1"));
}

// The degree cap sees constant exponents that are not literals: `(x+1)^{99~999}` (99 * 999)
// reached expand() and ran for minutes (latex fuzz target: a timeout).
TEST(Compare, DegreeCapSeesComputedExponents) {
  // Inside a function or an exponent too: normal() expands arguments (|(x+1)^{99999}|).
  for (const char* pred :
       {"(x+1)^{99~999}", R"((x+1)^{99 \cdot 999})", "(x+1)^{10^5}", "|(x+1)^{99999}|",
        R"(\sin((x+1)^{9999}))", "e^{(x+1)^{9999}}", "x^{(y+1)^{9999}}",
        // An exponent expand() splits: (x+1)^{6958 - 8R} = (x+1)^6958 (x+1)^{-8R}.
        R"((x+1)^{994 \cdot 7 - 8R})", R"((y (x+1))^{994 \cdot 7 - 8R})"}) {
    Budget budget(absl::Seconds(1), nullptr);
    const Comparison c = Compare(*ParseAnswer("x^2 - 1"), *ParseAnswer(pred), {}, budget);
    EXPECT_TRUE(c.capped) << pred << ": " << c.method;
  }
}

// The last resort evaluates the difference at points in floats: an exact substitution turned
// (x+1)^{99 m m 999999} at m = 13/11 into an exact power of height ~10^8 (minutes and gigabytes;
// latex fuzz target, a timeout) and `\boxed{t^{2^89 d}}` likewise (extract fuzz target).
TEST(Compare, SymbolicExponentsAreEvaluatedInFloats) {
  // Values beyond e^(10^6) at a point are not evaluated (CLN's exp() allocated 2^51 bytes for
  // t^{2^89 ...} t^{2^89 ...}: extract fuzz target).
  for (const char* pred :
       {"(x+1)^{99 m m 999999}", "(x+1)^{99 m m m m m m 999999999}", "t^{2^{89} d}",
        "t^{2^{89} d} t^{2^{89} t^{2^{89}}}", R"(\sin(t^{2^{89}}))", R"(e^{t^{2^{89}}})",
        // |e^{i x y ...}| as GiNaC::abs had 2^n terms (extract fuzz target: a timeout).
        R"(e^{N 5 G i N a C 8 c o n s t^{20} d o l l a r s})"}) {
    Budget budget(absl::Seconds(1), nullptr);
    const absl::Time start = absl::Now();
    const Comparison c = Compare(*ParseAnswer("x^2 - 1"), *ParseAnswer(pred), {}, budget);
    EXPECT_FALSE(c.equal) << pred << ": " << c.method;
    EXPECT_LT(absl::Now() - start, absl::Seconds(2)) << pred;
  }
  // Symbolic exponents still compare: equal only at the points, never after normal().
  Budget budget(absl::Seconds(1), nullptr);
  const Comparison c =
      Compare(*ParseAnswer("(x+1)^{m}"), *ParseAnswer(R"(e^{m \ln(x+1)})"), {}, budget);
  EXPECT_TRUE(c.equal) << c.method;
  EXPECT_FALSE(Same("(x+1)^{m}", R"(e^{m \ln(x+2)})"));
}

// A removable singularity at the first sample point (x = 13/11): substituting it exactly made
// GiNaC throw from inside a power it never freed (LeakSanitizer); the next point is used instead.
TEST(Compare, PoleAtASamplePointUsesTheNextPoint) {
  EXPECT_TRUE(
      Same(R"(\frac{\sin^2 x + \cos^2 x}{x - \frac{13}{11}})", R"(\frac{1}{x - \frac{13}{11}})"));
  EXPECT_FALSE(
      Same(R"(\frac{\sin^2 x + \cos^2 x}{x - \frac{13}{11}})", R"(\frac{2}{x - \frac{13}{11}})"));
}

// |...| of a symbolic power stays |...| (GiNaC's abs() turned |b^{x y z ...}| into the real part
// of a product of complex symbols, 2^n terms: latex fuzz target, a timeout); points decide it.
TEST(Compare, AbsoluteValuesOfSymbolicPowersStayAbsoluteValues) {
  Budget budget(absl::Seconds(1), nullptr);
  const absl::Time start = absl::Now();
  const Comparison c =
      Compare(*ParseAnswer("x^2 - 1"),
              *ParseAnswer(R"(|(\pi+1)^{2223 t T T T T T T T T T T T T l o}|)"), {}, budget);
  EXPECT_FALSE(c.equal) << c.method;
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_TRUE(Same("|x - 3|", "|3 - x|"));
  EXPECT_TRUE(Same(R"(|\sqrt{2} - 2|)", R"(2 - \sqrt{2})"));
  EXPECT_TRUE(Same("|-3|", "3"));
  EXPECT_FALSE(Same("|x - 3|", "x - 3"));
}

TEST(Compare, TextIsCaseInsensitive) { EXPECT_TRUE(Same(R"(\text{Evelyn})", R"(\text{EVELYN})")); }

}  // namespace
}  // namespace arbiter::math
