#include "server/http/prompt_split.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace arbiter::server::http {
namespace {

const std::string kPrompt =
    "<|im_start|>user\nFind a satisfying assignment.\n<|im_end|>\n<|im_start|>assistant\n";

TEST(SplitCompletion, StripsThePromptPrefix) {
  // `completion` views the query: the query must outlive the split.
  const std::string query = kPrompt + "answer<|im_end|>";
  const SplitQuery split = SplitCompletion(query, kPrompt);
  EXPECT_EQ(split.match, PromptMatch::kPrefix);
  EXPECT_EQ(split.completion, "answer<|im_end|>");
}

TEST(SplitCompletion, FindsThePromptAfterALeadingSpecialToken) {
  const std::string query = "<s>" + kPrompt + "answer";
  const SplitQuery split = SplitCompletion(query, kPrompt);
  EXPECT_EQ(split.match, PromptMatch::kContained);
  EXPECT_EQ(split.completion, "answer");
}

TEST(SplitCompletion, StripsTheSuffixOfALeftTruncatedPrompt) {
  const std::string kept = kPrompt.substr(20);  // OpenRLHF keeps the prompt's last tokens
  const std::string query = kept + "answer";
  const SplitQuery split = SplitCompletion(query, kPrompt);
  EXPECT_EQ(split.match, PromptMatch::kTruncated);
  EXPECT_EQ(split.completion, "answer");
}

TEST(SplitCompletion, UsesTheWholeQueryWhenThePromptIsNowhere) {
  const SplitQuery split = SplitCompletion("something else entirely", kPrompt);
  EXPECT_EQ(split.match, PromptMatch::kNotFound);
  EXPECT_EQ(split.completion, "something else entirely");
}

TEST(SplitCompletion, DoesNotTakeAShortOverlapForATruncation) {
  // The query begins with the prompt's last 10 bytes only: too little to be sure.
  const std::string query = kPrompt.substr(kPrompt.size() - 10) + "answer";
  EXPECT_EQ(SplitCompletion(query, kPrompt).match, PromptMatch::kNotFound);
}

TEST(SplitCompletion, AnEmptyPromptLeavesTheQuery) {
  const SplitQuery split = SplitCompletion("abc", "");
  EXPECT_EQ(split.match, PromptMatch::kPrefix);
  EXPECT_EQ(split.completion, "abc");
}

TEST(FindFirst, AgreesWithStdFindOnRandomStrings) {
  const unsigned seed = std::random_device()();
  std::mt19937 rng(seed);
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 20, 'a'), pattern(rng() % 5, 'a');
    for (char& c : text) c = static_cast<char>('a' + rng() % 2);
    for (char& c : pattern) c = static_cast<char>('a' + rng() % 2);
    const size_t expected = text.find(pattern);
    ASSERT_EQ(FindFirst(text, pattern), expected)
        << "seed " << seed << " text " << text << " pattern " << pattern;
    size_t longest = 0;
    for (size_t k = 1; k <= std::min(text.size(), pattern.size()); ++k) {
      if (text.compare(text.size() - k, k, pattern, 0, k) == 0) longest = k;
    }
    ASSERT_EQ(LongestSuffixThatPrefixes(text, pattern), longest)
        << "seed " << seed << " text " << text << " pattern " << pattern;
  }
}

TEST(FindFirst, IsLinearOnAdversarialInput) {
  // std::string::find is quadratic here (a^n b in a^m): 4 MB of each would take minutes.
  const std::string text(4 << 20, 'a');
  const std::string pattern = std::string(2 << 20, 'a') + "b";
  EXPECT_EQ(FindFirst(text, pattern), std::string::npos);
  EXPECT_EQ(SplitCompletion(text, pattern).match, PromptMatch::kNotFound);
}

}  // namespace
}  // namespace arbiter::server::http
