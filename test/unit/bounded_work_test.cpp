// Bounded work on any input (issue 10): the gamma-ratio series against direct sums, the BG/BB predictions
// over astronomically many opportunities (finite, consistent, fast), extreme parameters (a finite value or
// std::out_of_range, never NaN), fits that reject overflowing rows, and the simulators' step budget.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "bgbb.hpp"
#include "bgnbd.hpp"
#include "customer_simulator.hpp"
#include "gamma_gamma.hpp"
#include "gamma_ratio_series.hpp"
#include "pareto_nbd.hpp"
#include "sbg.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The series summed term by term in long double, and sum f_j (psi(j + p_0) - psi(p_0)) / sum.
long double direct_log_sum(const loyalty::GammaRatioSeries& s, double count, long double* d_p0) {
  long double term = 1, sum = 0, harmonic = 0, weighted = 0;
  for (double j = 0; j < count; ++j) {
    sum += term;
    weighted += term * harmonic;
    long double ratio = 1;
    for (int k = 0; k < s.pairs; ++k) ratio *= (j + s.p[k]) / static_cast<long double>(j + s.q[k]);
    harmonic += 1 / (j + static_cast<long double>(s.p[0]));
    term *= ratio;
  }
  *d_p0 = weighted / sum;
  return std::log(sum);
}

TEST(GammaRatioSeries, TailMatchesDirectSums) {
  // (p0, q0, p1, q1, count): BG/BB-like decays from fast (s = 3.5) to slow (s = 1.03), counts beyond the
  // exact part (2,000 terms) so that the Euler-Maclaurin tail carries the rest.
  const double cases[][5] = {{0.75, 1.95, 2.783, 4.44, 1e6},
                             {0.3, 0.31, 1.0, 2.02, 3e6},
                             {5, 7, 3, 5.5, 1e5},
                             {1000, 1001.5, 20, 21.2, 2e6},
                             {1e6, 1e6 + 2, 7, 8.5, 5e5}};
  for (const auto& c : cases) {
    loyalty::GammaRatioSeries s;
    s.pairs = 2;
    s.p[0] = c[0];
    s.q[0] = c[1];
    s.p[1] = c[2];
    s.q[1] = c[3];
    long double d_p0 = 0;
    const long double direct = direct_log_sum(s, c[4], &d_p0);
    const loyalty::GammaRatioSum sum = loyalty::gamma_ratio_sum(s, c[4], true);
    EXPECT_NEAR(sum.log_sum, static_cast<double>(direct), 1e-11) << c[0] << " " << c[4];
    EXPECT_NEAR(sum.d_p[0], static_cast<double>(d_p0), 1e-9 * std::max(1.0L, std::fabs(d_p0))) << c[0];
  }
}

TEST(GammaRatioSeries, HugeCountsAreFiniteIncreasingAndFast) {
  loyalty::GammaRatioSeries s;
  s.pairs = 2;
  s.p[0] = 0.3;
  s.q[0] = 0.31;
  s.p[1] = 1.0;
  s.q[1] = 2.02;
  double previous = -1;
  for (double count : {1e4, 1e6, 1e15, 4611686018427387904.0, 1e308}) {
    const Clock::time_point start = Clock::now();
    const loyalty::GammaRatioSum sum = loyalty::gamma_ratio_sum(s, count, true);
    EXPECT_LT(milliseconds_since(start), 10.0) << count;
    EXPECT_TRUE(std::isfinite(sum.log_sum) && std::isfinite(sum.d_p[0]) && std::isfinite(sum.d_q[1]))
        << count;
    EXPECT_GT(sum.log_sum, previous) << count;
    previous = sum.log_sum;
  }
}

