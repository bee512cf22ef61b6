// Tests of the MBG/NBD model against an independent fit of the CDNOW summary, lifetimes' closed forms
// evaluated in arbitrary precision, the numeric gradient, and simulated customers.
#include "mbgnbd.hpp"

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "optimizer.hpp"
#include "reference_data.hpp"

namespace {

using loyalty::MbgNbdParams;
using loyalty::SummaryRow;

// The MBG/NBD fit of the CDNOW summary reported by the lifetimes library (ModifiedBetaGeoFitter docs):
// r = 0.525, alpha = 6.183, a = 0.891, b = 1.614.
const MbgNbdParams kCdnowLifetimes{0.525, 6.183, 0.891, 1.614};

// Customers simulated from the MBG/NBD story (Batislam, Denizel & Filiztekin 2007): dropout with probability
// p ~ Beta(a, b) right after the first purchase (time 0) and after each repeat purchase; purchases at rate
// lambda ~ Gamma(r, rate alpha) while alive; observed over (0, T], T uniform on [t_min, t_max].
std::vector<SummaryRow> simulate(const MbgNbdParams& p, size_t n, double t_min, double t_max, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> lambda_dist(p.r, 1 / p.alpha), ga(p.a, 1), gb(p.b, 1);
  std::uniform_real_distribution<double> unit(0, 1), horizon(t_min, t_max);
  std::vector<SummaryRow> rows(n);
  for (SummaryRow& row : rows) {
    const double lambda = lambda_dist(rng);
    const double ya = ga(rng), yb = gb(rng);
    const double dropout = ya / (ya + yb);
    row.t = t_min == t_max ? t_min : horizon(rng);
    if (unit(rng) < dropout) continue;  // gone right after the first purchase
    std::exponential_distribution<double> gap(lambda > 0 ? lambda : 1e-300);
    double now = 0;
    while (true) {
      now += gap(rng);
      if (now > row.t) break;
      row.frequency += 1;
      row.recency = now;
      if (unit(rng) < dropout) break;
    }
  }
  return rows;
}

TEST(MbgNbdTest, CdnowFit) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/cdnow_customers_summary.csv");
  const std::vector<SummaryRow> rows = loyalty_test::read_cdnow_summary(path);
  const loyalty::MbgNbdFit fit = loyalty::fit<loyalty::MbgNbdParams>(rows);
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  // Loose check against lifetimes' documented fit (2 decimals).
  EXPECT_NEAR(fit.params.r, kCdnowLifetimes.r, 0.01);
  EXPECT_NEAR(fit.params.alpha, kCdnowLifetimes.alpha, 0.01);
  EXPECT_NEAR(fit.params.a, kCdnowLifetimes.a, 0.01);
  EXPECT_NEAR(fit.params.b, kCdnowLifetimes.b, 0.01);
  // Tight check against an independent maximisation: the log-likelihood of lifetimes' ModifiedBetaGeoFitter
  // written in Python (math.lgamma) and maximised by a Nelder-Mead of our own over log parameters:
  // r = 0.524838, alpha = 6.182989, a = 0.891356, b = 1.613999, LL = -9582.132685.
  EXPECT_NEAR(fit.params.r, 0.524838, 2e-4);
  EXPECT_NEAR(fit.params.alpha, 6.182989, 2e-3);
  EXPECT_NEAR(fit.params.a, 0.891356, 2e-4);
  EXPECT_NEAR(fit.params.b, 1.613999, 5e-4);
  EXPECT_NEAR(fit.report.log_likelihood, -9582.132685, 1e-4);
}

TEST(MbgNbdTest, CdnowLogLikelihoodAtLifetimesEstimates) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/cdnow_customers_summary.csv");
  const std::vector<SummaryRow> rows = loyalty_test::read_cdnow_summary(path);
  // The same independent Python log-likelihood at lifetimes' rounded estimates.
  EXPECT_NEAR(loyalty::log_likelihood(kCdnowLifetimes, rows), -9582.132795287207, 1e-6);
}

TEST(MbgNbdTest, GradientMatchesNumericGradient) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/cdnow_customers_summary.csv");
  const std::vector<SummaryRow> rows = loyalty_test::read_cdnow_summary(path);
  for (const MbgNbdParams& p :
       {kCdnowLifetimes, MbgNbdParams{1.3, 20.0, 2.5, 0.4}, MbgNbdParams{0.05, 0.7, 0.2, 9.0}}) {
    double analytic[4];
    const double ll = loyalty::log_likelihood(p, rows, analytic);
    EXPECT_DOUBLE_EQ(ll, loyalty::log_likelihood(p, rows));
    auto f = [&](const std::vector<double>& v) {
      return loyalty::log_likelihood(MbgNbdParams{v[0], v[1], v[2], v[3]}, rows);
    };
    const std::vector<double> numeric = loyalty::numeric_gradient(f, {p.r, p.alpha, p.a, p.b});
    for (int i = 0; i < 4; ++i) {
      EXPECT_NEAR(analytic[i], numeric[i], 1e-5 * std::max(1.0, std::fabs(numeric[i]))) << "component " << i;
    }
  }
}

