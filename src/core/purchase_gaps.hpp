// Purchase-gap churn signals of one customer (issue 12; seed article 001 names a growing time between
// purchases as a warning sign). From the customer's distinct purchase days d_1 < ... < d_n up to the as_of
// day, the gaps g_i = d_{i+1} - d_i (i = 1..m, m = n - 1) give:
//   mean_gap        = (d_n - d_1) / m                      (the customer's typical gap; NaN when m = 0)
//   last_gap        = g_m                                  (NaN when m = 0)
//   gap_trend       = least-squares slope of g_i on i      (days per gap; NaN when m < 2)
//                   = sum (i - (m+1)/2) g_i / (m (m^2 - 1) / 12), what regr_slope(gap, i) gives
//   days_since_last = as_of day - d_n                      (the current silence)
//   silence_ratio   = days_since_last / mean_gap           (the silence in units of the typical gap; NaN when
//                                                           m = 0)
// A positive trend means the gaps grow; a silence ratio above k means the customer has been silent for more
// than k typical gaps.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstddef>
#include <cstdint>

namespace loyalty {

struct PurchaseGaps {
  int64_t purchase_days = 0;
  int32_t first_day = 0, last_day = 0;
  double mean_gap = 0, last_gap = 0, gap_trend = 0;
  int64_t days_since_last = 0;
  double silence_ratio = 0;
};

// The signals of `count` >= 1 strictly increasing days, none after as_of_day; std::invalid_argument
// otherwise.
PurchaseGaps purchase_gaps(const int32_t* days, std::size_t count, int32_t as_of_day);

}  // namespace loyalty
