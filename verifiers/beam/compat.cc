#include "verifiers/beam/compat.h"

#include <cmath>
#include <cstring>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "verifiers/beam/internal/pytext.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::beam {
namespace {

using internal::IsSpaceAt;
using internal::SkipSpaces;

constexpr std::string_view kThinkClose = "\n</think>\n";

// One character of "think" under Python's re.IGNORECASE: also İ/ı for i and the Kelvin sign for k.
size_t MatchThinkLetter(std::string_view s, size_t p, char letter) {
  if (p >= s.size()) return 0;
  const char c = s[p];
  if (c == letter || c == letter - 'a' + 'A') return 1;
  if (letter == 'i' && s.substr(p, 2) == "\xC4\xB0") return 2;
  if (letter == 'i' && s.substr(p, 2) == "\xC4\xB1") return 2;
  if (letter == 'k' && s.substr(p, 3) == "\xE2\x84\xAA") return 3;
  return 0;
}

// `</\s*think\s*>` at pos (case-insensitive); returns its end or npos.
size_t MatchThinkTag(std::string_view s, size_t pos) {
  if (s.substr(pos, 2) != "</") return std::string_view::npos;
  size_t p = SkipSpaces(s, pos + 2);
  for (char letter : {'t', 'h', 'i', 'n', 'k'}) {
    const size_t n = MatchThinkLetter(s, p, letter);
    if (n == 0) return std::string_view::npos;
    p += n;
  }
  p = SkipSpaces(s, p);
  return p < s.size() && s[p] == '>' ? p + 1 : std::string_view::npos;
}

size_t CountNonOverlapping(std::string_view s, std::string_view needle, size_t limit) {
  size_t count = 0;
  if (s.size() < needle.size()) return 0;  // also keeps a null data() away from memmem
  const char* p = s.data();
  const char* end = s.data() + s.size();
  while (count < limit) {
    const void* hit = memmem(p, static_cast<size_t>(end - p), needle.data(), needle.size());
    if (hit == nullptr) break;
    ++count;
    p = static_cast<const char*>(hit) + needle.size();
  }
  return count;
}

// At most 120 bytes of a task's text for an error message, cut between characters.
std::string Preview(std::string_view text) {
  const absl::string_view head = sdk::Utf8Prefix(absl::string_view(text.data(), text.size()), 120);
  return head.size() < text.size() ? absl::StrCat(head, "...") : std::string(head);
}

}  // namespace

bool HasBox(std::string_view s) {
  for (size_t i = s.find("\\boxed"); i != std::string_view::npos; i = s.find("\\boxed", i + 1)) {
    const size_t p = SkipSpaces(s, i + 6);
    if (p < s.size() && s[p] == '{') return true;
  }
  return false;
}

bool FormatOk(std::string_view completion) {
  if (CountNonOverlapping(completion, kThinkClose, 2) != 1) return false;
  // rfind, not the counted hit: "\n</think>\n</think>\n" counts once but its last hit is later.
  const size_t last = completion.rfind(kThinkClose);
  const std::string_view after = completion.substr(last + kThinkClose.size());
  // `\\boxed\s*{\s*([^}]*)\s*}`: some box whose text up to the first '}' is not blank.
  size_t pos = 0;
  while (true) {
    const size_t hit = after.find("\\boxed", pos);
    if (hit == std::string_view::npos) return false;
    const size_t open = SkipSpaces(after, hit + 6);
    if (open >= after.size() || after[open] != '{') {
      pos = hit + 1;
      continue;
    }
    const size_t close = after.find('}', open + 1);
    if (close == std::string_view::npos) return false;
    for (size_t i = open + 1; i < close;) {
      const size_t n = IsSpaceAt(after, i);
      if (n == 0) return true;
      i += n;
    }
    pos = close + 1;
  }
}

std::string_view TextAfterThink(std::string_view completion) {
  size_t pos = completion.rfind('<');
  while (pos != std::string_view::npos) {
    const size_t end = MatchThinkTag(completion, pos);
    if (end != std::string_view::npos) return completion.substr(end);
    if (pos == 0) break;
    pos = completion.rfind('<', pos - 1);
  }
  return {};
}

bool MatchCoefficients(absl::Span<const double> gold, absl::Span<const double> predicted,
                       double tolerance, bool strict_count) {
  if (strict_count && gold.size() != predicted.size()) return false;
  absl::InlinedVector<bool, 32> used(predicted.size(), false);
  for (double g : gold) {
    bool matched = false;
    for (size_t i = 0; i < predicted.size(); ++i) {
      if (!used[i] && std::fabs(predicted[i] - g) <= tolerance) {
        used[i] = true;
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

absl::StatusOr<std::vector<double>> ParseGold(absl::Span<const std::string> gold) {
  const std::string joined = absl::StrJoin(gold, " ; ");
  std::vector<double> values;
  ExtractCoefficients(joined, /*gold=*/true, &values);
  if (values.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: gold answers contain no coefficient of P: \"", Preview(joined), "\""));
  }
  if (values.size() > kMaxGoldValues) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: ", values.size(), " gold values; at most ", kMaxGoldValues));
  }
  for (double v : values) {
    if (!std::isfinite(v)) {
      return absl::InvalidArgumentError(
          absl::StrCat("beam: gold value is not finite: ", Preview(joined)));
    }
  }
  return values;
}

absl::StatusOr<std::vector<std::string>> ParseGoldJson(std::string_view json) {
  const nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return absl::InvalidArgumentError(
        R"(beam: ground_truth is not JSON; expected BeamPERL's gold list, e.g. ["2.1P", "0.9P"])");
  }
  std::vector<std::string> gold;
  if (parsed.is_string()) {
    gold.push_back(parsed.get<std::string>());
    return gold;
  }
  if (!parsed.is_array() || parsed.empty()) {
    return absl::InvalidArgumentError(
        R"(beam: ground_truth must be a non-empty JSON list of strings, e.g. ["2.1P", "0.9P"])");
  }
  for (const nlohmann::json& item : parsed) {
    if (item.is_string()) {
      gold.push_back(item.get<std::string>());
    } else if (item.is_number()) {
      gold.push_back(item.dump());
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("beam: ground_truth item is not a string: ", item.dump()));
    }
  }
  return gold;
}

CompatResult ScoreCompat(std::string_view completion, absl::Span<const double> gold,
                         const CompatOptions& options) {
  CompatResult result;
  result.format_ok = FormatOk(completion);
  ExtractCoefficients(TextAfterThink(completion), /*gold=*/false, &result.predicted);
  result.accuracy_ok =
      MatchCoefficients(gold, result.predicted, options.tolerance, options.strict_count);
  result.has_box = result.format_ok || !result.predicted.empty() || HasBox(completion);
  result.score = options.format_weight * (result.format_ok ? 1.0 : 0.0) +
                 options.accuracy_weight * (result.accuracy_ok ? 1.0 : 0.0);
  return result;
}

}  // namespace arbiter::beam
