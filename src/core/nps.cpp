#include "nps.hpp"

#include <algorithm>
#include <cmath>

#include "normal_interval.hpp"

namespace loyalty {

double net_promoter_score(const NpsCounts& counts) {
  return 100.0 * (counts.promoters - counts.detractors) / counts.respondents();
}

NpsSummary summarize_nps(const NpsCounts& counts, double confidence) {
  const double z = two_sided_normal_quantile(confidence);
  const double n = counts.respondents();
  const double p = counts.promoters / n;
  const double d = counts.detractors / n;
  // Clamped at 0: rounding can make p + d - (p - d)^2 a hair negative when all answers agree.
  const double variance = std::max(0.0, p + d - (p - d) * (p - d));

  NpsSummary s;
  s.nps = 100.0 * (p - d);
  s.std_error = 100.0 * std::sqrt(variance / n);
  s.ci_low = std::max(-100.0, s.nps - z * s.std_error);
  s.ci_high = std::min(100.0, s.nps + z * s.std_error);
  return s;
}

}  // namespace loyalty
