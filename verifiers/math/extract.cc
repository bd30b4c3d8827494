#include "verifiers/math/extract.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::math {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The braced groups of a text: the content of the group opening at text[open] == '{', or
// nullopt if unclosed. Matched once for the whole text on first use (one pass with a stack;
// `\x` escapes x), so a text full of unclosed `\frac{` stays linear where a scan per opener to
// the end of the text was quadratic (100 KiB of `$(\frac{`: 0.2 s, 26 s under ASan). Openers
// looked up are never escaped (they follow `\frac`, `\boxed` or spaces), so matching from the
// start of the text and from the opener agree.
class Braces {
 public:
  explicit Braces(absl::string_view text) : text_(text) {}

  std::optional<std::pair<size_t, size_t>> Braced(size_t open) {
    if (!built_) Build();
    if (open >= text_.size() || text_[open] != '{' || close_[open] == kNone) return std::nullopt;
    return std::make_pair(open + 1, close_[open]);
  }

 private:
  static constexpr size_t kNone = absl::string_view::npos;

  void Build() {
    built_ = true;
    close_.assign(text_.size(), kNone);
    std::vector<size_t> open;
    for (size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\\' && i + 1 < text_.size()) {
        ++i;
      } else if (text_[i] == '{') {
        open.push_back(i);
      } else if (text_[i] == '}' && !open.empty()) {
        close_[open.back()] = i;
        open.pop_back();
      }
    }
  }

  absl::string_view text_;
  bool built_ = false;
  std::vector<size_t> close_;  // index of the matching '}' per '{', kNone when unclosed
};

// Skips `\s*(,?and|,?or|,)\s*` at `pos`; false when there is no connector.
bool SkipConnector(absl::string_view text, size_t& pos) {
  size_t p = pos;
  while (p < text.size() && absl::ascii_isspace(text[p])) ++p;
  bool comma = false;
  if (p < text.size() && text[p] == ',') comma = true, ++p;
  bool word = false;
  for (absl::string_view w : {"and", "or"}) {
    if (text.substr(p, w.size()) == w) {
      p += w.size();
      word = true;
      break;
    }
  }
  if (!comma && !word) return false;
  while (p < text.size() && absl::ascii_isspace(text[p])) ++p;
  pos = p;
  return true;
}

// After a box closing at `close` inside an inline environment: the start of the next box that
// Math-Verify joins with it (`$\boxed{5}$ or $\boxed{6}$`), or npos.
size_t NextJoinedBox(absl::string_view text, size_t close) {
  size_t p = close + 1;
  while (p < text.size() && text[p] == ' ') ++p;
  if (text.substr(p, 1) == "$") {
    p += 1;
  } else if (text.substr(p, 2) == "\\]" || text.substr(p, 2) == "\\)") {
    p += 2;
  } else {
    return absl::string_view::npos;
  }
  if (!SkipConnector(text, p)) return absl::string_view::npos;
  if (text.substr(p, 1) == "$") {
    p += 1;
  } else if (text.substr(p, 2) == "\\[" || text.substr(p, 2) == "\\(") {
    p += 2;
  } else {
    return absl::string_view::npos;
  }
  while (p < text.size() && text[p] == ' ') ++p;
  return text.substr(p, 7) == "\\boxed{" ? p + 6 : absl::string_view::npos;
}

void Boxed(absl::string_view text, Braces& braces, std::vector<Candidate>& out) {
  for (absl::string_view macro : {"\\boxed", "\\fbox"}) {
    size_t pos = 0;
    while ((pos = text.find(macro, pos)) != absl::string_view::npos) {
      size_t p = pos + macro.size();
      pos = p;
      while (p < text.size() && text[p] == ' ') ++p;
      if (p < text.size() && text[p] == '{') {
        auto span = braces.Braced(p);
        if (!span) continue;
        Candidate c{std::string(text.substr(span->first, span->second - span->first)), 0,
                    span->second + 1};
        if (macro == "\\boxed") {
          std::vector<std::string> parts = {c.text};
          size_t next;
          while (parts.size() < 6 &&
                 (next = NextJoinedBox(text, span->second)) != absl::string_view::npos) {
            auto more = braces.Braced(next);
            if (!more) break;
            parts.emplace_back(text.substr(more->first, more->second - more->first));
            span = more;
          }
          if (parts.size() > 1) {
            c.parts = std::move(parts);
            c.text = absl::StrJoin(c.parts, ", ");
            c.end = span->second + 1;
            pos = c.end;
          }
        }
        out.push_back(std::move(c));
      } else if (p < text.size() && p > pos) {  // `\boxed 5`
        size_t q = p;
        while (q < text.size() && !absl::ascii_isspace(text[q]) && text[q] != '$') ++q;
        out.push_back({std::string(text.substr(p, q - p)), 0, q});
      }
    }
  }
}

// A LaTeX environment starting at i: content [begin, end), match ends at `after`.
struct Env {
  size_t begin, end, after;
};

