#include "rfm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using loyalty::RfmOrder;
using loyalty::RfmSegment;

// The rule written directly (independent of breakpoints): 1 + floor(k * below / n), below = number of values
// strictly worse.
int rank_rule_score(const std::vector<double>& values, double x, int k, RfmOrder order) {
  long below = 0;
  for (double v : values) below += order == RfmOrder::higher_is_better ? v < x : v > x;
  return 1 + static_cast<int>(k * below / static_cast<long>(values.size()));
}

TEST(RfmBreakpoints, TenDistinctValuesInFiveBuckets) {
  // n = 10, k = 5: m_j = ceil(2 j) = 2, 4, 6, 8, so b = v(2), v(4), v(6), v(8) = 2, 4, 6, 8 and the scores of
  // 1..10 are 1,1,2,2,3,3,4,4,5,5 (two per bucket, as 1 + floor(5 (rank - 1) / 10) gives by hand).
  std::vector<double> values = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
  const auto b = loyalty::rfm_dimension_breakpoints(values, 5, RfmOrder::higher_is_better);
  EXPECT_EQ(b, (std::vector<double>{2, 4, 6, 8}));
  const int expected[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
  for (int x = 1; x <= 10; ++x)
    EXPECT_EQ(loyalty::rfm_dimension_score(x, b.data(), 4, RfmOrder::higher_is_better), expected[x - 1]) << x;
  // Lower is better (days since the last purchase): 1 is the best, b = 9, 7, 5, 3 (m_j-th largest).
  std::vector<double> days = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
  const auto r = loyalty::rfm_dimension_breakpoints(days, 5, RfmOrder::lower_is_better);
  EXPECT_EQ(r, (std::vector<double>{9, 7, 5, 3}));
  for (int x = 1; x <= 10; ++x)
    EXPECT_EQ(loyalty::rfm_dimension_score(x, r.data(), 4, RfmOrder::lower_is_better), expected[10 - x]) << x;
}

TEST(RfmBreakpoints, TiesShareTheLowerScore) {
  // Six zeros and four ones among 10 values: the ones beat 6 values, 1 + floor(5 * 6 / 10) = 4; the zeros
  // beat none: 1. No 5 is given, and no tie is split (ntile(5) would give the zeros 1,1,2,2,3,3).
  std::vector<double> values = {0, 1, 0, 0, 1, 0, 1, 0, 0, 1};
  const auto b = loyalty::rfm_dimension_breakpoints(values, 5, RfmOrder::higher_is_better);
  EXPECT_EQ(loyalty::rfm_dimension_score(0, b.data(), 4, RfmOrder::higher_is_better), 1);
  EXPECT_EQ(loyalty::rfm_dimension_score(1, b.data(), 4, RfmOrder::higher_is_better), 4);
  // All equal: everybody 1.
  std::vector<double> same(7, 3.5);
  const auto c = loyalty::rfm_dimension_breakpoints(same, 5, RfmOrder::lower_is_better);
  EXPECT_EQ(loyalty::rfm_dimension_score(3.5, c.data(), 4, RfmOrder::lower_is_better), 1);
}

TEST(RfmBreakpoints, AgreeWithTheRankRuleOnRandomData) {
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 60);
    const int k = 2 + static_cast<int>(rng() % 8);
    const int distinct = 1 + static_cast<int>(rng() % 25);  // few distinct values: many ties
    std::vector<double> values(static_cast<std::size_t>(n));
    for (double& v : values) v = static_cast<double>(rng() % static_cast<unsigned>(distinct)) - 5;
    for (RfmOrder order : {RfmOrder::higher_is_better, RfmOrder::lower_is_better}) {
      std::vector<double> work(values);
      const auto b = loyalty::rfm_dimension_breakpoints(work, k, order);
      ASSERT_EQ(static_cast<int>(b.size()), k - 1);
      for (double x : values)
        ASSERT_EQ(loyalty::rfm_dimension_score(x, b.data(), k - 1, order),
                  rank_rule_score(values, x, k, order))
            << "n=" << n << " k=" << k << " x=" << x;
    }
  }
}

TEST(RfmScoreAll, EqualsScalarScoringAgainstTheBreakpoints) {
  std::mt19937 rng(11);
  const std::size_t n = 5000;
  std::vector<double> d(n), f(n), m(n);
  for (std::size_t i = 0; i < n; ++i) {
    d[i] = static_cast<double>(rng() % 400);
    f[i] = static_cast<double>(rng() % 12);
    m[i] = std::round(std::exp(3.0 + 0.8 * std::normal_distribution<double>()(rng)) * 100) / 100;
  }
  std::vector<loyalty::RfmScore> scores(n);
  int checks = 0;
  loyalty::rfm_score_all(d.data(), f.data(), m.data(), n, 5, scores.data(), [&] { ++checks; });
  EXPECT_GT(checks, 0);
  const auto b = loyalty::rfm_breakpoints(d.data(), f.data(), m.data(), n, 5, {});
  EXPECT_EQ(b.customers, 5000);
  EXPECT_NO_THROW(loyalty::validate_rfm_breakpoints(b));
  std::array<int, 6> r_count{};
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = loyalty::rfm_score(d[i], f[i], m[i], b);
    ASSERT_EQ(s.r, scores[i].r);
    ASSERT_EQ(s.f, scores[i].f);
    ASSERT_EQ(s.m, scores[i].m);
    ASSERT_EQ(s.r, rank_rule_score(d, d[i], 5, RfmOrder::lower_is_better));
    ++r_count[static_cast<std::size_t>(s.r)];
  }
  // 400 possible days: ties are small, so each R bucket holds about n / 5 = 1000 customers.
  for (int s = 1; s <= 5; ++s) EXPECT_NEAR(r_count[static_cast<std::size_t>(s)], 1000, 30) << s;
}

