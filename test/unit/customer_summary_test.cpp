#include "customer_summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "reference_data.hpp"

namespace {

using loyalty::OrderTotals;

// Days since 1970-01-01 of a Gregorian date (Hinnant's days_from_civil), an epoch independent of the code
// under test.
int32_t day_number(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// One customer's orders accumulated the way the aggregate's transition does: the same day as the last entry
// adds nothing to the list, a later day extends the normalised prefix, anything else goes to the tail, which
// is folded in when it grows too long.
class Customer {
 public:
  explicit Customer(int32_t as_of_day) : as_of_day_(as_of_day) {}
  void add(int32_t day, double amount) {
    loyalty::add_order(totals_, day, amount, as_of_day_);
    if (!days_.empty() && days_.back() == day) return;
    const bool extends_prefix = sorted_ == days_.size() && (days_.empty() || day > days_.back());
    days_.push_back(day);
    if (extends_prefix) sorted_ = days_.size();
    if (loyalty::days_need_normalizing(sorted_, days_.size())) normalize();
    max_size_ = std::max(max_size_, days_.size());
  }
  void normalize() {
    days_.resize(loyalty::normalize_days(days_.data(), sorted_, days_.size()));
    sorted_ = days_.size();
  }
  loyalty::CustomerSummary summary(double unit_days) {
    normalize();
    return loyalty::summarize_customer(days_.data(), days_.size(), totals_, as_of_day_, unit_days);
  }
  const std::vector<int32_t>& days() const { return days_; }
  const OrderTotals& totals() const { return totals_; }
  std::size_t max_size() const { return max_size_; }

 private:
  int32_t as_of_day_;
  OrderTotals totals_;
  std::vector<int32_t> days_;
  std::size_t sorted_ = 0;
  std::size_t max_size_ = 0;
};

TEST(NormalizeDays, SortsTheTailAndDropsRepeats) {
  std::vector<int32_t> days = {3, 5, 9, 5, 1, 9, 3, 12};
  const std::size_t n = loyalty::normalize_days(days.data(), 3, days.size());
  days.resize(n);
  EXPECT_EQ(days, (std::vector<int32_t>{1, 3, 5, 9, 12}));
  EXPECT_TRUE(loyalty::days_are_normalized(days.data(), n));
}

TEST(MergeDays, Union) {
  const std::vector<int32_t> a = {1, 4, 7};
  const std::vector<int32_t> b = {2, 4, 9};
  std::vector<int32_t> out(6);
  out.resize(loyalty::merge_days(a.data(), a.size(), b.data(), b.size(), out.data()));
  EXPECT_EQ(out, (std::vector<int32_t>{1, 2, 4, 7, 9}));
}

TEST(DaysAreNormalized, RejectsDisorderAndRepeats) {
  const std::vector<int32_t> unordered = {2, 1};
  const std::vector<int32_t> repeated = {1, 1};
  EXPECT_FALSE(loyalty::days_are_normalized(unordered.data(), 2));
  EXPECT_FALSE(loyalty::days_are_normalized(repeated.data(), 2));
  EXPECT_TRUE(loyalty::days_are_normalized(nullptr, 0));
}

TEST(OrderTotals, SplitAtTheAsOfDayAndTrackTheFirstDay) {
  OrderTotals t;
  loyalty::add_order(t, 10, 5.0, 20);
  loyalty::add_order(t, 8, 7.0, 20);
  loyalty::add_order(t, 8, 1.5, 20);
  loyalty::add_order(t, 20, 2.0, 20);  // the as_of day belongs to calibration
  loyalty::add_order(t, 21, 4.0, 20);
  EXPECT_EQ(t.orders, 4);
  EXPECT_EQ(t.revenue, 15.5);
  EXPECT_EQ(t.first_day, 8);
  EXPECT_EQ(t.first_day_revenue, 8.5);  // 7 + 1.5
  EXPECT_EQ(t.holdout_orders, 1);
  EXPECT_EQ(t.holdout_revenue, 4.0);
  EXPECT_TRUE(loyalty::order_totals_are_valid(t));

  // Combining equals adding the orders to one total, whichever half holds the first day.
  OrderTotals a, b, whole;
  const int32_t days[] = {12, 9, 9, 30, 15, 9};
  const double amounts[] = {1, 2, 4, 8, 16, 32};
  for (int i = 0; i < 6; ++i) {
    loyalty::add_order(i % 2 ? a : b, days[i], amounts[i], 20);
    loyalty::add_order(whole, days[i], amounts[i], 20);
  }
  loyalty::combine_order_totals(a, b);
  EXPECT_EQ(a.orders, whole.orders);
  EXPECT_EQ(a.revenue, whole.revenue);
  EXPECT_EQ(a.first_day, 9);
  EXPECT_EQ(a.first_day_revenue, 38.0);  // 2 + 4 + 32
  EXPECT_EQ(a.holdout_orders, 1);
  OrderTotals empty;
  loyalty::combine_order_totals(empty, OrderTotals{});
  EXPECT_EQ(empty.first_day, loyalty::kNoDay);
  EXPECT_TRUE(loyalty::order_totals_are_valid(empty));
}

TEST(OrderTotals, ValidityChecks) {
  OrderTotals t;
  t.orders = 1;  // calibration orders without a first day
  EXPECT_FALSE(loyalty::order_totals_are_valid(t));
  t.first_day = 3;
  EXPECT_TRUE(loyalty::order_totals_are_valid(t));
  t.revenue = std::nan("");
  EXPECT_FALSE(loyalty::order_totals_are_valid(t));
  t.revenue = 0;
  t.holdout_orders = -1;
  EXPECT_FALSE(loyalty::order_totals_are_valid(t));
}

TEST(Customer, RandomOrderMatchesASetAndStaysSmall) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> day(0, 499);
  Customer c(1000);
  std::set<int32_t> reference;
  for (int i = 0; i < 20000; ++i) {
    const int32_t d = day(rng);
    c.add(d, 1.0);
    reference.insert(d);
  }
  c.normalize();
  EXPECT_EQ(c.days(), std::vector<int32_t>(reference.begin(), reference.end()));
  // Memory grows with the distinct days (500), not with the 20000 orders: at most twice plus the minimum
  // tail.
  EXPECT_LE(c.max_size(), 2 * reference.size() + 17);
  EXPECT_EQ(c.totals().orders, 20000);
}

TEST(ParseTimeUnit, NamesAndLengths) {
  EXPECT_EQ(loyalty::parse_time_unit("day"), loyalty::TimeUnit::day);
  EXPECT_EQ(loyalty::parse_time_unit("Weeks"), loyalty::TimeUnit::week);
  EXPECT_EQ(loyalty::parse_time_unit("MONTH"), loyalty::TimeUnit::month);
  EXPECT_EQ(loyalty::time_unit_days(loyalty::TimeUnit::day), 1.0);
  EXPECT_EQ(loyalty::time_unit_days(loyalty::TimeUnit::week), 7.0);
  EXPECT_EQ(loyalty::time_unit_days(loyalty::TimeUnit::month), 30.4375);  // 365.25 / 12
  try {
    loyalty::parse_time_unit("fortnight");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("fortnight"), std::string::npos);
  }
}

