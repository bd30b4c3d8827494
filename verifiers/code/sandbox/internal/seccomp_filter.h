// The seccomp deny-list applied (by bwrap, via --seccomp FD) to everything inside the sandbox.
// Default allow; the listed system calls fail with EPERM (clone3 with ENOSYS so libc falls back
// to clone, whose namespace flags are checked). Foreign architectures (int 0x80 on x86-64) are
// killed. See README.md for the list and what each entry prevents.
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace arbiter::code::internal {

// The filter as classic BPF bytes (struct sock_filter[]), as bwrap's --seccomp expects.
absl::StatusOr<std::string> BuildSeccompBpf();

}  // namespace arbiter::code::internal