TEST(GammaRatioSeries, LogGammaRatioOfHugeArguments) {
  // Stirling where lgamma itself overflows; the ordinary lgamma difference where it does not.
  EXPECT_NEAR(loyalty::log_gamma_ratio(1e7, 2.5), 2.5 * std::log(1e7) + 2.5 * 1.5 / 2e7, 1e-12);
  EXPECT_NEAR(loyalty::log_gamma_ratio(1e308, 5), 5 * std::log(1e308), 1e-9);
  EXPECT_NEAR(loyalty::log_gamma_ratio(1e308, -0.5), -0.5 * std::log(1e308), 1e-9);
  EXPECT_NEAR(loyalty::log_gamma_ratio_difference(1e15, 1e6, 0.4) / (0.4 * 1e6 / 1e15), 1.0, 1e-8);
}

TEST(BoundedWork, BgBbPredictionsOverAstronomicalHorizons) {
  const loyalty::BgBbParams p{1.204, 0.750, 0.657, 2.783};
  double previous_unconditional = 0;
  for (double n : {10.0, 1e4, 1e6, 1e15, 4611686018427387904.0, 1e308}) {
    const Clock::time_point start = Clock::now();
    const double alive = loyalty::p_alive(p, 2, 3, std::max(n, 3.0));
    const double two = loyalty::probability_of_purchases(p, n, 2);
    const double conditional = loyalty::expected_purchases(p, 2, 3, std::max(n, 3.0), 4);
    const double over_n = loyalty::expected_purchases(p, 2, 3, 4, n);
    const double unconditional = loyalty::expected_purchases_unconditional(p, n);
    EXPECT_LT(milliseconds_since(start), 50.0) << n;  // five calls; the goal is 10 ms each
    EXPECT_TRUE(alive >= 0 && alive <= 1) << n;
    EXPECT_TRUE(two > 0 && two <= 1) << n;
    EXPECT_TRUE(std::isfinite(conditional) && conditional >= 0) << n;
    EXPECT_TRUE(std::isfinite(over_n) && over_n > 0) << n;
    EXPECT_TRUE(std::isfinite(unconditional) && unconditional > previous_unconditional) << n;
    previous_unconditional = unconditional;
  }
  // P(X(n) = 2) converges as n grows (terms fall like i^-(alpha+gamma+1)): 1e6 and 1e308 agree closely.
  EXPECT_NEAR(loyalty::probability_of_purchases(p, 1e6, 2), loyalty::probability_of_purchases(p, 1e308, 2),
              1e-7);
}

TEST(BoundedWork, BgBbLongHistoriesMatchTheExactSum) {
  // 5,000 opportunities: the likelihood's sum over the death time uses the exact part and the tail; the same
  // row as a sum of its two parts computed the long way (a fit over n = 1,999 has no tail).
  const loyalty::BgBbParams p{1.204, 0.750, 0.657, 2.783};
  const double at_1999 = loyalty::log_likelihood(p, std::vector<loyalty::BgBbRow>{{3, 10, 1999, 1}});
  const double at_5000 = loyalty::log_likelihood(p, std::vector<loyalty::BgBbRow>{{3, 10, 5000, 1}});
  EXPECT_TRUE(std::isfinite(at_1999) && std::isfinite(at_5000));
  EXPECT_LT(at_5000, at_1999);  // more opportunities without a purchase: less likely
  const double at_huge = loyalty::log_likelihood(p, std::vector<loyalty::BgBbRow>{{3, 10, 1e300, 1}});
  EXPECT_TRUE(std::isfinite(at_huge));
  std::array<double, 4> gradient =
      loyalty::log_likelihood_gradient(p, std::vector<loyalty::BgBbRow>{{3, 10, 1e300, 1}});
  for (double g : gradient) EXPECT_TRUE(std::isfinite(g));
}

