// Cohort building blocks: calendar period offsets against Python's datetime, and the retention matrix against
// a direct count over customers.
#include "cohorts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

namespace {

using loyalty::CohortUnit;

TEST(Cohorts, DaysFromCivilMatchesPythonOrdinals) {
  // date.toordinal() - date(1970, 1, 1).toordinal() in Python 3.11.
  EXPECT_EQ(loyalty::days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(loyalty::days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(loyalty::days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(loyalty::days_from_civil(1600, 1, 1), -135140);
  EXPECT_EQ(loyalty::days_from_civil(1, 1, 1), -719162);
  EXPECT_EQ(loyalty::days_from_civil(2100, 12, 31), 47846);
}

TEST(Cohorts, DaysAdvanceByOneAcrossMonthsAndLeapYears) {
  const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t expected = loyalty::days_from_civil(1895, 1, 1);
  for (int y = 1895; y <= 2105; ++y)
    for (int m = 1; m <= 12; ++m) {
      const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      const int days = month_days[m - 1] + (m == 2 && leap);
      for (int d = 1; d <= days; ++d) ASSERT_EQ(loyalty::days_from_civil(y, m, d), expected++) << y << m << d;
    }
}

TEST(Cohorts, CalendarPeriodOffsets) {
  // Calendar periods, not elapsed time: 31 January to 1 February is one month and one day apart.
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 1, 31, 2024, 2, 1, CohortUnit::kMonth), 1);
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 1, 31, 2024, 2, 1, CohortUnit::kDay), 1);
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 1, 31, 2024, 3, 31, CohortUnit::kQuarter), 0);
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 1, 31, 2024, 4, 1, CohortUnit::kQuarter), 1);
  EXPECT_EQ(loyalty::calendar_period_offset(2023, 12, 31, 2024, 1, 1, CohortUnit::kYear), 1);
  EXPECT_EQ(loyalty::calendar_period_offset(2023, 3, 15, 2024, 2, 1, CohortUnit::kMonth), 11);
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 2, 1, 2023, 3, 15, CohortUnit::kMonth), -11);
  // ISO weeks begin on Monday (Python: date(2024, 1, 29).weekday() == 0): Sunday 2024-01-28 and Monday
  // 2024-01-29 are one week apart; Monday 2024-12-30 and Sunday 2025-01-05 are in the same week (ISO
  // 2025-W01).
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 1, 27, 2024, 1, 28, CohortUnit::kWeek), 0);
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 1, 28, 2024, 1, 29, CohortUnit::kWeek), 1);
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 12, 30, 2025, 1, 5, CohortUnit::kWeek), 0);
  EXPECT_EQ(loyalty::calendar_period_offset(2024, 12, 30, 2025, 1, 6, CohortUnit::kWeek), 1);
  // Weeks across the epoch and far before it (1600-01-01 was a Saturday, Python weekday() == 5).
  EXPECT_EQ(loyalty::calendar_period_offset(1969, 12, 28, 1969, 12, 29, CohortUnit::kWeek), 1);
  EXPECT_EQ(loyalty::calendar_period_offset(1600, 1, 1, 1600, 1, 3, CohortUnit::kWeek), 1);
}

TEST(Cohorts, UnitNames) {
  EXPECT_EQ(loyalty::parse_cohort_unit("Month"), CohortUnit::kMonth);
  EXPECT_EQ(loyalty::parse_cohort_unit("week"), CohortUnit::kWeek);
  EXPECT_EQ(loyalty::parse_cohort_unit("QUARTER"), CohortUnit::kQuarter);
  EXPECT_THROW(loyalty::parse_cohort_unit("months"), std::invalid_argument);
  EXPECT_THROW(loyalty::parse_cohort_unit(""), std::invalid_argument);
}