// Finds closing delimiters with memoised searches, so scanning a text full of unclosed openers
// stays linear: a search from `from` reuses the previous result while it is still ahead.
class Finder {
 public:
  explicit Finder(absl::string_view text) : text_(text) {}
  size_t Find(absl::string_view needle, size_t from) {
    Memo& m = memo_[Slot(needle)];
    if (m.valid && m.from <= from && (m.pos == absl::string_view::npos || m.pos >= from)) {
      return m.pos;
    }
    m = Memo{true, from, text_.find(needle, from)};
    return m.pos;
  }

 private:
  struct Memo {
    bool valid = false;
    size_t from = 0;
    size_t pos = 0;
  };
  static int Slot(absl::string_view needle) {
    if (needle == "$$") return 0;
    if (needle == "\\]") return 1;
    if (needle == "\\)") return 2;
    if (needle == "$") return 3;
    return 4;
  }
  absl::string_view text_;
  Memo memo_[5];
};

std::optional<Env> EnvAt(absl::string_view text, size_t i, Finder& finder) {
  auto close = [&](size_t from, absl::string_view closing, bool single_line) -> std::optional<Env> {
    size_t j = finder.Find(closing, from);
    if (j == from && closing == "$") j = finder.Find(closing, from + 1);  // `$$` is not `$ $`
    if (j == absl::string_view::npos || j == from) return std::nullopt;
    if (single_line && finder.Find("\n", from) < j) return std::nullopt;
    return Env{from, j, j + closing.size()};
  };
  if (text.substr(i, 2) == "$$") return close(i + 2, "$$", false);
  if (text.substr(i, 2) == "\\[") return close(i + 2, "\\]", false);
  if (text.substr(i, 2) == "\\(") return close(i + 2, "\\)", true);
  if (text[i] == '$' && (i == 0 || (text[i - 1] != '\\' && !IsDigit(text[i - 1])))) {
    return close(i + 1, "$", true);
  }
  return std::nullopt;
}

// A bare number or simple expression starting at i (Math-Verify's expr/number regexes, loosely):
// preceded by start, whitespace or '='; an optional currency sign; digits with separators and
// operators; an optional percent.
std::optional<Candidate> NumberAt(absl::string_view text, size_t i) {
  if (i > 0) {
    const char prev = text[i - 1];
    if (!absl::ascii_isspace(prev) && prev != '=' && prev != '*' && prev != '$')
      return std::nullopt;
    if (prev == '$' && i > 1 && !absl::ascii_isspace(text[i - 2]) && text[i - 2] != '=') {
      return std::nullopt;
    }
  }
  size_t p = i;
  if (p < text.size() && text[p] == '-') ++p;
  if (p < text.size() && text[p] == '(') ++p;
  if (p >= text.size() ||
      !(IsDigit(text[p]) || (text[p] == '.' && p + 1 < text.size() && IsDigit(text[p + 1])))) {
    return std::nullopt;
  }
  size_t q = p;
  static constexpr absl::string_view kExprChars = "0123456789.+-*/^() ,";
  while (q < text.size() && absl::StrContains(kExprChars, text[q])) ++q;
  // Trim trailing separators and unbalanced closers.
  while (q > p && absl::StrContains(" .,+-*/^(", text[q - 1])) --q;
  std::string s(text.substr(i, q - i));
  int balance = 0;
  for (char c : s) balance += c == '(' ? 1 : c == ')' ? -1 : 0;
  while (balance < 0 && !s.empty() && s.back() == ')') s.pop_back(), ++balance;
  if (balance != 0) return std::nullopt;
  // A comma list of numbers is not one answer unless it is thousands separators.
  if (absl::StrContains(s, ", ")) s = s.substr(s.rfind(", ") + 2);
  Candidate c{s, 300, q};
  size_t r = q;
  while (r < text.size() && text[r] == ' ') ++r;
  if (r < text.size() && text[r] == '%') c.percent = true;
  if (absl::StartsWithIgnoreCase(text.substr(r), "percent")) c.percent = true;
  return c;
}

