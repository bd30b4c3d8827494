#include "client/cli/bench/sat_rows.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "client/jsonl.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli::bench {
namespace {

absl::Status ReadFile(const std::string& path, std::vector<SatRow>* rows) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string line;
  for (int64_t number = 1; std::getline(in, line); ++number) {
    if (IsBlankLine(line)) continue;
    const nlohmann::json row = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (row.is_discarded() || !row.is_object() || !row.contains("clause") ||
        !row.contains("solution") || !row.contains("k") || !row["clause"].is_string() ||
        !row["solution"].is_string() || !row["k"].is_number_integer()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": not a Saturn row (id, k, solution, clause)"));
    }
    SatRow r;
    r.id = row.value("id", int64_t{0});
    r.n_sat = row.value("n_sat", 0);
    r.k = row["k"].get<int>();
    r.solution = row["solution"].get<std::string>();
    r.clause = row["clause"].get<std::string>();
    rows->push_back(std::move(r));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<SatRow>> ReadSaturnRows(const std::vector<std::string>& paths) {
  std::vector<SatRow> rows;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::string> files;
      for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        if (entry.path().extension() == ".jsonl") files.push_back(entry.path().string());
      }
      std::sort(files.begin(), files.end());
      for (const std::string& f : files) {
        if (absl::Status s = ReadFile(f, &rows); !s.ok()) return s;
      }
    } else if (absl::Status s = ReadFile(path, &rows); !s.ok()) {
      return s;
    }
  }
  if (rows.empty()) return absl::NotFoundError("no Saturn rows found");
  return rows;
}

std::vector<std::string> DefaultSaturnInputs() {
  std::vector<std::string> candidates = {"../shared/data/saturn/test"};
  if (const char* shared = std::getenv("ARBITER_SHARED_DIR"); shared != nullptr) {
    candidates.push_back(std::string(shared) + "/data/saturn/test");
  }
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_directory(c, ec)) return {c};
  }
  return {};
}

}  // namespace arbiter::client::cli::bench
