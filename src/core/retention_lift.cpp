#include "retention_lift.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "normal_interval.hpp"
#include "number_text.hpp"
#include "retention.hpp"

#include "math_policy.hpp"

namespace loyalty {

double two_sided_normal_p_value(double z) {
  if (std::isnan(z)) return z;
  errno = 0;
  const double tail = cdf(complement(dist::normal(0, 1), std::fabs(z)));
  if (errno != 0 || !std::isfinite(tail))
    throw std::domain_error("normal tail undefined for z = " + number_text(z));
  return std::min(1.0, 2 * tail);
}

RetentionLift retention_lift(const RetentionLiftCounts& c, double confidence) {
  if (!(c.treated >= 0 && c.control >= 0 && c.treated_retained >= 0 && c.control_retained >= 0) ||
      c.treated_retained > c.treated || c.control_retained > c.control)
    throw std::invalid_argument(
        "retention lift counts must be non-negative with retained <= customers, got " +
        number_text(c.treated_retained) + " of " + number_text(c.treated) + " and " +
        number_text(c.control_retained) + " of " + number_text(c.control));
  const double z_crit = two_sided_normal_quantile(confidence);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  RetentionLift r;
  r.treated_rate = c.treated > 0 ? c.treated_retained / c.treated : nan;
  r.control_rate = c.control > 0 ? c.control_retained / c.control : nan;
  r.absolute_lift = r.treated_rate - r.control_rate;  // NaN when a group is empty
  r.relative_lift = r.control_rate > 0 ? r.absolute_lift / r.control_rate : nan;
  if (c.treated > 0 && c.control > 0) {
    double treated_low, treated_high, control_low, control_high;
    wilson_interval(c.treated_retained, c.treated, z_crit, &treated_low, &treated_high);
    wilson_interval(c.control_retained, c.control, z_crit, &control_low, &control_high);
    const double below = std::hypot(r.treated_rate - treated_low, control_high - r.control_rate);
    const double above = std::hypot(treated_high - r.treated_rate, r.control_rate - control_low);
    r.difference_ci_low = std::max(-1.0, r.absolute_lift - below);
    r.difference_ci_high = std::min(1.0, r.absolute_lift + above);
    const double pooled = (c.treated_retained + c.control_retained) / (c.treated + c.control);
    const double pooled_se = std::sqrt(pooled * (1 - pooled) * (1 / c.treated + 1 / c.control));
    // Everyone retained, or nobody: both rates are equal and the test has nothing to say.
    r.z_score = pooled_se > 0 ? r.absolute_lift / pooled_se : nan;
    r.p_value = two_sided_normal_p_value(r.z_score);
  } else {
    r.difference_ci_low = r.difference_ci_high = r.z_score = r.p_value = nan;
  }
  return r;
}

}  // namespace loyalty
