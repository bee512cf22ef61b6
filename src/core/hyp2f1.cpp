// Gauss hypergeometric function 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1, computed in log space.
//
// On this domain every term of the Gauss series is positive, so nothing cancels; the only difficulty is that
// the series converges like z^n, hopelessly slowly as z -> 1. Three tools, each free of cancellation:
//
// 1. The Gauss series (Abramowitz & Stegun 15.1.1), summed in long double with rescaling, whenever it
//    converges within a budget of terms (always for z <= 1/2; for larger z only when it converges fast).
// 2. Otherwise, when c > b (or c > a, by symmetry), Euler's integral (A&S 15.3.1)
//      2F1(a, b; c; z) = 1 / B(b, c - b) * int_0^1 t^(b-1) (1-t)^(c-b-1) (1 - z t)^(-a) dt,
//    whose integrand is positive. In the logit variable y = log(t / (1 - t)) the log-integrand is unimodal;
//    it is integrated by a double exponential rule (Takahasi & Mori 1974) centred on its mode with its width
//    as scale, y = y0 + kappa sinh(x), entirely in log space: log t and log(1 - t) come from y without
//    cancellation, so the endpoint singularities t^(b-1), (1-t)^(c-b-1) and the peak of (1 - z t)^(-a) at
//    1 - t ~ 1 - z (z -> 1, large a) neither overflow nor lose digits. The step is halved until two levels
//    agree.
// 3. When c <= min(a, b), the contiguous relation (from the series, term by term)
//      2F1(a, b; c; z) = 2F1(a, b; c + 1; z) + a b z / (c (c + 1)) 2F1(a + 1, b + 1; c + 2; z)
//    is applied K times: it writes 2F1 as a positive combination of 2F1(a + j, b + j; c + K + j; z),
//    j = 0..K, each with c' > min(a', b'), so under 1. or 2.
//
// The connection formulas to 1 - z (A&S 15.3.6, 15.3.10-12) are deliberately not used: they cancel badly when
// c - a - b is near an integer, which the fitted parameters of the BTYD models can be at any iteration.
#include "hyp2f1.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "log_space.hpp"
#include "math_policy.hpp"

