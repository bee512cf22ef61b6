#include "nps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace {

TEST(NpsCategory, BoundariesFollowTheDefinition) {
  // Reichheld (2003): 0-6 detractors, 7-8 passives, 9-10 promoters.
  for (int s = 0; s <= 6; ++s) EXPECT_EQ(loyalty::nps_category(s), loyalty::kNpsDetractor) << s;
  EXPECT_EQ(loyalty::nps_category(7), loyalty::kNpsPassive);
  EXPECT_EQ(loyalty::nps_category(8), loyalty::kNpsPassive);
  EXPECT_EQ(loyalty::nps_category(9), loyalty::kNpsPromoter);
  EXPECT_EQ(loyalty::nps_category(10), loyalty::kNpsPromoter);
}

TEST(NpsCategory, OutOfRangeScoreThrowsNamingIt) {
  try {
    loyalty::nps_category(11);
    FAIL();
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("11"), std::string::npos);
  }
  EXPECT_THROW(loyalty::nps_category(-1), std::out_of_range);
}

TEST(NetPromoterScore, WorkedExample) {
  // p = 1/2, d = 1/6, n = 324: NPS = 100 (1/2 - 1/6) = 33.33 (closed form).
  loyalty::NpsCounts c{162, 108, 54};
  EXPECT_NEAR(loyalty::net_promoter_score(c), 100.0 / 3.0, 1e-12);
}

TEST(SummarizeNps, WorkedExampleStandardErrorAndMargin) {
  // Worked example of the NPS-confidence literature: n = 324, p = 1/2, d = 1/6 gives SE 4.14, margin +-8.1.
  // Closed form: var = p + d - (p - d)^2 = 5/9; SE = 100 sqrt(5/9/324) = 4.1408; z(0.975) = 1.959964.
  loyalty::NpsCounts c{162, 108, 54};
  loyalty::NpsSummary s = loyalty::summarize_nps(c, 0.95);
  EXPECT_NEAR(s.std_error, 100 * std::sqrt(5.0 / 9.0 / 324.0), 1e-12);
  EXPECT_NEAR(s.std_error, 4.14, 0.005);
  EXPECT_NEAR(s.nps - s.ci_low, 8.1, 0.05);
  EXPECT_NEAR(s.ci_high - s.nps, 1.959963984540054 * s.std_error, 1e-9);
}

TEST(SummarizeNps, IntervalIsClippedToTheScoreRange) {
  // 9 promoters, 1 detractor: NPS 80, SE = 100 sqrt((0.9 + 0.1 - 0.64)/10) = 18.97; 80 + 1.96*18.97 > 100.
  loyalty::NpsSummary s = loyalty::summarize_nps({9, 0, 1}, 0.95);
  EXPECT_NEAR(s.nps, 80, 1e-12);
  EXPECT_DOUBLE_EQ(s.ci_high, 100);
  EXPECT_NEAR(s.ci_low, 80 - 1.959963984540054 * 100 * std::sqrt(0.36 / 10), 1e-9);
}

TEST(SummarizeNps, UnanimousAnswersHaveNoSpread) {
  loyalty::NpsSummary s = loyalty::summarize_nps({0, 5, 0}, 0.95);
  EXPECT_EQ(s.nps, 0);
  EXPECT_EQ(s.std_error, 0);
  EXPECT_EQ(s.ci_low, 0);
  EXPECT_EQ(s.ci_high, 0);
}

TEST(SummarizeNps, RejectsConfidenceOutsideTheOpenUnitInterval) {
  EXPECT_THROW(loyalty::summarize_nps({1, 1, 1}, 1.0), std::invalid_argument);
  EXPECT_THROW(loyalty::summarize_nps({1, 1, 1}, 0.0), std::invalid_argument);
  EXPECT_THROW(loyalty::summarize_nps({1, 1, 1}, std::nan("")), std::invalid_argument);
}

}  // namespace
