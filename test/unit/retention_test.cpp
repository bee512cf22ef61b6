// Period retention and churn over activity spans: the boundary conventions, E - N = S - C, the Wilson
// interval against Newcombe (1998), and the one-pass series against period-by-period counting.
#include "retention.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

using loyalty::ActivitySpan;
using loyalty::RetentionCounts;

RetentionCounts count_one(const ActivitySpan& span, int64_t start, int64_t end) {
  double c[loyalty::kRetentionCounters] = {0, 0, 0, 0};
  loyalty::retention_count_span(c, span, start, end, +1);
  return loyalty::retention_counts_of(c);
}

void expect_counts(const RetentionCounts& c, double s, double e, double n, double churned) {
  EXPECT_EQ(c.at_start, s);
  EXPECT_EQ(c.at_end, e);
  EXPECT_EQ(c.new_customers, n);
  EXPECT_EQ(c.churned, churned);
}

TEST(Retention, BoundaryConventions) {
  const int64_t start = 100, end = 200, open = loyalty::kOpenSpanEnd;
  expect_counts(count_one({50, open}, start, end), 1, 1, 0, 0);  // kept
  expect_counts(count_one({50, 150}, start, end), 1, 0, 0, 1);   // churned inside
  expect_counts(count_one({50, 200}, start, end), 1, 0, 0, 1);   // ended exactly at the end: churned here
  expect_counts(count_one({50, 100}, start, end), 0, 0, 0, 0);   // ended exactly at the start: earlier period
  expect_counts(count_one({100, open}, start, end), 0, 1, 1, 0);  // began exactly at the start: new
  expect_counts(count_one({150, open}, start, end), 0, 1, 1, 0);  // new, still there
  expect_counts(count_one({150, 180}, start, end), 0, 0, 0, 0);   // came and went inside: in no count
  expect_counts(count_one({200, open}, start, end), 0, 0, 0, 0);  // began exactly at the end: next period
  expect_counts(count_one({250, 300}, start, end), 0, 0, 0, 0);
  expect_counts(count_one({10, 20}, start, end), 0, 0, 0, 0);
  expect_counts(count_one({120, 120}, start, end), 0, 0, 0, 0);  // empty span
}

TEST(Retention, RemovingASpanUndoesAddingIt) {
  double c[4] = {0, 0, 0, 0};
  loyalty::retention_count_span(c, {50, 150}, 100, 200, +1);
  loyalty::retention_count_span(c, {50, 150}, 100, 200, -1);
  expect_counts(loyalty::retention_counts_of(c), 0, 0, 0, 0);
}

std::vector<ActivitySpan> random_spans(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> instant(0, 1000), length(0, 400);
  std::vector<ActivitySpan> spans;
  for (int i = 0; i < n; ++i) {
    ActivitySpan s;
    s.from = instant(rng);
    s.until = (i % 5 == 0) ? loyalty::kOpenSpanEnd : s.from + length(rng);
    spans.push_back(s);
  }
  return spans;
}

TEST(Retention, KeptCustomersAreEndMinusNewAndStartMinusChurned) {
  for (const ActivitySpan& span : random_spans(2000, 7)) {
    const RetentionCounts c = count_one(span, 300, 420);
    EXPECT_EQ(c.at_end - c.new_customers, c.at_start - c.churned) << span.from << " " << span.until;
    // Direct definition of "kept": began before the start, still active after the end.
    const bool kept = span.from < 300 && span.until > 420;
    EXPECT_EQ(c.at_start - c.churned, kept ? 1 : 0);
  }
}

TEST(Retention, SummaryIsAFractionWithAWilsonInterval) {
  // 263 at the start, 81 churned: Newcombe (1998), "Two-sided confidence intervals for the single
  // proportion", Stat. Med. 17, 857-872, Table I example (a): Wilson score interval 0.2553 to 0.3662 (our
  // value: the closed form above with z = 1.959963984540054, evaluated in Python).
  RetentionCounts counts;
  counts.at_start = 263;
  counts.churned = 81;
  counts.at_end = 182 + 40;
  counts.new_customers = 40;
  const loyalty::RetentionSummary s = loyalty::summarize_retention(counts);
  EXPECT_NEAR(s.churn_rate, 81.0 / 263, 1e-15);
  EXPECT_NEAR(s.retention_rate, 182.0 / 263, 1e-15);
  EXPECT_NEAR(s.retention_rate + s.churn_rate, 1, 1e-15);
  EXPECT_NEAR(s.churn_ci_low, 0.2552885198782743, 1e-12);
  EXPECT_NEAR(s.churn_ci_high, 0.3662095769828001, 1e-12);
}

