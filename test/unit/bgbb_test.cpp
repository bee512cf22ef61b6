// BG/BB (Fader, Hardie & Shang 2010, "FHS"): fit on the donations data against the published estimates,
// internal identities of the model's probabilities, the analytic gradient, validation, and recovery of known
// parameters from the project's simulator.
#include "bgbb.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "customer_simulator.hpp"
#include "optimizer.hpp"
#include "reference_data.hpp"

namespace {

using loyalty::BgBbParams;
using loyalty::BgBbRow;

// FHS 2010 maximum-likelihood estimates for the donations data: alpha 1.204, beta 0.750, gamma 0.657,
// delta 2.783, LL -33,225.6.
const BgBbParams kDonations{1.204, 0.750, 0.657, 2.783};

// donations.csv: frequency,recency,periods,weights.
std::vector<BgBbRow> read_donations(const std::string& path) {
  std::vector<BgBbRow> rows;
  for (const std::vector<double>& r : loyalty_test::read_numeric_csv(path))
    rows.push_back({r.at(0), r.at(1), r.at(2), r.at(3)});
  return rows;
}

double choose(double n, double k) {
  return std::exp(std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1));
}

double likelihood(const BgBbParams& p, double x, double t_x, double n) {
  return std::exp(loyalty::log_likelihood(p, {BgBbRow{x, t_x, n, 1}}));
}

// Standard errors from the observed information: Hessian by central differences of the analytic gradient.
template <size_t K, class Gradient>
std::array<double, K> standard_errors(const std::array<double, K>& theta, Gradient gradient) {
  double h[K][K];
  for (size_t j = 0; j < K; ++j) {
    std::array<double, K> up = theta, down = theta;
    const double step = 1e-5 * theta[j];
    up[j] += step;
    down[j] -= step;
    auto gu = gradient(up), gd = gradient(down);
    for (size_t i = 0; i < K; ++i) h[i][j] = (gu[i] - gd[i]) / (2 * step);
  }
  // Invert -H (symmetrised) by Gauss-Jordan.
  double a[K][2 * K];
  for (size_t i = 0; i < K; ++i)
    for (size_t j = 0; j < K; ++j) {
      a[i][j] = -(h[i][j] + h[j][i]) / 2;
      a[i][K + j] = i == j ? 1 : 0;
    }
  for (size_t c = 0; c < K; ++c) {
    size_t pivot = c;
    for (size_t r = c + 1; r < K; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    for (size_t j = 0; j < 2 * K; ++j) std::swap(a[c][j], a[pivot][j]);
    const double d = a[c][c];
    for (size_t j = 0; j < 2 * K; ++j) a[c][j] /= d;
    for (size_t r = 0; r < K; ++r) {
      if (r == c) continue;
      const double f = a[r][c];
      for (size_t j = 0; j < 2 * K; ++j) a[r][j] -= f * a[c][j];
    }
  }
  std::array<double, K> se;
  for (size_t i = 0; i < K; ++i) se[i] = std::sqrt(a[i][K + i]);
  return se;
}

TEST(BgBb, DonationsFitMatchesFaderHardieShang2010) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/donations.csv");
  const auto rows = read_donations(path);
  ASSERT_EQ(rows.size(), 22u);
  const auto fit = loyalty::fit<loyalty::BgBbParams>(rows);
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  EXPECT_DOUBLE_EQ(fit.report.customers, 11104);  // FHS: 11,104 donors
  // Published to 3 decimals (FHS 2010): within half a unit of the last digit.
  EXPECT_NEAR(fit.params.alpha, 1.204, 0.0005);
  EXPECT_NEAR(fit.params.beta, 0.750, 0.0005);
  EXPECT_NEAR(fit.params.gamma, 0.657, 0.0005);
  EXPECT_NEAR(fit.params.delta, 2.783, 0.0005);
  EXPECT_NEAR(fit.report.log_likelihood, -33225.6, 0.05);  // FHS: LL = -33,225.6
}

TEST(BgBb, LikelihoodIsAProbabilityDistributionOverHistories) {
  // Each history is a 0/1 string over n opportunities; C(t_x-1, x-1) strings share (x, t_x). Their
  // probabilities must add up to 1 (an identity of the model, independent of FHS's algebra).
  for (const BgBbParams& p : {kDonations, BgBbParams{0.3, 2.5, 1.7, 0.4}, BgBbParams{5, 5, 0.05, 20}}) {
    for (double n : {1.0, 6.0, 25.0}) {
      double total = likelihood(p, 0, 0, n);
      for (double t_x = 1; t_x <= n; ++t_x)
        for (double x = 1; x <= t_x; ++x) total += choose(t_x - 1, x - 1) * likelihood(p, x, t_x, n);
      EXPECT_NEAR(total, 1.0, 1e-12) << "n " << n;
    }
  }
}

