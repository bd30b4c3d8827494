#include "verifiers/beam/solver.h"

#include <algorithm>
#include <exception>
#include <new>
#include <utility>

#include "absl/strings/str_cat.h"
#include "verifiers/beam/expr.h"
#include "verifiers/beam/internal/ginac_lock.h"
#include "verifiers/beam/internal/statics.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::beam {
namespace {

using GiNaC::ex;
using GiNaC::numeric;
using internal::BeamModel;
using internal::Couple;
using internal::Linear;
using internal::PointForce;
using internal::Position;

absl::StatusOr<Position> ParsePosition(const std::string& text, const ex& length,
                                       const std::string& what) {
  ARBITER_ASSIGN_OR_RETURN(ex x, ParseDescriptionExpr(text, what));
  ex t = x / length;  // c·L / (d·L) evaluates to c/d on construction; expand/normal are slower
  if (!IsNumber(t)) t = t.expand();
  if (!IsNumber(t)) t = t.normal();
  if (!IsNumber(t) || !GiNaC::ex_to<numeric>(t).is_rational()) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: ", what, " \"", text, "\" must be a number times the length's unit (",
                     GiNaC::is_a<numeric>(length) ? "a number" : "e.g. 0.3*L", ")"));
  }
  const numeric r = GiNaC::ex_to<numeric>(t);
  if (r < 0 || r > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: ", what, " \"", text, "\" lies outside the beam"));
  }
  return Position{r, x};
}

