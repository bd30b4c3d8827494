// Differential test of the compat scanners against an independent regex implementation of spec
// §3.4 (Python `re`, the engine BeamPERL uses). testdata/compat_oracle.jsonl holds 1000 random
// token soups (boxes, fractions, signs, zeros, think tags, Unicode) with the oracle's format
// verdict and extracted coefficients; seed 20261122.
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "verifiers/beam/compat.h"

namespace arbiter::beam {
namespace {

void ExpectSameValues(const std::vector<double>& got, const nlohmann::json& want,
                      const std::string& text) {
  ASSERT_EQ(got.size(), want.size()) << text;
  for (size_t i = 0; i < got.size(); ++i) {
    const double w = want[i].get<double>();
    EXPECT_TRUE(got[i] == w || (std::isnan(got[i]) && std::isnan(w))) << text;
  }
}

TEST(CompatOracle, ScannersAgreeWithRegexOracle) {
  const char* dir = std::getenv("ARBITER_SOURCE_DIR");
  ASSERT_NE(dir, nullptr);
  std::ifstream in(std::string(dir) + "/verifiers/beam/testdata/compat_oracle.jsonl");
  ASSERT_TRUE(in.good());
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    const nlohmann::json c = nlohmann::json::parse(line);
    const std::string text = c["text"].get<std::string>();
    EXPECT_EQ(FormatOk(text), c["format"].get<bool>()) << text;
    std::vector<double> pred, gold;
    ExtractCoefficients(TextAfterThink(text), /*gold=*/false, &pred);
    ExtractCoefficients(text, /*gold=*/true, &gold);
    ExpectSameValues(pred, c["pred"], text);
    ExpectSameValues(gold, c["gold"], text);
    ++cases;
  }
  EXPECT_EQ(cases, 1000);
}

}  // namespace
}  // namespace arbiter::beam
