#include "verifiers/sat/dimacs_answer.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "verifiers/sat/internal/text.h"

namespace arbiter::sat {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsBitString(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c != '0' && c != '1') return false;
  }
  return true;
}

DimacsAnswer Malformed(std::string error) {
  DimacsAnswer answer;
  answer.error = std::move(error);
  return answer;
}

DimacsAnswer FromBits(const CnfFormula& formula, std::string_view bits) {
  DimacsAnswer answer;
  answer.kind = DimacsAnswer::Kind::kAssignment;
  answer.values.resize(formula.dense_to_var.size());
  for (size_t d = 0; d < formula.dense_to_var.size(); ++d) {
    answer.values[d] = bits[formula.dense_to_var[d] - 1] == '1';
  }
  if (formula.num_vars <= kMaxRenderedVars) answer.rendered = std::string(bits);
  return answer;
}

// Parses one literal token; false if it is not an integer of magnitude <= limit.
bool ParseLiteral(std::string_view token, int64_t limit, int64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (!token.empty() && (token[0] == '-' || token[0] == '+')) {
    negative = token[0] == '-';
    i = 1;
  }
  if (i >= token.size()) return false;
  int64_t value = 0;
  for (; i < token.size(); ++i) {
    if (token[i] < '0' || token[i] > '9') return false;
    value = value * 10 + (token[i] - '0');
    if (value > limit) return false;
  }
  *out = negative ? -value : value;
  return true;
}

DimacsAnswer FromLiterals(const CnfFormula& formula, std::string_view text) {
  absl::flat_hash_map<int64_t, bool> sign;  // variable -> true when listed positive
  bool ended = false;
  bool first = true;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size()) break;
    const size_t begin = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    const std::string_view token = text.substr(begin, i - begin);
    if (first && (token == "v" || token == "V")) {
      first = false;
      continue;
    }
    first = false;
    if (ended) return Malformed("text after the terminating 0");
    int64_t lit = 0;
    if (!ParseLiteral(token, formula.num_vars, &lit)) {
      return Malformed(absl::StrCat("'", internal::Escape(token.substr(0, 32)),
                                    "' is not a literal of a variable in 1..", formula.num_vars));
    }
    if (lit == 0) {
      ended = true;
      continue;
    }
    const int64_t var = lit < 0 ? -lit : lit;
    auto [it, inserted] = sign.try_emplace(var, lit > 0);
    if (!inserted && it->second != (lit > 0)) {
      return Malformed(absl::StrCat("variable ", var, " is listed with both signs"));
    }
  }
  DimacsAnswer answer;
  answer.kind = DimacsAnswer::Kind::kAssignment;
  answer.values.assign(formula.dense_to_var.size(), 0);
  for (size_t d = 0; d < formula.dense_to_var.size(); ++d) {
    auto it = sign.find(formula.dense_to_var[d]);
    answer.values[d] = it != sign.end() && it->second;
  }
  if (formula.num_vars <= kMaxRenderedVars) {
    answer.rendered.assign(static_cast<size_t>(formula.num_vars), '0');
    for (const auto& [var, positive] : sign) {
      if (positive) answer.rendered[var - 1] = '1';
    }
  }
  return answer;
}

}  // namespace

DimacsAnswer ParseDimacsAnswer(const CnfFormula& formula, std::string_view capture) {
  size_t b = 0;
  size_t e = capture.size();
  while (b < e && IsSpace(capture[b])) ++b;
  while (e > b && IsSpace(capture[e - 1])) --e;
  const std::string_view text = capture.substr(b, e - b);
  if (absl::EqualsIgnoreCase(internal::ToAbsl(text), "unsat") ||
      absl::EqualsIgnoreCase(internal::ToAbsl(text), "unsatisfiable")) {
    DimacsAnswer answer;
    answer.kind = DimacsAnswer::Kind::kUnsat;
    return answer;
  }
  // A lone "0"/"1" reads the same as a bit string (V = 1) or a literal list; two or more 0/1
  // characters without spaces are always a bit string, never the literal "10".
  if (IsBitString(text) && (text.size() >= 2 || formula.num_vars == 1)) {
    if (static_cast<int64_t>(text.size()) != formula.num_vars) {
      return Malformed(
          absl::StrCat("bit string of length ", text.size(), ", expected ", formula.num_vars));
    }
    return FromBits(formula, text);
  }
  if (text.empty()) return Malformed("empty answer");
  return FromLiterals(formula, text);
}

int64_t CountUnsatisfied(const CnfFormula& formula, const std::vector<int8_t>& values) {
  int64_t unsatisfied = 0;
  for (size_t c = 0; c < formula.num_clauses(); ++c) {
    bool satisfied = false;
    for (uint32_t i = formula.start[c]; i < formula.start[c + 1] && !satisfied; ++i) {
      const uint32_t lit = formula.lits[i];
      satisfied = values[lit >> 1] != static_cast<int8_t>(lit & 1);
    }
    unsatisfied += !satisfied;
  }
  return unsatisfied;
}

}  // namespace arbiter::sat
