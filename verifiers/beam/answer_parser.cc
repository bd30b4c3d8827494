#include "verifiers/beam/answer_parser.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <new>
#include <string>

#include "absl/strings/str_cat.h"
#include "verifiers/beam/expr.h"

namespace arbiter::beam {
namespace {

using GiNaC::ex;

constexpr size_t kMaxAnswerChars = 2000;
constexpr int kMaxDepth = 64;
constexpr int kMaxSymbolicPowers = 4;

constexpr double kMaxDegree = 12;

// Upper bound of the total degree (negative exponents count by magnitude).
double Degree(const ex& e) {
  if (GiNaC::is_a<GiNaC::symbol>(e)) return 1;
  if (GiNaC::is_a<GiNaC::add>(e)) {
    double d = 0;
    for (size_t i = 0; i < e.nops(); ++i) d = std::max(d, Degree(e.op(i)));
    return d;
  }
  if (GiNaC::is_a<GiNaC::mul>(e)) {
    double d = 0;
    for (size_t i = 0; i < e.nops(); ++i) d += Degree(e.op(i));
    return d;
  }
  if (GiNaC::is_a<GiNaC::power>(e) && GiNaC::is_a<GiNaC::numeric>(e.op(1))) {
    return Degree(e.op(0)) * std::fabs(GiNaC::ex_to<GiNaC::numeric>(e.op(1)).to_double());
  }
  return 0;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  absl::StatusOr<ex> ParseAll() {
    ex e;
    if (absl::Status st = Expr(&e, 0); !st.ok()) return st;
    Skip();
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      Skip();
    }
    if (pos_ != s_.size()) return Error("unexpected text");
    // Expansion cost grows with the degree: (P+L+q+M)^81 has 95,284 terms. Reactions have
    // degree ≤ 3 or so; anything above kMaxDegree is refused before anyone expands it.
    if (Degree(e) > kMaxDegree) return Error("expression degree too high");
    return e;
  }

