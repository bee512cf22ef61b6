// Numerics in log space shared by the models: running log-sum-exp, softplus, log B(p, q), and a double
// exponential quadrature whose terms are summed in logs.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <cmath>
#include <limits>

#include "math_policy.hpp"

namespace loyalty {

// Running log(sum exp(v_i)), exact for terms of very different magnitude.
struct LogSum {
  double max = -std::numeric_limits<double>::infinity();
  double scaled = 0;  // sum exp(v_i - max)
  void add(double v) {
    if (!(v > -std::numeric_limits<double>::infinity())) return;
    if (v > max) {
      scaled = scaled * std::exp(max - v) + 1.0;
      max = v;
    } else {
      scaled += std::exp(v - max);
    }
  }
  void add(const LogSum& other) {
    if (other.scaled > 0) add(other.max + std::log(other.scaled));
  }
  double value() const {
    return scaled > 0 ? max + std::log(scaled) : -std::numeric_limits<double>::infinity();
  }
};

// log(1 + exp(y)) without overflow or loss of digits.
inline double softplus(double y) {
  return y > 0 ? y + std::log1p(std::exp(-y)) : std::log1p(std::exp(y));
}

// log B(p, q) = lgamma(p) + lgamma(q) - lgamma(p + q).
inline double log_beta(double p, double q) {
  return math::lgamma(p) + math::lgamma(q) - math::lgamma(p + q);
}

// Hand-written rather than Boost's tanh_sinh because the terms must be summed in logs: BG/NBD's expected
// purchases integrate p^(a-1) (1-p)^b ... whose values for heavy buyers (b + x in the thousands) lie far
// below the smallest double (log-integrand < -745), where a linear-space rule returns 0 or NaN.
//
// log of the integral over x of exp(term(x)), where term(x, &past_peak) is the log of the integrand already
// mapped by a double exponential substitution (Jacobian included) and sets past_peak once x, moving outward
// from 0, is beyond the integrand's peak. Trapezoid sums with step 0.5, 0.25, ... are summed in log space;
// the error of such rules roughly squares as the step halves (Takahasi & Mori 1974), so two levels that agree
// to 1e-9 mean double precision. Returns NaN when a term is NaN or ten halvings do not settle.
template <typename Term>
double log_double_exponential_integral(Term&& term) {
  constexpr double kMaxX = 30;        // the substitutions reach the ends of their ranges long before |x| = 30
  constexpr double kNegligible = 45;  // exp(-45) ~ 3e-20 relative to the largest term
  constexpr int kMaxLevel = 10;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Adds the terms at x = x0 + k * step, k = 0, 1, ... (outward: step < 0 on the left) until negligible.
  auto sweep = [&](double x0, double step, LogSum* sum) {
    for (double x = x0; std::fabs(x) <= kMaxX; x += step) {
      bool past_peak = false;
      const double v = term(x, &past_peak);
      if (std::isnan(v)) return false;
      sum->add(v);
      if (past_peak && v < sum->max - kNegligible) break;
    }
    return true;
  };
  double h = 0.5;
  LogSum all;
  if (!sweep(0.0, h, &all) || !sweep(-h, -h, &all)) return nan;
  double previous = all.value() + std::log(h);
  for (int level = 1; level <= kMaxLevel; ++level) {
    h /= 2;
    LogSum odd;  // the new nodes: odd multiples of h
    if (!sweep(h, 2 * h, &odd) || !sweep(-h, -2 * h, &odd)) return nan;
    all.add(odd);
    const double current = all.value() + std::log(h);
    if (level >= 2 && std::fabs(current - previous) < 1e-9) return current;
    if (level == kMaxLevel)  // not settled to 1e-9: accept a relative agreement for large logs, else fail
      return std::fabs(current - previous) < 1e-12 * std::max(1.0, std::fabs(current)) ? current : nan;
    previous = current;
  }
  return nan;
}

}  // namespace loyalty
