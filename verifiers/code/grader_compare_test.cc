// Each grader mode against cases worked through the grader's own code (the expectations were
// checked by running the graders' comparison functions on the same strings).
#include "verifiers/code/grader_compare.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/code/python_text.h"

namespace arbiter::code {
namespace {

TEST(PythonText, StripSplitAndSplitlinesFollowPython) {
  EXPECT_EQ(py::Strip("\xc2\xa0 a b\t\r\n\x1f"), "a b");
  EXPECT_EQ(py::Strip("  "), "");
  EXPECT_EQ(py::SplitWhitespace(" a\xe3\x80\x80"
                                "b  c "),
            (std::vector<absl::string_view>{"a", "b", "c"}));
  EXPECT_EQ(py::SplitLines("a\r\nb\rc\n"), (std::vector<absl::string_view>{"a", "b", "c"}));
  EXPECT_EQ(py::SplitLines("a\n\nb"), (std::vector<absl::string_view>{"a", "", "b"}));
  EXPECT_TRUE(py::SplitLines("").empty());
  EXPECT_EQ(py::SplitNewline("a\n").size(), 2u);
}

TEST(PythonText, FloatFollowsPythonGrammar) {
  EXPECT_EQ(py::ParseFloat(" 1_000.5 "), 1000.5);
  EXPECT_EQ(py::ParseFloat("-.5e1"), -5.0);
  EXPECT_EQ(py::ParseFloat("5."), 5.0);
  EXPECT_TRUE(std::isinf(*py::ParseFloat("-Infinity")));
  EXPECT_TRUE(std::isnan(*py::ParseFloat("nan")));
  EXPECT_TRUE(std::isinf(*py::ParseFloat("1e400")));
  for (const char* bad : {"", "1__0", "_1", "1_", "0x10", "1e", ".", "1.2.3", "in f", "1,5"}) {
    EXPECT_FALSE(py::ParseFloat(bad).has_value()) << bad;
  }
}

TEST(PythonText, DecimalEqualityIsExactAndNumeric) {
  auto eq = [](const char* a, const char* b) {
    return py::DecimalEqual(*py::ParseDecimal(a), *py::ParseDecimal(b));
  };
  EXPECT_TRUE(eq("-1100.0", "-1100"));
  EXPECT_TRUE(eq("1.10", "1.1"));
  EXPECT_TRUE(eq("-0", "0.000"));
  EXPECT_TRUE(eq("1e3", "1000"));
  EXPECT_TRUE(eq("0.5E-2", ".005"));
  EXPECT_TRUE(eq("Inf", "infinity"));
  EXPECT_FALSE(eq("inf", "-inf"));
  EXPECT_FALSE(eq("NaN", "NaN"));
  EXPECT_FALSE(eq("0.1", "0.10000001"));
  EXPECT_FALSE(eq("50000000000000000", "50000000000000001"));
  EXPECT_FALSE(py::ParseDecimal("1/2").has_value());
  EXPECT_FALSE(py::ParseDecimal("YES").has_value());
  EXPECT_TRUE(py::ParseDecimal("sNaN12").has_value());
}

TEST(PythonText, Round3RoundsTheExactBinaryValue) {
  EXPECT_EQ(py::Round3(1.0005), 1.0);  // 1.0005 is 1.000499999... in binary
  EXPECT_EQ(py::Round3(1.2345), 1.234);
  EXPECT_EQ(py::Round3(0.0625), 0.062);  // an exact tie goes to even
  EXPECT_EQ(py::Round3(-0.0001), 0.0);   // -0.0 folds into 0.0
  EXPECT_EQ(py::Round3(1.23456), 1.235);
}

TEST(LiveCodeBench, LinesStrippedAndTokensEqualAsExactDecimals) {
  EXPECT_TRUE(LiveCodeBenchOutputMatches("-1100.0\n", "-1100"));
  EXPECT_TRUE(LiveCodeBenchOutputMatches("  1 2.50  \r\n3\n\n", "1 2.5\n3"));
  EXPECT_TRUE(LiveCodeBenchOutputMatches("Yes\n", "Yes"));
  EXPECT_FALSE(LiveCodeBenchOutputMatches("yes", "Yes"));                // text is case-sensitive
  EXPECT_FALSE(LiveCodeBenchOutputMatches("0.3333333", "0.333333333"));  // no tolerance
  EXPECT_FALSE(LiveCodeBenchOutputMatches("1\n\n2", "1\n2"));            // inner blank line counts
  EXPECT_FALSE(LiveCodeBenchOutputMatches("1 2", "1  2 3"));
  EXPECT_TRUE(LiveCodeBenchOutputMatches("a  b", "a  b"));  // equal lines, any text
  EXPECT_FALSE(LiveCodeBenchOutputMatches("a  b", "a b"));  // text lines not re-split
  EXPECT_FALSE(LiveCodeBenchOutputMatches("nan", "NaN"));
  EXPECT_TRUE(LiveCodeBenchOutputMatches("", "\n"));
}

TEST(Apps, FallbacksAcceptWhatAppsTestingUtilAccepts) {
  EXPECT_TRUE(AppsOutputMatches("3\n", "3"));
  EXPECT_TRUE(AppsOutputMatches("  1 2  \n  3\n", "1 2\n3\n"));  // stripped lines joined
  EXPECT_TRUE(AppsOutputMatches("1\n\n2\n", "1\n2"));            // empty lines dropped
  EXPECT_TRUE(AppsOutputMatches("0.3333339\n", "0.333333"));     // allclose
  EXPECT_TRUE(AppsOutputMatches("0.3334\n", "0.333333"));        // both round to 0.333
  EXPECT_FALSE(AppsOutputMatches("0.3344\n", "0.333333"));
  EXPECT_TRUE(AppsOutputMatches("2 1\n4 3\n", "3 4\n1 2"));  // set of token sets
  EXPECT_TRUE(AppsOutputMatches("1 1 2\n", "2 1"));          // repeats ignored
  EXPECT_TRUE(AppsOutputMatches("1.0004 2\n", "2.0 1.0"));   // rounded to 3 decimals
  EXPECT_FALSE(AppsOutputMatches("1.0006 2\n", "2.0 1.0"));
  EXPECT_FALSE(AppsOutputMatches("YES\n", "yes"));
  EXPECT_FALSE(AppsOutputMatches("1 2\n", "1 2 3"));
  EXPECT_FALSE(AppsOutputMatches("", "0"));
  EXPECT_TRUE(AppsOutputMatches("nan\n", "nan"));   // equal text
  EXPECT_FALSE(AppsOutputMatches("nan\n", "NaN"));  // float nan never close
}

TEST(CodeContests, LowercasedTokensAndAbsoluteTolerance) {
  EXPECT_TRUE(CodeContestsOutputMatches("YES\n1 2\n", "yes 1\n2"));
  EXPECT_TRUE(CodeContestsOutputMatches("0.333334", "0.333333"));
  EXPECT_FALSE(CodeContestsOutputMatches("0.33335", "0.33333"));
  EXPECT_TRUE(CodeContestsOutputMatches("1000000.000001", "1000000"));
  EXPECT_FALSE(CodeContestsOutputMatches("1000000.1", "1000000"));  // absolute, not relative
  EXPECT_TRUE(CodeContestsOutputMatches("100000000000000000001", "100000000000000000000"));
  EXPECT_TRUE(CodeContestsOutputMatches("nan", "NaN"));  // equal token lists
  EXPECT_FALSE(CodeContestsOutputMatches("nan 1", "nan 2"));
  EXPECT_FALSE(CodeContestsOutputMatches("1 2", "1"));
  EXPECT_TRUE(CodeContestsOutputMatches("", " \n"));
}

TEST(SandboxFusion, LinesLowercasedWithRelativeFloatTolerance) {
  EXPECT_TRUE(SandboxFusionOutputMatches("Yes\n  2 \n", "YES\n2"));
  EXPECT_TRUE(SandboxFusionOutputMatches("1000000.5", "1000000"));  // relative 1e-5
  EXPECT_FALSE(SandboxFusionOutputMatches("1.0001", "1"));
  EXPECT_FALSE(SandboxFusionOutputMatches("1.0 2.0", "1 2"));  // whole lines are floats
  EXPECT_FALSE(SandboxFusionOutputMatches("1  2", "1 2"));
  EXPECT_FALSE(SandboxFusionOutputMatches("1\n2", "1\n\n2"));
  EXPECT_FALSE(SandboxFusionOutputMatches("inf", "INFINITY"));  // inf - inf is nan
  EXPECT_FALSE(SandboxFusionOutputMatches("0", "1e-11"));       // 1e-11 / max(1e-11, 1e-10) = 0.1
}

TEST(OpenR1, ZipOfStrippedLines) {
  EXPECT_TRUE(OpenR1OutputMatches(" 1 \n2\n", "1\n2"));
  EXPECT_TRUE(OpenR1OutputMatches("1", "1\n2"));  // zip stops at the shorter side
  EXPECT_FALSE(OpenR1OutputMatches("1\n3", "1\n2"));
  EXPECT_FALSE(OpenR1OutputMatches("", "1"));
}

}  // namespace
}  // namespace arbiter::code
