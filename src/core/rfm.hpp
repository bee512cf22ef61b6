// RFM scoring (Hughes 1994, "Strategic Database Marketing"): each customer gets a score 1..k on recency
// (days since the last purchase, fewer is better), frequency and monetary value, by comparing them with the
// other customers.
//
// The quantile rule (ties are never split): among the n scored customers, a value x scores
//     score(x) = 1 + floor(k * below(x) / n)
// where below(x) is the number of customers with a strictly worse value (a smaller frequency or monetary
// value, a larger days_since_last). This is 1 + floor(k * (rank - 1) / n) with rank the SQL rank() of the
// value ordered from worst to best, so equal values always share a score, and a score of s + 1 needs a value
// strictly better than at least s / k of the customers.
//
// The same scores come from k - 1 breakpoints per dimension, which are data values: with v(1) <= ... <= v(n)
// the values sorted from worst to best and m_j = ceil(j * n / k),
//     b_j = v(m_j)        and      score(x) = 1 + #{ j : x is strictly better than b_j }.
// (Proof: score(x) >= j + 1  <=>  below(x) >= j n / k  <=>  below(x) >= m_j  <=>  v(m_j) is worse than x.)
// Stored breakpoints thus score new customers exactly as re-ranking would have scored them.
//
// Segments: the standard 11-segment map of the 125 codes of 1-5 scores (Champions ... Lost), each code in
// exactly one segment; see rfm_segment.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace loyalty {

constexpr int kRfmDefaultBuckets = 5;
constexpr int kRfmMinBuckets = 2;
constexpr int kRfmMaxBuckets = 9;  // one digit per score in the code

// Throws std::invalid_argument unless 2 <= buckets <= 9.
void validate_rfm_buckets(int buckets);

// Which direction is better for a dimension.
enum class RfmOrder { lower_is_better, higher_is_better };

// The k - 1 breakpoints of `values` (reordered in place) under the rule above; `values` must not be empty
// and must not hold NaN. For higher_is_better they are non-decreasing, for lower_is_better non-increasing.
std::vector<double> rfm_dimension_breakpoints(std::vector<double>& values, int buckets, RfmOrder order);

// The score 1..count+1 of `value` against `count` breakpoints (the count is buckets - 1).
inline int rfm_dimension_score(double value, const double* breakpoints, int count, RfmOrder order) noexcept {
  int score = 1;
  if (order == RfmOrder::higher_is_better) {
    for (int j = 0; j < count; ++j) score += value > breakpoints[j];
  } else {
    for (int j = 0; j < count; ++j) score += value < breakpoints[j];
  }
  return score;
}

struct RfmBreakpoints {
  int buckets = kRfmDefaultBuckets;
  std::vector<double> recency;    // days_since_last, non-increasing
  std::vector<double> frequency;  // non-decreasing
  std::vector<double> monetary;   // non-decreasing
  int64_t customers = 0;          // how many customers they were computed from
};

// Throws std::invalid_argument naming the problem unless the buckets are valid and each list has
// buckets - 1 entries, none NaN, in its direction's order.
void validate_rfm_breakpoints(const RfmBreakpoints& breakpoints);

// Breakpoints of n customers (n > 0, no NaN): customer i's values are days_since_last[i * stride],
// frequency[i * stride] and monetary[i * stride] (stride 3 reads interleaved triples). check_interrupt may be
// empty.
RfmBreakpoints rfm_breakpoints(const double* days_since_last, const double* frequency, const double* monetary,
                               std::size_t n, int buckets, const std::function<void()>& check_interrupt,
                               std::size_t stride = 1);

struct RfmScore {
  int r = 0;
  int f = 0;
  int m = 0;
};

RfmScore rfm_score(double days_since_last, double frequency, double monetary,
                   const RfmBreakpoints& breakpoints) noexcept;

// Scores n customers against each other (the window form): out[i] for row i. Equal to rfm_score against
// rfm_breakpoints of the same rows.
void rfm_score_all(const double* days_since_last, const double* frequency, const double* monetary,
                   std::size_t n, int buckets, RfmScore* out, const std::function<void()>& check_interrupt);

// "545": one digit per score.
std::string rfm_code(const RfmScore& score);

// The standard named segments, in the map's order from best to worst.
enum class RfmSegment {
  champions,
  loyal,
  potential_loyalist,
  new_customers,
  promising,
  need_attention,
  about_to_sleep,
  at_risk,
  cannot_lose_them,
  hibernating,
  lost,
};
constexpr int kRfmSegments = 11;

// The segment's display name, e.g. "Cannot Lose Them".
const char* rfm_segment_name(RfmSegment segment) noexcept;

// The segment of 1-5 scores; a score outside 1-5 throws std::out_of_range naming it.
RfmSegment rfm_segment(int r, int f, int m);

// The segment of a three-digit code such as "545": std::invalid_argument unless it is three digits,
// std::out_of_range when a digit is outside 1-5.
RfmSegment rfm_segment(const std::string& code);

}  // namespace loyalty
