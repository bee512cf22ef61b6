// One customer's order log reduced to the summary every "buy till you die" model consumes, with the
// conventions of the lifetimes library's summary_data_from_transaction_data (Davidson-Pilon et al.,
// lifetimes/utils.py) with daily periods:
//   - orders are grouped by calendar day; the orders of one day are one "purchase day";
//   - frequency = distinct purchase days - 1 (repeat purchases, x in Fader, Hardie & Lee 2005);
//   - recency   = last purchase day - first purchase day (t_x);
//   - t         = as_of day - first purchase day (T), the as_of day being the last day of calibration;
//   - monetary  = mean amount of the repeat purchase days, amounts of a day summed, the first day excluded;
//                 0 when frequency = 0.
// recency and t are divided by the length of the chosen unit in days (1, 7 or 30.4375).
// Purchase days after the as_of day form the holdout period (lifetimes' calibration_and_holdout_data).
//
// monetary needs no per-day amounts: the mean of the repeat days' sums is (revenue - first day's revenue) /
// frequency, so the state keeps the distinct days (4 bytes each) and a few running totals (OrderTotals).
// Days are whole numbers (any epoch; the binding uses PostgreSQL's date, days since 2000-01-01). The day
// list is a plain array owned by the caller (the binding keeps it in PostgreSQL memory): a normalised prefix
// (strictly increasing) followed by an unsorted tail of appended days, which normalize_days folds back in.
// Memory thus grows with the number of distinct order days, not with the number of orders.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace loyalty {

// Sorts days[0, count) and removes repeated days; returns the new count. The prefix [0, sorted) must already
// be normalised; only the tail is sorted before the two are merged. Never throws (std::inplace_merge falls
// back to a merge without a buffer when it cannot get one).
std::size_t normalize_days(int32_t* days, std::size_t sorted, std::size_t count) noexcept;

// The union of two normalised lists into `out` (room for na + nb days); returns the number written.
std::size_t merge_days(const int32_t* a, std::size_t na, const int32_t* b, std::size_t nb,
                       int32_t* out) noexcept;

// True when days[0, count) is strictly increasing.
bool days_are_normalized(const int32_t* days, std::size_t count) noexcept;

// When an appended tail should be folded into the normalised prefix: once it is longer than the prefix
// (and than a small minimum), so that the list holds at most about twice its distinct days and each entry
// is sorted O(log n) times on average.
inline bool days_need_normalizing(std::size_t sorted, std::size_t count) noexcept {
  const std::size_t tail = count - sorted;
  return tail > 16 && tail > sorted;
}

constexpr int32_t kNoDay = std::numeric_limits<int32_t>::max();

// Running totals of one customer's orders, split at the as_of day.
struct OrderTotals {
  int64_t orders = 0;  // calibration period (day <= as_of day)
  double revenue = 0;
  double first_day_revenue = 0;  // amounts of first_day
  int64_t holdout_orders = 0;    // after the as_of day
  double holdout_revenue = 0;
  int32_t first_day = kNoDay;  // first calibration purchase day; kNoDay before one
};

// Counts one order of `amount` on `day`.
inline void add_order(OrderTotals& totals, int32_t day, double amount, int32_t as_of_day) noexcept {
  if (day > as_of_day) {
    ++totals.holdout_orders;
    totals.holdout_revenue += amount;
    return;
  }
  ++totals.orders;
  totals.revenue += amount;
  if (day < totals.first_day) {
    totals.first_day = day;
    totals.first_day_revenue = amount;
  } else if (day == totals.first_day) {
    totals.first_day_revenue += amount;
  }
}

// Adds `from` (the same customer's other orders, split at the same as_of day) into `into`.
void combine_order_totals(OrderTotals& into, const OrderTotals& from) noexcept;

// True when the totals are consistent: counts non-negative, sums finite, a first day exactly when there are
// calibration orders.
bool order_totals_are_valid(const OrderTotals& totals) noexcept;

// The time units of the summary: recency and t are expressed in days, weeks (7 days) or months of
// 30.4375 days (365.25 / 12, the mean Gregorian month).
enum class TimeUnit { day, week, month };

// 'day', 'week' or 'month' (or their plurals), case-insensitive; anything else throws std::invalid_argument.
TimeUnit parse_time_unit(const std::string& text);
double time_unit_days(TimeUnit unit) noexcept;

struct CustomerSummary {
  bool has_calibration = false;  // at least one purchase day on or before the as_of day
  // Calibration period (purchase days <= as_of day); meaningful only when has_calibration.
  int64_t frequency = 0;        // distinct purchase days - 1
  double recency = 0;           // (last day - first day) / unit
  double t = 0;                 // (as_of day - first day) / unit
  double monetary = 0;          // mean of the repeat purchase days' amounts; 0 when frequency = 0
  int32_t first_day = 0;        // first purchase day
  int32_t last_day = 0;         // last purchase day
  int32_t days_since_last = 0;  // as_of day - last purchase day, in days whatever the unit
  // Holdout period (purchase days > as_of day).
  int64_t holdout_frequency = 0;  // distinct purchase days (not minus one: lifetimes' frequency_holdout)
  double holdout_monetary = 0;    // holdout revenue / holdout purchase days; 0 when there are none
};

// The summary of a normalised day list and its totals at `as_of_day`, recency and t in units of `unit_days`.
CustomerSummary summarize_customer(const int32_t* days, std::size_t count, const OrderTotals& totals,
                                   int32_t as_of_day, double unit_days) noexcept;

}  // namespace loyalty