TEST(MbgNbdTest, CustomerPredictionsMatchLifetimesClosedForms) {
  // lifetimes' ModifiedBetaGeoFitter formulas evaluated with mpmath (30 digits, mpmath.hyp2f1) at
  // r = 0.525, alpha = 6.183, a = 0.891, b = 1.614:
  //   P(alive) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x))
  //   E[X(T,T+h)] = (a+b+x)/(a-1) [1 - 2F1(r+x, b+x+1; a+b+x; h/(alpha+T+h)) ((alpha+T)/(alpha+T+h))^(r+x)]
  //   P(alive) E[X(t)] = b/(a-1) [1 - 2F1(r, b+1; a+b; t/(alpha+t)) (alpha/(alpha+t))^r]
  const MbgNbdParams& p = kCdnowLifetimes;
  EXPECT_NEAR(loyalty::p_alive(p, 2, 30.43, 38.86), 0.70620226511848728, 1e-13);
  EXPECT_NEAR(loyalty::p_alive(p, 0, 0, 38.86), 0.38973508091876290,
              1e-13);  // x = 0: not surely alive
  EXPECT_NEAR(loyalty::expected_purchases(p, 2, 30.43, 38.86, 39), 1.2629606232673657, 1e-11);
  EXPECT_NEAR(loyalty::expected_purchases(p, 0, 0, 38.86, 39), 0.15401274667514669, 1e-12);
  EXPECT_NEAR(loyalty::expected_purchases(p, 2, 30.43, 38.86, 1e6), 51.649071452528722, 1e-9 * 52);
  EXPECT_NEAR(loyalty::expected_purchases_unconditional(p, 39), 1.1829536655971727, 1e-12);
  EXPECT_NEAR(loyalty::expected_purchases_unconditional(p, 78), 1.8047575775531418, 1e-12);
}

TEST(MbgNbdTest, ProbabilityOfPurchasesIsADistributionWithTheRightMean) {
  double total = 0, mean = 0;
  for (int k = 0; k < 3000; ++k) {
    const double p = loyalty::probability_of_purchases(kCdnowLifetimes, 39, k);
    total += p;
    mean += k * p;
  }
  EXPECT_NEAR(total, 1, 1e-10);
  // Mean: lifetimes' closed form above (mpmath).
  EXPECT_NEAR(mean, 1.1829536655971727, 1e-8);
}

TEST(MbgNbdTest, ProbabilityOfPurchasesMatchesSimulation) {
  // 400,000 customers simulated over a fixed T = 39: the observed shares of k repeat purchases agree with
  // P(X(39) = k) within 4 binomial standard errors.
  const MbgNbdParams truth{0.6, 5.0, 0.9, 1.8};
  const size_t n = 400000;
  const std::vector<SummaryRow> rows = simulate(truth, n, 39, 39, 99);
  std::vector<double> share(6, 0);
  for (const SummaryRow& row : rows) {
    if (row.frequency < 6) share[static_cast<size_t>(row.frequency)] += 1.0 / n;
  }
  for (int k = 0; k < 6; ++k) {
    const double p = loyalty::probability_of_purchases(truth, 39, k);
    EXPECT_NEAR(share[k], p, 4 * std::sqrt(p * (1 - p) / n)) << "k = " << k;
  }
}

TEST(MbgNbdTest, RecoversSimulatedParameters) {
  const MbgNbdParams truth{0.6, 5.0, 0.9, 1.8};
  const std::vector<SummaryRow> rows = simulate(truth, 200000, 26, 52, 20240602);
  const loyalty::MbgNbdFit fit = loyalty::fit<loyalty::MbgNbdParams>(rows);
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  EXPECT_NEAR(fit.params.r, truth.r, 0.05 * truth.r);
  EXPECT_NEAR(fit.params.alpha, truth.alpha, 0.05 * truth.alpha);
  EXPECT_NEAR(fit.params.a, truth.a, 0.1 * truth.a);
  EXPECT_NEAR(fit.params.b, truth.b, 0.1 * truth.b);
}

TEST(MbgNbdTest, InvalidArguments) {
  const std::vector<SummaryRow> rows = {{1, 2, 10, 1}};
  EXPECT_THROW(loyalty::fit<loyalty::MbgNbdParams>({}), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(loyalty::MbgNbdParams{1, 1, 1, 0}, rows), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(kCdnowLifetimes, {{0, 1, 10, 1}}), std::invalid_argument);
  EXPECT_THROW(loyalty::p_alive(kCdnowLifetimes, 1, 11, 10), std::invalid_argument);
  EXPECT_THROW(loyalty::expected_purchases(kCdnowLifetimes, 1, 2, 10, NAN), std::invalid_argument);
  EXPECT_THROW(loyalty::expected_purchases_unconditional(kCdnowLifetimes, -2), std::invalid_argument);
  EXPECT_THROW(loyalty::probability_of_purchases(kCdnowLifetimes, 10, -1), std::invalid_argument);
  try {
    loyalty::p_alive(loyalty::MbgNbdParams{0.2, -4, 1, 2}, 1, 2, 10);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("mbg/nbd parameter alpha"), std::string::npos) << e.what();
  }
}

}  // namespace
