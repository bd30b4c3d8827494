#include "verifiers/sdk/registry.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace arbiter::sdk {

absl::Status VerifierRegistry::Register(std::unique_ptr<Verifier> verifier) {
  if (verifier == nullptr) return absl::InvalidArgumentError("null verifier");
  std::string name = verifier->Info().name();
  if (name.empty()) return absl::InvalidArgumentError("verifier with an empty name");
  if (verifiers_.contains(name)) {
    return absl::AlreadyExistsError(absl::StrCat("verifier '", name, "' is already registered"));
  }
  verifiers_.emplace(std::move(name), std::move(verifier));
  return absl::OkStatus();
}

absl::Status VerifierRegistry::RegisterGenerator(std::unique_ptr<Generator> generator) {
  if (generator == nullptr) return absl::InvalidArgumentError("null generator");
  std::string kind = generator->Info().kind();
  if (kind.empty()) return absl::InvalidArgumentError("generator with an empty kind");
  if (generators_.contains(kind)) {
    return absl::AlreadyExistsError(absl::StrCat("generator '", kind, "' is already registered"));
  }
  generators_.emplace(std::move(kind), std::move(generator));
  return absl::OkStatus();
}

const Verifier* VerifierRegistry::Find(const std::string& name) const {
  auto it = verifiers_.find(name);
  return it == verifiers_.end() ? nullptr : it->second.get();
}

const Generator* VerifierRegistry::FindGenerator(const std::string& kind) const {
  auto it = generators_.find(kind);
  return it == generators_.end() ? nullptr : it->second.get();
}

std::vector<std::string> VerifierRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(verifiers_.size());
  for (const auto& [name, verifier] : verifiers_) names.push_back(name);
  return names;
}

std::vector<v1::VerifierInfo> VerifierRegistry::Verifiers() const {
  std::vector<v1::VerifierInfo> infos;
  infos.reserve(verifiers_.size());
  for (const auto& [name, verifier] : verifiers_) infos.push_back(verifier->Info());
  return infos;
}

std::vector<v1::GeneratorInfo> VerifierRegistry::Generators() const {
  std::vector<v1::GeneratorInfo> infos;
  infos.reserve(generators_.size());
  for (const auto& [kind, generator] : generators_) infos.push_back(generator->Info());
  return infos;
}

}  // namespace arbiter::sdk
