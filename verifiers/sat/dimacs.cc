#include "verifiers/sat/dimacs.h"

#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "verifiers/sat/internal/text.h"

namespace arbiter::sat {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A cursor over the text that counts lines for error messages.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  int line() const { return line_; }

  void SkipBlanks() {
    while (!AtEnd() && IsBlank(text_[pos_])) Advance();
  }
  // Skips the rest of the current line, newline included.
  void SkipLine() {
    while (!AtEnd() && text_[pos_] != '\n') ++pos_;
    if (!AtEnd()) Advance();
  }
  // Reads the non-blank token at the cursor.
  std::string_view Token() {
    const size_t begin = pos_;
    while (!AtEnd() && !IsBlank(text_[pos_])) ++pos_;
    return text_.substr(begin, pos_ - begin);
  }
  // Skips blanks on the current line only; true when a token follows on it.
  bool TokenOnLine() {
    while (!AtEnd() && IsBlank(text_[pos_]) && text_[pos_] != '\n') ++pos_;
    return !AtEnd() && text_[pos_] != '\n';
  }

 private:
  void Advance() {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

absl::Status Error(const Scanner& s, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("dimacs: line ", s.line(), ": ", what));
}

// Parses an optionally negative decimal integer token; values whose magnitude exceeds `limit` are
// rejected as soon as they do (no overflow, no bignum).
bool ParseInt(std::string_view token, int64_t limit, int64_t* out, bool* too_big) {
  *too_big = false;
  size_t i = 0;
  bool negative = false;
  if (!token.empty() && token[0] == '-') {
    negative = true;
    i = 1;
  }
  if (i >= token.size()) return false;
  int64_t value = 0;
  for (; i < token.size(); ++i) {
    if (!IsDigit(token[i])) return false;
    value = value * 10 + (token[i] - '0');
    if (value > limit) {
      *too_big = true;
      return false;
    }
  }
  *out = negative ? -value : value;
  return true;
}

absl::Status ParseCount(Scanner& s, const char* name, int64_t limit, int64_t* out) {
  if (!s.TokenOnLine()) return Error(s, absl::StrCat("header: missing ", name, " count"));
  const std::string_view token = s.Token();
  bool too_big = false;
  if (!ParseInt(token, limit, out, &too_big) || *out < 0) {
    if (too_big) {
      return Error(s, absl::StrCat("header: ", name, " count exceeds the limit ", limit));
    }
    return Error(s, absl::StrCat("header: ", name, " count '", internal::Escape(token),
                                 "' is not a non-negative integer"));
  }
  return absl::OkStatus();
}

absl::Status ParseHeader(Scanner& s, int64_t* vars, int64_t* clauses) {
  if (s.Token() != "p") return Error(s, "expected 'p cnf <vars> <clauses>'");
  if (!s.TokenOnLine() || s.Token() != "cnf") return Error(s, "header: expected 'p cnf'");
  if (absl::Status st = ParseCount(s, "variable", kMaxDimacsVars, vars); !st.ok()) return st;
  if (absl::Status st = ParseCount(s, "clause", kMaxDimacsClauses, clauses); !st.ok()) return st;
  if (s.TokenOnLine()) return Error(s, "header: unexpected text after the clause count");
  return absl::OkStatus();
}

}  // namespace

bool LooksLikeDimacs(std::string_view text) {
  for (char c : text) {
    if (IsBlank(c)) continue;
    return c == 'c' || c == 'p';
  }
  return false;
}

absl::StatusOr<CnfFormula> ParseDimacs(std::string_view text) {
  CnfFormula cnf;
  Scanner s(text);
  bool have_header = false;
  int64_t header_clauses = 0;
  bool open_clause = false;  // literals read since the last 0
  while (true) {
    s.SkipBlanks();
    if (s.AtEnd()) break;
    const char c = s.Peek();
    if (c == 'c') {
      s.SkipLine();
      continue;
    }
    if (c == '%') break;
    if (c == 'p') {
      if (have_header) return Error(s, "second 'p' header");
      if (absl::Status st = ParseHeader(s, &cnf.num_vars, &header_clauses); !st.ok()) return st;
      have_header = true;
      continue;
    }
    const std::string_view token = s.Token();
    int64_t lit = 0;
    bool too_big = false;
    if (!ParseInt(token, kMaxDimacsVars, &lit, &too_big)) {
      if (too_big) return Error(s, "literal exceeds the variable limit");
      return Error(s,
                   absl::StrCat("unexpected token '", internal::Escape(token.substr(0, 32)), "'"));
    }
    if (!have_header) return Error(s, "clause before the 'p cnf' header");
    if (lit == 0) {
      cnf.start.push_back(static_cast<uint32_t>(cnf.lits.size()));
      open_clause = false;
      continue;
    }
    const int64_t var = lit < 0 ? -lit : lit;
    if (var > cnf.num_vars) {
      return Error(
          s, absl::StrCat("literal ", lit, " names a variable above the header's ", cnf.num_vars));
    }
    if (cnf.lits.size() >= std::numeric_limits<uint32_t>::max() - 1) {
      return Error(s, "too many literals");
    }
    auto [it, inserted] = cnf.var_to_dense.try_emplace(
        static_cast<int32_t>(var), static_cast<uint32_t>(cnf.dense_to_var.size()));
    if (inserted) cnf.dense_to_var.push_back(static_cast<int32_t>(var));
    cnf.lits.push_back(2 * it->second + (lit < 0 ? 1 : 0));
    open_clause = true;
  }
  if (!have_header) return Error(s, "no 'p cnf <vars> <clauses>' header");
  if (open_clause) cnf.start.push_back(static_cast<uint32_t>(cnf.lits.size()));
  if (static_cast<int64_t>(cnf.num_clauses()) != header_clauses) {
    return Error(s, absl::StrCat("the header announces ", header_clauses, " clauses but ",
                                 cnf.num_clauses(), " were read"));
  }
  return cnf;
}

}  // namespace arbiter::sat
