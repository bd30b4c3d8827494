#include "verifiers/math/minerva_normalize.h"

#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

namespace arbiter::math {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kSubstitutions = {{
    {"an ", ""},
    {"a ", ""},
    {".$", "$"},
    {"\\$", ""},
    {"\\ ", ""},
    {" ", ""},
    {"mbox", "text"},
    {",\\text{and}", ","},
    {"\\text{and}", ","},
    {"\\text{m}", "\\text{}"},
}};

constexpr std::array<std::string_view, 41> kRemoved = {
    "square",     "ways",       "integers",  "dollars",      "mph",
    "inches",     "hours",      "km",        "units",        "\\ldots",
    "sue",        "points",     "feet",      "minutes",      "digits",
    "cents",      "degrees",    "cm",        "gm",           "pounds",
    "meters",     "meals",      "edges",     "students",     "childrentickets",
    "multiples",  "\\text{s}",  "\\text{.}", "\\text{\ns}",  "\\text{}^2",
    "\\text{}^3", "\\text{\n}", "\\text{}",  "\\mathrm{th}", "^\\circ",
    "^{\\circ}",  "\\;",        ",\\!",      "{,}",          "\"",
    "\\dots"};

// Python str.replace: every non-overlapping occurrence, left to right.
void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out.append(to);
  }
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}

// re.sub(r"(.*?)(\$)(.*?)(\$)(.*)", "$\3$", s): per line, a line with two `$` becomes the text
// between its first two `$`, re-wrapped.
std::string DollarRewrite(const std::string& s) {
  std::string out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    const size_t end = nl == std::string::npos ? s.size() : nl;
    const std::string line = s.substr(start, end - start);
    const size_t a = line.find('$');
    const size_t b = a == std::string::npos ? std::string::npos : line.find('$', a + 1);
    if (b != std::string::npos) {
      out += "$" + line.substr(a + 1, b - a - 1) + "$";
    } else {
      out += line;
    }
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
  }
  return out;
}

// re.sub(r"(\\PREFIX\{)(.*?)(\})", r"\2", s) for lazy, and (.*) for greedy: `.` stops at '\n'.
std::string UnwrapCommand(const std::string& s, std::string_view prefix, bool greedy) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t hit = s.find(prefix, pos);
    if (hit == std::string::npos) break;
    const size_t content = hit + prefix.size();
    const size_t line_end = std::min(s.find('\n', content), s.size());
    size_t close = std::string::npos;
    if (greedy) {
      const size_t last = s.rfind('}', line_end == s.size() ? std::string::npos : line_end);
      if (last != std::string::npos && last >= content && last < line_end) close = last;
    } else {
      const size_t first = s.find('}', content);
      if (first != std::string::npos && first < line_end) close = first;
    }
    if (close == std::string::npos) {
      out.append(s, pos, content - pos);
      pos = content;
      continue;
    }
    out.append(s, pos, hit - pos);
    out.append(s, content, close - content);
    pos = close + 1;
  }
  out.append(s, std::min(pos, s.size()), std::string::npos);
  return out;
}

// re.sub(r"(frac)([^{])(.)", r"frac{\2}{\3}", s)
std::string FracRewrite(const std::string& s) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t hit = s.find("frac", pos);
    if (hit == std::string::npos || hit + 6 > s.size()) break;  // "frac" needs two more chars
    const char a = s[hit + 4];
    const char b = s[hit + 5];
    if (a == '{' || b == '\n') {
      out.append(s, pos, hit + 4 - pos);
      pos = hit + 4;
      continue;
    }
    out.append(s, pos, hit - pos);
    out += "frac{";
    out += a;
    out += "}{";
    out += b;
    out += "}";
    pos = hit + 6;
  }
  out.append(s, std::min(pos, s.size()), std::string::npos);
  return out;
}

// re.sub(r"(sqrt)([^{])", r"sqrt{\2}", s)
std::string SqrtRewrite(const std::string& s) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t hit = s.find("sqrt", pos);
    if (hit == std::string::npos || hit + 5 > s.size()) break;
    const char a = s[hit + 4];
    if (a == '{') {
      out.append(s, pos, hit + 4 - pos);
      pos = hit + 4;
      continue;
    }
    out.append(s, pos, hit - pos);
    out += "sqrt{";
    out += a;
    out += "}";
    pos = hit + 5;
  }
  out.append(s, std::min(pos, s.size()), std::string::npos);
  return out;
}

bool IsDigitString(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsWordChar(char c) {
  // Python's \w on str: letters, digits, underscore, and (approximately) any non-ASCII letter.
  return absl::ascii_isalnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// re.sub(rf"(?<!\\)\b{word}\b", "", s) for an alphabetic `word`.
void RemoveWord(std::string& s, std::string_view word) {
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(word, pos)) != std::string::npos;) {
    const bool start_ok = hit == 0 || (!IsWordChar(s[hit - 1]) && s[hit - 1] != '\\');
    const size_t end = hit + word.size();
    const bool end_ok = end == s.size() || !IsWordChar(s[end]);
    if (start_ok && end_ok) {
      out.append(s, pos, hit - pos);
      pos = end;
    } else {
      out.append(s, pos, hit + 1 - pos);
      pos = hit + 1;
    }
  }
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}

