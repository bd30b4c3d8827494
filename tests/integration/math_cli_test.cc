// The math verifier through the real server and CLI: every public vector of spec/math.md §5
// (verifiers/math/testdata/spec_vectors.jsonl) scores as the spec says, and `arbiter score
// --pass_at=1,4` over the MATH-style example file (verifiers/math/testdata/math_style.jsonl)
// prints its pass@k, with the per-sample MathDetail printed as JSON.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cli_fixture.h"

namespace arbiter::integration {
namespace {

using json = nlohmann::json;

class MathCliTest : public CliFixture {};

std::string SourcePath(const std::string& rel) {
  const char* root = std::getenv("ARBITER_SOURCE_DIR");
  return absl::StrCat(root != nullptr ? root : ".", "/", rel);
}

std::vector<json> ReadJsonLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

TEST_F(MathCliTest, EveryPublicVectorHoldsThroughTheServer) {
  const std::vector<json> vectors =
      ReadJsonLines(SourcePath("verifiers/math/testdata/spec_vectors.jsonl"));
  ASSERT_EQ(vectors.size(), 29u);
  std::vector<json> groups;
  for (const json& v : vectors) {
    json task = {{"verifier", "math"}, {"ground_truth", v["gold"]}};
    if (!v["mode"].get<std::string>().empty()) task["mode"] = v["mode"];
    groups.push_back({{"group_id", absl::StrCat("vector-", v["id"].get<int>())},
                      {"task", task},
                      {"samples", {{{"completion", v["completion"]}}}}});
  }
  const std::vector<json> results = Score(groups);
  ASSERT_EQ(results.size(), vectors.size());
  for (size_t i = 0; i < results.size(); ++i) {
    const json& r = results[i];
    ASSERT_EQ(r["status"]["code"], 0) << r.dump();
    EXPECT_EQ(r["samples"][0]["outcome"], vectors[i]["want"]) << r.dump();
    EXPECT_DOUBLE_EQ(r["samples"][0]["score"].get<double>(), vectors[i]["score"].get<double>())
        << r.dump();
    EXPECT_EQ(r["samples"][0]["extension"]["@type"],
              "type.googleapis.com/arbiter.math.v1.MathDetail")
        << r.dump();
  }
}

TEST_F(MathCliTest, ScoreOverMathStyleFilePrintsPassAtK) {
  const std::string output = scratch_.path() + "/out.jsonl";
  const RunResult run =
      Cli({"score", "--input=" + SourcePath("verifiers/math/testdata/math_style.jsonl"),
           "--output=" + output, "--pass_at=1,4"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string report = run.out + run.err;
  EXPECT_NE(report.find("pass@1: 0.416667 over 6 groups"), std::string::npos) << report;
  EXPECT_NE(report.find("pass@4: 1.000000 over 6 groups"), std::string::npos) << report;
  EXPECT_NE(report.find("1 failed (1 INVALID_ARGUMENT)"), std::string::npos) << report;
  const std::vector<json> results = ReadJsonLines(output);
  ASSERT_EQ(results.size(), 7u);
  EXPECT_EQ(results[0]["samples"][1]["extension"]["extracted"], "0.75");
  EXPECT_EQ(results[5]["samples"][1]["score"], -1);  // dapo: `Answer: 34.` as verl scores it
  EXPECT_NE(results[6]["status"]["message"].get<std::string>().find("\\frac{1}{"),
            std::string::npos);
}

}  // namespace
}  // namespace arbiter::integration
