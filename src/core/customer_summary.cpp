#include "customer_summary.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace loyalty {

namespace {

bool earlier_day(const DayAmount& a, const DayAmount& b) {
  return a.day < b.day;
}

// Folds runs of equal days of a sorted list into one entry each; returns the new count.
std::size_t fold_equal_days(DayAmount* days, std::size_t count) {
  if (count == 0) return 0;
  std::size_t out = 0;
  for (std::size_t i = 1; i < count; ++i) {
    if (days[i].day == days[out].day)
      days[out].amount += days[i].amount;
    else
      days[++out] = days[i];
  }
  return out + 1;
}

}  // namespace

std::size_t normalize_day_amounts(DayAmount* days, std::size_t sorted, std::size_t count) noexcept {
  if (sorted >= count) return count;
  std::sort(days + sorted, days + count, earlier_day);
  std::inplace_merge(days, days + sorted, days + count, earlier_day);
  return fold_equal_days(days, count);
}

std::size_t merge_day_amounts(const DayAmount* a, std::size_t na, const DayAmount* b, std::size_t nb,
                              DayAmount* out) noexcept {
  std::size_t i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    if (a[i].day < b[j].day) {
      out[n++] = a[i++];
    } else if (b[j].day < a[i].day) {
      out[n++] = b[j++];
    } else {
      out[n] = a[i++];
      out[n++].amount += b[j++].amount;
    }
  }
  while (i < na) out[n++] = a[i++];
  while (j < nb) out[n++] = b[j++];
  return n;
}

bool day_amounts_are_normalized(const DayAmount* days, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(days[i].amount)) return false;
    if (i > 0 && days[i].day <= days[i - 1].day) return false;
  }
  return true;
}

TimeUnit parse_time_unit(const std::string& text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "day" || lower == "days") return TimeUnit::day;
  if (lower == "week" || lower == "weeks") return TimeUnit::week;
  if (lower == "month" || lower == "months") return TimeUnit::month;
  throw std::invalid_argument("time unit \"" + text + "\" is not recognized: use day, week or month");
}

double time_unit_days(TimeUnit unit) noexcept {
  switch (unit) {
    case TimeUnit::week:
      return 7.0;
    case TimeUnit::month:
      return 365.25 /
             12.0;  // 30.4375: the mean month of the Gregorian 4-year cycle, ignoring the century rule
    case TimeUnit::day:
    default:
      return 1.0;
  }
}

CustomerSummary summarize_day_amounts(const DayAmount* days, std::size_t count, int32_t as_of_day,
                                      double unit_days) noexcept {
  CustomerSummary s;
  // Calibration days are the prefix up to and including the as_of day (the list is sorted).
  std::size_t calibration = 0;
  while (calibration < count && days[calibration].day <= as_of_day) ++calibration;

  if (calibration > 0) {
    s.has_calibration = true;
    s.first_day = days[0].day;
    s.last_day = days[calibration - 1].day;
    s.frequency = static_cast<int64_t>(calibration) - 1;
    // Day differences are exact in double; dividing last keeps the day unit exact.
    s.recency = static_cast<double>(static_cast<int64_t>(s.last_day) - s.first_day) / unit_days;
    s.t = static_cast<double>(static_cast<int64_t>(as_of_day) - s.first_day) / unit_days;
    s.days_since_last = as_of_day - s.last_day;
    // lifetimes: the first purchase day's value is excluded from the mean (it says nothing about the
    // repeat-spend process the Gamma-Gamma model describes); no repeat day gives 0.
    if (s.frequency > 0) {
      double repeat_total = 0;
      for (std::size_t i = 1; i < calibration; ++i) repeat_total += days[i].amount;
      s.monetary = repeat_total / static_cast<double>(s.frequency);
    }
  }

  s.holdout_frequency = static_cast<int64_t>(count - calibration);
  if (s.holdout_frequency > 0) {
    double holdout_total = 0;
    for (std::size_t i = calibration; i < count; ++i) holdout_total += days[i].amount;
    s.holdout_monetary = holdout_total / static_cast<double>(s.holdout_frequency);
  }
  return s;
}

}  // namespace loyalty
