// Gamma-Gamma spend model: CDNOW fit against Fader, Hardie & Lee (2005) "RFM and CLV", the conditional
// expectation, the density's normalisation, the analytic gradient, validation, and recovery of simulated
// parameters.
#include "gamma_gamma.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "customer_simulator.hpp"
#include "optimizer.hpp"
#include "reference_data.hpp"

namespace {

using loyalty::GammaGammaParams;
using loyalty::SpendRow;

// FHL 2005 ("RFM and CLV", JMR), CDNOW 1/10 sample, 946 repeat customers: p = 6.25, q = 3.74, v (their gamma)
// = 15.44.
const GammaGammaParams kPublished{6.25, 3.74, 15.44};

// Repeat customers of cdnow_customers_summary_with_transactions.csv (ID,x,t_x,T,zbar): monetary = zbar, which
// the file rounds to cents.
std::vector<SpendRow> read_summary(const std::string& path) {
  std::vector<SpendRow> rows;
  for (const std::vector<double>& r : loyalty_test::read_numeric_csv(path))
    if (r.at(1) > 0) rows.push_back({r.at(1), r.at(4), 1});
  return rows;
}

// The same means, unrounded, from the transaction log CDNOW_sample.txt (master_id sample_id yyyymmdd cds
// dollars): purchases of one day are one transaction (as in the summary's frequency); the calibration period
// ends 1997-09-30; the first day is the trial purchase, the mean is over the repeat days.
std::vector<SpendRow> read_exact_means(const std::string& path) {
  std::ifstream in(path);
  std::map<int, std::map<int, double>> days;  // customer -> day -> dollars
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int master, customer, date, cds;
    double dollars;
    if (!(fields >> master >> customer >> date >> cds >> dollars)) continue;
    if (date <= 19970930) days[customer][date] += dollars;
  }
  std::vector<SpendRow> rows;
  for (const auto& [customer, by_day] : days) {
    if (by_day.size() < 2) continue;
    double sum = 0;
    for (auto it = std::next(by_day.begin()); it != by_day.end(); ++it) sum += it->second;
    const double x = static_cast<double>(by_day.size() - 1);
    rows.push_back({x, sum / x, 1});
  }
  return rows;
}

TEST(GammaGamma, CdnowSummaryFitMatchesFaderHardieLee2005) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/cdnow_customers_summary_with_transactions.csv");
  const auto rows = read_summary(path);
  ASSERT_EQ(rows.size(), 946u);  // the repeat buyers (x > 0) the Gamma-Gamma model is fitted to
  const auto fit = loyalty::fit<loyalty::GammaGammaParams>(rows);
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  EXPECT_NEAR(fit.params.p, kPublished.p, 0.005);
  EXPECT_NEAR(fit.params.q, kPublished.q, 0.005);
  // zbar rounded to cents moves the maximum to v = 15.448 (lifetimes reports 15.45 on this file): within one
  // unit of the published last digit. The unrounded means give 15.44 (next test).
  EXPECT_NEAR(fit.params.v, kPublished.v, 0.01);
}

TEST(GammaGamma, CdnowExactMeansReproducePublishedEstimates) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/CDNOW_sample.txt");
  const auto rows = read_exact_means(path);
  ASSERT_EQ(rows.size(), 946u);
  const auto fit = loyalty::fit<loyalty::GammaGammaParams>(rows);
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  EXPECT_NEAR(fit.params.p, kPublished.p, 0.005);
  EXPECT_NEAR(fit.params.q, kPublished.q, 0.005);
  EXPECT_NEAR(fit.params.v, kPublished.v, 0.005);
  // FHL 2005: customer 1 (x = 2, mean $22.35 as printed; $22.345 unrounded) has E[M | x, m] = $24.65. With
  // the printed m = 22.35 the same parameters give 24.658.
  EXPECT_NEAR(loyalty::gamma_gamma_expected_spend(fit.params, 2, 22.345), 24.65, 0.005);
  EXPECT_NEAR(loyalty::gamma_gamma_expected_spend(fit.params, 2, 22.35), 24.65, 0.01);
}

