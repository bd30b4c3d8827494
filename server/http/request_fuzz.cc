// Fuzz target: the gateway's request parsing over arbitrary bytes. The input's first line is the
// request target ("/get_reward?verifier=sat&mode=compat"), the rest the body, which goes through
// both trainers' parsers and the label rules; the answers are rendered too; whatever the fast JSON
// reader (json_subset.h) accepts must read the same with nlohmann. Parsing must return
// OK or INVALID_ARGUMENT and render well-formed UTF-8 JSON, never crash, throw or take
// superlinear time. Aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "server/http/json_body.h"
#include "server/http/json_subset.h"
#include "server/http/openrlhf.h"
#include "server/http/slime.h"
#include "server/http/target.h"
#include "server/testing/fake_verifier.h"
#include "verifiers/sdk/utf8.h"

namespace {

using arbiter::server::http::ItemVerdict;
using arbiter::server::http::ScoreItem;

void CheckStatus(const absl::Status& status) {
  if (!status.ok() && status.code() != absl::StatusCode::kInvalidArgument) std::abort();
}

void CheckRendered(const std::string& text) {
  if (!arbiter::sdk::IsValidUtf8(text)) std::abort();
}

ItemVerdict Verdict(const ScoreItem& item) {
  if (!item.error.ok()) return arbiter::server::http::VerdictFromError(item.error);
  ItemVerdict verdict;
  verdict.outcome = arbiter::v1::INCORRECT;
  verdict.message = item.group.samples(0).completion();  // echoes untrusted text
  return verdict;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const arbiter::sdk::VerifierRegistry* registry = [] {
    auto* r = new arbiter::sdk::VerifierRegistry();
    (void)r->Register(std::make_unique<arbiter::server::testing::FakeVerifier>("sat"));
    return r;
  }();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string target_text = input.substr(0, newline);
  const std::string body = newline == std::string::npos ? "" : input.substr(newline + 1);

  arbiter::server::http::Routing routing{"sat", ""};
  auto target = arbiter::server::http::ParseTarget(target_text);
  CheckStatus(target.status());
  if (target.ok()) {
    routing.verifier = target->Param("verifier", "sat");
    routing.mode = target->Param("mode");
  }

  // The fast JSON reader must agree with nlohmann on everything it accepts.
  if (auto fast =
          arbiter::server::http::ParseJsonSubset(body, arbiter::server::http::kMaxJsonDepth)) {
    const nlohmann::json oracle = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (oracle.is_discarded() || oracle != *fast || oracle.dump() != fast->dump()) std::abort();
  }

  auto items = arbiter::server::http::ParseOpenRlhfRequest(body, routing, *registry);
  CheckStatus(items.status());
  if (items.ok()) {
    std::vector<ItemVerdict> verdicts;
    for (const ScoreItem& item : *items) {
      CheckStatus(item.error);
      verdicts.push_back(Verdict(item));
    }
    CheckRendered(arbiter::server::http::RenderOpenRlhfResponse(*items, verdicts));
  }

  auto item = arbiter::server::http::ParseSlimeRequest(body, routing, *registry);
  CheckStatus(item.status());
  if (item.ok()) {
    CheckStatus(item->error);
    CheckRendered(arbiter::server::http::RenderSlimeResponse(Verdict(*item), "reward"));
  }
  return 0;
}
