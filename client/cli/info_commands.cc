// `arbiter health` and `arbiter verifiers`.
#include <iostream>

#include "absl/strings/str_format.h"
#include "client/cli/commands.h"
#include "client/jsonl.h"

namespace arbiter::client::cli {

int RunHealth(const std::vector<std::string>& args) {
  std::string server, service;
  absl::Duration timeout = absl::Seconds(5);
  FlagSet flags("health", "arbiter health --server=HOST:PORT [--service=NAME] [--timeout=5s]",
                "Asks the server's grpc.health.v1 service for its status and prints it\n"
                "(SERVING, NOT_SERVING, SERVICE_UNKNOWN, UNKNOWN). Exit 0 only when SERVING;\n"
                "1 otherwise, including an unreachable server. The server answers NOT_SERVING\n"
                "until it is ready and while it drains, so this is a readiness probe.",
                "  arbiter health --server=127.0.0.1:50051 && echo ready");
  AddServerFlag(&flags, &server);
  flags.String("service", &service, "service name to ask about; empty = the whole server");
  flags.Duration("timeout", &timeout, "how long to wait for an answer");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  auto client = Connect(server, timeout, 1);
  if (!client.ok()) return Fail("health", client.status());
  const absl::StatusOr<ServingStatus> status = (*client)->Health(service);
  if (!status.ok()) {
    std::cout << absl::StatusCodeToString(status.status().code()) << "\n";
    return Fail("health", status.status());
  }
  std::cout << ServingStatusName(*status) << "\n";
  return *status == ServingStatus::kServing ? kExitOk : kExitFailure;
}

int RunVerifiers(const std::vector<std::string>& args) {
  std::string server;
  bool json = false;
  absl::Duration timeout = absl::Seconds(10);
  FlagSet flags("verifiers", "arbiter verifiers --server=HOST:PORT [--json]",
                "Lists the verifiers the server hosts (name, version, description, what\n"
                "Task.ground_truth accepts) and the Generate kinds it serves. --json prints the\n"
                "ListVerifiersResponse as proto3 JSON instead.",
                "  arbiter verifiers --server=127.0.0.1:50051");
  AddServerFlag(&flags, &server);
  flags.Bool("json", &json, "print the raw response as JSON");
  flags.Duration("timeout", &timeout, "RPC deadline");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  auto client = Connect(server, timeout, 1);
  if (!client.ok()) return Fail("verifiers", client.status());
  auto response = (*client)->ListVerifiers();
  if (!response.ok()) return Fail("verifiers", response.status());
  if (json) {
    auto line = PrintJsonMessage(*response);
    if (!line.ok()) return Fail("verifiers", line.status());
    std::cout << *line << "\n";
    return kExitOk;
  }
  std::cout << "verifiers:\n";
  for (const v1::VerifierInfo& v : response->verifiers()) {
    std::cout << absl::StrFormat("  %-10s %-12s %s\n", v.name(), v.version(), v.description());
    if (!v.ground_truth_formats().empty()) {
      std::cout << absl::StrFormat("  %-10s ground_truth: %s\n", "", v.ground_truth_formats());
    }
  }
  std::cout << "generators:\n";
  for (const v1::GeneratorInfo& g : response->generators()) {
    std::cout << absl::StrFormat("  %-16s %s\n", g.kind(), g.description());
  }
  if (response->has_server()) {
    std::cout << "server: " << response->server().version() << " (config "
              << response->server().config_hash() << ")\n";
  }
  return kExitOk;
}

}  // namespace arbiter::client::cli
