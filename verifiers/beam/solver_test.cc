// Textbook beams with hand-derived reactions (derivations in the comments), exact zero
// equilibrium residuals, zero moment at every hinge, and the solver's refusals.
#include "verifiers/beam/solver.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/beam/expr.h"
#include "verifiers/beam/internal/beam_builder.h"
#include "verifiers/beam/internal/ginac_lock.h"

namespace arbiter::beam {
namespace {

using internal::BeamBuilder;

struct Case {
  const char* name;
  BeamBuilder beam;
  // Expected force then (fixed supports) moment, per support in position order.
  std::vector<std::string> reactions;
};

std::vector<Case> TextbookCases() {
  return {
      // ΣM_A: M_A − P·L = 0.
      {"cantilever_point_load", BeamBuilder("L").Fixed("0").Force("-P", "L"), {"P", "P*L"}},
      // A CCW end couple M is balanced by M_A = −M; no vertical reaction.
      {"cantilever_end_moment", BeamBuilder("L").Fixed("0").Couple("M", "L"), {"0", "-M"}},
      {"cantilever_udl",
       BeamBuilder("L").Fixed("0").Distributed("-q", "0", "L"),
       {"q*L", "q*L^2/2"}},
      // Resultant qL/2 at L/3 from the wall.
      {"cantilever_triangular",
       BeamBuilder("L").Fixed("0").Distributed("-q", "0", "L", "0"),
       {"q*L/2", "q*L^2/6"}},
      {"cantilever_mid_couple", BeamBuilder("L").Fixed("0").Couple("M", "L/2"), {"0", "-M"}},
      {"simply_supported_udl",
       BeamBuilder("L").Pin("0").Roller("L").Distributed("-q", "0", "L"),
       {"q*L/2", "q*L/2"}},
      // Resultant qL/2 at 2L/3: R_B = qL/3, R_A = qL/6.
      {"simply_supported_triangular",
       BeamBuilder("L").Pin("0").Roller("L").Distributed("0", "0", "L", "-q"),
       {"q*L/6", "q*L/3"}},
      // q·L at L/2 plus qL/2 at 2L/3: ΣM_A = 5qL²/6, so R_B = 5qL/6, R_A = 2qL/3.
      {"simply_supported_trapezoidal",
       BeamBuilder("L").Pin("0").Roller("L").Distributed("-q", "0", "L", "-2*q"),
       {"2*q*L/3", "5*q*L/6"}},
      {"central_point_load",
       BeamBuilder("L").Pin("0").Roller("L").Force("-P", "L/2"),
       {"P/2", "P/2"}},
      {"off_centre_load",
       BeamBuilder("L").Pin("0").Roller("L").Force("-P", "L/4"),
       {"3*P/4", "P/4"}},
      // R_B·3L = P·L + 2P·2L.
      {"two_loads",
       BeamBuilder("3*L").Pin("0").Roller("3*L").Force("-P", "L").Force("-2*P", "2*L"),
       {"4*P/3", "5*P/3"}},
      // R_B·L + M = 0.
      {"moment_at_midspan",
       BeamBuilder("L").Pin("0").Roller("L").Couple("M", "L/2"),
       {"M/L", "-M/L"}},
      // Spec §3.5: 2L span, 3P at 0.3·2L.
      {"spec_worked_example",
       BeamBuilder("2*L").Pin("0").Roller("2*L").Force("-3*P", "0.6*L"),
       {"2.1*P", "0.9*P"}},
      // R_B·L = P·3L/2.
      {"overhanging_point_load",
       BeamBuilder("3*L/2").Pin("0").Roller("L").Force("-P", "3*L/2"),
       {"-P/2", "3*P/2"}},
      // 2qL at L over a span of L: R_B = 2qL, R_A = 0.
      {"overhanging_udl",
       BeamBuilder("2*L").Pin("0").Roller("L").Distributed("-q", "0", "2*L"),
       {"0", "2*q*L"}},
      // Right part about the hinge: R_C·L = P·L/2; then R_A = P/2, M_A = 3PL/2 − PL.
      {"gerber_fixed_hinge_roller",
       BeamBuilder("2*L").Fixed("0").Hinge("L").Roller("2*L").Force("-P", "3*L/2"),
       {"P/2", "P*L/2", "P/2"}},
      // Right part: R_C = qL/2; R_A = 2qL − qL/2; M_A = 2qL·L − R_C·2L.
      {"fixed_roller_with_hinge_udl",
       BeamBuilder("2*L").Fixed("0").Hinge("L").Roller("2*L").Distributed("-q", "0", "2*L"),
       {"3*q*L/2", "q*L^2", "q*L/2"}},
      // Right part: R_C = P/2; P/2 passes at the hinge to the overhang: R_B·2L = (P/2)·3L.
      {"gerber_pin_roller_hinge_roller",
       BeamBuilder("4*L").Pin("0").Roller("2*L").Hinge("3*L").Roller("4*L").Force("-P", "7*L/2"),
       {"-P/4", "3*P/4", "P/2"}},
      {"numeric_length", BeamBuilder("6").Pin("0").Roller("6").Force("-10", "2"), {"20/3", "10/3"}},
      // Supports moved in: about the pin at L, R_B·7L = P·2L.
      {"moved_supports",
       BeamBuilder("9*L").Pin("L").Roller("8*L").Force("-P", "3*L"),
       {"5*P/7", "2*P/7"}},
      {"partial_udl_symmetric",
       BeamBuilder("4*L").Pin("0").Roller("4*L").Distributed("-q", "L", "3*L"),
       {"q*L", "q*L"}},
      // 2qL at L: R_B·4L = 2qL·L.
      {"partial_udl_left",
       BeamBuilder("4*L").Pin("0").Roller("4*L").Distributed("-q", "0", "2*L"),
       {"3*q*L/2", "q*L/2"}},
      {"load_on_support", BeamBuilder("L").Pin("0").Roller("L").Force("-P", "0"), {"P", "0"}},
      {"roller_left_pin_right",
       BeamBuilder("L").Roller("0").Pin("L").Force("-P", "L/4"),
       {"3*P/4", "P/4"}},
      // Upward load and mixed symbols: ΣM_A: R_B·2L + P·L + M = 0.
      {"mixed_symbols",
       BeamBuilder("2*L").Pin("0").Roller("2*L").Force("P", "L").Couple("M", "0"),
       {"-P/2 + M/(2*L)", "-P/2 - M/(2*L)"}},
  };
}

void ExpectSolves(const Case& c) {
  SCOPED_TRACE(c.name);
  absl::StatusOr<BeamSolution> solution = SolveBeam(c.beam.beam(), SolveOptions{.diagrams = true});
  ASSERT_TRUE(solution.ok()) << solution.status();
  absl::MutexLock lock(&internal::GinacMutex());
  std::vector<GiNaC::ex> got;
  for (const SupportReaction& r : solution->reactions) {
    got.push_back(r.force);
    if (r.type == v1::BeamSupport::FIXED) got.push_back(r.moment);
  }
  ASSERT_EQ(got.size(), c.reactions.size());
  for (size_t i = 0; i < got.size(); ++i) {
    absl::StatusOr<GiNaC::ex> want = ParseDescriptionExpr(c.reactions[i], "expected");
    ASSERT_TRUE(want.ok()) << want.status();
    EXPECT_TRUE((got[i] - *want).expand().normal().is_zero())
        << "reaction " << i << ": got " << got[i] << ", want " << *want;
  }
  ASSERT_GE(solution->residuals.size(), 2u);
  for (const GiNaC::ex& r : solution->residuals) EXPECT_TRUE(r.is_zero()) << r;
  // The bending moment vanishes at every hinge (evaluated on the segment ending there).
  const GiNaC::symbol& x = Symbols().x;
  for (const std::string& hinge : c.beam.beam().hinges()) {
    absl::StatusOr<GiNaC::ex> h = ParseDescriptionExpr(hinge, "hinge");
    ASSERT_TRUE(h.ok());
    bool found = false;
    for (const DiagramSegment& s : solution->segments) {
      if ((s.end - *h).expand().is_zero()) {
        found = true;
        EXPECT_TRUE(s.moment.subs(x == *h).expand().normal().is_zero()) << s.moment;
      }
    }
    EXPECT_TRUE(found);
  }
  // Segments tile [0, length] and the shear is the derivative of the moment on each.
  ASSERT_FALSE(solution->segments.empty());
  EXPECT_TRUE(solution->segments.front().begin.is_zero());
  EXPECT_TRUE((solution->segments.back().end - solution->length).expand().is_zero());
  for (const DiagramSegment& s : solution->segments) {
    EXPECT_TRUE((s.moment.diff(x) - s.shear).expand().normal().is_zero());
  }
  // Closure: with no couple at the right end, the bending moment there is zero (a fixed support
  // never sits at the right end in these cases).
  bool end_couple = false;
  for (const v1::BeamLoad& l : c.beam.beam().loads()) {
    end_couple |= l.type() == v1::BeamLoad::MOMENT && l.position() == c.beam.beam().length();
  }
  if (!end_couple) {
    const DiagramSegment& last = solution->segments.back();
    EXPECT_TRUE(last.moment.subs(x == solution->length).expand().normal().is_zero()) << last.moment;
  }
}

TEST(Solver, TextbookCasesMatchHandDerivedReactions) {
  const std::vector<Case> cases = TextbookCases();
  EXPECT_GE(cases.size(), 20u);
  for (const Case& c : cases) ExpectSolves(c);
}

TEST(Solver, SimplySupportedMomentDiagramClosesAtBothEnds) {
  absl::StatusOr<BeamSolution> s = SolveBeam(
      BeamBuilder("L").Pin("0").Roller("L").Force("-P", "L/4").beam(), SolveOptions{true});
  ASSERT_TRUE(s.ok());
  absl::MutexLock lock(&internal::GinacMutex());
  const GiNaC::symbol& x = Symbols().x;
  const GiNaC::symbol& L = Symbols().L;
  const GiNaC::symbol& P = Symbols().P;
  ASSERT_EQ(s->segments.size(), 2u);
  EXPECT_TRUE(s->segments[0].moment.subs(x == 0).is_zero());
  EXPECT_TRUE(s->segments[1].moment.subs(x == L).expand().is_zero());
  // Peak under the load: R_A·L/4 = 3PL/16.
  EXPECT_TRUE((s->segments[0].moment.subs(x == L / 4) - 3 * P * L / 16).expand().is_zero());
  EXPECT_TRUE((s->segments[1].shear + P / 4).expand().is_zero());
}

std::string Refusal(const BeamBuilder& b) {
  absl::StatusOr<BeamSolution> s = SolveBeam(b.beam());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << s.status();
  return std::string(s.status().message());
}

TEST(Solver, RefusesStaticallyIndeterminateBeamsWithDegree) {
  EXPECT_NE(Refusal(BeamBuilder("L").Pin("0").Pin("L").Force("-P", "L/2"))
                .find("statically indeterminate (degree 1)"),
            std::string::npos);
  EXPECT_NE(Refusal(BeamBuilder("L").Fixed("0").Roller("L").Force("-P", "L/2"))
                .find("statically indeterminate (degree 1)"),
            std::string::npos);
  EXPECT_NE(
      Refusal(BeamBuilder("L").Fixed("0").Fixed("L")).find("statically indeterminate (degree 3)"),
      std::string::npos);
  EXPECT_NE(Refusal(BeamBuilder("2*L").Pin("0").Roller("L").Roller("2*L"))
                .find("statically indeterminate (degree 1)"),
            std::string::npos);
}

TEST(Solver, RefusesUnstableBeams) {
  EXPECT_NE(Refusal(BeamBuilder("L").Roller("0").Roller("L")).find("unstable"), std::string::npos);
  EXPECT_NE(Refusal(BeamBuilder("L").Pin("0")).find("unstable"), std::string::npos);
  EXPECT_NE(Refusal(BeamBuilder("2*L").Pin("0").Hinge("L").Roller("2*L")).find("unstable"),
            std::string::npos);
  EXPECT_NE(Refusal(BeamBuilder("L").Fixed("0").Hinge("L/2")).find("unstable"), std::string::npos);
  // Square system, singular: both supports at one point, or a hinge left of every support.
  EXPECT_NE(Refusal(BeamBuilder("L").Pin("0").Roller("0").Force("-P", "L")).find("unstable"),
            std::string::npos);
  EXPECT_NE(Refusal(BeamBuilder("L").Hinge("L/4").Pin("L/2").Roller("3*L/4").Roller("L"))
                .find("unstable"),
            std::string::npos);
}

TEST(Solver, MalformedInputIsInvalidArgument) {
  const std::vector<BeamBuilder> bad = {
      BeamBuilder("abc").Pin("0").Roller("L"),
      BeamBuilder("-L").Pin("0").Roller("L"),
      BeamBuilder("L").Pin("0").Roller("2*L"),
      BeamBuilder("L").Pin("0").Roller("L").Force("-P", "0.5"),  // unit mismatch
      BeamBuilder("L").Pin("0").Roller("L").Force("sin(P)", "L/2"),
      BeamBuilder("L").Pin("0").Roller("L").Force("1/0", "L/2"),
      BeamBuilder("L").Pin("0").Roller("L").Force("P^99", "L/2"),
      BeamBuilder("L").Pin("0").Roller("L").Force("-P", "L/2)"),
      BeamBuilder("L").Pin("0").Roller("L").Force("", "L/2"),
      BeamBuilder("L").Pin("0").Roller("L").Distributed("-q", "L", "0"),
      BeamBuilder("2*L").Fixed("0").Hinge("0").Roller("2*L"),
      BeamBuilder("2*L").Fixed("0").Hinge("L").Roller("2*L").Couple("M", "L"),
      BeamBuilder("L").Support(v1::BeamSupport::TYPE_UNSPECIFIED, "0").Roller("L"),
      BeamBuilder(std::string(5000, '1')).Pin("0").Roller("L"),
      BeamBuilder("L")
          .Support(v1::BeamSupport::PIN, "0", "A")
          .Support(v1::BeamSupport::ROLLER, "L", "A"),
  };
  for (const BeamBuilder& b : bad) {
    absl::StatusOr<BeamSolution> s = SolveBeam(b.beam());
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << b.beam().DebugString();
  }
}

}  // namespace
}  // namespace arbiter::beam
