// BeamPERL's reward functions (spec §3.4), reproduced with hand-written scanners.
//
//   FormatOk      r_fmt: the completion contains "\n</think>\n" exactly once (non-overlapping
//                 count) and, after its last occurrence, a \boxed{...} whose text up to the first
//                 '}' is not blank.
//   TextAfterThink  text after the last `</\s*think\s*>` (case-insensitive); empty when absent.
//   ExtractCoefficients  the six extraction rules in order (\frac{cP}{d}, \frac{P}{d},
//                 \frac{c}{d}P, cP with span skipping, standalone zeros, bare P) over the
//                 brace-balanced \boxed{} contents joined by " ; "; `gold` falls back to the raw
//                 text when there is no box. Values are in left-to-right order.
//   MatchCoefficients  greedy first-unused matching, |p − g| ≤ tolerance inclusive; extra
//                 predictions ignored unless strict_count.
//
// Quirks kept on purpose (they are BeamPERL's): "0P" yields two zeros, "P/3" yields 1, a Unicode
// minus is not a sign, "2P/3" yields 2. Known divergence: only ASCII digits are digits.
// Cost: linear in the text; no allocation beyond the output vector for ordinary inputs.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace arbiter::beam {

struct CompatOptions {
  double format_weight = 0.333;
  double accuracy_weight = 0.667;
  double tolerance = 1e-4;
  bool strict_count = false;
};

struct CompatResult {
  bool format_ok = false;
  bool accuracy_ok = false;
  // The completion contains `\boxed` followed by `{` somewhere (else the outcome is NO_ANSWER).
  bool has_box = false;
  double score = 0.0;
  std::vector<double> predicted;
};

bool FormatOk(std::string_view completion);
std::string_view TextAfterThink(std::string_view completion);
// Contents of every `\\boxed\s*{` in `text` with brace-balanced matching, in order (unbalanced
// boxes are dropped). Views into `text`. Their total length is at most 2·|text|: deeply nested
// boxes past that are dropped (deviation from BeamPERL, which rescans every level).
std::vector<std::string_view> BoxedContents(std::string_view text);
// True when `text` contains `\\boxed\s*{` anywhere.
bool HasBox(std::string_view text);
// Appends the coefficients of P found in `text` to *out.
void ExtractCoefficients(std::string_view text, bool gold, std::vector<double>* out);
bool MatchCoefficients(absl::Span<const double> gold, absl::Span<const double> predicted,
                       double tolerance, bool strict_count);

// Parses BeamPERL gold strings (["2.1P", "0.9P"]) the way the authors do: joined with " ; " and
// run through the extractor. INVALID_ARGUMENT when no coefficient comes out (such a gold list
// would accept every completion).
// BeamDetail lists at most this many predicted / parsed answers (a completion may hold thousands).
inline constexpr size_t kMaxDetailValues = 64;
// More than kMaxGoldValues values is INVALID_ARGUMENT (BeamPERL's beams have at most four
// reactions; matching costs gold × predictions).
inline constexpr size_t kMaxGoldValues = 64;
absl::StatusOr<std::vector<double>> ParseGold(absl::Span<const std::string> gold);
// Parses `ground_truth` as a JSON list of strings (a bare JSON string is one gold answer).
absl::StatusOr<std::vector<std::string>> ParseGoldJson(std::string_view json);

CompatResult ScoreCompat(std::string_view completion, absl::Span<const double> gold,
                         const CompatOptions& options);

}  // namespace arbiter::beam
