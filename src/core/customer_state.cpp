#include "customer_state.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace loyalty {

namespace {

[[noreturn]] void span_too_long(int64_t span) {
  throw std::length_error("customer state: purchase days spanning " + std::to_string(span) +
                          " days, more than the limit of " + std::to_string(kMaxStateSpanDays));
}

std::size_t bytes_for_span(int64_t first, int64_t last) {
  const int64_t span = last - first + 1;
  if (span > kMaxStateSpanDays) span_too_long(span);
  return static_cast<std::size_t>((span + 7) / 8);
}

inline bool bit(const std::uint8_t* bits, int64_t k) noexcept {
  return (bits[k >> 3] >> (k & 7)) & 1;
}
inline void set_bit(std::uint8_t* bits, int64_t k) noexcept {
  bits[k >> 3] = static_cast<std::uint8_t>(bits[k >> 3] | (1u << (k & 7)));
}

// ORs the days of `bits` (first day `from_first`, `count` days) into `out` (first day `to_first` <=
// from_first, room for them), a byte at a time: a late order before the first day moves the whole bitmap.
void copy_days(const std::uint8_t* bits, int32_t from_first, int64_t count, std::uint8_t* out,
               int32_t to_first) {
  const int64_t shift = static_cast<int64_t>(from_first) - to_first;
  const int64_t byte_shift = shift >> 3;
  const unsigned bit_shift = static_cast<unsigned>(shift & 7);
  const int64_t bytes = (count + 7) / 8;
  for (int64_t i = 0; i < bytes; ++i) {
    const unsigned b = bits[i];
    if (b == 0) continue;
    out[i + byte_shift] = static_cast<std::uint8_t>(out[i + byte_shift] | (b << bit_shift));
    // The high bits spill into the next byte; it exists whenever they are set (the days fit in `out`).
    if (bit_shift != 0 && (b >> (8 - bit_shift)) != 0)
      out[i + byte_shift + 1] = static_cast<std::uint8_t>(out[i + byte_shift + 1] | (b >> (8 - bit_shift)));
  }
}

}  // namespace

std::size_t state_bitmap_bytes(int32_t first_day, int32_t last_day) noexcept {
  return static_cast<std::size_t>((static_cast<int64_t>(last_day) - first_day + 1 + 7) / 8);
}

bool state_has_day(const CustomerStateFixed& s, const std::uint8_t* bits, int32_t day) noexcept {
  return s.orders > 0 && day >= s.first_day && day <= s.last_day &&
         bit(bits, static_cast<int64_t>(day) - s.first_day);
}

std::size_t state_bitmap_bytes_after(const CustomerStateFixed& s, int32_t day) {
  if (s.orders == 0) return 1;
  return bytes_for_span(day < s.first_day ? day : s.first_day, day > s.last_day ? day : s.last_day);
}

void state_add_order(CustomerStateFixed& s, const std::uint8_t* bits, std::uint8_t* out, int32_t day,
                     int64_t ordered_at, double amount) {
  if (!std::isfinite(amount)) throw std::invalid_argument("customer state: amount must be a finite number");
  const std::size_t bytes = state_bitmap_bytes_after(s, day);
  if (s.orders == 0) {
    s = CustomerStateFixed{};
    s.first_day = s.last_day = day;
    s.first_order = s.last_order = ordered_at;
    s.first_day_revenue = amount;
    s.purchase_days = 1;
    out[0] = 1;
  } else {
    const int32_t first = day < s.first_day ? day : s.first_day;
    const int32_t last = day > s.last_day ? day : s.last_day;
    if (first != s.first_day || out != bits) {  // a new first day, or another buffer: rebuild
      const std::size_t old_bytes = state_bitmap_bytes(s);
      std::uint8_t* copy = nullptr;
      if (out == bits) {  // moving within one buffer: keep the old bits aside (rare: a day before the first)
        copy = new std::uint8_t[old_bytes];
        std::memcpy(copy, bits, old_bytes);
        bits = copy;
      }
      std::memset(out, 0, bytes);
      copy_days(bits, s.first_day, static_cast<int64_t>(s.last_day) - s.first_day + 1, out, first);
      delete[] copy;
    } else if (bytes > state_bitmap_bytes(s)) {  // growing at the end in place: the new bytes start clear
      const std::size_t old_bytes = state_bitmap_bytes(s);
      std::memset(out + old_bytes, 0, bytes - old_bytes);
    }
    const bool new_day =
        day < s.first_day || day > s.last_day || !bit(out, static_cast<int64_t>(day) - first);
    if (day < s.first_day) {
      s.first_day_revenue = amount;
    } else if (day == s.first_day) {
      s.first_day_revenue += amount;
    }
    s.first_day = first;
    s.last_day = last;
    if (new_day) {
      set_bit(out, static_cast<int64_t>(day) - first);
      ++s.purchase_days;
    }
    if (ordered_at < s.first_order) s.first_order = ordered_at;
    if (ordered_at > s.last_order) s.last_order = ordered_at;
  }
  ++s.orders;
  s.revenue += amount;
}

