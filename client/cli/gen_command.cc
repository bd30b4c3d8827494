// `arbiter gen sat|beam|curriculum`: seeded task generation through the Generate RPC.
#include <iostream>

#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/jsonl.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli {
namespace {

constexpr char kGenUsage[] =
    "usage: arbiter gen KIND [flags]   (arbiter gen KIND --help for each)\n\n"
    "Any generator the server lists runs as  arbiter gen KIND --params=JSON  (its parameters\n"
    "message in JSON). Three have flags of their own:\n"
    "  sat         SAT tasks in Saturn's row schema (id, n_sat, k, solution, clause, prompt,\n"
    "              difficulty), one JSON object per line\n"
    "  beam        beam-statics tasks, one arbiter.v1.GeneratedTask per line (proto3 JSON)\n"
    "  curriculum  one step of Saturn's curriculum controller: the next (n, k, l)\n";

// Saturn's row schema, keys in Saturn's order, plus difficulty.
nlohmann::ordered_json SaturnRow(const v1::GeneratedTask& task) {
  const v1::SatGeneratedTask& sat = task.sat();
  nlohmann::ordered_json row;
  row["id"] = sat.id();
  row["n_sat"] = sat.n_sat();
  row["k"] = sat.k();
  row["solution"] = sat.solution();
  row["clause"] = sat.clause();
  row["prompt"] = sat.prompt().empty() ? task.prompt() : sat.prompt();
  row["difficulty"] = sat.difficulty();
  return row;
}

// Sends one Generate request; the response, or why there is none.
absl::StatusOr<v1::GenerateResponse> CallGenerate(const std::string& server,
                                                  absl::Duration deadline,
                                                  const v1::GenerateRequest& request) {
  auto client = Connect(server, deadline, 1);
  if (!client.ok()) return client.status();
  return (*client)->Generate(request);
}

// Writes one line per generated task to `output` ("-" = stdout), each made by `line`.
int WriteTasks(const char* command, const std::string& output, const v1::GenerateResponse& response,
               absl::FunctionRef<absl::StatusOr<std::string>(const v1::GeneratedTask&)> line) {
  auto out = OpenOutput(output);
  if (out == nullptr) return kExitFailure;
  for (const v1::GeneratedTask& task : response.tasks()) {
    absl::StatusOr<std::string> text = line(task);
    if (!text.ok()) return Fail(command, text.status());
    *out << *text << "\n";
  }
  out->flush();
  return *out ? kExitOk : Fail(command, absl::DataLossError("cannot write the output"));
}

int GenSat(const std::vector<std::string>& args) {
  std::string server, output = "-";
  int64_t n = 3, k = 5, l = 5, count = 10, seed = 1, pool_cap = 0, start_id = 0;
  absl::Duration deadline = absl::Seconds(60);
  FlagSet flags("gen sat",
                "arbiter gen sat --server=HOST:PORT --n=N --k=K --l=L --count=M --seed=S "
                "[--output=-]",
                "Generates M satisfiable n-SAT formulas over k variables with l clauses each\n"
                "(Saturn's SAT_Construction, deterministic by seed) and writes them as JSON Lines\n"
                "in Saturn's row schema: id, n_sat, k, solution (the planted assignment), clause\n"
                "(Saturn's encoding), prompt (Saturn's prompt), difficulty D(n,k,l).",
                "  arbiter gen sat --n=3 --k=5 --l=5 --count=100 --seed=7 --output=sat.jsonl");
  AddServerFlag(&flags, &server);
  flags.Int("n", &n, "literals per clause (n_sat)");
  flags.Int("k", &k, "variables (n <= k <= 26)");
  flags.Int("l", &l, "clauses per formula");
  flags.Int("count", &count, "number of tasks");
  flags.Int("seed", &seed, "RNG seed; same seed and parameters give the same tasks");
  flags.Int("pool_cap", &pool_cap, "cap on the clause pool; 0 = Saturn's 10000");
  flags.Int("start_id", &start_id, "id of the first task");
  flags.String("output", &output, "output file; - for stdout");
  flags.Duration("deadline", &deadline, "RPC deadline");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  v1::GenerateRequest request;
  request.set_kind("sat");
  v1::SatGenerateParams* p = request.mutable_sat();
  p->set_n(static_cast<int32_t>(n));
  p->set_k(static_cast<int32_t>(k));
  p->set_l(static_cast<int32_t>(l));
  p->set_count(static_cast<int32_t>(count));
  p->set_seed(static_cast<uint64_t>(seed));
  p->set_pool_cap(static_cast<int32_t>(pool_cap));
  p->set_start_id(start_id);
  auto response = CallGenerate(server, deadline, request);
  if (!response.ok()) return Fail("gen sat", response.status());
  return WriteTasks("gen sat", output, *response,
                    [](const v1::GeneratedTask& task) -> absl::StatusOr<std::string> {
                      if (!task.has_sat()) {
                        return absl::InternalError("server returned a task without sat info");
                      }
                      return SaturnRow(task).dump();
                    });
}

// Accepts "multi_load", "MULTI_LOAD", "FAMILY_MULTI_LOAD".
bool ParseFamily(std::string name, v1::BeamGenerateParams::Family* family) {
  name = absl::AsciiStrToUpper(name);
  if (!absl::StartsWith(name, "FAMILY_")) name = absl::StrCat("FAMILY_", name);
  return v1::BeamGenerateParams::Family_Parse(name, family);
}

int GenBeam(const std::vector<std::string>& args) {
  std::string server, output = "-", family_name = "train";
  int64_t count = 10, seed = 1;
  absl::Duration deadline = absl::Seconds(60);
  FlagSet flags("gen beam",
                "arbiter gen beam --server=HOST:PORT --family=NAME --count=M --seed=S [--output=-]",
                "Generates beam-statics tasks along BeamPERL's axes and writes one\n"
                "arbiter.v1.GeneratedTask per line (proto3 JSON, snake_case); its `task` can be\n"
                "sent back in a Group as is. Families: train, in_distribution, multi_load,\n"
                "varying_supports, distributed, length, moment.",
                "  arbiter gen beam --family=multi_load --count=5 --seed=3");
  AddServerFlag(&flags, &server);
  flags.String("family", &family_name, "task family");
  flags.Int("count", &count, "number of tasks");
  flags.Int("seed", &seed, "RNG seed");
  flags.String("output", &output, "output file; - for stdout");
  flags.Duration("deadline", &deadline, "RPC deadline");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  v1::BeamGenerateParams::Family family;
  if (!ParseFamily(family_name, &family)) {
    std::cerr << "arbiter gen beam: unknown --family=" << family_name << "\n";
    return kExitUsage;
  }
  v1::GenerateRequest request;
  request.set_kind("beam");
  request.mutable_beam()->set_family(family);
  request.mutable_beam()->set_count(static_cast<int32_t>(count));
  request.mutable_beam()->set_seed(static_cast<uint64_t>(seed));
  auto response = CallGenerate(server, deadline, request);
  if (!response.ok()) return Fail("gen beam", response.status());
  return WriteTasks("gen beam", output, *response,
                    [](const v1::GeneratedTask& task) { return PrintJsonMessage(task); });
}

int GenCurriculum(const std::vector<std::string>& args) {
  std::string server;
  int64_t n = 3, k = 5, l = 5, delta_l = 0;
  double pass_at_1 = 0, epsilon = 0;
  absl::Duration deadline = absl::Seconds(60);
  FlagSet flags("gen curriculum",
                "arbiter gen curriculum --server=HOST:PORT --n=N --k=K --l=L --pass_at_1=P "
                "[--epsilon=0.5] [--delta_l=1]",
                "One step of Saturn's curriculum controller: given the validation pass@1 at\n"
                "(n, k, l), prints the next (n, k, l), its difficulty and whether it advanced,\n"
                "as an arbiter.v1.SatCurriculumResult in JSON.",
                "  arbiter gen curriculum --n=3 --k=5 --l=5 --pass_at_1=0.62");
  AddServerFlag(&flags, &server);
  flags.Int("n", &n, "current literals per clause");
  flags.Int("k", &k, "current variables");
  flags.Int("l", &l, "current clauses");
  flags.Double("pass_at_1", &pass_at_1, "validation pass@1 at (n, k, l)");
  flags.Double("epsilon", &epsilon, "advance when pass_at_1 > epsilon; 0 = server default 0.5");
  flags.Int("delta_l", &delta_l, "l increment when advancing; 0 = server default 1");
  flags.Duration("deadline", &deadline, "RPC deadline");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  v1::GenerateRequest request;
  request.set_kind("sat_curriculum");
  v1::SatCurriculumParams* p = request.mutable_sat_curriculum();
  p->set_n(static_cast<int32_t>(n));
  p->set_k(static_cast<int32_t>(k));
  p->set_l(static_cast<int32_t>(l));
  p->set_pass_at_1(pass_at_1);
  p->set_epsilon(epsilon);
  p->set_delta_l(static_cast<int32_t>(delta_l));
  auto response = CallGenerate(server, deadline, request);
  if (!response.ok()) return Fail("gen curriculum", response.status());
  auto line = PrintJsonMessage(response->sat_curriculum());
  if (!line.ok()) return Fail("gen curriculum", line.status());
  std::cout << *line << "\n";
  return kExitOk;
}

}  // namespace

int RunGen(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kGenUsage;
    const std::string listed = ListedKinds(DefaultServer());
    std::cout << (listed.empty()
                      ? "\n(start a server, or set ARBITER_SERVER, to list its kinds)\n"
                      : "\nKinds the server at " + DefaultServer() + " offers:\n" + listed);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "sat") return GenSat(rest);
  if (args[0] == "beam") return GenBeam(rest);
  if (args[0] == "curriculum") return GenCurriculum(rest);
  return GenAny(args[0], rest);
}

}  // namespace arbiter::client::cli
