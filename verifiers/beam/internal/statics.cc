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

// Vertical resultant, and counter-clockwise moment DIVIDED BY THE LENGTH about the point at
// fraction t_p, of every load (and reaction) left of t_cut (all loads when `all`). Lever arms are
// exact fractions of the length, so each term is rational × magnitude (× length for distributed
// loads): small expressions, no expansion needed until the end.
struct Sums {
  ex force = 0;
  ex moment = 0;  // / length
};
Sums SumLeftOf(const std::vector<PointForce>& forces, const std::vector<Couple>& couples,
               const std::vector<Linear>& dists, bool all, const numeric& t_cut, const numeric& t_p,
               const ex& length) {
  Sums s;
  for (const PointForce& f : forces) {
    if (all || f.at.t < t_cut) {
      s.force += f.f;
      s.moment += (f.at.t - t_p) * f.f;
    }
  }
  for (const Couple& c : couples) {
    if (all || c.at.t < t_cut) s.moment += c.c / length;
  }
  for (const Linear& d : dists) {
    if (!all && !(d.a.t < t_cut)) continue;
    // In fractions τ of the length: w(τ) = w1 + (w2 − w1)(τ − ta)/D on [ta, te].
    const numeric ta = d.a.t, tb = d.b.t, te = (all || tb <= t_cut) ? tb : t_cut;
    const numeric span = tb - ta, u = te - ta;
    const numeric f2 = u * u / (2 * span), f1 = u - f2;  // ∫ weights of w1, w2
    const numeric c1 = (te * te - ta * ta) / 2;          // ∫ τ dτ
    const numeric c2 = ((te * te * te - ta * ta * ta) / 3 - ta * c1) / span;
    s.force += length * (f1 * d.w1 + f2 * d.w2);
    s.moment += length * ((c1 - c2 - t_p * f1) * d.w1 + (c2 - t_p * f2) * d.w2);
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
  // Unknowns: R_i per support and m_j = M_j / length per fixed support. Moment equations are
  // divided by the length, so every coefficient is an exact rational (positions enter as their
  // fraction t) and only the right-hand sides are symbolic: one small exact elimination instead
  // of GiNaC::lsolve (which took 75 µs for 3 unknowns).
  struct Unknown {
    size_t support;
    bool moment;
  };
  std::vector<Unknown> unknowns;
  for (size_t i = 0; i < model.supports.size(); ++i) {
    unknowns.push_back({i, false});
    if (model.supports[i].type == v1::BeamSupport::FIXED) unknowns.push_back({i, true});
  }
  const size_t n = unknowns.size();
  std::vector<std::vector<numeric>> a;
  std::vector<ex> b;
  const ex& length = model.length;
  const Sums loads =
      SumLeftOf(model.forces, model.couples, model.dists, true, numeric(1), numeric(0), length);
  // ΣFy = 0, then moments about x = 0 and about each hinge (left part), divided by the length.
  std::vector<numeric> row(n, 0);
  for (size_t k = 0; k < n; ++k) row[k] = unknowns[k].moment ? 0 : 1;
  a.push_back(row);
  b.push_back(-loads.force);
  for (size_t k = 0; k < n; ++k) {
    row[k] = unknowns[k].moment ? numeric(1) : model.supports[unknowns[k].support].at.t;
  }
  a.push_back(row);
  b.push_back(-loads.moment);
  for (const Position& h : model.hinges) {
    for (size_t k = 0; k < n; ++k) {
      const numeric& t = model.supports[unknowns[k].support].at.t;
      row[k] = !(t < h.t) ? numeric(0) : unknowns[k].moment ? numeric(1) : t - h.t;
    }
    a.push_back(row);
    b.push_back(
        -SumLeftOf(model.forces, model.couples, model.dists, false, h.t, h.t, length).moment);
  }
  if (a.size() != n) return absl::InternalError("beam: equation count differs from unknowns");
  // Gauss-Jordan with exact rationals; a zero pivot column means a mechanism.
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    while (pivot < n && a[pivot][col].is_zero()) ++pivot;
    if (pivot == n) {
      return absl::InvalidArgumentError("beam: unstable: the equilibrium equations are singular");
    }
    std::swap(a[pivot], a[col]);
    std::swap(b[pivot], b[col]);
    const numeric inv = a[col][col].inverse();
    for (size_t k = col; k < n; ++k) a[col][k] *= inv;
    b[col] = b[col] * inv;
    for (size_t r = 0; r < n; ++r) {
      if (r == col || a[r][col].is_zero()) continue;
      const numeric f = a[r][col];
      for (size_t k = col; k < n; ++k) a[r][k] -= f * a[col][k];
      b[r] = b[r] - f * b[col];
    }
  }
  BeamSolution solution;
  solution.length = model.length;
  std::vector<PointForce> all_forces = model.forces;
  std::vector<Couple> all_couples = model.couples;
  for (const Support& s : model.supports) {
    solution.reactions.push_back({s.label, s.type, s.at.x, 0, 0});
  }
  for (size_t k = 0; k < n; ++k) {
    SupportReaction& r = solution.reactions[unknowns[k].support];
    const Position& at = model.supports[unknowns[k].support].at;
    if (unknowns[k].moment) {
      r.moment = (b[k] * model.length).expand();
      all_couples.push_back({at, r.moment});
    } else {
      r.force = b[k].expand();
      all_forces.push_back({at, r.force});
    }
  }
  // Self-check: ΣFy, ΣM/length about 0 and at each hinge, reactions included, expand to 0.
  const Sums global =
      SumLeftOf(all_forces, all_couples, model.dists, true, numeric(1), numeric(0), length);
  solution.residuals = {global.force.expand(), global.moment.expand()};
  for (const Position& h : model.hinges) {
    solution.residuals.push_back(
        SumLeftOf(all_forces, all_couples, model.dists, false, h.t, h.t, length).moment.expand());
  }
  for (const ex& residual : solution.residuals) {
    if (!residual.is_zero()) return absl::InternalError("beam: equilibrium residual is not zero");
  }
  if (diagrams) solution.segments = Diagrams(model, all_forces, all_couples);
  return solution;
}

}  // namespace arbiter::beam::internal
