// Tests of the discounted CLV sum (clv.hpp): closed forms (one period, no discount, a constant purchase rate)
// and values computed independently in 50-digit arithmetic (mpmath) from the papers' own formulas.
#include "clv.hpp"

#include "bgbb.hpp"
#include "bgnbd.hpp"
#include "mbgnbd.hpp"
#include "pareto_nbd.hpp"

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

namespace {

using loyalty::BgBbParams;
using loyalty::BgNbdParams;
using loyalty::ClvHorizon;
using loyalty::GammaGammaParams;
using loyalty::MbgNbdParams;
using loyalty::ParetoNbdParams;

// CDNOW estimates: BG/NBD of Fader, Hardie & Lee (2005), "Counting your customers the easy way", section 4;
// Gamma-Gamma of Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4).
const BgNbdParams kBgNbd{0.243, 4.414, 0.793, 2.426};
const GammaGammaParams kSpend{6.25, 3.74, 15.44};
// BG/BB donations estimates of Fader, Hardie & Shang (2010), Marketing Science 29(6), table 2.
const BgBbParams kDonations{1.204, 0.750, 0.657, 2.783};
// Pareto/NBD CDNOW estimates of Fader, Hardie & Lee (2005), and the heavy-buyer parameters of the issue
// tracker.
const ParetoNbdParams kParetoNbd{0.553, 10.578, 0.606, 11.669};
const ParetoNbdParams kHeavy{0.5143, 2.8845, 0.2856, 14.1087};
// Any positive MBG/NBD parameters (these are of the order of a CDNOW fit).
const MbgNbdParams kMbgNbd{0.525, 6.183, 0.891, 1.614};

ClvHorizon horizon(double periods, double length, double discount) {
  ClvHorizon h;
  h.periods = periods;
  h.period_length = length;
  h.discount_rate = discount;
  return h;
}

TEST(Clv, OnePeriodWithoutDiscountIsSpendTimesExpectedPurchases) {
  // Closed form: with H = 1 and d = 0 the sum is E[M | x, m] * E[X(T, T + L) | x, t_x, T].
  const double spend = loyalty::gamma_gamma_expected_spend(kSpend, 2, 22.35);
  for (double length : {1.0, 4.0, 39.0}) {
    const double expected = spend * loyalty::expected_purchases(kBgNbd, 2, 30.43, 38.86, length);
    EXPECT_NEAR(loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(1, length, 0)), expected,
                1e-12 * expected);
  }
  // With one period the discount is a single factor 1/(1+d).
  const double one = loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(1, 4, 0));
  EXPECT_NEAR(loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(1, 4, 0.25)), one / 1.25,
              1e-12 * one);
}

TEST(Clv, WithoutDiscountThePeriodsTelescope) {
  // Closed form: with d = 0 the increments sum to E[M] * E[X(T, T + H L)], whatever the split into periods.
  const double spend = loyalty::gamma_gamma_expected_spend(kSpend, 2, 22.35);
  const double whole = spend * loyalty::expected_purchases(kBgNbd, 2, 30.43, 38.86, 52);
  EXPECT_NEAR(loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(13, 4, 0)), whole, 1e-9 * whole);
  EXPECT_NEAR(loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(52, 1, 0)), whole, 1e-9 * whole);
  const double bgbb = loyalty::gamma_gamma_expected_spend(kSpend, 3, 50) *
                      loyalty::expected_purchases(kDonations, 3, 5, 6, 10);
  EXPECT_NEAR(loyalty::clv(kDonations, kSpend, 3, 5, 6, 50, horizon(5, 2, 0)), bgbb, 1e-12 * bgbb);
  EXPECT_EQ(loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(0, 4, 0.01)), 0.0);
}

TEST(Clv, ConstantPurchaseRateGivesTheAnnuityFormula) {
  // Closed form: if E[X(T, T + h)] = lambda h, each period brings lambda L purchases and the sum is the
  // annuity E[M] lambda L (1 - (1+d)^-H) / d.
  const double lambda = 0.3, spend = 40, L = 7, d = 0.05;
  const double expected = spend * lambda * L * (1 - std::pow(1 + d, -10)) / d;
  EXPECT_NEAR(
      loyalty::discounted_customer_value([&](double h) { return lambda * h; }, spend, horizon(10, L, d)),
      expected, 1e-12 * expected);
}

