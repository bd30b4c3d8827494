// ServerOptions: everything arbiterd can be configured with, as a plain struct.
//
// Flags live only in server/main.cc; it fills a ServerOptions and hands it to Server::Create.
// Zero means "derive a default" for the thread counts (hardware cores). ResolveOptions() fills
// those in and checks the ranges; ConfigString() renders the resolved struct one `key=value`
// per line (the effective configuration that is logged and hashed into ServerInfo.config_hash).
//
// Thread-safety: a value type; copy it freely.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace arbiter::server {

struct ServerOptions {
  // gRPC listening address, HOST:PORT. Port 0 picks a free port (see Server::port()).
  std::string address = "127.0.0.1:50051";
  // Prometheus /metrics listening address; empty disables the exporter.
  std::string metrics_address = "127.0.0.1:9464";
  // Threads of the CPU pool (Prepare, CPU-bound Check, Finalize, shaping, Generate); 0 = cores.
  int cpu_threads = 0;
  // Concurrent sandboxed Check calls (verifiers whose work() is kSandbox); 0 = cores.
  int sandbox_concurrency = 0;
  // Admission bound: samples admitted and not yet answered, over all requests. A request that
  // would exceed it is rejected with RESOURCE_EXHAUSTED at once.
  int64_t max_queued_items = 65536;
  // Deadline applied when the client sets none, and the cap on any client deadline.
  absl::Duration default_deadline = absl::Seconds(60);
  absl::Duration max_deadline = absl::Seconds(600);
  // Largest request or response message, in bytes.
  int64_t max_message_bytes = int64_t{64} << 20;
  // Entries of the content-addressed result cache; 0 disables it (in-batch dedup stays on).
  int64_t cache_entries = 100000;
  // Bytes the result cache may hold (verdicts' encoded size + a fixed per-entry overhead); 0
  // disables it. Whichever bound is reached first evicts.
  int64_t cache_max_bytes = int64_t{256} << 20;
  // Bytes of ground truths held for Task.ground_truth_ref (RegisterSuite; suite_store.h), the
  // least recently used evicted first; 0 disables the store (RegisterSuite fails).
  int64_t suite_store_bytes = int64_t{1} << 30;
  // Shutdown: time in-flight calls get to finish before they are cancelled.
  absl::Duration grace_period = absl::Seconds(30);
  // When set, the bound gRPC port is written to this file (atomically) once serving.
  std::string port_file;

  // --- HTTP/JSON gateway (server/http/) ---
  // HOST:PORT of the gateway (OpenRLHF /get_reward, slime /slime/reward, /v1/score, /healthz);
  // empty (the default) disables it. Port 0 picks a free port (Server::http_port()).
  std::string http_address;
  // When set, the bound HTTP port is written to this file (atomically) once serving.
  std::string http_port_file;
  // Verifier of /get_reward and /slime/reward items that name none (no ?verifier=, no label
  // envelope).
  std::string http_default_verifier = "sat";
  // Coalescing: gateway requests arriving within this window are merged into one dispatcher
  // batch of at most http_batch_max_items samples (a bigger request travels alone).
  absl::Duration http_batch_window = absl::Milliseconds(2);
  int http_batch_max_items = 1024;
  // Deadline of one HTTP request (OpenRLHF's client gives up at 180 s).
  absl::Duration http_request_timeout = absl::Seconds(170);
  // Open connections; beyond it a connection is answered 503 + Retry-After and closed.
  int http_max_connections = 4096;
  // Threads running the gateway's network I/O and JSON parsing.
  int http_threads = 1;
  // An idle keep-alive connection is closed after this long.
  absl::Duration http_idle_timeout = absl::Seconds(75);

  // --- gRPC connections: gRPC balances per connection, so connections must end for new
  // replicas to receive traffic, and dead peers must be noticed ---
  // A connection older than this is sent GOAWAY (clients reconnect and re-resolve); 0 = never.
  absl::Duration max_connection_age = absl::Minutes(5);
  // Calls on an aged connection get this long to finish before it is closed (covers max_deadline).
  absl::Duration max_connection_age_grace = absl::Minutes(10);
  // The server pings a connection idle this long and closes it if the ping is not answered
  // within keepalive_timeout.
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Clients may send keepalive pings this often, also without calls in flight (more often is
  // answered with GOAWAY "too_many_pings").
  absl::Duration keepalive_min_client_interval = absl::Seconds(5);

  // --- Who may call (server/auth.h). Off by default: bind to loopback or a private network ---
  // PEM certificate chain and private key: gRPC serves TLS only. Both re-read when they change
  // (every tls_reload_interval), so certificate rotation needs no restart.
  std::string tls_cert_file;
  std::string tls_key_file;
  // PEM CA bundle: mutual TLS, every client must present a certificate it signed.
  std::string tls_client_ca_file;
  absl::Duration tls_reload_interval = absl::Minutes(1);
  // One bearer token per line; every RPC (but health) and HTTP request (but /healthz) must carry
  // `authorization: Bearer <token>`. Server reflection is off while tokens are required.
  std::string auth_tokens_file;
};

// Fills the derived defaults (thread counts) and checks every field. INVALID_ARGUMENT naming the
// field for an out-of-range value (negative counts, non-positive deadlines, default_deadline >
// max_deadline, max_message_bytes outside [1 KiB, 2 GiB), http_* out of range when the gateway is
// enabled).
absl::StatusOr<ServerOptions> ResolveOptions(ServerOptions options);

// The resolved options, one `key=value` line each, in declaration order.
std::string ConfigString(const ServerOptions& options);

}  // namespace arbiter::server
