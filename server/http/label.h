// From a trainer's label to an arbiter Task: which verifier, which mode, which ground truth.
//
// A label is passed on unchanged as Task.ground_truth: a JSON string as is, anything else (a
// number, a list, a Saturn row object) as its compact JSON encoding, objects' keys in the order
// the trainer sent them when the caller gives the label's ordered parse (a code row's dict
// arguments reach the program in the row's order, as the graders' json.loads keeps it); null as
// "" (the verifier then says what is missing). One shape is read instead of passed on, the
// **envelope**: a JSON object with a "ground_truth" key,
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
// string. Does not check that the verifier exists. `ordered`: the same label parsed with its key
// order (OrderedLabels), or null to encode `label`'s sorted keys.
absl::StatusOr<v1::Task> TaskFromLabel(const nlohmann::json& label, const Routing& routing,
                                       const nlohmann::ordered_json* ordered = nullptr);

// `label` as Task.ground_truth: a string as is, null as "", anything else as compact JSON (from
// `ordered` when given).
std::string GroundTruthFromLabel(const nlohmann::json& label,
                                 const nlohmann::ordered_json* ordered = nullptr);

// True when encoding `label` (an envelope: its ground_truth) from its sorted parse could reorder
// an object's keys (it holds an object with two or more keys): then the body is parsed again,
// in order, for it. An envelope around a string, the usual form, is not.
bool KeyOrderMatters(const nlohmann::json& label);

}  // namespace arbiter::server::http