TEST(GammaGamma, ExpectedSpendIsTheCredibilityWeightedMean) {
  // FH note eq. (5) rewritten: E[M | x, m] = (1 - w) E[M] + w m, w = p x / (p x + q - 1).
  const GammaGammaParams& g = kPublished;
  const double population = g.p * g.v / (g.q - 1);
  EXPECT_DOUBLE_EQ(loyalty::gamma_gamma_population_mean_spend(g), population);
  for (double x : {1.0, 2.0, 10.0, 1000.0}) {
    for (double m : {0.5, 22.35, 400.0}) {
      const double w = g.p * x / (g.p * x + g.q - 1);
      EXPECT_NEAR(loyalty::gamma_gamma_expected_spend(g, x, m), (1 - w) * population + w * m,
                  1e-12 * (1 + m));
    }
  }
  EXPECT_DOUBLE_EQ(loyalty::gamma_gamma_expected_spend(g, 0, 0), population);  // no repeat purchase yet
  EXPECT_THROW(loyalty::gamma_gamma_population_mean_spend({2, 1, 3}), std::domain_error);
  EXPECT_THROW(loyalty::gamma_gamma_expected_spend({0.1, 0.5, 3}, 1, 10), std::domain_error);  // p x + q <= 1
}

TEST(GammaGamma, DensityOfTheMeanIntegratesToOne) {
  // The likelihood is the density of the observed mean m (Jacobian terms included): it must integrate to 1
  // over m for each x. Trapezoid rule on log m over [-60, 40] (the integrand is below 1e-20 at both ends).
  for (const GammaGammaParams& g : {kPublished, GammaGammaParams{0.8, 2.5, 3.0}}) {
    for (double x : {1.0, 3.0, 12.0}) {
      double sum = 0;
      const double h = 0.005;
      for (double s = -60; s <= 40; s += h) {
        const double m = std::exp(s);
        sum += std::exp(loyalty::log_likelihood(g, {SpendRow{x, m, 1}})) * m * h;
      }
      EXPECT_NEAR(sum, 1.0, 1e-9) << "x " << x;
    }
  }
}

TEST(GammaGamma, AnalyticGradientMatchesNumericGradient) {
  const std::vector<SpendRow> rows = {{1, 11.77, 3}, {2, 22.35, 1}, {7, 73.74, 2}, {25, 5.0, 1}, {1, 300, 1}};
  for (const GammaGammaParams& g :
       {kPublished, GammaGammaParams{0.5, 0.7, 2.0}, GammaGammaParams{40, 12, 90}}) {
    const auto analytic = loyalty::log_likelihood_gradient(g, rows);
    const auto numeric = loyalty::numeric_gradient(
        [&](const std::vector<double>& v) {
          return loyalty::log_likelihood(GammaGammaParams{v[0], v[1], v[2]}, rows);
        },
        {g.p, g.q, g.v});
    for (int k = 0; k < 3; ++k)
      EXPECT_NEAR(analytic[k], numeric[k], 1e-6 * std::max(1.0, std::fabs(numeric[k]))) << "param " << k;
  }
}

