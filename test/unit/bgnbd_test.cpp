// Tests of the BG/NBD model against the published CDNOW fit, closed forms evaluated independently in
// arbitrary precision, the numeric gradient, and recovery of known parameters from simulated customers.
#include "bgnbd.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/beta.hpp>

#include "optimizer.hpp"
#include "reference_data.hpp"

namespace {

using loyalty::BgNbdParams;
using loyalty::SummaryRow;

// CDNOW estimates of Fader, Hardie & Lee (2005), "Counting your customers the easy way", section 4.
const BgNbdParams kCdnowPublished{0.243, 4.414, 0.793, 2.426};

// Customers simulated from the BG/NBD story: purchases at rate lambda ~ Gamma(r, rate alpha) while alive,
// dropout with probability p ~ Beta(a, b) after each purchase; observed over (0, T] with T uniform on [t_min,
// t_max].
std::vector<SummaryRow> simulate(const BgNbdParams& p, size_t n, double t_min, double t_max, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> lambda_dist(p.r, 1 / p.alpha), ga(p.a, 1), gb(p.b, 1);
  std::uniform_real_distribution<double> unit(0, 1), horizon(t_min, t_max);
  std::vector<SummaryRow> rows(n);
  for (SummaryRow& row : rows) {
    const double lambda = lambda_dist(rng);
    const double ya = ga(rng), yb = gb(rng);
    const double dropout = ya / (ya + yb);
    row.t = horizon(rng);
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

TEST(BgNbdTest, CdnowPublishedFit) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/cdnow_customers_summary.csv");
  const std::vector<SummaryRow> rows = loyalty_test::read_cdnow_summary(path);
  ASSERT_EQ(rows.size(), 2357u);
  const loyalty::BgNbdFit fit = loyalty::fit<loyalty::BgNbdParams>(rows);
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  // Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
  EXPECT_NEAR(fit.params.r, 0.243, 5e-4);
  EXPECT_NEAR(fit.params.alpha, 4.414, 5e-4);
  EXPECT_NEAR(fit.params.a, 0.793, 5e-4);
  EXPECT_NEAR(fit.params.b, 2.426, 5e-4);
  EXPECT_NEAR(fit.report.log_likelihood, -9582.43, 0.01);
  EXPECT_DOUBLE_EQ(fit.report.customers, 2357);
}

TEST(BgNbdTest, CdnowLogLikelihoodAtPublishedEstimates) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/cdnow_customers_summary.csv");
  const std::vector<SummaryRow> rows = loyalty_test::read_cdnow_summary(path);
  // Independent computation: mpmath (30 digits) of ln A1 + ln A2 + ln(A3 + [x>0] A4) (Fader, Hardie & Lee,
  // "Implementing the BG/NBD model") summed over the 2,357 rows at the published, rounded estimates.
  EXPECT_NEAR(loyalty::log_likelihood(kCdnowPublished, rows), -9582.4268311823647, 1e-8);
}

TEST(BgNbdTest, GradientMatchesNumericGradient) {
  LOYALTY_REQUIRE_REFERENCE_FILE(path, "cdnow/cdnow_customers_summary.csv");
  const std::vector<SummaryRow> rows = loyalty_test::read_cdnow_summary(path);
  for (const BgNbdParams& p :
       {kCdnowPublished, BgNbdParams{1.3, 20.0, 2.5, 0.4}, BgNbdParams{0.05, 0.7, 0.2, 9.0}}) {
    double analytic[4];
    const double ll = loyalty::log_likelihood(p, rows, analytic);
    EXPECT_DOUBLE_EQ(ll, loyalty::log_likelihood(p, rows));
    auto f = [&](const std::vector<double>& v) {
      return loyalty::log_likelihood(BgNbdParams{v[0], v[1], v[2], v[3]}, rows);
    };
    const std::vector<double> numeric = loyalty::numeric_gradient(f, {p.r, p.alpha, p.a, p.b});
    for (int i = 0; i < 4; ++i) {
      EXPECT_NEAR(analytic[i], numeric[i], 1e-5 * std::max(1.0, std::fabs(numeric[i]))) << "component " << i;
    }
  }
}

TEST(BgNbdTest, CdnowCustomerPredictions) {
  // Customer 1 of the CDNOW summary: x = 2, t_x = 30.43, T = 38.86, at the published estimates. References:
  // mpmath (30 digits) of P(alive) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) (Fader, Hardie & Lee
  // 2008, "Computing P(alive) using the BG/NBD model") and of eq. 10 of Fader, Hardie & Lee (2005) with
  // mpmath.hyp2f1. Rounded: P(alive) = 0.7266, 1.226 purchases in the next 39 weeks.
  EXPECT_NEAR(loyalty::p_alive(kCdnowPublished, 2, 30.43, 38.86), 0.72657857008067291, 1e-13);
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 39), 1.2260281747671445, 1e-11);
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 0, 0, 38.86, 39), 0.19509805201126264, 1e-12);
  // Small horizon: eq. 10's bracket 1 - (...) 2F1 cancels; the integral form does not.
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 1e-6), 3.7660390151412816e-8,
              1e-19);
  EXPECT_DOUBLE_EQ(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 0), 0);
  EXPECT_DOUBLE_EQ(loyalty::p_alive(kCdnowPublished, 0, 0, 38.86), 1);
}

