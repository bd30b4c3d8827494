// From a trainer's label to an arbiter Task: which verifier, which mode, which ground truth.
//
// A label is passed on unchanged as Task.ground_truth: a JSON string as is, anything else (a
// number, a list, a Saturn row object) as its compact JSON encoding; null as "" (the verifier
// then says what is missing). One shape is read instead of passed on, the **envelope**: a JSON
// object with a "ground_truth" key,
//     {"verifier": "sat", "mode": "compat", "ground_truth": <any label>}
// where "verifier" and "mode" are optional strings and "ground_truth" is encoded as above.
// Precedence for verifier and mode: the envelope, then the request's ?verifier= / ?mode=, then
// the server default (mode: the verifier's own default).
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"
#include "nlohmann/json.hpp"

namespace arbiter::server::http {

// Where the label does not say: the request's query parameters, else the server default.
struct Routing {
  std::string verifier;
  std::string mode;
};

// The task for `label`, or INVALID_ARGUMENT when an envelope's "verifier" or "mode" is not a
// string. Does not check that the verifier exists.
absl::StatusOr<v1::Task> TaskFromLabel(const nlohmann::json& label, const Routing& routing);

// `label` as Task.ground_truth: a string as is, null as "", anything else as compact JSON.
std::string GroundTruthFromLabel(const nlohmann::json& label);

}  // namespace arbiter::server::http