TEST(GammaGamma, RecoversSimulatedParameters) {
  // Spend simulated with the published parameters on top of Pareto/NBD purchase histories.
  loyalty::SimulationOptions options;
  options.simulate_spend = true;
  options.spend = {6.25, 3.74, 15.44};
  const auto customers = loyalty::simulate_pareto_nbd({0.55, 10.6, 0.61, 11.7}, 39, 60000, 7, options);
  std::vector<SpendRow> rows;
  for (const auto& c : customers)
    if (c.frequency > 0) rows.push_back({c.frequency, c.monetary, 1});
  ASSERT_GT(rows.size(), 10000u);
  const auto fit = loyalty::fit<loyalty::GammaGammaParams>(rows);
  ASSERT_TRUE(fit.report.converged) << fit.report.status;
  // Standard errors from the observed information (Hessian by central differences of the analytic gradient).
  const std::array<double, 3> est{fit.params.p, fit.params.q, fit.params.v};
  double h[3][3];
  for (int j = 0; j < 3; ++j) {
    std::array<double, 3> up = est, down = est;
    const double step = 1e-5 * est[j];
    up[j] += step;
    down[j] -= step;
    const auto gu = loyalty::log_likelihood_gradient(GammaGammaParams{up[0], up[1], up[2]}, rows);
    const auto gd = loyalty::log_likelihood_gradient(GammaGammaParams{down[0], down[1], down[2]}, rows);
    for (int i = 0; i < 3; ++i) h[i][j] = -(gu[i] - gd[i]) / (2 * step);
  }
  // Diagonal of the inverse of the 3x3 information matrix by cofactors.
  auto m = [&](int i, int j) { return (h[i][j] + h[j][i]) / 2; };
  const double det = m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) -
                     m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) +
                     m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
  const double var[3] = {(m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) / det,
                         (m(0, 0) * m(2, 2) - m(0, 2) * m(2, 0)) / det,
                         (m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)) / det};
  const double truth[3] = {6.25, 3.74, 15.44};
  for (int k = 0; k < 3; ++k) {
    ASSERT_GT(var[k], 0);
    EXPECT_NEAR(est[k], truth[k], 4 * std::sqrt(var[k])) << "param " << k << " se " << std::sqrt(var[k]);
  }
}

TEST(GammaGamma, PenalizerShrinksParameters) {
  const std::vector<SpendRow> rows = {{1, 11.77, 3}, {2, 22.35, 1}, {7, 73.74, 2}, {3, 15.0, 4}, {1, 40, 2}};
  loyalty::FitOptions options;
  options.penalizer = 0.01;
  const auto plain = loyalty::fit<loyalty::GammaGammaParams>(rows),
             penalised = loyalty::fit<loyalty::GammaGammaParams>(rows, options);
  auto norm = [](const GammaGammaParams& g) { return g.p * g.p + g.q * g.q + g.v * g.v; };
  EXPECT_TRUE(penalised.report.converged) << penalised.report.status;
  EXPECT_LT(norm(penalised.params), norm(plain.params));
}

TEST(GammaGamma, UnidentifiedDataAreNotReportedConverged) {
  // One customer cannot separate the spread within customers from the spread across them.
  EXPECT_FALSE(loyalty::fit<loyalty::GammaGammaParams>({{2, 10, 1}}).report.converged);
  EXPECT_FALSE(loyalty::fit<loyalty::GammaGammaParams>({{2, 10, 50}}).report.converged);
}

TEST(GammaGamma, InterruptPropagates) {
  struct Cancelled {};
  loyalty::FitOptions options;
  options.check_interrupt = [] { throw Cancelled{}; };
  EXPECT_THROW(loyalty::fit<loyalty::GammaGammaParams>({{1, 10, 1}, {2, 20, 1}}, options), Cancelled);
}

TEST(GammaGamma, RejectsInvalidInput) {
  EXPECT_THROW(loyalty::fit<loyalty::GammaGammaParams>({}), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(kPublished, {}), std::invalid_argument);
  for (SpendRow bad : {SpendRow{0, 10, 1}, SpendRow{1.5, 10, 1}, SpendRow{2, 0, 1}, SpendRow{2, -3, 1},
                       SpendRow{2, 10, 0}, SpendRow{2, NAN, 1}, SpendRow{INFINITY, 10, 1}}) {
    EXPECT_THROW(loyalty::fit<loyalty::GammaGammaParams>({bad}), std::invalid_argument)
        << bad.frequency << " " << bad.monetary;
  }
  try {
    loyalty::validate_spend_row({2, -3, 1});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("monetary -3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(loyalty::log_likelihood(loyalty::GammaGammaParams{0, 1, 1}, {{1, 10, 1}}),
               std::invalid_argument);
  EXPECT_THROW(loyalty::gamma_gamma_expected_spend(kPublished, -1, 10), std::invalid_argument);
  EXPECT_THROW(loyalty::gamma_gamma_expected_spend(kPublished, 2, 0), std::invalid_argument);
}

}  // namespace
