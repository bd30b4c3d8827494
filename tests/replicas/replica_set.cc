#include "tests/replicas/replica_set.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tests/replicas/metrics_scrape.h"

namespace arbiter::replicas {
namespace {

constexpr int kNamespaceMetricsPort = 9464;  // every namespace is its own host: no clash

// A loopback port free right now (the server binds it a moment later; good enough for tests).
absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) close(fd);
  if (!ok) return absl::InternalError("cannot find a free loopback port");
  return ntohs(addr.sin_port);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReplicaSet>> ReplicaSet::Start(const ReplicaSetOptions& options) {
  std::unique_ptr<ReplicaSet> set(new ReplicaSet());
  absl::StatusOr<std::unique_ptr<NetnsHosts>> hosts = NetnsHosts::Create(options.count);
  if (hosts.ok()) {
    set->hosts_ = *std::move(hosts);
  } else {
    set->fallback_reason_ = std::string(hosts.status().message());
  }
  for (int i = 0; i < options.count; ++i) {
    if (absl::Status status = set->StartOne(options, i); !status.ok()) return status;
  }
  return set;
}

absl::Status ReplicaSet::StartOne(const ReplicaSetOptions& options, int i) {
  std::string host = "127.0.0.1";
  std::vector<std::string> wrapper;
  int metrics_port = kNamespaceMetricsPort;
  if (hosts_ != nullptr) {
    host = hosts_->hosts()[i].address;
    wrapper = hosts_->Exec(i);
  } else {
    absl::StatusOr<int> port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    metrics_port = *port;
  }
  std::vector<std::string> flags = options.server_flags;
  flags.push_back(absl::StrCat("--metrics_address=", host, ":", metrics_port));
  absl::StatusOr<std::unique_ptr<integration::ServerProcess>> server =
      integration::ServerProcess::Start(options.arbiterd_path, options.scratch_dir, flags,
                                        absl::Seconds(60), wrapper, host);
  if (!server.ok()) return server.status();
  servers_.push_back(*std::move(server));
  metrics_.emplace_back(host, metrics_port);
  return absl::OkStatus();
}

ReplicaSet::~ReplicaSet() { servers_.clear(); }  // kill the processes, then hosts_ goes

std::string ReplicaSet::target() const {
  std::string target;
  for (int i = 0; i < size(); ++i) absl::StrAppend(&target, i == 0 ? "" : ",", address(i));
  return target;
}

absl::StatusOr<double> ReplicaSet::Metric(int i, const std::string& name) const {
  absl::StatusOr<std::string> text =
      ScrapeMetrics(metrics_[i].first, metrics_[i].second, absl::Seconds(5));
  if (!text.ok()) return text.status();
  return SumOfFamily(*text, name);
}

absl::Status ReplicaSet::Kill(int i) {
  servers_[i]->Signal(SIGKILL);
  absl::StatusOr<int> code = servers_[i]->Wait(absl::Seconds(10));
  return code.ok() ? absl::OkStatus() : code.status();
}

absl::Status ReplicaSet::CutOff(int i) {
  if (hosts_ != nullptr) return hosts_->CutOff(i);
  servers_[i]->Signal(SIGSTOP);
  return absl::OkStatus();
}

}  // namespace arbiter::replicas
