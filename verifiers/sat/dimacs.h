// DIMACS CNF parser.
//
// Accepts: "c" comment lines anywhere (also before the header), one "p cnf <vars> <clauses>"
// header before the first literal, clauses as 0-terminated integer lists spread over any number of
// lines, any mix of spaces, tabs, CR and LF, a last clause without its final 0 at end of input,
// and "%" (the SATLIB end marker) which ends the input.
// Rejects (INVALID_ARGUMENT, message naming the line): no header, a second header, a non-integer
// token, a literal whose variable exceeds the header's count, a header count above the limits
// below, or a clause count different from the header's.
//
// Cost: time and memory linear in the input whatever the header claims. Nothing is sized by the
// header: variables are renumbered densely in order of first use (a formula naming variable
// 10^8 once costs one slot), so downstream arrays and the SAT solver scale with the input.
// Thread-safety: value types and a pure function.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace arbiter::sat {

inline constexpr int64_t kMaxDimacsVars = (int64_t{1} << 30) - 1;
inline constexpr int64_t kMaxDimacsClauses = (int64_t{1} << 31) - 1;

struct CnfFormula {
  // The header's variable count V: answers name variables 1..V.
  int64_t num_vars = 0;
  // Clause i is lits[start[i] .. start[i+1]); a literal is 2 * dense + (negated ? 1 : 0).
  std::vector<uint32_t> lits;
  std::vector<uint32_t> start{0};
  // dense id -> DIMACS variable (1..V), and back.
  std::vector<int32_t> dense_to_var;
  absl::flat_hash_map<int32_t, uint32_t> var_to_dense;

  size_t num_clauses() const { return start.size() - 1; }
};

absl::StatusOr<CnfFormula> ParseDimacs(std::string_view text);

// True when the first non-blank character is a lowercase 'c' or 'p' (a DIMACS comment or header);
// Saturn formulas hold only capital letters, '!', '&' and spaces.
bool LooksLikeDimacs(std::string_view text);

}  // namespace arbiter::sat
