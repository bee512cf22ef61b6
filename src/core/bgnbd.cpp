#include "bgnbd.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

#include "hyp2f1.hpp"
#include "fit_diagnostics.hpp"
#include "log_space.hpp"
#include "math_policy.hpp"
#include "number_text.hpp"
#include "optimizer.hpp"

namespace loyalty {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;
constexpr double kInf = std::numeric_limits<double>::infinity();

// lbeta(a, b + m) - lbeta(a, b) = log E[(1-p)^m] for p ~ Beta(a, b).
double log_beta_ratio(double a, double b, double m) {
  return math::lgamma(b + m) - math::lgamma(b) + math::lgamma(a + b) - math::lgamma(a + b + m);
}

// log E[(1 - exp(-lambda p t)) / p] for lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b): the expected number of
// purchases in (0, t] of a customer alive at 0 who buys at rate lambda and drops out with probability p after
// each purchase ([FHL05]: E[X(t) | lambda, p] = (1 - exp(-lambda p t)) / p, and E_lambda exp(-lambda p t) =
// (alpha / (alpha + p t))^r). That is
//   1/B(a,b) int_0^1 p^(a-2) (1-p)^(b-1) [1 - (1 + p t/alpha)^(-r)] dp,
// whose closed form is [FHL05] eq. 9, (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
// The closed form is singular at a = 1, undefined for a + b <= 1, cancels for small t or a near 1, and its
// 2F1 is slow as t / (alpha + t) -> 1. It is used only where none of that bites; elsewhere we integrate the
// positive integrand with the tanh-sinh rule (Takahasi & Mori 1974) in log space: p = 1 / (1 + exp(-pi sinh
// x)), dp/dx = pi cosh x p (1 - p).
//
// First, though, a series that has none of these problems for z = t / (alpha + t) <= 0.9. Euler's
// transformation (A&S 15.3.3) turns (1-z)^r 2F1(r, b; c; z), c = a + b - 1, into (1-z)^(a-1) 2F1(c - r, a -
// 1; c; z), and (a-1)_k / (a-1) = (a)_(k-1) takes the singular factor out of the series:
//   eq. 9 = c [ -expm1((a-1) log(1-z)) / (a-1) - (1-z)^(a-1) S ],
//   S = sum_{k>=1} (c-r)_k (a)_(k-1) z^k / ((c)_k k!),
// finite and smooth through a = 1 (where the first term is -log(1-z)), and without cancellation for small z.
double expected_purchases_series(double r, double a, double b, double z) {
  const double c = a + b - 1, A = c - r, log_1mz = std::log1p(-z), e = a - 1;
  const double first = e == 0 ? -log_1mz : -std::expm1(e * log_1mz) / e;
  double term = A * z / c, sum = term;
  for (int k = 1; k < 2000 && std::fabs(term) > 1e-17 * std::fabs(sum); ++k) {
    term *= (A + k) * (a + k - 1) * z / ((c + k) * (k + 1));
    sum += term;
  }
  return c * (first - std::exp(e * log_1mz) * sum);
}

double log_mixture_expected_purchases(double r, double alpha, double a, double b, double t) {
  const double rate = t / alpha;
  {
    const double z = t / (alpha + t);
    if (a + b - 1 > 0 && z <= 0.9) {
      const double value = expected_purchases_series(r, a, b, z);
      if (std::isfinite(value) && value > 0) return std::log(value);
    }
  }
  // Fast path: eq. 9 itself, where its 2F1 is a short positive series (z <= 0.9) and the bracket
  // D = 1 - (1-z)^r 2F1 keeps its digits (|D| >= 1e-3 max(1, (1-z)^r 2F1): at most 3 digits lost to the
  // subtraction). D and a - 1 have the same sign (E[1/p] is finite iff a > 1).
  const double c = a + b - 1, z = t / (alpha + t);
  if (c > 0 && z <= 0.9) {
    const double ratio = std::exp(log_hyp2f1(r, b, c, z) - r * std::log1p(rate));
    const double bracket = 1 - ratio;
    const double value = c / (a - 1) * bracket;
    if (std::isfinite(value) && value > 0 && std::fabs(bracket) >= 1e-3 * std::max(1.0, ratio))
      return std::log(value);
  }
  auto term = [&](double x, bool* past_peak) {
    const double s = kPi * std::sinh(x);
    const double log_p = -softplus(-s), log_1mp = -softplus(s);
    const double p = std::exp(log_p), one_minus_p = std::exp(log_1mp);
    const double y = p * rate;
    // log(1 - (1 + y)^-r), with its small-y expansion r y (1 - (r+1) y / 2) where the direct form underflows.
    const double log_gain = y < 1e-8 ? std::log(r) + log_p + std::log(rate) + std::log1p(-(r + 1) * y / 2)
                                     : std::log(-std::expm1(-r * std::log1p(y)));
    if (x > 0) {
      *past_peak = b * kPi * std::cosh(x) * p > 1;
    } else {
      *past_peak = y < 1e-3 && a * kPi * std::cosh(x) * one_minus_p > 1;
    }
    return (a - 1) * log_p + b * log_1mp + log_gain + std::log(kPi * std::cosh(x));
  };
  const double log_integral = log_double_exponential_integral(term);
  return log_integral - log_beta(a, b);
}

void validate_time(const char* what, double v) {
  if (!std::isfinite(v) || v < 0)
    throw std::invalid_argument(std::string(what) + " must be non-negative and finite (got " +
                                number_text(v) + ")");
}

void validate_history(double x, double t_x, double T) {
  SummaryRow row;
  row.frequency = x;
  row.recency = t_x;
  row.t = T;
  validate_summary_row(row);
}

}  // namespace

