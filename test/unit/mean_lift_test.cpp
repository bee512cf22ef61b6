// mean_lift: Welford/Chan moments and Welch's t-test against an independent computation.
//
// Reference figures: scipy 1.10.1 (Debian python3-scipy 1.10.1-2), run once by hand on 2026-12-02:
//   scipy.stats.ttest_ind(treated, control, equal_var=False) -> statistic 2.295069102756368,
//   pvalue 0.03446670222587311; numpy means and ddof=1 standard deviations; the Welch-Satterthwaite degrees
//   of freedom from those variances, 17.328475923804014; the intervals as difference -/+
//   scipy.stats.t.ppf(0.5 + level / 2, df) * se (scipy 1.10's ttest_ind has no confidence_interval yet).
// The same figures are asserted by sql/mean_lift.sql.
#include "mean_lift.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace {

using loyalty::MeanMoments;

const std::vector<double> kTreated = {23.5, 41.0, 18.25, 55.0, 37.8, 29.9,
                                      61.2, 44.4, 33.3,  27.0, 48.6, 39.1};
const std::vector<double> kControl = {21.0, 35.5, 19.9, 28.4, 41.2, 25.0, 30.3, 22.8, 33.7, 26.6};

MeanMoments moments_of(const std::vector<double>& values, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  MeanMoments m;
  for (std::size_t i = from; i < values.size() && i < to; ++i) loyalty::moments_add(m, values[i]);
  return m;
}

TEST(MeanLift, MatchesScipyWelch) {
  const auto r = loyalty::mean_lift(moments_of(kTreated), moments_of(kControl));
  EXPECT_NEAR(r.treated_sd, 12.78865723162048, 1e-12);
  EXPECT_NEAR(r.control_sd, 6.824009899693224, 1e-12);
  EXPECT_NEAR(r.difference, 9.814166666666665, 1e-12);
  EXPECT_NEAR(r.relative_difference, 0.3450832161275198, 1e-14);
  EXPECT_NEAR(r.t_statistic, 2.295069102756368, 1e-12);
  EXPECT_NEAR(r.degrees_of_freedom, 17.328475923804014, 1e-10);
  EXPECT_NEAR(r.p_value, 0.03446670222587311, 1e-13);
  EXPECT_NEAR(r.ci_low, 0.8051905288234629, 1e-10);
  EXPECT_NEAR(r.ci_high, 18.823142804509867, 1e-10);
  const auto r90 = loyalty::mean_lift(moments_of(kTreated), moments_of(kControl), 0.9);
  EXPECT_NEAR(r90.ci_low, 2.383370475164787, 1e-10);
  EXPECT_NEAR(r90.ci_high, 17.24496285816854, 1e-10);
}

TEST(MeanLift, CombinedPartsEqualTheWhole) {
  MeanMoments a = moments_of(kTreated, 0, 5), b = moments_of(kTreated, 5, 9), c = moments_of(kTreated, 9);
  loyalty::moments_combine(b, c);
  loyalty::moments_combine(a, b);
  const MeanMoments whole = moments_of(kTreated);
  EXPECT_EQ(a.n, whole.n);
  EXPECT_NEAR(a.mean, whole.mean, 1e-12);
  EXPECT_NEAR(a.m2, whole.m2, 1e-9);
  MeanMoments empty;
  loyalty::moments_combine(empty, whole);
  EXPECT_EQ(empty.m2, whole.m2);
}

TEST(MeanLift, UndefinedFiguresAreNaN) {
  // One value in the control group: no variance, so no test; the difference is known.
  auto r = loyalty::mean_lift(moments_of(kTreated), moments_of({30.0}));
  EXPECT_NEAR(r.difference, 38.25416666666667 - 30, 1e-12);
  EXPECT_TRUE(std::isnan(r.control_sd));
  EXPECT_TRUE(std::isnan(r.t_statistic));
  EXPECT_TRUE(std::isnan(r.p_value));
  EXPECT_TRUE(std::isnan(r.ci_low));
  // Constant groups: zero standard error, no test. A control mean of 0: no relative difference.
  r = loyalty::mean_lift(moments_of({5, 5, 5}), moments_of({0, 0}));
  EXPECT_EQ(r.difference, 5);
  EXPECT_TRUE(std::isnan(r.relative_difference));
  EXPECT_TRUE(std::isnan(r.t_statistic));
  // An empty group: no difference.
  r = loyalty::mean_lift(moments_of(kTreated), MeanMoments{});
  EXPECT_TRUE(std::isnan(r.difference));
}

TEST(MeanLift, BadInput) {
  EXPECT_THROW(loyalty::mean_lift(MeanMoments{1.5, 0, 0}, MeanMoments{}), std::invalid_argument);
  EXPECT_THROW(loyalty::mean_lift(MeanMoments{2, 1, -1}, MeanMoments{}), std::invalid_argument);
  EXPECT_THROW(loyalty::mean_lift(MeanMoments{0, 1, 0}, MeanMoments{}), std::invalid_argument);
  EXPECT_THROW(loyalty::mean_lift(moments_of(kTreated), moments_of(kControl), 1.0), std::invalid_argument);
}

}  // namespace

namespace {

TEST(MeanLift, LargeSamplesAndTinyPValues) {
  // 100,000 values a group, means about 4 apart with standard deviations about 17: t about 52, a p-value that
  // underflows; the degrees of freedom near 2n - 2.
  MeanMoments a, b;
  for (int i = 0; i < 100000; ++i) {
    loyalty::moments_add(a, 20 + (i % 60) + 4);
    loyalty::moments_add(b, 20 + ((i * 7) % 60));
  }
  const auto r = loyalty::mean_lift(a, b);
  EXPECT_NEAR(r.difference, 4, 0.01);  // 100,000 is not a multiple of 60: the two cycles end differently
  EXPECT_GT(r.t_statistic, 50);
  EXPECT_GE(r.p_value, 0);
  EXPECT_LT(r.p_value, 1e-300);
  EXPECT_NEAR(r.degrees_of_freedom, 199998, 10);
}

}  // namespace
