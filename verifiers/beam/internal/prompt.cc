#include "verifiers/beam/internal/prompt.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace arbiter::beam::internal {
namespace {

// "0.6*L" → "0.6L", "-3*P" → "3P" (sign handled by the caller's wording).
std::string Pretty(const std::string& expr) {
  std::string s = absl::StrReplaceAll(expr, {{"*", ""}});
  if (!s.empty() && s[0] == '-') s.erase(0, 1);
  return s == "1P" ? "P" : s;
}

std::string SupportName(v1::BeamSupport::Type type) {
  switch (type) {
    case v1::BeamSupport::PIN:
      return "a pin support";
    case v1::BeamSupport::ROLLER:
      return "a roller support";
    case v1::BeamSupport::FIXED:
      return "a fixed support";
    default:
      return "a support";
  }
}

}  // namespace

void AddSupport(v1::Beam* beam, v1::BeamSupport::Type type, std::string position) {
  v1::BeamSupport* s = beam->add_supports();
  s->set_type(type);
  s->set_position(std::move(position));
}

void AddLoad(v1::Beam* beam, v1::BeamLoad::Type type, std::string magnitude, std::string position) {
  v1::BeamLoad* l = beam->add_loads();
  l->set_type(type);
  l->set_magnitude(std::move(magnitude));
  l->set_position(std::move(position));
}

void AddDistributed(v1::Beam* beam, std::string magnitude, std::string from, std::string to) {
  AddLoad(beam, v1::BeamLoad::DISTRIBUTED, std::move(magnitude), std::move(from));
  beam->mutable_loads(beam->loads_size() - 1)->set_end_position(std::move(to));
}

std::string PromptFor(const v1::Beam& beam) {
  std::vector<std::string> supports;
  for (int i = 0; i < beam.supports_size(); ++i) {
    const v1::BeamSupport& s = beam.supports(i);
    const std::string label =
        s.label().empty() ? std::string(1, static_cast<char>('A' + i)) : s.label();
    supports.push_back(
        absl::StrCat(SupportName(s.type()), " (", label, ") at x = ", Pretty(s.position())));
  }
  std::vector<std::string> loads;
  for (const v1::BeamLoad& l : beam.loads()) {
    const bool down = !l.magnitude().empty() && l.magnitude()[0] == '-';
    switch (l.type()) {
      case v1::BeamLoad::POINT_FORCE:
        loads.push_back(absl::StrCat("a point load of ", Pretty(l.magnitude()),
                                     down ? " acting downward" : " acting upward",
                                     " at x = ", Pretty(l.position())));
        break;
      case v1::BeamLoad::MOMENT:
        loads.push_back(absl::StrCat("a ", down ? "clockwise" : "counter-clockwise",
                                     " applied moment of ", Pretty(l.magnitude()),
                                     " at x = ", Pretty(l.position())));
        break;
      case v1::BeamLoad::DISTRIBUTED:
        loads.push_back(absl::StrCat("a uniformly distributed load of ", Pretty(l.magnitude()),
                                     down ? " acting downward" : " acting upward", " from x = ",
                                     Pretty(l.position()), " to x = ", Pretty(l.end_position())));
        break;
      default:
        break;
    }
  }
  return absl::StrCat(
      "A beam of length ", Pretty(beam.length()), " is supported by ",
      absl::StrJoin(supports, " and "), ". It carries ", absl::StrJoin(loads, ", "),
      ". Determine the vertical reaction forces at the supports, upward positive, as multiples of "
      "P, in the order ",
      absl::StrJoin(std::vector<std::string>(beam.supports_size(), ""), ", ",
                    [i = 0](std::string* out, const std::string&) mutable {
                      absl::StrAppend(out, "R_", std::string(1, static_cast<char>('A' + i++)));
                    }),
      ".\nThink step by step. End your reasoning with </think> on a line of its own, then give "
      "each reaction force in its own \\boxed{}, like this:\n"
      "(your reasoning)\n</think>\nR_A = \\boxed{0.5P}, R_B = \\boxed{0.5P}\n<think>\n");
}

}  // namespace arbiter::beam::internal