std::size_t state_bitmap_bytes_merged(const CustomerStateFixed& a, const CustomerStateFixed& b) {
  if (a.orders == 0) return state_bitmap_bytes(b);
  if (b.orders == 0) return state_bitmap_bytes(a);
  return bytes_for_span(a.first_day < b.first_day ? a.first_day : b.first_day,
                        a.last_day > b.last_day ? a.last_day : b.last_day);
}

void state_merge(CustomerStateFixed& a, const std::uint8_t* a_bits, const CustomerStateFixed& b,
                 const std::uint8_t* b_bits, std::uint8_t* out) {
  const std::size_t bytes = state_bitmap_bytes_merged(a, b);
  if (b.orders == 0) {
    std::memcpy(out, a_bits, bytes);
    return;
  }
  if (a.orders == 0) {
    a = b;
    std::memcpy(out, b_bits, bytes);
    return;
  }
  const int32_t first = a.first_day < b.first_day ? a.first_day : b.first_day;
  const int32_t last = a.last_day > b.last_day ? a.last_day : b.last_day;
  std::memset(out, 0, bytes);
  copy_days(a_bits, a.first_day, static_cast<int64_t>(a.last_day) - a.first_day + 1, out, first);
  copy_days(b_bits, b.first_day, static_cast<int64_t>(b.last_day) - b.first_day + 1, out, first);
  int32_t days = 0;
  for (std::size_t i = 0; i < bytes; ++i) days += __builtin_popcount(out[i]);
  if (a.first_day == b.first_day)
    a.first_day_revenue += b.first_day_revenue;
  else if (b.first_day < a.first_day)
    a.first_day_revenue = b.first_day_revenue;
  a.first_day = first;
  a.last_day = last;
  a.purchase_days = days;
  a.orders += b.orders;
  a.revenue += b.revenue;
  if (b.first_order < a.first_order) a.first_order = b.first_order;
  if (b.last_order > a.last_order) a.last_order = b.last_order;
}

bool state_is_valid(const CustomerStateFixed& s, const std::uint8_t* bits, std::size_t bytes) noexcept {
  if (s.orders == 0) return bytes == 0;
  if (s.orders < 0 || !std::isfinite(s.revenue) || !std::isfinite(s.first_day_revenue)) return false;
  if (s.first_day > s.last_day || static_cast<int64_t>(s.last_day) - s.first_day + 1 > kMaxStateSpanDays)
    return false;
  if (bytes != state_bitmap_bytes(s) || s.first_order > s.last_order) return false;
  const int64_t span = static_cast<int64_t>(s.last_day) - s.first_day + 1;
  if (!bit(bits, 0) || !bit(bits, span - 1)) return false;
  if (span % 8 != 0 && (bits[bytes - 1] >> (span % 8)) != 0) return false;  // no bit after the last day
  int64_t days = 0;
  for (std::size_t i = 0; i < bytes; ++i) days += __builtin_popcount(bits[i]);
  return days == s.purchase_days && s.purchase_days <= s.orders;
}

CustomerSummary state_summary(const CustomerStateFixed& s, int32_t as_of_day, double unit_days) {
  if (s.orders == 0) throw std::invalid_argument("customer state: no order");
  if (as_of_day < s.last_day)
    throw std::invalid_argument(
        "customer state: as_of is before the customer's last purchase day; the state keeps no revenue per "
        "day "
        "and cannot split the orders at an earlier day (use customer_summary over the order log)");
  CustomerSummary r;
  r.has_calibration = true;
  r.first_day = s.first_day;
  r.last_day = s.last_day;
  r.frequency = s.purchase_days - 1;
  r.recency = static_cast<double>(static_cast<int64_t>(s.last_day) - s.first_day) / unit_days;
  r.t = static_cast<double>(static_cast<int64_t>(as_of_day) - s.first_day) / unit_days;
  r.days_since_last = as_of_day - s.last_day;
  if (r.frequency > 0) r.monetary = (s.revenue - s.first_day_revenue) / static_cast<double>(r.frequency);
  return r;
}

}  // namespace loyalty
