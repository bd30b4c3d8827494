#include "verifiers/beam/internal/statics.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "verifiers/beam/expr.h"

namespace arbiter::beam::internal {
namespace {

using GiNaC::ex;
using GiNaC::numeric;

// Resultant force and first moment about x = 0 of the part of `d` on [a, min(b, upto)].
void LinearResultant(const Linear& d, const numeric& upto_t, const ex& upto_x, ex* force,
                     ex* first_moment) {
  const bool whole = d.b.t <= upto_t;
  const ex end = whole ? d.b.x : upto_x;
  const ex u = end - d.a.x;
  const ex k = (d.w2 - d.w1) / (d.b.x - d.a.x);
  *force = d.w1 * u + k * u * u / 2;
  *first_moment = d.w1 * (d.a.x * u + u * u / 2) + k * (d.a.x * u * u / 2 + u * u * u / 3);
}

// Counter-clockwise moment about x_p of every load (and reaction force) left of t_cut (all
// loads when `all`), plus their vertical resultant.
struct Sums {
  ex force = 0;
  ex moment = 0;
};
Sums SumLeftOf(const std::vector<PointForce>& forces, const std::vector<Couple>& couples,
               const std::vector<Linear>& dists, bool all, const numeric& t_cut, const ex& x_p) {
  Sums s;
  for (const PointForce& f : forces) {
    if (all || f.at.t < t_cut) {
      s.force += f.f;
      s.moment += f.f * (f.at.x - x_p);
    }
  }
  for (const Couple& c : couples) {
    if (all || c.at.t < t_cut) s.moment += c.c;
  }
  for (const Linear& d : dists) {
    if (!all && !(d.a.t < t_cut)) continue;
    ex f, m0;
    LinearResultant(d, all ? numeric(1) : t_cut, x_p, &f, &m0);
    s.force += f;
    s.moment += m0 - x_p * f;
  }
  return s;
}

// Shear and moment on the segment starting at t0 (loads at t ≤ t0 act; distributed loads
// covering the segment act up to x).
DiagramSegment Segment(const std::vector<PointForce>& forces, const std::vector<Couple>& couples,
                       const std::vector<Linear>& dists, const Position& from, const Position& to) {
  const ex x = Symbols().x;
  DiagramSegment seg{from.x, to.x, 0, 0};
  for (const PointForce& f : forces) {
    if (f.at.t <= from.t) {
      seg.shear += f.f;
      seg.moment += f.f * (x - f.at.x);
    }
  }
  for (const Couple& c : couples) {
    if (c.at.t <= from.t) seg.moment -= c.c;
  }
  for (const Linear& d : dists) {
    if (d.b.t <= from.t) {
      ex f, m0;
      LinearResultant(d, numeric(1), 0, &f, &m0);
      seg.shear += f;
      seg.moment += f * x - m0;
    } else if (d.a.t <= from.t) {
      const ex u = x - d.a.x;
      const ex k = (d.w2 - d.w1) / (d.b.x - d.a.x);
      seg.shear += d.w1 * u + k * u * u / 2;
      seg.moment += d.w1 * u * u / 2 + k * u * u * u / 6;
    }
  }
  seg.shear = seg.shear.expand();
  seg.moment = seg.moment.expand();
  return seg;
}

std::vector<DiagramSegment> Diagrams(const BeamModel& model, const std::vector<PointForce>& all,
                                     const std::vector<Couple>& couples) {
  std::vector<Position> keys = {{numeric(0), ex(0)}, {numeric(1), model.length}};
  auto add = [&keys](const Position& p) { keys.push_back(p); };
  for (const Support& s : model.supports) add(s.at);
  for (const Position& h : model.hinges) add(h);
  for (const PointForce& f : all) add(f.at);
  for (const Couple& c : couples) add(c.at);
  for (const Linear& d : model.dists) add(d.a), add(d.b);
  std::sort(keys.begin(), keys.end(),
            [](const Position& a, const Position& b) { return a.t < b.t; });
  keys.erase(std::unique(keys.begin(), keys.end(),
                         [](const Position& a, const Position& b) { return a.t == b.t; }),
             keys.end());
  std::vector<DiagramSegment> segments;
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    segments.push_back(Segment(all, couples, model.dists, keys[i], keys[i + 1]));
  }
  return segments;
}

}  // namespace

absl::StatusOr<BeamSolution> SolveModel(const BeamModel& model, bool diagrams) {
  // Unknowns: a vertical reaction per support, a reaction moment per fixed support.
  std::vector<GiNaC::symbol> forces_u, moments_u;
  GiNaC::lst unknowns;
  std::vector<PointForce> all_forces = model.forces;
  std::vector<Couple> all_couples = model.couples;
  for (const Support& s : model.supports) {
    forces_u.emplace_back("R_" + s.label);
    unknowns.append(forces_u.back());
    all_forces.push_back({s.at, forces_u.back()});
    if (s.type == v1::BeamSupport::FIXED) {
      moments_u.emplace_back("M_" + s.label);
      unknowns.append(moments_u.back());
      all_couples.push_back({s.at, moments_u.back()});
    } else {
      moments_u.emplace_back("unused");
    }
  }
  std::vector<ex> lhs;
  const Sums global = SumLeftOf(all_forces, all_couples, model.dists, true, numeric(1), 0);
  lhs.push_back(global.force);
  lhs.push_back(global.moment);
  for (const Position& h : model.hinges) {
    lhs.push_back(SumLeftOf(all_forces, all_couples, model.dists, false, h.t, h.x).moment);
  }
  GiNaC::lst equations;
  for (const ex& e : lhs) equations.append(e == 0);
  GiNaC::ex solved;
  try {
    solved = GiNaC::lsolve(equations, unknowns);
  } catch (const std::exception&) {
    return absl::InvalidArgumentError("beam: unstable: the equilibrium equations are singular");
  }
  if (solved.nops() != unknowns.nops()) {
    return absl::InvalidArgumentError("beam: unstable: the equilibrium equations are singular");
  }
  GiNaC::exmap values;
  for (size_t i = 0; i < solved.nops(); ++i) {
    const ex value = solved.op(i).rhs();
    if (value.has(unknowns.op(i)) ||
        std::any_of(unknowns.begin(), unknowns.end(), [&](const ex& u) { return value.has(u); })) {
      return absl::InvalidArgumentError("beam: unstable: the equilibrium equations are singular");
    }
    values[solved.op(i).lhs()] = value.normal();
  }
  BeamSolution solution;
  solution.length = model.length;
  for (size_t i = 0; i < model.supports.size(); ++i) {
    const Support& s = model.supports[i];
    SupportReaction r{s.label, s.type, s.at.x, values[forces_u[i]], 0};
    if (s.type == v1::BeamSupport::FIXED) r.moment = values[moments_u[i]];
    solution.reactions.push_back(std::move(r));
  }
  for (const ex& e : lhs) {
    const ex residual = e.subs(values).expand().normal();
    if (!residual.is_zero()) {
      return absl::InternalError(absl::StrCat("beam: equilibrium residual is not zero"));
    }
    solution.residuals.push_back(residual);
  }
  if (diagrams) {
    for (PointForce& f : all_forces) f.f = f.f.subs(values);
    for (Couple& c : all_couples) c.c = c.c.subs(values);
    solution.segments = Diagrams(model, all_forces, all_couples);
  }
  return solution;
}

}  // namespace arbiter::beam::internal
