#include "customer_summary.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace loyalty {

std::size_t normalize_days(int32_t* days, std::size_t sorted, std::size_t count) noexcept {
  if (sorted >= count) return count;
  std::sort(days + sorted, days + count);
  std::inplace_merge(days, days + sorted, days + count);
  return static_cast<std::size_t>(std::unique(days, days + count) - days);
}

std::size_t merge_days(const int32_t* a, std::size_t na, const int32_t* b, std::size_t nb,
                       int32_t* out) noexcept {
  return static_cast<std::size_t>(std::set_union(a, a + na, b, b + nb, out) - out);
}

bool days_are_normalized(const int32_t* days, std::size_t count) noexcept {
  for (std::size_t i = 1; i < count; ++i)
    if (days[i] <= days[i - 1]) return false;
  return true;
}

void combine_order_totals(OrderTotals& into, const OrderTotals& from) noexcept {
  into.orders += from.orders;
  into.revenue += from.revenue;
  into.holdout_orders += from.holdout_orders;
  into.holdout_revenue += from.holdout_revenue;
  if (from.first_day < into.first_day) {
    into.first_day = from.first_day;
    into.first_day_revenue = from.first_day_revenue;
  } else if (from.first_day == into.first_day && from.first_day != kNoDay) {
    into.first_day_revenue += from.first_day_revenue;
  }
}

bool order_totals_are_valid(const OrderTotals& t) noexcept {
  if (t.orders < 0 || t.holdout_orders < 0) return false;
  if (!std::isfinite(t.revenue) || !std::isfinite(t.first_day_revenue) || !std::isfinite(t.holdout_revenue))
    return false;
  return (t.orders > 0) == (t.first_day != kNoDay);
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
             12.0;  // 30.4375: the mean month of the Julian 4-year cycle, close to the Gregorian 30.44
    case TimeUnit::day:
    default:
      return 1.0;
  }
}

CustomerSummary summarize_customer(const int32_t* days, std::size_t count, const OrderTotals& totals,
                                   int32_t as_of_day, double unit_days) noexcept {
  CustomerSummary s;
  // Calibration days are the prefix up to and including the as_of day (the list is sorted).
  const std::size_t calibration =
      static_cast<std::size_t>(std::upper_bound(days, days + count, as_of_day) - days);
  if (calibration > 0) {
    s.has_calibration = true;
    s.first_day = days[0];
    s.last_day = days[calibration - 1];
    s.frequency = static_cast<int64_t>(calibration) - 1;
    // Day differences are exact in double; dividing last keeps the day unit exact.
    s.recency = static_cast<double>(static_cast<int64_t>(s.last_day) - s.first_day) / unit_days;
    s.t = static_cast<double>(static_cast<int64_t>(as_of_day) - s.first_day) / unit_days;
    s.days_since_last = as_of_day - s.last_day;
    // lifetimes: the first purchase day's value is left out of the mean (it says nothing about the
    // repeat-spend process the Gamma-Gamma model describes); no repeat day gives 0.
    if (s.frequency > 0)
      s.monetary = (totals.revenue - totals.first_day_revenue) / static_cast<double>(s.frequency);
  }
  s.holdout_frequency = static_cast<int64_t>(count - calibration);
  if (s.holdout_frequency > 0)
    s.holdout_monetary = totals.holdout_revenue / static_cast<double>(s.holdout_frequency);
  return s;
}

}  // namespace loyalty
