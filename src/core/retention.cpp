#include "retention.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "normal_interval.hpp"
#include "number_text.hpp"

namespace loyalty {

void validate_activity_span(const ActivitySpan& span) {
  if (span.until < span.from)
    throw std::invalid_argument("activity span ends (" + std::to_string(span.until) + ") before it begins (" +
                                std::to_string(span.from) + ")");
}

void validate_retention_period(int64_t start, int64_t end) {
  if (end <= start)
    throw std::invalid_argument("period end (" + std::to_string(end) + ") must be after period start (" +
                                std::to_string(start) + ")");
}

void wilson_interval(double successes, double n, double z, double* low, double* high) {
  if (!(n > 0) || !(successes >= 0) || successes > n)
    throw std::invalid_argument("wilson interval needs 0 <= successes <= n and n > 0, got " +
                                number_text(successes) + " of " + number_text(n));
  const double p = successes / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double center = (p + z2 / (2 * n)) / denominator;
  const double half = z / denominator * std::sqrt(std::max(0.0, p * (1 - p) / n + z2 / (4 * n * n)));
  *low = std::max(0.0, center - half);
  *high = std::min(1.0, center + half);
  // Exact at the edges: rounding must not move the bound of a 0% or 100% rate.
  if (successes == 0) *low = 0;
  if (successes == n) *high = 1;
}

RetentionSummary summarize_retention(const RetentionCounts& counts, double confidence) {
  if (!(counts.at_start > 0))
    throw std::invalid_argument("retention needs customers at the period start, got " +
                                number_text(counts.at_start));
  const double z = two_sided_normal_quantile(confidence);
  RetentionSummary s;
  s.retention_rate = (counts.at_end - counts.new_customers) / counts.at_start;
  s.churn_rate = counts.churned / counts.at_start;
  wilson_interval(counts.churned, counts.at_start, z, &s.churn_ci_low, &s.churn_ci_high);
  return s;
}

void validate_series_boundaries(const int64_t* boundaries, int periods) {
  if (periods < 1)
    throw std::invalid_argument("a series needs at least one period, got " + std::to_string(periods));
  for (int k = 0; k < periods; ++k)
    if (boundaries[k + 1] <= boundaries[k])
      throw std::invalid_argument("period " + std::to_string(k + 1) +
                                  " of the series does not end after it starts");
}

void retention_series_count_span(double* counters, const int64_t* boundaries, int periods,
                                 const ActivitySpan& span, double sign) {
  const int64_t* first = boundaries;
  const int64_t* last = boundaries + periods + 1;
  // Crossed boundaries: from < b_j < until, a contiguous run [lo, hi].
  const long lo = std::upper_bound(first, last, span.from) - first;
  const long hi = (std::lower_bound(first, last, span.until) - first) - 1;
  if (lo > hi) return;
  counters[lo] += sign;                // run_starts[lo]
  counters[periods + 1 + hi] += sign;  // run_ends[hi]
}

std::vector<RetentionCounts> retention_series_all_periods(const double* counters, int periods) {
  const double* run_starts = counters;
  const double* run_ends = counters + periods + 1;
  std::vector<RetentionCounts> result(periods);
  double crossing = run_starts[0];  // crossing(0)
  for (int k = 0; k < periods; ++k) {
    RetentionCounts& c = result[k];
    c.at_start = crossing;
    crossing += run_starts[k + 1] - run_ends[k];  // crossing(k+1)
    c.at_end = crossing;
    c.new_customers = run_starts[k + 1];
    c.churned = run_ends[k];
  }
  return result;
}

RetentionCounts retention_series_period(const double* counters, int periods, int k) {
  if (k < 0 || k >= periods)
    throw std::out_of_range("period " + std::to_string(k) + " is outside the series of " +
                            std::to_string(periods) + " periods");
  const double* run_starts = counters;
  const double* run_ends = counters + periods + 1;
  double crossing = 0;  // crossing(k)
  for (int i = 0; i <= k; ++i) crossing += run_starts[i] - (i < k ? run_ends[i] : 0);
  RetentionCounts c;
  c.at_start = crossing;
  c.at_end = crossing + run_starts[k + 1] - run_ends[k];
  c.new_customers = run_starts[k + 1];
  c.churned = run_ends[k];
  return c;
}

}  // namespace loyalty
