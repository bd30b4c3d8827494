// Reads a replica's Prometheus metrics: one plain HTTP/1.0 GET of /metrics, and the sum of a
// family's samples over all its label sets. Enough for a test; not a general HTTP client.
//
// Thread-safety: free functions, no shared state.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace arbiter::replicas {

// GET http://<ip>:<port>/metrics within `timeout`. UNAVAILABLE when the connection fails,
// DEADLINE_EXCEEDED when the answer does not come in time, INTERNAL for a non-200 answer.
absl::StatusOr<std::string> ScrapeMetrics(const std::string& ip, int port, absl::Duration timeout);

// Sum of every sample of family `name` in text exposition format (`name` or `name{...}` lines);
// 0 when there is none.
double SumOfFamily(absl::string_view exposition, absl::string_view name);

}  // namespace arbiter::replicas
