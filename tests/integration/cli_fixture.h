// A gtest fixture for end-to-end tests: the real arbiterd (started per test on 127.0.0.1:0,
// SIGKILLed at worst when the test ends) and a runner for the real `arbiter` CLI against it.
// Needs ARBITER_BINARY_DIR (ctest sets it); a missing binary fails the test, never skips it.
//
// Thread-safety: one test thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/server_process.h"
#include "tests/integration/subprocess.h"

namespace arbiter::integration {

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override;

  // Runs `arbiter <words...> --server=<this test's server>` with `stdin_path` as its input,
  // bounded by `timeout`.
  RunResult Cli(const std::vector<std::string>& words, absl::Duration timeout = absl::Seconds(180),
                const std::string& stdin_path = "/dev/null");

  // Writes `lines` as JSON Lines to `name` in the test's scratch directory; returns the path.
  std::string WriteLines(const std::string& name, const std::vector<nlohmann::json>& lines);

  // `arbiter score` over `groups` (one JSON Lines row each) with `extra_flags`; expects exit 0
  // and one result per group, in order.
  std::vector<nlohmann::json> Score(const std::vector<nlohmann::json>& groups,
                                    const std::vector<std::string>& extra_flags = {},
                                    absl::Duration timeout = absl::Seconds(120));

  // Non-empty JSON Lines of `text`, parsed.
  static std::vector<nlohmann::json> ParseLines(const std::string& text);

  TempDir scratch_;
  std::string cli_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace arbiter::integration
