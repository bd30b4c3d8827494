// One process-wide mutex for every GiNaC call of the beam verifier.
//
// GiNaC is not thread-safe: expressions share nodes through non-atomic reference counts and the
// library keeps global flyweights (the numbers 0, 1, ...) that every operation copies. So every
// construction, copy, use AND destruction of a GiNaC object happens with this mutex held. Objects
// that outlive a call (a prepared task's expected reactions) are destroyed under it too.
#pragma once

#include "absl/synchronization/mutex.h"

namespace arbiter::beam::internal {

absl::Mutex& GinacMutex();

}  // namespace arbiter::beam::internal
