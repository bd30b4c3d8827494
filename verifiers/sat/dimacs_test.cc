#include "verifiers/sat/dimacs.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/sat/test_util.h"

namespace arbiter::sat {
namespace {

// Clauses as signed DIMACS literals, for comparison.
std::vector<std::vector<int>> Clauses(const CnfFormula& cnf) {
  std::vector<std::vector<int>> out;
  for (size_t c = 0; c < cnf.num_clauses(); ++c) {
    std::vector<int> clause;
    for (uint32_t i = cnf.start[c]; i < cnf.start[c + 1]; ++i) {
      const int var = cnf.dense_to_var[cnf.lits[i] >> 1];
      clause.push_back((cnf.lits[i] & 1) ? -var : var);
    }
    out.push_back(clause);
  }
  return out;
}

const std::vector<std::vector<int>> kBasic = {{1, -3}, {2, 3, -1}};

TEST(Dimacs, ParsesEveryAcceptedVariantToTheSameFormula) {
  for (const char* file :
       {"dimacs_basic.cnf", "dimacs_comments.cnf", "dimacs_crlf.cnf",
        "dimacs_missing_final_zero.cnf", "dimacs_eof_after_literal.cnf",
        "dimacs_multiline_clause.cnf", "dimacs_extra_whitespace.cnf", "dimacs_percent_end.cnf"}) {
    SCOPED_TRACE(file);
    absl::StatusOr<CnfFormula> cnf = ParseDimacs(testing::ReadTestdata(file));
    ASSERT_TRUE(cnf.ok()) << cnf.status();
    EXPECT_EQ(cnf->num_vars, 3);
    EXPECT_EQ(Clauses(*cnf), kBasic);
  }
}

TEST(Dimacs, RejectsEveryMalformedVariantWithInvalidArgument) {
  struct Case {
    const char* file;
    const char* message_part;
  };
  for (const Case& c : {Case{"dimacs_header_lies.cnf", "announces 5 clauses but 2"},
                        Case{"dimacs_absurd_header.cnf", "variable count exceeds the limit"},
                        Case{"dimacs_absurd_clause_count.cnf", "clause count exceeds the limit"},
                        Case{"dimacs_no_header.cnf", "before the 'p cnf' header"},
                        Case{"dimacs_var_out_of_range.cnf", "literal -4"},
                        Case{"dimacs_bad_token.cnf", "unexpected token 'x3'"},
                        Case{"dimacs_double_header.cnf", "second 'p' header"},
                        Case{"dimacs_negative_header.cnf", "not a non-negative integer"},
                        Case{"dimacs_header_trailing_text.cnf", "after the clause count"},
                        Case{"dimacs_literal_overflow.cnf", "exceeds the variable limit"}}) {
    SCOPED_TRACE(c.file);
    absl::StatusOr<CnfFormula> cnf = ParseDimacs(testing::ReadTestdata(c.file));
    ASSERT_FALSE(cnf.ok());
    EXPECT_EQ(cnf.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(cnf.status().message().find(c.message_part), std::string::npos)
        << cnf.status().message();
  }
}

TEST(Dimacs, HugeVariableCountCostsOnlyTheVariablesUsed) {
  absl::StatusOr<CnfFormula> cnf = ParseDimacs(testing::ReadTestdata("dimacs_huge_var_count.cnf"));
  ASSERT_TRUE(cnf.ok()) << cnf.status();
  EXPECT_EQ(cnf->num_vars, 1073741823);
  EXPECT_EQ(cnf->dense_to_var.size(), 2u);
  EXPECT_EQ(Clauses(*cnf), (std::vector<std::vector<int>>{{1073741823, -1}, {-1073741823}}));
}

TEST(Dimacs, AcceptsEmptyClauseAndEmptyFormula) {
  absl::StatusOr<CnfFormula> empty_clause =
      ParseDimacs(testing::ReadTestdata("dimacs_empty_clause.cnf"));
  ASSERT_TRUE(empty_clause.ok()) << empty_clause.status();
  EXPECT_EQ(Clauses(*empty_clause), (std::vector<std::vector<int>>{{}}));
  absl::StatusOr<CnfFormula> none = ParseDimacs(testing::ReadTestdata("dimacs_zero_vars.cnf"));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->num_clauses(), 0u);
}

TEST(Dimacs, RejectsEmptyInput) {
  EXPECT_EQ(ParseDimacs("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDimacs("c only a comment\n").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Dimacs, LooksLikeDimacsOnlyForCommentOrHeader) {
  EXPECT_TRUE(LooksLikeDimacs("  p cnf 1 1\n1 0"));
  EXPECT_TRUE(LooksLikeDimacs("\nc hi\np cnf 1 1"));
  EXPECT_FALSE(LooksLikeDimacs("!A!BC & A!BD"));
  EXPECT_FALSE(LooksLikeDimacs("CDE & AB"));
  EXPECT_FALSE(LooksLikeDimacs(""));
}

}  // namespace
}  // namespace arbiter::sat
