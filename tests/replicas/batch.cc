#include "tests/replicas/batch.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace arbiter::replicas {
namespace {

constexpr const char* kFormulas[] = {
    "!A!BC & A!BD & AB!C & BCD",
    "AB & !A!C & B!D",
    "!AB & !BC & !CD & A!D",
    "A!B!C & !AB & CD",
};

std::string Bits(int value) {
  std::string bits;
  for (int bit = 3; bit >= 0; --bit) bits += (value >> bit) & 1 ? '1' : '0';
  return bits;
}

}  // namespace

std::vector<v1::Group> MakeBatch(int sat_groups, int math_groups) {
  std::vector<v1::Group> batch;
  for (int g = 0; g < sat_groups; ++g) {
    v1::Group& group = batch.emplace_back();
    group.set_group_id(absl::StrCat("sat-", g));
    group.mutable_task()->set_verifier("sat");
    group.mutable_task()->set_ground_truth(kFormulas[g % 4]);
    for (int j = 0; j < 7; ++j) {
      group.add_samples()->set_completion(
          absl::StrCat("Trying assignments... \\boxed{", Bits((g * 5 + j) % 16), "}"));
    }
    group.add_samples()->set_completion("I cannot decide.");
  }
  for (int g = 0; g < math_groups; ++g) {
    v1::Group& group = batch.emplace_back();
    group.set_group_id(absl::StrCat("math-", g));
    group.mutable_task()->set_verifier("math");
    group.mutable_task()->set_ground_truth(absl::StrCat(g));
    for (const std::string& answer :
         {absl::StrCat("\\boxed{", g, "}"), absl::StrCat("\\boxed{", g + 1, "}"),
          absl::StrCat("\\boxed{\\frac{", 2 * g, "}{2}}"), std::string("no idea")}) {
      group.add_samples()->set_completion("The answer is " + answer);
    }
  }
  return batch;
}

absl::Status MakeReference(const std::vector<v1::Group>& batch, const v1::ScoreResponse& response,
                           Reference* reference) {
  if (response.groups_size() != static_cast<int>(batch.size())) {
    return absl::FailedPreconditionError(
        absl::StrCat("reference: ", response.groups_size(), " results for ", batch.size()));
  }
  absl::flat_hash_map<int, int> outcomes;
  for (size_t i = 0; i < batch.size(); ++i) {
    const v1::GroupResult& result = response.groups(static_cast<int>(i));
    if (result.status().code() != 0 || result.samples_size() != batch[i].samples_size()) {
      return absl::FailedPreconditionError(
          absl::StrCat("reference: group ", batch[i].group_id(), ": ", result.ShortDebugString()));
    }
    for (const v1::SampleResult& sample : result.samples()) ++outcomes[sample.outcome()];
    (*reference)[batch[i].group_id()] = result;
  }
  if (outcomes[v1::INFRA_ERROR] > 0 || outcomes[v1::CORRECT] == 0 || outcomes[v1::INCORRECT] == 0 ||
      outcomes[v1::NO_ANSWER] == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("reference outcomes are degenerate: ", outcomes[v1::CORRECT], " correct, ",
                     outcomes[v1::INCORRECT], " incorrect, ", outcomes[v1::NO_ANSWER],
                     " no answer, ", outcomes[v1::INFRA_ERROR], " infra errors"));
  }
  return absl::OkStatus();
}

absl::Status MatchesReference(const std::vector<v1::Group>& batch,
                              const std::vector<v1::GroupResult>& results,
                              const Reference& reference) {
  if (results.size() != batch.size()) {
    return absl::FailedPreconditionError(
        absl::StrCat(results.size(), " results for ", batch.size(), " groups"));
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    const std::string& id = batch[i].group_id();
    const v1::GroupResult& got = results[i];
    auto want = reference.find(id);
    if (want == reference.end()) return absl::FailedPreconditionError("no reference for " + id);
    if (got.group_id() != id || got.status().code() != 0 ||
        got.samples_size() != want->second.samples_size()) {
      return absl::FailedPreconditionError(
          absl::StrCat("group ", i, " (", id, "): got ", got.ShortDebugString()));
    }
    for (int s = 0; s < got.samples_size(); ++s) {
      const v1::SampleResult& a = got.samples(s);
      const v1::SampleResult& b = want->second.samples(s);
      if (a.outcome() != b.outcome() || a.score() != b.score() || a.reward() != b.reward()) {
        return absl::FailedPreconditionError(
            absl::StrCat(id, " sample ", s, " scored twice differently: ", a.ShortDebugString(),
                         " vs reference ", b.ShortDebugString()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status WriteJsonLines(const std::vector<v1::Group>& batch, const std::string& path) {
  std::ofstream out(path);
  for (const v1::Group& group : batch) {
    std::string line;
    if (!google::protobuf::util::MessageToJsonString(group, &line).ok()) {
      return absl::InternalError("cannot print a group as JSON");
    }
    out << line << '\n';
  }
  out.close();
  return out ? absl::OkStatus() : absl::InternalError("cannot write " + path);
}

}  // namespace arbiter::replicas
