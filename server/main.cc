// arbiterd: the arbiter gRPC server. Defines the server's flags and names no verifier: they come
// from their folders' declarations (registered_verifiers.h), and a verifier with options of its
// own defines its flags in its folder (verifiers/<name>/flags.cc, e.g. code's sandbox limits).
//
// Flags have ARBITER_<NAME> environment twins (flag > env > default); see server/README.md.
#include <dlfcn.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/env_flags.h"
#include "server/init_process.h"
#include "server/options.h"
#include "server/registered_verifiers.h"
#include "server/server.h"
#include "verifiers/sdk/registry.h"

ABSL_FLAG(std::string, address, "127.0.0.1:50051",
          "gRPC listening address HOST:PORT; port 0 picks a free port (see --port_file).");
ABSL_FLAG(std::string, metrics_address, "127.0.0.1:9464",
          "Prometheus /metrics address HOST:PORT; empty disables the exporter.");
ABSL_FLAG(int, cpu_threads, 0, "Threads of the CPU pool; 0 = number of cores.");
ABSL_FLAG(int, sandbox_concurrency, 0, "Concurrent sandboxed checks; 0 = number of cores.");
ABSL_FLAG(int64_t, max_queued_items, 65536,
          "Samples in flight over all requests; beyond it requests get RESOURCE_EXHAUSTED.");
ABSL_FLAG(absl::Duration, default_deadline, absl::Seconds(60),
          "Deadline of a request whose client sets none (e.g. 60s, 2m).");
ABSL_FLAG(absl::Duration, max_deadline, absl::Seconds(600), "Cap on any client deadline.");
ABSL_FLAG(int64_t, max_message_bytes, int64_t{64} << 20, "Largest request/response in bytes.");
ABSL_FLAG(int64_t, cache_entries, 100000, "Entries of the result cache; 0 disables it.");
ABSL_FLAG(int64_t, cache_max_bytes, int64_t{256} << 20,
          "Bytes the result cache may hold (verdicts' encoded size plus ~128 B per entry); "
          "0 disables it. Whichever of this and --cache_entries is reached first evicts.");
ABSL_FLAG(int64_t, suite_store_bytes, int64_t{1} << 30,
          "Bytes of ground truths registered with RegisterSuite and named by "
          "Task.ground_truth_ref, least recently used evicted first; 0 disables it.");
ABSL_FLAG(absl::Duration, grace_period, absl::Seconds(30),
          "On SIGTERM/SIGINT: time in-flight requests get to finish before being cancelled.");
ABSL_FLAG(std::string, port_file, "",
          "If set, the bound gRPC port is written to this file (atomically) once serving.");

// --- gRPC connections and who may call (server/README.md "Connections", "Authentication") ---
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(5),
          "Connections older than this get GOAWAY, so clients reconnect and new replicas get "
          "traffic (gRPC balances per connection); 0 = never.");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Minutes(10),
          "Calls on an aged connection get this long to finish before it closes.");
ABSL_FLAG(absl::Duration, keepalive_time, absl::Minutes(1),
          "Ping a connection idle this long; close it if unanswered within --keepalive_timeout.");
ABSL_FLAG(absl::Duration, keepalive_timeout, absl::Seconds(20), "See --keepalive_time.");
ABSL_FLAG(absl::Duration, keepalive_min_client_interval, absl::Seconds(5),
          "Clients may send keepalive pings this often, also with no call in flight.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain: gRPC serves TLS only (with --tls_key_file); re-read on change.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: mutual TLS, clients must present a certificate signed by it.");
ABSL_FLAG(absl::Duration, tls_reload_interval, absl::Minutes(1),
          "How often the TLS files are checked for changes.");
ABSL_FLAG(std::string, auth_tokens_file, "",
          "File of bearer tokens, one per line (a mounted Secret; re-read on change): every RPC "
          "but health and every HTTP request but /healthz needs 'authorization: Bearer <token>'.");

// --- HTTP/JSON gateway (server/http/README section in server/README.md) ---
ABSL_FLAG(std::string, http_address, "",
          "HTTP/JSON gateway HOST:PORT (OpenRLHF POST /get_reward, slime POST /slime/reward, "
          "POST /v1/score, GET /healthz); empty (default) disables it; port 0 picks a free port.");
