// What the sandbox runs, embedded at build time so the server binary carries exactly what it was
// tested with: the text of harness.py (CMake configure_file), the shared object built from
// forker.c and the static executable built from launcher.c (cmake/EmbedBinary.cmake); the
// runner writes the last two to files at start-up.
#pragma once

#include <string_view>

namespace arbiter::code::internal {

std::string_view HarnessSource();
std::string_view ForkerLibrary();
std::string_view LauncherProgram();

}  // namespace arbiter::code::internal
