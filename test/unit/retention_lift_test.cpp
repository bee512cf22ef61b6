// Retention lift: rates, lifts, Newcombe's hybrid score interval of the difference (against Newcombe 1998)
// and the pooled two-proportion z-test, against values computed by hand (Python 3.11: math.erfc for the
// normal tail, statistics.NormalDist for z, the interval's closed form in the header).
#include "retention_lift.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace {

using loyalty::RetentionLiftCounts;

TEST(RetentionLift, BalancedGroups) {
  // 200 of 250 treated retained, 150 of 250 controls: p = 0.8 vs 0.6; pooled p = 0.7, SE = sqrt(.21 * .008),
  // z = 4.8795, p-value = erfc(z / sqrt 2).
  const auto r = loyalty::retention_lift(RetentionLiftCounts{250, 200, 250, 150});
  EXPECT_DOUBLE_EQ(r.treated_rate, 0.8);
  EXPECT_DOUBLE_EQ(r.control_rate, 0.6);
  EXPECT_NEAR(r.absolute_lift, 0.2, 1e-15);
  EXPECT_NEAR(r.relative_lift, 1.0 / 3, 1e-15);
  EXPECT_NEAR(r.difference_ci_low, 0.12021681215110248, 1e-13);
  EXPECT_NEAR(r.difference_ci_high, 0.2763733542177551, 1e-13);
  EXPECT_NEAR(r.z_score, 4.879500364742667, 1e-12);
  EXPECT_NEAR(r.p_value, 1.0635492679527305e-06, 1e-17);
}

TEST(RetentionLift, UnbalancedAndNegativeLift) {
  // 45 of 60 against 120 of 180: z = 1.206045, p-value 0.227800 (same hand computation).
  auto r = loyalty::retention_lift(RetentionLiftCounts{60, 45, 180, 120});
  EXPECT_NEAR(r.relative_lift, 0.125, 1e-15);
  EXPECT_NEAR(r.difference_ci_low, -0.055067566559048875, 1e-13);
  EXPECT_NEAR(r.difference_ci_high, 0.20016740333014443, 1e-13);
  EXPECT_NEAR(r.z_score, 1.206045378311055, 1e-12);
  EXPECT_NEAR(r.p_value, 0.22779999398822887, 1e-13);
  // 12 of 40 against 20 of 50: the campaign lost customers; z = -0.984798, p-value 0.324723.
  r = loyalty::retention_lift(RetentionLiftCounts{40, 12, 50, 20});
  EXPECT_NEAR(r.absolute_lift, -0.1, 1e-15);
  EXPECT_NEAR(r.relative_lift, -0.25, 1e-15);
  EXPECT_NEAR(r.difference_ci_low, -0.2825272524907574, 1e-13);
  EXPECT_NEAR(r.difference_ci_high, 0.09789832889782527, 1e-13);
  EXPECT_NEAR(r.z_score, -0.9847982464479196, 1e-12);
  EXPECT_NEAR(r.p_value, 0.32472318216053564, 1e-13);
}

TEST(RetentionLift, IntervalMatchesNewcombe1998) {
  // Newcombe (1998), Stat. Med. 17, 873-890, Table II, method 10 (4 decimals there; the digits are the closed
  // form evaluated in Python): (a) 56/70 - 48/80, (b) 9/10 - 3/10, (d) 5/56 - 0/29, (e) 0/10 - 0/20,
  // (f) 10/10 - 0/20.
  struct Case {
    double x_t, n_t, x_c, n_c, low, high;
  };
  const Case cases[] = {{56, 70, 48, 80, 0.05243147240236498, 0.3338726540369059},  // 0.0524, 0.3339
                        {9, 10, 3, 10, 0.17052272393450313, 0.809017973535488},     // 0.1705, 0.8090
                        {5, 56, 0, 29, -0.03813714790353685, 0.19256001385511157},  // -0.0381, 0.1926
                        {0, 10, 0, 20, -0.1611251580528193, 0.27753279986288915},   // -0.1611, 0.2775
                        {10, 10, 0, 20, 0.6790860371419148, 1.0}};                  // 0.6791, 1.0000
  for (const Case& c : cases) {
    const auto r = loyalty::retention_lift(RetentionLiftCounts{c.n_t, c.x_t, c.n_c, c.x_c});
    EXPECT_NEAR(r.difference_ci_low, c.low, 1e-13) << c.x_t << "/" << c.n_t;
    EXPECT_NEAR(r.difference_ci_high, c.high, 1e-13) << c.x_t << "/" << c.n_t;
  }
}

TEST(RetentionLift, DegenerateCases) {
  // Everybody retained in both groups: no test (NaN); the interval still has a width.
  auto r = loyalty::retention_lift(RetentionLiftCounts{10, 10, 20, 20});
  EXPECT_EQ(r.absolute_lift, 0);
  EXPECT_TRUE(std::isnan(r.z_score));
  EXPECT_TRUE(std::isnan(r.p_value));
  EXPECT_LT(r.difference_ci_low, -0.1);
  EXPECT_GT(r.difference_ci_high, 0.1);
  // Nobody retained among the controls: no relative lift.
  r = loyalty::retention_lift(RetentionLiftCounts{10, 5, 20, 0});
  EXPECT_TRUE(std::isnan(r.relative_lift));
  EXPECT_NEAR(r.absolute_lift, 0.5, 1e-15);
  EXPECT_FALSE(std::isnan(r.p_value));
  // No control group: only the treated rate.
  r = loyalty::retention_lift(RetentionLiftCounts{10, 5, 0, 0});
  EXPECT_EQ(r.treated_rate, 0.5);
  EXPECT_TRUE(std::isnan(r.control_rate));
  EXPECT_TRUE(std::isnan(r.absolute_lift));
  EXPECT_TRUE(std::isnan(r.p_value));
}

TEST(RetentionLift, PValueTail) {
  EXPECT_EQ(loyalty::two_sided_normal_p_value(0), 1);
  // 2(1 - Phi(1.959963984540054)) = 0.05; 2(1 - Phi(10)) = erfc(10 / sqrt 2) = 1.5239706048321e-23 (Python).
  EXPECT_NEAR(loyalty::two_sided_normal_p_value(-1.959963984540054), 0.05, 1e-15);
  EXPECT_NEAR(loyalty::two_sided_normal_p_value(10) / 1.5239706048321e-23, 1, 1e-12);
}

TEST(RetentionLift, BadCounts) {
  EXPECT_THROW(loyalty::retention_lift(RetentionLiftCounts{10, 11, 5, 1}), std::invalid_argument);
  EXPECT_THROW(loyalty::retention_lift(RetentionLiftCounts{-1, 0, 5, 1}), std::invalid_argument);
  EXPECT_THROW(loyalty::retention_lift(RetentionLiftCounts{10, 1, 5, 1}, 1.5), std::invalid_argument);
}

}  // namespace
