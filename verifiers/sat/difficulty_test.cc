#include "verifiers/sat/difficulty.h"

#include "gtest/gtest.h"

namespace arbiter::sat {
namespace {

TEST(Difficulty, Spec15Vectors) {
  struct V {
    int n, k, l;
    double d;
  };
  for (const V& v : {V{3, 5, 5, 5.632451}, V{3, 5, 6, 6.158520}, V{3, 5, 8, 6.988595},
                     V{3, 5, 13, 8.389474}, V{3, 5, 15, 8.802376}, V{3, 5, 20, 9.632451},
                     V{3, 5, 25, 10.276307}, V{3, 6, 20, 10.228819}, V{3, 7, 20, 10.784544},
                     V{3, 7, 40, 12.784544}, V{4, 7, 20, 9.201211}, V{4, 7, 40, 11.201211},
                     V{4, 8, 40, 11.643856}, V{5, 8, 40, 10.243856}, V{6, 7, 40, 8.617878}}) {
    EXPECT_NEAR(Difficulty(v.n, v.k, v.l), v.d, 5e-7) << v.n << "," << v.k << "," << v.l;
  }
}

TEST(PassAtK, Spec02Vectors) {
  EXPECT_NEAR(*PassAtK(12, 3, 1), 0.25, 1e-12);
  EXPECT_NEAR(*PassAtK(12, 3, 3), 1.0 - 84.0 / 220.0, 1e-12);
  EXPECT_NEAR(*PassAtK(12, 3, 3), 0.618182, 5e-7);
  EXPECT_EQ(*PassAtK(12, 0, 3), 0.0);
  EXPECT_EQ(*PassAtK(12, 10, 3), 1.0);
}

TEST(PassAtK, RejectsInconsistentCounts) {
  EXPECT_FALSE(PassAtK(0, 0, 1).ok());
  EXPECT_FALSE(PassAtK(12, 13, 1).ok());
  EXPECT_FALSE(PassAtK(12, -1, 1).ok());
  EXPECT_FALSE(PassAtK(12, 3, 0).ok());
  EXPECT_FALSE(PassAtK(12, 3, 13).ok());
}

TEST(Curriculum, Spec18Vector) {
  absl::StatusOr<CurriculumStep> up = NextCurriculumStep(3, 5, 5, 0.55, 0.5, 1);
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_TRUE(up->advanced);
  EXPECT_EQ(up->l, 6);
  EXPECT_NEAR(up->difficulty, 6.158520, 5e-7);
  absl::StatusOr<CurriculumStep> stay = NextCurriculumStep(3, 5, 5, 0.50, 0.5, 1);
  ASSERT_TRUE(stay.ok());
  EXPECT_FALSE(stay->advanced);
  EXPECT_EQ(stay->l, 5);
  EXPECT_NEAR(stay->difficulty, 5.632451, 5e-7);
}

TEST(Curriculum, DefaultsAreEpsilonHalfAndDeltaOne) {
  absl::StatusOr<CurriculumStep> up = NextCurriculumStep(3, 5, 13, 0.51, 0, 0);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->l, 14);
  absl::StatusOr<CurriculumStep> two = NextCurriculumStep(3, 5, 13, 0.8, 0.75, 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->l, 15);
}

TEST(Curriculum, RejectsBadParametersNamingThem) {
  EXPECT_NE(NextCurriculumStep(3, 5, 5, 1.5, 0.5, 1).status().message().find("pass_at_1"),
            std::string::npos);
  EXPECT_NE(NextCurriculumStep(3, 5, 5, 0.5, 1.0, 1).status().message().find("epsilon"),
            std::string::npos);
  EXPECT_NE(NextCurriculumStep(3, 5, 5, 0.5, 0.5, -1).status().message().find("delta_l"),
            std::string::npos);
  EXPECT_NE(NextCurriculumStep(6, 5, 5, 0.5, 0.5, 1).status().message().find("n = 6"),
            std::string::npos);
  EXPECT_NE(NextCurriculumStep(3, 3, 7, 0.9, 0.5, 1).status().message().find("delta_l"),
            std::string::npos);
}

TEST(ValidateShape, NamesTheParameter) {
  EXPECT_TRUE(ValidateShape(3, 5, 70).ok());
  EXPECT_NE(ValidateShape(3, 5, 71).message().find("l = 71"), std::string::npos);
  EXPECT_NE(ValidateShape(3, 27, 5).message().find("k = 27"), std::string::npos);
  EXPECT_NE(ValidateShape(0, 5, 5).message().find("n = 0"), std::string::npos);
  EXPECT_NE(ValidateShape(3, 5, 0).message().find("l = 0"), std::string::npos);
  EXPECT_EQ(MaxClausesPerSolution(3, 5), 70);
  EXPECT_EQ(MaxClausesPerSolution(26, 26), (int64_t{1} << 26) - 1);
}

}  // namespace
}  // namespace arbiter::sat
