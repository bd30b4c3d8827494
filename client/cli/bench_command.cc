// `arbiter bench`: glue between the flags (bench/options.h), the workload (bench/workloads.h),
// the transport (bench/transport.h), the driver (bench/driver.h) and the report
// (bench/report.h). The pieces and their limits: bench/README.md.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "client/cli/bench/options.h"
#include "client/cli/bench/report.h"
#include "client/cli/commands.h"

namespace arbiter::client::cli {
namespace {

using bench::BenchOptions;
using nlohmann::json;

double ClientCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// utime + stime of `pid` in seconds, or -1 when it cannot be read.
double ProcessCpuSeconds(int64_t pid) {
  if (pid <= 0) return -1;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::atof(field.c_str());
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// One run: workload, transport, warm-up, measured phase. The report, or the reason there is none.
absl::StatusOr<json> RunOnce(const BenchOptions& o, const Client& client) {
  absl::StatusOr<bench::Workload> workload = bench::BuildWorkload(bench::SpecOf(o), client);
  if (!workload.ok()) return workload.status();
  absl::StatusOr<std::unique_ptr<bench::Transport>> transport =
      bench::MakeTransport(bench::TransportOf(o), *workload);
  if (!transport.ok()) return transport.status();
  bench::LoadPlan plan = bench::PlanOf(o);
  // Tags unique across runs against the same server (whose cache outlives a run): the time in
  // ms above 2^20 calls per run (--requests <= 10^6), plus a counter for runs within a ms.
  static uint64_t runs = 0;
  plan.first_call = ((static_cast<uint64_t>(absl::ToUnixMillis(absl::Now())) + runs++) << 20) &
                    ~(uint64_t{1} << 63);
  if (o.warmup > 0) {
    bench::LoadPlan warm = plan;
    warm.requests = o.warmup;
    warm.rate = 0;
    warm.progress = false;
    warm.first_call = uint64_t{1} << 63;  // tags never reused by the measured calls
    const bench::LoadResult r = bench::RunLoad(**transport, warm);
    if (r.ok == 0) {
      return absl::UnavailableError("every warm-up call failed; first: " + r.first_error);
    }
  }
  bench::Measured measured;
  getloadavg(measured.load_average, 3);
  measured.cpus = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  const double client_cpu = ClientCpuSeconds();
  const double server_cpu = ProcessCpuSeconds(o.server_pid);
  bench::LoadResult result = bench::RunLoad(**transport, plan);
  measured.client_cpu_seconds = ClientCpuSeconds() - client_cpu;
  if (server_cpu >= 0) measured.server_cpu_seconds = ProcessCpuSeconds(o.server_pid) - server_cpu;
  bench::RunConfig config{o.workload,
                          o.transport,
                          workload->note,
                          static_cast<int>(o.concurrency),
                          static_cast<int>(o.connections),
                          o.rate,
                          static_cast<int>(o.prompts),
                          static_cast<int>(o.group_size),
                          static_cast<int>(o.tests),
                          static_cast<int>(o.completion_bytes),
                          (*transport)->reports_cached()};
  return bench::ReportJson(config, measured, result);
}

}  // namespace

int RunBench(const std::vector<std::string>& args) {
  BenchOptions o;
  FlagSet flags("bench",
                "arbiter bench [--workload=NAME] [--transport=grpc|slime|openrlhf] "
                "[--concurrency=C | --rate=R] [--requests=N] [--duration=D] [--json|--csv]",
                bench::kBenchDescription, bench::kBenchExample);
  bench::AddBenchFlags(&flags, &o);
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (o.batch > 0) o.prompts = std::max<int64_t>(1, o.batch / std::max<int64_t>(1, o.group_size));
  if (absl::Status s = bench::Validate(o); !s.ok()) {
    std::cerr << "arbiter bench: " << s.message() << "\n";
    return kExitUsage;
  }
  // Generate (workload inputs) always goes over gRPC; no connection is made unless it is used.
  auto client = Connect(o.server, o.deadline, 1);
  if (!client.ok()) return Fail("bench", client.status());
  const bench::Sweep sweep = *bench::ParseSweep(o.sweep);
  std::vector<json> reports;
  bool failed = false;
  for (size_t i = 0; i < std::max<size_t>(1, sweep.values.size()); ++i) {
    const BenchOptions point =
        sweep.key.empty() ? o : bench::WithSweepValue(o, sweep.key, sweep.values[i]);
    if (absl::Status s = bench::Validate(point); !s.ok()) {
      std::cerr << "arbiter bench: --sweep value " << sweep.values[i] << ": " << s.message()
                << "\n";
      return kExitUsage;
    }
    absl::StatusOr<json> report = RunOnce(point, **client);
    if (!report.ok()) {
      return report.status().code() == absl::StatusCode::kInvalidArgument
                 ? (std::cerr << "arbiter bench: " << report.status().message() << "\n", kExitUsage)
                 : Fail("bench", report.status());
    }
    if (!sweep.key.empty()) (*report)["sweep_value"] = sweep.values[i];
    failed = failed || (*report)["calls_failed"].get<int64_t>() > 0 ||
             (*report)["calls_ok"].get<int64_t>() == 0;
    if (!o.json && !o.csv && sweep.key.empty()) std::cout << bench::ReportText(*report);
    reports.push_back(*std::move(report));
  }
  if (o.json) {
    std::cout << (sweep.key.empty() ? reports[0] : json{{"sweep", sweep.key}, {"points", reports}})
                     .dump(2)
              << "\n";
  } else if (o.csv) {
    std::cout << (sweep.key.empty() ? "" : "sweep_key,sweep_value,") << bench::CsvHeader() << "\n";
    for (const json& r : reports) {
      if (!sweep.key.empty())
        std::cout << sweep.key << "," << r["sweep_value"].get<double>() << ",";
      std::cout << bench::CsvRow(r) << "\n";
    }
  } else if (!sweep.key.empty()) {
    std::cout << bench::SweepText(sweep.key, reports);
  }
  if (failed) {
    for (const json& r : reports) {
      if (r["calls_failed"].get<int64_t>() > 0) {
        std::cerr << "arbiter bench: " << r["calls_failed"]
                  << " call(s) failed; first: " << r["first_error"].get<std::string>() << "\n";
        break;
      }
    }
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace arbiter::client::cli