TEST(BgNbdTest, LongHorizonIsFiniteAndConsistent) {
  // h = 1e6 weeks: eq. 10's 2F1 argument t/(alpha+T+t) = 1 - 4.3e-5. mpmath (30 digits): 87.32804004651050.
  const double long_run = loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 1e6);
  EXPECT_TRUE(std::isfinite(long_run));
  EXPECT_NEAR(long_run, 87.328040046510504, 1e-9 * 87);
  // With a < 1, E[1/p] is infinite: the expectation grows without bound (like h^(1-a)). mpmath, same formula:
  // 250.1470344767463 at h = 1e8 and 1768.282108697330 at h = 1e12 (2F1 argument 1 - 4.3e-11).
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 1e8), 250.14703447674625,
              1e-9 * 250);
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 1e12), 1768.2821086973304,
              1e-9 * 1768);
  // With a > 1 the limit is P(alive) E[1/p | alive] = P(alive) (a + b + x - 1) / (a - 1).
  const BgNbdParams p{0.243, 4.414, 2.5, 2.426};
  const double limit = loyalty::p_alive(p, 2, 30.43, 38.86) * (2.5 + 2.426 + 2 - 1) / (2.5 - 1);
  EXPECT_NEAR(loyalty::expected_purchases(p, 2, 30.43, 38.86, 1e12), limit, 1e-3 * limit);
}

TEST(BgNbdTest, TinyHorizonIsItsFirstOrderTerm) {
  // As h -> 0, E[X(h) | alive] -> h (r + x) / (alpha + T), eq. 9's first-order term with the posterior's
  // parameters: a subnormal horizon gives that tiny value (0 after the product underflows), quickly, not the
  // quadrature's 22003; and the two sides of the switch (z = 1e-12) agree to the O(z) term.
  const auto start = std::chrono::steady_clock::now();
  const double subnormal = loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 5e-324);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0.01);
  EXPECT_TRUE(std::isfinite(subnormal));
  EXPECT_GE(subnormal, 0);
  const double pa = loyalty::p_alive(kCdnowPublished, 2, 30.43, 38.86);
  const double slope = pa * (kCdnowPublished.r + 2) / (kCdnowPublished.alpha + 38.86);
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 1e-300) / 1e-300, slope,
              1e-12 * slope);
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 1e-11) / 1e-11, slope,
              1e-9 * slope);
  EXPECT_NEAR(loyalty::expected_purchases(kCdnowPublished, 2, 30.43, 38.86, 1e-9) / 1e-9, slope,
              1e-8 * slope);
}

TEST(BgNbdTest, UnconditionalExpectationMatchesClosedForm) {
  // Fader, Hardie & Lee (2005) eq. 9, (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))],
  // evaluated with mpmath at 30 digits.
  struct Case {
    BgNbdParams p;
    double t, expected;
  };
  const Case cases[] = {
      {kCdnowPublished, 1, 0.053267891171658282},
      {kCdnowPublished, 39, 1.1967231933208169},
      {kCdnowPublished, 78, 1.8605190579427686},
      {kCdnowPublished, 1e4, 15.067913315055177},
      {{0.243, 4.414, 2.5, 2.426}, 39, 0.72553866008125055},
      {{0.243, 4.414, 1.0001, 2.426}, 39, 1.084231490870601},  // near the closed form's singularity a = 1
  };
  for (const Case& k : cases) {
    EXPECT_NEAR(loyalty::expected_purchases_unconditional(k.p, k.t), k.expected, 1e-12 * k.expected)
        << "t = " << k.t << ", a = " << k.p.a;
  }
  // a + b < 1: eq. 9's 2F1 has c = a + b - 1 < 0, the integral form is still fine and positive.
  const double v = loyalty::expected_purchases_unconditional(loyalty::BgNbdParams{0.5, 3, 0.3, 0.4}, 10);
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_GT(v, 0);
}

