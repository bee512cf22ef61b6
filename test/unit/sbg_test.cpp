// sBG contractual churn: the two cohorts of Fader & Hardie (2007) "How to Project Customer Retention",
// survival identities, DERL (Fader & Hardie 2010) against an independent high-precision 2F1, the analytic
// gradient, validation, and recovery of simulated parameters.
#include "sbg.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "customer_simulator.hpp"
#include "optimizer.hpp"

namespace {

using loyalty::SbgParams;
using loyalty::SbgRow;

// FH 2007 data: % of 1,000 customers of each cohort still active at the start of years 0..7.
const double kRegular[8] = {100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1};
const double kHighEnd[8] = {100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1};

// Lost in year t: 1000 (S(t-1) - S(t)) / 100, tenure t, churned; still active after year 7: tenure 7,
// censored.
std::vector<SbgRow> cohort(const double* percent) {
  std::vector<SbgRow> rows;
  for (int t = 1; t <= 7; ++t) rows.push_back({double(t), true, 10 * (percent[t - 1] - percent[t])});
  rows.push_back({7, false, 10 * percent[7]});
  return rows;
}

TEST(Sbg, RegularCohortMatchesFaderHardie2007) {
  const auto fit = loyalty::fit<loyalty::SbgParams>(cohort(kRegular));
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  EXPECT_NEAR(fit.report.customers, 1000, 1e-9);
  // FH 2007: alpha = 0.704, beta = 1.182, LL = -1680.27.
  EXPECT_NEAR(fit.params.alpha, 0.704, 0.0005);
  EXPECT_NEAR(fit.params.beta, 1.182, 0.0005);
  EXPECT_NEAR(fit.report.log_likelihood, -1680.27, 0.005);
  // FH 2007: projected survival at year 12 for the regular cohort, 17.0%.
  EXPECT_NEAR(100 * loyalty::sbg_survival(fit.params, 12), 17.0, 0.05);
}

TEST(Sbg, HighEndCohortMatchesFaderHardie2007) {
  const auto fit = loyalty::fit<loyalty::SbgParams>(cohort(kHighEnd));
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  // FH 2007: alpha = 0.668, beta = 3.806, LL = -1611.16.
  EXPECT_NEAR(fit.params.alpha, 0.668, 0.0005);
  EXPECT_NEAR(fit.params.beta, 3.806, 0.0005);
  EXPECT_NEAR(fit.report.log_likelihood, -1611.16, 0.005);
}

TEST(Sbg, SurvivalChurnAndRetentionAreConsistent) {
  for (const SbgParams& p : {SbgParams{0.704, 1.182}, SbgParams{0.05, 0.3}, SbgParams{30, 4}}) {
    EXPECT_EQ(loyalty::sbg_survival(p, 0), 1.0);
    EXPECT_NEAR(loyalty::sbg_churn_probability(p, 1), p.alpha / (p.alpha + p.beta), 1e-14);  // E[theta]
    double lost = 0;
    for (double t = 1; t <= 200; ++t) {
      const double s_prev = loyalty::sbg_survival(p, t - 1), s = loyalty::sbg_survival(p, t);
      const double churn = loyalty::sbg_churn_probability(p, t);
      EXPECT_NEAR(churn, s_prev - s, 1e-13) << t;
      EXPECT_NEAR(loyalty::sbg_retention_rate(p, t), s / s_prev, 1e-12 * std::max(1.0, s / s_prev)) << t;
      lost += churn;
      EXPECT_NEAR(lost + s, 1.0, 1e-12) << t;
    }
  }
}

TEST(Sbg, DiscountedExpectedResidualLifetimeMatchesHypergeometricForm) {
  // Oracle: FH 2010 eq. (6), (b+n-1)/(a+b+n-1) * 2F1(1, b+n; a+b+n; 1/(1+d)), evaluated with mpmath 1.3.0's
  // hyp2f1 at 30 digits. The cases span both methods (series for d >= ~0.002, quadrature below).
  struct Case {
    double alpha, beta, n, d, expected;
  };
  const Case cases[] = {
      {0.704, 1.182, 1, 0.1, 2.9646621461320315},    {0.704, 1.182, 1, 0.01, 8.5029471720112698},
      {0.704, 1.182, 1, 0.0021, 15.594551166014431}, {0.704, 1.182, 1, 0.00195, 16.023755334176559},
      {0.704, 1.182, 1, 0.0019, 16.176494223632344}, {0.704, 1.182, 1, 1e-4, 44.065938204656303},
      {0.704, 1.182, 1, 1e-6, 183.80374325090087},   {0.704, 1.182, 1, 1e-9, 1447.0744996684527},
      {0.704, 1.182, 1, 1e-12, 11208.125458433414},  {2.5, 3.0, 5, 0.0021, 4.5425285832622698},
      {2.5, 3.0, 5, 0.00195, 4.5504390934776446},    {2.5, 3.0, 5, 1e-4, 4.6595791699390319},
      {2.5, 3.0, 5, 1e-8, 4.6666659203914294},       {2.5, 3.0, 5, 1e-12, 4.6666666665920004},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(loyalty::sbg_discounted_expected_residual_lifetime({c.alpha, c.beta}, c.n, c.d) / c.expected,
                1.0, 1e-12)
        << c.alpha << " " << c.beta << " n " << c.n << " d " << c.d;
  }
  // d = 0: E[(1-theta)/theta | n-1 renewals] = (b+n-1)/(a-1), infinite for a <= 1: an error (22023), not
  // an Infinity that a report would sum.
  EXPECT_NEAR(loyalty::sbg_discounted_expected_residual_lifetime({2.5, 3.0}, 5, 0), 7.0 / 1.5, 1e-14);
  EXPECT_THROW(loyalty::sbg_discounted_expected_residual_lifetime({0.704, 1.182}, 1, 0), std::domain_error);
}

TEST(Sbg, DiscountedExpectedResidualLifetimeIsTheDiscountedSurvivalSum) {
  // Definition, summed directly in the test from sbg_survival: sum_{t>=n} S(t)/S(n-1) / (1+d)^(t-n).
  const SbgParams p{0.704, 1.182};
  for (double n : {1.0, 3.0, 8.0}) {
    const double d = 0.1;
    double sum = 0;
    for (double t = n; t < n + 600; ++t)
      sum += loyalty::sbg_survival(p, t) / loyalty::sbg_survival(p, n - 1) / std::pow(1 + d, t - n);
    EXPECT_NEAR(loyalty::sbg_discounted_expected_residual_lifetime(p, n, d), sum, 1e-12 * sum) << n;
  }
  // More renewals survived, longer residual lifetime (heterogeneity sorts out the churners).
  EXPECT_LT(loyalty::sbg_discounted_expected_residual_lifetime(p, 1, 0.1),
            loyalty::sbg_discounted_expected_residual_lifetime(p, 5, 0.1));
}

TEST(Sbg, AnalyticGradientMatchesNumericGradient) {
  const auto rows = cohort(kRegular);
  std::vector<SbgRow> mixed = rows;
  mixed.push_back({40, false, 3});
  mixed.push_back({25, true, 2});
  for (const SbgParams& p : {SbgParams{0.704, 1.182}, SbgParams{0.05, 0.3}, SbgParams{30, 4}}) {
    const auto analytic = loyalty::log_likelihood_gradient(p, mixed);
    const auto numeric = loyalty::numeric_gradient(
        [&](const std::vector<double>& v) {
          return loyalty::log_likelihood(SbgParams{v[0], v[1]}, mixed);
        },
        {p.alpha, p.beta});
    for (int k = 0; k < 2; ++k)
      EXPECT_NEAR(analytic[k], numeric[k], 1e-6 * std::max(1.0, std::fabs(numeric[k]))) << "param " << k;
  }
}

TEST(Sbg, RecoversSimulatedParameters) {
  const loyalty::SbgSimulationParams truth{0.704, 1.182};
  const auto contracts = loyalty::simulate_sbg(truth, 8, 20000, 2007);
  std::vector<SbgRow> rows;
  for (const auto& c : contracts) rows.push_back({c.tenure, c.churned, 1});
  const auto fit = loyalty::fit<loyalty::SbgParams>(rows);
  ASSERT_TRUE(fit.report.converged) << fit.report.status;
  // Standard errors from the observed information, Hessian by central differences of the analytic gradient.
  const double a = fit.params.alpha, b = fit.params.beta, ha = 1e-5 * a, hb = 1e-5 * b;
  const auto ga1 = loyalty::log_likelihood_gradient(SbgParams{a + ha, b}, rows);
  const auto ga0 = loyalty::log_likelihood_gradient(SbgParams{a - ha, b}, rows);
  const auto gb1 = loyalty::log_likelihood_gradient(SbgParams{a, b + hb}, rows);
  const auto gb0 = loyalty::log_likelihood_gradient(SbgParams{a, b - hb}, rows);
  const double iaa = -(ga1[0] - ga0[0]) / (2 * ha), ibb = -(gb1[1] - gb0[1]) / (2 * hb);
  const double iab = -((ga1[1] - ga0[1]) / (2 * ha) + (gb1[0] - gb0[0]) / (2 * hb)) / 2;
  const double det = iaa * ibb - iab * iab;
  ASSERT_GT(det, 0);
  const double se_a = std::sqrt(ibb / det), se_b = std::sqrt(iaa / det);
  EXPECT_NEAR(a, truth.alpha, 4 * se_a) << "se " << se_a;
  EXPECT_NEAR(b, truth.beta, 4 * se_b) << "se " << se_b;
  EXPECT_LT(se_a, 0.1 * truth.alpha);
}

TEST(Sbg, UnidentifiedDataAreNotReportedConverged) {
  // Everyone lost at the first renewal, or nobody lost: no interior maximum of the likelihood.
  for (const SbgRow& row : {SbgRow{1, true, 10}, SbgRow{5, false, 10}}) {
    const auto fit = loyalty::fit<loyalty::SbgParams>({row});
    EXPECT_FALSE(fit.report.converged) << fit.report.status;
  }
}

TEST(Sbg, InterruptPropagates) {
  struct Cancelled {};
  loyalty::FitOptions options;
  options.check_interrupt = [] { throw Cancelled{}; };
  EXPECT_THROW(loyalty::fit<loyalty::SbgParams>(cohort(kRegular), options), Cancelled);
}

TEST(Sbg, RejectsInvalidInput) {
  EXPECT_THROW(loyalty::fit<loyalty::SbgParams>({}), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(loyalty::SbgParams{1, 1}, {}), std::invalid_argument);
  for (SbgRow bad : {SbgRow{0, true, 1}, SbgRow{1.5, true, 1}, SbgRow{-2, false, 1}, SbgRow{3, true, 0},
                     SbgRow{NAN, false, 1}, SbgRow{3, false, INFINITY}}) {
    EXPECT_THROW(loyalty::fit<loyalty::SbgParams>({bad}), std::invalid_argument) << bad.tenure;
  }
  try {
    loyalty::validate_sbg_row({1.5, true, 1});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("1.5"), std::string::npos) << e.what();
  }
  EXPECT_THROW(loyalty::sbg_survival({0, 1}, 3), std::invalid_argument);
  EXPECT_THROW(loyalty::sbg_survival({1, 1}, -1), std::invalid_argument);
  EXPECT_THROW(loyalty::sbg_churn_probability({1, 1}, 0), std::invalid_argument);
  EXPECT_THROW(loyalty::sbg_retention_rate({1, 1}, 2.5), std::invalid_argument);
  EXPECT_THROW(loyalty::sbg_discounted_expected_residual_lifetime({1, 1}, 0, 0.1), std::invalid_argument);
  EXPECT_THROW(loyalty::sbg_discounted_expected_residual_lifetime({1, 1}, 1, -0.1), std::invalid_argument);
}

}  // namespace
