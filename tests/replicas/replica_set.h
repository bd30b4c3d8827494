// Three (or N) arbiterd replicas as separate hosts, for tests of client-side balancing and
// failover: each replica runs inside its own network namespace (hosts.h) and listens on that
// host's address; where namespaces cannot be made, all run on 127.0.0.1 instead and
// fallback_reason() says why. Kill() and CutOff() are the two faults: a crash (SIGKILL), and a
// replica that keeps running but stops answering (its link set down; on loopback, SIGSTOP, which
// looks the same to a client: connections stay open and nothing comes back).
//
// Destruction SIGKILLs and reaps every replica, then deletes the namespaces.
// Thread-safety: const methods may be called from any thread; the rest from one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/server_process.h"
#include "tests/replicas/hosts.h"

namespace arbiter::replicas {

struct ReplicaSetOptions {
  std::string arbiterd_path;
  std::string scratch_dir;
  int count = 3;
  std::vector<std::string> server_flags;  // added to every replica's command line
};

class ReplicaSet {
 public:
  static absl::StatusOr<std::unique_ptr<ReplicaSet>> Start(const ReplicaSetOptions& options);
  ~ReplicaSet();

  int size() const { return static_cast<int>(servers_.size()); }
  // Empty when the replicas run in network namespaces, else why they do not.
  const std::string& fallback_reason() const { return fallback_reason_; }
  // "IP:PORT" of replica i, and the peer string gRPC reports for it ("ipv4:IP:PORT").
  std::string address(int i) const { return servers_[i]->address(); }
  std::string peer(int i) const { return "ipv4:" + address(i); }
  // Every replica, comma-separated: the clients' multi-address target.
  std::string target() const;
  // Sum over labels of metric family `name` on replica i (its --metrics_address).
  absl::StatusOr<double> Metric(int i, const std::string& name) const;

  // SIGKILLs replica i and reaps it.
  absl::Status Kill(int i);
  // Replica i stops answering but keeps running (see the file comment).
  absl::Status CutOff(int i);

 private:
  ReplicaSet() = default;
  absl::Status StartOne(const ReplicaSetOptions& options, int i);

  std::unique_ptr<NetnsHosts> hosts_;  // declared first: outlives the servers inside it
  std::string fallback_reason_;
  std::vector<std::unique_ptr<integration::ServerProcess>> servers_;
  std::vector<std::pair<std::string, int>> metrics_;  // (ip, port) per replica
};

}  // namespace arbiter::replicas