TEST(SummarizeCustomer, CdnowCustomerOne) {
  // CDNOW_sample.txt, customer 1: 1997-01-01 29.33, 1997-01-18 29.73, 1997-08-02 14.96, 1997-12-12 26.48;
  // calibration ends 1997-09-30. cdnow_customers_summary_with_transactions.csv: x = 2, t_x = 30.43,
  // T = 38.86, zbar = 22.35. By hand: t_x = 213 days / 7, T = 272 days / 7, zbar = (29.73 + 14.96) / 2.
  Customer c(day_number(1997, 9, 30));
  c.add(day_number(1997, 12, 12), 26.48);
  c.add(day_number(1997, 1, 18), 29.73);
  c.add(day_number(1997, 1, 1), 29.33);
  c.add(day_number(1997, 8, 2), 14.96);
  const auto s = c.summary(7.0);
  EXPECT_TRUE(s.has_calibration);
  EXPECT_EQ(s.frequency, 2);
  EXPECT_DOUBLE_EQ(s.recency, 213.0 / 7.0);
  EXPECT_DOUBLE_EQ(s.t, 272.0 / 7.0);
  EXPECT_NEAR(s.monetary, (29.73 + 14.96) / 2.0, 1e-12);
  EXPECT_EQ(s.first_day, day_number(1997, 1, 1));
  EXPECT_EQ(s.last_day, day_number(1997, 8, 2));
  EXPECT_EQ(s.days_since_last, 59);  // 1997-08-02 to 1997-09-30: 29 + 30
  EXPECT_EQ(c.totals().orders, 3);
  EXPECT_NEAR(c.totals().revenue, 29.33 + 29.73 + 14.96, 1e-12);
  EXPECT_EQ(s.holdout_frequency, 1);
  EXPECT_DOUBLE_EQ(s.holdout_monetary, 26.48);
  EXPECT_EQ(c.totals().holdout_orders, 1);
}

TEST(SummarizeCustomer, OneDayOnlyHasNoRepeatsAndZeroMonetary) {
  Customer c(130);
  c.add(100, 50.0);
  c.add(100, 20.0);
  const auto s = c.summary(1.0);
  EXPECT_EQ(s.frequency, 0);
  EXPECT_EQ(s.recency, 0.0);
  EXPECT_EQ(s.t, 30.0);
  EXPECT_EQ(s.monetary, 0.0);  // lifetimes: 0 when there is no repeat purchase
  EXPECT_EQ(s.days_since_last, 30);
  EXPECT_EQ(s.holdout_frequency, 0);
  EXPECT_EQ(s.holdout_monetary, 0.0);
  EXPECT_EQ(c.totals().orders, 2);
}

