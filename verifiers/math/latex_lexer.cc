#include "verifiers/math/latex_lexer.h"

#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace arbiter::math {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Commands that only change spacing or size: dropped.
constexpr std::array<absl::string_view, 24> kSilent = {
    "left", "right", "displaystyle", "textstyle", "!",        ",",    ";",      ":",
    " ",    "quad",  "qquad",        "big",       "Big",      "bigl", "bigr",   "Bigl",
    "Bigr", "biggl", "biggr",        "limits",    "nolimits", "circ", "degree", "$"};

constexpr std::array<absl::string_view, 12> kTextLike = {
    "text", "textbf", "textit",     "textrm",       "mathrm", "mathbf",
    "mbox", "mathit", "textnormal", "operatorname", "mathsf", "textsf"};

class Lexer {
 public:
  explicit Lexer(absl::string_view in) : in_(in) {}

  std::vector<Token> Run() {
    while (pos_ < in_.size()) Step();
    out_.push_back(Token{Token::Kind::kEnd, ""});
    return std::move(out_);
  }

 private:
  void Emit(Token::Kind kind, std::string text) { out_.push_back(Token{kind, std::move(text)}); }

  // Skips a thousands separator ("," "{,}" "\," "\ " or " ") followed by exactly three digits
  // and no fourth; returns true when one was skipped.
  bool SkipThousandsSeparator() {
    for (absl::string_view sep : {",", "{,}", "\\,", "\\ ", "\\!", " "}) {
      if (!absl::StartsWith(in_.substr(pos_), sep)) continue;
      const size_t d = pos_ + sep.size();
      if (d + 3 <= in_.size() && IsDigit(in_[d]) && IsDigit(in_[d + 1]) && IsDigit(in_[d + 2]) &&
          (d + 3 == in_.size() || (!IsDigit(in_[d + 3]) && in_[d + 3] != '.'))) {
        pos_ = d;
        return true;
      }
    }
    return false;
  }

  void Number() {
    std::string digits;
    size_t group = 0;
    while (pos_ < in_.size() && IsDigit(in_[pos_])) digits.push_back(in_[pos_++]), ++group;
    if (group >= 1 && group <= 3 && digits.size() == group) {
      while (SkipThousandsSeparator()) {
        for (int i = 0; i < 3; ++i) digits.push_back(in_[pos_++]);
      }
    }
    if (pos_ + 1 < in_.size() && in_[pos_] == '.' && IsDigit(in_[pos_ + 1])) {
      digits.push_back(in_[pos_++]);
      while (pos_ < in_.size() && IsDigit(in_[pos_])) digits.push_back(in_[pos_++]);
    }
    // Plain-text scientific notation (Minerva's `4.5e33`): only when digits follow the e.
    if (pos_ + 1 < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      size_t p = pos_ + 1;
      if (p < in_.size() && (in_[p] == '+' || in_[p] == '-')) ++p;
      size_t q = p;
      while (q < in_.size() && IsDigit(in_[q])) ++q;
      if (q > p && (q == in_.size() || !absl::ascii_isalpha(in_[q]))) {
        digits.push_back('e');
        digits.append(std::string(in_.substr(pos_ + 1, q - pos_ - 1)));
        pos_ = q;
      }
    }
    Emit(Token::Kind::kNumber, std::move(digits));
  }

  // The content of a braced group starting at pos_ ('{'), braces balanced; pos_ moves past it.
  std::string BracedRaw() {
    int depth = 0;
    const size_t start = pos_ + 1;
    for (; pos_ < in_.size(); ++pos_) {
      if (in_[pos_] == '\\' && pos_ + 1 < in_.size()) {
        ++pos_;
        continue;
      }
      if (in_[pos_] == '{') ++depth;
      if (in_[pos_] == '}' && --depth == 0) {
        ++pos_;
        return std::string(in_.substr(start, pos_ - 1 - start));
      }
    }
    return std::string(in_.substr(start));
  }

