// The value of a GiNaC expression at a point, evaluated in floating point without asking GiNaC
// for anything that can explode or leak. The symbolic path's last resort ("evaluate the
// difference at three rational points with 50 digits") used ex::subs + evalf, which
//  - builds exact powers of the substituted values before any evalf: (x+1)^{99 m m 999999} at
//    m = 13/11 is an exact rational to the power ~10^8 (gigabytes, minutes; fuzz find), and
//  - throws from inside a heap-allocated node GiNaC never frees when a substituted value is a
//    pole (zero to a negative power, log 0, a binomial of non-integers): a leak per answer.
// Here every symbol takes a float value, every power of a float is a float (exp/log at the
// current GiNaC::Digits, so its cost does not depend on the exponent), and no GiNaC node is
// constructed: only GiNaC::numeric arithmetic, whose exceptions unwind cleanly.
//
// Thread-safety: GiNaC is not thread-safe; call with the GiNaC mutex held
// (verifiers/beam/internal/ginac_lock.h), like everything else touching GiNaC.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "verifiers/beam/internal/ginac.h"
#include "verifiers/math/evaluate.h"

namespace arbiter::math::internal {

// Float values for `symbols` at point `index` (0, 1, 2, ...): distinct positive rationals with
// denominator 11 (13/11, 17/11, ... at index 0), as floats of GiNaC::Digits digits.
GiNaC::exmap FloatPoint(const std::map<std::string, GiNaC::symbol>& symbols, int index);

// The value of `e` with the symbols of `at` replaced, as a float (complex when it is), or nullopt
// when it is undefined there (a pole, 0^0, a function of an argument it does not take), a symbol
// is missing from `at`, the expression has a node this evaluator does not know, or `budget` ran
// out (one step per node; budget.Exceeded() tells).
std::optional<GiNaC::numeric> ValueAtPoint(const GiNaC::ex& e, const GiNaC::exmap& at,
                                           Budget& budget);

}  // namespace arbiter::math::internal
