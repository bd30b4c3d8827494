// Helpers shared by this folder's tests (not part of the library): reading testdata files.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace arbiter::sat::testing {

// The bytes of verifiers/sat/testdata/<name>; fails the test when the file cannot be read.
inline std::string ReadTestdata(const std::string& name) {
  const char* root = std::getenv("ARBITER_SOURCE_DIR");
  EXPECT_NE(root, nullptr) << "ARBITER_SOURCE_DIR is not set (run through ctest)";
  if (root == nullptr) return "";
  const std::string path = std::string(root) + "/verifiers/sat/testdata/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace arbiter::sat::testing
