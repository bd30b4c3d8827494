#include "shaping/register.h"

#include <memory>

#include "shaping/pair_select.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::shaping {
namespace {

class PairSelectGenerator : public sdk::Generator {
 public:
  v1::GeneratorInfo Info() const override {
    v1::GeneratorInfo info;
    info.set_kind("pair_select");
    info.set_params_type("arbiter.v1.PairSelectParams");
    info.set_description(
        "Beyond-Variance pair selection (spec 5.2): q+ = lowest success rate in [1/G, c/G], "
        "q- = highest in [1 - c/G, 1 - 1/G], ties by prompt_id; defaults G = 8, c = 2");
    return info;
  }

  absl::StatusOr<v1::GenerateResponse> Generate(const v1::GenerateRequest& request) const override {
    if (!request.has_pair_select()) {
      return absl::InvalidArgumentError("pair_select: GenerateRequest.pair_select is not set");
    }
    ARBITER_ASSIGN_OR_RETURN(v1::PairSelectResult result, SelectPair(request.pair_select()));
    v1::GenerateResponse response;
    *response.mutable_pair_select() = std::move(result);
    return response;
  }
};

}  // namespace

absl::Status RegisterShapingGenerators(sdk::VerifierRegistry& registry) {
  return registry.RegisterGenerator(std::make_unique<PairSelectGenerator>());
}

}  // namespace arbiter::shaping
