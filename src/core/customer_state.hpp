// A customer's real-time state (issue 12): what the customer_summary of its whole order log needs, updated by
// one order in time independent of the number of orders, exact also for late orders (older than the newest
// one seen).
//
// The summary at an as_of day on or after the last purchase day needs the first and last purchase days, the
// number of distinct purchase days, the order count, the revenue and the revenue of the first purchase day
// (monetary = (revenue - first day's revenue) / (purchase days - 1), src/core/customer_summary.hpp). A late
// order on a day between the first and the last purchase day is a new purchase day or not depending on the
// days already seen, so the state keeps the set of purchase days: a bitmap over [first day, last day], bit k
// for first day + k. It is bounded: at most kMaxStateSpanDays days (100 years), 4,575 bytes; a customer of
// ten years takes 457 bytes. What a late order does:
//   - on a day after the last purchase day: a new purchase day, the bitmap grows at its end;
//   - before the first purchase day: a new purchase day and a new first day, whose revenue replaces the first
//     day's revenue; the bitmap is rebuilt from the new first day;
//   - on a day in between: a new purchase day exactly when its bit was clear; on the first day itself, its
//     amount adds to the first day's revenue.
// Two states of one customer merge exactly (the union of their day sets), which makes the state an aggregate
// state with a combine function.
//
// Times are microseconds and days whole numbers of any epoch (the binding uses PostgreSQL's). The bitmap is a
// plain byte array owned by the caller, of exactly state_bitmap_bytes() bytes.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstddef>
#include <cstdint>

#include "customer_summary.hpp"

namespace loyalty {

constexpr int32_t kMaxStateSpanDays = 36600;

struct CustomerStateFixed {
  int64_t orders = 0;  // 0: an empty state (no order yet); the other fields are then meaningless
  double revenue = 0;
  double first_day_revenue = 0;
  int64_t first_order = 0;  // earliest and latest order time
  int64_t last_order = 0;
  int32_t first_day = 0;  // first and last purchase days
  int32_t last_day = 0;
  int32_t purchase_days = 0;
};

// Bytes of the bitmap of a state whose purchase days span [first_day, last_day]; 0 for an empty state.
std::size_t state_bitmap_bytes(int32_t first_day, int32_t last_day) noexcept;
inline std::size_t state_bitmap_bytes(const CustomerStateFixed& s) noexcept {
  return s.orders == 0 ? 0 : state_bitmap_bytes(s.first_day, s.last_day);
}

// True when purchase day `day` is set.
bool state_has_day(const CustomerStateFixed& s, const std::uint8_t* bits, int32_t day) noexcept;

// The bitmap size once an order of `day` is added; throws std::length_error (more than kMaxStateSpanDays).
std::size_t state_bitmap_bytes_after(const CustomerStateFixed& s, int32_t day);

// Adds one order. `bits` holds state_bitmap_bytes(s) bytes; `out` has room for state_bitmap_bytes_after(s,
// day) bytes and receives the new bitmap (it may be `bits` itself when the first day does not move and the
// size does not change). Throws std::invalid_argument for a non-finite amount, std::length_error for a span
// over the limit.
void state_add_order(CustomerStateFixed& s, const std::uint8_t* bits, std::uint8_t* out, int32_t day,
                     int64_t ordered_at, double amount);

// The bitmap size of the union of two states; throws std::length_error over the limit.
std::size_t state_bitmap_bytes_merged(const CustomerStateFixed& a, const CustomerStateFixed& b);

// a := a union b; `out` has room for state_bitmap_bytes_merged(a, b) bytes and must not overlap the inputs.
void state_merge(CustomerStateFixed& a, const std::uint8_t* a_bits, const CustomerStateFixed& b,
                 const std::uint8_t* b_bits, std::uint8_t* out);

// True when the fields and the bitmap agree (days ordered and within the limit, first and last bits set, the
// purchase day count equal to the bits set, counts and sums finite and consistent).
bool state_is_valid(const CustomerStateFixed& s, const std::uint8_t* bits, std::size_t bytes) noexcept;

// The customer_summary of the state at `as_of_day`, in units of `unit_days`, as summarize_customer gives it
// for the full order log; throws std::invalid_argument when as_of_day is before the last purchase day (the
// state keeps no revenue per day, so it cannot split calibration and holdout) or the state is empty.
CustomerSummary state_summary(const CustomerStateFixed& s, int32_t as_of_day, double unit_days);

}  // namespace loyalty
