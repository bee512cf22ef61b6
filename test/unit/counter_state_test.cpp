#include "counter_state.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace {

const double kUnset = std::nan("");

TEST(CounterState, CombineAddsCountersAndKeepsParameters) {
  double a[] = {1, 2, 3, 0.9};
  const double b[] = {10, 20, 30, 0.9};
  loyalty::counter_state_combine(a, b, 3, 1, "level");
  EXPECT_EQ(a[0], 11);
  EXPECT_EQ(a[1], 22);
  EXPECT_EQ(a[2], 33);
  EXPECT_EQ(a[3], 0.9);
}

TEST(CounterState, CombineTakesAParameterFromTheOtherSideWhenUnset) {
  double a[] = {0, 0, kUnset};
  const double b[] = {1, 1, 7};
  loyalty::counter_state_combine(a, b, 2, 1, "scale");
  EXPECT_EQ(a[2], 7);
  const double empty[] = {0, 0, kUnset};
  loyalty::counter_state_combine(a, empty, 2, 1, "scale");
  EXPECT_EQ(a[2], 7);
}

TEST(CounterState, DisagreeingParametersThrow) {
  double a[] = {1, 1, 5};
  const double b[] = {1, 1, 7};
  EXPECT_THROW(loyalty::counter_state_combine(a, b, 2, 1, "scale"), std::invalid_argument);
  EXPECT_THROW(loyalty::counter_state_set_parameter(&a[2], 6, "scale"), std::invalid_argument);
}

TEST(CounterState, ValidityRequiresNonNegativeWholeCounts) {
  const double good[] = {0, 3, 1e15};
  const double negative[] = {0, -1, 0};
  const double fractional[] = {0.5, 0, 0};
  const double infinite[] = {INFINITY, 0, 0};
  const double not_a_number[] = {kUnset, 0, 0};
  EXPECT_TRUE(loyalty::counter_state_is_valid(good, 3));
  EXPECT_FALSE(loyalty::counter_state_is_valid(negative, 3));
  EXPECT_FALSE(loyalty::counter_state_is_valid(fractional, 3));
  EXPECT_FALSE(loyalty::counter_state_is_valid(infinite, 3));
  EXPECT_FALSE(loyalty::counter_state_is_valid(not_a_number, 3));
}

}  // namespace
