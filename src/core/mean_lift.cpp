#include "mean_lift.hpp"

#include <cerrno>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "number_text.hpp"

#include "math_policy.hpp"

namespace loyalty {

void moments_combine(MeanMoments& into, const MeanMoments& from) noexcept {
  if (from.n == 0) return;
  if (into.n == 0) {
    into = from;
    return;
  }
  const double n = into.n + from.n;
  const double delta = from.mean - into.mean;
  into.mean += delta * (from.n / n);
  into.m2 += from.m2 + delta * delta * (into.n * from.n / n);
  into.n = n;
}

bool moments_are_valid(const MeanMoments& m) noexcept {
  if (!(m.n >= 0) || !std::isfinite(m.n) || m.n != std::floor(m.n)) return false;
  if (!std::isfinite(m.mean) || !std::isfinite(m.m2) || !(m.m2 >= 0)) return false;
  return m.n > 0 || (m.mean == 0 && m.m2 == 0);
}

MeanLift mean_lift(const MeanMoments& treated, const MeanMoments& control, double confidence) {
  if (!moments_are_valid(treated) || !moments_are_valid(control))
    throw std::invalid_argument("mean_lift: invalid group moments");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("confidence level " + number_text(confidence) +
                                " must lie strictly between 0 and 1");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  MeanLift r;
  const double var_t = treated.n >= 2 ? treated.m2 / (treated.n - 1) : nan;
  const double var_c = control.n >= 2 ? control.m2 / (control.n - 1) : nan;
  r.treated_sd = std::sqrt(var_t);
  r.control_sd = std::sqrt(var_c);
  r.difference = treated.n > 0 && control.n > 0 ? treated.mean - control.mean : nan;
  r.relative_difference = control.n > 0 && control.mean != 0 ? r.difference / control.mean : nan;
  r.ci_low = r.ci_high = r.t_statistic = r.degrees_of_freedom = r.p_value = nan;
  const double a = var_t / treated.n, b = var_c / control.n;  // NaN unless both groups have 2 or more
  const double se = std::sqrt(a + b);
  if (!(se > 0) || !std::isfinite(se)) return r;
  r.t_statistic = r.difference / se;
  r.degrees_of_freedom = (a + b) * (a + b) / (a * a / (treated.n - 1) + b * b / (control.n - 1));
  errno = 0;
  const dist::students_t t_dist(r.degrees_of_freedom);
  const double tail = cdf(complement(t_dist, std::fabs(r.t_statistic)));
  const double critical = quantile(t_dist, 0.5 + confidence / 2);
  // ERANGE alone is an underflow inside the evaluation (a tail far below 1e-300 for a large |t|): the value
  // returned is still right. A domain or evaluation error is not.
  if ((errno != 0 && errno != ERANGE) || !std::isfinite(tail) || !std::isfinite(critical))
    throw std::domain_error("mean_lift: Student's t undefined for " + number_text(r.degrees_of_freedom) +
                            " degrees of freedom");
  r.p_value = std::fmin(1.0, 2 * tail);
  r.ci_low = r.difference - critical * se;
  r.ci_high = r.difference + critical * se;
  return r;
}

}  // namespace loyalty
