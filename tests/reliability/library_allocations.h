// Allocation failure inside GiNaC, CLN and CaDiCaL, for fault-injection tests.
//
// Linking library_allocations.cc replaces the binary's global operator new. On a thread armed with
// ArmThisThread(k), the allocations whose caller lies in GiNaC's or CLN's code (their shared
// objects' executable segments) or in a CaDiCaL function (linked from libcadical.a; found in
// /proc/self/exe's symbol table) succeed k times and then every one fails with std::bad_alloc
// until DisarmThisThread(): the library throws from wherever it was, as it would when memory runs
// out. Everything else allocates normally.
//
// Only the libraries' own allocations fail: Debian's Abseil (20220623) cannot unwind a
// flat_hash_map whose growth threw (raw_hash_set::resize sets the capacity before allocating), so
// failing arbiter's own containers would crash the process in the container's destructor and
// measure Abseil, not the fault under test. Not for ASan or TSan builds (their runtimes define
// operator new).
#pragma once

#include <cstdint>

#include "absl/status/status.h"

namespace arbiter::reliability {

// Finds the libraries' code; call once before arming. NOT_FOUND naming what is missing.
absl::Status FindLibraryCode();

// Arms the calling thread: `fail_after` library allocations succeed, then all fail; a negative
// `fail_after` counts them instead of failing any.
void ArmThisThread(int64_t fail_after);

// Disarms the calling thread; returns the library allocations counted since a counting arm.
int64_t DisarmThisThread();

}  // namespace arbiter::reliability
