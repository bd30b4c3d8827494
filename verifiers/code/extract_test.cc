#include "verifiers/code/extract.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace arbiter::code {
namespace {

constexpr auto kPy = v1::CodeTask::LANGUAGE_PYTHON;
constexpr auto kCpp = v1::CodeTask::LANGUAGE_CPP;
constexpr auto kLast = v1::CodeTask::EXTRACT_LAST_BLOCK;
constexpr auto kFirst = v1::CodeTask::EXTRACT_FIRST_BLOCK;
constexpr auto kWhole = v1::CodeTask::EXTRACT_WHOLE;
constexpr auto kNone = v1::CodeTask::LANGUAGE_UNSPECIFIED;

// The code of the program found with `allowed` tagged languages and untagged blocks as `untagged`.
std::optional<std::string> Code(const std::string& text,
                                const std::vector<v1::CodeTask::Language>& allowed,
                                v1::CodeTask::Language untagged, v1::CodeTask::Extract rule) {
  auto program = ExtractProgram(text, allowed, untagged, rule);
  if (!program.has_value()) return std::nullopt;
  return program->code;
}

// A task pinned to one language.
std::optional<std::string> Code(const std::string& text, v1::CodeTask::Language language,
                                v1::CodeTask::Extract rule) {
  return Code(text, {language}, language, rule);
}

v1::CodeTask::Language LanguageOf(const std::string& text) {
  auto program = ExtractProgram(text, {kPy, kCpp}, kPy, kLast);
  return program.has_value() ? program->language : kNone;
}

TEST(Extract, LastTaggedBlockWins) {
  const std::string text = "Idea:\n```python\nprint(1)\n```\nBetter:\n```py\nprint(2)\n```\nDone.";
  EXPECT_EQ(Code(text, kPy, kLast), "print(2)\n");
  EXPECT_EQ(Code(text, kPy, kFirst), "print(1)\n");
}

TEST(Extract, AcceptsEveryPythonAndCppTag) {
  for (const char* tag : {"python", "py", "python3", "Python", "py3"}) {
    EXPECT_EQ(Code(std::string("```") + tag + "\nx=1\n```", kPy, kLast), "x=1\n") << tag;
  }
  for (const char* tag : {"cpp", "c++", "cc", "C++", "cxx"}) {
    EXPECT_EQ(Code(std::string("```") + tag + "\nint x;\n```", kCpp, kLast), "int x;\n") << tag;
  }
}

TEST(Extract, TaggedBlockPreferredOverLaterUntaggedOne) {
  const std::string text = "```python\nprint(1)\n```\n```\nexample output\n```\n";
  EXPECT_EQ(Code(text, kPy, kLast), "print(1)\n");
}

TEST(Extract, UntaggedBlockIsTheFallback) {
  EXPECT_EQ(Code("```\nprint(3)\n```", kPy, kLast), "print(3)\n");
}

TEST(Extract, BlocksOfAnotherLanguageAreIgnored) {
  const std::string text = "```cpp\nint main(){}\n```\n```python\nprint(1)\n```";
  EXPECT_EQ(Code(text, kPy, kLast), "print(1)\n");
  EXPECT_EQ(Code(text, kCpp, kLast), "int main(){}\n");
  EXPECT_EQ(Code("```java\nclass A{}\n```", kPy, kLast), std::nullopt);
}

TEST(Extract, NoBlockUnclosedOrEmptyBlockIsNoProgram) {
  EXPECT_EQ(Code("print(1)", kPy, kLast), std::nullopt);
  EXPECT_EQ(Code("```python\nprint(1)\n", kPy, kLast), std::nullopt);
  EXPECT_EQ(Code("```python\n  \n```", kPy, kLast), std::nullopt);
  EXPECT_EQ(Code("", kPy, kLast), std::nullopt);
}

TEST(Extract, KeepsIndentationAndInnerBackticks) {
  const std::string text = "```python\ndef f():\n    return '``'\n```";
  EXPECT_EQ(Code(text, kPy, kLast), "def f():\n    return '``'\n");
}

TEST(Extract, WholeRuleTakesTheCompletionUnlessBlank) {
  EXPECT_EQ(Code("print(1)", kPy, kWhole), "print(1)");
  EXPECT_EQ(Code(" \n", kPy, kWhole), std::nullopt);
}

TEST(Extract, FencesAtAnyIndentationAsTheDatasetsExtractorsAccept) {
  EXPECT_EQ(Code("   ```python\nx=1\n   ```", kPy, kLast), "x=1\n");
  EXPECT_EQ(Code("1. Code:\n    ```python\n    x=1\n    ```\n", kPy, kLast), "    x=1\n");
  EXPECT_EQ(Code("```python\nx=1\n\t```\n", kPy, kLast), "x=1\n");
  EXPECT_EQ(Code("```python\r\nx=1\r\n```\r\n", kPy, kLast), "x=1\r\n");
}

TEST(Extract, LanguageComesFromTheLastAllowedTaggedBlock) {
  EXPECT_EQ(LanguageOf("```python\nprint(1)\n```\nIn C++:\n```cpp\nint main(){}\n```"), kCpp);
  EXPECT_EQ(LanguageOf("```cpp\nint main(){}\n```\n```py\nprint(1)\n```"), kPy);
  EXPECT_EQ(LanguageOf("```C++\nint main(){}\n```\n```\nsample output\n```"), kCpp);
  EXPECT_EQ(LanguageOf("```\nprint(1)\n```"), kPy);  // untagged: the task's default
  EXPECT_EQ(LanguageOf("```haskell\nmain = pure ()\n```"), kNone);
  auto program = ExtractProgram("```cpp\nint main(){}\n```", {kPy, kCpp}, kPy, kLast);
  ASSERT_TRUE(program.has_value());
  EXPECT_EQ(program->code, "int main(){}\n");
}

TEST(Extract, RestrictedLanguagesIgnoreOtherTags) {
  const std::string text = "```python\nprint(1)\n```\n```cpp\nint main(){}\n```";
  auto program = ExtractProgram(text, {kPy}, kPy, kLast);
  ASSERT_TRUE(program.has_value());
  EXPECT_EQ(program->language, kPy);
  EXPECT_EQ(ExtractProgram("```\nx\n```", {kPy}, kNone, kLast), std::nullopt);
  EXPECT_EQ(ExtractProgram("x", {kCpp}, kCpp, kWhole)->language, kCpp);
}

}  // namespace
}  // namespace arbiter::code
