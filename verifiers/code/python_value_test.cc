#include "verifiers/code/python_value.h"

#include <cmath>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace arbiter::code {
namespace {

using json = nlohmann::json;

// The tagged value the harness sends for a Python result (python_types).
json Py(const char* tagged) { return PythonValue(json(), tagged); }
json J(const char* text) { return json::parse(text); }

TEST(PythonValue, ExactOrMalformedTypesFallBackToThePlainJson) {
  EXPECT_EQ(PythonValue(J("[1, {\"a\": 2}]"), "exact"),
            J(R"(["list", [1, ["dict", [["a", 2]]]]])"));
  EXPECT_EQ(PythonValue(J("[1]"), ""), J(R"(["list", [1]])"));
  EXPECT_EQ(PythonValue(J("[1]"), "[\"set\", [1]]"), J(R"(["list", [1]])"));
  EXPECT_EQ(PythonValue(J("[1]"), "{\"a\": 1}"), J(R"(["list", [1]])"));
  EXPECT_EQ(PythonValue(J("[1]"), "not json"), J(R"(["list", [1]])"));
}

TEST(PythonValue, EqualityIsPythons) {
  EXPECT_TRUE(PythonEqual(Py(R"(["list", [1, true, 2.0]])"), Tagged(J("[1.0, 1, 2]"))));
  EXPECT_FALSE(PythonEqual(Py(R"(["tuple", [1, 2]])"), Tagged(J("[1, 2]"))));
  // 1, 1.0 and True are one dict key; "1" is another.
  EXPECT_TRUE(PythonEqual(Py(R"(["dict", [[1, "a"]]])"), Py(R"(["dict", [[1.0, "a"]]])")));
  EXPECT_TRUE(PythonEqual(Py(R"(["dict", [[true, "a"]]])"), Py(R"(["dict", [[1, "a"]]])")));
  EXPECT_FALSE(PythonEqual(Py(R"(["dict", [[1, "a"]]])"), Tagged(J(R"({"1": "a"})"))));
  const json nan_key = json::array({"dict", json::array({json::array({std::nan(""), 1})})});
  EXPECT_FALSE(PythonEqual(nan_key, nan_key));
  EXPECT_FALSE(PythonEqual(Py(R"(["list", [1]])"), Tagged(J("[1.0]")), /*strict_types=*/true));
}

TEST(PythonValue, LiveCodeBenchTurnsOnlyATopLevelTupleIntoAList) {
  EXPECT_TRUE(LiveCodeBenchCallMatches(Py(R"(["tuple", [1, 2]])"), J("[1, 2]"), false));
  EXPECT_FALSE(
      LiveCodeBenchCallMatches(Py(R"(["list", [["tuple", [1, 2]]]])"), J("[[1, 2]]"), false));
  EXPECT_FALSE(LiveCodeBenchCallMatches(Py(R"(["dict", [[1, 2]]])"), J(R"({"1": 2})"), false));
  EXPECT_TRUE(LiveCodeBenchCallMatches(Tagged(J(R"({"1": 2})")), J(R"({"1": 2})"), false));
}

TEST(PythonValue, AppsGivesNumericExpectedKeysIntKeys) {
  EXPECT_TRUE(AppsCallMatches(Py(R"(["dict", [[1, 2]]])"), J(R"({"1": 2})"), true));
  EXPECT_TRUE(AppsCallMatches(Py(R"(["dict", [[1, 2]]])"), J(R"([{" +1": 2}])"), true));
  EXPECT_FALSE(AppsCallMatches(Tagged(J(R"({"1": 2})")), J(R"({"1": 2})"), true));
  EXPECT_FALSE(AppsCallMatches(Tagged(J(R"({"1": 2})")), J(R"([{"1": 2}])"), true));
  // A key int() refuses leaves the dict as it is.
  EXPECT_TRUE(AppsCallMatches(Tagged(J(R"({"a": 2})")), J(R"([{"a": 2}])"), true));
  EXPECT_FALSE(AppsCallMatches(Py(R"(["dict", [[1, 2]]])"), J(R"({"1_": 2})"), true));
}

TEST(PythonValue, AppsListsTuplesOnlyAgainstTheFirstExpectedElement) {
  const json pairs = Py(R"(["list", [["tuple", [1, 2]], ["tuple", [3, 4]]]])");
  EXPECT_TRUE(AppsCallMatches(pairs, J("[[[1, 2], [3, 4]]]"), true));
  EXPECT_FALSE(AppsCallMatches(pairs, J("[[1, 2], [3, 4]]"), true));
  EXPECT_TRUE(AppsCallMatches(Py(R"(["tuple", [1, 2]])"), J("[1, 2]"), true));
  // Deeper tuples stay tuples.
  EXPECT_FALSE(
      AppsCallMatches(Py(R"(["list", [["list", [["tuple", [1]]]]]])"), J("[[[[1]]]]"), true));
}

}  // namespace
}  // namespace arbiter::code
