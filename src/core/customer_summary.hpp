// One customer's order log reduced to the summary every "buy till you die" model consumes, with the
// conventions of the lifetimes library's summary_data_from_transaction_data (Davidson-Pilon et al.,
// lifetimes/utils.py) with daily periods:
//   - orders are grouped by calendar day; amounts of the same day are summed into one "purchase day";
//   - frequency = distinct purchase days - 1 (repeat purchases, x in Fader, Hardie & Lee 2005);
//   - recency   = last purchase day - first purchase day (t_x);
//   - t         = as_of day - first purchase day (T), the as_of day being the last day of calibration;
//   - monetary  = mean amount of the repeat purchase days (the first day excluded), 0 when frequency = 0.
// recency and t are divided by the length of the chosen unit in days (1, 7 or 30.4375).
// Purchase days after the as_of day form the holdout period (lifetimes' calibration_and_holdout_data).
//
// Days are whole numbers (any epoch; the binding uses PostgreSQL's date, days since 2000-01-01). The day
// list is a plain array of DayAmount owned by the caller (the binding keeps it in PostgreSQL memory): a
// normalised prefix (days strictly increasing, one entry per day) followed by an unsorted tail of appended
// entries, which normalize_day_amounts folds back in. Memory thus grows with the number of distinct order
// days, not with the number of orders.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace loyalty {

// All the orders of one calendar day: the day number and the sum of their amounts.
struct DayAmount {
  int32_t day;
  double amount;
};

// Sorts days[0, count) by day and merges the entries of each day (amounts summed). Returns the new count.
// The prefix [0, sorted) must already be normalised; only the tail is sorted before the two are merged.
// Allocates nothing that can fail (std::inplace_merge falls back to a merge without a buffer).
std::size_t normalize_day_amounts(DayAmount* days, std::size_t sorted, std::size_t count) noexcept;

// Merges two normalised lists into `out` (room for na + nb entries); returns the number written.
std::size_t merge_day_amounts(const DayAmount* a, std::size_t na, const DayAmount* b, std::size_t nb,
                              DayAmount* out) noexcept;

// True when days[0, count) is normalised: strictly increasing days, finite amounts.
bool day_amounts_are_normalized(const DayAmount* days, std::size_t count) noexcept;

// When an appended tail should be folded into the normalised prefix: once it is longer than the prefix
// (and than a small minimum), so that the list holds at most about twice its distinct days and each entry
// is sorted O(log n) times on average.
inline bool day_amounts_need_normalizing(std::size_t sorted, std::size_t count) noexcept {
  const std::size_t tail = count - sorted;
  return tail > 16 && tail > sorted;
}

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
  double holdout_monetary = 0;    // mean amount of those days; 0 when there are none
};

// The summary of a normalised day list at `as_of_day`, recency and t in units of `unit_days` days.
CustomerSummary summarize_day_amounts(const DayAmount* days, std::size_t count, int32_t as_of_day,
                                      double unit_days) noexcept;

}  // namespace loyalty