TEST(BgNbdTest, ProbabilityOfPurchases) {
  // Fader, Hardie & Lee (2005) eq. 8 with mpmath (30 digits), t = 39, published CDNOW estimates.
  const double expected[][2] = {{0, 0.57378635209600940},
                                {1, 0.19939528083591145},
                                {2, 0.085429759539060759},
                                {5, 0.017965493866579044},
                                {10, 0.0035904295401896733}};
  for (const auto& e : expected) {
    EXPECT_NEAR(loyalty::probability_of_purchases(kCdnowPublished, 39, static_cast<int>(e[0])), e[1],
                1e-12 * e[1])
        << "k = " << e[0];
  }
  // The distribution sums to 1 and its mean is E[X(t)].
  double total = 0, mean = 0;
  for (int k = 0; k < 3000; ++k) {
    const double p = loyalty::probability_of_purchases(kCdnowPublished, 39, k);
    total += p;
    mean += k * p;
  }
  EXPECT_NEAR(total, 1, 1e-10);
  EXPECT_NEAR(mean, loyalty::expected_purchases_unconditional(kCdnowPublished, 39), 1e-8);
}

TEST(BgNbdTest, WeightsEqualRepeatedRows) {
  const std::vector<SummaryRow> rows = {{0, 0, 30, 3}, {2, 10.5, 30, 2}, {5, 28, 35, 1}};
  std::vector<SummaryRow> expanded;
  for (const SummaryRow& row : rows) {
    for (int i = 0; i < row.weight; ++i) expanded.push_back({row.frequency, row.recency, row.t, 1});
  }
  EXPECT_NEAR(loyalty::log_likelihood(kCdnowPublished, rows),
              loyalty::log_likelihood(kCdnowPublished, expanded), 1e-10);
}

TEST(BgNbdTest, RecoversSimulatedParameters) {
  // 200,000 simulated customers with continuous T in [26, 52]: the estimates are within a few standard
  // errors.
  const BgNbdParams truth{0.8, 6.0, 1.2, 3.5};
  const std::vector<SummaryRow> rows = simulate(truth, 200000, 26, 52, 20240601);
  const loyalty::BgNbdFit fit = loyalty::fit<loyalty::BgNbdParams>(rows);
  EXPECT_TRUE(fit.report.converged) << fit.report.status;
  EXPECT_NEAR(fit.params.r, truth.r, 0.05 * truth.r);
  EXPECT_NEAR(fit.params.alpha, truth.alpha, 0.05 * truth.alpha);
  EXPECT_NEAR(fit.params.a, truth.a, 0.15 * truth.a);
  EXPECT_NEAR(fit.params.b, truth.b, 0.15 * truth.b);
  // The fitted model predicts the simulated mean frequency.
  double mean_x = 0;
  for (const SummaryRow& row : rows) mean_x += row.frequency / rows.size();
  double predicted = 0;
  for (double t = 26.0 + 26.0 / 200; t < 52; t += 26.0 / 100) {
    predicted += loyalty::expected_purchases_unconditional(fit.params, t) / 100;
  }
  EXPECT_NEAR(predicted, mean_x, 0.02 * mean_x);
}

TEST(BgNbdTest, PenalizerShrinksParameters) {
  const std::vector<SummaryRow> rows = simulate({0.8, 6.0, 1.2, 3.5}, 5000, 26, 52, 7);
  loyalty::FitOptions penalized;
  penalized.penalizer = 0.1;
  const loyalty::BgNbdFit plain = loyalty::fit<loyalty::BgNbdParams>(rows),
                          shrunk = loyalty::fit<loyalty::BgNbdParams>(rows, penalized);
  EXPECT_TRUE(shrunk.report.converged) << shrunk.report.status;
  const double norm_plain = plain.params.r * plain.params.r + plain.params.alpha * plain.params.alpha +
                            plain.params.a * plain.params.a + plain.params.b * plain.params.b;
  const double norm_shrunk = shrunk.params.r * shrunk.params.r + shrunk.params.alpha * shrunk.params.alpha +
                             shrunk.params.a * shrunk.params.a + shrunk.params.b * shrunk.params.b;
  EXPECT_LT(norm_shrunk, norm_plain);
  EXPECT_LT(shrunk.report.log_likelihood, plain.report.log_likelihood);
}

