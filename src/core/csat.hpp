// Customer Satisfaction score (CSAT): the share of "top-two-box" answers, in percent. On the usual 1-5 scale
// the satisfied answers are 4 and 5; on a 1-k scale they are k-1 and k.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <stdexcept>
#include <string>

namespace loyalty {

constexpr int kCsatDefaultScaleMax = 5;

// A scale must have at least 3 points, otherwise "top two boxes" is every answer: std::invalid_argument.
inline void validate_csat_scale(int scale_max) {
  if (scale_max < 3)
    throw std::invalid_argument("csat scale maximum " + std::to_string(scale_max) + " must be at least 3");
}

// Whether a rating on a 1..scale_max scale is in the top two boxes; a rating outside the scale throws
// std::out_of_range naming it.
inline bool csat_is_satisfied(int score, int scale_max) {
  if (score < 1 || score > scale_max)
    throw std::out_of_range("csat score " + std::to_string(score) + " is outside the scale 1 to " +
                            std::to_string(scale_max));
  return score >= scale_max - 1;
}

// 100 * satisfied / respondents; requires respondents > 0.
inline double csat_percent(double satisfied, double respondents) {
  return 100.0 * satisfied / respondents;
}

}  // namespace loyalty