  void Command() {
    ++pos_;  // backslash
    if (pos_ >= in_.size()) return;
    const char c = in_[pos_];
    if (!absl::ascii_isalpha(c)) {
      ++pos_;
      switch (c) {
        case '\\':
          return Emit(Token::Kind::kCommand, "\\");
        case '{':
          return Emit(Token::Kind::kCommand, "{");
        case '}':
          return Emit(Token::Kind::kCommand, "}");
        case '%':
          return Emit(Token::Kind::kChar, "%");
        case '|':
          return Emit(Token::Kind::kChar, "|");
        default:
          return;  // \, \! \; \: \  \$ and the like
      }
    }
    const size_t start = pos_;
    while (pos_ < in_.size() && absl::ascii_isalpha(in_[pos_])) ++pos_;
    std::string name(in_.substr(start, pos_ - start));
    for (absl::string_view s : kSilent) {
      if (name == s) return;
    }
    if (name == "dfrac" || name == "tfrac" || name == "cfrac") name = "frac";
    if (name == "cdot" || name == "times" || name == "ast") return Emit(Token::Kind::kChar, "*");
    if (name == "div") return Emit(Token::Kind::kChar, "/");
    if (name == "le" || name == "leq" || name == "leqslant") return Emit(Token::Kind::kChar, "<=");
    if (name == "ge" || name == "geq" || name == "geqslant") return Emit(Token::Kind::kChar, ">=");
    if (name == "ne" || name == "neq") return Emit(Token::Kind::kChar, "!=");
    if (name == "lt") return Emit(Token::Kind::kChar, "<");
    if (name == "gt") return Emit(Token::Kind::kChar, ">");
    if (name == "lbrace") return Emit(Token::Kind::kCommand, "{");
    if (name == "rbrace") return Emit(Token::Kind::kCommand, "}");
    if (name == "vert" || name == "lvert" || name == "rvert" || name == "mid") {
      return Emit(Token::Kind::kChar, "|");
    }
    for (absl::string_view t : kTextLike) {
      if (name != t) continue;
      while (pos_ < in_.size() && in_[pos_] == ' ') ++pos_;
      if (pos_ < in_.size() && in_[pos_] == '{') return Emit(Token::Kind::kText, BracedRaw());
      return;
    }
    Emit(Token::Kind::kCommand, std::move(name));
  }

  // Multi-byte characters that mean something; others are skipped.
  bool Unicode() {
    static constexpr std::array<std::pair<absl::string_view, absl::string_view>, 10> kMap = {{
        {"\xC3\x97", "*"},          // ×
        {"\xC3\xB7", "/"},          // ÷
        {"\xE2\x88\x92", "-"},      // −
        {"\xE2\x89\xA4", "<="},     // ≤
        {"\xE2\x89\xA5", ">="},     // ≥
        {"\xE2\x89\xA0", "!="},     // ≠
        {"\xC2\xB0", ""},           // °
        {"\xCF\x80", "pi"},         // π
        {"\xE2\x88\x9E", "infty"},  // ∞
        {"\xE2\x8B\x85", "*"},      // ⋅
    }};
    for (const auto& [utf8, meaning] : kMap) {
      if (!absl::StartsWith(in_.substr(pos_), utf8)) continue;
      pos_ += utf8.size();
      if (meaning == "pi" || meaning == "infty") {
        Emit(Token::Kind::kCommand, std::string(meaning));
      } else if (!meaning.empty()) {
        Emit(Token::Kind::kChar, std::string(meaning));
      }
      return true;
    }
    return false;
  }

  void Step() {
    const char c = in_[pos_];
    if (IsDigit(c) || (c == '.' && pos_ + 1 < in_.size() && IsDigit(in_[pos_ + 1]))) {
      return Number();
    }
    if (c == '^') {
      // Degrees: `^\circ`, `^{\circ}` vanish.
      for (absl::string_view deg : {"^\\circ", "^{\\circ}"}) {
        if (absl::StartsWith(in_.substr(pos_), deg)) {
          pos_ += deg.size();
          return;
        }
      }
    }
    if (c == '\\') return Command();
    if (absl::ascii_isalpha(c)) return Emit(Token::Kind::kIdent, std::string(1, in_[pos_++]));
    if (c == '{' && absl::StartsWith(in_.substr(pos_), "{,}")) {
      pos_ += 3;
      return Emit(Token::Kind::kChar, ",");
    }
    if ((c == '<' || c == '>' || c == '!') && pos_ + 1 < in_.size() && in_[pos_ + 1] == '=') {
      pos_ += 2;
      return Emit(Token::Kind::kChar, std::string{c, '='});
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      if (!Unicode()) ++pos_;
      return;
    }
    ++pos_;
    static constexpr absl::string_view kChars = "+-*/^_()[]{},;=<>!|&%'";
    if (absl::StrContains(kChars, c)) Emit(Token::Kind::kChar, std::string(1, c));
    // Whitespace, '$', '~', '.', ':' and other punctuation carry no meaning in an answer.
  }

  absl::string_view in_;
  size_t pos_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> Lex(absl::string_view input) { return Lexer(input).Run(); }

}  // namespace arbiter::math
