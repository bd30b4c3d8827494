// The `arbiter` command-line tool: score JSON Lines files, generate tasks, load-test, probe health.
#include <iostream>
#include <string>
#include <vector>

#include "client/cli/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: arbiter <command> [flags]   (arbiter <command> --help for each)\n\n"
    "commands:\n"
    "  score      score a JSON Lines file of groups (one GroupResult per line, same order)\n"
    "  gen        generate tasks: gen sat | gen beam | gen curriculum\n"
    "  health     grpc.health.v1 check; exit 0 only when SERVING\n"
    "  verifiers  list the server's verifiers and generators\n"
    "  bench      load generator: GRPO-shaped reward traffic (every verifier, gRPC or HTTP,\n"
    "             closed or open loop) against a loopback server\n\n"
    "Every command takes --server=HOST:PORT (default $ARBITER_SERVER, else 127.0.0.1:50051).\n\n"
    "example:\n"
    "  arbiter health && arbiter gen sat --n=3 --k=5 --l=5 --count=3 --seed=1\n";

}  // namespace

int main(int argc, char** argv) {
  namespace cli = arbiter::client::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return cli::kExitUsage;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "score") return cli::RunScore(args);
  if (command == "gen") return cli::RunGen(args);
  if (command == "health") return cli::RunHealth(args);
  if (command == "verifiers") return cli::RunVerifiers(args);
  if (command == "bench") return cli::RunBench(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return cli::kExitOk;
  }
  std::cerr << "arbiter: unknown command " << command << "\n\n" << kUsage;
  return cli::kExitUsage;
}
