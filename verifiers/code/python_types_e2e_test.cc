// Python function results through the real sandbox where JSON loses what the graders' `==`
// sees (tuple vs list, int vs string dict keys): each dataset form is judged as its grader
// judges (python_value.h); dict arguments keep the row's key order, as json.loads keeps it. Skips
// (with the reason) where bubblewrap cannot create namespaces.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

struct Case {
  std::string body;  // of `def f(x):`
  bool grader_accepts;
  v1::TestVerdict verdict = v1::TEST_VERDICT_UNSPECIFIED;  // of every test, when set
};

// Scores `def f(x): <body>` for each case against `ground_truth`.
void ExpectGraded(const std::string& ground_truth, const std::vector<Case>& cases) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto verifier = CodeVerifier::Create({std::move(runner), RunLimits(), RunLimits()});
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(ground_truth);
  std::vector<v1::Sample> samples;
  for (const Case& c : cases) {
    samples.emplace_back().set_completion("```python\ndef f(x):\n    " + c.body + "\n```\n");
  }
  auto results = sdk::ScoreGroup(**verifier, task, samples, {});
  ASSERT_TRUE(results.ok()) << results.status();
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ((*results)[i].outcome() == v1::CORRECT, cases[i].grader_accepts)
        << cases[i].body << ": " << v1::Outcome_Name((*results)[i].outcome()) << " "
        << (*results)[i].message();
    if (cases[i].verdict == v1::TEST_VERDICT_UNSPECIFIED) continue;
    ASSERT_EQ((*results)[i].code().turns_size(), 1) << cases[i].body;
    for (const v1::TestResult& test : (*results)[i].code().turns(0).tests()) {
      EXPECT_EQ(v1::TestVerdict_Name(test.verdict()), v1::TestVerdict_Name(cases[i].verdict))
          << cases[i].body << ": " << test.message();
    }
  }
}

TEST(PythonTypes, LiveCodeBenchTellsNestedTuplesAndIntKeysApart) {
  ExpectGraded(R"({"inputs": ["1"], "outputs": ["[[1, 2]]"], "fn_name": "f"})",
               {{"return [[x, 2]]", true},
                {"return ([x, 2],)", true},  // a top-level tuple becomes a list
                {"return [(x, 2)]", false}});
  ExpectGraded(R"({"inputs": ["1"], "outputs": ["{\"1\": 2}"], "fn_name": "f"})",
               {{"return {str(x): 2}", true}, {"return {x: 2}", false}});
}

TEST(PythonTypes, AppsGivesNumericKeysIntKeysAndListsTopLevelTuples) {
  ExpectGraded(R"({"inputs": [[1]], "outputs": [[{"1": 2}]], "fn_name": "f"})",
               {{"return {x: 2}", true}, {"return {str(x): 2}", false}});
  ExpectGraded(R"({"inputs": [[1]], "outputs": [[[[1, 2], [3, 4]]]], "fn_name": "f"})",
               {{"return [(x, 2), (3, 4)]", true},
                {"return [[x, 2], [3, 4]]", true},
                {"return [[(x, 2)], [3, 4]]", false}});
}

TEST(PythonTypes, AppsGivesADictArgumentIntKeysAndPassesItAlone) {
  // APPS: {"1": 2, "3": 4} arrives as {1: 2, 3: 4}; sum(k * v) = 14 (with string keys the
  // program raises TypeError). Keys that are not all ints stay strings.
  ExpectGraded(R"({"inputs": [[{"1": 2, "3": 4}]], "outputs": [14], "fn_name": "f"})",
               {{"return sum(k * v for k, v in x.items())", true},
                {"return sum(int(k + '0') * v for k, v in x.items()) // 10", false}});
  ExpectGraded(
      R"({"inputs": [[{"a": 2, "3": 4}]], "outputs": [["3", "a"]], "fn_name": "f"})",
      {{"return sorted(x, key=str)", true}, {"return sorted(x, key=lambda k: k + 0)", false}});
  // LiveCodeBench's form keeps JSON's string keys.
  ExpectGraded(R"({"inputs": ["{\"1\": 2, \"3\": 4}"], "outputs": ["14"], "fn_name": "f"})",
               {{"return sum(int(k) * v for k, v in x.items())", true},
                {"return sum(k * v for k, v in x.items())", false}});
}