TEST(BgNbdTest, InterruptPropagates) {
  const std::vector<SummaryRow> rows = simulate({0.8, 6.0, 1.2, 3.5}, 1000, 26, 52, 11);
  loyalty::FitOptions options;
  int calls = 0;
  options.check_interrupt = [&] {
    if (++calls == 3) throw std::runtime_error("canceling statement due to user request");
  };
  EXPECT_THROW(loyalty::fit<loyalty::BgNbdParams>(rows, options), std::runtime_error);
}

TEST(BgNbdTest, InvalidArguments) {
  const std::vector<SummaryRow> rows = {{1, 2, 10, 1}};
  EXPECT_THROW(loyalty::fit<loyalty::BgNbdParams>({}), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(kCdnowPublished, {}), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(loyalty::BgNbdParams{-1, 1, 1, 1}, rows), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(loyalty::BgNbdParams{1, NAN, 1, 1}, rows), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(kCdnowPublished, {{1, 12, 10, 1}}), std::invalid_argument);
  EXPECT_THROW(loyalty::log_likelihood(kCdnowPublished, {{1.5, 2, 10, 1}}), std::invalid_argument);
  EXPECT_THROW(loyalty::p_alive(kCdnowPublished, 0, 3, 10), std::invalid_argument);
  EXPECT_THROW(loyalty::expected_purchases(kCdnowPublished, 1, 2, 10, -1), std::invalid_argument);
  EXPECT_THROW(loyalty::expected_purchases_unconditional(kCdnowPublished, INFINITY), std::invalid_argument);
  EXPECT_THROW(loyalty::probability_of_purchases(kCdnowPublished, 10, -1), std::invalid_argument);
  try {
    loyalty::p_alive(loyalty::BgNbdParams{0.2, 4, 0, 2}, 1, 2, 10);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("parameter a"), std::string::npos) << e.what();
  }
}

}  // namespace

// Data that cannot identify the parameters must not be reported as a converged fit: when nobody buys again
// the likelihood only says that purchase rates are low (r / alpha -> 0) and is flat in a and b.
TEST(BgNbdTest, NoRepeatPurchasesIsNotAConvergedFit) {
  std::vector<loyalty::SummaryRow> rows = {{0, 0, 30, 500}, {0, 0, 20, 300}, {0, 0, 10, 200}};
  const loyalty::BgNbdFit fit = loyalty::fit<loyalty::BgNbdParams>(rows, {});
  EXPECT_FALSE(fit.report.converged) << fit.report.status;
  // A single customer cannot identify four parameters either.
  EXPECT_FALSE(loyalty::fit<loyalty::BgNbdParams>({{0, 0, 30, 1}}, {}).report.converged);
}

// E[X(t)] (FHL 2005 eq. 9) through a = 1, where the closed form is 0/0, and for short horizons, where it
// cancels: against the defining mixture integral 1/B(a,b) int_0^1 p^(a-2) (1-p)^(b-1) [1 - (1 + p
// t/alpha)^-r] dp evaluated independently by Boost's tanh-sinh quadrature (substituting p = u^2).
TEST(BgNbdTest, UnconditionalExpectationThroughAEqualsOneMatchesTheMixtureIntegral) {
  boost::math::quadrature::tanh_sinh<double> integrator;
  for (double a : {0.5, 0.991, 1 - 1e-7, 1.0, 1 + 1e-7, 1.009, 2.5}) {
    for (double t : {0.01, 0.4, 4.0, 30.0}) {
      const BgNbdParams p{0.243, 4.414, a, 2.426};
      // With p = u^2 the integrand 2 u^(2a-1) (1-u^2)^(b-1) g(u^2), g(p) = [1 - (1 + p t/alpha)^-r] / p, is
      // bounded at both ends for a >= 1/2 (g(0) = r t / alpha).
      auto integrand = [&](double u) {
        const double q = u * u;
        const double g = q == 0 ? p.r * t / p.alpha : -std::expm1(-p.r * std::log1p(q * t / p.alpha)) / q;
        return 2 * std::pow(u, 2 * a - 1) * std::pow(1 - q, p.b - 1) * g;
      };
      const double expected = integrator.integrate(integrand, 0.0, 1.0) / boost::math::beta(a, p.b);
      EXPECT_NEAR(loyalty::expected_purchases_unconditional(p, t), expected, 1e-9 * expected)
          << "a " << a << ", t " << t;
    }
  }
}
