// Net Promoter Score (Reichheld 2003, "The one number you need to grow", HBR) over 0-10 ratings:
// promoters rate 9-10, passives 7-8, detractors 0-6; NPS = 100 * (promoters - detractors) / respondents.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <stdexcept>
#include <string>

namespace loyalty {

// Index of each category in a counter array (the aggregate state stores the counts in this order).
enum NpsCategory : int { kNpsPromoter = 0, kNpsPassive = 1, kNpsDetractor = 2, kNpsCategories = 3 };

// The category of one 0-10 rating; a rating outside 0-10 throws std::out_of_range naming it.
inline NpsCategory nps_category(int score) {
  if (score < 0 || score > 10)
    throw std::out_of_range("nps score " + std::to_string(score) + " is outside the range 0 to 10");
  return score >= 9 ? kNpsPromoter : (score >= 7 ? kNpsPassive : kNpsDetractor);
}

struct NpsCounts {
  double promoters = 0;
  double passives = 0;
  double detractors = 0;
  double respondents() const { return promoters + passives + detractors; }
};

// 100 * (promoters - detractors) / respondents; requires respondents > 0.
double net_promoter_score(const NpsCounts& counts);

struct NpsSummary {
  double nps = 0;
  double std_error = 0;  // in NPS points
  double ci_low = 0;
  double ci_high = 0;
};

// NPS with its standard error and a two-sided normal-approximation interval at `confidence`:
// each response is a draw of +1/0/-1, so its variance is p + d - (p - d)^2 and SE = 100 * sqrt(var / n)
// (e.g. Rocks (2016), "Confidence intervals for Net Promoter Score"). The interval is clipped to the score's
// range [-100, 100]. Requires respondents > 0; confidence in (0, 1) else std::invalid_argument.
NpsSummary summarize_nps(const NpsCounts& counts, double confidence);

}  // namespace loyalty
