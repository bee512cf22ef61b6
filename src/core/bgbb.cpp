#include "bgbb.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "math_policy.hpp"
#include "number_text.hpp"
#include "penalized_fit.hpp"

namespace loyalty {
namespace {

void check_params(const BgBbParams& p) {
  auto check = [](const char* name, double v) {
    if (!std::isfinite(v) || v <= 0)
      throw std::invalid_argument(std::string("bgbb parameter ") + name +
                                  " must be positive and finite, got " + number_text(v));
  };
  check("alpha", p.alpha);
  check("beta", p.beta);
  check("gamma", p.gamma);
  check("delta", p.delta);
}

bool is_count(double v) {
  return std::isfinite(v) && v >= 0 && v == std::floor(v);
}

void check_history(double x, double t_x, double n) {
  auto fail = [&](const char* what) {
    throw std::invalid_argument(std::string(what) + " (frequency " + number_text(x) + ", recency " +
                                number_text(t_x) + ", periods " + number_text(n) + ")");
  };
  if (!is_count(n) || n < 1) fail("bgbb periods must be a positive integer");
  if (!is_count(x)) fail("bgbb frequency must be a non-negative integer");
  if (!is_count(t_x)) fail("bgbb recency must be a non-negative integer");
  if (x > t_x || t_x > n) fail("bgbb data must satisfy frequency <= recency <= periods");
  if (x == 0 && t_x != 0) fail("bgbb recency must be 0 when frequency is 0");
}

double log_beta(double a, double b) {
  return math::lgamma(a) + math::lgamma(b) - math::lgamma(a + b);
}

// log(exp(u) + exp(v)) without overflow.
double log_add(double u, double v) {
  if (u == -std::numeric_limits<double>::infinity()) return v;
  if (v == -std::numeric_limits<double>::infinity()) return u;
  double m = std::max(u, v);
  return m + std::log1p(std::exp(std::min(u, v) - m));
}

// log(Gamma(z + d) / Gamma(z)), accurate also when d is small next to z (Boost's tgamma_delta_ratio), with
// the lgamma difference as fallback where that ratio under/overflows.
double log_gamma_ratio(double z, double d) {
  double r = math::tgamma_delta_ratio(z, d);  // Gamma(z) / Gamma(z + d)
  if (std::isnormal(r)) return -std::log(r);
  return math::lgamma(z + d) - math::lgamma(z);
}

// log sum_{t=n+1}^{n+m} B(g, d+t)/B(g, d): the expected number of opportunities n+1..n+m at which a customer
// is still alive, averaged over theta ~ Beta(g, d) (FHS eqs. (8), (13)). m >= 1.
double log_sum_alive(double g, double d, double n, double m) {
  // Short horizons: exact sum with the term ratio B(g, d+t+1)/B(g, d+t) = (d+t)/(g+d+t), all ratios < 1.
  if (m <= 10000) {
    double first =
        math::lgamma(d + n + 1) - math::lgamma(g + d + n + 1) + math::lgamma(g + d) - math::lgamma(d);
    double sum = 0, term = 1;
    for (double t = n + 1; t <= n + m; ++t) {
      sum += term;
      term *= (d + t) / (g + d + t);
    }
    return first + std::log(sum);
  }
  // Long horizons: the closed form of FHS eqs. (8)/(13),
  //   d/(g-1) * G(g+d)/G(1+d) * [R(n) - R(n+m)],  R(k) = G(1+d+k)/G(g+d+k),
  // whose bracket and g-1 share their sign. At g = 1 it becomes d * [psi(1+d+n+m) - psi(1+d+n)].
  double gm1 = g - 1;
  if (std::fabs(gm1) < 1e-12)
    return std::log(d) + std::log(math::digamma(1 + d + n + m) - math::digamma(1 + d + n));
  double log_r_n = -log_gamma_ratio(1 + d + n, gm1);
  double log_r_nm = -log_gamma_ratio(1 + d + n + m, gm1);
  double hi = std::max(log_r_n, log_r_nm);
  double log_bracket = hi + std::log(-std::expm1(-std::fabs(log_r_n - log_r_nm)));
  return std::log(d) - std::log(std::fabs(gm1)) + log_gamma_ratio(1 + d, gm1) + log_bracket;
}

// Everything of the parameters alone that each row's likelihood needs.
struct ParamTerms {
  double a, b, g, d;
  double log_beta_ab, log_beta_gd;
  double psi_a, psi_b, psi_ab, psi_g, psi_d, psi_gd;
};

ParamTerms param_terms(const BgBbParams& p, bool with_digamma) {
  ParamTerms t{};
  t.a = p.alpha;
  t.b = p.beta;
  t.g = p.gamma;
  t.d = p.delta;
  t.log_beta_ab = log_beta(t.a, t.b);
  t.log_beta_gd = log_beta(t.g, t.d);
  if (with_digamma) {
    t.psi_a = math::digamma(t.a);
    t.psi_b = math::digamma(t.b);
    t.psi_ab = math::digamma(t.a + t.b);
    t.psi_g = math::digamma(t.g);
    t.psi_d = math::digamma(t.d);
    t.psi_gd = math::digamma(t.g + t.d);
  }
  return t;
}

// log L(x, t_x, n) of FHS's likelihood and, when grad is non-null, its derivatives in (alpha, beta, gamma,
// delta).
double row_log_likelihood(const ParamTerms& q, double x, double t_x, double n, double* grad) {
  const double a = q.a, b = q.b, g = q.g, d = q.d;
  // First part: alive through all n opportunities.
  double log_alive = math::lgamma(a + x) + math::lgamma(b + n - x) - math::lgamma(a + b + n) - q.log_beta_ab +
                     math::lgamma(g) + math::lgamma(d + n) - math::lgamma(g + d + n) - q.log_beta_gd;
  if (t_x == n) {
    if (grad) {
      grad[0] = math::digamma(a + x) - math::digamma(a + b + n) - q.psi_a + q.psi_ab;
      grad[1] = math::digamma(b + n - x) - math::digamma(a + b + n) - q.psi_b + q.psi_ab;
      grad[2] = q.psi_gd - math::digamma(g + d + n);
      grad[3] = math::digamma(d + n) - math::digamma(g + d + n) - q.psi_d + q.psi_gd;
    }
    return log_alive;
  }
  // Second part: died at the start of opportunity t_x + i + 1, i = 0 .. n - t_x - 1. Term i = 0 by lgamma,
  // the others by the ratio term_{i+1} / term_i = (b+t_x-x+i)/(a+b+t_x+i) * (d+t_x+i)/(g+d+t_x+i+1) < 1.
  double log_first = math::lgamma(a + x) + math::lgamma(b + t_x - x) - math::lgamma(a + b + t_x) -
                     q.log_beta_ab + math::lgamma(g + 1) + math::lgamma(d + t_x) -
                     math::lgamma(g + d + t_x + 1) - q.log_beta_gd;
  const int terms = static_cast<int>(n - t_x);
  double sum = 0, ratio = 1;
  double dsum[4] = {0, 0, 0, 0};  // sum of ratio_i * d log ratio_i / d param
  double dlog[4] = {0, 0, 0, 0};  // d log ratio_i / d param
  for (int i = 0; i < terms; ++i) {
    sum += ratio;
    if (grad)
      for (int k = 0; k < 4; ++k) dsum[k] += ratio * dlog[k];
    if (i + 1 == terms) break;
    const double u = b + t_x - x + i, ab = a + b + t_x + i, v = d + t_x + i, gd = g + d + t_x + i + 1;
    ratio *= (u / ab) * (v / gd);
    if (grad) {
      dlog[0] -= 1 / ab;
      dlog[1] += 1 / u - 1 / ab;
      dlog[2] -= 1 / gd;
      dlog[3] += 1 / v - 1 / gd;
    }
  }
  double log_died = log_first + std::log(sum);
  double log_l = log_add(log_alive, log_died);
  if (grad) {
    double w_alive = std::exp(log_alive - log_l), w_died = std::exp(log_died - log_l);
    double alive[4] = {math::digamma(a + x) - math::digamma(a + b + n) - q.psi_a + q.psi_ab,
                       math::digamma(b + n - x) - math::digamma(a + b + n) - q.psi_b + q.psi_ab,
                       q.psi_gd - math::digamma(g + d + n),
                       math::digamma(d + n) - math::digamma(g + d + n) - q.psi_d + q.psi_gd};
    double first[4] = {math::digamma(a + x) - math::digamma(a + b + t_x) - q.psi_a + q.psi_ab,
                       math::digamma(b + t_x - x) - math::digamma(a + b + t_x) - q.psi_b + q.psi_ab,
                       1 / g - math::digamma(g + d + t_x + 1) + q.psi_gd,
                       math::digamma(d + t_x) - math::digamma(g + d + t_x + 1) - q.psi_d + q.psi_gd};
    for (int k = 0; k < 4; ++k) grad[k] = w_alive * alive[k] + w_died * (first[k] + dsum[k] / sum);
  }
  return log_l;
}

void check_rows(const std::vector<BgBbRow>& rows) {
  if (rows.empty()) throw std::invalid_argument("bgbb needs at least one customer row");
}

// Weighted total log-likelihood and optionally its gradient in the natural parameters.
double total_log_likelihood(const BgBbParams& params, const std::vector<BgBbRow>& rows, double* grad,
                            const std::function<void()>& check_interrupt) {
  ParamTerms q = param_terms(params, grad != nullptr);
  double total = 0;
  if (grad) std::fill(grad, grad + 4, 0.0);
  double row_grad[4];
  size_t count = 0;
  for (const BgBbRow& row : rows) {
    if (check_interrupt && ++count % 10000 == 0) check_interrupt();
    double ll = row_log_likelihood(q, row.frequency, row.recency, row.periods, grad ? row_grad : nullptr);
    total += row.weight * ll;
    if (grad)
      for (int k = 0; k < 4; ++k) grad[k] += row.weight * row_grad[k];
  }
  return total;
}

}  // namespace

void validate_bgbb_row(const BgBbRow& row) {
  check_history(row.frequency, row.recency, row.periods);
  if (!std::isfinite(row.weight) || row.weight <= 0)
    throw std::invalid_argument("bgbb weight must be positive and finite, got " + number_text(row.weight));
}

double bgbb_log_likelihood(const BgBbParams& params, const std::vector<BgBbRow>& rows,
                           const std::function<void()>& check_interrupt) {
  check_params(params);
  check_rows(rows);
  for (const BgBbRow& row : rows) validate_bgbb_row(row);
  return total_log_likelihood(params, rows, nullptr, check_interrupt);
}

std::array<double, 4> bgbb_log_likelihood_gradient(const BgBbParams& params,
                                                   const std::vector<BgBbRow>& rows) {
  check_params(params);
  check_rows(rows);
  for (const BgBbRow& row : rows) validate_bgbb_row(row);
  std::array<double, 4> grad{};
  total_log_likelihood(params, rows, grad.data(), {});
  return grad;
}

BgBbFit bgbb_fit(const std::vector<BgBbRow>& rows, const FitOptions& options) {
  check_rows(rows);
  double customers = 0;
  for (const BgBbRow& row : rows) {
    validate_bgbb_row(row);
    customers += row.weight;
  }
  PositiveParameterFit fitted = fit_positive_parameters(
      [&](const double* theta, double* gradient) {
        return total_log_likelihood(BgBbParams{theta[0], theta[1], theta[2], theta[3]}, rows, gradient,
                                    options.check_interrupt);
      },
      4, customers, options, 1e-13, 1e-11);
  BgBbFit fit;
  fit.params = BgBbParams{fitted.theta[0], fitted.theta[1], fitted.theta[2], fitted.theta[3]};
  fit.report = fitted.report;
  return fit;
}

double bgbb_p_alive(const BgBbParams& params, double x, double t_x, double n) {
  check_params(params);
  check_history(x, t_x, n);
  ParamTerms q = param_terms(params, false);
  double log_l = row_log_likelihood(q, x, t_x, n, nullptr);
  // FHS eq. (11): alive through opportunities 1..n+1 and x transactions in n.
  double log_num = math::lgamma(q.a + x) + math::lgamma(q.b + n - x) - math::lgamma(q.a + q.b + n) -
                   q.log_beta_ab + math::lgamma(q.g) + math::lgamma(q.d + n + 1) -
                   math::lgamma(q.g + q.d + n + 1) - q.log_beta_gd;
  return std::min(1.0, std::exp(log_num - log_l));
}

double bgbb_expected_purchases(const BgBbParams& params, double x, double t_x, double n, double n_star) {
  check_params(params);
  check_history(x, t_x, n);
  if (!is_count(n_star))
    throw std::invalid_argument("bgbb n_star must be a non-negative integer, got " + number_text(n_star));
  if (n_star == 0) return 0;
  ParamTerms q = param_terms(params, false);
  double log_l = row_log_likelihood(q, x, t_x, n, nullptr);
  // FHS eq. (13): B(a+x+1, b+n-x)/B(a,b) * sum_{t=n+1}^{n+n*} B(g, d+t)/B(g,d) / L.
  double log_p = log_beta(q.a + x + 1, q.b + n - x) - q.log_beta_ab;
  return std::exp(log_p + log_sum_alive(q.g, q.d, n, n_star) - log_l);
}

double bgbb_expected_purchases_unconditional(const BgBbParams& params, double n) {
  check_params(params);
  if (!is_count(n))
    throw std::invalid_argument("bgbb periods must be a non-negative integer, got " + number_text(n));
  if (n == 0) return 0;
  // FHS eq. (8), as a/(a+b) * sum_{t=1}^{n} B(g, d+t)/B(g, d).
  return params.alpha / (params.alpha + params.beta) *
         std::exp(log_sum_alive(params.gamma, params.delta, 0, n));
}

double bgbb_probability_of_purchases(const BgBbParams& params, double n, double x) {
  check_params(params);
  if (!is_count(n))
    throw std::invalid_argument("bgbb periods must be a non-negative integer, got " + number_text(n));
  if (!is_count(x) || x > n)
    throw std::invalid_argument("bgbb frequency must be an integer between 0 and periods " + number_text(n) +
                                ", got " + number_text(x));
  ParamTerms q = param_terms(params, false);
  const double a = q.a, b = q.b, g = q.g, d = q.d;
  auto log_choose = [](double m, double k) {
    return math::lgamma(m + 1) - math::lgamma(k + 1) - math::lgamma(m - k + 1);
  };
  // FHS eq. (7). Alive through n: C(n, x) B(a+x, b+n-x)/B(a,b) * B(g, d+n)/B(g,d).
  double log_p =
      log_choose(n, x) + log_beta(a + x, b + n - x) - q.log_beta_ab + log_beta(g, d + n) - q.log_beta_gd;
  // Died at the start of opportunity i+1, i = x .. n-1: C(i, x) B(a+x, b+i-x)/B(a,b) * B(g+1, d+i)/B(g,d),
  // term_{i+1}/term_i = (i+1)/(i+1-x) * (b+i-x)/(a+b+i) * (d+i)/(g+d+i+1). Summed in log space (the binomial
  // coefficient makes the terms rise before they fall).
  if (x < n) {
    double log_term = log_beta(a + x, b) - q.log_beta_ab + log_beta(g + 1, d + x) - q.log_beta_gd;
    double hi = log_term, sum = 1;
    for (double i = x; i < n; ++i) {
      if (i > x) {
        if (log_term > hi) {
          sum = sum * std::exp(hi - log_term) + 1;
          hi = log_term;
        } else {
          sum += std::exp(log_term - hi);
        }
      }
      log_term += std::log((i + 1) / (i + 1 - x) * (b + i - x) / (a + b + i) * (d + i) / (g + d + i + 1));
    }
    log_p = log_add(log_p, hi + std::log(sum));
  }
  return std::exp(log_p);
}

}  // namespace loyalty