TEST(Retention, WilsonIntervalMatchesNewcombe1998) {
  // Newcombe (1998) Table I, examples (b)-(d), Wilson score method; digits from the closed form in Python.
  const double z = 1.959963984540054;
  double low, high;
  loyalty::wilson_interval(15, 148, z, &low, &high);
  EXPECT_NEAR(low, 0.06238639953073629, 1e-12);  // Newcombe: 0.0624
  EXPECT_NEAR(high, 0.160487241723308, 1e-12);   // Newcombe: 0.1605
  loyalty::wilson_interval(0, 20, z, &low, &high);
  EXPECT_EQ(low, 0);
  EXPECT_NEAR(high, 0.1611251580528193, 1e-12);  // Newcombe: 0.1611
  loyalty::wilson_interval(1, 29, z, &low, &high);
  EXPECT_NEAR(low, 0.006113214292762653, 1e-12);  // Newcombe: 0.0061
  EXPECT_NEAR(high, 0.17175521879320282, 1e-12);  // Newcombe: 0.1718
  loyalty::wilson_interval(29, 29, z, &low, &high);
  EXPECT_NEAR(low, 0.8830302015002593, 1e-12);  // mirror image of 0 of 29
  EXPECT_EQ(high, 1);
}

TEST(Retention, BadInputsThrow) {
  EXPECT_THROW(loyalty::validate_activity_span({10, 9}), std::invalid_argument);
  EXPECT_NO_THROW(loyalty::validate_activity_span({10, 10}));
  EXPECT_THROW(loyalty::validate_retention_period(5, 5), std::invalid_argument);
  EXPECT_THROW(loyalty::validate_retention_period(6, 5), std::invalid_argument);
  EXPECT_THROW(loyalty::summarize_retention(RetentionCounts{}), std::invalid_argument);
  RetentionCounts one;
  one.at_start = 1;
  EXPECT_THROW(loyalty::summarize_retention(one, 1.0), std::invalid_argument);
  const int64_t not_increasing[] = {0, 10, 10};
  EXPECT_THROW(loyalty::validate_series_boundaries(not_increasing, 2), std::invalid_argument);
  EXPECT_THROW(loyalty::validate_series_boundaries(not_increasing, 0), std::invalid_argument);
}

TEST(Retention, SeriesEqualsPeriodByPeriodCounting) {
  // Uneven boundaries, spans that begin or end exactly on them, and spans outside the series.
  const std::vector<int64_t> b = {100, 130, 200, 201, 260, 400, 700, 720, 900};
  const int periods = int(b.size()) - 1;
  std::vector<ActivitySpan> spans = random_spans(5000, 11);
  for (int64_t x : b) {
    spans.push_back({x, loyalty::kOpenSpanEnd});
    spans.push_back({x - 1, x});
    spans.push_back({x, x + 1});
    spans.push_back({0, x});
  }
  std::vector<double> series(loyalty::retention_series_counters(periods), 0.0);
  std::vector<std::vector<double>> single(periods, std::vector<double>(4, 0.0));
  for (const ActivitySpan& span : spans) {
    loyalty::retention_series_count_span(series.data(), b.data(), periods, span, +1);
    for (int k = 0; k < periods; ++k)
      loyalty::retention_count_span(single[k].data(), span, b[k], b[k + 1], +1);
  }
  const std::vector<RetentionCounts> all = loyalty::retention_series_all_periods(series.data(), periods);
  for (int k = 0; k < periods; ++k) {
    const RetentionCounts one = loyalty::retention_series_period(series.data(), periods, k);
    const RetentionCounts expected = loyalty::retention_counts_of(single[k].data());
    for (const RetentionCounts& c : {all[k], one}) {
      EXPECT_EQ(c.at_start, expected.at_start) << k;
      EXPECT_EQ(c.at_end, expected.at_end) << k;
      EXPECT_EQ(c.new_customers, expected.new_customers) << k;
      EXPECT_EQ(c.churned, expected.churned) << k;
    }
  }
  EXPECT_GT(all[2].at_start, 0);  // the data do reach into the series
  // Removing every span returns the state to zero (the moving-aggregate inverse).
  for (const ActivitySpan& span : spans)
    loyalty::retention_series_count_span(series.data(), b.data(), periods, span, -1);
  for (double v : series) EXPECT_EQ(v, 0);
  EXPECT_THROW(loyalty::retention_series_period(series.data(), periods, periods), std::out_of_range);
}

}  // namespace
