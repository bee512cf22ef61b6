// customer_state: orders in random order, late ones included, give the summary of a full recomputation
// (summarize_customer over the sorted distinct days); merged partial states give the same.
#include "customer_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

using loyalty::CustomerStateFixed;

struct Order {
  int32_t day;
  double amount;
};

// A state built by adding `orders` one at a time, its bitmap in a vector.
struct Built {
  CustomerStateFixed fixed;
  std::vector<std::uint8_t> bits;
};

Built build(const std::vector<Order>& orders) {
  Built b;
  for (const Order& o : orders) {
    std::vector<std::uint8_t> out(loyalty::state_bitmap_bytes_after(b.fixed, o.day));
    loyalty::state_add_order(b.fixed, b.bits.data(), out.data(), o.day, o.day * 1000LL, o.amount);
    b.bits = out;
  }
  return b;
}

loyalty::CustomerSummary recompute(const std::vector<Order>& orders, int32_t as_of_day) {
  std::vector<int32_t> days;
  loyalty::OrderTotals totals;
  for (const Order& o : orders) {
    days.push_back(o.day);
    loyalty::add_order(totals, o.day, o.amount, as_of_day);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return loyalty::summarize_customer(days.data(), days.size(), totals, as_of_day, 1);
}

void expect_same(const loyalty::CustomerSummary& a, const loyalty::CustomerSummary& b) {
  EXPECT_EQ(a.frequency, b.frequency);
  EXPECT_EQ(a.recency, b.recency);
  EXPECT_EQ(a.t, b.t);
  EXPECT_EQ(a.days_since_last, b.days_since_last);
  EXPECT_NEAR(a.monetary, b.monetary, 1e-9 * (1 + std::abs(b.monetary)));
}

TEST(CustomerState, LateOrdersGiveTheRecomputedSummary) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::uniform_int_distribution<int> day(1000, 1000 + 1 + trial * 5);
    std::uniform_int_distribution<int> cents(-500, 20000);
    std::vector<Order> orders;
    const int n = 1 + trial % 40;
    for (int i = 0; i < n; ++i) orders.push_back({day(rng), cents(rng) / 100.0});
    const Built b = build(orders);  // the orders in random order: many are late
    ASSERT_TRUE(loyalty::state_is_valid(b.fixed, b.bits.data(), b.bits.size()));
    const int32_t as_of = b.fixed.last_day + trial % 9;
    expect_same(loyalty::state_summary(b.fixed, as_of, 1), recompute(orders, as_of));
    EXPECT_EQ(b.fixed.orders, n);
    // Split in two at random and merged: the same.
    const std::size_t cut = static_cast<std::size_t>(trial) % orders.size();
    Built left = build({orders.begin(), orders.begin() + cut});
    const Built right = build({orders.begin() + cut, orders.end()});
    std::vector<std::uint8_t> out(loyalty::state_bitmap_bytes_merged(left.fixed, right.fixed));
    loyalty::state_merge(left.fixed, left.bits.data(), right.fixed, right.bits.data(), out.data());
    ASSERT_TRUE(loyalty::state_is_valid(left.fixed, out.data(), out.size()));
    expect_same(loyalty::state_summary(left.fixed, as_of, 1), recompute(orders, as_of));
  }
}

TEST(CustomerState, HandExample) {
  // Days 10 (20), 30 (5), then late: 20 (7), 10 (3), 5 (11): five orders, purchase days 5, 10, 20, 30.
  const Built b = build({{10, 20}, {30, 5}, {20, 7}, {10, 3}, {5, 11}});
  EXPECT_EQ(b.fixed.purchase_days, 4);
  EXPECT_EQ(b.fixed.first_day, 5);
  EXPECT_EQ(b.fixed.first_day_revenue, 11);
  EXPECT_EQ(b.bits.size(), 4u);  // 26 days
  const auto s = loyalty::state_summary(b.fixed, 40, 7);
  EXPECT_EQ(s.frequency, 3);
  EXPECT_DOUBLE_EQ(s.recency, 25.0 / 7);
  EXPECT_DOUBLE_EQ(s.t, 35.0 / 7);
  EXPECT_DOUBLE_EQ(s.monetary, (46.0 - 11) / 3);
  EXPECT_EQ(s.days_since_last, 10);
}

TEST(CustomerState, Limits) {
  Built b = build({{0, 1}});
  EXPECT_THROW(loyalty::state_bitmap_bytes_after(b.fixed, loyalty::kMaxStateSpanDays), std::length_error);
  EXPECT_EQ(loyalty::state_bitmap_bytes_after(b.fixed, loyalty::kMaxStateSpanDays - 1), 4575u);
  EXPECT_THROW(loyalty::state_summary(b.fixed, -1, 1), std::invalid_argument);
  std::vector<std::uint8_t> out(1);
  EXPECT_THROW(loyalty::state_add_order(b.fixed, b.bits.data(), out.data(), 0, 0, std::nan("")),
               std::invalid_argument);
  // A bitmap that disagrees with its count is invalid.
  b.fixed.purchase_days = 2;
  EXPECT_FALSE(loyalty::state_is_valid(b.fixed, b.bits.data(), b.bits.size()));
}

}  // namespace
