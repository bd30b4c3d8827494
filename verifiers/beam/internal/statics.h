// The parsed beam and the equilibrium equations (solver.h's engine). Positions carry their exact
// fraction t of the length (for ordering) and their expression x = t·length.
//
// Thread-safety: callers hold internal::GinacMutex().
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/beam/internal/ginac.h"
#include "verifiers/beam/solver.h"

namespace arbiter::beam::internal {

struct Position {
  GiNaC::numeric t;
  GiNaC::ex x;
};
struct Support {
  Position at;
  v1::BeamSupport::Type type;
  std::string label;
};
struct PointForce {
  Position at;
  GiNaC::ex f;  // upward positive
};
struct Couple {
  Position at;
  GiNaC::ex c;  // counter-clockwise positive
};
// Intensity varying linearly from w1 at a to w2 at b (upward positive, force per length).
struct Linear {
  Position a, b;
  GiNaC::ex w1, w2;
};

struct BeamModel {
  GiNaC::ex length;
  std::vector<Support> supports;  // position order
  std::vector<Position> hinges;
  std::vector<PointForce> forces;
  std::vector<Couple> couples;
  std::vector<Linear> dists;
};

// Builds and solves the equations of a model whose determinacy was checked. INVALID_ARGUMENT
// ("unstable") for a singular system; INTERNAL if a residual is not exactly zero.
absl::StatusOr<BeamSolution> SolveModel(const BeamModel& model, bool diagrams);

}  // namespace arbiter::beam::internal
