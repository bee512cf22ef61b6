#include "cohorts.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "counter_state.hpp"

namespace loyalty {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

CohortUnit parse_cohort_unit(const std::string& name) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "day") return CohortUnit::kDay;
  if (lower == "week") return CohortUnit::kWeek;
  if (lower == "month") return CohortUnit::kMonth;
  if (lower == "quarter") return CohortUnit::kQuarter;
  if (lower == "year") return CohortUnit::kYear;
  throw std::invalid_argument("cohort period unit \"" + name +
                              "\" is not one of day, week, month, quarter, year");
}

int64_t days_from_civil(int64_t year, int month, int day) {
  // Hinnant's algorithm: years counted from 1 March so that the leap day ends the year; eras of 400 years.
  year -= month <= 2;
  const int64_t era = floor_div(year, 400);
  const int64_t year_of_era = year - era * 400;                                          // [0, 399]
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int64_t calendar_period_index(int64_t year, int month, int day, CohortUnit unit) {
  switch (unit) {
    case CohortUnit::kDay:
      return days_from_civil(year, month, day);
    case CohortUnit::kWeek:
      // 1970-01-01 was a Thursday: its ISO week began on Monday 1969-12-29, day -3.
      return floor_div(days_from_civil(year, month, day) + 3, 7);
    case CohortUnit::kMonth:
      return year * 12 + (month - 1);
    case CohortUnit::kQuarter:
      return year * 4 + (month - 1) / 3;
    case CohortUnit::kYear:
      return year;
  }
  throw std::invalid_argument("unknown cohort period unit");
}

size_t normalize_customer_periods(int* periods, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (periods[i] < 0)
      throw std::invalid_argument("cohort period " + std::to_string(periods[i]) + " is negative");
    if (periods[i] > kMaxCohortPeriod)
      throw std::length_error("cohort period " + std::to_string(periods[i]) + " is above the limit of " +
                              std::to_string(kMaxCohortPeriod));
  }
  std::sort(periods, periods + count);
  return static_cast<size_t>(std::unique(periods, periods + count) - periods);
}

void cohort_add_customer(double* state, size_t length, const int* sorted_periods, size_t count) {
  if (count > 0 && length < cohort_state_length(sorted_periods[count - 1]))
    throw std::invalid_argument("cohort state too short for period " +
                                std::to_string(sorted_periods[count - 1]));
  state[0] += 1;
  for (size_t i = 0; i < count; ++i) state[1 + 2 * static_cast<size_t>(sorted_periods[i])] += 1;
  if (count > 0) state[2 + 2 * static_cast<size_t>(sorted_periods[count - 1])] += 1;
}

void cohort_combine(double* into, size_t into_length, const double* from, size_t from_length) {
  if (into_length < from_length) throw std::invalid_argument("cohort states combined into a shorter one");
  for (size_t i = 0; i < from_length; ++i) into[i] += from[i];
}

bool cohort_state_is_valid(const double* state, size_t length) {
  if (length % 2 != 1 || length > cohort_state_length(kMaxCohortPeriod)) return false;
  if (!counter_state_is_valid(state, static_cast<int>(length))) return false;
  double or_later = 0;
  for (size_t k = (length - 1) / 2; k-- > 0;) {
    or_later += state[2 + 2 * k];
    if (state[1 + 2 * k] > or_later) return false;
  }
  return or_later <= state[0];
}

std::vector<CohortCell> cohort_cells(const double* state, size_t length) {
  const size_t periods = (length - 1) / 2;
  size_t reached = 0;  // one past the last period with a customer ending there
  for (size_t k = 0; k < periods; ++k)
    if (state[2 + 2 * k] > 0) reached = k + 1;
  std::vector<CohortCell> cells(reached);
  double or_later = 0;
  for (size_t k = reached; k-- > 0;) {
    or_later += state[2 + 2 * k];
    CohortCell& cell = cells[k];
    cell.period = static_cast<int>(k);
    cell.cohort_size = state[0];
    cell.retained = state[1 + 2 * k];
    cell.retained_or_later = or_later;
  }
  return cells;
}

}  // namespace loyalty
