// Period retention and churn over customer activity spans (a subscription, or first order to last order plus
// an inactivity window).
//
// A span [from, until) is active at every instant from `from` up to, not including, `until` (open-ended:
// until = the largest instant). A customer is counted at a period boundary t when the span crosses it:
// from < t < until (joined before t and had not left by t). For the period [start, end):
//   S = at_start       spans crossing start
//   E = at_end         spans crossing end
//   N = new_customers  spans that began inside the period (start <= from < end) and cross end
//   C = churned        spans crossing start that ended inside the period (start < until <= end)
// so that E - N = S - C: the customers of the start still there at the end. A span that both began and ended
// inside the period is in none of the four: the textbook customer retention rate (E - N)/S assumes there is
// none, and counting it in N would make (E - N)/S understate retention.
//   retention rate = (E - N)/S, churn rate = C/S, both fractions (0.9, not 90), retention + churn = 1.
//
// Instants are integers in any unit (the SQL binding passes PostgreSQL's microseconds).
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace loyalty {

// Index of each counter in a retention state (the aggregate state stores them in this order).
enum RetentionCounter : int {
  kRetentionAtStart = 0,
  kRetentionAtEnd = 1,
  kRetentionNew = 2,
  kRetentionChurned = 3,
  kRetentionCounters = 4
};

// The `until` of a span that has not ended.
constexpr int64_t kOpenSpanEnd = std::numeric_limits<int64_t>::max();

struct ActivitySpan {
  int64_t from = 0;
  int64_t until = kOpenSpanEnd;  // exclusive
};

// Whether the span crosses boundary t.
inline bool span_crosses(const ActivitySpan& span, int64_t t) {
  return span.from < t && t < span.until;
}

// Throws std::invalid_argument unless until >= from.
void validate_activity_span(const ActivitySpan& span);

// Throws std::invalid_argument unless end > start.
void validate_retention_period(int64_t start, int64_t end);

// counters[kRetention*] += sign for each count the span adds to in period [start, end). Requires a valid span
// and period (not checked here: this runs once per row).
inline void retention_count_span(double* counters, const ActivitySpan& span, int64_t start, int64_t end,
                                 double sign) {
  const bool at_start = span_crosses(span, start);
  const bool at_end = span_crosses(span, end);
  if (at_start) counters[kRetentionAtStart] += sign;
  if (at_end) {
    counters[kRetentionAtEnd] += sign;
    // Crossing end but not start, with until > end > start, means start <= from < end.
    if (!at_start) counters[kRetentionNew] += sign;
  } else if (at_start) {
    counters[kRetentionChurned] += sign;  // crossed start, not end: until in (start, end]
  }
}

struct RetentionCounts {
  double at_start = 0, at_end = 0, new_customers = 0, churned = 0;
};

inline RetentionCounts retention_counts_of(const double* counters) {
  return {counters[kRetentionAtStart], counters[kRetentionAtEnd], counters[kRetentionNew],
          counters[kRetentionChurned]};
}

struct RetentionSummary {
  double retention_rate = 0;  // (E - N)/S
  double churn_rate = 0;      // C/S
  double churn_ci_low = 0;    // Wilson score interval of the churn rate
  double churn_ci_high = 0;
};

// Requires at_start > 0 (else std::invalid_argument); confidence in (0, 1).
RetentionSummary summarize_retention(const RetentionCounts& counts, double confidence = 0.95);

// Wilson score interval (Wilson 1927, "Probable inference, the law of succession, and statistical inference",
// JASA 22, 209-212; Newcombe 1998 method 3) of a binomial proportion successes/n at normal quantile z:
//   (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
// Unlike the Wald interval p -+ z sqrt(p(1-p)/n) it stays inside [0, 1] and does not collapse to a point when
// p is 0 or 1, which churn rates of small segments often are. Requires n > 0, 0 <= successes <= n.
void wilson_interval(double successes, double n, double z, double* low, double* high);

// ---------------------------------------------------------------------------------------------------------------
// A series of consecutive periods [b_k, b_{k+1}), k = 0..P-1, counted in one pass.
//
// A span crosses a contiguous run of the boundaries b_0..b_P (those with from < b_j < until). The state
// keeps, per boundary j, run_starts[j] (runs beginning at j) and run_ends[j] (runs ending at j), 2(P+1)
// counters, and one row costs two binary searches and two increments whatever P. Then, with crossing(j) =
// sum_{i<=j} run_starts[i] - sum_{i<j} run_ends[i] spans crossing b_j:
//   S_k = crossing(k), E_k = crossing(k+1),
//   N_k = run_starts[k+1] (crosses b_{k+1} and not b_k: began in period k),
//   C_k = run_ends[k] for k < P (crosses b_k, not b_{k+1}: ended in period k),
// the same four counts as retention_count_span gives for that period alone.
// ---------------------------------------------------------------------------------------------------------------

// Number of counters of a series of `periods` periods.
inline int retention_series_counters(int periods) {
  return 2 * (periods + 1);
}

// Throws std::invalid_argument unless the periods + 1 boundaries are strictly increasing.
void validate_series_boundaries(const int64_t* boundaries, int periods);

// Adds sign to the run counters of the span over boundaries b_0..b_P (strictly increasing, not checked).
void retention_series_count_span(double* counters, const int64_t* boundaries, int periods,
                                 const ActivitySpan& span, double sign);

// The counts of period k (0 <= k < periods) of a series state.
RetentionCounts retention_series_period(const double* counters, int periods, int k);

// All periods' counts at once (linear, not quadratic, in periods).
std::vector<RetentionCounts> retention_series_all_periods(const double* counters, int periods);

}  // namespace loyalty