namespace bg_family {

void validate_params(const char* model, double r, double alpha, double a, double b) {
  const char* names[4] = {"r", "alpha", "a", "b"};
  const double values[4] = {r, alpha, a, b};
  for (int i = 0; i < 4; ++i) {
    if (!std::isfinite(values[i]) || values[i] <= 0)
      throw std::invalid_argument(std::string(model) + " parameter " + names[i] +
                                  " must be positive and finite (got " + number_text(values[i]) + ")");
  }
}

GroupedRows::GroupedRows(const std::vector<SummaryRow>& rows) {
  if (rows.empty()) throw std::invalid_argument("no customer rows to fit");
  // Counting sort by frequency (integers): O(rows + max frequency), no comparison sort of a million rows.
  double max_x = 0;
  for (const SummaryRow& row : rows) {
    validate_summary_row(row);
    max_x = std::max(max_x, row.frequency);
    customers_ += row.weight;
    sum_x_ += row.weight * row.frequency;
    sum_t_ += row.weight * row.t;
  }
  if (max_x > 1e7) throw std::invalid_argument("frequency " + number_text(max_x) + " is too large");
  const size_t distinct = static_cast<size_t>(max_x) + 1;
  std::vector<size_t> count(distinct + 1, 0);
  for (const SummaryRow& row : rows) ++count[static_cast<size_t>(row.frequency) + 1];
  for (size_t i = 1; i <= distinct; ++i) count[i] += count[i - 1];
  t_.resize(rows.size());
  recency_.resize(rows.size());
  weight_.resize(rows.size());
  std::vector<size_t> next(count.begin(), count.end() - 1);
  for (const SummaryRow& row : rows) {
    const size_t at = next[static_cast<size_t>(row.frequency)]++;
    t_[at] = row.t;
    recency_[at] = row.recency;
    weight_[at] = row.weight;
  }
  for (size_t x = 0; x < distinct; ++x) {
    if (count[x + 1] == count[x]) continue;
    Group g{static_cast<double>(x), count[x], count[x + 1], 0.0};
    for (size_t i = g.begin; i < g.end; ++i) g.weight += weight_[i];
    groups_.push_back(g);
  }
}

double GroupedRows::log_likelihood(Variant variant, const double params[4], double* gradient) const {
  const double r = params[0], alpha = params[1], a = params[2], b = params[3];
  const double extra = variant == Variant::mbgnbd ? 1.0 : 0.0;
  const double log_alpha = std::log(alpha), log_a = std::log(a);
  const bool want_gradient = gradient != nullptr;
  double psi_r = 0, psi_b = 0, psi_ab = 0;
  if (want_gradient) {
    psi_r = math::digamma(r);
    psi_b = math::digamma(b);
    psi_ab = math::digamma(a + b);
  }
  const double lgamma_r = math::lgamma(r);
  double total = 0, g_r = 0, g_alpha = 0, g_a = 0, g_b = 0;

  for (const Group& group : groups_) {
    const double x = group.x, m = x + extra, rx = r + x, W = group.weight;
    // Terms that depend on the frequency only: ln A1 + ln A2 of [FH], with m = x (+1 for MBG/NBD).
    total += W * (math::lgamma(rx) - lgamma_r + r * log_alpha + (m > 0 ? log_beta_ratio(a, b, m) : 0.0));
    if (want_gradient) {
      g_r += W * (math::digamma(rx) - psi_r + log_alpha);
      g_alpha += W * r / alpha;
      if (m > 0) {
        const double psi_abm = math::digamma(a + b + m);
        g_a += W * (psi_ab - psi_abm);
        g_b += W * (math::digamma(b + m) - psi_b + psi_ab - psi_abm);
      }
    }
    const double* t = t_.data();
    const double* tx = recency_.data();
    const double* w = weight_.data();
    if (m == 0) {
      // BG/NBD, x = 0: ln A3 = -r ln(alpha + T) only.
      double sum_log = 0, sum_inv = 0;
      for (size_t i = group.begin; i < group.end; ++i) {
        const double at = alpha + t[i];
        sum_log += w[i] * std::log(at);
        sum_inv += w[i] / at;
      }
      total -= rx * sum_log;
      g_r -= sum_log;
      g_alpha -= rx * sum_inv;
      continue;
    }
    // ln(A3 + A4) = -(r+x) ln(alpha+T) + softplus(u), u = ln(a/(b+m-1)) + (r+x) ln((alpha+T)/(alpha+t_x)):
    // the probability of "died at t_x" vs "alive at T" is sigmoid(u).
    const double q = log_a - std::log(b + m - 1);
    double sum_l = 0, sum_r = 0, sum_alpha = 0, sum_dead = 0;
    const bool recency_zero = x == 0;  // MBG/NBD, x = 0: t_x = 0, ln(alpha + t_x) = ln(alpha)
    for (size_t i = group.begin; i < group.end; ++i) {
      const double at = alpha + t[i], atx = alpha + tx[i];
      const double l1 = std::log(at), l2 = recency_zero ? log_alpha : std::log(atx);
      const double u = q + rx * (l1 - l2);
      const double e = std::exp(-std::fabs(u));
      const double sp = (u > 0 ? u : 0.0) + std::log1p(e);
      sum_l += w[i] * (sp - rx * l1);
      if (want_gradient) {
        const double dead = u > 0 ? 1 / (1 + e) : e / (1 + e);
        sum_r += w[i] * ((1 - dead) * l1 + dead * l2);
        sum_alpha += w[i] * ((1 - dead) / at + dead / atx);
        sum_dead += w[i] * dead;
      }
    }
    total += sum_l;
    if (want_gradient) {
      g_r -= sum_r;
      g_alpha -= rx * sum_alpha;
      g_a += sum_dead / a;
      g_b -= sum_dead / (b + m - 1);
    }
  }
  if (want_gradient) {
    gradient[0] = g_r;
    gradient[1] = g_alpha;
    gradient[2] = g_a;
    gradient[3] = g_b;
  }
  return total;
}

FitResult fit(Variant variant, const std::vector<SummaryRow>& rows, const FitOptions& options) {
  const GroupedRows data(rows);
  if (!std::isfinite(options.penalizer) || options.penalizer < 0)
    throw std::invalid_argument("penalizer must be non-negative (got " + number_text(options.penalizer) +
                                ")");
  const double n = data.customers();
  const double penalizer = options.penalizer;

  // Objective of model_fit.hpp, -LL/N + penalizer * sum(params^2), over theta = log(params).
  Objective objective = [&](const std::vector<double>& theta, std::vector<double>* gradient) {
    double params[4], g[4];
    for (int i = 0; i < 4; ++i) {
      if (!(std::fabs(theta[i]) < 200)) return kInf;
      params[i] = std::exp(theta[i]);
    }
    const double ll = data.log_likelihood(variant, params, gradient ? g : nullptr);
    double value = -ll / n;
    for (int i = 0; i < 4; ++i) value += penalizer * params[i] * params[i];
    if (gradient) {
      for (int i = 0; i < 4; ++i) (*gradient)[i] = (-g[i] / n + 2 * penalizer * params[i]) * params[i];
    }
    return std::isfinite(value) ? value : kInf;
  };

  // Start: r = a = b = 1 and alpha from the mean purchase rate, E[lambda] = r / alpha ~ mean x / mean T, so
  // that the start does not depend on the time unit of the data.
  const double alpha0 = data.mean_t() / std::max(data.mean_frequency(), 0.01);
  std::vector<double> start = {0.0, std::log(alpha0), 0.0, 0.0};

  OptimizerOptions opt;
  opt.use_gradient = true;
  opt.max_evaluations = options.max_evaluations;
  opt.check_interrupt = options.check_interrupt;

  // L-BFGS may stop on its objective tolerance short of the optimum; restart it (fresh curvature memory)
  // while the gradient is not small, at most twice.
  OptimizerResult result;
  int evaluations = 0;
  double gradient_norm = kInf;
  for (int attempt = 0; attempt < 3; ++attempt) {
    opt.max_evaluations = std::max(1, options.max_evaluations - evaluations);
    result = minimize(objective, start, opt);
    evaluations += result.evaluations;
    std::vector<double> g(4, 0.0);
    const double value = objective(result.x, &g);
    gradient_norm = std::isfinite(value) ? 0.0 : kInf;
    for (double gi : g) gradient_norm = std::max(gradient_norm, std::fabs(gi));
    start = result.x;
    if (gradient_norm < 1e-6 || evaluations >= options.max_evaluations) break;
  }

  FitResult out;
  for (int i = 0; i < 4; ++i) out.params[i] = std::exp(result.x[i]);
  out.report.customers = n;
  out.report.iterations = evaluations;
  out.report.log_likelihood = data.log_likelihood(variant, out.params, nullptr);
  out.report.status = result.status;
  bool diverged = false;
  for (double t : result.x) diverged = diverged || !(std::fabs(t) < 25);  // a parameter beyond e^25 ~ 7e10
  // Converged: the optimiser says so, and the point is a stationary point with finite parameters.
  out.report.converged =
      result.converged && !diverged && gradient_norm < 1e-4 && std::isfinite(out.report.log_likelihood);
  if (out.report.converged && !parameters_identified(objective, result.x, n)) {
    out.report.converged = false;
    out.report.status =
        "the data do not identify the parameters: flat likelihood at the estimates (" + result.status + ")";
  }
  if (diverged)
    out.report.status = "parameters diverged (" + result.status + ")";
  else if (result.converged && gradient_norm >= 1e-4)
    out.report.status = "gradient not small (" + result.status + ")";
  return out;
}

}  // namespace bg_family

