#include "normal_interval.hpp"

#include <cerrno>
#include <cmath>
#include <stdexcept>
#include <string>

#include "number_text.hpp"

#include "math_policy.hpp"

namespace loyalty {

double two_sided_normal_quantile(double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("confidence level " + number_text(confidence) +
                                " must lie strictly between 0 and 1");
  errno = 0;
  const double z = quantile(dist::normal(0, 1), 0.5 + confidence / 2);
  if (errno != 0 || !std::isfinite(z))
    throw std::domain_error("normal quantile undefined for confidence level " + number_text(confidence));
  return z;
}

}  // namespace loyalty
