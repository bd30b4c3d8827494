#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"

namespace arbiter::client::cli {

int ParseOrExit(FlagSet& flags, const std::vector<std::string>& args) {
  const absl::Status status = flags.Parse(args);
  if (flags.help()) {
    std::cout << flags.Usage();
    return kExitOk;
  }
  if (!status.ok()) {
    std::cerr << "arbiter: " << status.message() << "\n";
    return kExitUsage;
  }
  return -1;
}

absl::StatusOr<std::unique_ptr<Client>> Connect(const std::string& server, absl::Duration deadline,
                                                int max_concurrent_rpcs) {
  ClientOptions options;
  options.server = server;
  options.deadline = deadline;
  options.max_concurrent_rpcs = max_concurrent_rpcs;
  return Client::Create(options);
}

std::unique_ptr<std::ostream, void (*)(std::ostream*)> OpenOutput(const std::string& path) {
  if (path == "-" || path.empty()) {
    return {&std::cout, [](std::ostream*) { std::cout.flush(); }};
  }
  auto* file = new std::ofstream(path, std::ios::out | std::ios::trunc);
  if (!*file) {
    std::cerr << "arbiter: cannot open " << path << " for writing\n";
    delete file;
    return {nullptr, [](std::ostream*) {}};
  }
  return {file, [](std::ostream* s) { delete s; }};
}

int Fail(const std::string& command, const absl::Status& status) {
  std::cerr << "arbiter " << command << ": " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return kExitFailure;
}

}  // namespace arbiter::client::cli
