#include "client/cli/bench/report.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace arbiter::client::cli::bench {
namespace {

using json = nlohmann::json;

constexpr const char* kCsvColumns[] = {"workload",
                                       "transport",
                                       "loop",
                                       "concurrency",
                                       "rate",
                                       "prompts",
                                       "group_size",
                                       "tests",
                                       "completion_bytes",
                                       "calls_ok",
                                       "calls_failed",
                                       "wall_s",
                                       "rpc_per_s",
                                       "groups_per_s",
                                       "items_per_s",
                                       "items_per_s_per_core",
                                       "p50_ms",
                                       "p90_ms",
                                       "p95_ms",
                                       "p99_ms",
                                       "p99_9_ms",
                                       "max_ms",
                                       "correct",
                                       "incorrect",
                                       "no_answer",
                                       "infra_error",
                                       "cached",
                                       "group_errors",
                                       "load_1m",
                                       "client_cpu_s",
                                       "server_cpu_s"};

double Rate(double n, double seconds) { return seconds > 0 ? n / seconds : 0; }

// The CSV/flat value of `column`.
json Flat(const json& r, const std::string& column) {
  if (column.size() > 3 && column.substr(column.size() - 3) == "_ms") {
    return r["latency_ms"][column.substr(0, column.size() - 3)];
  }
  if (r["outcomes"].contains(column)) return r["outcomes"][column];
  if (column == "load_1m") return r["load_average_start"][0];
  return r.value(column, json());
}

std::string Cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return absl::StrFormat("%.6g", v.get<double>());
  return v.dump();
}

}  // namespace

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

json ReportJson(const RunConfig& config, const Measured& measured, LoadResult& result) {
  std::vector<double>& lat = result.latencies_ms;
  std::sort(lat.begin(), lat.end());
  const double s = result.wall_seconds;
  const double items_per_s = Rate(static_cast<double>(result.items), s);
  json r = {
      {"workload", config.workload},
      {"transport", config.transport},
      {"loop", config.rate > 0 ? "open" : "closed"},
      {"concurrency", config.concurrency},
      {"rate", config.rate},
      {"connections", config.connections},
      {"prompts", config.prompts},
      {"group_size", config.group_size},
      {"tests", config.tests},
      {"completion_bytes", config.completion_bytes},
      {"note", config.note},
      {"load_average_start", measured.load_average},
      {"cpus", measured.cpus},
      {"wall_s", s},
      {"calls_ok", result.ok},
      {"calls_failed", result.failed},
      {"rpc_per_s", Rate(static_cast<double>(result.ok), s)},
      {"groups_per_s", Rate(result.groups, s)},
      {"items_per_s", items_per_s},
      {"items_per_s_per_core", items_per_s / std::max(1, measured.cpus)},
      {"latency_ms",
       {{"p50", Percentile(lat, 0.5)},
        {"p90", Percentile(lat, 0.9)},
        {"p95", Percentile(lat, 0.95)},
        {"p99", Percentile(lat, 0.99)},
        {"p99_9", Percentile(lat, 0.999)},
        {"max", Percentile(lat, 1.0)},
        {"mean", lat.empty() ? 0.0
                             : std::accumulate(lat.begin(), lat.end(), 0.0) /
                                   static_cast<double>(lat.size())}}},
      {"errors", result.errors},
      {"first_error", result.first_error},
      {"outcomes",
       {{"correct", result.outcomes[1]},
        {"incorrect", result.outcomes[2]},
        {"no_answer", result.outcomes[3]},
        {"infra_error", result.outcomes[4]},
        {"unscored", result.outcomes[0]}}},
      {"cached", config.reports_cached ? json(result.cached) : json()},
      {"group_errors", result.group_errors},
      {"late_sends", result.late_sends},
      {"client_cpu_s", measured.client_cpu_seconds},
      {"server_cpu_s",
       measured.server_cpu_seconds >= 0 ? json(measured.server_cpu_seconds) : json()},
  };
  if (measured.server_cpu_seconds > 0) {
    r["items_per_server_cpu_s"] = static_cast<double>(result.items) / measured.server_cpu_seconds;
  }
  return r;
}