 private:
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("answer: ", std::string(what), " at offset ", pos_));
  }
  bool Starts(std::string_view t) const { return s_.substr(pos_, t.size()) == t; }
  // A LaTeX command name at pos_ ("\frac" → "frac"); empty if none.
  std::string_view Command() const {
    if (pos_ >= s_.size() || s_[pos_] != '\\') return {};
    size_t e = pos_ + 1;
    while (e < s_.size() && IsAlpha(s_[e])) ++e;
    if (e == pos_ + 1 && e < s_.size()) ++e;  // one-character command such as "\,"
    return s_.substr(pos_ + 1, e - pos_ - 1);
  }
  // Skips a {...} group starting at pos_ (balanced); false if unbalanced.
  bool SkipGroup(std::string_view* content) {
    if (pos_ >= s_.size() || s_[pos_] != '{') return false;
    int depth = 0;
    for (size_t i = pos_; i < s_.size(); ++i) {
      if (s_[i] == '{') ++depth;
      if (s_[i] == '}' && --depth == 0) {
        *content = s_.substr(pos_ + 1, i - pos_ - 1);
        pos_ = i + 1;
        return true;
      }
    }
    return false;
  }
  static bool IsSymbolText(std::string_view t) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return t == "P" || t == "L" || t == "q" || t == "M";
  }
  // Skips spaces and ignorable commands; stops before a \text group that holds a symbol.
  void Skip() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~' || c == '$') {
        ++pos_;
        continue;
      }
      if (Starts("\xC2\xA0")) {  // no-break space
        pos_ += 2;
        continue;
      }
      const std::string_view cmd = Command();
      if (cmd == "," || cmd == ";" || cmd == "!" || cmd == ":" || cmd == " " || cmd == "left" ||
          cmd == "right" || cmd == "displaystyle" || cmd == "uparrow" || cmd == "downarrow" ||
          cmd == "big" || cmd == "Big" || cmd == "quad") {
        pos_ += 1 + cmd.size();
        continue;
      }
      if (cmd == "text" || cmd == "mathrm" || cmd == "mathbf" || cmd == "textbf" ||
          cmd == "operatorname") {
        const size_t save = pos_;
        pos_ += 1 + cmd.size();
        while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
        std::string_view content;
        if (!SkipGroup(&content) || IsSymbolText(content)) {
          pos_ = save;
          return;
        }
        continue;
      }
      return;
    }
  }

  absl::Status Expr(ex* out, int depth) {
    if (depth > kMaxDepth) return Error("nesting too deep");
    ex acc;
    if (absl::Status st = Term(&acc, depth + 1); !st.ok()) return st;
    while (true) {
      Skip();
      int sign = 0;
      if (Starts("+")) {
        sign = 1, pos_ += 1;
      } else if (Starts("-")) {
        sign = -1, pos_ += 1;
      } else if (Starts("\xE2\x88\x92") || Starts("\xE2\x80\x93")) {  // U+2212, U+2013
        sign = -1, pos_ += 3;
      } else {
        break;
      }
      ex rhs;
      if (absl::Status st = Term(&rhs, depth + 1); !st.ok()) return st;
      acc = sign > 0 ? acc + rhs : acc - rhs;
    }
    *out = acc;
    return absl::OkStatus();
  }

  bool AtPrimaryStart() {
    Skip();
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (IsDigit(c) || c == '(' || c == '[' || c == '{') return true;
    if (c == '.') return pos_ + 1 < s_.size() && IsDigit(s_[pos_ + 1]);
    if (c == 'P' || c == 'L' || c == 'q' || c == 'M') return true;
    const std::string_view cmd = Command();
    return cmd == "frac" || cmd == "dfrac" || cmd == "tfrac" || cmd == "text" || cmd == "mathrm" ||
           cmd == "mathbf" || cmd == "textbf" || cmd == "operatorname";
  }

  absl::Status Term(ex* out, int depth) {
    if (depth > kMaxDepth) return Error("nesting too deep");
    ex acc;
    if (absl::Status st = Unary(&acc, depth + 1); !st.ok()) return st;
    while (true) {
      Skip();
      bool divide = false;
      const std::string_view cmd = Command();
      if (Starts("*")) {
        pos_ += 1;
      } else if (cmd == "cdot" || cmd == "times") {
        pos_ += 1 + cmd.size();
      } else if (Starts("\xC2\xB7") || Starts("\xC3\x97")) {  // · ×
        pos_ += 2;
      } else if (Starts("\xE2\x8B\x85")) {  // ⋅
        pos_ += 3;
      } else if (Starts("/")) {
        divide = true, pos_ += 1;
      } else if (cmd == "div") {
        divide = true, pos_ += 4;
      } else if (Starts("\xC3\xB7")) {  // ÷
        divide = true, pos_ += 2;
      } else if (!AtPrimaryStart()) {
        break;
      }
      ex rhs;
      if (absl::Status st = Unary(&rhs, depth + 1); !st.ok()) return st;
      if (divide && rhs.is_zero()) return Error("division by zero");
      acc = divide ? acc / rhs : acc * rhs;
    }
    *out = acc;
    return absl::OkStatus();
  }

  absl::Status Unary(ex* out, int depth) {
    if (depth > kMaxDepth) return Error("nesting too deep");
    Skip();
    if (Starts("-") || Starts("+") || Starts("\xE2\x88\x92") || Starts("\xE2\x80\x93")) {
      const bool negative = !Starts("+");
      pos_ += Starts("-") || Starts("+") ? 1 : 3;
      ex inner;
      if (absl::Status st = Unary(&inner, depth + 1); !st.ok()) return st;
      *out = negative ? -inner : inner;
      return absl::OkStatus();
    }
    return Power(out, depth + 1);
  }

  absl::Status Power(ex* out, int depth) {
    ex base;
    if (absl::Status st = Primary(&base, depth + 1); !st.ok()) return st;
    Skip();
    if (!Starts("^")) {
      *out = base;
      return absl::OkStatus();
    }
    ++pos_;
    Skip();
    ex exponent;
    if (absl::Status st = Starts("-") ? Unary(&exponent, depth + 1) : Primary(&exponent, depth + 1);
        !st.ok()) {
      return st;
    }
    if (!IsNumber(exponent) || !GiNaC::ex_to<GiNaC::numeric>(exponent).is_integer() ||
        GiNaC::abs(GiNaC::ex_to<GiNaC::numeric>(exponent)) > 9) {
      return Error("exponent must be an integer between -9 and 9");
    }
    const int n = GiNaC::ex_to<GiNaC::numeric>(exponent).to_int();
    if (IsNumber(base)) {
      const double magnitude = std::fabs(GiNaC::ex_to<GiNaC::numeric>(base).to_double());
      // GiNaC throws for these from inside the ex constructor and leaks the power it allocated.
      if (base.is_zero() && n < 0) return Error("division by zero");
      if (base.is_zero() && n == 0) return Error("0^0 is undefined");
      if (magnitude > 0 && std::fabs(std::log10(magnitude) * n) > 100) {
        return Error("number too large");
      }
    } else if (++symbolic_powers_ > kMaxSymbolicPowers) {
      return Error("too many powers");
    }
    *out = GiNaC::pow(base, n);
    return absl::OkStatus();
  }

  absl::Status Number(ex* out) {
    const size_t start = pos_;
    std::string digits;
    size_t decimals = 0;
    bool dot = false;
    while (pos_ < s_.size() && (IsDigit(s_[pos_]) || (s_[pos_] == '.' && !dot))) {
      if (s_[pos_] == '.') {
        // A trailing '.' with no digit after it ends the answer ("0.75P.") rather than the number.
        if (pos_ + 1 >= s_.size() || !IsDigit(s_[pos_ + 1])) break;
        dot = true;
      } else {
        digits.push_back(s_[pos_]);
        if (dot) ++decimals;
      }
      ++pos_;
    }
    if (digits.empty()) {
      pos_ = start;
      return Error("expected a number");
    }
    if (digits.size() > 40) return Error("number too long");
    // Small integers through `long` (CLN's string reader costs microseconds).
    GiNaC::numeric value =
        digits.size() <= 18 ? GiNaC::numeric(std::stol(digits)) : GiNaC::numeric(digits.c_str());
    if (decimals > 0) value = value / GiNaC::numeric(10).power(static_cast<long>(decimals));
    *out = value;
    return absl::OkStatus();
  }

  absl::Status Group(ex* out, int depth, char open, char close) {
    ++pos_;
    if (absl::Status st = Expr(out, depth + 1); !st.ok()) return st;
    Skip();
    if (pos_ >= s_.size() || s_[pos_] != close) {
      return Error(absl::StrCat("expected '", std::string(1, close), "' to match '",
                                std::string(1, open), "'"));
    }
    ++pos_;
    return absl::OkStatus();
  }

  // A \frac argument: {expr} or a single digit / symbol (\frac12, \frac P2).
  absl::Status FracArg(ex* out, int depth) {
    Skip();
    if (pos_ < s_.size() && s_[pos_] == '{') return Group(out, depth + 1, '{', '}');
    if (pos_ < s_.size() && IsDigit(s_[pos_])) {
      *out = GiNaC::numeric(s_[pos_] - '0');
      ++pos_;
      return absl::OkStatus();
    }
    return Primary(out, depth + 1);
  }

  absl::Status Primary(ex* out, int depth) {
    if (depth > kMaxDepth) return Error("nesting too deep");
    Skip();
    if (pos_ >= s_.size()) return Error("expected a value");
    const char c = s_[pos_];
    const BeamSymbols& sym = Symbols();
    if (IsDigit(c) || c == '.') return Number(out);
    if (c == '(') return Group(out, depth, '(', ')');
    if (c == '[') return Group(out, depth, '[', ']');
    if (c == '{') return Group(out, depth, '{', '}');
    if (c == 'P' || c == 'L' || c == 'q' || c == 'M') {
      ++pos_;
      *out = c == 'P' ? ex(sym.P) : c == 'L' ? ex(sym.L) : c == 'q' ? ex(sym.q) : ex(sym.M);
      return absl::OkStatus();
    }
    const std::string_view cmd = Command();
    if (cmd == "frac" || cmd == "dfrac" || cmd == "tfrac") {
      pos_ += 1 + cmd.size();
      ex num, den;
      if (absl::Status st = FracArg(&num, depth + 1); !st.ok()) return st;
      if (absl::Status st = FracArg(&den, depth + 1); !st.ok()) return st;
      if (den.is_zero()) return Error("division by zero");
      *out = num / den;
      return absl::OkStatus();
    }
    if (cmd == "text" || cmd == "mathrm" || cmd == "mathbf" || cmd == "textbf" ||
        cmd == "operatorname") {
      pos_ += 1 + cmd.size();
      while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
      std::string_view content;
      if (!SkipGroup(&content) || !IsSymbolText(content)) return Error("unexpected text");
      Parser inner(content);
      return inner.Primary(out, depth + 1);
    }
    return Error("unexpected character");
  }

  std::string_view s_;
  size_t pos_ = 0;
  int symbolic_powers_ = 0;
};

