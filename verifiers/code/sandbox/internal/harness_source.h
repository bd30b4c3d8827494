// What the sandbox runs, embedded at build time so the server binary carries exactly what it was
// tested with: the harness (harness/*.py, CMake configure_file), the shared object built from
// forker.c and the static executable built from launcher.c (cmake/EmbedBinary.cmake); the
// runner writes the last two to files at start-up.
#pragma once

#include <span>
#include <string_view>

namespace arbiter::code::internal {

// The harness is started as `python3 -s -B -c HarnessBootstrap() NAME SOURCE ...` with the
// modules in this order (each imports only modules before it; the last is `main`).
struct HarnessModule {
  std::string_view name;
  std::string_view source;
};
std::string_view HarnessBootstrap();
std::span<const HarnessModule> HarnessModules();

std::string_view ForkerLibrary();
std::string_view LauncherProgram();

}  // namespace arbiter::code::internal
