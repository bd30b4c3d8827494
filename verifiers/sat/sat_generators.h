// The generators of the `sat` area, served through the Generate RPC:
//   - "sat": Saturn's SAT_Construction(n, k, l, m) with a seeded PRNG (spec §1.4);
//   - "sat_curriculum": one stateless step of the curriculum controller (spec §1.8).
// Both are deterministic in the request, stateless and thread-safe.
#pragma once

#include "verifiers/sdk/verifier.h"

namespace arbiter::sat {

class SatGenerator : public sdk::Generator {
 public:
  v1::GeneratorInfo Info() const override;
  absl::StatusOr<v1::GenerateResponse> Generate(const v1::GenerateRequest& request) const override;
};

class SatCurriculumGenerator : public sdk::Generator {
 public:
  v1::GeneratorInfo Info() const override;
  absl::StatusOr<v1::GenerateResponse> Generate(const v1::GenerateRequest& request) const override;
};

}  // namespace arbiter::sat
