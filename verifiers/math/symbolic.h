// The symbolic path: exact equivalence of two scalar answer trees on GiNaC.
//
// Reached only when the lock-free paths (exact 128-bit rationals, numeric screening) could not
// decide, i.e. mostly for answers that ARE equal symbolically (`\sqrt{27}` vs `3\sqrt{3}`,
// `(x-1)(x+1)` vs `x^2-1`) or exact values beyond 128 bits (`1/2004!`). The difference is
// normalised (GiNaC normal/expand); a non-zero exact number is "different" (never a numeric chop:
// `1/2004!` != `1/2006!`); otherwise it is evaluated at several rational points with 50 digits.
//
// Caps (SymbolicLimits) bound exponent height, factorial argument and integer size before GiNaC
// sees the tree, so power towers return at once with kCapExceeded naming the cap.
//
// Thread-safety: GiNaC is not thread-safe; every GiNaC object is built, used and destroyed under
// the one process-wide GiNaC mutex shared with the beam verifier (verifiers/beam/internal/
// ginac_lock.h). Callers need no lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "verifiers/math/evaluate.h"
#include "verifiers/math/expr.h"

namespace arbiter::math {

struct SymbolicLimits {
  double max_result_bits = 1 << 20;  // estimated size of any power's value
  long max_exponent = 100000;
  long max_factorial = 5000;
  // Estimated polynomial degree of either side: bounds what expand() can produce
  // (`(x+1)^{99999}` is refused, `x^{99999}` is fine).
  double max_degree = 256;
};

struct SymbolicResult {
  enum class Kind { kEqual, kDifferent, kUnknown, kCapExceeded };
  Kind kind = Kind::kUnknown;
  std::string message;
};

SymbolicResult SymbolicEqual(const Expr& a, const Expr& b, Budget& budget,
                             const SymbolicLimits& limits = {});

// Whether a/b simplifies to a non-zero constant; its sign in `*sign` when so. For relations:
// `y = 5 - 2x` and `2x + y - 5 = 0` describe the same line.
SymbolicResult SymbolicProportional(const Expr& a, const Expr& b, int* sign, Budget& budget,
                                    const SymbolicLimits& limits = {});

// Process-wide counters of the symbolic path: calls and nanoseconds spent holding the GiNaC lock
// (the serial part of the verifier; benchmarks report it). Relaxed atomics; thread-safe.
struct SymbolicStats {
  uint64_t calls = 0;
  uint64_t locked_nanos = 0;
};
SymbolicStats GetSymbolicStats();

}  // namespace arbiter::math
