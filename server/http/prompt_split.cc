#include "server/http/prompt_split.h"

#include <algorithm>
#include <vector>

namespace arbiter::server::http {
namespace {

// failure[i] = length of the longest proper prefix of pattern[0..i] that is also its suffix.
std::vector<size_t> FailureFunction(absl::string_view pattern) {
  std::vector<size_t> failure(pattern.size(), 0);
  size_t k = 0;
  for (size_t i = 1; i < pattern.size(); ++i) {
    while (k > 0 && pattern[i] != pattern[k]) k = failure[k - 1];
    if (pattern[i] == pattern[k]) ++k;
    failure[i] = k;
  }
  return failure;
}

// Runs the KMP automaton of `pattern` over `text`. Returns the end offset in `text` of the
// first full match (stop_at_match), or the matched prefix length after the whole text.
size_t RunAutomaton(absl::string_view text, absl::string_view pattern, bool stop_at_match,
                    bool& matched) {
  matched = false;
  const std::vector<size_t> failure = FailureFunction(pattern);
  size_t k = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    while (k > 0 && (k == pattern.size() || text[i] != pattern[k])) k = failure[k - 1];
    if (text[i] == pattern[k]) ++k;
    if (k == pattern.size() && stop_at_match) {
      matched = true;
      return i + 1;
    }
  }
  return k;
}

}  // namespace

size_t FindFirst(absl::string_view text, absl::string_view pattern) {
  if (pattern.empty()) return 0;
  if (pattern.size() > text.size()) return absl::string_view::npos;
  bool matched = false;
  const size_t end = RunAutomaton(text, pattern, /*stop_at_match=*/true, matched);
  return matched ? end - pattern.size() : absl::string_view::npos;
}

size_t LongestSuffixThatPrefixes(absl::string_view text, absl::string_view pattern) {
  if (pattern.empty() || text.empty()) return 0;
  bool matched = false;
  return RunAutomaton(text, pattern, /*stop_at_match=*/false, matched);
}

SplitQuery SplitCompletion(absl::string_view query, absl::string_view prompt) {
  if (query.substr(0, prompt.size()) == prompt) {
    return {query.substr(prompt.size()), PromptMatch::kPrefix};
  }
  if (const size_t at = FindFirst(query, prompt); at != absl::string_view::npos) {
    return {query.substr(at + prompt.size()), PromptMatch::kContained};
  }
  // Only a suffix shorter than the prompt can prefix the query here (the whole prompt would
  // have been found above), so the pattern is the query's first |prompt| - 1 bytes at most.
  const absl::string_view head = query.substr(0, prompt.empty() ? 0 : prompt.size() - 1);
  const size_t overlap = LongestSuffixThatPrefixes(prompt, head);
  if (overlap >= kMinTruncatedOverlap) return {query.substr(overlap), PromptMatch::kTruncated};
  return {query, PromptMatch::kNotFound};
}

}  // namespace arbiter::server::http
