#include "verifiers/math/reference_graders.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "verifiers/math/extract.h"
#include "verifiers/math/minerva_normalize.h"

namespace arbiter::math {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Last match of (?i)Answer\s*:\s*([^\n]+).
std::optional<std::string> LastAnswerLine(absl::string_view text) {
  std::optional<std::string> found;
  const std::string lower = absl::AsciiStrToLower(text);
  for (size_t pos = 0; (pos = lower.find("answer", pos)) != std::string::npos; ++pos) {
    size_t p = pos + 6;
    while (p < text.size() && IsSpace(text[p])) ++p;
    if (p >= text.size() || text[p] != ':') continue;
    ++p;
    while (p < text.size() && IsSpace(text[p])) ++p;
    // \s* may have eaten newlines; [^\n]+ needs at least one character.
    const size_t end = std::min(text.find('\n', p), text.size());
    if (end > p) {
      found = std::string(text.substr(p, end - p));
    } else if (p >= text.size()) {
      // The whitespace after ':' runs to the end: \s* backtracks and ([^\n]+) takes the last
      // non-newline whitespace character, if there is one.
      const absl::string_view run = text.substr(pos + 6);
      const size_t last = run.find_last_of(" \t\r\f\v");
      if (last != absl::string_view::npos && run.find(':') < last)
        found = std::string(run.substr(last, 1));
    }
  }
  return found;
}

bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.' || c == ','; }

}  // namespace

StringGrade GradeDapo(absl::string_view completion, absl::string_view gold, bool strict_box) {
  const absl::string_view tail = LastCodePoints(completion, 300);
  StringGrade g;
  if (strict_box) {
    bool found = false;
    std::string boxed = LastBoxed(LastCodePoints(tail, 100), &found);
    if (found) g.extracted = boxed;
    g.normalized_prediction = boxed;
    g.normalized_gold = std::string(gold);
    g.correct = found && boxed == gold;
    return g;
  }
  g.extracted = LastAnswerLine(tail);
  g.normalized_prediction = MinervaNormalize(g.extracted ? *g.extracted : "[INVALID]");
  g.normalized_gold = MinervaNormalize(gold);
  g.correct = g.normalized_prediction == g.normalized_gold;
  return g;
}

StringGrade GradeGsm8k(absl::string_view completion, absl::string_view gold, bool flexible,
                       bool parity) {
  const absl::string_view text = parity ? LastCodePoints(completion, 300) : completion;
  StringGrade g;
  g.normalized_gold = std::string(gold);
  if (!flexible) {
    for (size_t pos = 0; (pos = text.find("#### ", pos)) != absl::string_view::npos; ++pos) {
      size_t p = pos + 5;
      const size_t start = p;
      if (p < text.size() && text[p] == '-') ++p;
      while (p < text.size() && IsNumberChar(text[p])) ++p;
      if (p > start + (text[start] == '-' ? 1 : 0))
        g.extracted = std::string(text.substr(start, p - start));
    }
    if (g.extracted) {
      g.normalized_prediction = absl::StrReplaceAll(*g.extracted, {{",", ""}, {"$", ""}});
    }
  } else {
    // re.findall("(\-?[0-9\.\,]+)"), last one not in {"", "."}.
    std::vector<std::string> runs;
    for (size_t p = 0; p < text.size();) {
      const size_t start = p;
      if (text[p] == '-' && p + 1 < text.size() && IsNumberChar(text[p + 1])) ++p;
      if (!IsNumberChar(text[p])) {
        p = start + 1;
        continue;
      }
      while (p < text.size() && IsNumberChar(text[p])) ++p;
      runs.emplace_back(text.substr(start, p - start));
    }
    if (!runs.empty()) {
      const auto last = std::find_if(runs.rbegin(), runs.rend(), [](const std::string& run) {
        return !run.empty() && run != ".";
      });
      g.extracted = last != runs.rend() ? *last : runs.front();
    }
    if (g.extracted) g.normalized_prediction = *g.extracted;
  }
  if (!g.extracted) return g;
  if (!parity && absl::EndsWith(g.normalized_prediction, ".")) g.normalized_prediction.pop_back();
  g.correct = g.normalized_prediction == gold;
  return g;
}