std::string ReportText(const json& r) {
  const json& l = r["latency_ms"];
  const bool per_sample = r["transport"] != "grpc";
  std::string out = absl::StrFormat(
      "arbiter bench: workload=%s transport=%s %s loop, concurrency %d%s; %s, groups of %d, "
      "%d tests, completion ~%d B\n",
      r["workload"].get<std::string>(), r["transport"].get<std::string>(),
      r["loop"].get<std::string>(), r["concurrency"].get<int>(),
      r["rate"].get<double>() > 0 ? absl::StrFormat(", rate %.0f/s", r["rate"].get<double>()) : "",
      per_sample ? "one sample per call"
                 : absl::StrFormat("%d groups per request", r["prompts"].get<int>()),
      r["group_size"].get<int>(), r["tests"].get<int>(), r["completion_bytes"].get<int>());
  if (!r["note"].get<std::string>().empty()) {
    absl::StrAppend(&out, "  note: ", r["note"].get<std::string>(), "\n");
  }
  absl::StrAppendFormat(&out, "  load average at start %.2f %.2f %.2f on %d CPUs\n",
                        r["load_average_start"][0].get<double>(),
                        r["load_average_start"][1].get<double>(),
                        r["load_average_start"][2].get<double>(), r["cpus"].get<int>());
  absl::StrAppendFormat(&out, "  calls ok %d, failed %d; wall %.3f s\n",
                        r["calls_ok"].get<int64_t>(), r["calls_failed"].get<int64_t>(),
                        r["wall_s"].get<double>());
  absl::StrAppendFormat(
      &out, "  throughput: %.1f RPC/s, %.1f groups/s, %.0f items/s (%.0f items/s per core)\n",
      r["rpc_per_s"].get<double>(), r["groups_per_s"].get<double>(), r["items_per_s"].get<double>(),
      r["items_per_s_per_core"].get<double>());
  absl::StrAppendFormat(
      &out, "  latency ms: p50 %.2f  p90 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
      l["p50"].get<double>(), l["p90"].get<double>(), l["p95"].get<double>(),
      l["p99"].get<double>(), l["p99_9"].get<double>(), l["max"].get<double>());
  const json& o = r["outcomes"];
  absl::StrAppendFormat(
      &out,
      "  outcomes: correct %d, incorrect %d, no_answer %d, infra_error %d, "
      "unscored %d; cached %s; group errors %d\n",
      o["correct"].get<int64_t>(), o["incorrect"].get<int64_t>(), o["no_answer"].get<int64_t>(),
      o["infra_error"].get<int64_t>(), o["unscored"].get<int64_t>(),
      Cell(r["cached"]).empty() ? "n/a" : Cell(r["cached"]), r["group_errors"].get<int64_t>());
  if (!r["errors"].empty()) {
    std::vector<std::string> parts;
    for (const auto& [code, n] : r["errors"].items())
      parts.push_back(absl::StrCat(code, " ", n.dump()));
    absl::StrAppend(&out, "  errors: ", absl::StrJoin(parts, ", "),
                    "; first: ", r["first_error"].get<std::string>(), "\n");
  }
  if (r["loop"] == "open") {
    absl::StrAppendFormat(&out, "  late sends (more than 1 ms after their slot): %d\n",
                          r["late_sends"].get<int64_t>());
  }
  absl::StrAppendFormat(&out, "  CPU: client %.2f s", r["client_cpu_s"].get<double>());
  if (!r["server_cpu_s"].is_null()) {
    absl::StrAppendFormat(&out, ", server %.2f s (%.0f items per server CPU-second)",
                          r["server_cpu_s"].get<double>(), r.value("items_per_server_cpu_s", 0.0));
  }
  absl::StrAppend(&out, "\n");
  return out;
}

std::string CsvHeader() { return absl::StrJoin(kCsvColumns, ","); }

std::string CsvRow(const json& report) {
  std::vector<std::string> cells;
  for (const char* column : kCsvColumns) cells.push_back(Cell(Flat(report, column)));
  return absl::StrJoin(cells, ",");
}

std::string SweepText(const std::string& key, const std::vector<json>& reports) {
  std::string out =
      absl::StrFormat("%12s %10s %10s %12s %9s %9s %9s %9s %6s\n", key, "RPC/s", "groups/s",
                      "items/s", "p50 ms", "p99 ms", "max ms", "failed", "load");
  for (const json& r : reports) {
    absl::StrAppendFormat(
        &out, "%12s %10.1f %10.1f %12.0f %9.2f %9.2f %9.2f %9d %6.2f\n", Cell(r["sweep_value"]),
        r["rpc_per_s"].get<double>(), r["groups_per_s"].get<double>(),
        r["items_per_s"].get<double>(), r["latency_ms"]["p50"].get<double>(),
        r["latency_ms"]["p99"].get<double>(), r["latency_ms"]["max"].get<double>(),
        r["calls_failed"].get<int64_t>(), r["load_average_start"][0].get<double>());
  }
  return out;
}

}  // namespace arbiter::client::cli::bench
