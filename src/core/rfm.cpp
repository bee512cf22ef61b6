#include "rfm.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace loyalty {

namespace {

// Rows scored between two interrupt checks.
constexpr std::size_t kInterruptEvery = 16384;

void check_every(std::size_t i, const std::function<void()>& check_interrupt) {
  if (check_interrupt && i % kInterruptEvery == 0) check_interrupt();
}

// The standard RFM segment map (the 11-segment table widely used in CRM tools, e.g. the default segment
// definitions of the Squeezely RFM app): each of the 125 codes RFM, scores 1-5, in exactly one segment.
// Read as: recent and frequent/valuable codes are Champions; R 1-2 with high F/M are At Risk or Cannot Lose
// Them; R 1 with F 1 is Lost. test/unit/rfm_test.cpp checks that the lists partition the 125 codes.
struct SegmentCodes {
  RfmSegment segment;
  const char* name;
  std::array<int, 24> codes;  // 0-terminated when shorter
};

constexpr SegmentCodes kSegmentMap[kRfmSegments] = {
    {RfmSegment::champions, "Champions", {555, 554, 544, 545, 454, 455, 445}},
    {RfmSegment::loyal, "Loyal", {543, 444, 435, 355, 354, 345, 344, 335}},
    {RfmSegment::potential_loyalist, "Potential Loyalist", {553, 551, 552, 541, 542, 533, 532, 531,
                                                            452, 451, 442, 441, 431, 453, 433, 432,
                                                            423, 353, 352, 351, 342, 341, 333, 323}},
    {RfmSegment::new_customers, "New Customers", {512, 511, 422, 421, 412, 411, 311}},
    {RfmSegment::promising,
     "Promising",
     {525, 524, 523, 522, 521, 515, 514, 513, 425, 424, 413, 414, 415, 315, 314, 313}},
    {RfmSegment::need_attention, "Need Attention", {535, 534, 443, 434, 343, 334, 325, 324}},
    {RfmSegment::about_to_sleep, "About To Sleep", {331, 321, 312, 221, 213, 231, 241, 251}},
    {RfmSegment::at_risk, "At Risk", {255, 254, 245, 244, 253, 252, 243, 242, 235, 234, 225,
                                      224, 153, 152, 145, 143, 142, 135, 134, 133, 125, 124}},
    {RfmSegment::cannot_lose_them, "Cannot Lose Them", {155, 154, 144, 214, 215, 115, 114, 113}},
    {RfmSegment::hibernating, "Hibernating", {332, 322, 233, 232, 223, 222, 132, 123, 122, 212, 211}},
    {RfmSegment::lost, "Lost", {111, 112, 121, 131, 141, 151}},
};

// Segment index of each code, indexed (r-1)*25 + (f-1)*5 + (m-1); built once from kSegmentMap.
const std::array<signed char, 125>& segment_lookup() {
  static const std::array<signed char, 125> lookup = [] {
    std::array<signed char, 125> table{};
    table.fill(-1);
    for (int s = 0; s < kRfmSegments; ++s) {
      for (int code : kSegmentMap[s].codes) {
        if (code == 0) break;
        const int index = (code / 100 - 1) * 25 + (code / 10 % 10 - 1) * 5 + (code % 10 - 1);
        table[index] = static_cast<signed char>(s);
      }
    }
    return table;
  }();
  return lookup;
}

void check_score(int score, const char* which) {
  if (score < 1 || score > 5)
    throw std::out_of_range(std::string("rfm ") + which + " score " + std::to_string(score) +
                            " is outside the range 1 to 5");
}

void check_breakpoint_list(const std::vector<double>& list, int buckets, RfmOrder order, const char* which) {
  if (static_cast<int>(list.size()) != buckets - 1)
    throw std::invalid_argument(std::string("rfm ") + which + " breakpoints: expected " +
                                std::to_string(buckets - 1) + " values for " + std::to_string(buckets) +
                                " buckets, got " + std::to_string(list.size()));
  for (std::size_t j = 0; j < list.size(); ++j) {
    if (std::isnan(list[j]))
      throw std::invalid_argument(std::string("rfm ") + which + " breakpoint " + std::to_string(j + 1) +
                                  " is NaN");
    if (j > 0 && (order == RfmOrder::higher_is_better ? list[j] < list[j - 1] : list[j] > list[j - 1]))
      throw std::invalid_argument(
          std::string("rfm ") + which + " breakpoints must be " +
          (order == RfmOrder::higher_is_better ? "non-decreasing" : "non-increasing"));
  }
}

}  // namespace

void validate_rfm_buckets(int buckets) {
  if (buckets < kRfmMinBuckets || buckets > kRfmMaxBuckets)
    throw std::invalid_argument("rfm buckets " + std::to_string(buckets) + " is outside the range " +
                                std::to_string(kRfmMinBuckets) + " to " + std::to_string(kRfmMaxBuckets));
}

