#include "customer_summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "reference_data.hpp"

namespace {

using loyalty::DayAmount;

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

// Appends orders the way the aggregate's transition does: same day as the last entry adds to it, a later day
// extends the normalised prefix, anything else goes to the tail, which is folded in when it grows too long.
class DayList {
 public:
  void add(int32_t day, double amount) {
    if (!days_.empty() && days_.back().day == day) {
      days_.back().amount += amount;
      return;
    }
    const bool extends_prefix = sorted_ == days_.size() && (days_.empty() || day > days_.back().day);
    days_.push_back({day, amount});
    if (extends_prefix) sorted_ = days_.size();
    if (loyalty::day_amounts_need_normalizing(sorted_, days_.size())) normalize();
    max_size_ = std::max(max_size_, days_.size());
  }
  void normalize() {
    days_.resize(loyalty::normalize_day_amounts(days_.data(), sorted_, days_.size()));
    sorted_ = days_.size();
  }
  const std::vector<DayAmount>& days() const { return days_; }
  std::size_t max_size() const { return max_size_; }

 private:
  std::vector<DayAmount> days_;
  std::size_t sorted_ = 0;
  std::size_t max_size_ = 0;
};

TEST(NormalizeDayAmounts, SortsAndSumsEachDay) {
  std::vector<DayAmount> days = {{3, 1.0}, {5, 2.0}, {9, 4.0}, {5, 8.0}, {1, 16.0}, {9, 32.0}, {3, 64.0}};
  const std::size_t n = loyalty::normalize_day_amounts(days.data(), 3, days.size());
  ASSERT_EQ(n, 4u);
  // By hand: day 1: 16; day 3: 1 + 64; day 5: 2 + 8; day 9: 4 + 32.
  EXPECT_EQ(days[0].day, 1);
  EXPECT_EQ(days[0].amount, 16.0);
  EXPECT_EQ(days[1].day, 3);
  EXPECT_EQ(days[1].amount, 65.0);
  EXPECT_EQ(days[2].day, 5);
  EXPECT_EQ(days[2].amount, 10.0);
  EXPECT_EQ(days[3].day, 9);
  EXPECT_EQ(days[3].amount, 36.0);
  EXPECT_TRUE(loyalty::day_amounts_are_normalized(days.data(), n));
}

TEST(MergeDayAmounts, UnionWithSameDaysSummed) {
  const std::vector<DayAmount> a = {{1, 1.0}, {4, 2.0}, {7, 4.0}};
  const std::vector<DayAmount> b = {{2, 8.0}, {4, 16.0}, {9, 32.0}};
  std::vector<DayAmount> out(6);
  const std::size_t n = loyalty::merge_day_amounts(a.data(), a.size(), b.data(), b.size(), out.data());
  ASSERT_EQ(n, 5u);
  const int32_t expected_days[] = {1, 2, 4, 7, 9};
  const double expected_amounts[] = {1, 8, 18, 4, 32};  // day 4: 2 + 16
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(out[i].day, expected_days[i]);
    EXPECT_EQ(out[i].amount, expected_amounts[i]);
  }
}

TEST(DayAmountsAreNormalized, RejectsDisorderDuplicatesAndNonFinite) {
  const std::vector<DayAmount> unordered = {{2, 1.0}, {1, 1.0}};
  const std::vector<DayAmount> duplicate = {{1, 1.0}, {1, 1.0}};
  const std::vector<DayAmount> nan = {{1, std::nan("")}};
  EXPECT_FALSE(loyalty::day_amounts_are_normalized(unordered.data(), 2));
  EXPECT_FALSE(loyalty::day_amounts_are_normalized(duplicate.data(), 2));
  EXPECT_FALSE(loyalty::day_amounts_are_normalized(nan.data(), 1));
  EXPECT_TRUE(loyalty::day_amounts_are_normalized(nullptr, 0));
}

TEST(DayList, RandomOrderMatchesAMapAndStaysSmall) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> day(0, 499);
  DayList list;
  std::map<int32_t, double> reference;
  for (int i = 0; i < 20000; ++i) {
    const int32_t d = day(rng);
    const double amount = (i % 13) - 3;  // whole numbers: sums are exact in any order
    list.add(d, amount);
    reference[d] += amount;
  }
  list.normalize();
  ASSERT_EQ(list.days().size(), reference.size());
  std::size_t i = 0;
  for (const auto& [d, total] : reference) {
    EXPECT_EQ(list.days()[i].day, d);
    EXPECT_EQ(list.days()[i].amount, total);
    ++i;
  }
  // Memory grows with the distinct days (500), not with the 20000 orders: at most twice plus the minimum
  // tail.
  EXPECT_LE(list.max_size(), 2 * reference.size() + 17);
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

TEST(SummarizeDayAmounts, CdnowCustomerOne) {
  // CDNOW_sample.txt, customer 1: 1997-01-01 29.33, 1997-01-18 29.73, 1997-08-02 14.96, 1997-12-12 26.48;
  // calibration ends 1997-09-30. cdnow_customers_summary_with_transactions.csv: x = 2, t_x = 30.43,
  // T = 38.86, zbar = 22.35. By hand: t_x = 213 days / 7, T = 272 days / 7, zbar = (29.73 + 14.96) / 2.
  const std::vector<DayAmount> days = {{day_number(1997, 1, 1), 29.33},
                                       {day_number(1997, 1, 18), 29.73},
                                       {day_number(1997, 8, 2), 14.96},
                                       {day_number(1997, 12, 12), 26.48}};
  const auto s = loyalty::summarize_day_amounts(days.data(), days.size(), day_number(1997, 9, 30), 7.0);
  EXPECT_TRUE(s.has_calibration);
  EXPECT_EQ(s.frequency, 2);
  EXPECT_DOUBLE_EQ(s.recency, 213.0 / 7.0);
  EXPECT_DOUBLE_EQ(s.t, 272.0 / 7.0);
  EXPECT_DOUBLE_EQ(s.monetary, (29.73 + 14.96) / 2.0);
  EXPECT_EQ(s.first_day, day_number(1997, 1, 1));
  EXPECT_EQ(s.last_day, day_number(1997, 8, 2));
  EXPECT_EQ(s.days_since_last, 59);  // 1997-08-02 to 1997-09-30: 29 + 30
  EXPECT_EQ(s.holdout_frequency, 1);
  EXPECT_DOUBLE_EQ(s.holdout_monetary, 26.48);
}

