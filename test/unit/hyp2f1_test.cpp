// Tests of log_hyp2f1 / hyp2f1 against closed forms and against an independent arbitrary-precision
// computation.
#include "hyp2f1.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace {

using loyalty::hyp2f1;
using loyalty::log_hyp2f1;

// Relative accuracy expected of 2F1 itself, i.e. absolute accuracy of its log.
constexpr double kTol = 1e-12;

TEST(Hyp2f1Test, LogarithmClosedForm) {
  // 2F1(1, 1; 2; z) = -log(1 - z) / z (Abramowitz & Stegun 15.1.3), down to 1 - z = 1e-10.
  for (double z : {1e-8, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999999, 1 - 1e-8, 1 - 1e-10}) {
    const double expected = std::log(-std::log1p(-z) / z);
    EXPECT_NEAR(log_hyp2f1(1, 1, 2, z), expected, kTol) << "z = " << z;
  }
}

TEST(Hyp2f1Test, BinomialClosedForm) {
  // 2F1(a, b; b; z) = (1 - z)^(-a) (A&S 15.1.8), also with c = b <= a (the case c <= min(a, b)).
  for (double a : {0.3, 1.7, 25.0, 300.0}) {
    for (double b : {0.2, 1.0, 4.5}) {
      for (double z : {0.2, 0.6, 0.95, 1 - 1e-6, 1 - 1e-10}) {
        const double expected = -a * std::log1p(-z);
        EXPECT_NEAR(log_hyp2f1(a, b, b, z), expected, kTol * std::max(1.0, std::fabs(expected)))
            << "a = " << a << ", b = " << b << ", z = " << z;
      }
    }
  }
}

TEST(Hyp2f1Test, ArcsineClosedForm) {
  // 2F1(1/2, 1/2; 3/2; x^2) = asin(x) / x (A&S 15.1.4).
  for (double x : {0.01, 0.4, 0.7, 0.9, 0.999, 1 - 1e-7}) {
    EXPECT_NEAR(log_hyp2f1(0.5, 0.5, 1.5, x * x), std::log(std::asin(x) / x), kTol) << "x = " << x;
  }
}

TEST(Hyp2f1Test, GaussSumAsZTendsToOne) {
  // For c > a + b, 2F1(a, b; c; 1) = Gamma(c) Gamma(c-a-b) / (Gamma(c-a) Gamma(c-b)) (A&S 15.1.20), and
  // 2F1(a, b; c; z) - 2F1(a, b; c; 1) = O((1 - z)^min(1, c-a-b)): at 1 - z = 1e-10 and c - a - b >= 2 the
  // difference is ~1e-10 relative at most.
  struct Case {
    double a, b, c;
  };
  for (Case k : {Case{0.5, 0.7, 3.2}, Case{1.5, 2.0, 6.0}, Case{0.243, 2.426, 5.0}, Case{20.0, 3.0, 30.0}}) {
    const double gauss =
        std::lgamma(k.c) + std::lgamma(k.c - k.a - k.b) - std::lgamma(k.c - k.a) - std::lgamma(k.c - k.b);
    EXPECT_NEAR(log_hyp2f1(k.a, k.b, k.c, 1 - 1e-10), gauss, 1e-8) << k.a << " " << k.b << " " << k.c;
  }
}

TEST(Hyp2f1Test, LargeParametersAgainstArbitraryPrecision) {
  // Reference: mpmath 1.3.0, log(hyp2f1(a, b, c, z)) at 40 significant digits, with z the exact double used
  // here (mp.mpf(float)). The first five are the shape of the Pareto/NBD likelihood term
  // 2F1(r+s+x, s+1; r+s+x+1; z) for heavy buyers (x ~ 254).
  struct Case {
    double a, b, c, z, expected;
  };
  const Case cases[] = {
      {300, 1.5, 301, 0.5, 1.0347659106897764961},
      {300, 1.5, 301, 1 - 1e-6, 13.274152025410540515},
      {300, 1.5, 301, 1 - 1e-10, 17.909548477618745515},
      {254.7, 2.3, 255.7, 0.9999, 17.199646481486264422},
      {256.8, 1.9, 257.8, 0.999, 11.408406253983966126},
      {3, 4, 1, 1 - 1e-8, 112.82666951455968284},  // c <= min(a, b)
      {50, 60, 20, 0.999, 645.57762903649530513},  // c <= min(a, b), large
      {0.3, 0.7, 5, 1 - 1e-10, 0.052387106886264792698},
      {100, 100, 250, 1 - 1e-6, 73.07036962790922024},
      {2.243, 4.426, 4.219, 0.6, 2.1737705420469361581},    // BG/NBD-like, CDNOW estimates with x = 2
      {0.75, 1.25, 2.0, 1 - 1e-10, 3.0384849269311662716},  // c - a - b = 0 exactly (logarithmic case)
  };
  for (const Case& k : cases) {
    EXPECT_NEAR(log_hyp2f1(k.a, k.b, k.c, k.z), k.expected, kTol * std::max(1.0, std::fabs(k.expected)))
        << "2F1(" << k.a << ", " << k.b << "; " << k.c << "; " << k.z << ")";
  }
}

TEST(Hyp2f1Test, NearIntegerParameterDifferenceIsContinuous) {
  // c - a - b close to an integer is where connection formulas to 1 - z cancel; the value must be continuous
  // in c there: 2F1(1.2, 2; 2.2 + e; z) for e = 0, +-1e-9 differ by O(e * d/dc).
  const double z = 1 - 1e-9;
  const double at = log_hyp2f1(1.2, 2.0, 2.2, z);
  const double above = log_hyp2f1(1.2, 2.0, 2.2 + 1e-9, z);
  const double below = log_hyp2f1(1.2, 2.0, 2.2 - 1e-9, z);
  EXPECT_TRUE(std::isfinite(at));
  EXPECT_NEAR(above, at, 1e-7);
  EXPECT_NEAR(below, at, 1e-7);
  EXPECT_GT(below, at);  // 2F1 decreases in c for positive a, b, z
  EXPECT_LT(above, at);
}

TEST(Hyp2f1Test, SeriesRegion) {
  // 2F1(a, b; c; 0) = 1, and for small z the first terms: 1 + a b z / c + ... (A&S 15.1.1).
  EXPECT_EQ(log_hyp2f1(2, 3, 4, 0), 0.0);
  const double z = 1e-6;
  EXPECT_NEAR(hyp2f1(2, 3, 4, z), 1 + 1.5 * z + 2 * 3 * 3 * 4 / (4.0 * 5 * 2) * z * z, 1e-15);
}

TEST(Hyp2f1Test, OutsideDomainIsNaN) {
  EXPECT_TRUE(std::isnan(log_hyp2f1(1, 1, 2, 1.0)));
  EXPECT_TRUE(std::isnan(log_hyp2f1(1, 1, 2, -0.5)));
  EXPECT_TRUE(std::isnan(log_hyp2f1(0, 1, 2, 0.5)));
  EXPECT_TRUE(std::isnan(log_hyp2f1(1, -1, 2, 0.5)));
  EXPECT_TRUE(std::isnan(log_hyp2f1(1, 1, 0, 0.5)));
  EXPECT_TRUE(std::isnan(log_hyp2f1(1, 1, 2, std::numeric_limits<double>::quiet_NaN())));
  EXPECT_TRUE(std::isnan(log_hyp2f1(std::numeric_limits<double>::infinity(), 1, 2, 0.5)));
  EXPECT_TRUE(std::isnan(hyp2f1(1, 1, 2, 1.5)));
}

}  // namespace