namespace {

void validate(const BgNbdParams& p) {
  bg_family::validate_params("bg/nbd", p.r, p.alpha, p.a, p.b);
}

}  // namespace

double bgnbd_log_likelihood(const BgNbdParams& params, const std::vector<SummaryRow>& rows) {
  validate(params);
  const bg_family::GroupedRows data(rows);
  const double p[4] = {params.r, params.alpha, params.a, params.b};
  return data.log_likelihood(bg_family::Variant::bgnbd, p, nullptr);
}

double bgnbd_log_likelihood_gradient(const BgNbdParams& params, const std::vector<SummaryRow>& rows,
                                     double gradient[4]) {
  validate(params);
  const bg_family::GroupedRows data(rows);
  const double p[4] = {params.r, params.alpha, params.a, params.b};
  return data.log_likelihood(bg_family::Variant::bgnbd, p, gradient);
}

BgNbdFit bgnbd_fit(const std::vector<SummaryRow>& rows, const FitOptions& options) {
  bg_family::FitResult r = bg_family::fit(bg_family::Variant::bgnbd, rows, options);
  BgNbdFit out;
  out.params = {r.params[0], r.params[1], r.params[2], r.params[3]};
  out.report = r.report;
  return out;
}

double bgnbd_p_alive(const BgNbdParams& params, double x, double t_x, double T) {
  validate(params);
  validate_history(x, t_x, T);
  if (x == 0) return 1;
  // P(alive) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)): the share of the likelihood's "alive at T"
  // part ([FH] 2008 note, eq. 2).
  const double u =
      std::log(params.a / (params.b + x - 1)) + (params.r + x) * std::log1p((T - t_x) / (params.alpha + t_x));
  return u > 0 ? std::exp(-u) / (1 + std::exp(-u)) : 1 / (1 + std::exp(u));
}

