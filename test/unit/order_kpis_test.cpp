// order_kpis: the KPIs of hand-made totals, and the refusal of inconsistent ones.
#include "order_kpis.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace {

TEST(OrderKpis, HandExample) {
  // The example of sql/order_kpis.sql: customer 1 on days 0, 10, 30 (4 orders, contact 6.5833 days before),
  // customer 2 on day 4 (1 order, no contact), customer 3 on days 2 and 6 (2 orders, contact 2 days before).
  loyalty::OrderKpiTotals t;
  t.orders = 7;
  t.revenue = 205;
  const int64_t day_us = 86400000000LL;
  loyalty::add_customer(t, 0, 30, 3, true, 6 * day_us + 14 * 3600000000LL);
  loyalty::add_customer(t, 4, 4, 1, false, 0);
  loyalty::add_customer(t, 2, 6, 2, true, 2 * day_us);
  const loyalty::OrderKpis k = loyalty::order_kpis(t);
  EXPECT_EQ(k.customers, 3);
  EXPECT_EQ(k.orders, 7);
  EXPECT_DOUBLE_EQ(k.aov, 205.0 / 7);
  EXPECT_DOUBLE_EQ(k.arpu, 205.0 / 3);
  EXPECT_DOUBLE_EQ(k.orders_per_customer, 7.0 / 3);
  EXPECT_EQ(k.repeat_customers, 2);
  EXPECT_DOUBLE_EQ(k.repeat_purchase_rate, 2.0 / 3);
  EXPECT_EQ(k.purchase_days, 6);
  EXPECT_DOUBLE_EQ(k.mean_days_between_purchases, 34.0 / 3);
  EXPECT_EQ(k.contact_customers, 2);
  EXPECT_DOUBLE_EQ(k.mean_days_to_first_purchase, (6 + 14.0 / 24 + 2) / 2);
}

TEST(OrderKpis, NoGapNoContactNoCustomer) {
  loyalty::OrderKpiTotals t;
  t.orders = 2;
  t.revenue = 30;
  loyalty::add_customer(t, 5, 5, 1, false, 0);
  loyalty::add_customer(t, 9, 9, 1, false, 0);
  auto k = loyalty::order_kpis(t);
  EXPECT_EQ(k.repeat_customers, 0);
  EXPECT_EQ(k.repeat_purchase_rate, 0);
  EXPECT_TRUE(std::isnan(k.mean_days_between_purchases));
  EXPECT_TRUE(std::isnan(k.mean_days_to_first_purchase));
  k = loyalty::order_kpis(loyalty::OrderKpiTotals{});
  EXPECT_TRUE(std::isnan(k.aov));
  EXPECT_TRUE(std::isnan(k.arpu));
}

TEST(OrderKpis, ContactSumIsExactForLargeTotals) {
  // 10^6 customers each a year after first contact: the microsecond total (3.2e19) exceeds int64 but not the
  // 128-bit sum; the mean is exactly 365 days.
  loyalty::OrderKpiTotals t;
  t.orders = 1000000;
  for (int i = 0; i < 1000000; ++i) loyalty::add_customer(t, i, i, 1, true, 365 * 86400000000LL);
  EXPECT_EQ(loyalty::order_kpis(t).mean_days_to_first_purchase, 365.0);
}

TEST(OrderKpis, InconsistentTotalsAreRefused) {
  loyalty::OrderKpiTotals t;
  t.orders = 1;
  loyalty::add_customer(t, 0, 10, 2, false, 0);  // two purchase days but one order
  EXPECT_THROW(loyalty::order_kpis(t), std::invalid_argument);
  loyalty::OrderKpiTotals u;
  u.orders = 3;
  u.revenue = std::nan("");
  loyalty::add_customer(u, 0, 0, 1, false, 0);
  EXPECT_THROW(loyalty::order_kpis(u), std::invalid_argument);
}

}  // namespace
