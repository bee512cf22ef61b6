#include "bgbb.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "math_policy.hpp"
#include "number_text.hpp"
#include "customer_simulator.hpp"

namespace loyalty {
namespace {

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
  double psi_a = 0, psi_b = 0, psi_ab = 0, psi_g = 0, psi_d = 0, psi_gd = 0;
  ParamTerms(const double* p, bool with_digamma)
      : a(p[0]), b(p[1]), g(p[2]), d(p[3]), log_beta_ab(log_beta(a, b)), log_beta_gd(log_beta(g, d)) {
    if (with_digamma) {
      psi_a = math::digamma(a);
      psi_b = math::digamma(b);
      psi_ab = math::digamma(a + b);
      psi_g = math::digamma(g);
      psi_d = math::digamma(d);
      psi_gd = math::digamma(g + d);
    }
  }
};

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

double model_row_log_likelihood(const ParamTerms& q, const ModelRow& row, double* grad) {
  return row_log_likelihood(q, row.key[0], row.key[1], row.key[2], grad);
}

using BgBbRows = RowsWithTerms<ParamTerms, model_row_log_likelihood, 4>;

}  // namespace

void validate_bgbb_row(const BgBbRow& row) {
  check_history(row.frequency, row.recency, row.periods);
  if (!std::isfinite(row.weight) || row.weight <= 0)
    throw std::invalid_argument("bgbb weight must be positive and finite, got " + number_text(row.weight));
}

ModelRow to_model_row(const BgBbRow& row) {
  return ModelRow{{row.frequency, row.recency, row.periods}, row.weight};
}

namespace {

void validate_model_row(const ModelRow& row) {
  validate_bgbb_row(BgBbRow{row.key[0], row.key[1], row.key[2], row.weight});
}

double bgbb_p_alive(const double* params, double x, double t_x, double n) {
  check_history(x, t_x, n);
  const ParamTerms q(params, false);
  double log_l = row_log_likelihood(q, x, t_x, n, nullptr);
  // FHS eq. (11): alive through opportunities 1..n+1 and x transactions in n.
  double log_num = math::lgamma(q.a + x) + math::lgamma(q.b + n - x) - math::lgamma(q.a + q.b + n) -
                   q.log_beta_ab + math::lgamma(q.g) + math::lgamma(q.d + n + 1) -
                   math::lgamma(q.g + q.d + n + 1) - q.log_beta_gd;
  return std::min(1.0, std::exp(log_num - log_l));
}

double bgbb_expected_purchases(const double* params, double x, double t_x, double n, double n_star) {
  check_history(x, t_x, n);
  if (!is_count(n_star))
    throw std::invalid_argument("bgbb n_star must be a non-negative integer, got " + number_text(n_star));
  if (n_star == 0) return 0;
  const ParamTerms q(params, false);
  double log_l = row_log_likelihood(q, x, t_x, n, nullptr);
  // FHS eq. (13): B(a+x+1, b+n-x)/B(a,b) * sum_{t=n+1}^{n+n*} B(g, d+t)/B(g,d) / L.
  double log_p = log_beta(q.a + x + 1, q.b + n - x) - q.log_beta_ab;
  return std::exp(log_p + log_sum_alive(q.g, q.d, n, n_star) - log_l);
}

double bgbb_expected_purchases_unconditional(const double* params, double n) {
  if (!is_count(n))
    throw std::invalid_argument("bgbb periods must be a non-negative integer, got " + number_text(n));
  if (n == 0) return 0;
  // FHS eq. (8), as a/(a+b) * sum_{t=1}^{n} B(g, d+t)/B(g, d).
  return params[0] / (params[0] + params[1]) * std::exp(log_sum_alive(params[2], params[3], 0, n));
}

double bgbb_probability_of_purchases(const double* params, double n, int k) {
  const double x = k;
  if (!is_count(n))
    throw std::invalid_argument("bgbb periods must be a non-negative integer, got " + number_text(n));
  if (!is_count(x) || x > n)
    throw std::invalid_argument("bgbb frequency must be an integer between 0 and periods " + number_text(n) +
                                ", got " + number_text(x));
  const ParamTerms q(params, false);
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

}  // namespace

constexpr const char* kParameterNames[] = {"alpha", "beta", "gamma", "delta"};

// clang-format off: a description reads as a table, one group of fields a line or two.
const ModelDescription kBgBbModel = {
    "bgbb_model", "bgbb", 4, kParameterNames, RowKind::discrete,  // identity
    validate_model_row, BgBbRows::prepare, unit_parameters, unit_parameters, 0,
    BgBbRows::row_log_likelihood,  // likelihood, fit
    bgbb_p_alive, bgbb_expected_purchases, bgbb_expected_purchases_unconditional, bgbb_probability_of_purchases,
    simulate_model<BgBbSimulationParams, int, SimulatedDiscreteCustomer, simulate_bgbb>};
// clang-format on

}  // namespace loyalty