TEST(Cohorts, MatrixMatchesADirectCount) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> count(0, 6), period(0, 14);
  std::vector<std::vector<int>> customers(500);
  std::vector<double> state(loyalty::cohort_state_length(14), 0.0);
  for (auto& c : customers) {
    const int n = count(rng);
    for (int i = 0; i < n; ++i) c.push_back(period(rng));
    std::vector<int> work = c;  // duplicates and any order, as array_agg gives them
    const size_t distinct = loyalty::normalize_customer_periods(work.data(), work.size());
    loyalty::cohort_add_customer(state.data(), state.size(), work.data(), distinct);
  }
  ASSERT_TRUE(loyalty::cohort_state_is_valid(state.data(), state.size()));
  const auto cells = loyalty::cohort_cells(state.data(), state.size());
  ASSERT_EQ(cells.size(), 15u);
  for (int k = 0; k <= 14; ++k) {
    double in_k = 0, k_or_later = 0;
    for (const auto& c : customers) {
      in_k += std::count(c.begin(), c.end(), k) > 0;
      k_or_later += !c.empty() && *std::max_element(c.begin(), c.end()) >= k;
    }
    EXPECT_EQ(cells[k].period, k);
    EXPECT_EQ(cells[k].cohort_size, 500);
    EXPECT_EQ(cells[k].retained, in_k) << k;
    EXPECT_EQ(cells[k].retained_or_later, k_or_later) << k;
  }
}

TEST(Cohorts, CombineAndTrailingZeros) {
  // Customer A active in periods {0, 2}, customer B in {0}, customer C in none.
  std::vector<double> a(loyalty::cohort_state_length(2), 0.0), b(loyalty::cohort_state_length(9), 0.0);
  const int pa[] = {0, 2}, pb[] = {0};
  loyalty::cohort_add_customer(a.data(), a.size(), pa, 2);
  loyalty::cohort_add_customer(b.data(), b.size(), pb, 1);
  loyalty::cohort_add_customer(b.data(), b.size(), nullptr, 0);
  loyalty::cohort_combine(b.data(), b.size(), a.data(), a.size());
  EXPECT_THROW(loyalty::cohort_combine(a.data(), a.size(), b.data(), b.size()), std::invalid_argument);
  const auto cells = loyalty::cohort_cells(b.data(), b.size());  // periods 3..9 are trailing zeros: dropped
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].cohort_size, 3);
  EXPECT_EQ(cells[0].retained, 2);
  EXPECT_EQ(cells[0].retained_or_later, 2);
  EXPECT_EQ(cells[1].retained, 0);
  EXPECT_EQ(cells[1].retained_or_later, 1);
  EXPECT_EQ(cells[2].retained, 1);
  EXPECT_EQ(cells[2].retained_or_later, 1);
  const double nobody[] = {4};
  EXPECT_TRUE(loyalty::cohort_cells(nobody, 1).empty());
}

TEST(Cohorts, BadInputs) {
  int negative[] = {3, -1};
  EXPECT_THROW(loyalty::normalize_customer_periods(negative, 2), std::invalid_argument);
  int huge[] = {loyalty::kMaxCohortPeriod + 1};
  EXPECT_THROW(loyalty::normalize_customer_periods(huge, 1), std::length_error);
  std::vector<double> short_state(loyalty::cohort_state_length(1), 0.0);
  const int far[] = {5};
  EXPECT_THROW(loyalty::cohort_add_customer(short_state.data(), short_state.size(), far, 1),
               std::invalid_argument);
  const double even[] = {1, 0};
  EXPECT_FALSE(loyalty::cohort_state_is_valid(even, 2));
  const double retained_without_reaching[] = {1, 1,
                                              0};  // retained in period 0, but nobody's last period >= 0
  EXPECT_FALSE(loyalty::cohort_state_is_valid(retained_without_reaching, 3));
  const double more_than_the_cohort[] = {1, 2, 2};
  EXPECT_FALSE(loyalty::cohort_state_is_valid(more_than_the_cohort, 3));
  const double fractional[] = {1.5, 1, 1};
  EXPECT_FALSE(loyalty::cohort_state_is_valid(fractional, 3));
}

}  // namespace
