// Separating a completion from OpenRLHF's query, which is decode(prompt ids + response ids):
// the chat-templated prompt followed by the completion (and its EOS).
//
// Scoring the whole query would be wrong, not just wasteful: Saturn's prompt shows an example
// answer `\boxed{1101}`, so a completion with no box would score the example. In order:
//   kPrefix     the query starts with the prompt (the normal case): the rest;
//   kContained  the prompt occurs later (decode added a BOS or another special token first):
//               the text after its first occurrence;
//   kTruncated  the query starts with a suffix of the prompt of at least kMinTruncatedOverlap
//               bytes (OpenRLHF keeps only the last max_length - max_tokens prompt tokens of a
//               long prompt): the text after that suffix, the longest one;
//   kNotFound   none of these (the tokenizer does not round-trip the prompt): the whole query.
//               The gateway flags it (extra_logs `prompt_mismatch`).
// An empty prompt is kPrefix with the whole query. Linear time (Knuth–Morris–Pratt): bodies are
// untrusted and can be 64 MiB.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace arbiter::server::http {

inline constexpr size_t kMinTruncatedOverlap = 32;

enum class PromptMatch { kPrefix, kContained, kTruncated, kNotFound };

struct SplitQuery {
  absl::string_view completion;  // a view into the query
  PromptMatch match = PromptMatch::kNotFound;
};

SplitQuery SplitCompletion(absl::string_view query, absl::string_view prompt);

// Position of the first occurrence of `pattern` in `text`, or npos. Linear; empty pattern → 0.
size_t FindFirst(absl::string_view text, absl::string_view pattern);

// Length of the longest suffix of `text` that is a prefix of `pattern`. Linear.
size_t LongestSuffixThatPrefixes(absl::string_view text, absl::string_view pattern);

}  // namespace arbiter::server::http
