// Separate hosts for a replica test: each host is a network namespace joined to the test's own
// (root) namespace by a veth pair on its own /30, so a server listening inside is reached over a
// real link that the test can cut. Where namespaces cannot be made (no CAP_SYS_ADMIN, no
// iproute2), Create says why and the caller falls back to loopback.
//
// Names are unique per run (they carry this process's pid: "arbr<pid>-<i>"); Create first
// deletes the namespaces that earlier runs left behind (their pid no longer lives), so a run
// killed before its destructor ran costs nothing later. The destructor deletes every namespace
// (which destroys both ends of its veth pair). Run the servers' processes' cleanup first: a
// namespace whose name is gone lives on until its last process exits.
//
// Thread-safety: used from one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace arbiter::replicas {

struct Host {
  std::string netns;      // "arbr1234-0"
  std::string host_link;  // the veth end in the root namespace ("arbr1234h0")
  std::string address;    // the host's address, reached from the root namespace ("10.…2")
  std::string gateway;    // the root namespace's end ("10.…1")
};

class NetnsHosts {
 public:
  // `count` hosts. FAILED_PRECONDITION (with the failing command's output) where namespaces or
  // veth pairs cannot be made; nothing is left behind then.
  static absl::StatusOr<std::unique_ptr<NetnsHosts>> Create(int count);
  ~NetnsHosts();
  NetnsHosts(const NetnsHosts&) = delete;
  NetnsHosts& operator=(const NetnsHosts&) = delete;

  const std::vector<Host>& hosts() const { return hosts_; }
  // The argv prefix that runs a command inside host `i` ("ip netns exec <ns>").
  std::vector<std::string> Exec(int i) const;
  // Cuts host `i` off: its link in the root namespace goes down, so packets to it are dropped
  // (established connections see silence, new ones fail), while its processes keep running.
  absl::Status CutOff(int i) const;

 private:
  NetnsHosts() = default;
  std::vector<Host> hosts_;
};

// The iproute2 `ip` binary, or NOT_FOUND.
absl::StatusOr<std::string> IpBinary();

}  // namespace arbiter::replicas