namespace loyalty {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Gauss series, A&S 15.1.1, in long double (64-bit mantissa: the ~n rounding errors of n terms stay far below
// double precision). Returns false when it has not converged within max_terms.
bool log_series(double a, double b, double c, double z, long max_terms, double* result) {
  using ld = long double;
  const ld za = z;
  ld term = 1, sum = 1;
  double log_scale = 0;  // true value = sum * exp(log_scale)
  const ld big = 1e300L;
  for (long n = 0; n < max_terms; ++n) {
    const ld ratio = (a + n) * static_cast<ld>(b + n) / ((c + n) * static_cast<ld>(n + 1)) * za;
    term *= ratio;
    sum += term;
    if (sum > big) {
      sum /= big;
      term /= big;
      log_scale += std::log(1e300);
    }
    // Past the peak the ratio tends monotonically to z, so the tail is bounded by a geometric series with
    // ratio max(ratio, z).
    const ld q = std::max(ratio, za);
    if (q < 1 && term * q / (1 - q) < sum * 1e-19L) {
      *result = static_cast<double>(std::log(sum)) + log_scale;
      return true;
    }
  }
  return false;
}

// The Euler integrand in the logit variable y = log(t / (1 - t)) (dt = t (1 - t) dy), in log space:
//   g(y) = b log t + (c - b) log(1 - t) - a log(1 - z t).
// g is unimodal: g(y) = b y + (a - c) log(1 + e^y) - a log(1 + (1 - z) e^y) is concave when a <= c; when a >
// c, g'(y) = b + (a - c) sigma(y) - a sigma(y + log(1 - z)) has a single extremum (the ratio of the two
// sigmoid derivatives is monotone), so it still falls from b > 0 to b - c < 0 crossing zero once. Its peak
// sits at 1 - t ~ 1 - z for z -> 1 and large a.
struct EulerIntegrand {
  double a, b, c_minus_b, z, one_minus_z;
  // t and 1 - t from y without cancellation: log t = -softplus(-y), log(1 - t) = -softplus(y).
  void point(double y, double* log_t, double* log_1mt, double* t, double* one_minus_t) const {
    *log_t = -softplus(-y);
    *log_1mt = -softplus(y);
    *t = std::exp(*log_t);
    *one_minus_t = std::exp(*log_1mt);
  }
  double g(double y, double* slope) const {
    double log_t, log_1mt, t, one_minus_t;
    point(y, &log_t, &log_1mt, &t, &one_minus_t);
    // 1 - z t = (1 - z) + z (1 - t): a sum of two non-negative numbers, no cancellation as t -> 1.
    const double one_minus_zt = one_minus_z + z * one_minus_t;
    if (slope) *slope = b * one_minus_t - c_minus_b * t + a * z * t * one_minus_t / one_minus_zt;
    return b * log_t + c_minus_b * log_1mt - a * std::log(one_minus_zt);
  }
  // Whether, beyond y on its side, the integrand can only decrease: (1 - z t)^(-a) no longer varies
  // (a z t or a z (1-t) / (1-z) below 1e-3) and the log of the weighted integrand falls, slope_x < -1.
  bool past_peak(double y, double slope_x, bool right) const {
    const double t = std::exp(-softplus(-y)), one_minus_t = std::exp(-softplus(y));
    if (right) return a * z * one_minus_t < 1e-3 * one_minus_z && slope_x < -1;
    return (a + b + c_minus_b) * t < 1e-3 && slope_x > 1;
  }
};

// log int_0^1 t^(b-1) (1-t)^(c-b-1) (1 - z t)^(-a) dt for c > b > 0, a > 0, 0 <= z < 1 (A&S 15.3.1), as
// int exp(g(y)) dy by a double exponential rule centred on the peak of g: y = y0 + kappa sinh(x), with y0 the
// mode of g and kappa = 1 / sqrt(-g''(y0)) its width (Takahasi & Mori 1974; the sinh map gives the
// exponentially decaying tails of exp(g) a double exponential decay in x).
double log_euler_integral(double a, double b, double c, double z) {
  const EulerIntegrand f{a, b, c - b, z, 1.0 - z};
  // Mode by bisection on g' (which changes sign once): at y = -/+750, t or 1 - t underflows to 0 and
  // g' = b > 0 or -(c - b) < 0 exactly.
  double lo = -750, hi = 750, slope = 0;
  for (int i = 0; i < 100 && hi - lo > 1e-7 * std::max(1.0, std::fabs(lo)); ++i) {
    const double mid = 0.5 * (lo + hi);
    f.g(mid, &slope);
    if (slope > 0)
      lo = mid;
    else
      hi = mid;
  }
  const double y0 = 0.5 * (lo + hi);
  double slope_up = 0, slope_down = 0;
  const double d = 1e-4;
  f.g(y0 + d, &slope_up);
  f.g(y0 - d, &slope_down);
  const double curvature = (slope_down - slope_up) / (2 * d);  // -g''(y0)
  double kappa = curvature > 0 && std::isfinite(curvature) ? 1 / std::sqrt(curvature) : 1.0;
  kappa = std::min(std::max(kappa, 1e-6), 1e3);
  const double log_kappa = std::log(kappa);

  auto term = [&](double x, bool* past_peak) {
    const double y = y0 + kappa * std::sinh(x);
    double dg = 0;
    const double v = f.g(y, &dg) + log_kappa + std::log(std::cosh(x));
    const double slope_x = kappa * std::cosh(x) * dg + std::tanh(x);  // d v / dx
    *past_peak = f.past_peak(y, slope_x, x > 0);
    return v;
  };
  return log_double_exponential_integral(term);
}

double log_hyp2f1_impl(double a, double b, double c, double z, int depth);

// log 2F1 where the series is too slow (z > 1/2, or out of budget) and c > min(a, b): Euler's integral with the parameter
// below c as the exponent of t.
double log_hyp2f1_integral(double a, double b, double c, double z) {
  // 2F1 is symmetric in a and b; use as "b" (the t exponent) one that is below c, preferring the one that
  // leaves the larger smallest exponent (shorter tails for the quadrature).
  const bool b_ok = c > b, a_ok = c > a;
  bool swap = false;
  if (a_ok && b_ok) {
    swap = std::min(a, c - a) > std::min(b, c - b);
  } else {
    swap = a_ok;
  }
  if (swap) std::swap(a, b);
  const double log_integral = log_euler_integral(a, b, c, z);
  return log_integral - log_beta(b, c - b);
}

// c <= min(a, b), the series too slow: the contiguous relation in the header comment, applied K times.
double log_hyp2f1_raise_c(double a, double b, double c, double z, int depth) {
  const double gap = std::min(a, b) - c;
  if (gap > 5000) return kNaN;
  const int steps = static_cast<int>(std::floor(gap)) + 1;
  // log_coef[j] after k steps: coefficient of 2F1(a + j, b + j; c + k + j; z).
  std::vector<double> log_coef(1, 0.0);
  for (int k = 0; k < steps; ++k) {
    std::vector<double> next(log_coef.size() + 1, -std::numeric_limits<double>::infinity());
    for (size_t j = 0; j < log_coef.size(); ++j) {
      const double cj = c + k + static_cast<double>(j);
      const double log_w = std::log(a + j) + std::log(b + j) + std::log(z) - std::log(cj) - std::log(cj + 1);
      LogSum keep;
      keep.add(next[j]);
      keep.add(log_coef[j]);
      next[j] = keep.value();
      next[j + 1] = log_coef[j] + log_w;  // nothing was there yet
    }
    log_coef.swap(next);
  }
  LogSum total;
  for (size_t j = 0; j < log_coef.size(); ++j) {
    const double term = log_hyp2f1_impl(a + j, b + j, c + steps + static_cast<double>(j), z, depth + 1);
    if (std::isnan(term)) return kNaN;
    total.add(log_coef[j] + term);
  }
  return total.value();
}

double log_hyp2f1_impl(double a, double b, double c, double z, int depth) {
  if (z == 0) return 0;
  double result = 0;
  // Up to z = 1/2 the series converges geometrically (at worst like 2^-n) after its peak, which lies near
  // n = a b z / c for large parameters; beyond, it is used only while it is cheaper than the quadrature. The
  // budget bounds the work of one call (~1-2 ms at z <= 1/2): past it, as for z > 1/2, the quadrature (a
  // parameter of 1e308 put the peak out of reach and took seconds to give up).
  const long budget = z <= 0.5 ? 200000L : 3000L;
  if (log_series(a, b, c, z, budget, &result)) return result;
  if (c > std::min(a, b)) return log_hyp2f1_integral(a, b, c, z);
  if (depth > 0) return kNaN;  // cannot happen: raising c leaves c' > min(a', b')
  return log_hyp2f1_raise_c(a, b, c, z, depth);
}

}  // namespace

double log_hyp2f1(double a, double b, double c, double z) {
  if (!(std::isfinite(a) && std::isfinite(b) && std::isfinite(c) && std::isfinite(z))) return kNaN;
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1)) return kNaN;
  return log_hyp2f1_impl(a, b, c, z, 0);
}

double hyp2f1(double a, double b, double c, double z) {
  return std::exp(log_hyp2f1(a, b, c, z));
}

}  // namespace loyalty