TEST(RfmBreakpoints, ValidationNamesTheProblem) {
  loyalty::RfmBreakpoints b;
  b.buckets = 3;
  b.recency = {30, 10};
  b.frequency = {1, 2};
  b.monetary = {10, 20};
  EXPECT_NO_THROW(loyalty::validate_rfm_breakpoints(b));
  b.recency = {10, 30};
  EXPECT_THROW(loyalty::validate_rfm_breakpoints(b), std::invalid_argument);  // recency must not increase
  b.recency = {30, 10};
  b.monetary = {10};
  EXPECT_THROW(loyalty::validate_rfm_breakpoints(b), std::invalid_argument);  // wrong length
  b.monetary = {10, std::nan("")};
  EXPECT_THROW(loyalty::validate_rfm_breakpoints(b), std::invalid_argument);
  b.monetary = {10, 20};
  b.buckets = 10;
  EXPECT_THROW(loyalty::validate_rfm_breakpoints(b), std::invalid_argument);
  EXPECT_THROW(loyalty::validate_rfm_buckets(1), std::invalid_argument);
  std::vector<double> empty;
  EXPECT_THROW(loyalty::rfm_dimension_breakpoints(empty, 5, RfmOrder::higher_is_better),
               std::invalid_argument);
}

TEST(RfmCode, OneDigitPerScore) {
  EXPECT_EQ(loyalty::rfm_code({5, 4, 5}), "545");
  EXPECT_EQ(loyalty::rfm_code({1, 9, 2}), "192");
}

TEST(RfmSegment, EveryCodeInExactlyOneSegment) {
  // Sizes of the standard map's lists (Champions 7, Loyal 8, Potential Loyalist 24, New Customers 7,
  // Promising 16, Need Attention 8, About To Sleep 8, At Risk 22, Cannot Lose Them 8, Hibernating 11, Lost
  // 6), counted from the published table; they add up to 125 = 5^3.
  const int expected_sizes[loyalty::kRfmSegments] = {7, 8, 24, 7, 16, 8, 8, 22, 8, 11, 6};
  int sizes[loyalty::kRfmSegments] = {};
  for (int r = 1; r <= 5; ++r)
    for (int f = 1; f <= 5; ++f)
      for (int m = 1; m <= 5; ++m) ++sizes[static_cast<int>(loyalty::rfm_segment(r, f, m))];
  for (int s = 0; s < loyalty::kRfmSegments; ++s) EXPECT_EQ(sizes[s], expected_sizes[s]) << s;
}

TEST(RfmSegment, KnownCodesAndNames) {
  EXPECT_STREQ(loyalty::rfm_segment_name(loyalty::rfm_segment(5, 5, 5)), "Champions");
  EXPECT_STREQ(loyalty::rfm_segment_name(loyalty::rfm_segment(1, 1, 1)), "Lost");
  EXPECT_STREQ(loyalty::rfm_segment_name(loyalty::rfm_segment(1, 5, 5)), "Cannot Lose Them");
  EXPECT_STREQ(loyalty::rfm_segment_name(loyalty::rfm_segment(5, 1, 1)), "New Customers");
  EXPECT_STREQ(loyalty::rfm_segment_name(loyalty::rfm_segment("333")), "Potential Loyalist");
  EXPECT_STREQ(loyalty::rfm_segment_name(loyalty::rfm_segment("255")), "At Risk");
  EXPECT_STREQ(loyalty::rfm_segment_name(RfmSegment::about_to_sleep), "About To Sleep");
}

TEST(RfmSegment, BadScoresAndCodes) {
  EXPECT_THROW(loyalty::rfm_segment(0, 3, 3), std::out_of_range);
  EXPECT_THROW(loyalty::rfm_segment(3, 6, 3), std::out_of_range);
  EXPECT_THROW(loyalty::rfm_segment("605"), std::out_of_range);
  EXPECT_THROW(loyalty::rfm_segment("55"), std::invalid_argument);
  EXPECT_THROW(loyalty::rfm_segment("5a5"), std::invalid_argument);
  try {
    loyalty::rfm_segment(3, 3, 7);
    FAIL();
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("7"), std::string::npos);
  }
}

}  // namespace