absl::Status ParseLoads(const v1::Beam& beam, BeamModel* model) {
  for (int i = 0; i < beam.loads_size(); ++i) {
    const v1::BeamLoad& load = beam.loads(i);
    const std::string what = absl::StrCat("loads[", i, "]");
    ARBITER_ASSIGN_OR_RETURN(ex magnitude,
                             ParseDescriptionExpr(load.magnitude(), what + ".magnitude"));
    ARBITER_ASSIGN_OR_RETURN(Position at,
                             ParsePosition(load.position(), model->length, what + ".position"));
    switch (load.type()) {
      case v1::BeamLoad::POINT_FORCE:
        model->forces.push_back({at, magnitude});
        break;
      case v1::BeamLoad::MOMENT:
        model->couples.push_back({at, magnitude});
        break;
      case v1::BeamLoad::DISTRIBUTED: {
        ARBITER_ASSIGN_OR_RETURN(Position end, ParsePosition(load.end_position(), model->length,
                                                             what + ".end_position"));
        if (!(at.t < end.t)) {
          return absl::InvalidArgumentError(
              absl::StrCat("beam: ", what, ": end_position must be right of position"));
        }
        ex end_magnitude = magnitude;
        if (!load.end_magnitude().empty()) {
          ARBITER_ASSIGN_OR_RETURN(
              end_magnitude, ParseDescriptionExpr(load.end_magnitude(), what + ".end_magnitude"));
        }
        model->dists.push_back({at, end, magnitude, end_magnitude});
        break;
      }
      default:
        return absl::InvalidArgumentError(absl::StrCat("beam: ", what, ": type is unspecified"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseSupports(const v1::Beam& beam, BeamModel* model) {
  for (int i = 0; i < beam.supports_size(); ++i) {
    const v1::BeamSupport& in = beam.supports(i);
    const std::string what = absl::StrCat("supports[", i, "]");
    if (in.type() != v1::BeamSupport::PIN && in.type() != v1::BeamSupport::ROLLER &&
        in.type() != v1::BeamSupport::FIXED) {
      return absl::InvalidArgumentError(absl::StrCat("beam: ", what, ": type is unspecified"));
    }
    if (in.label().size() > 8) {
      return absl::InvalidArgumentError(absl::StrCat("beam: ", what, ": label longer than 8"));
    }
    for (char c : in.label()) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        return absl::InvalidArgumentError(
            absl::StrCat("beam: ", what, ": labels are letters and digits"));
      }
    }
    ARBITER_ASSIGN_OR_RETURN(Position at,
                             ParsePosition(in.position(), model->length, what + ".position"));
    model->supports.push_back({at, in.type(), in.label()});
  }
  std::stable_sort(
      model->supports.begin(), model->supports.end(),
      [](const internal::Support& a, const internal::Support& b) { return a.at.t < b.at.t; });
  for (size_t i = 0; i < model->supports.size(); ++i) {
    if (model->supports[i].label.empty()) {
      model->supports[i].label =
          i < 26 ? std::string(1, static_cast<char>('A' + i)) : absl::StrCat("S", i + 1);
    }
    for (size_t j = 0; j < i; ++j) {
      if (model->supports[j].label == model->supports[i].label) {
        return absl::InvalidArgumentError(
            absl::StrCat("beam: duplicate support label \"", model->supports[i].label, "\""));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<BeamModel> ParseBeam(const v1::Beam& beam) {
  if (beam.supports_size() > 16 || beam.hinges_size() > 16 || beam.loads_size() > 64) {
    return absl::InvalidArgumentError("beam: at most 16 supports, 16 hinges and 64 loads");
  }
  BeamModel model;
  ARBITER_ASSIGN_OR_RETURN(model.length, ParseDescriptionExpr(beam.length(), "length"));
  const ex unit = IsNumber(model.length) ? ex(1) : ex(Symbols().L);
  ex ratio = model.length / unit;
  if (!IsNumber(ratio)) ratio = ratio.normal();
  if (!IsNumber(ratio) || !GiNaC::ex_to<numeric>(ratio).is_rational() ||
      !GiNaC::ex_to<numeric>(ratio).is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: length \"", beam.length(),
                     "\" must be a positive number or a positive multiple of L"));
  }
  ARBITER_RETURN_IF_ERROR(ParseSupports(beam, &model));
  for (int i = 0; i < beam.hinges_size(); ++i) {
    const std::string what = absl::StrCat("hinges[", i, "]");
    ARBITER_ASSIGN_OR_RETURN(Position at, ParsePosition(beam.hinges(i), model.length, what));
    if (at.t == 0 || at.t == 1) {
      return absl::InvalidArgumentError(absl::StrCat("beam: ", what, " must be inside the beam"));
    }
    model.hinges.push_back(at);
  }
  ARBITER_RETURN_IF_ERROR(ParseLoads(beam, &model));
  for (const Position& h : model.hinges) {
    for (const Couple& c : model.couples) {
      if (c.at.t == h.t) {
        return absl::InvalidArgumentError("beam: a couple applied exactly at a hinge is ambiguous");
      }
    }
    for (const internal::Support& s : model.supports) {
      if (s.type == v1::BeamSupport::FIXED && s.at.t == h.t) {
        return absl::InvalidArgumentError("beam: a fixed support cannot sit at a hinge");
      }
    }
  }
  return model;
}

// Classifies the support layout; OK when the system is square with one horizontal restraint.
absl::Status CheckDeterminacy(const BeamModel& model) {
  int horizontal = 0, others = 0;
  for (const internal::Support& s : model.supports) {
    if (s.type == v1::BeamSupport::PIN) horizontal += 1, others += 1;
    if (s.type == v1::BeamSupport::ROLLER) others += 1;
    if (s.type == v1::BeamSupport::FIXED) horizontal += 1, others += 2;
  }
  const int equations = 3 + static_cast<int>(model.hinges.size());
  const int degree = horizontal + others - equations;
  if (degree > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: statically indeterminate (degree ", degree, "): ", horizontal + others,
                     " reaction components, ", equations, " equilibrium equations"));
  }
  if (degree < 0) {
    return absl::InvalidArgumentError(absl::StrCat("beam: unstable: ", horizontal + others,
                                                   " reaction components for ", equations,
                                                   " equilibrium equations (too few reactions)"));
  }
  if (horizontal != 1) {
    return absl::InvalidArgumentError(
        "beam: unstable: needs exactly one horizontal restraint (one pin or fixed support)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BeamSolution> SolveBeamLocked(const v1::Beam& beam, const SolveOptions& options) {
  try {
    ARBITER_ASSIGN_OR_RETURN(BeamModel model, ParseBeam(beam));
    ARBITER_RETURN_IF_ERROR(CheckDeterminacy(model));
    return internal::SolveModel(model, options.diagrams);
  } catch (const std::bad_alloc&) {
    throw;  // the server's trouble, never a verdict: the dispatcher masks it
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("beam: cannot solve: ", e.what()));
  }
}

absl::StatusOr<BeamSolution> SolveBeam(const v1::Beam& beam, const SolveOptions& options) {
  absl::MutexLock lock(&internal::GinacMutex());
  return SolveBeamLocked(beam, options);
}

}  // namespace arbiter::beam
