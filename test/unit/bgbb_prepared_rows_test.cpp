// BG/BB's prepared rows (bgbb.cpp: rows sorted by (x, t_x, n), one chained gamma-ratio series per (x, t_x))
// against the per-row likelihood, which sums each row's series from its start: the same log-likelihood to
// 1e-13 and gradient to 1e-12 relative on random histories and parameters, with many rows per (x, t_x), short
// and long steps between their n, and histories up to 1e12 opportunities. Also the chained sums against plain
// long-double sums of the terms, and the interrupt checks within one long group.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "bgbb.hpp"
#include "gamma_ratio_series.hpp"
#include "model.hpp"

namespace {

struct Uniform {
  std::mt19937_64 engine;
  explicit Uniform(std::uint64_t seed) : engine(seed) {}
  double operator()() { return (engine() >> 11) * 0x1.0p-53; }
};

// Histories in groups of one (x, t_x): n at t_x, a step of a few opportunities, or a long jump.
std::vector<loyalty::ModelRow> random_rows(Uniform& u, std::size_t groups) {
  std::vector<loyalty::ModelRow> rows;
  for (std::size_t g = 0; g < groups; ++g) {
    const double scale = std::pow(10.0, 1 + 5 * u());
    const double t_x = g % 5 == 0 ? 0 : std::floor(scale * u());
    const double x = t_x == 0 ? 0 : std::floor(1 + (t_x - 1) * std::pow(u(), 3));
    double n = std::max(1.0, t_x);
    const int members = 1 + static_cast<int>(40 * u());
    for (int i = 0; i < members; ++i) {
      const double kind = u();
      n += kind < 0.6   ? std::floor(1 + 20 * u())
           : kind < 0.9 ? std::floor(1 + 5000 * u())
                        : std::floor(n * 10 * u());
      rows.push_back({{x, t_x, std::min(n, 1e12)}, 1 + std::floor(3 * u())});
    }
    if (u() < 0.3) rows.push_back({{x, t_x, std::max(1.0, t_x)}, 2});
  }
  return rows;
}

TEST(BgBbPreparedRows, MatchPerRowLikelihoodAndGradient) {
  Uniform u(20260310);
  const loyalty::ModelDescription& model = loyalty::kBgBbModel;
  for (int trial = 0; trial < 12; ++trial) {
    const std::vector<loyalty::ModelRow> rows = random_rows(u, 300);
    double params[4];
    for (double& p : params) p = std::exp(std::log(0.05) + u() * std::log(20 / 0.05));
    double gradient[4];
    const double total = model.prepare(rows)->log_likelihood(params, gradient, {});
    double expected = 0, scale = 0, expected_gradient[4] = {0, 0, 0, 0}, gradient_scale[4] = {0, 0, 0, 0};
    for (const loyalty::ModelRow& r : rows) {
      double g[4];
      const double ll = model.row_log_likelihood(params, r, g);
      expected += r.weight * ll;
      scale += r.weight * std::fabs(ll);
      for (int k = 0; k < 4; ++k) {
        expected_gradient[k] += r.weight * g[k];
        gradient_scale[k] += r.weight * std::fabs(g[k]);
      }
    }
    // The gradient to 1e-12: where a series falls as slowly as j^-1.2 (x = 0, alpha + gamma = 0.2) over
    // millions of terms, the per-row sums themselves are within ~1e-12 of long-double sums of the terms
    // (their tails' Euler-Maclaurin and the exact steps that replace part of it differ by that much).
    EXPECT_NEAR(total, expected, 1e-13 * scale) << "trial " << trial;
    for (int k = 0; k < 4; ++k)
      EXPECT_NEAR(gradient[k], expected_gradient[k], 1e-12 * gradient_scale[k] + 1e-300)
          << "trial " << trial << " parameter " << k;
  }
}

TEST(BgBbPreparedRows, ChainedSumsMatchPlainSums) {
  // The series of x = 0 at the donations estimates (FHS 2010), whose terms fall like j^-2.9: beyond a million
  // terms each is below the rounding of a sum near 1, so the chained steps must be added apart.
  loyalty::GammaRatioSeries s;
  s.pairs = 2;
  s.p[0] = 0.750;
  s.q[0] = 1.204 + 0.750;
  s.p[1] = 2.783;
  s.q[1] = 0.657 + 2.783 + 1;
  loyalty::GammaRatioPrefixSums chain(s, true);
  Uniform u(5);
  long double plain = 0, term = 1;
  double j = 0, count = 0;
  for (int i = 0; i < 20000; ++i) {
    count += std::floor(1 + 100 * u() * u());
    while (j < count) {
      plain += term;
      term *= (j + s.p[0]) / (j + s.q[0]) * ((j + s.p[1]) / (j + s.q[1]));
      ++j;
    }
    const loyalty::GammaRatioSum chained = chain.at(count), alone = loyalty::gamma_ratio_sum(s, count, true);
    ASSERT_NEAR(chained.log_sum, std::log(static_cast<double>(plain)), 1e-14) << count;
    ASSERT_NEAR(chained.log_sum, alone.log_sum, 1e-14) << count;
    for (int k = 0; k < 2; ++k) {
      ASSERT_NEAR(chained.d_p[k], alone.d_p[k], 1e-14) << count;
      ASSERT_NEAR(chained.d_q[k], alone.d_q[k], 1e-14) << count;
    }
  }
}

TEST(BgBbPreparedRows, ChecksInterruptsWithinOneGroup) {
  // 100,000 rows of one (x, t_x): one chained series, interrupt checks every 256 rows at the latest.
  std::vector<loyalty::ModelRow> rows;
  for (int i = 1; i <= 100000; ++i) rows.push_back({{0, 0, 10.0 * i}, 1});
  int calls = 0;
  const double params[4] = {1.204, 0.750, 0.657, 2.783};
  loyalty::kBgBbModel.prepare(rows)->log_likelihood(params, nullptr, [&] { ++calls; });
  EXPECT_GE(calls, 100000 / 256);
}

}  // namespace