TEST(PythonTypes, ADictArgumentArrivesInTheLabelsKeyOrder) {
  // json.loads keeps key order, so the graders call f with the dict as the row writes it: a
  // program returning its keys in iteration order is accepted, one that sorts them is not.
  // LiveCodeBench (one JSON argument per line):
  ExpectGraded(
      R"({"inputs": ["{\"b\": 1, \"a\": 2, \"c\": 3}"], "outputs": ["[\"b\", \"a\", \"c\"]"],
          "fn_name": "f"})",
      {{"return list(x.keys())", true}, {"return sorted(x)", false}});
  // APPS (input_output as the row stores it, JSON text): nested dicts keep their order too.
  ExpectGraded(
      R"({"input_output": "{\"fn_name\": \"f\", \"inputs\": [[{\"b\": {\"z\": 1, \"y\": 2}, )"
      R"(\"a\": {}}]], \"outputs\": [[[\"b\", \"z\", \"y\"], [\"a\"]]]}"})",
      {{"return [[k, *v] for k, v in x.items()]", true},
       {"return [[k, *sorted(v)] for k, v in sorted(x.items())]", false}});
  // APPS's int-key conversion is a dict comprehension over the parsed dict: the order survives.
  ExpectGraded(
      R"({"inputs": [[{"3": 1, "1": 2, "2": 3}]], "outputs": [[3, 1, 2]], "fn_name": "f"})",
      {{"return list(x)", true}, {"return sorted(x)", false}});
}

// A value JSON cannot carry is compared as the graders' `==` compares it with what json.loads
// made of the expected text: a set, a generator or an object equals no such value (WRONG_ANSWER,
// not RUNTIME_ERROR: the function returned); Decimal, Fraction and complex equal the numbers
// they are exactly.
TEST(PythonTypes, ValuesJsonCannotCarryAreUnequalAsTheGradersEqualityFindsThem) {
  constexpr v1::TestVerdict kWrong = v1::WRONG_ANSWER;
  for (const char* ground_truth :
       {R"({"inputs": ["1"], "outputs": ["[1, 2]"], "fn_name": "f"})",   // LiveCodeBench
        R"({"inputs": [[1]], "outputs": [[1, 2]], "fn_name": "f"})"}) {  // APPS
    SCOPED_TRACE(ground_truth);
    ExpectGraded(ground_truth, {{"return [x, 2]", true, v1::OK},
                                {"return {x, 2}", false, kWrong},
                                {"return frozenset([x, 2])", false, kWrong},
                                {"return (v for v in [x, 2])", false, kWrong},
                                {"return [x, {2}]", false, kWrong},
                                {"return [x, object()]", false, kWrong},
                                {"return [x, {(2,): 2}]", false, kWrong},
                                {"return [x, float('nan')]", false, kWrong},
                                {"l = [x]; l.append(l); return l", false, kWrong}});
  }
  ExpectGraded(
      R"({"inputs": ["1"], "outputs": ["[1, 0.5]"], "fn_name": "f"})",
      {{"return [__import__('decimal').Decimal(x), __import__('fractions').Fraction(1, 2)]", true,
        v1::OK},
       {"return [complex(x, 0), __import__('decimal').Decimal('0.50')]", true, v1::OK},
       {"return [x, __import__('fractions').Fraction(1, 3)]", false, kWrong},
       {"return [complex(x, 1), 0.5]", false, kWrong},
       {"return [__import__('decimal').Decimal('Infinity'), 0.5]", false, kWrong}});
  // Decimal('0.1') is not the float 0.1 (Python compares them exactly).
  ExpectGraded(R"({"inputs": ["1"], "outputs": ["[1, 0.1]"], "fn_name": "f"})",
               {{"return [x, 0.1]", true, v1::OK},
                {"return [x, __import__('decimal').Decimal('0.1')]", false, kWrong}});
}

}  // namespace
}  // namespace arbiter::code