TEST(BgBb, ProbabilityOfPurchasesAgreesWithLikelihoodAndExpectation) {
  const double n = 6;
  double total = 0, mean = 0;
  for (double x = 0; x <= n; ++x) {
    // P(X(n) = x) = sum over histories with x transactions (same identity as above).
    double by_histories = x == 0 ? likelihood(kDonations, 0, 0, n) : 0;
    for (double t_x = std::max(x, 1.0); x > 0 && t_x <= n; ++t_x)
      by_histories += choose(t_x - 1, x - 1) * likelihood(kDonations, x, t_x, n);
    const double p = loyalty::probability_of_purchases(kDonations, n, x);
    EXPECT_NEAR(p, by_histories, 1e-13) << "x " << x;
    total += p;
    mean += x * p;
  }
  EXPECT_NEAR(total, 1.0, 1e-13);
  EXPECT_NEAR(mean, loyalty::expected_purchases_unconditional(kDonations, n), 1e-12);
}

// FHS eq. (8) as printed: a/(a+b) * d/(g-1) * [1 - G(g+d) G(1+d+n) / (G(g+d+n) G(1+d))].
double expected_unconditional_printed(const BgBbParams& p, double n) {
  const double g = p.gamma, d = p.delta;
  return p.alpha / (p.alpha + p.beta) * d / (g - 1) *
         (1 - std::exp(std::lgamma(g + d) + std::lgamma(1 + d + n) - std::lgamma(g + d + n) -
                       std::lgamma(1 + d)));
}

TEST(BgBb, UnconditionalExpectationMatchesPrintedClosedForm) {
  for (double n : {1.0, 6.0, 11.0, 500.0}) {
    EXPECT_NEAR(loyalty::expected_purchases_unconditional(kDonations, n) /
                    expected_unconditional_printed(kDonations, n),
                1.0, 1e-11)
        << "n " << n;
  }
  // Long horizons, where the lgamma differences above lose ~1e-11..1e-10, on both sides of the switch from
  // the sum to the closed form (n = 10,000): the printed form in mpmath 1.3.0 at 40 digits.
  EXPECT_NEAR(loyalty::expected_purchases_unconditional(kDonations, 10000) / 74.675601129984319319, 1.0,
              1e-13);
  EXPECT_NEAR(loyalty::expected_purchases_unconditional(kDonations, 10001) / 74.67833304397972989, 1.0,
              1e-14);
  EXPECT_NEAR(loyalty::expected_purchases_unconditional(kDonations, 250000) / 235.31021285139996493, 1.0,
              1e-14);
  // gamma = 1, where the printed form is 0/0: the limit is a/(a+b) * sum_{t=1}^{n} d/(d+t) (direct sum here).
  const BgBbParams one{1.2, 0.8, 1.0, 2.5};
  for (double n : {7.0, 20000.0}) {
    double sum = 0;
    for (double t = 1; t <= n; ++t) sum += one.delta / (one.delta + t);
    EXPECT_NEAR(loyalty::expected_purchases_unconditional(one, n) / (1.2 / 2.0 * sum), 1.0, 1e-12) << n;
  }
  EXPECT_EQ(loyalty::expected_purchases_unconditional(kDonations, 0), 0.0);
}