TEST(SummarizeDayAmounts, OneDayOnlyHasNoRepeatsAndZeroMonetary) {
  const std::vector<DayAmount> days = {{100, 50.0}};
  const auto s = loyalty::summarize_day_amounts(days.data(), 1, 130, 1.0);
  EXPECT_EQ(s.frequency, 0);
  EXPECT_EQ(s.recency, 0.0);
  EXPECT_EQ(s.t, 30.0);
  EXPECT_EQ(s.monetary, 0.0);  // lifetimes: 0 when there is no repeat purchase
  EXPECT_EQ(s.days_since_last, 30);
  EXPECT_EQ(s.holdout_frequency, 0);
  EXPECT_EQ(s.holdout_monetary, 0.0);
}

TEST(SummarizeDayAmounts, FirstPurchaseOnTheAsOfDayGivesZeroT) {
  const std::vector<DayAmount> days = {{100, 5.0}, {101, 7.0}};
  const auto s = loyalty::summarize_day_amounts(days.data(), 2, 100, 7.0);
  EXPECT_TRUE(s.has_calibration);
  EXPECT_EQ(s.t, 0.0);
  EXPECT_EQ(s.days_since_last, 0);
  EXPECT_EQ(s.holdout_frequency, 1);
}

TEST(SummarizeDayAmounts, OnlyHoldoutDays) {
  const std::vector<DayAmount> days = {{200, 5.0}, {210, 7.0}};
  const auto s = loyalty::summarize_day_amounts(days.data(), 2, 150, 1.0);
  EXPECT_FALSE(s.has_calibration);
  EXPECT_EQ(s.holdout_frequency, 2);
  EXPECT_EQ(s.holdout_monetary, 6.0);  // (5 + 7) / 2
}

TEST(SummarizeDayAmounts, NegativeAmountsAreSummedAsGiven) {
  // A return on a repeat day lowers that day's value: (40 - 15) and 10 -> mean 17.5.
  std::vector<DayAmount> days = {{1, 20.0}, {5, 40.0}, {5, -15.0}, {9, 10.0}};
  const std::size_t n = loyalty::normalize_day_amounts(days.data(), 0, days.size());
  const auto s = loyalty::summarize_day_amounts(days.data(), n, 30, 30.4375);
  EXPECT_EQ(s.frequency, 2);
  EXPECT_DOUBLE_EQ(s.monetary, 17.5);
  EXPECT_DOUBLE_EQ(s.recency, 8.0 / 30.4375);
  EXPECT_DOUBLE_EQ(s.t, 29.0 / 30.4375);
}

// The whole CDNOW sample: its weekly calibration summary (ending 1997-09-30) reproduces the two summary files
// shipped with it (values rounded to 2 decimals there).
TEST(SummarizeDayAmounts, CdnowSampleReproducesTheShippedSummaries) {
  LOYALTY_REQUIRE_REFERENCE_FILE(log_path, "cdnow/CDNOW_sample.txt");
  LOYALTY_REQUIRE_REFERENCE_FILE(summary_path, "cdnow/cdnow_customers_summary.csv");
  LOYALTY_REQUIRE_REFERENCE_FILE(zbar_path, "cdnow/cdnow_customers_summary_with_transactions.csv");
  std::map<int, DayList> customers;
  std::ifstream log(log_path);
  std::string master, sample;
  long yyyymmdd;
  int cds;
  double dollars;
  int rows = 0;
  while (log >> master >> sample >> yyyymmdd >> cds >> dollars) {
    customers[std::stoi(sample)].add(
        day_number(static_cast<int>(yyyymmdd / 10000), static_cast<int>(yyyymmdd / 100 % 100),
                   static_cast<int>(yyyymmdd % 100)),
        dollars);
    ++rows;
  }
  ASSERT_EQ(rows, 6919);
  ASSERT_EQ(customers.size(), 2357u);
  const int32_t as_of = day_number(1997, 9, 30);
  auto round2 = [](double x) { return std::round(x * 100.0) / 100.0; };

  std::ifstream summary(summary_path);
  std::string line;
  std::getline(summary, line);  // ID,frequency,recency,T
  int checked = 0;
  while (std::getline(summary, line)) {
    int id, frequency;
    double recency, t;
    ASSERT_EQ(std::sscanf(line.c_str(), "%d,%d,%lf,%lf", &id, &frequency, &recency, &t), 4) << line;
    DayList& list = customers.at(id);
    list.normalize();
    const auto s = loyalty::summarize_day_amounts(list.days().data(), list.days().size(), as_of, 7.0);
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
    const DayList& list = customers.at(id);
    const auto s = loyalty::summarize_day_amounts(list.days().data(), list.days().size(), as_of, 7.0);
    // The file rounds half up (22.345 -> 22.35); the sums of cents carry binary noise, hence the tolerance.
    EXPECT_NEAR(s.monetary, zbar, 0.005 + 1e-9) << id;
    EXPECT_EQ(s.frequency, x) << id;
    ++checked;
  }
  EXPECT_EQ(checked, 2357);
}

}  // namespace
