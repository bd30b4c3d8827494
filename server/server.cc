#include "server/server.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "prometheus/exposer.h"
#include "server/auth.h"
#include "server/dispatcher.h"
#include "server/http/gateway.h"
#include "server/metrics.h"
#include "server/service.h"

#ifndef ARBITER_VERSION
#define ARBITER_VERSION "0.0.0-unknown"
#endif

namespace arbiter::server {
namespace {

int Milliseconds(absl::Duration d) {
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(d), INT32_MAX));
}

// Connections end (max age) so that clients re-resolve and new replicas get traffic; dead peers
// are found by keepalive pings; clients may ping often enough to find a dead server themselves.
void AddConnectionArguments(const ServerOptions& options, grpc::ServerBuilder& builder) {
  if (options.max_connection_age > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               Milliseconds(options.max_connection_age));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               Milliseconds(options.max_connection_age_grace));
  }
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(options.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Milliseconds(options.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             Milliseconds(options.keepalive_min_client_interval));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
}

// Removes the reflection service the linked plugin would add to a server.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->erase(
        std::remove_if(plugins->begin(), plugins->end(),
                       [](const auto& p) { return p->name() == "proto_server_reflection"; }),
        plugins->end());
  }
};

// Plain TCP, TLS, or mutual TLS, with the files re-read when they change.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const ServerOptions& options) {
  if (options.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  const auto refresh = static_cast<unsigned>(
      std::max<int64_t>(1, absl::ToInt64Seconds(options.tls_reload_interval)));
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      options.tls_key_file, options.tls_cert_file, options.tls_client_ca_file, refresh);
  grpc::experimental::TlsServerCredentialsOptions tls(provider);
  tls.watch_identity_key_cert_pairs();
  if (options.tls_client_ca_file.empty()) {
    tls.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    tls.watch_root_certs();
    tls.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(tls);
}

std::string ConfigHash(const ServerOptions& options, const sdk::VerifierRegistry& registry) {
  std::string text = ConfigString(options);
  for (const v1::VerifierInfo& info : registry.Verifiers()) {
    absl::StrAppend(&text, "verifier=", info.name(), "@", info.version(), "\n");
  }
  for (const v1::GeneratorInfo& info : registry.Generators()) {
    absl::StrAppend(&text, "generator=", info.kind(), "\n");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  // 64 bits of SHA-256 is plenty to tell configurations apart in a log or a response.
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), 8));
}

