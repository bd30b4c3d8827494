#include "verifiers/code/verpo.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"

namespace arbiter::code {
namespace {

absl::Status Invalid(const std::string& name, double value, const std::string& rule) {
  return absl::InvalidArgumentError(
      absl::StrCat("code: verpo.", name, " = ", value, " is invalid (", rule, ")"));
}

double Finite(double x) { return std::isfinite(x) ? x : 0.0; }

double Mean(const std::vector<double>& v) {
  if (v.empty()) return 0.0;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

// σ = population std(ρ)/√2, floored so equal pass rates still give a finite kernel.
double AutoSigma(const std::vector<double>& rho) {
  const double mean = Mean(rho);
  double var = 0;
  for (double r : rho) var += (r - mean) * (r - mean);
  if (!rho.empty()) var /= static_cast<double>(rho.size());
  return std::max(std::sqrt(var) / std::sqrt(2.0), kSigmaFloor);
}

}  // namespace

absl::StatusOr<v1::VerpoParams> ResolveVerpoParams(const v1::VerpoParams& in) {
  v1::VerpoParams out = in;
  // Upper bounds far above any published or sensible setting, so that no parameter can turn a
  // reward into an astronomically large (beta = 1e308 gave rewards of 5e307) or degenerate one.
  struct Bound {
    const char* name;
    double value;
    double max;
  };
  for (const Bound& p : {Bound{"alpha", in.alpha(), kMaxAlpha}, Bound{"sigma", in.sigma(), 1e3},
                         Bound{"delta", in.delta(), 1.0}, Bound{"beta", in.beta(), kMaxBeta},
                         Bound{"gamma", in.gamma(), 1.0}}) {
    if (!std::isfinite(p.value)) return Invalid(p.name, p.value, "must be finite");
    if (p.value < 0) return Invalid(p.name, p.value, "must be >= 0");
    if (p.value > p.max) {
      return Invalid(p.name, p.value, absl::StrCat("must be <= ", p.max));
    }
  }
  if (out.variant() == v1::VerpoParams::VARIANT_UNSPECIFIED) {
    out.set_variant(v1::VerpoParams::VARIANT_FULL);
  }
  if (out.alpha() == 0) out.set_alpha(kDefaultAlpha);
  if (out.delta() == 0) out.set_delta(kDefaultDelta);
  if (!out.beta_set()) out.set_beta(kDefaultBeta);
  out.set_beta_set(true);
  if (out.gamma() == 0) out.set_gamma(kDefaultGamma);
  return out;
}

VerpoResult ComputeVerpo(const PassMatrix& pass, int num_tests, const v1::VerpoParams& params) {
  VerpoResult r;
  const size_t n = pass.size();
  const size_t u = num_tests > 0 ? static_cast<size_t>(num_tests) : 0;

  // Pass rates pooled over every turn of every trajectory.
  r.pass_rates.assign(u, 0.0);
  size_t turns_pooled = 0;
  for (const auto& traj : pass) {
    turns_pooled += traj.empty() ? 1 : traj.size();
    for (const auto& turn : traj) {
      for (size_t j = 0; j < u && j < turn.size(); ++j) r.pass_rates[j] += turn[j] ? 1.0 : 0.0;
    }
  }
  if (turns_pooled > 0) {
    for (double& rho : r.pass_rates) rho /= static_cast<double>(turns_pooled);
  }

  r.sigma = params.sigma() > 0 ? params.sigma() : AutoSigma(r.pass_rates);
  r.densities.assign(u, 0.0);
  r.difficulty_weights.assign(u, 0.0);
  r.weights.assign(u, 0.0);
  for (size_t j = 0; j < u; ++j) {
    r.difficulty_weights[j] = std::exp(-params.alpha() * r.pass_rates[j]);
    switch (params.variant()) {
      case v1::VerpoParams::VARIANT_DIFF:
        r.weights[j] = r.difficulty_weights[j];
        break;
      case v1::VerpoParams::VARIANT_PS:
        r.weights[j] = 1.0 / static_cast<double>(u);
        break;
      default: {
        double density = 0;
        for (size_t k = 0; k < u; ++k) {
          const double d = r.pass_rates[j] - r.pass_rates[k];
          density += std::exp(-(d * d) / (2 * r.sigma * r.sigma));
        }
        r.densities[j] = density;
        r.weights[j] = Finite(r.difficulty_weights[j] / (density + params.delta()));
      }
    }
  }

  // Turn rewards and trajectory outcomes.
  std::vector<double> all_turn_rewards;
  r.turn_rewards.resize(n);
  r.traj_rewards.assign(n, 0.0);
  r.traj_rewards_decayed.assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const size_t turns = pass[i].empty() ? 1 : pass[i].size();
    r.turn_rewards[i].assign(turns, 0.0);
    for (size_t t = 0; t < pass[i].size(); ++t) {
      double reward = 0;
      for (size_t j = 0; j < u && j < pass[i][t].size(); ++j) {
        if (pass[i][t][j]) reward += r.weights[j];
      }
      r.turn_rewards[i][t] = reward;
    }
    all_turn_rewards.insert(all_turn_rewards.end(), r.turn_rewards[i].begin(),
                            r.turn_rewards[i].end());
    bool solved = !pass[i].empty() && pass[i].back().size() >= u;
    if (solved) {
      for (size_t j = 0; j < u; ++j) solved = solved && pass[i].back()[j];
    }
    r.traj_rewards[i] = solved ? 1.0 : 0.0;
    r.traj_rewards_decayed[i] =
        Finite(r.traj_rewards[i] * std::pow(params.gamma(), static_cast<double>(turns)));
  }

  // Mean-centred advantages, fused per turn.
  const double mean_turn = Mean(all_turn_rewards);
  const double mean_traj = Mean(r.traj_rewards_decayed);
  r.advantages.resize(n);
  for (size_t i = 0; i < n; ++i) {
    r.advantages[i].assign(r.turn_rewards[i].size(), 0.0);
    if (n <= 1) continue;
    for (size_t t = 0; t < r.turn_rewards[i].size(); ++t) {
      r.advantages[i][t] = Finite((r.traj_rewards_decayed[i] - mean_traj) +
                                  params.beta() * (r.turn_rewards[i][t] - mean_turn));
    }
  }
  return r;
}

}  // namespace arbiter::code