TEST(SummarizeCustomer, SameDayAmountsFormOnePurchaseDay) {
  // Days 1 (10), 5 (40 + 20), 9 (30): repeat days 5 and 9 are worth 60 and 30, mean 45 (lifetimes sums the
  // amounts of a period before averaging).
  Customer c(10);
  c.add(5, 40.0);
  c.add(1, 10.0);
  c.add(9, 30.0);
  c.add(5, 20.0);
  const auto s = c.summary(1.0);
  EXPECT_EQ(s.frequency, 2);
  EXPECT_DOUBLE_EQ(s.monetary, 45.0);
}

TEST(SummarizeCustomer, FirstPurchaseOnTheAsOfDayGivesZeroT) {
  Customer c(100);
  c.add(100, 5.0);
  c.add(101, 7.0);
  const auto s = c.summary(7.0);
  EXPECT_TRUE(s.has_calibration);
  EXPECT_EQ(s.t, 0.0);
  EXPECT_EQ(s.days_since_last, 0);
  EXPECT_EQ(s.holdout_frequency, 1);
}

TEST(SummarizeCustomer, OnlyHoldoutDays) {
  Customer c(150);
  c.add(200, 5.0);
  c.add(210, 7.0);
  const auto s = c.summary(1.0);
  EXPECT_FALSE(s.has_calibration);
  EXPECT_EQ(s.holdout_frequency, 2);
  EXPECT_EQ(s.holdout_monetary, 6.0);  // (5 + 7) / 2
}

TEST(SummarizeCustomer, NegativeAmountsAreSummedAsGiven) {
  // A return on a repeat day lowers that day's value: (40 - 15) and 10 -> mean 17.5.
  Customer c(30);
  c.add(1, 20.0);
  c.add(5, 40.0);
  c.add(9, 10.0);
  c.add(5, -15.0);
  const auto s = c.summary(30.4375);
  EXPECT_EQ(s.frequency, 2);
  EXPECT_DOUBLE_EQ(s.monetary, 17.5);
  EXPECT_DOUBLE_EQ(s.recency, 8.0 / 30.4375);
  EXPECT_DOUBLE_EQ(s.t, 29.0 / 30.4375);
}

// The whole CDNOW sample: its weekly calibration summary (ending 1997-09-30) reproduces the two summary files
// shipped with it (values rounded to 2 decimals there).
TEST(SummarizeCustomer, CdnowSampleReproducesTheShippedSummaries) {
  LOYALTY_REQUIRE_REFERENCE_FILE(log_path, "cdnow/CDNOW_sample.txt");
  LOYALTY_REQUIRE_REFERENCE_FILE(summary_path, "cdnow/cdnow_customers_summary.csv");
  LOYALTY_REQUIRE_REFERENCE_FILE(zbar_path, "cdnow/cdnow_customers_summary_with_transactions.csv");
  const int32_t as_of = day_number(1997, 9, 30);
  std::map<int, Customer> customers;
  std::ifstream log(log_path);
  std::string master, sample;
  long yyyymmdd;
  int cds;
  double dollars;
  int rows = 0;
  while (log >> master >> sample >> yyyymmdd >> cds >> dollars) {
    customers.try_emplace(std::stoi(sample), as_of)
        .first->second.add(
            day_number(static_cast<int>(yyyymmdd / 10000), static_cast<int>(yyyymmdd / 100 % 100),
                       static_cast<int>(yyyymmdd % 100)),
            dollars);
    ++rows;
  }
  ASSERT_EQ(rows, 6919);
  ASSERT_EQ(customers.size(), 2357u);
  auto round2 = [](double x) { return std::round(x * 100.0) / 100.0; };

  std::ifstream summary(summary_path);
  std::string line;
  std::getline(summary, line);  // ID,frequency,recency,T
  int checked = 0;
  while (std::getline(summary, line)) {
    int id, frequency;
    double recency, t;
    ASSERT_EQ(std::sscanf(line.c_str(), "%d,%d,%lf,%lf", &id, &frequency, &recency, &t), 4) << line;
    const auto s = customers.at(id).summary(7.0);
    ASSERT_TRUE(s.has_calibration) << id;
    EXPECT_EQ(s.frequency, frequency) << id;
    EXPECT_NEAR(round2(s.recency), recency, 1e-9) << id;
    EXPECT_NEAR(round2(s.t), t, 1e-9) << id;
    ++checked;
  }
  EXPECT_EQ(checked, 2357);

  std::ifstream zbars(zbar_path);
  std::getline(zbars, line);  // ID,x,t_x,T,zbar
  checked = 0;
  while (std::getline(zbars, line)) {
    int id, x;
    double t_x, t, zbar;
    ASSERT_EQ(std::sscanf(line.c_str(), "%d,%d,%lf,%lf,%lf", &id, &x, &t_x, &t, &zbar), 5) << line;
    const auto s = customers.at(id).summary(7.0);
    // The file rounds half up (22.345 -> 22.35); the sums of cents carry binary noise, hence the tolerance.
    EXPECT_NEAR(s.monetary, zbar, 0.005 + 1e-9) << id;
    EXPECT_EQ(s.frequency, x) << id;
    ++checked;
  }
  EXPECT_EQ(checked, 2357);
}

}  // namespace
