// What the sandbox runs, embedded at build time so the server binary carries the exact harness it
// was tested with: the text of harness.py (CMake configure_file) and the shared object built from
// forker.c (cmake/EmbedBinary.cmake), which the runner writes to a file at start-up.
#pragma once

#include <string_view>

namespace arbiter::code::internal {

std::string_view HarnessSource();
std::string_view ForkerLibrary();

}  // namespace arbiter::code::internal
