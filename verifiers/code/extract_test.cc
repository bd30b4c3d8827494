#include "verifiers/code/extract.h"

#include "gtest/gtest.h"

namespace arbiter::code {
namespace {

constexpr auto kPy = v1::CodeTask::LANGUAGE_PYTHON;
constexpr auto kCpp = v1::CodeTask::LANGUAGE_CPP;
constexpr auto kLast = v1::CodeTask::EXTRACT_LAST_BLOCK;
constexpr auto kFirst = v1::CodeTask::EXTRACT_FIRST_BLOCK;
constexpr auto kWhole = v1::CodeTask::EXTRACT_WHOLE;

TEST(Extract, LastTaggedBlockWins) {
  const std::string text = "Idea:\n```python\nprint(1)\n```\nBetter:\n```py\nprint(2)\n```\nDone.";
  EXPECT_EQ(ExtractProgram(text, kPy, kLast), "print(2)\n");
  EXPECT_EQ(ExtractProgram(text, kPy, kFirst), "print(1)\n");
}

TEST(Extract, AcceptsEveryPythonAndCppTag) {
  for (const char* tag : {"python", "py", "python3", "Python", "py3"}) {
    EXPECT_EQ(ExtractProgram(std::string("```") + tag + "\nx=1\n```", kPy, kLast), "x=1\n") << tag;
  }
  for (const char* tag : {"cpp", "c++", "cc", "C++", "cxx"}) {
    EXPECT_EQ(ExtractProgram(std::string("```") + tag + "\nint x;\n```", kCpp, kLast), "int x;\n")
        << tag;
  }
}

TEST(Extract, TaggedBlockPreferredOverLaterUntaggedOne) {
  const std::string text = "```python\nprint(1)\n```\n```\nexample output\n```\n";
  EXPECT_EQ(ExtractProgram(text, kPy, kLast), "print(1)\n");
}

TEST(Extract, UntaggedBlockIsTheFallback) {
  EXPECT_EQ(ExtractProgram("```\nprint(3)\n```", kPy, kLast), "print(3)\n");
}

TEST(Extract, BlocksOfAnotherLanguageAreIgnored) {
  const std::string text = "```cpp\nint main(){}\n```\n```python\nprint(1)\n```";
  EXPECT_EQ(ExtractProgram(text, kPy, kLast), "print(1)\n");
  EXPECT_EQ(ExtractProgram(text, kCpp, kLast), "int main(){}\n");
  EXPECT_EQ(ExtractProgram("```java\nclass A{}\n```", kPy, kLast), std::nullopt);
}

TEST(Extract, NoBlockUnclosedOrEmptyBlockIsNoProgram) {
  EXPECT_EQ(ExtractProgram("print(1)", kPy, kLast), std::nullopt);
  EXPECT_EQ(ExtractProgram("```python\nprint(1)\n", kPy, kLast), std::nullopt);
  EXPECT_EQ(ExtractProgram("```python\n  \n```", kPy, kLast), std::nullopt);
  EXPECT_EQ(ExtractProgram("", kPy, kLast), std::nullopt);
}

TEST(Extract, KeepsIndentationAndInnerBackticks) {
  const std::string text = "```python\ndef f():\n    return '``'\n```";
  EXPECT_EQ(ExtractProgram(text, kPy, kLast), "def f():\n    return '``'\n");
}

TEST(Extract, WholeRuleTakesTheCompletionUnlessBlank) {
  EXPECT_EQ(ExtractProgram("print(1)", kPy, kWhole), "print(1)");
  EXPECT_EQ(ExtractProgram(" \n", kPy, kWhole), std::nullopt);
}

TEST(Extract, IndentedFencesUpToThreeSpaces) {
  EXPECT_EQ(ExtractProgram("   ```python\nx=1\n   ```", kPy, kLast), "x=1\n");
}

}  // namespace
}  // namespace arbiter::code