ABSL_FLAG(std::string, http_port_file, "",
          "If set, the bound HTTP port is written to this file (atomically) once serving.");
ABSL_FLAG(std::string, http_default_verifier, "sat",
          "Verifier of gateway items that name none (no ?verifier=, no label envelope).");
ABSL_FLAG(absl::Duration, http_batch_window, absl::Milliseconds(2),
          "Gateway requests arriving within this window are scored as one batch.");
ABSL_FLAG(int, http_batch_max_items, 1024,
          "A gateway batch is sent at once when it holds this many samples.");
ABSL_FLAG(absl::Duration, http_request_timeout, absl::Seconds(170),
          "Deadline of one gateway request (OpenRLHF's client gives up at 180s).");
ABSL_FLAG(int, http_max_connections, 4096,
          "Open gateway connections; further ones are answered 503 + Retry-After and closed.");
ABSL_FLAG(int, http_threads, 1, "Threads of the gateway's network I/O and JSON parsing.");
ABSL_FLAG(absl::Duration, http_idle_timeout, absl::Seconds(75),
          "An idle keep-alive gateway connection is closed after this long.");

namespace {

constexpr char kUsage[] = R"(the arbiter verifiable-reward gRPC server.

Serves arbiter.v1.Arbiter (Score, ScoreStream, Generate, ListVerifiers, RegisterSuite), grpc.health.v1 and
server reflection on --address, Prometheus metrics on --metrics_address, and, when
--http_address is set, an HTTP/JSON gateway for OpenRLHF (POST /get_reward), slime
(POST /slime/reward) and plain HTTP clients (POST /v1/score, GET /healthz).

Every flag has an environment twin: --max_deadline is ARBITER_MAX_DEADLINE, and so on.
A flag given on the command line wins over its environment variable, which wins over the default.
SIGTERM or SIGINT drains: health turns NOT_SERVING, in-flight requests get --grace_period to
finish, then the server exits 0.

Example:
  ARBITER_CPU_THREADS=8 arbiterd --address=0.0.0.0:50051 --metrics_address=0.0.0.0:9464 \
      --default_deadline=120s --port_file=/tmp/arbiterd.port
)";

arbiter::server::ServerOptions OptionsFromFlags() {
  arbiter::server::ServerOptions options;
  options.address = absl::GetFlag(FLAGS_address);
  options.metrics_address = absl::GetFlag(FLAGS_metrics_address);
  options.cpu_threads = absl::GetFlag(FLAGS_cpu_threads);
  options.sandbox_concurrency = absl::GetFlag(FLAGS_sandbox_concurrency);
  options.max_queued_items = absl::GetFlag(FLAGS_max_queued_items);
  options.default_deadline = absl::GetFlag(FLAGS_default_deadline);
  options.max_deadline = absl::GetFlag(FLAGS_max_deadline);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.cache_entries = absl::GetFlag(FLAGS_cache_entries);
  options.cache_max_bytes = absl::GetFlag(FLAGS_cache_max_bytes);
  options.suite_store_bytes = absl::GetFlag(FLAGS_suite_store_bytes);
  options.grace_period = absl::GetFlag(FLAGS_grace_period);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  options.http_address = absl::GetFlag(FLAGS_http_address);
  options.http_port_file = absl::GetFlag(FLAGS_http_port_file);
  options.http_default_verifier = absl::GetFlag(FLAGS_http_default_verifier);
  options.http_batch_window = absl::GetFlag(FLAGS_http_batch_window);
  options.http_batch_max_items = absl::GetFlag(FLAGS_http_batch_max_items);
  options.http_request_timeout = absl::GetFlag(FLAGS_http_request_timeout);
  options.http_max_connections = absl::GetFlag(FLAGS_http_max_connections);
  options.http_threads = absl::GetFlag(FLAGS_http_threads);
  options.http_idle_timeout = absl::GetFlag(FLAGS_http_idle_timeout);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  options.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  options.keepalive_timeout = absl::GetFlag(FLAGS_keepalive_timeout);
  options.keepalive_min_client_interval = absl::GetFlag(FLAGS_keepalive_min_client_interval);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  options.tls_reload_interval = absl::GetFlag(FLAGS_tls_reload_interval);
  options.auth_tokens_file = absl::GetFlag(FLAGS_auth_tokens_file);
  return options;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "arbiterd: %s\n", std::string(status.ToString()).c_str());
  return 2;
}

