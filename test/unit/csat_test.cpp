#include "csat.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

TEST(Csat, TopTwoBoxesOnTheDefaultScale) {
  EXPECT_TRUE(loyalty::csat_is_satisfied(5, 5));
  EXPECT_TRUE(loyalty::csat_is_satisfied(4, 5));
  EXPECT_FALSE(loyalty::csat_is_satisfied(3, 5));
  EXPECT_FALSE(loyalty::csat_is_satisfied(1, 5));
}

TEST(Csat, TopTwoBoxesOnOtherScales) {
  EXPECT_TRUE(loyalty::csat_is_satisfied(6, 7));
  EXPECT_FALSE(loyalty::csat_is_satisfied(5, 7));
  EXPECT_TRUE(loyalty::csat_is_satisfied(2, 3));
  EXPECT_FALSE(loyalty::csat_is_satisfied(1, 3));
}

TEST(Csat, WorkedExample) {
  // Ratings 5/4/3/2/1 with counts 10/20/10/5/5: 30 of 50 satisfied = 60% (closed form).
  double satisfied = 0, respondents = 0;
  const int counts[] = {5, 5, 10, 20, 10};  // ratings 1..5
  for (int rating = 1; rating <= 5; ++rating)
    for (int i = 0; i < counts[rating - 1]; ++i) {
      satisfied += loyalty::csat_is_satisfied(rating, 5);
      respondents += 1;
    }
  EXPECT_DOUBLE_EQ(loyalty::csat_percent(satisfied, respondents), 60.0);
}

TEST(Csat, BadInputThrows) {
  EXPECT_THROW(loyalty::csat_is_satisfied(0, 5), std::out_of_range);
  EXPECT_THROW(loyalty::csat_is_satisfied(6, 5), std::out_of_range);
  EXPECT_THROW(loyalty::validate_csat_scale(2), std::invalid_argument);
  EXPECT_NO_THROW(loyalty::validate_csat_scale(3));
}

}  // namespace