// Write-then-rename so a reader never sees a partial file.
absl::Status WritePortFile(const std::string& path, int port) {
  const std::string tmp = absl::StrCat(path, ".tmp.", getpid());
  std::FILE* file = std::fopen(tmp.c_str(), "w");
  if (file == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot write port file '", tmp, "'"));
  }
  const bool written = std::fprintf(file, "%d\n", port) > 0;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write port file '", path, "'"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string Version() { return ARBITER_VERSION; }

absl::StatusOr<std::unique_ptr<Server>> Server::Create(ServerOptions options,
                                                       const sdk::VerifierRegistry* registry) {
  if (registry == nullptr) return absl::InvalidArgumentError("Server: registry is null");
  absl::StatusOr<ServerOptions> resolved = ResolveOptions(std::move(options));
  if (!resolved.ok()) return resolved.status();

  std::unique_ptr<Server> server(new Server());
  server->options_ = *std::move(resolved);
  server->config_hash_ = ConfigHash(server->options_, *registry);
  server->metrics_ =
      std::make_shared<Metrics>(registry->Names(), server->options_.max_queued_items);
  for (const std::string& name : registry->Names()) {
    registry->Find(name)->RegisterMetrics(*server->metrics_->registry());
  }
  if (!server->options_.metrics_address.empty()) {
    try {  // civetweb reports a failed bind by throwing
      server->exposer_ = std::make_unique<prometheus::Exposer>(server->options_.metrics_address);
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat(
          "cannot serve metrics on '", server->options_.metrics_address, "': ", e.what()));
    }
    server->exposer_->RegisterCollectable(server->metrics_->registry());
    const std::vector<int> ports = server->exposer_->GetListeningPorts();
    server->metrics_port_ = ports.empty() ? 0 : ports.front();
  }
  absl::StatusOr<std::unique_ptr<Dispatcher>> dispatcher =
      Dispatcher::Create(server->options_, registry, server->metrics_);
  if (!dispatcher.ok()) return dispatcher.status();
  server->dispatcher_ = *std::move(dispatcher);

  if (!server->options_.auth_tokens_file.empty()) {
    absl::StatusOr<std::unique_ptr<TokenFile>> tokens =
        TokenFile::Open(server->options_.auth_tokens_file);
    if (!tokens.ok()) return tokens.status();
    server->tokens_ = *std::move(tokens);
  }
  server->service_ = std::make_unique<ArbiterService>(
      server->dispatcher_.get(), registry, server->metrics_.get(), server->service_info(),
      server->options_.max_message_bytes, server->tokens_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Reflection would describe the API to callers without a token: off when tokens are required.
  if (server->tokens_ != nullptr) builder.SetOption(std::make_unique<WithoutReflection>());
  builder.AddListeningPort(server->options_.address, ServerCredentials(server->options_),
                           &server->port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(server->options_.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(server->options_.max_message_bytes));
  // gRPC sets SO_REUSEPORT by default, which lets a second arbiterd silently share a port with
  // the first; a busy address must be an error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  AddConnectionArguments(server->options_, builder);
  builder.RegisterService(server->service_.get());
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on '", server->options_.address, "' (in use or invalid)"));
  }
  grpc::HealthCheckServiceInterface* health = server->grpc_server_->GetHealthCheckService();
  health->SetServingStatus(false);
  if (!server->options_.http_address.empty()) {
    absl::StatusOr<std::unique_ptr<http::Gateway>> gateway =
        http::Gateway::Create(server->options_, server->dispatcher_.get(), registry,
                              server->service_info(), server->tokens_.get());
    if (!gateway.ok()) return gateway.status();
    server->gateway_ = *std::move(gateway);
    server->http_port_ = server->gateway_->port();
  }
  if (!server->options_.port_file.empty()) {
    if (absl::Status status = WritePortFile(server->options_.port_file, server->port_);
        !status.ok()) {
      return status;
    }
  }
  if (server->gateway_ != nullptr && !server->options_.http_port_file.empty()) {
    if (absl::Status status = WritePortFile(server->options_.http_port_file, server->http_port_);
        !status.ok()) {
      return status;
    }
  }
  health->SetServingStatus(true);
  return server;
}

Server::~Server() { Shutdown(options_.grace_period); }

v1::ServerInfo Server::service_info() const {
  v1::ServerInfo info;
  info.set_version(Version());
  info.set_config_hash(config_hash_);
  return info;
}

Dispatcher& Server::dispatcher() const { return *dispatcher_; }
Metrics& Server::metrics() const { return *metrics_; }

void Server::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_ || grpc_server_ == nullptr) return;
  shut_down_ = true;
  // New work is refused with UNAVAILABLE (retryable elsewhere) from here on, and readiness
  // probes and load balancers see NOT_SERVING; then gRPC stops accepting calls and in-flight
  // calls get `grace` before it cancels them (their OnCancel sets the token).
  dispatcher_->StartDraining();
  grpc_server_->GetHealthCheckService()->SetServingStatus(false);
  if (gateway_ != nullptr) gateway_->StartDraining();
  const absl::Time deadline = absl::Now() + grace;
  // Admitted work finishes while the listener still runs, and calls arriving meanwhile get the
  // dispatcher's UNAVAILABLE (retried elsewhere). Shutting gRPC down at once instead ended some
  // calls CANCELLED with grace to spare, which gRPC's default retry policies do not retry.
  dispatcher_->WaitUntilIdle(deadline);
  // HTTP answers are written (or, past the deadline, cancelled and flushed) before the gRPC
  // side goes: both wait for the same deadline.
  if (gateway_ != nullptr) gateway_->Shutdown(deadline);
  grpc_server_->Shutdown(absl::ToChronoTime(deadline));
  grpc_server_->Wait();
}

}  // namespace arbiter::server
