#include "verifiers/beam/symbolic_check.h"

#include <cmath>
#include <exception>
#include <new>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "verifiers/beam/answer_parser.h"
#include "verifiers/beam/expr.h"
#include "verifiers/beam/internal/ginac_lock.h"
#include "verifiers/beam/solver.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::beam {
namespace {

using GiNaC::ex;

constexpr int kPoints = 2;

// Values of P, L, q, M at the comparison points: generic (no small-integer coincidences); the
// second point catches rare collisions. Point 2 is all ones (reported in BeamDetail).
constexpr double kPointValues[kPoints + 1][4] = {
    {1.37, 2.11, 0.73, 1.91}, {0.61, 3.7, 1.29, 0.83}, {1, 1, 1, 1}};
constexpr int kOnes = kPoints;

double EvalTree(const ex& e, const double* v) {
  if (GiNaC::is_a<GiNaC::numeric>(e)) {
    const auto& n = GiNaC::ex_to<GiNaC::numeric>(e);
    return n.is_real() ? n.to_double() : NAN;
  }
  if (GiNaC::is_a<GiNaC::symbol>(e)) {
    const BeamSymbols& s = Symbols();
    if (e.is_equal(s.P)) return v[0];
    if (e.is_equal(s.L)) return v[1];
    if (e.is_equal(s.q)) return v[2];
    if (e.is_equal(s.M)) return v[3];
    return NAN;
  }
  if (GiNaC::is_a<GiNaC::add>(e)) {
    double sum = 0;
    for (size_t i = 0; i < e.nops(); ++i) sum += EvalTree(e.op(i), v);
    return sum;
  }
  if (GiNaC::is_a<GiNaC::mul>(e)) {
    double product = 1;
    for (size_t i = 0; i < e.nops(); ++i) product *= EvalTree(e.op(i), v);
    return product;
  }
  if (GiNaC::is_a<GiNaC::power>(e)) return std::pow(EvalTree(e.op(0), v), EvalTree(e.op(1), v));
  return NAN;
}

// Numeric value of `e` at point k (a walk over the tree in doubles: subs+evalf cost ~10× more);
// nullopt when not a finite real number.
std::optional<double> Evaluate(const ex& e, int k) {
  const double d = EvalTree(e, kPointValues[k]);
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::string SlotName(const std::string& expected) {
  return expected.substr(0, expected.find(" = "));
}

std::string Print(const ex& e) {
  std::ostringstream out;
  out << e;
  return out.str();
}

}  // namespace

struct SymbolicChecker::State {
  struct Slot {
    size_t support = 0;
    bool moment = false;
    ex value;
    double at[kPoints] = {0, 0};
    double at_ones = 0;
  };
  std::vector<Slot> slots;
  std::vector<std::string> labels;  // per support, position order
};

SymbolicChecker::~SymbolicChecker() {
  absl::MutexLock lock(&internal::GinacMutex());
  state_.reset();
}

absl::StatusOr<std::unique_ptr<const SymbolicChecker>> SymbolicChecker::Create(
    const v1::Beam& beam, const CompatOptions& options, bool ask_moments) {
  std::unique_ptr<SymbolicChecker> checker(new SymbolicChecker());
  checker->options_ = options;
  absl::MutexLock lock(&internal::GinacMutex());
  auto state = std::make_unique<State>();
  {
    ARBITER_ASSIGN_OR_RETURN(BeamSolution solution, SolveBeamLocked(beam, SolveOptions()));
    for (size_t i = 0; i < solution.reactions.size(); ++i) {
      const SupportReaction& r = solution.reactions[i];
      state->labels.push_back(r.label);
      state->slots.push_back({i, false, r.force, {}});
      if (ask_moments && r.type == v1::BeamSupport::FIXED) {
        state->slots.push_back({i, true, r.moment, {}});
      }
    }
    for (State::Slot& slot : state->slots) {
      for (int k = 0; k < kPoints; ++k) {
        const std::optional<double> v = Evaluate(slot.value, k);
        if (!v) return absl::InternalError("beam: reaction does not evaluate to a number");
        slot.at[k] = *v;
      }
      slot.at_ones = Evaluate(slot.value, kOnes).value_or(0.0);
      checker->expected_text_.push_back(absl::StrCat(
          slot.moment ? "M_" : "R_", state->labels[slot.support], " = ", Print(slot.value)));
    }
  }
  checker->state_ = std::move(state);
  return std::unique_ptr<const SymbolicChecker>(std::move(checker));
}

SymbolicVerdict SymbolicChecker::Check(std::string_view completion) const {
  SymbolicVerdict verdict;
  verdict.format_ok = FormatOk(completion);
  verdict.has_box = HasBox(completion);
  std::vector<AnswerItem> items;
  for (std::string_view box : BoxedContents(TextAfterThink(completion))) {
    for (AnswerItem& item : SplitAnswers(box)) items.push_back(std::move(item));
  }
  const std::vector<State::Slot>& slots = state_->slots;
  // Label → slot; -1 for none.
  auto resolve = [&](const std::string& label) -> int {
    if (label.empty()) return -1;
    for (size_t i = 0; i < slots.size(); ++i) {
      const std::string& name = state_->labels[slots[i].support];
      const std::string index = std::to_string(slots[i].support + 1);
      for (const std::string& id : {name, index}) {
        if (slots[i].moment) {
          if (label == "M" + id) return static_cast<int>(i);
          continue;
        }
        for (const char* prefix : {"R", "V", "F", ""}) {
          if (std::string_view(prefix).empty() && id == index) continue;
          const std::string base = prefix + id;
          if (label == base || label == base + "y" || label == base + "Y") {
            return static_cast<int>(i);
          }
        }
      }
    }
    return -1;
  };
  std::vector<int> assigned(slots.size(), -1);
  std::vector<bool> labelled(items.size(), false);
  for (size_t j = 0; j < items.size(); ++j) {
    const int slot = resolve(items[j].label);
    if (slot < 0) continue;
    labelled[j] = true;
    if (assigned[slot] < 0) assigned[slot] = static_cast<int>(j);
  }
  size_t next = 0;
  for (size_t j = 0; j < items.size(); ++j) {
    if (labelled[j]) continue;
    while (next < slots.size() && assigned[next] >= 0) ++next;
    if (next < slots.size()) {
      assigned[next] = static_cast<int>(j);
    }
  }
  bool ok = !slots.empty() && (!options_.strict_count || items.size() == slots.size());
  {
    absl::MutexLock lock(&internal::GinacMutex());
    // Only answers that fill a slot are compared, and the detail shows the first few: parsing
    // the rest under the process-wide GiNaC lock would let one completion of thousands of
    // answers stall every other beam check.
    std::vector<bool> needed(items.size(), false);
    for (size_t j = 0; j < items.size() && j < kMaxDetailValues; ++j) needed[j] = true;
    for (int j : assigned) {
      if (j >= 0) needed[j] = true;
    }
    std::vector<std::optional<ex>> values(items.size());
    for (size_t j = 0; j < items.size(); ++j) {
      if (!needed[j]) continue;
      absl::StatusOr<ex> parsed = ParseAnswerExpr(items[j].expr);
      if (parsed.ok()) {
        values[j] = *parsed;
        if (j < kMaxDetailValues) {
          verdict.detail.add_parsed(Print(*parsed));
          verdict.detail.add_predicted(Evaluate(*parsed, kOnes).value_or(0.0));
        }
      } else if (j < kMaxDetailValues) {
        verdict.detail.add_parsed(absl::StrCat("<", parsed.status().message(), ">"));
      }
    }
    for (size_t i = 0; i < slots.size(); ++i) {
      const State::Slot& slot = slots[i];
      verdict.detail.add_expected(expected_text_[i]);
      if (!ok) continue;
      const int j = assigned[i];
      if (j < 0 || !values[j]) {
        ok = false;
        verdict.message =
            j < 0 ? absl::StrCat("no answer for ", SlotName(expected_text_[i]))
                  : absl::StrCat("cannot parse answer \"", std::string(items[j].expr), "\"");
        continue;
      }
      // Numerically first (a tree walk in doubles), then exactly when the numbers disagree
      // (expansion is the expensive step; degrees are bounded by the parser).
      bool equal = true;
      for (int k = 0; equal && k < kPoints; ++k) {
        const std::optional<double> v = Evaluate(*values[j], k);
        equal = v.has_value() && std::fabs(*v - slot.at[k]) <=
                                     options_.tolerance * std::max(1.0, std::fabs(slot.at[k]));
      }
      if (!equal) {
        try {
          equal = (*values[j] - slot.value).expand().normal().is_zero();
        } catch (const std::bad_alloc&) {
          throw;  // the server's trouble, never a verdict: the dispatcher masks it
        } catch (const std::exception&) {
          equal = false;
        }
      }
      if (!equal) {
        ok = false;
        verdict.message =
            absl::StrCat("wrong: ", SlotName(expected_text_[i]), " = ", std::string(items[j].expr));
      }
    }
  }
  verdict.accuracy_ok = ok;
  verdict.detail.set_format_ok(verdict.format_ok);
  verdict.detail.set_accuracy_ok(ok);
  verdict.score = options_.format_weight * (verdict.format_ok ? 1.0 : 0.0) +
                  options_.accuracy_weight * (ok ? 1.0 : 0.0);
  return verdict;
}

}  // namespace arbiter::beam