std::vector<double> rfm_dimension_breakpoints(std::vector<double>& values, int buckets, RfmOrder order) {
  validate_rfm_buckets(buckets);
  const std::size_t n = values.size();
  if (n == 0) throw std::invalid_argument("rfm breakpoints need at least one customer");
  std::vector<double> breakpoints(static_cast<std::size_t>(buckets - 1));
  // b_j is the m_j-th value from the worst end, m_j = ceil(j n / k) (1-based). Worst first means ascending
  // order for higher_is_better, so b_j is at ascending index m_j - 1; for lower_is_better (worst = largest)
  // it is at ascending index n - m_j. Successive nth_element calls on the shrinking remainder select them.
  std::size_t low = 0;  // values[0, low) are <= every value still to select, ascending-wise
  std::vector<std::size_t> indexes(breakpoints.size());
  for (int j = 1; j < buckets; ++j) {
    const std::size_t m = (static_cast<std::size_t>(j) * n + static_cast<std::size_t>(buckets) - 1) /
                          static_cast<std::size_t>(buckets);
    indexes[static_cast<std::size_t>(j - 1)] = order == RfmOrder::higher_is_better ? m - 1 : n - m;
  }
  // Select in ascending index order (for lower_is_better the indexes decrease with j).
  std::vector<std::size_t> ascending(indexes);
  std::sort(ascending.begin(), ascending.end());
  for (std::size_t idx : ascending) {
    if (idx >= low) {
      std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(low),
                       values.begin() + static_cast<std::ptrdiff_t>(idx), values.end());
      low = idx + 1;
    }
  }
  for (std::size_t j = 0; j < indexes.size(); ++j) breakpoints[j] = values[indexes[j]];
  return breakpoints;
}

void validate_rfm_breakpoints(const RfmBreakpoints& breakpoints) {
  validate_rfm_buckets(breakpoints.buckets);
  check_breakpoint_list(breakpoints.recency, breakpoints.buckets, RfmOrder::lower_is_better, "recency");
  check_breakpoint_list(breakpoints.frequency, breakpoints.buckets, RfmOrder::higher_is_better, "frequency");
  check_breakpoint_list(breakpoints.monetary, breakpoints.buckets, RfmOrder::higher_is_better, "monetary");
}

RfmBreakpoints rfm_breakpoints(const double* days_since_last, const double* frequency, const double* monetary,
                               std::size_t n, int buckets, const std::function<void()>& check_interrupt,
                               std::size_t stride) {
  validate_rfm_buckets(buckets);
  if (n == 0) throw std::invalid_argument("rfm breakpoints need at least one customer");
  RfmBreakpoints b;
  b.buckets = buckets;
  b.customers = static_cast<int64_t>(n);
  std::vector<double> values(n);
  auto gather = [&](const double* column) {
    for (std::size_t i = 0; i < n; ++i) values[i] = column[i * stride];
  };
  gather(days_since_last);
  b.recency = rfm_dimension_breakpoints(values, buckets, RfmOrder::lower_is_better);
  if (check_interrupt) check_interrupt();
  gather(frequency);
  b.frequency = rfm_dimension_breakpoints(values, buckets, RfmOrder::higher_is_better);
  if (check_interrupt) check_interrupt();
  gather(monetary);
  b.monetary = rfm_dimension_breakpoints(values, buckets, RfmOrder::higher_is_better);
  return b;
}

RfmScore rfm_score(double days_since_last, double frequency, double monetary,
                   const RfmBreakpoints& breakpoints) noexcept {
  const int count = breakpoints.buckets - 1;
  RfmScore s;
  s.r = rfm_dimension_score(days_since_last, breakpoints.recency.data(), count, RfmOrder::lower_is_better);
  s.f = rfm_dimension_score(frequency, breakpoints.frequency.data(), count, RfmOrder::higher_is_better);
  s.m = rfm_dimension_score(monetary, breakpoints.monetary.data(), count, RfmOrder::higher_is_better);
  return s;
}

void rfm_score_all(const double* days_since_last, const double* frequency, const double* monetary,
                   std::size_t n, int buckets, RfmScore* out, const std::function<void()>& check_interrupt) {
  if (n == 0) return;
  const RfmBreakpoints b = rfm_breakpoints(days_since_last, frequency, monetary, n, buckets, check_interrupt);
  for (std::size_t i = 0; i < n; ++i) {
    check_every(i, check_interrupt);
    out[i] = rfm_score(days_since_last[i], frequency[i], monetary[i], b);
  }
}

std::string rfm_code(const RfmScore& score) {
  std::string code(3, '0');
  code[0] = static_cast<char>('0' + score.r);
  code[1] = static_cast<char>('0' + score.f);
  code[2] = static_cast<char>('0' + score.m);
  return code;
}

const char* rfm_segment_name(RfmSegment segment) noexcept {
  return kSegmentMap[static_cast<int>(segment)].name;
}

RfmSegment rfm_segment(int r, int f, int m) {
  check_score(r, "recency");
  check_score(f, "frequency");
  check_score(m, "monetary");
  return kSegmentMap[segment_lookup()[static_cast<std::size_t>((r - 1) * 25 + (f - 1) * 5 + (m - 1))]]
      .segment;
}

RfmSegment rfm_segment(const std::string& code) {
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw std::invalid_argument("rfm code \"" + code + "\" is not three digits");
  return rfm_segment(code[0] - '0', code[1] - '0', code[2] - '0');
}

}  // namespace loyalty
