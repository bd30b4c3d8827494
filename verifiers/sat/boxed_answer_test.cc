#include "verifiers/sat/boxed_answer.h"

#include <optional>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "verifiers/sat/test_util.h"

namespace arbiter::sat {
namespace {

// Expected captures computed with Python's re.findall(r'\\boxed{(.*?)}', text)[-1].
struct Case {
  const char* file;
  std::optional<std::string> capture;
};

const Case kCases[] = {
    {"answer_simple.txt", "1010"},
    {"answer_nested_braces.txt", "\\text{1010"},
    {"answer_last_wins.txt", "1111"},
    {"answer_newline_inside.txt", "1010"},
    {"answer_unclosed_last.txt", "1010"},
    {"answer_no_box.txt", std::nullopt},
    {"answer_empty_box.txt", ""},
    {"answer_box_in_box.txt", "a\\boxed{b"},
    {"answer_crlf.txt", "10\r10"},
    {"answer_utf8.txt",
     "\xc3\xa9"
     "1010"},
    {"answer_dollar.txt", "1010"},
    {"answer_close_before_open.txt", "0101"},
    {"answer_spaces.txt", " 1010 "},
    {"answer_boxed_no_brace.txt", std::nullopt},
    {"answer_double_backslash.txt", "0110"},
};

TEST(LastBoxed, MatchesPythonRegexOnEveryTestdataFile) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.file);
    const std::string text = testing::ReadTestdata(c.file);
    ASSERT_FALSE(text.empty());
    const std::optional<std::string_view> got = LastBoxed(text);
    const std::optional<std::string_view> forward = LastBoxedForward(text);
    ASSERT_EQ(got.has_value(), c.capture.has_value());
    ASSERT_EQ(forward.has_value(), c.capture.has_value());
    if (c.capture) {
      EXPECT_EQ(*got, *c.capture);
      EXPECT_EQ(*forward, *c.capture);
    }
  }
}

TEST(LastBoxed, ReturnsNothingForEmptyText) {
  EXPECT_FALSE(LastBoxed("").has_value());
  EXPECT_FALSE(LastBoxed("}").has_value());
  EXPECT_FALSE(LastBoxed("\\boxed{").has_value());
}

TEST(LastBoxed, CaptureIsAViewIntoTheInput) {
  const std::string text = "x \\boxed{01} y";
  const std::optional<std::string_view> got = LastBoxed(text);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->data(), text.data() + 9);
}

// Differential: the backward scan against the forward (regex-engine) procedure on random texts
// over an alphabet dense in the interesting characters.
TEST(LastBoxed, AgreesWithForwardScanOnRandomTexts) {
  const uint64_t seed = std::random_device{}();
  SCOPED_TRACE(::testing::Message() << "seed=" << seed);
  std::mt19937_64 rng(seed);
  const std::string pieces[] = {"\\boxed{", "\\boxed", "{",  "}", "\n", "\r",      "1",
                                "0",        " ",       "\\", "b", "x{", "\xc3\xa9"};
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text;
    const int parts = static_cast<int>(rng() % 12);
    for (int i = 0; i < parts; ++i) text += pieces[rng() % std::size(pieces)];
    const auto got = LastBoxed(text);
    const auto want = LastBoxedForward(text);
    ASSERT_EQ(got.has_value(), want.has_value()) << "text: " << text;
    if (want) {
      ASSERT_EQ(got->data(), want->data()) << "text: " << text;
      ASSERT_EQ(got->size(), want->size()) << "text: " << text;
    }
  }
}

}  // namespace
}  // namespace arbiter::sat
