// BeamPERL-style question text for a generated beam, and small v1::Beam construction helpers.
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "verifiers/beam/beam.pb.h"

namespace arbiter::beam::internal {

// Describes the beam, its supports (with their answer labels A, B, ... in position order) and
// loads, asks for the vertical reaction forces, and ends with the answer-format instructions
// (reasoning inside <think></think>, each reaction in \boxed{} as a multiple of P).
std::string PromptFor(const v1::Beam& beam);

void AddSupport(v1::Beam* beam, v1::BeamSupport::Type type, std::string position);
void AddLoad(v1::Beam* beam, v1::BeamLoad::Type type, std::string magnitude, std::string position);
void AddDistributed(v1::Beam* beam, std::string magnitude, std::string from, std::string to);

}  // namespace arbiter::beam::internal
