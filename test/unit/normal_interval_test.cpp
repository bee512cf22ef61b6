#include "normal_interval.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

TEST(TwoSidedNormalQuantile, MatchesTabulatedValues) {
  // Standard normal quantiles (Abramowitz & Stegun, Table 26.5): z(0.975) = 1.959964, z(0.95) = 1.644854,
  // z(0.995) = 2.575829.
  EXPECT_NEAR(loyalty::two_sided_normal_quantile(0.95), 1.959963984540054, 1e-12);
  EXPECT_NEAR(loyalty::two_sided_normal_quantile(0.90), 1.644853626951472, 1e-12);
  EXPECT_NEAR(loyalty::two_sided_normal_quantile(0.99), 2.575829303548901, 1e-12);
}

TEST(TwoSidedNormalQuantile, RejectsLevelsOutsideTheOpenUnitInterval) {
  EXPECT_THROW(loyalty::two_sided_normal_quantile(0), std::invalid_argument);
  EXPECT_THROW(loyalty::two_sided_normal_quantile(1), std::invalid_argument);
  EXPECT_THROW(loyalty::two_sided_normal_quantile(-0.5), std::invalid_argument);
}

}  // namespace
