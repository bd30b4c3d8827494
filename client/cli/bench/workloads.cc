#include "client/cli/bench/workloads.h"

#include <fstream>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/jsonl.h"

namespace arbiter::client::cli::bench {
namespace {

using GroupMaker = std::function<GroupTemplate(int index)>;

constexpr const char* kNames[] = {"sat",  "code",  "beam",         "math",  "shaping",
                                  "null", "mixed", "pathological", "replay"};

absl::StatusOr<std::vector<SatRow>> SatRows(const WorkloadSpec& spec, const Client& client) {
  std::vector<std::string> inputs = spec.sat_inputs;
  if (inputs.empty()) inputs = DefaultSaturnInputs();
  if (!inputs.empty()) return ReadSaturnRows(inputs);
  v1::GenerateRequest request;
  request.set_kind("sat");
  request.mutable_sat()->set_n(3);
  request.mutable_sat()->set_k(7);
  request.mutable_sat()->set_l(40);
  request.mutable_sat()->set_count(128);
  request.mutable_sat()->set_seed(1);
  absl::StatusOr<v1::GenerateResponse> response = client.Generate(request);
  if (!response.ok()) return response.status();
  std::vector<SatRow> rows;
  for (const v1::GeneratedTask& t : response->tasks()) {
    rows.push_back(
        {t.sat().id(), t.sat().n_sat(), t.sat().k(), t.sat().solution(), t.sat().clause()});
  }
  if (rows.empty()) return absl::NotFoundError("Generate(sat) returned no tasks");
  return rows;
}

absl::StatusOr<std::vector<BeamGold>> BeamGolds(const Client& client) {
  v1::GenerateRequest request;
  request.set_kind("beam");
  request.mutable_beam()->set_count(64);
  request.mutable_beam()->set_seed(1);
  absl::StatusOr<v1::GenerateResponse> response = client.Generate(request);
  if (!response.ok()) return response.status();
  std::vector<BeamGold> golds;
  for (const v1::GeneratedTask& t : response->tasks()) {
    golds.emplace_back(t.beam().gold().begin(), t.beam().gold().end());
  }
  if (golds.empty()) return absl::NotFoundError("Generate(beam) returned no tasks");
  return golds;
}

absl::StatusOr<std::vector<v1::Group>> ReadGroups(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open --replay=", path));
  std::vector<v1::Group> groups;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (IsBlankLine(line)) continue;
    v1::Group group;
    if (absl::Status s = ParseJsonMessage(line, &group); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": not an arbiter.v1.Group: ", s.message()));
    }
    groups.push_back(std::move(group));
  }
  if (groups.empty()) return absl::NotFoundError(absl::StrCat(path, " holds no groups"));
  return groups;
}

// The group maker of `spec.name`, with what it needs fetched once.
absl::StatusOr<GroupMaker> Maker(const WorkloadSpec& spec, const Client& client, Workload& w) {
  const Shape shape = spec.shape;
  const std::string& name = spec.name;
  if (name == "code") return GroupMaker([shape](int i) { return CodeGroup(i, shape); });
  if (name == "math") return GroupMaker([shape](int i) { return MathGroup(i, shape); });
  if (name == "null") {
    w.note = "null: arbiterd hosts no no-op verifier; sat on the formula \"A\" stands in";
    return GroupMaker([shape](int i) { return NullGroup(i, shape); });
  }
  if (name == "pathological") {
    w.note = "pathological: over HTTP the label carries no limits, so the server's defaults apply";
    return GroupMaker([shape](int i) { return PathologicalGroup(i, shape); });
  }
  if (name == "replay") {
    absl::StatusOr<std::vector<v1::Group>> groups = ReadGroups(spec.replay_path);
    if (!groups.ok()) return groups.status();
    return GroupMaker([g = *std::move(groups)](int i) {
      return ReplayedGroup(g[static_cast<size_t>(i) % g.size()]);
    });
  }
  absl::StatusOr<std::vector<SatRow>> rows;
  absl::StatusOr<std::vector<BeamGold>> golds;
  if (name == "sat" || name == "shaping" || name == "mixed") {
    rows = SatRows(spec, client);
    if (!rows.ok()) return rows.status();
  }
  if (name == "beam" || name == "mixed") {
    golds = BeamGolds(client);
    if (!golds.ok()) return golds.status();
  }
  if (name == "sat" || name == "shaping") {
    return GroupMaker([r = *std::move(rows), shape](int i) { return SatGroup(r, i, shape); });
  }
  if (name == "beam") {
    return GroupMaker([g = *std::move(golds), shape](int i) { return BeamGroup(g, i, shape); });
  }
  if (name == "mixed") {
    return GroupMaker([r = *std::move(rows), g = *std::move(golds), shape](int i) {
      switch (i % 4) {
        case 0:
          return SatGroup(r, i / 4, shape);
        case 1:
          return MathGroup(i / 4, shape);
        case 2:
          return BeamGroup(g, i / 4, shape);
        default:
          return CodeGroup(i / 4, shape);
      }
    });
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown workload \"", name, "\"; one of: ", WorkloadNames()));
}

}  // namespace

std::string WorkloadNames() { return absl::StrJoin(kNames, ", "); }

absl::StatusOr<Workload> BuildWorkload(const WorkloadSpec& spec, const Client& client) {
  Workload w;
  w.name = spec.name;
  absl::StatusOr<GroupMaker> maker = Maker(spec, client, w);
  if (!maker.ok()) return maker.status();
  int index = 0;
  for (int r = 0; r < std::max(1, spec.templates); ++r) {
    v1::ScoreRequest request;
    std::vector<nlohmann::json> labels;
    for (int p = 0; p < spec.shape.prompts; ++p) {
      GroupTemplate t = (*maker)(index++);
      if (t.label.is_null() && w.http_refusal.empty()) {
        w.http_refusal = absl::StrCat("group ", t.group.group_id(),
                                      " has a typed task without a ground_truth form");
      }
      *request.add_groups() = std::move(t.group);
      labels.push_back(std::move(t.label));
    }
    if (spec.name == "shaping") {
      v1::Shaping* shaping = request.mutable_shaping();
      shaping->add_stages(v1::Shaping::STAGE_UNLIKELINESS);
      shaping->set_normalizer(v1::NORMALIZER_ZSCORE_UNBIASED);
    }
    w.requests.push_back(std::move(request));
    w.labels.push_back(std::move(labels));
  }
  if (spec.name == "shaping") {
    w.http_refusal = "shaping needs whole groups; the per-sample gateway protocols have none";
  }
  return w;
}

}  // namespace arbiter::client::cli::bench
