// The `beam` task generator (GenerateRequest.kind = "beam", params BeamGenerateParams): BeamPERL's
// training family and its evaluation categories (spec §3.2), seeded and deterministic.
//
// Thread-safety: stateless; one instance serves all threads.
#pragma once

#include "verifiers/sdk/verifier.h"

namespace arbiter::beam {

class BeamGenerator : public sdk::Generator {
 public:
  v1::GeneratorInfo Info() const override;
  // INVALID_ARGUMENT for a count outside [1, 10000] or an unknown family.
  absl::StatusOr<v1::GenerateResponse> Generate(const v1::GenerateRequest& request) const override;
};

}  // namespace arbiter::beam
