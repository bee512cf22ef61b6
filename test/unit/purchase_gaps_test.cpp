// purchase_gaps: hand-computed signals and the least-squares slope against its textbook two-pass form.
#include "purchase_gaps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

TEST(PurchaseGaps, HandExample) {
  // Days 0, 10, 30, 60: gaps 10, 20, 30 (slope 10 per gap), mean 20, last 30; as_of 100: silent 40 days, 2
  // gaps.
  const int32_t days[] = {0, 10, 30, 60};
  const auto g = loyalty::purchase_gaps(days, 4, 100);
  EXPECT_EQ(g.purchase_days, 4);
  EXPECT_EQ(g.first_day, 0);
  EXPECT_EQ(g.last_day, 60);
  EXPECT_DOUBLE_EQ(g.mean_gap, 20);
  EXPECT_DOUBLE_EQ(g.last_gap, 30);
  EXPECT_DOUBLE_EQ(g.gap_trend, 10);
  EXPECT_EQ(g.days_since_last, 40);
  EXPECT_DOUBLE_EQ(g.silence_ratio, 2);
}

TEST(PurchaseGaps, FewDays) {
  const int32_t one[] = {7};
  auto g = loyalty::purchase_gaps(one, 1, 7);
  EXPECT_EQ(g.days_since_last, 0);
  EXPECT_TRUE(std::isnan(g.mean_gap));
  EXPECT_TRUE(std::isnan(g.last_gap));
  EXPECT_TRUE(std::isnan(g.gap_trend));
  EXPECT_TRUE(std::isnan(g.silence_ratio));
  const int32_t two[] = {7, 12};
  g = loyalty::purchase_gaps(two, 2, 22);
  EXPECT_DOUBLE_EQ(g.mean_gap, 5);
  EXPECT_DOUBLE_EQ(g.silence_ratio, 2);
  EXPECT_TRUE(std::isnan(g.gap_trend));  // one gap: no slope, as regr_slope of one point is NULL
}

TEST(PurchaseGaps, SlopeMatchesTwoPassLeastSquares) {
  std::mt19937 rng(12);
  std::uniform_int_distribution<int> step(1, 40);
  std::vector<int32_t> days{-500};
  for (int i = 0; i < 300; ++i) days.push_back(days.back() + step(rng));
  const auto g = loyalty::purchase_gaps(days.data(), days.size(), days.back() + 3);
  const double m = static_cast<double>(days.size() - 1);
  double mx = 0, my = 0;
  for (std::size_t i = 1; i < days.size(); ++i) {
    mx += static_cast<double>(i) / m;
    my += (days[i] - days[i - 1]) / m;
  }
  double sxy = 0, sxx = 0;
  for (std::size_t i = 1; i < days.size(); ++i) {
    sxy += (static_cast<double>(i) - mx) * ((days[i] - days[i - 1]) - my);
    sxx += (static_cast<double>(i) - mx) * (static_cast<double>(i) - mx);
  }
  EXPECT_NEAR(g.gap_trend, sxy / sxx, 1e-12);
}

TEST(PurchaseGaps, BadInput) {
  const int32_t unsorted[] = {3, 2};
  EXPECT_THROW(loyalty::purchase_gaps(unsorted, 2, 10), std::invalid_argument);
  const int32_t later[] = {3, 12};
  EXPECT_THROW(loyalty::purchase_gaps(later, 2, 10), std::invalid_argument);
  EXPECT_THROW(loyalty::purchase_gaps(later, 0, 10), std::invalid_argument);
}

}  // namespace
