// The request target of an HTTP request ("/get_reward?verifier=sat&mode=compat"): its path and
// its query parameters, percent-decoded ('+' is a space, as HTML forms and Python's urlencode
// write it). A repeated parameter keeps its last value; parameters the gateway does not know
// are kept and ignored by the endpoints (trainers' URLs may carry their own).
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace arbiter::server::http {

struct Target {
  std::string path;
  absl::flat_hash_map<std::string, std::string> params;

  // The parameter's value, or `fallback` when it is absent.
  std::string Param(absl::string_view name, absl::string_view fallback = "") const;
};

// INVALID_ARGUMENT for a malformed escape ("%4" or "%zz") or a decoded value that is not UTF-8.
absl::StatusOr<Target> ParseTarget(absl::string_view target);

}  // namespace arbiter::server::http
