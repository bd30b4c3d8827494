// The text of harness.py, embedded at build time (CMake configure_file), so the server binary
// carries the exact harness it was tested with and needs no file at run time.
#pragma once

#include <string_view>

namespace arbiter::code::internal {

std::string_view HarnessSource();

}  // namespace arbiter::code::internal