std::optional<std::string> MinervaExtract(absl::string_view completion) {
  const std::string text = std::string(completion) + "I hope it is correct.";
  static constexpr std::string_view kPrefix = "Final Answer: The final answer is";
  static constexpr std::string_view kSuffix = " I hope it is correct.";
  for (size_t pos = 0; (pos = text.find(kPrefix, pos)) != std::string::npos; ++pos) {
    // (.*?). then the suffix: the group is lazy and cannot cross a newline; the '.' before the
    // suffix is any character but a newline.
    const size_t start = pos + kPrefix.size();
    for (size_t end = start; end < text.size() && text[end] != '\n'; ++end) {
      if (end + 1 + kSuffix.size() <= text.size() && text[end] != '\n' &&
          text.compare(end + 1, kSuffix.size(), kSuffix) == 0) {
        return std::string(absl::StripAsciiWhitespace(text.substr(start, end - start)));
      }
    }
  }
  return std::nullopt;
}

namespace {

// A single choice letter from a short answer: "B", "(B)", "\text{B}", "B.", "B)".
std::optional<char> Letter(absl::string_view s, absl::string_view choices) {
  std::string t;
  for (char c : s) {
    if (absl::ascii_isalnum(c)) t.push_back(c);
  }
  if (absl::StartsWith(t, "text")) t = t.substr(4);
  if (absl::StartsWith(t, "textbf")) t = t.substr(6);
  if (t.size() != 1) return std::nullopt;
  const char upper = absl::ascii_toupper(t[0]);
  if (!absl::StrContains(choices, upper)) return std::nullopt;
  return upper;
}

std::optional<char> PatternLetter(absl::string_view text, absl::string_view choices) {
  const std::string lower = absl::AsciiStrToLower(text);
  std::optional<char> found;
  size_t found_at = 0;
  for (std::string_view anchor : {"answer is", "answer:", "option", "choice", "answer"}) {
    for (size_t pos = 0; (pos = lower.find(anchor, pos)) != std::string::npos; ++pos) {
      size_t p = pos + anchor.size();
      while (p < text.size() && (IsSpace(text[p]) || text[p] == ':' || text[p] == '(' ||
                                 text[p] == '*' || text[p] == '$' || text[p] == '{')) {
        ++p;
      }
      if (absl::StartsWith(text.substr(p), "\\text{")) p += 6;
      if (absl::StartsWith(text.substr(p), "\\textbf{")) p += 8;
      if (p >= text.size()) continue;
      const char c = absl::ascii_toupper(text[p]);
      const bool alone = p + 1 >= text.size() || !absl::ascii_isalnum(text[p + 1]);
      if (absl::ascii_isupper(text[p]) || (absl::ascii_islower(text[p]) && alone)) {
        if (alone && absl::StrContains(choices, c) && (!found || pos >= found_at)) {
          found = c;
          found_at = pos;
        }
      }
    }
  }
  return found;
}

}  // namespace

StringGrade GradeMultipleChoice(absl::string_view completion, absl::string_view gold,
                                absl::string_view choices) {
  StringGrade g;
  std::optional<char> gold_letter = Letter(gold, choices);
  g.normalized_gold = gold_letter ? std::string(1, *gold_letter) : std::string(gold);
  bool found = false;
  std::string boxed = LastBoxed(completion, &found);
  std::optional<char> letter = found ? Letter(boxed, choices) : std::nullopt;
  if (letter) {
    g.extracted = boxed;
  } else {
    letter = PatternLetter(completion, choices);
    if (!letter) letter = Letter(absl::StripAsciiWhitespace(completion), choices);
    if (letter) g.extracted = std::string(1, *letter);
  }
  if (!letter) return g;
  g.normalized_prediction = std::string(1, *letter);
  g.correct = gold_letter.has_value() && *letter == *gold_letter;
  return g;
}

}  // namespace arbiter::math
