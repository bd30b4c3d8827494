#include "tests/integration/server_process.h"

#include <csignal>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/client.h"

namespace arbiter::integration {

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& arbiterd_path, const std::string& scratch_dir,
    const std::vector<std::string>& extra_flags, absl::Duration startup_timeout,
    const std::vector<std::string>& wrapper, const std::string& host) {
  static int counter = 0;
  const std::string stem = absl::StrCat(scratch_dir, "/arbiterd", ++counter);
  const std::string port_file = stem + ".port";
  SpawnOptions options;
  options.argv = {arbiterd_path, absl::StrCat("--address=", host, ":0"), "--port_file=" + port_file,
                  "--metrics_address="};
  options.argv.insert(options.argv.end(), extra_flags.begin(), extra_flags.end());
  options.argv.insert(options.argv.begin(), wrapper.begin(), wrapper.end());
  options.stdout_path = stem + ".stdout";
  options.stderr_path = stem + ".stderr";
  absl::StatusOr<Subprocess> child = Subprocess::Spawn(options);
  if (!child.ok()) return child.status();
  std::unique_ptr<ServerProcess> server(new ServerProcess(*std::move(child), options.stderr_path));
  const absl::Time deadline = absl::Now() + startup_timeout;
  auto fail = [&](const std::string& why) {
    return absl::UnavailableError(
        absl::StrCat("arbiterd (", arbiterd_path, ") ", why, "; its stderr:\n", server->Log()));
  };

  // 1. The port file: written atomically by the server once it is listening.
  int port = 0;
  while (port == 0) {
    int code;
    if (server->process_.TryWait(&code)) return fail(absl::StrCat("exited with code ", code));
    if (absl::StatusOr<std::string> text = ReadFileToString(port_file); text.ok()) {
      if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &port)) port = 0;
    }
    if (port != 0) break;
    if (absl::Now() >= deadline) {
      return fail(absl::StrCat("wrote no port to ", port_file, " within ",
                               absl::FormatDuration(startup_timeout)));
    }
    absl::SleepFor(absl::Milliseconds(10));  // bounded poll: the file has no change signal
  }
  server->address_ = absl::StrCat(host, ":", port);

  // 2. Health SERVING.
  client::ClientOptions client_options;
  client_options.server = server->address_;
  client_options.deadline = absl::Seconds(2);
  absl::StatusOr<std::unique_ptr<client::Client>> probe = client::Client::Create(client_options);
  if (!probe.ok()) return probe.status();
  std::string last = "no answer";
  while (true) {
    int code;
    if (server->process_.TryWait(&code)) return fail(absl::StrCat("exited with code ", code));
    absl::StatusOr<client::ServingStatus> status = (*probe)->Health();
    if (status.ok() && *status == client::ServingStatus::kServing) break;
    last =
        status.ok() ? std::string(client::ServingStatusName(*status)) : status.status().ToString();
    if (absl::Now() >= deadline) {
      return fail(absl::StrCat("was not SERVING at ", server->address_, " within ",
                               absl::FormatDuration(startup_timeout), " (last: ", last, ")"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return server;
}

absl::StatusOr<int> ServerProcess::Stop(absl::Duration timeout) {
  process_.Signal(SIGTERM);
  return process_.Wait(timeout);
}

std::string ServerProcess::Log() const { return ReadFileToString(log_path_).value_or("(no log)"); }

}  // namespace arbiter::integration
