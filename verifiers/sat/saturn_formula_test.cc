#include "verifiers/sat/saturn_formula.h"

#include "gtest/gtest.h"

namespace arbiter::sat {
namespace {

TEST(SaturnFormula, ParsesClausesIntoMasks) {
  absl::StatusOr<SaturnFormula> f = ParseSaturnFormula("!A!BC & A!BD");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->pos.size(), 2u);
  EXPECT_EQ(f->pos[0], 0b0100u);
  EXPECT_EQ(f->neg[0], 0b0011u);
  EXPECT_EQ(f->pos[1], 0b1001u);
  EXPECT_EQ(f->neg[1], 0b0010u);
  EXPECT_EQ(f->max_var, 4);
}

TEST(SaturnFormula, AcceptsMissingSpacesAroundAnd) {
  absl::StatusOr<SaturnFormula> f = ParseSaturnFormula("A&!B & Z");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->pos.size(), 3u);
  EXPECT_EQ(f->max_var, 26);
}

TEST(SaturnFormula, RejectsMalformedFormulas) {
  for (const char* bad : {"", "   ", "A & ", " & A", "A && B", "A!", "!!A", "a", "A | B", "1"}) {
    SCOPED_TRACE(bad);
    absl::StatusOr<SaturnFormula> f = ParseSaturnFormula(bad);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(SaturnFormula, CountUnsatisfiedTreatsVariablesInNeitherSetAsNoLiteral) {
  absl::StatusOr<SaturnFormula> f = ParseSaturnFormula("A & !A");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(CountUnsatisfied(*f, 0b1, 0), 1);
  EXPECT_EQ(CountUnsatisfied(*f, 0, 0b1), 1);
  EXPECT_EQ(CountUnsatisfied(*f, 0, 0), 2);
}

}  // namespace
}  // namespace arbiter::sat