// The allocator this binary runs with: jemalloc with its version when linked (the build's
// ARBITER_MALLOC, cmake/README.md), else glibc's malloc.
std::string AllocatorName() {
  using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);
  void* symbol = dlsym(RTLD_DEFAULT, "mallctl");
  if (symbol == nullptr) return "glibc";
  const char* version = nullptr;
  size_t size = sizeof(version);
  if (reinterpret_cast<Mallctl>(symbol)("version", &version, &size, nullptr, 0) != 0 ||
      version == nullptr) {
    return "jemalloc";
  }
  return std::string("jemalloc ") + version;
}

}  // namespace

int main(int argc, char** argv) {
  // As PID 1 (a container without an init), a parent process stays behind to reap orphans.
  arbiter::server::RunAsInitIfPid1();
  // Block the shutdown signals before any thread starts, so every thread inherits the mask and
  // only the sigwait() below receives them (no async-signal-safety concerns).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (a debug feature that
  // costs a few % of CPU per request); the tests keep it on, the server turns it off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = arbiter::server::IsArbiterdFlagFile;
  usage.contains_helpshort_flags = arbiter::server::IsArbiterdFlagFile;
  usage.version_string = [] { return "arbiterd " + arbiter::server::Version() + "\n"; };
  absl::SetFlagsUsageConfig(usage);

  const std::vector<std::string> flags =
      arbiter::server::FlagsDefinedIn(arbiter::server::IsArbiterdFlagFile);
  if (absl::Status status = arbiter::server::ApplyEnvironment(flags, arbiter::server::ProcessEnv);
      !status.ok()) {
    return Fail(status);
  }
  absl::ParseCommandLine(argc, argv);

  // Every verifier and generator this server hosts (each fails on a duplicate name). Runs before
  // any server thread exists (a sandbox launcher process may be started here), with SIGTERM and
  // SIGINT blocked: a child that should receive them must unblock them itself.
  arbiter::sdk::VerifierRegistry registry;
  if (absl::Status status = arbiter::server::RegisterDeclaredVerifiers(registry); !status.ok()) {
    return Fail(status);
  }

  absl::StatusOr<std::unique_ptr<arbiter::server::Server>> server =
      arbiter::server::Server::Create(OptionsFromFlags(), &registry);
  if (!server.ok()) return Fail(server.status());

  std::fprintf(stderr, "arbiterd %s config_hash=%s\n", arbiter::server::Version().c_str(),
               (*server)->config_hash().c_str());
  for (const std::string& line : arbiter::server::FlagValues(flags)) {
    std::fprintf(stderr, "arbiterd: config %s\n", line.c_str());
  }
  std::fprintf(stderr,
               "arbiterd: config resolved cpu_threads=%d sandbox_concurrency=%d allocator=%s\n",
               (*server)->options().cpu_threads, (*server)->options().sandbox_concurrency,
               AllocatorName().c_str());
  for (const std::string& name : registry.Names()) {
    std::fprintf(stderr, "arbiterd: verifier %s\n", name.c_str());
  }
  const std::string& address = (*server)->options().address;
  const std::string& http_address = (*server)->options().http_address;
  std::fprintf(stderr, "arbiterd: listening on %s:%d\n",
               address.substr(0, address.rfind(':')).c_str(), (*server)->port());
  if ((*server)->http_port() != 0) {
    std::fprintf(stderr, "arbiterd: HTTP gateway on %s:%d\n",
                 http_address.substr(0, http_address.rfind(':')).c_str(), (*server)->http_port());
  }
  if ((*server)->metrics_port() != 0) {
    std::fprintf(stderr, "arbiterd: metrics on port %d at /metrics\n", (*server)->metrics_port());
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "arbiterd: %s received, draining (grace %s)\n",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT",
               absl::FormatDuration((*server)->options().grace_period).c_str());
  (*server)->Shutdown((*server)->options().grace_period);
  std::fprintf(stderr, "arbiterd: stopped\n");
  return 0;
}
