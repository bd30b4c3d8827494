#include "server/http/tls.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/file_fingerprint.h"

namespace arbiter::server::http {

namespace ssl = boost::asio::ssl;

absl::StatusOr<std::unique_ptr<TlsContextSource>> TlsContextSource::Create(
    std::string cert_file, std::string key_file, absl::Duration reload_interval) {
  std::unique_ptr<TlsContextSource> source(
      new TlsContextSource(std::move(cert_file), std::move(key_file), reload_interval));
  absl::StatusOr<std::shared_ptr<ssl::context>> context = source->Load();
  if (!context.ok()) return context.status();
  absl::MutexLock lock(&source->mu_);
  source->current_ = *std::move(context);
  source->fingerprint_ = FileFingerprint({source->cert_file_, source->key_file_});
  source->last_check_ = absl::Now();
  return source;
}

absl::StatusOr<std::shared_ptr<ssl::context>> TlsContextSource::Load() const {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1,
                       ec);
  context->use_certificate_chain_file(cert_file_, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat("HTTP gateway TLS: cannot load certificate '",
                                                   cert_file_, "': ", ec.message()));
  }
  context->use_private_key_file(key_file_, ssl::context::pem, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP gateway TLS: cannot load key '", key_file_, "': ", ec.message()));
  }
  return context;
}

std::shared_ptr<ssl::context> TlsContextSource::Current() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = absl::Now();
  if (now - last_check_ < reload_interval_) return current_;
  last_check_ = now;
  const std::string fingerprint = FileFingerprint({cert_file_, key_file_});
  if (fingerprint.empty() || fingerprint == fingerprint_) return current_;
  absl::StatusOr<std::shared_ptr<ssl::context>> reloaded = Load();
  if (!reloaded.ok()) {
    std::fprintf(stderr, "arbiterd: keeping the previous TLS certificate: %s\n",
                 std::string(reloaded.status().message()).c_str());
    return current_;
  }
  current_ = *std::move(reloaded);
  fingerprint_ = fingerprint;
  return current_;
}

}  // namespace arbiter::server::http
