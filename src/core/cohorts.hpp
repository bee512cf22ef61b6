// Cohort analysis building blocks: calendar period offsets and the cohort x period retention matrix.
//
// A customer's cohort is the calendar period (day, ISO week, month, quarter, year) of her first event; the
// period of a later event is the number of calendar periods between the two (date_trunc(unit, event) minus
// date_trunc(unit, first), in units): an order on 31 January and one on 1 February are one month apart.
//
// The matrix of one cohort, for every period k from 0 to the last period anyone reached:
//   cohort_size        customers of the cohort
//   retained           customers active in period k                 ("returned in period k")
//   retained_or_later  customers active in period k or any later one ("returned in period k or later",
//                      i.e. whose last active period is >= k)
// with the rates retained / cohort_size and retained_or_later / cohort_size, as fractions.
//
// State: [cohort_size, retained_0, last_0, retained_1, last_1, ...], where last_k counts the customers whose
// last active period is k (retained_or_later_k is the sum of last_j for j >= k). Every entry is a counter,
// two states combine by adding entry by entry (the shorter padded with zeros), and trailing zero periods
// carry no information, so a state may be longer than it needs to be.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace loyalty {

enum class CohortUnit { kDay, kWeek, kMonth, kQuarter, kYear };

// "day", "week", "month", "quarter" or "year" (any letter case), else std::invalid_argument naming the text.
CohortUnit parse_cohort_unit(const std::string& name);

// Days from 1970-01-01 to the given proleptic Gregorian date (Hinnant, "chrono-compatible low-level date
// algorithms", days_from_civil). month 1-12, day 1-31.
int64_t days_from_civil(int64_t year, int month, int day);

// A number that grows by one from each calendar period to the next: days since 1970-01-01, ISO weeks
// (starting on Mondays) since the week of 1970-01-01, months, quarters or years since year 0.
int64_t calendar_period_index(int64_t year, int month, int day, CohortUnit unit);

// Calendar periods from the first date to the event date (negative when the event comes first).
inline int64_t calendar_period_offset(int64_t first_year, int first_month, int first_day, int64_t year,
                                      int month, int day, CohortUnit unit) {
  return calendar_period_index(year, month, day, unit) -
         calendar_period_index(first_year, first_month, first_day, unit);
}

// The largest period a matrix state may hold (its length is then 1 + 2 * (kMaxCohortPeriod + 1)).
constexpr int kMaxCohortPeriod = 100000;

// Length of a matrix state that holds periods 0..max_period.
inline size_t cohort_state_length(int max_period) {
  return 1 + 2 * (static_cast<size_t>(max_period) + 1);
}

// Sorts a customer's periods and drops duplicates in place; returns the new count. Throws
// std::invalid_argument for a negative period and std::length_error for one above kMaxCohortPeriod.
size_t normalize_customer_periods(int* periods, size_t count);

// Adds one customer (her distinct periods in increasing order, possibly none) to a state of `length` entries,
// which must hold her last period (length >= cohort_state_length(periods[count - 1])).
void cohort_add_customer(double* state, size_t length, const int* sorted_periods, size_t count);

// into[i] += from[i] for i < from_length; into must be at least as long.
void cohort_combine(double* into, size_t into_length, const double* from, size_t from_length);

// Whether `length` entries form a state: odd length, counters that are non-negative whole numbers, and counts
// that agree (retained_k <= retained_or_later_k <= cohort_size).
bool cohort_state_is_valid(const double* state, size_t length);

struct CohortCell {
  int period = 0;
  double cohort_size = 0, retained = 0, retained_or_later = 0;
};

// One cell per period from 0 to the last period any customer reached (none when no customer has a period).
std::vector<CohortCell> cohort_cells(const double* state, size_t length);

}  // namespace loyalty
