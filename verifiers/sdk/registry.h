// The set of verifiers and generators one server hosts.
//
// Registration is explicit: each verifier folder exposes Register<Name>Verifier(VerifierRegistry&)
// and only the registration list generated from the folders' arbiter_verifier() declarations
// (server/registered_verifiers.h) calls them (no static-initialisation tricks, which silently drop
// plugins from static archives). Names are unique; a duplicate is ALREADY_EXISTS. Listing is
// sorted by name.
//
// Thread-safety: register everything before serving; after that the registry is read-only and
// safe to share across threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::sdk {

class VerifierRegistry {
 public:
  // ALREADY_EXISTS if the name is taken; INVALID_ARGUMENT for an empty name or a null pointer.
  absl::Status Register(std::unique_ptr<Verifier> verifier);
  absl::Status RegisterGenerator(std::unique_ptr<Generator> generator);

  // nullptr when absent.
  const Verifier* Find(const std::string& name) const;
  const Generator* FindGenerator(const std::string& kind) const;

  // Sorted by name.
  std::vector<std::string> Names() const;
  std::vector<v1::VerifierInfo> Verifiers() const;
  std::vector<v1::GeneratorInfo> Generators() const;

 private:
  std::map<std::string, std::unique_ptr<Verifier>> verifiers_;
  std::map<std::string, std::unique_ptr<Generator>> generators_;
};

}  // namespace arbiter::sdk
