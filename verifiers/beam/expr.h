// Symbols and the parser of beam-description expressions (lengths, positions, magnitudes).
//
// Accepted: numbers (decimals become exact rationals: "0.1" is 1/10), the symbols P, L, q, M,
// + - * / ( ) and ^ with a single-digit exponent; at most 256 characters; no functions, no other
// symbols. The characters are whitelisted here, then the hand-written parser of answer_parser.h
// builds the expression (GiNaC::parser measured 4-15 µs per expression, most of the 0.1 ms
// budget of a whole solve); every GiNaC exception is caught and becomes INVALID_ARGUMENT naming
// `what`.
//
// Thread-safety: callers hold internal::GinacMutex() (see internal/ginac_lock.h).
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "verifiers/beam/internal/ginac.h"

namespace arbiter::beam {

struct BeamSymbols {
  GiNaC::symbol P{"P"}, L{"L"}, q{"q"}, M{"M"};
  // Coordinate along the beam in shear-force and bending-moment expressions.
  GiNaC::symbol x{"x"};
};
// The process-wide symbols (created on first use, never destroyed).
const BeamSymbols& Symbols();

absl::StatusOr<GiNaC::ex> ParseDescriptionExpr(std::string_view text, std::string_view what);

// True when `e` is a GiNaC numeric (exact rational or float).
bool IsNumber(const GiNaC::ex& e);

}  // namespace arbiter::beam
