#include "purchase_gaps.hpp"

#include <limits>
#include <stdexcept>

namespace loyalty {

PurchaseGaps purchase_gaps(const int32_t* days, std::size_t count, int32_t as_of_day) {
  if (count == 0) throw std::invalid_argument("purchase_gaps: no purchase day");
  for (std::size_t i = 1; i < count; ++i)
    if (days[i] <= days[i - 1])
      throw std::invalid_argument("purchase_gaps: days must be strictly increasing");
  if (days[count - 1] > as_of_day) throw std::invalid_argument("purchase_gaps: a purchase day after as_of");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  PurchaseGaps g;
  g.purchase_days = static_cast<int64_t>(count);
  g.first_day = days[0];
  g.last_day = days[count - 1];
  g.days_since_last = static_cast<int64_t>(as_of_day) - g.last_day;
  const std::size_t m = count - 1;
  if (m == 0) {
    g.mean_gap = g.last_gap = g.gap_trend = g.silence_ratio = nan;
    return g;
  }
  const auto span = static_cast<double>(static_cast<int64_t>(g.last_day) - g.first_day);
  const double gaps = static_cast<double>(m);
  g.mean_gap = span / gaps;
  g.last_gap = static_cast<double>(static_cast<int64_t>(days[m]) - days[m - 1]);
  g.silence_ratio = static_cast<double>(g.days_since_last) / g.mean_gap;
  if (m < 2) {
    g.gap_trend = nan;
    return g;
  }
  // Centred index times gap, summed: with the index centred the slope needs no mean of the gaps.
  const double centre = (gaps + 1) / 2;
  double sxy = 0;
  for (std::size_t i = 1; i <= m; ++i)
    sxy +=
        (static_cast<double>(i) - centre) * static_cast<double>(static_cast<int64_t>(days[i]) - days[i - 1]);
  const double sxx = gaps * (gaps * gaps - 1) / 12;
  g.gap_trend = sxy / sxx;
  return g;
}

}  // namespace loyalty
