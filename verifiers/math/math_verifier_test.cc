#include "verifiers/math/math_verifier.h"

#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "verifiers/math/math.pb.h"
#include "verifiers/math/math_test_util.h"
#include "verifiers/math/register.h"

namespace arbiter::math {
namespace {

arbiter::v1::SampleResult Score(const std::string& gold, const std::string& completion,
                                const std::string& mode = "") {
  return testing::ScoreOne(gold, completion, mode);
}

arbiter::math::v1::MathDetail Detail(const arbiter::v1::SampleResult& r) {
  arbiter::math::v1::MathDetail d;
  EXPECT_TRUE(r.extension().UnpackTo(&d));
  return d;
}

struct Vector {
  int id;
  const char* mode;
  const char* gold;
  const char* completion;
  arbiter::v1::Outcome want;
  double score;
};

// spec/math.md §5, every row.
const Vector kVectors[] = {
    {1, "", R"(\frac{3}{4})", R"(So the probability is $\boxed{\frac{3}{4}}$.)",
     arbiter::v1::CORRECT, 1},
    {2, "", R"(\frac{3}{4})", R"(... $\boxed{0.75}$.)", arbiter::v1::CORRECT, 1},
    {3, "", R"(\frac{3}{4})", R"(... $\boxed{\frac{4}{3}}$.)", arbiter::v1::INCORRECT, 0},
    {4, "", R"(3\sqrt{3})", R"(The height is $\boxed{\sqrt{27}}$.)", arbiter::v1::CORRECT, 1},
    {5, "", "(2,-1)", R"(The lines meet at $\boxed{(2, -1)}$.)", arbiter::v1::CORRECT, 1},
    {6, "", "(2,-1)", R"(The lines meet at $\boxed{(-1, 2)}$.)", arbiter::v1::INCORRECT, 0},
    {7, "", R"([3,\infty))", R"(The domain is $\boxed{[3, \infty)}$.)", arbiter::v1::CORRECT, 1},
    {8, "", R"([3,\infty))", R"(The domain is $\boxed{(3, \infty)}$.)", arbiter::v1::INCORRECT, 0},
    {9, "", R"(15\%)", R"(The discount is $\boxed{15\%}$.)", arbiter::v1::CORRECT, 1},
    {10, "", "12", R"(The perimeter is $\boxed{12\text{ cm}}$.)", arbiter::v1::CORRECT, 1},
    {11, "", "x^2-1", R"(Factoring, the product is $\boxed{(x-1)(x+1)}$.)", arbiter::v1::CORRECT,
     1},
    {12, "", "1250", R"(The total cost is $\boxed{1,250}$ dollars.)", arbiter::v1::CORRECT, 1},
    {13, "", "7",
     "<think>\nMaybe 5? No, I forgot the last case.\n</think>\n\nThere are $\\boxed{7}$ "
     "arrangements.",
     arbiter::v1::CORRECT, 1},
    {14, "", "7", "I could not finish this problem.", arbiter::v1::NO_ANSWER, 0},
    {15, "", R"(\begin{pmatrix} 2 & 0 \\ 0 & 2 \end{pmatrix})",
     R"(Hence $\mathbf{M} = \boxed{\begin{pmatrix} 2 & 0 \\ 0 & 2 \end{pmatrix}}$.)",
     arbiter::v1::CORRECT, 1},
    {16, "", "y=-2x+5", R"(The tangent line is $\boxed{y = 5 - 2x}$.)", arbiter::v1::CORRECT, 1},
    {17, "", R"(\frac{1}{7})", R"(As a decimal this is $\boxed{0.142857}$.)", arbiter::v1::CORRECT,
     1},
    {18, "", R"(\frac{1}{7})", R"(As a decimal this is about $\boxed{0.14}$.)",
     arbiter::v1::INCORRECT, 0},
    {19, "", "-4", R"(The minimum value is $\boxed{4}$.)", arbiter::v1::INCORRECT, 0},
    {20, "", R"(\pi)", R"(The area is approximately $\boxed{3.14}$.)", arbiter::v1::INCORRECT, 0},
    {21, "gsm8k", "96", "She works 8 hours at $12 per hour: 12 * 8 = 96.\n#### 96",
     arbiter::v1::CORRECT, 1},
    {22, "gsm8k", "96", "..., so she earns 96 dollars. The answer is 96", arbiter::v1::NO_ANSWER,
     0},
    {23, "gsm8k", "2500", "5 * 500 = 2,500\n#### 2,500", arbiter::v1::CORRECT, 1},
    {24, "dapo", "96", "12 * 8 = 96\nAnswer: 96", arbiter::v1::CORRECT, 1},
    {25, "dapo", "96", R"(So she earns $\boxed{96}$ dollars.)", arbiter::v1::NO_ANSWER, -1},
    {26, "dapo", R"(\frac{3}{4})", "Answer: 0.75", arbiter::v1::INCORRECT, -1},
    {27, "minerva", R"(\frac{3}{4})",
     R"(Final Answer: The final answer is $\frac34$. I hope it is correct.)", arbiter::v1::CORRECT,
     1},
    {28, "minerva", "96", R"(So she earns $\boxed{96}$ dollars.)", arbiter::v1::NO_ANSWER, 0},
    {29, "multiple_choice", "B", "Only option B satisfies both conditions, so the answer is B.",
     arbiter::v1::CORRECT, 1},
};

TEST(MathVerifier, EveryPublicVectorOfTheSpecHolds) {
  for (const Vector& v : kVectors) {
    const arbiter::v1::SampleResult r = Score(v.gold, v.completion, v.mode);
    EXPECT_EQ(r.outcome(), v.want) << "vector " << v.id << ": " << r.DebugString();
    EXPECT_EQ(r.score(), v.score) << "vector " << v.id;
  }
}

TEST(MathVerifier, DetailCarriesExtractedAndBothNormalisedForms) {
  const arbiter::math::v1::MathDetail d = Detail(Score(R"(\frac{3}{4})", R"($\boxed{0.75}$)"));
  EXPECT_EQ(d.mode(), "math_verify");
  EXPECT_EQ(d.extracted(), "0.75");
  EXPECT_FALSE(d.normalized_prediction().empty());
  EXPECT_FALSE(d.normalized_gold().empty());
}

TEST(MathVerifier, UnknownModeIsInvalidArgumentListingModes) {
  MathVerifier verifier;
  arbiter::v1::Task task;
  task.set_ground_truth("1");
  task.set_mode("sympy");
  auto prepared = verifier.Prepare(task);
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(prepared.status().message().find("minerva"), std::string::npos);
}

TEST(MathVerifier, UnparsableGoldIsInvalidArgumentNamingIt) {
  MathVerifier verifier;
  arbiter::v1::Task task;
  task.set_ground_truth(R"(\frac{1}{)");
  auto prepared = verifier.Prepare(task);
  ASSERT_FALSE(prepared.ok());
  EXPECT_NE(prepared.status().message().find("\\frac{1}{"), std::string::npos);
}

TEST(MathVerifier, TypedTaskInExtensionIsHonoured) {
  MathVerifier verifier;
  arbiter::math::v1::MathTask typed;
  typed.set_answer("34");
  typed.set_mode("dapo");
  arbiter::v1::Task task;
  task.mutable_extension()->PackFrom(typed);
  auto prepared = verifier.Prepare(task);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  arbiter::v1::Sample sample;
  sample.set_completion("Answer: 34.");
  EXPECT_EQ(verifier.Check(**prepared, sample, {}).score(), -1.0);  // verl parity
}

TEST(MathVerifier, JsonObjectGroundTruthCarriesModeAndOptions) {
  auto r = Score(R"({"answer": "7", "answer_after": "</think>"})", R"(\boxed{7} no think tag)");
  EXPECT_EQ(r.outcome(), arbiter::v1::NO_ANSWER);
  r = Score(R"({"answer": ["0.01\n", "0.02\n"], "mode": "math_verify"})", R"($\boxed{0.02}$)");
  EXPECT_EQ(r.outcome(), arbiter::v1::CORRECT);
}

TEST(MathVerifier, DatasetLabelShapesAreAccepted) {
  EXPECT_EQ(Score("025", R"(\boxed{25})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score("142.0", R"(\boxed{142})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score(R"(["0.01\n","0.02\n"])", R"(\boxed{0.01})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score(R"(8.7 \times 10^{8})", R"(\boxed{870000000})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score("4.5e33", R"(\boxed{4.5\times 10^{33}})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score(R"($4,-\frac{4}{3}$)", R"(\boxed{-\frac43, 4})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score("$-3+11 i$", R"(\boxed{11i - 3})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score(R"(\text{Evelyn})", R"(\boxed{\text{evelyn}})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score(R"(90^\circ)", R"(\boxed{90})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score(R"(14{,}916)", R"(\boxed{14916})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score("p - q", R"(\boxed{-q+p})").outcome(), arbiter::v1::CORRECT);
  EXPECT_EQ(Score(R"(\left( 3, \frac{\pi}{2} \right))", R"(\boxed{(3, \pi/2)})").outcome(),
            arbiter::v1::CORRECT);
}

TEST(MathVerifier, ExactValuesAreNeverAcceptedOnANumericChop) {
  EXPECT_EQ(Score(R"(\frac{1}{2004!})", R"(\boxed{\frac{1}{2006!}})").outcome(),
            arbiter::v1::INCORRECT);
  EXPECT_EQ(Score(R"(\frac{1}{2004!})", R"(\boxed{\frac{1}{2004!}})").outcome(),
            arbiter::v1::CORRECT);
}

// Sanitizers slow this CPU-bound work several times over (ASan+UBSan about 10x, TSan more):
// their builds stretch the time bound, the normal build keeps it.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kSanitizerSlowdown = 10;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr int kSanitizerSlowdown = 10;
#else
constexpr int kSanitizerSlowdown = 1;
#endif
#else
constexpr int kSanitizerSlowdown = 1;
#endif

TEST(MathVerifier, PowerTowersAndGarbageReturnPromptly) {
  const absl::Time start = absl::Now();
  auto r = Score("2", R"(\boxed{2^{2^{2^{2^{2^{2^{2}}}}}}})");
  EXPECT_EQ(r.outcome(), arbiter::v1::INCORRECT);
  EXPECT_NE(r.message().find("cap"), std::string::npos) << r.DebugString();
  std::string garbage;
  for (int i = 0; i < 100 * 1024 / 8; ++i) garbage += "$(\\frac{";
  EXPECT_NE(Score("2", garbage).outcome(), arbiter::v1::CORRECT);
  std::string nested(50000, '(');
  EXPECT_NE(Score("2", "\\boxed{" + nested + "}").outcome(), arbiter::v1::CORRECT);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2) * kSanitizerSlowdown);
}

TEST(MathVerifier, RegistersUnderItsName) {
  sdk::VerifierRegistry registry;
  ASSERT_TRUE(RegisterMathVerifier(registry).ok());
  EXPECT_NE(registry.Find("math"), nullptr);
}

}  // namespace
}  // namespace arbiter::math