TEST(BgBb, ConditionalExpectationMatchesPrintedClosedForm) {
  // FHS eq. (13) as printed, with lgamma: 1/L * B(a+x+1, b+n-x)/B(a,b) * d/(g-1) * G(g+d)/G(1+d)
  //   * [G(1+d+n)/G(g+d+n) - G(1+d+n+n*)/G(g+d+n+n*)].
  const BgBbParams& p = kDonations;
  auto lbeta = [](double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); };
  struct Case {
    double x, t_x, n, n_star;
  };
  for (Case c :
       {Case{0, 0, 6, 5}, Case{6, 6, 6, 5}, Case{3, 4, 6, 1}, Case{1, 1, 6, 12000}, Case{2, 5, 9, 30}}) {
    const double l = likelihood(p, c.x, c.t_x, c.n);
    const double printed = std::exp(lbeta(p.alpha + c.x + 1, p.beta + c.n - c.x) - lbeta(p.alpha, p.beta)) /
                           l * p.delta / (p.gamma - 1) *
                           std::exp(std::lgamma(p.gamma + p.delta) - std::lgamma(1 + p.delta)) *
                           (std::exp(std::lgamma(1 + p.delta + c.n) - std::lgamma(p.gamma + p.delta + c.n)) -
                            std::exp(std::lgamma(1 + p.delta + c.n + c.n_star) -
                                     std::lgamma(p.gamma + p.delta + c.n + c.n_star)));
    EXPECT_NEAR(loyalty::expected_purchases(p, c.x, c.t_x, c.n, c.n_star) / printed, 1.0, 1e-10)
        << c.x << " " << c.t_x << " " << c.n << " " << c.n_star;
  }
  // One opportunity ahead: E = P(alive at n+1) * E[p | data] = P(alive) * (a+x)/(a+b+n).
  const double x = 3, t_x = 4, n = 6;
  EXPECT_NEAR(loyalty::expected_purchases(p, x, t_x, n, 1),
              loyalty::p_alive(p, x, t_x, n) * (p.alpha + x) / (p.alpha + p.beta + n), 1e-14);
  EXPECT_EQ(loyalty::expected_purchases(p, x, t_x, n, 0), 0.0);
}

TEST(BgBb, PAliveAndOneStepForecastMatchSimulation) {
  // Independent check by simulation: customers observed for 7 opportunities; their history over the first 6
  // gives (x, t_x); the simulator's truth says whether they are alive at opportunity 7 and whether they
  // bought.
  const loyalty::BgBbSimulationParams sim{kDonations.alpha, kDonations.beta, kDonations.gamma,
                                          kDonations.delta};
  loyalty::SimulationOptions options;
  options.record_transactions = true;
  const auto customers = loyalty::simulate_bgbb(sim, 7, 200000, 20100601, options);
  std::map<std::pair<int, int>, std::array<double, 3>>
      groups;  // (x, t_x) -> {count, alive at 7, bought at 7}
  for (const auto& c : customers) {
    int x = 0, t_x = 0;
    bool bought_7 = false;
    for (double t : c.transaction_times) {
      if (t >= 1 && t <= 6) {
        ++x;
        t_x = static_cast<int>(t);
      }
      if (t == 7) bought_7 = true;
    }
    auto& g = groups[{x, t_x}];
    g[0] += 1;
    g[1] += c.alive ? 1 : 0;
    g[2] += bought_7 ? 1 : 0;
  }
  int checked = 0;
  for (const auto& [key, g] : groups) {
    if (g[0] < 2000) continue;
    const double p_alive = loyalty::p_alive(kDonations, key.first, key.second, 6);
    const double e_next = loyalty::expected_purchases(kDonations, key.first, key.second, 6, 1);
    // 4.5 binomial standard errors.
    EXPECT_NEAR(g[1] / g[0], p_alive, 4.5 * std::sqrt(p_alive * (1 - p_alive) / g[0]))
        << "x " << key.first << " t_x " << key.second;
    EXPECT_NEAR(g[2] / g[0], e_next, 4.5 * std::sqrt(e_next * (1 - e_next) / g[0]))
        << "x " << key.first << " t_x " << key.second;
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(BgBb, AnalyticGradientMatchesNumericGradient) {
  std::vector<BgBbRow> rows = {{0, 0, 6, 3464}, {1, 1, 6, 1091}, {3, 5, 6, 225},  {6, 6, 6, 1203},
                               {0, 0, 40, 10},  {7, 19, 40, 3},  {40, 40, 40, 1}, {12, 30, 300, 2}};
  for (const BgBbParams& p : {kDonations, BgBbParams{0.3, 2.5, 1.7, 0.4}, BgBbParams{8, 1.5, 0.05, 30}}) {
    const auto analytic = loyalty::log_likelihood_gradient(p, rows);
    const auto numeric = loyalty::numeric_gradient(
        [&](const std::vector<double>& v) {
          return loyalty::log_likelihood(BgBbParams{v[0], v[1], v[2], v[3]}, rows);
        },
        {p.alpha, p.beta, p.gamma, p.delta});
    for (int k = 0; k < 4; ++k)
      EXPECT_NEAR(analytic[k], numeric[k], 1e-6 * std::max(1.0, std::fabs(numeric[k]))) << "param " << k;
  }
}

TEST(BgBb, RecoversSimulatedParameters) {
  const loyalty::BgBbSimulationParams truth{1.2, 0.75, 0.65, 2.8};
  const auto customers = loyalty::simulate_bgbb(truth, 10, 30000, 42);
  std::map<std::pair<double, double>, double> patterns;
  for (const auto& c : customers) patterns[{c.frequency, c.recency}] += 1;
  std::vector<BgBbRow> rows;
  for (const auto& [key, w] : patterns) rows.push_back({key.first, key.second, 10, w});
  const auto fit = loyalty::fit<loyalty::BgBbParams>(rows);
  ASSERT_TRUE(fit.report.converged) << fit.report.status;
  const std::array<double, 4> est{fit.params.alpha, fit.params.beta, fit.params.gamma, fit.params.delta};
  const auto se = standard_errors<4>(est, [&](const std::array<double, 4>& t) {
    return loyalty::log_likelihood_gradient(BgBbParams{t[0], t[1], t[2], t[3]}, rows);
  });
  const double truth_v[4] = {truth.alpha, truth.beta, truth.gamma, truth.delta};
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(est[k], truth_v[k], 4 * se[k]) << "param " << k << " se " << se[k];
    EXPECT_LT(se[k], 0.25 * truth_v[k]) << "param " << k;  // the data do identify it
  }
}

TEST(BgBb, PenalizerShrinksParameters) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/donations.csv");
  const auto rows = read_donations(path);
  loyalty::FitOptions options;
  options.penalizer = 0.05;
  const auto plain = loyalty::fit<loyalty::BgBbParams>(rows),
             penalised = loyalty::fit<loyalty::BgBbParams>(rows, options);
  auto norm = [](const BgBbParams& p) {
    return p.alpha * p.alpha + p.beta * p.beta + p.gamma * p.gamma + p.delta * p.delta;
  };
  EXPECT_TRUE(penalised.report.converged) << penalised.report.status;
  EXPECT_LT(norm(penalised.params), norm(plain.params));
  EXPECT_LT(penalised.report.log_likelihood, plain.report.log_likelihood);
}

