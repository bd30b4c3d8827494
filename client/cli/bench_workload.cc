#include "client/cli/bench_workload.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/jsonl.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli {
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

// Reasoning-like filler of exactly `bytes` bytes.
std::string Filler(size_t bytes, const SatRow& row) {
  const std::string sentence = absl::StrCat(
      "Consider the clauses of the ", row.n_sat, "-SAT formula over ", row.k,
      " variables; try an assignment, check each clause, and backtrack when one fails. ");
  std::string out;
  out.reserve(bytes + sentence.size());
  while (out.size() < bytes) out += sentence;
  out.resize(bytes);
  return out;
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

v1::ScoreRequest BuildRequest(const std::vector<SatRow>& rows, size_t first_row,
                              const WorkloadOptions& options) {
  v1::ScoreRequest request;
  const int group_size = std::max(1, options.group_size);
  const int groups = std::max(1, options.batch / group_size);
  for (int g = 0; g < groups; ++g) {
    const SatRow& row = rows[(first_row + static_cast<size_t>(g)) % rows.size()];
    v1::Group* group = request.add_groups();
    group->set_group_id(absl::StrCat("row-", row.id));
    group->mutable_task()->set_verifier("sat");
    if (options.ground_truth) {
      group->mutable_task()->set_ground_truth(
          nlohmann::json{{"clause", row.clause}, {"k", row.k}}.dump());
    } else {
      group->mutable_task()->mutable_sat()->set_formula(row.clause);
      group->mutable_task()->mutable_sat()->set_k(row.k);
    }
    std::string wrong = row.solution;
    if (!wrong.empty()) wrong[0] = wrong[0] == '1' ? '0' : '1';
    for (int s = 0; s < group_size; ++s) {
      std::string tail;
      switch (s % 4) {
        case 0:
        case 1:
          tail = absl::StrCat("\n**Final Answer**\n\\boxed{", row.solution, "}");
          break;
        case 2:
          tail = absl::StrCat("\n**Final Answer**\n\\boxed{", wrong, "}");
          break;
        default:
          tail = "\nI could not find a satisfying assignment.";
      }
      const size_t body = static_cast<size_t>(std::max<int64_t>(
          kNonceBytes,
          static_cast<int64_t>(options.completion_bytes) - static_cast<int64_t>(tail.size())));
      v1::Sample* sample = group->add_samples();
      sample->set_completion(Filler(body, row) + tail);
      sample->set_num_tokens(static_cast<int64_t>(sample->completion().size() / 4));
      sample->set_logprob(-0.1 * (s + 1));
    }
  }
  return request;
}

void StampNonce(uint64_t request_number, v1::ScoreRequest* request) {
  uint32_t sample_number = 0;
  for (v1::Group& group : *request->mutable_groups()) {
    for (v1::Sample& sample : *group.mutable_samples()) {
      // 24 bytes: "[" + 16 hex + ":" + 5 hex + "]".
      const std::string tag =
          absl::StrFormat("[%016x:%05x]", request_number, sample_number++ & 0xFFFFF);
      std::string* completion = sample.mutable_completion();
      if (completion->size() >= tag.size()) std::memcpy(completion->data(), tag.data(), tag.size());
    }
  }
}

double Percentile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

bool IsLoopbackTarget(const std::string& target) {
  std::string t = target;
  for (const char* scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
    if (absl::StartsWith(t, scheme)) t = t.substr(std::strlen(scheme));
  }
  if (absl::StartsWith(t, "unix:")) return true;
  if (absl::StartsWith(t, "127.")) return true;
  if (absl::StartsWith(t, "localhost:") || t == "localhost") return true;
  return absl::StartsWith(t, "[::1]") || t == "::1";
}

}  // namespace arbiter::client::cli