double bgnbd_expected_purchases(const BgNbdParams& params, double x, double t_x, double T, double horizon) {
  validate(params);
  validate_history(x, t_x, T);
  validate_time("horizon", horizon);
  if (horizon == 0) return 0;
  // [FHL05] eq. 10 = P(alive) * E[X(horizon)] under the posterior lambda ~ Gamma(r+x, alpha+T),
  // p ~ Beta(a, b+x) of a customer alive at T (the process is memoryless given alive).
  const double alive = bgnbd_p_alive(params, x, t_x, T);
  return alive * std::exp(log_mixture_expected_purchases(params.r + x, params.alpha + T, params.a,
                                                         params.b + x, horizon));
}

double bgnbd_expected_purchases_unconditional(const BgNbdParams& params, double t) {
  validate(params);
  validate_time("t", t);
  if (t == 0) return 0;
  return std::exp(log_mixture_expected_purchases(params.r, params.alpha, params.a, params.b, t));
}

double bgnbd_probability_of_purchases(const BgNbdParams& params, double t, int k) {
  validate(params);
  validate_time("t", t);
  if (k < 0)
    throw std::invalid_argument("number of purchases must be non-negative (got " + std::to_string(k) + ")");
  if (t == 0) return k == 0 ? 1.0 : 0.0;
  const double r = params.r, alpha = params.alpha, a = params.a, b = params.b;
  // [FHL05] eq. 8: alive throughout with k purchases (negative binomial term), plus, for k > 0, dropped out
  // after the k-th purchase: B(a+1, b+k-1)/B(a,b) * P(NB(r, alpha/(alpha+t)) >= k), the bracket
  // 1 - sum_{j<k} NB(j) of eq. 8 being the regularised incomplete beta I_{t/(alpha+t)}(k, r).
  const double log_alive = log_beta_ratio(a, b, k) + math::lgamma(r + k) - math::lgamma(r) -
                           math::lgamma(k + 1.0) + r * std::log(alpha / (alpha + t)) +
                           k * std::log(t / (alpha + t));
  double p = std::exp(log_alive);
  if (k > 0) {
    const double log_dead = log_beta(a + 1, b + k - 1) - log_beta(a, b);
    p += std::exp(log_dead) * math::ibeta(static_cast<double>(k), r, t / (alpha + t));
  }
  return p;
}

}  // namespace loyalty