TEST(BoundedWork, ExtremeParametersGiveAValueOrOutOfRange) {
  // Each call either returns a finite value (a probability in [0, 1]) or throws std::out_of_range.
  auto finite_or_out_of_range = [](auto call, bool probability) {
    try {
      const double v = call();
      EXPECT_TRUE(std::isfinite(v));
      if (probability) {
        EXPECT_TRUE(v >= 0 && v <= 1) << v;
      }
    } catch (const std::out_of_range&) {
    }
  };
  for (double extreme : {1e308, 5e-324, 1e-300, 1e300}) {
    const loyalty::ParetoNbdParams pareto{0.553, 10.578, extreme, 11.669};
    finite_or_out_of_range([&] { return loyalty::p_alive(pareto, 2, 30, 60); }, true);
    finite_or_out_of_range([&] { return loyalty::expected_purchases(pareto, 2, 30, 60, 10); }, false);
    const loyalty::BgNbdParams bgnbd{extreme, 4.414, 0.793, 2.426};
    finite_or_out_of_range([&] { return loyalty::expected_purchases(bgnbd, 2, 30, 60, 10); }, false);
    finite_or_out_of_range([&] { return loyalty::expected_purchases_unconditional(bgnbd, 10); }, false);
    finite_or_out_of_range([&] { return loyalty::probability_of_purchases(bgnbd, 10, 2); }, true);
    const loyalty::BgBbParams bgbb{extreme, 0.750, 0.657, 2.783};
    finite_or_out_of_range([&] { return loyalty::probability_of_purchases(bgbb, 10, 2); }, true);
    finite_or_out_of_range([&] { return loyalty::expected_purchases(bgbb, 2, 3, 10, 4); }, false);
    finite_or_out_of_range([&] { return loyalty::sbg_survival({extreme, 3.806}, 3); }, true);
    finite_or_out_of_range([&] { return loyalty::sbg_churn_probability({0.668, extreme}, 3); }, true);
    finite_or_out_of_range(
        [&] {
          return loyalty::gamma_gamma_expected_spend({6.25, 3.74, extreme}, 2, 10);
        },
        false);
  }
  // Large but representable: a correct finite value (gamma ratios paired so that nothing overflows).
  EXPECT_NEAR(loyalty::sbg_survival({1e308, 3.806}, 3), 0.0, 1e-300);
  EXPECT_NEAR(loyalty::sbg_churn_probability({0.668, 1e308}, 3), 0.0, 1e-300);
  EXPECT_THROW(loyalty::gamma_gamma_expected_spend({6.25, 3.74, 15.44}, 2, 1e308), std::out_of_range);
}

TEST(BoundedWork, FitsRejectRowsThatOverflowTheLikelihood) {
  // t = 1e308 next to t = 10: finite estimates reported not converged (the likelihood stays finite), never a
  // non-finite model.
  const loyalty::BgNbdFit wide = loyalty::fit<loyalty::BgNbdParams>({{1, 1, 1e308, 1}, {2, 3, 10, 1}});
  EXPECT_FALSE(wide.report.converged);
  EXPECT_TRUE(std::isfinite(wide.report.log_likelihood) && std::isfinite(wide.params.alpha));
  EXPECT_THROW(loyalty::fit<loyalty::GammaGammaParams>({{2, 1e308, 1}, {3, 10, 1}, {1, 5, 1}}),
               std::out_of_range);
  EXPECT_THROW(loyalty::fit<loyalty::BgBbParams>({{1, 1, 3, 1e300}}), std::out_of_range);  // > 2^53 customers
}

TEST(BoundedWork, SimulatorsStopAtTheirStepBudget) {
  const Clock::time_point start = Clock::now();
  EXPECT_THROW(loyalty::simulate_pareto_nbd({1e308, 2, 2, 2}, 2, 2, 2), std::length_error);
  EXPECT_THROW(loyalty::simulate_pareto_nbd({2, 5e-324, 2, 2}, 2, 2, 2), std::length_error);
  EXPECT_LT(milliseconds_since(start), 100.0);
  loyalty::SimulationOptions spend;
  spend.simulate_spend = true;
  spend.spend = {6.25, 3.74, 1e308};
  EXPECT_THROW(loyalty::simulate_bgnbd({0.243, 4.414, 0.793, 2.426}, 30, 100, 1, spend), std::out_of_range);
}

}  // namespace