// Removes `word` everywhere except inside LaTeX command names (re.split(r"(\\[a-zA-Z]+)")).
void RemoveOutsideCommands(std::string& s, std::string_view word) {
  std::string out;
  std::string segment;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\\' && i + 1 < s.size() && absl::ascii_isalpha(s[i + 1])) {
      ReplaceAll(segment, word, "");
      out += segment;
      segment.clear();
      size_t j = i + 1;
      while (j < s.size() && absl::ascii_isalpha(s[j])) ++j;
      out.append(s, i, j - i);
      i = j;
    } else {
      segment.push_back(s[i++]);
    }
  }
  ReplaceAll(segment, word, "");
  out += segment;
  s = std::move(out);
}

bool IsAlphaWord(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (!absl::ascii_isalpha(c)) return false;
  }
  return true;
}

// re.sub(r"(sqrt)(\[[^\]]*\])(\w)", r"\1\2{\3}") then re.sub(r"(sqrt)(?!\[)([^{])", r"sqrt{\2}").
std::string LmEvalSqrt(const std::string& s) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t hit = s.find("sqrt", pos);
    if (hit == std::string::npos) break;
    size_t p = hit + 4;
    if (p < s.size() && s[p] == '[') {
      const size_t close = s.find(']', p);
      if (close != std::string::npos && close + 1 < s.size() && IsWordChar(s[close + 1])) {
        out.append(s, pos, close + 1 - pos);
        out += '{';
        out += s[close + 1];
        out += '}';
        pos = close + 2;
        continue;
      }
      out.append(s, pos, p - pos);
      pos = p;
      continue;
    }
    if (p < s.size() && s[p] != '{') {
      out.append(s, pos, hit - pos);
      out += "sqrt{";
      out += s[p];
      out += '}';
      pos = p + 1;
      continue;
    }
    out.append(s, pos, p - pos);
    pos = p;
  }
  out.append(s, std::min(pos, s.size()), std::string::npos);
  return out;
}

bool IsThousandsGrouped(const std::string& s) {
  size_t i = s.empty() || s[0] != '-' ? 0 : 1;
  size_t lead = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++lead;
  if (lead < 1 || lead > 3 || i == s.size()) return false;
  while (i < s.size()) {
    if (s[i] != ',' || i + 4 > s.size()) return false;
    for (size_t k = 1; k <= 3; ++k) {
      if (s[i + k] < '0' || s[i + k] > '9') return false;
    }
    i += 4;
  }
  return true;
}

}  // namespace

std::string LmEvalNormalize(absl::string_view final_answer) {
  const size_t eq = final_answer.rfind('=');
  std::string s(eq == absl::string_view::npos ? final_answer : final_answer.substr(eq + 1));
  for (std::string_view expr : kRemoved) {
    if (IsAlphaWord(expr)) RemoveWord(s, expr);
  }
  for (const auto& [before, after] : kSubstitutions) ReplaceAll(s, before, after);
  for (std::string_view expr : kRemoved) {
    if (IsAlphaWord(expr)) {
      RemoveOutsideCommands(s, expr);
    } else {
      ReplaceAll(s, expr, "");
    }
  }
  s = DollarRewrite(s);
  s = UnwrapCommand(s, "\\text{", false);
  s = UnwrapCommand(s, "\\textbf{", false);
  s = UnwrapCommand(s, "\\overline{", false);
  s = UnwrapCommand(s, "\\boxed{", true);
  s = FracRewrite(s);
  s = LmEvalSqrt(s);
  ReplaceAll(s, "$", "");
  if (IsThousandsGrouped(s)) ReplaceAll(s, ",", "");
  return s;
}

std::string MinervaNormalize(absl::string_view final_answer) {
  const size_t eq = final_answer.rfind('=');
  std::string s(eq == absl::string_view::npos ? final_answer : final_answer.substr(eq + 1));
  for (const auto& [before, after] : kSubstitutions) ReplaceAll(s, before, after);
  for (std::string_view expr : kRemoved) ReplaceAll(s, expr, "");
  s = DollarRewrite(s);
  s = UnwrapCommand(s, "\\text{", false);
  s = UnwrapCommand(s, "\\textbf{", false);
  s = UnwrapCommand(s, "\\overline{", false);
  s = UnwrapCommand(s, "\\boxed{", true);
  s = FracRewrite(s);
  s = SqrtRewrite(s);
  ReplaceAll(s, "$", "");
  std::string no_commas = s;
  ReplaceAll(no_commas, ",", "");
  if (IsDigitString(no_commas)) s = no_commas;
  return std::string(absl::StripAsciiWhitespace(s));
}

absl::string_view LastCodePoints(absl::string_view text, size_t n) {
  size_t count = 0;
  size_t i = text.size();
  while (i > 0 && count < n) {
    --i;
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;
  }
  return text.substr(i);
}

}  // namespace arbiter::math