void Plain(absl::string_view text, Braces& braces, size_t from, size_t to, int priority,
           std::vector<Candidate>& out, bool first_only) {
  Finder finder(text);
  for (size_t i = from; i < to && i < text.size(); ++i) {
    if (std::optional<Env> env = EnvAt(text, i, finder)) {
      std::string content(text.substr(env->begin, env->end - env->begin));
      size_t after = env->after;
      Candidate c{content, priority, after};
      // Adjacent environments joined by a connector: `$1$ and $2$`.
      std::vector<std::string> parts = {content};
      size_t p = env->after;
      while (parts.size() < 6 && SkipConnector(text, p) && p < text.size()) {
        std::optional<Env> more = EnvAt(text, p, finder);
        if (!more) break;
        parts.emplace_back(text.substr(more->begin, more->end - more->begin));
        after = more->after;
        p = more->after;
      }
      if (parts.size() > 1) {
        c.parts = std::move(parts);
        c.text = absl::StrJoin(c.parts, ", ");
        c.end = after;
      }
      const size_t end = after;
      while (after < text.size() && text[after] == ' ') ++after;
      if (text.substr(after, 2) == "\\%" || text.substr(after, 1) == "%") c.percent = true;
      out.push_back(std::move(c));
      if (first_only) return;
      i = end - 1;
      continue;
    }
    if (text.substr(i, 5) == "\\frac") {
      size_t q = i + 5;
      auto a = q < text.size() && text[q] == '{' ? braces.Braced(q) : std::nullopt;
      auto b = a && a->second + 1 < text.size() && text[a->second + 1] == '{'
                   ? braces.Braced(a->second + 1)
                   : std::nullopt;
      if (b) {
        out.push_back({std::string(text.substr(i, b->second + 1 - i)), priority, b->second + 1});
        if (first_only) return;
        i = b->second;
        continue;
      }
    }
    if (std::optional<Candidate> n = NumberAt(text, i)) {
      n->priority = priority;
      const size_t end = n->end;
      out.push_back(*std::move(n));
      if (first_only) return;
      i = end - 1;
    }
  }
}

// The last 16 occurrences of `needle`: anchors earlier than that never win over later ones in
// practice, and bounding them keeps a text made of "answer answer ..." linear.
std::vector<size_t> Occurrences(const std::string& haystack, std::string_view needle) {
  std::vector<size_t> out;
  size_t pos = haystack.size();
  while (out.size() < 16 && pos > 0) {
    pos = haystack.rfind(needle, pos - 1);
    if (pos == std::string::npos) break;
    out.push_back(pos);
  }
  return out;
}

void Anchored(absl::string_view text, Braces& braces, std::vector<Candidate>& out) {
  const std::string lower = absl::AsciiStrToLower(text);
  // "final answer is X. I hope" (0) and "final answer ... is X" (50).
  for (size_t pos : Occurrences(lower, "final answer")) {
    const size_t is = lower.find(" is", pos + 12);
    if (is == std::string::npos || is > pos + 12 + 100) continue;
    size_t start = is + 3;
    if (start < text.size() && text[start] == ':') ++start;
    const size_t hope = lower.find("i hope", start);
    const size_t line_end = std::min(lower.find('\n', start), text.size());
    if (hope != std::string::npos && hope < line_end && is == pos + 12) {
      std::string x(absl::StripAsciiWhitespace(text.substr(start, hope - start)));
      if (!x.empty() && x.back() == '.') x.pop_back();
      out.push_back({x, 0, hope});
    }
    Plain(text, braces, start, std::min(start + 200, text.size()), 50, out, /*first_only=*/true);
  }
  // "answer: ... X" (100) and "answer ... X" (200).
  for (size_t pos : Occurrences(lower, "answer")) {
    size_t start = pos + 6;
    const bool colon = start < text.size() && text[start] == ':';
    if (colon) ++start;
    const size_t line_end = std::min(lower.find('\n', start), text.size());
    const size_t eq = text.substr(start, std::min<size_t>(100, line_end - start)).rfind('=');
    const size_t from = eq == absl::string_view::npos ? start : start + eq + 1;
    Plain(text, braces, from, std::min(from + 50, line_end), colon ? 100 : 200, out, true);
  }
}

}  // namespace

std::string LastBoxed(absl::string_view text, bool* found) {
  std::vector<Candidate> boxes;
  Braces braces(text);
  Boxed(text, braces, boxes);
  *found = !boxes.empty();
  if (boxes.empty()) return "";
  auto last =
      std::max_element(boxes.begin(), boxes.end(),
                       [](const Candidate& a, const Candidate& b) { return a.end < b.end; });
  return last->text;
}

std::vector<Candidate> FindCandidates(absl::string_view completion, size_t max_scan_bytes) {
  const absl::string_view text = sdk::Utf8Suffix(completion, max_scan_bytes);
  std::vector<Candidate> out;
  Braces braces(text);
  Boxed(text, braces, out);
  Anchored(text, braces, out);
  Plain(text, braces, 0, text.size(), 300, out, /*first_only=*/false);
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.end > b.end;
  });
  // Bound the parse attempts: a 64 KiB garbage answer has thousands of numbers.
  if (out.size() > 64) out.resize(64);
  return out;
}

bool HasMathDelimiters(absl::string_view gold) {
  bool dollar = false;  // an unescaped `$` (`\$5` is a price, not math mode)
  for (size_t i = 0; i < gold.size() && !dollar; ++i) {
    dollar = gold[i] == '$' && (i == 0 || gold[i - 1] != '\\');
  }
  return dollar || absl::StrContains(gold, "\\(") || absl::StrContains(gold, "\\[") ||
         absl::StrContains(gold, "\\boxed");
}

}  // namespace arbiter::math
