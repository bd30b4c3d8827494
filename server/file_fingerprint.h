// What tells a rotated file from the one read before: modification time and size, for the files
// re-read on change (bearer tokens, TLS certificates). Empty when a file cannot be stat'ed.
#pragma once

#include <sys/stat.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"

namespace arbiter::server {

inline std::string FileFingerprint(absl::Span<const std::string> paths) {
  std::string out;
  for (const std::string& path : paths) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return "";
    absl::StrAppend(&out, st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec, "/", st.st_size, ";");
  }
  return out;
}

}  // namespace arbiter::server
