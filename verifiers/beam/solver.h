// Symbolic statics of a 2-D beam (Euler-Bernoulli, small displacements) with GiNaC.
//
// Input: a v1::Beam (length; pin/roller/fixed supports; internal hinges; point forces, linearly
// varying distributed loads, couples), every quantity an expression in P, L, q, M or a number.
// Positions must be numbers times the length's unit (with a symbolic length "9*L", positions like
// "0.1*L"; with a numeric length, numbers) and lie on the beam; hinges strictly inside.
//
// Sign conventions: upward forces positive (a downward load is "-P"), counter-clockwise moments
// positive (loads, couples and reaction moments alike); internal shear V(x) = sum of upward forces
// left of x, bending moment M(x) sagging-positive (dM/dx = V).
//
// Equations: ΣFx = 0, ΣFy = 0, ΣM(about x = 0) = 0, and for each hinge the moment of everything
// left of it about it is zero. Unknowns: pin 2, roller 1, fixed 3. More unknowns than equations is
// refused as "statically indeterminate (degree N)"; fewer, no horizontal restraint, or a singular
// system as "unstable". Both are INVALID_ARGUMENT, as is any malformed field.
//
// Thread-safety: SolveBeam takes internal::GinacMutex() itself; the returned GiNaC objects must be
// used and destroyed with that mutex held.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/beam/beam.pb.h"
#include "verifiers/beam/internal/ginac.h"

namespace arbiter::beam {

struct SupportReaction {
  std::string label;
  v1::BeamSupport::Type type = v1::BeamSupport::TYPE_UNSPECIFIED;
  GiNaC::ex position;  // absolute, in the length's unit
  GiNaC::ex force;     // vertical reaction, upward positive
  GiNaC::ex moment;    // reaction moment (fixed supports; 0 otherwise), counter-clockwise positive
};

// Shear force and bending moment on [begin, end], as expressions in Symbols().x.
struct DiagramSegment {
  GiNaC::ex begin, end;
  GiNaC::ex shear, moment;
};

struct BeamSolution {
  GiNaC::ex length;
  // In position order (ties keep input order).
  std::vector<SupportReaction> reactions;
  std::vector<DiagramSegment> segments;  // only when asked for
  // ΣFy and ΣM about x = 0 and at every hinge with the reactions substituted, expanded: all 0.
  std::vector<GiNaC::ex> residuals;
};

struct SolveOptions {
  bool diagrams = false;
};

absl::StatusOr<BeamSolution> SolveBeam(const v1::Beam& beam, const SolveOptions& options = {});
// Same, for callers already holding internal::GinacMutex().
absl::StatusOr<BeamSolution> SolveBeamLocked(const v1::Beam& beam, const SolveOptions& options);

}  // namespace arbiter::beam