TEST(BgBb, UnidentifiedDataAreNotReportedConverged) {
  // Nobody ever buys again, or everybody buys at every opportunity: the likelihood keeps rising towards the
  // edge of the parameter space and has no interior maximum.
  for (const BgBbRow& row : {BgBbRow{0, 0, 6, 100}, BgBbRow{6, 6, 6, 100}}) {
    const auto fit = loyalty::fit<loyalty::BgBbParams>({row});
    EXPECT_FALSE(fit.report.converged) << fit.report.status;
    EXPECT_NE(fit.report.status.find("identify"), std::string::npos) << fit.report.status;
  }
}

TEST(BgBb, InterruptPropagates) {
  struct Cancelled {};
  loyalty::FitOptions options;
  options.check_interrupt = [] { throw Cancelled{}; };
  EXPECT_THROW(loyalty::fit<loyalty::BgBbParams>({{1, 1, 6, 1}, {0, 0, 6, 2}}, options), Cancelled);
}

TEST(BgBb, RejectsInvalidInput) {
  EXPECT_THROW(loyalty::fit<loyalty::BgBbParams>({}), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(kDonations, {}), std::invalid_argument);
  for (BgBbRow bad :
       {BgBbRow{3, 2, 6, 1}, BgBbRow{1, 7, 6, 1}, BgBbRow{1.5, 2, 6, 1}, BgBbRow{0, 2, 6, 1},
        BgBbRow{1, 1, 0, 1}, BgBbRow{1, 1, 6, 0}, BgBbRow{-1, 0, 6, 1}, BgBbRow{1, 1, NAN, 1}}) {
    EXPECT_THROW(loyalty::fit<loyalty::BgBbParams>({bad}), std::invalid_argument)
        << bad.frequency << " " << bad.recency;
  }
  try {
    loyalty::validate_bgbb_row({3, 2, 6, 1});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("frequency 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(loyalty::p_alive(loyalty::BgBbParams{-1, 1, 1, 1}, 1, 1, 6), std::invalid_argument);
  EXPECT_THROW(loyalty::p_alive(kDonations, 2, 1, 6), std::invalid_argument);
  EXPECT_THROW(loyalty::expected_purchases(kDonations, 1, 1, 6, 0.5), std::invalid_argument);
  EXPECT_THROW(loyalty::probability_of_purchases(kDonations, 6, 7), std::invalid_argument);
  EXPECT_THROW(loyalty::expected_purchases_unconditional(kDonations, -1), std::invalid_argument);
  loyalty::FitOptions negative;
  negative.penalizer = -1;
  EXPECT_THROW(loyalty::fit<loyalty::BgBbParams>({{1, 1, 6, 1}}, negative), std::invalid_argument);
}

}  // namespace