TEST(Clv, MatchesIndependentArbitraryPrecisionSums) {
  // mpmath (50 digits): the sum over periods with E[X(T, T + h)] from [FHL05] eq. 10 (hyp2f1 evaluated by
  // mpmath), E[M] from the Gamma-Gamma FH note eq. 5. CDNOW customer x = 2, t_x = 30.43, T = 38.86, m
  // = 22.35.
  EXPECT_NEAR(loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(12, 4, 0.01)), 33.892246136323542,
              1e-8);
  EXPECT_NEAR(loyalty::clv(kBgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(52, 1, 0.002)), 36.612193935805687,
              1e-8);
  // x = 0: m is ignored, the population mean p v / (q - 1) = 35.219 is used.
  EXPECT_NEAR(loyalty::clv(kBgNbd, kSpend, 0, 0, 38.86, 0, horizon(12, 4, 0.01)), 7.7784992156339578, 1e-8);
  // MBG/NBD: the lifetimes library's closed form (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+h))^(r+x)
  // 2F1(r+x, b+x+1; a+b+x; h/(alpha+T+h))] / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)), by mpmath.
  EXPECT_NEAR(loyalty::clv(kMbgNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(12, 4, 0.01)), 34.799992420752858,
              1e-8);
  EXPECT_NEAR(loyalty::clv(kMbgNbd, kSpend, 0, 0, 38.86, 0, horizon(6, 4.345, 0.02)), 3.5343534960004521,
              1e-8);
  // Pareto/NBD: [FH05] section 6, E = (r+x)(beta+T)/((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+h))^(s-1)]
  // P(alive), P(alive) of [FH05] section 5 with mpmath.hyp2f1 (60 digits).
  EXPECT_NEAR(loyalty::clv(kParetoNbd, kSpend, 26, 30.86, 31, 30, horizon(12, 4, 0.01)), 676.45746541843189,
              1e-7);
  EXPECT_NEAR(loyalty::clv(kParetoNbd, kSpend, 2, 30.43, 38.86, 22.35, horizon(12, 4, 0.01)),
              40.236149917301954, 1e-8);
  EXPECT_NEAR(loyalty::clv(kParetoNbd, kSpend, 0, 0, 38.86, 0, horizon(12, 4, 0.01)), 4.2281389221834002,
              1e-9);
  // A heavy buyer (221 purchases in 62 weeks), where (alpha+T)^(r+s+x) overflows a direct evaluation.
  EXPECT_NEAR(loyalty::clv(kHeavy, kSpend, 221, 60, 62, 30, horizon(12, 4, 0.01)) / 2010.7897891486558, 1.0,
              1e-10);
  // BG/BB: FHS eq. 13 with the likelihood written as the sum of beta functions, by mpmath.
  EXPECT_NEAR(loyalty::clv(kDonations, kSpend, 3, 5, 6, 50, horizon(5, 2, 0.1)), 119.79513150037828, 1e-9);
  EXPECT_NEAR(loyalty::clv(kDonations, kSpend, 0, 0, 6, 0, horizon(3, 1, 0.05)), 1.4772336117567986, 1e-12);
}

TEST(Clv, DiscountingOnlyLowersTheValue) {
  double previous = INFINITY;
  for (double d : {0.0, 0.001, 0.01, 0.1, 1.0}) {
    const double v = loyalty::clv(kBgNbd, kSpend, 5, 30, 38.86, 30, horizon(24, 2, d));
    EXPECT_LT(v, previous) << d;
    EXPECT_GT(v, 0) << d;
    previous = v;
  }
}

TEST(Clv, InterruptIsCalledOnLongHorizons) {
  // A discount so small that every one of the 3,500 periods counts: the check runs every 16 periods.
  int calls = 0;
  loyalty::discounted_customer_value([](double h) { return h; }, 1, horizon(3500, 1, 1e-9), [&] { ++calls; });
  EXPECT_EQ(calls, 3500 / 16);
  struct Cancelled {};
  EXPECT_THROW(loyalty::discounted_customer_value([](double h) { return h; }, 1, horizon(5000, 1, 1e-9),
                                                  [] { throw Cancelled{}; }),
               Cancelled);
}

TEST(Clv, BoundedWorkOnLongHorizons) {
  // Undiscounted, the sum telescopes: one evaluation for a million periods, the same value.
  int evaluations = 0;
  const double undiscounted = loyalty::discounted_customer_value(
      [&](double h) {
        ++evaluations;
        return std::sqrt(h);
      },
      2, horizon(1000000, 0.5, 0), {});
  EXPECT_EQ(evaluations, 1);
  EXPECT_DOUBLE_EQ(undiscounted, 2 * std::sqrt(500000.0));
  // Discounted, it stops once the remaining periods cannot add 1e-16 of the value (increments never grow):
  // at 10% per period after ~390 periods, and the value equals the full sum's to 1e-15.
  evaluations = 0;
  auto concave = [&](double h) {
    ++evaluations;
    return 3 * (1 - std::exp(-h / 50)) + std::log1p(h);
  };
  const double early = loyalty::discounted_customer_value(concave, 1, horizon(1000000, 1, 0.1), {});
  EXPECT_LT(evaluations, 400);
  double full = 0, previous = 0;
  for (int i = 1; i <= 2000; ++i) {
    const double c = 3 * (1 - std::exp(-i / 50.0)) + std::log1p(i);
    full += (c - previous) * std::pow(1.1, -i);
    previous = c;
  }
  EXPECT_NEAR(early / full, 1.0, 1e-15);
}

TEST(Clv, RejectsBadArguments) {
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, 20, horizon(-1, 1, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, 20, horizon(1.5, 1, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, 20, horizon(2e6, 1, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, 20, horizon(1, 0, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, 20, horizon(1, NAN, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, 20, horizon(1, 1, -0.1)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, 20, horizon(1, 1, INFINITY)), std::invalid_argument);
  // The history and the spend are validated by the models, also when the horizon is empty.
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 40, 38, 20, horizon(0, 1, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kBgNbd, kSpend, 2, 30, 38, -5, horizon(0, 1, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kMbgNbd, kSpend, 0.5, 0, 38, 20, horizon(1, 1, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kDonations, kSpend, 3, 5, 6, 50, horizon(2, 1.5, 0)), std::invalid_argument);
  EXPECT_THROW(loyalty::clv(kDonations, kSpend, 3, 7, 6, 50, horizon(2, 1, 0)), std::invalid_argument);
  // Population mean spend needs q > 1.
  EXPECT_THROW(loyalty::clv(kBgNbd, GammaGammaParams{2, 0.9, 3}, 0, 0, 38, 0, horizon(1, 1, 0)),
               std::domain_error);
}

}  // namespace
