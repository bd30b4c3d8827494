#include "server/options.h"

#include <unistd.h>

#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace arbiter::server {
namespace {

int Cores() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("server option ", field, ": ", why));
}

absl::StatusOr<ServerOptions> ResolveHttpOptions(ServerOptions options) {
  if (options.http_address.empty()) return options;  // gateway off: nothing else is read
  if (options.http_default_verifier.empty()) {
    return Invalid("http_default_verifier", "must name a verifier");
  }
  if (options.http_batch_window < absl::ZeroDuration() ||
      options.http_batch_window > absl::Seconds(1)) {
    return Invalid("http_batch_window", "must be in [0, 1s]");
  }
  if (options.http_batch_max_items < 1) return Invalid("http_batch_max_items", "must be >= 1");
  if (options.http_request_timeout <= absl::ZeroDuration()) {
    return Invalid("http_request_timeout", "must be > 0");
  }
  if (options.http_max_connections < 1) return Invalid("http_max_connections", "must be >= 1");
  if (options.http_threads < 1 || options.http_threads > 256) {
    return Invalid("http_threads", "must be in [1, 256]");
  }
  if (options.http_idle_timeout <= absl::ZeroDuration()) {
    return Invalid("http_idle_timeout", "must be > 0");
  }
  return options;
}

absl::Status CheckConnectionOptions(const ServerOptions& options) {
  if (options.max_connection_age < absl::ZeroDuration()) {
    return Invalid("max_connection_age", "must be >= 0 (0 = never)");
  }
  if (options.max_connection_age_grace < absl::ZeroDuration()) {
    return Invalid("max_connection_age_grace", "must be >= 0");
  }
  if (options.keepalive_time < absl::Seconds(1)) return Invalid("keepalive_time", "must be >= 1s");
  if (options.keepalive_timeout < absl::Seconds(1)) {
    return Invalid("keepalive_timeout", "must be >= 1s");
  }
  if (options.keepalive_min_client_interval < absl::ZeroDuration()) {
    return Invalid("keepalive_min_client_interval", "must be >= 0");
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return Invalid("tls_cert_file", "and tls_key_file must be given together");
  }
  if (!options.tls_client_ca_file.empty() && options.tls_cert_file.empty()) {
    return Invalid("tls_client_ca_file", "needs tls_cert_file and tls_key_file (mutual TLS)");
  }
  if (options.tls_reload_interval < absl::Seconds(1)) {
    return Invalid("tls_reload_interval", "must be >= 1s");
  }
  for (const std::string* file :
       {&options.tls_cert_file, &options.tls_key_file, &options.tls_client_ca_file}) {
    if (!file->empty() && access(file->c_str(), R_OK) != 0) {
      return Invalid("tls", absl::StrCat("cannot read '", *file, "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerOptions> ResolveOptions(ServerOptions options) {
  if (options.address.empty()) return Invalid("address", "must be HOST:PORT, got an empty string");
  if (options.cpu_threads < 0) return Invalid("cpu_threads", "must be >= 0 (0 = cores)");
  if (options.sandbox_concurrency < 0) {
    return Invalid("sandbox_concurrency", "must be >= 0 (0 = cores)");
  }
  if (options.cpu_threads == 0) options.cpu_threads = Cores();
  if (options.sandbox_concurrency == 0) options.sandbox_concurrency = Cores();
  if (options.max_queued_items <= 0) return Invalid("max_queued_items", "must be > 0");
  if (options.default_deadline <= absl::ZeroDuration()) {
    return Invalid("default_deadline", "must be > 0");
  }
  if (options.max_deadline <= absl::ZeroDuration()) return Invalid("max_deadline", "must be > 0");
  if (options.default_deadline > options.max_deadline) {
    return Invalid("default_deadline",
                   absl::StrCat("(", absl::FormatDuration(options.default_deadline),
                                ") must not exceed max_deadline (",
                                absl::FormatDuration(options.max_deadline), ")"));
  }
  if (options.max_message_bytes < 1024 || options.max_message_bytes >= (int64_t{1} << 31)) {
    return Invalid("max_message_bytes", "must be in [1024, 2^31)");
  }
  if (options.cache_entries < 0) return Invalid("cache_entries", "must be >= 0 (0 = off)");
  if (options.cache_max_bytes < 0) return Invalid("cache_max_bytes", "must be >= 0 (0 = off)");
  if (options.suite_store_bytes < 0) {
    return Invalid("suite_store_bytes", "must be >= 0 (0 = off)");
  }
  if (options.grace_period < absl::ZeroDuration()) return Invalid("grace_period", "must be >= 0");
  if (absl::Status status = CheckConnectionOptions(options); !status.ok()) return status;
  return ResolveHttpOptions(std::move(options));
}

std::string ConfigString(const ServerOptions& o) {
  return absl::StrFormat(
      "address=%s\nmetrics_address=%s\ncpu_threads=%d\nsandbox_concurrency=%d\n"
      "max_queued_items=%d\ndefault_deadline=%s\nmax_deadline=%s\nmax_message_bytes=%d\n"
      "cache_entries=%d\ncache_max_bytes=%d\nsuite_store_bytes=%d\ngrace_period=%s\nport_file=%s\n"
      "http_address=%s\nhttp_port_file=%s\nhttp_default_verifier=%s\nhttp_batch_window=%s\n"
      "http_batch_max_items=%d\nhttp_request_timeout=%s\nhttp_max_connections=%d\n"
      "http_threads=%d\nhttp_idle_timeout=%s\nmax_connection_age=%s\n"
      "max_connection_age_grace=%s\nkeepalive_time=%s\nkeepalive_timeout=%s\n"
      "keepalive_min_client_interval=%s\ntls_cert_file=%s\ntls_key_file=%s\n"
      "tls_client_ca_file=%s\ntls_reload_interval=%s\nauth_tokens_file=%s\n",
      o.address, o.metrics_address, o.cpu_threads, o.sandbox_concurrency, o.max_queued_items,
      absl::FormatDuration(o.default_deadline), absl::FormatDuration(o.max_deadline),
      o.max_message_bytes, o.cache_entries, o.cache_max_bytes, o.suite_store_bytes,
      absl::FormatDuration(o.grace_period), o.port_file, o.http_address, o.http_port_file,
      o.http_default_verifier, absl::FormatDuration(o.http_batch_window), o.http_batch_max_items,
      absl::FormatDuration(o.http_request_timeout), o.http_max_connections, o.http_threads,
      absl::FormatDuration(o.http_idle_timeout), absl::FormatDuration(o.max_connection_age),
      absl::FormatDuration(o.max_connection_age_grace), absl::FormatDuration(o.keepalive_time),
      absl::FormatDuration(o.keepalive_timeout),
      absl::FormatDuration(o.keepalive_min_client_interval), o.tls_cert_file, o.tls_key_file,
      o.tls_client_ca_file, absl::FormatDuration(o.tls_reload_interval), o.auth_tokens_file);
}

}  // namespace arbiter::server