std::string NormalizeLabel(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\\') {  // drop the command name (\text, \mathrm, ...), keep its argument
      while (i + 1 < raw.size() && IsAlpha(raw[i + 1])) ++i;
      continue;
    }
    if (IsAlpha(c) || IsDigit(c)) out.push_back(c);
  }
  return out;
}

}  // namespace

absl::StatusOr<ex> ParseAnswerExpr(std::string_view text) {
  if (text.size() > kMaxAnswerChars) return absl::InvalidArgumentError("answer: too long");
  try {
    Parser parser(text);
    return parser.ParseAll();
  } catch (const std::bad_alloc&) {
    throw;  // the server's trouble, never a verdict: the dispatcher masks it
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("answer: ", e.what()));
  }
}

std::vector<AnswerItem> SplitAnswers(std::string_view box) {
  std::vector<AnswerItem> items;
  auto trim = [](std::string_view piece) {
    while (!piece.empty() && (piece.front() == ' ' || piece.front() == '\n')) {
      piece.remove_prefix(1);
    }
    while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\n')) {
      piece.remove_suffix(1);
    }
    return piece;
  };
  auto emit = [&items, &trim](std::string_view piece) {
    piece = trim(piece);
    if (piece.empty()) return;
    AnswerItem item;
    const size_t eq = piece.rfind('=');
    if (eq != std::string_view::npos) {
      const size_t first_eq = piece.find('=');
      item.label = NormalizeLabel(piece.substr(0, first_eq));
      piece = trim(piece.substr(eq + 1));
    }
    item.expr = piece;
    items.push_back(std::move(item));
  };
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < box.size(); ++i) {
    const char c = box[i];
    if (c == '{' || c == '(' || c == '[') ++depth;
    if ((c == '}' || c == ')' || c == ']') && depth > 0) --depth;
    if (depth != 0) continue;
    size_t sep = 0;
    if (c == ',' && !(i > 0 && box[i - 1] == '\\')) sep = 1;
    if (c == ';' && !(i > 0 && box[i - 1] == '\\')) sep = 1;
    if (c == '&' || c == '\n') sep = 1;
    if (box.substr(i, 2) == "\\\\") sep = 2;
    if (box.substr(i, 6) == "\\qquad") sep = 6;
    if (sep == 0 && box.substr(i, 5) == "\\quad") sep = 5;
    if (box.substr(i, 5) == " and ") sep = 5;
    if (box.substr(i, 10) == "\\text{and}") sep = 10;
    if (sep == 0) continue;
    emit(box.substr(start, i - start));
    i += sep - 1;
    start = i + 1;
  }
  emit(box.substr(start));
  return items;
}

}  // namespace arbiter::beam
