#include "server/http/label.h"

#include "absl/strings/str_cat.h"
#include "server/http/json_body.h"

namespace arbiter::server::http {
namespace {

// INVALID_ARGUMENT unless the envelope's `key` is absent or a string; `out` takes the string.
absl::Status ReadEnvelopeString(const nlohmann::json& envelope, const char* key, std::string& out) {
  const auto it = envelope.find(key);
  if (it == envelope.end()) return absl::OkStatus();
  if (!it->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("label.", key, " must be a string, got ", it->type_name()));
  }
  out = it->get<std::string>();
  return absl::OkStatus();
}

}  // namespace

std::string GroundTruthFromLabel(const nlohmann::json& label,
                                 const nlohmann::ordered_json* ordered) {
  if (label.is_string()) return label.get<std::string>();
  if (label.is_null()) return "";
  return ordered != nullptr ? DumpJson(*ordered) : DumpJson(label);
}

namespace {

bool HoldsObjectWithKeys(const nlohmann::json& value) {
  if (value.is_object() && value.size() >= 2) return true;
  if (!value.is_structured()) return false;
  for (const nlohmann::json& element : value) {
    if (HoldsObjectWithKeys(element)) return true;
  }
  return false;
}

}  // namespace

bool KeyOrderMatters(const nlohmann::json& label) {
  const bool envelope = label.is_object() && label.contains("ground_truth");
  return HoldsObjectWithKeys(envelope ? label["ground_truth"] : label);
}

absl::StatusOr<v1::Task> TaskFromLabel(const nlohmann::json& label, const Routing& routing,
                                       const nlohmann::ordered_json* ordered) {
  v1::Task task;
  task.set_verifier(routing.verifier);
  task.set_mode(routing.mode);
  const bool envelope = label.is_object() && label.contains("ground_truth");
  if (!envelope) {
    task.set_ground_truth(GroundTruthFromLabel(label, ordered));
    return task;
  }
  std::string verifier = routing.verifier;
  std::string mode = routing.mode;
  if (absl::Status s = ReadEnvelopeString(label, "verifier", verifier); !s.ok()) return s;
  if (absl::Status s = ReadEnvelopeString(label, "mode", mode); !s.ok()) return s;
  task.set_verifier(verifier);
  task.set_mode(mode);
  const nlohmann::ordered_json* ordered_truth = nullptr;
  if (ordered != nullptr && ordered->is_object()) {
    const auto it = ordered->find("ground_truth");
    if (it != ordered->end()) ordered_truth = &*it;
  }
  task.set_ground_truth(GroundTruthFromLabel(*label.find("ground_truth"), ordered_truth));
  return task;
}

}  // namespace arbiter::server::http
