#include "sbg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/math/quadrature/tanh_sinh.hpp>

#include "math_policy.hpp"
#include "gamma_ratio_series.hpp"
#include "number_text.hpp"

namespace loyalty {
namespace {

void check_period(const char* what, double t, double minimum) {
  if (!std::isfinite(t) || t < minimum || t != std::floor(t))
    throw std::invalid_argument(std::string("sbg ") + what +
                                " must be an integer >= " + number_text(minimum) + ", got " + number_text(t));
}

// log S(t) = log B(alpha, beta+t) - log B(alpha, beta) = log[G(b+t)/G(a+b+t)] - log[G(b)/G(a+b)]: paired so
// that both ratios stay moderate and S(t-1) - S(t) keeps its digits (an lgamma difference would lose ~1e-13
// at t = 200).
// When a parameter is so large that these ratios overflow, the other pairing, log[G(b+t)/G(b)] -
// log[G(a+b+t)/G(a+b)], whose ratios stay finite (gamma_ratio_series.hpp's log_gamma_ratio).
double log_survival(double a, double b, double t) {
  const double value = log_gamma_ratio(b, a) - log_gamma_ratio(b + t, a);
  if (std::isfinite(value)) return value;
  return log_gamma_ratio(b, t) - log_gamma_ratio(a + b, t);
}

// log P(T = t) = log B(alpha+1, beta+t-1) - log B(alpha, beta) = log a + log[G(b+t-1)/G(a+b+t)] -
// log[G(b)/G(a+b)].
double log_churn(double a, double b, double t) {
  const double value = std::log(a) + log_gamma_ratio(b, a) - log_gamma_ratio(b + t - 1, a + 1);
  if (std::isfinite(value)) return value;
  return std::log(a) + log_gamma_ratio(b, t - 1) - log_gamma_ratio(a + b, t);
}

// Log-likelihood (FH 2007 eq. (B3)) of one row and optionally its gradient in (alpha, beta):
//   churned:  d/da = 1/a - psi(a+b+t) + psi(a+b),  d/db = psi(b+t-1) - psi(b) - psi(a+b+t) + psi(a+b)
//   survived: d/da = -psi(a+b+t) + psi(a+b),       d/db = psi(b+t) - psi(b) - psi(a+b+t) + psi(a+b)
struct Terms {
  double a, b, psi_b, psi_ab;
  Terms(const double* params, bool gradient)
      : a(params[0]),
        b(params[1]),
        psi_b(gradient ? math::digamma(b) : 0),
        psi_ab(gradient ? math::digamma(a + b) : 0) {}
};

double row_log_likelihood(const Terms& q, const ModelRow& row, double* grad) {
  const double a = q.a, b = q.b, t = row.key[0];
  const bool churned = row.key[1] != 0;
  if (grad) {
    const double psi_abt = math::digamma(a + b + t);
    grad[0] = (churned ? 1 / a : 0.0) - psi_abt + q.psi_ab;
    grad[1] = math::digamma(churned ? b + t - 1 : b + t) - q.psi_b - psi_abt + q.psi_ab;
  }
  return churned ? log_churn(a, b, t) : log_survival(a, b, t);
}

using SbgRows = RowsWithTerms<Terms, row_log_likelihood, 2>;

void validate_model_row(const ModelRow& row) {
  validate_sbg_row(SbgRow{row.key[0], row.key[1] != 0, row.weight});
}

// DERL by its series (FH 2010 eq. (6) expanded): sum_k r(n) * prod_{j<k} (b+n+j)/(a+b+n+j) * z^k, z =
// 1/(1+d). Term k+1 / term k < z, so what remains after term k is below term_k z/(1-z) = term_k / d.
double derl_series(double a, double b, double n, double d) {
  const double z = 1 / (1 + d);
  double term = (b + n - 1) / (a + b + n - 1);
  double sum = term;
  for (double k = 0; term > 1e-17 * d * sum; ++k) {
    term *= (b + n + k) / (a + b + n + k) * z;
    sum += term;
  }
  return sum;
}

// DERL = (1+d) E[(1-theta)/(d+theta)], theta ~ Beta(a, b+n-1), by Boost's tanh-sinh quadrature under the
// project's non-throwing policy. The integrand (1+d)/B(a, b') theta^(a-1) (1-theta)^b' / (d+theta), b' =
// b+n-1, is evaluated in logs from the distance to the nearer end of (0, 1) that the rule passes as its
// second argument (negative near 0, positive near 1), so that theta ~ d next to 0 and the endpoint
// singularities of the beta density keep their digits.
double derl_quadrature(double a, double b, double n, double d) {
  const double bp = b + n - 1;
  const double log_norm = -(math::lgamma(a) + math::lgamma(bp) - math::lgamma(a + bp)) + std::log1p(d);
  auto integrand = [&](double theta, double complement) {
    const double near0 = complement < 0 ? -complement : theta,
                 near1 = complement > 0 ? complement : 1 - theta;
    if (!(near0 > 0) || !(near1 > 0)) return 0.0;
    return std::exp((a - 1) * std::log(near0) + bp * std::log(near1) - std::log(d + near0) + log_norm);
  };
  static boost::math::quadrature::tanh_sinh<double, math::project_policy>
      rule;  // its 2-argument integrate is not const in 1.74
  return rule.integrate(integrand, 0.0, 1.0, 1e-14);
}

}  // namespace

void validate_sbg_row(const SbgRow& row) {
  if (!std::isfinite(row.tenure) || row.tenure < 1 || row.tenure != std::floor(row.tenure))
    throw std::invalid_argument("sbg tenure must be a positive integer, got " + number_text(row.tenure));
  if (!std::isfinite(row.weight) || row.weight <= 0)
    throw std::invalid_argument("sbg weight must be positive and finite, got " + number_text(row.weight));
}

ModelRow to_model_row(const SbgRow& row) {
  return ModelRow{{row.tenure, row.churned ? 1.0 : 0.0, 0}, row.weight};
}

constexpr const char* kParameterNames[] = {"alpha", "beta"};

// A description reads as a table, one group of fields a line or two.
// clang-format off
const ModelDescription kSbgModel = {
    "sbg_model", "sbg", 2, kParameterNames, RowKind::contract,  // identity
    validate_model_row, SbgRows::prepare, unit_parameters, unit_parameters, 0, SbgRows::row_log_likelihood,
    nullptr, nullptr, nullptr, nullptr, nullptr};  // its own predictions: survival, retention, DERL (sbg.hpp)
// clang-format on

double sbg_survival(const SbgParams& params, double t) {
  checked_parameters(params);
  const double values[2] = {params.alpha, params.beta};
  check_period("period", t, 0);
  if (t == 0) return 1;
  return finite_prediction(std::exp(log_survival(params.alpha, params.beta, t)), "sbg", "survival",
                           kParameterNames, 2, values);
}

double sbg_retention_rate(const SbgParams& params, double t) {
  checked_parameters(params);
  check_period("period", t, 1);
  const double rate = (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
  return std::isfinite(rate) ? rate : 1 / (1 + params.alpha / (params.beta + t - 1));
}

double sbg_churn_probability(const SbgParams& params, double t) {
  checked_parameters(params);
  const double values[2] = {params.alpha, params.beta};
  check_period("period", t, 1);
  return finite_prediction(std::exp(log_churn(params.alpha, params.beta, t)), "sbg", "churn probability",
                           kParameterNames, 2, values);
}

double sbg_discounted_expected_residual_lifetime(const SbgParams& params, double n, double discount_rate) {
  checked_parameters(params);
  check_period("renewal period n", n, 1);
  const double d = discount_rate;
  if (!std::isfinite(d) || d < 0)
    throw std::invalid_argument("sbg discount rate must be non-negative and finite, got " + number_text(d));
  const double a = params.alpha, b = params.beta, values[2] = {a, b};
  if (d == 0) {
    // Undiscounted: E[(1-theta)/theta] under Beta(a, b+n-1) = (b+n-1)/(a-1), infinite when a <= 1.
    if (!(a > 1))
      throw std::domain_error(
          "sbg expected residual lifetime is infinite without discounting when alpha <= 1, got "
          "alpha " +
          number_text(a) + " (use a positive discount rate)");
    return finite_prediction((b + n - 1) / (a - 1), "sbg", "expected residual lifetime", kParameterNames, 2,
                             values);
  }
  // The series needs about log(1e17)/log(1+d) terms: use it up to ~20,000 of them.
  const double value = std::log1p(d) * 20000 >= 39.2 ? derl_series(a, b, n, d) : derl_quadrature(a, b, n, d);
  return finite_prediction(value, "sbg", "expected residual lifetime", kParameterNames, 2, values);
}

}  // namespace loyalty
