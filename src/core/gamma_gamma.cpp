#include "gamma_gamma.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "math_policy.hpp"
#include "number_text.hpp"
#include "penalized_fit.hpp"

namespace loyalty {
namespace {

void check_params(const GammaGammaParams& p) {
  auto check = [](const char* name, double v) {
    if (!std::isfinite(v) || v <= 0)
      throw std::invalid_argument(std::string("gamma-gamma parameter ") + name +
                                  " must be positive and finite, got " + number_text(v));
  };
  check("p", p.p);
  check("q", p.q);
  check("v", p.v);
}

void check_rows(const std::vector<SpendRow>& rows) {
  if (rows.empty()) throw std::invalid_argument("gamma-gamma needs at least one customer row");
  for (const SpendRow& row : rows) validate_spend_row(row);
}

// Weighted log-likelihood of FH note eq. (1a) and optionally its gradient in (p, q, v):
//   d/dp = x [psi(px+q) - psi(px) + log m + log x - log(v + m x)]
//   d/dq = psi(px+q) - psi(q) + log v - log(v + m x)
//   d/dv = q/v - (px+q)/(v + m x)
double total_log_likelihood(const GammaGammaParams& params, const std::vector<SpendRow>& rows, double* grad,
                            const std::function<void()>& check_interrupt) {
  const double p = params.p, q = params.q, v = params.v;
  const double lgamma_q = math::lgamma(q), log_v = std::log(v);
  const double psi_q = grad ? math::digamma(q) : 0;
  double total = 0;
  if (grad) std::fill(grad, grad + 3, 0.0);
  size_t count = 0;
  for (const SpendRow& row : rows) {
    if (check_interrupt && ++count % 10000 == 0) check_interrupt();
    const double x = row.frequency, m = row.monetary, w = row.weight;
    const double px = p * x, log_m = std::log(m), log_x = std::log(x), log_vmx = std::log(v + m * x);
    const double ll = math::lgamma(px + q) - math::lgamma(px) - lgamma_q + q * log_v + (px - 1) * log_m +
                      px * log_x - (px + q) * log_vmx;
    total += w * ll;
    if (grad) {
      const double psi_pxq = math::digamma(px + q);
      grad[0] += w * x * (psi_pxq - math::digamma(px) + log_m + log_x - log_vmx);
      grad[1] += w * (psi_pxq - psi_q + log_v - log_vmx);
      grad[2] += w * (q / v - (px + q) / (v + m * x));
    }
  }
  return total;
}

}  // namespace

void validate_spend_row(const SpendRow& row) {
  auto fail = [&](const char* what) {
    throw std::invalid_argument(std::string(what) + " (frequency " + number_text(row.frequency) +
                                ", monetary " + number_text(row.monetary) + ", weight " +
                                number_text(row.weight) + ")");
  };
  if (!std::isfinite(row.frequency) || row.frequency < 1 || row.frequency != std::floor(row.frequency))
    fail("gamma-gamma frequency must be a positive integer");
  if (!std::isfinite(row.monetary) || row.monetary <= 0) fail("gamma-gamma monetary value must be positive");
  if (!std::isfinite(row.weight) || row.weight <= 0) fail("gamma-gamma weight must be positive");
}

double gamma_gamma_log_likelihood(const GammaGammaParams& params, const std::vector<SpendRow>& rows,
                                  const std::function<void()>& check_interrupt) {
  check_params(params);
  check_rows(rows);
  return total_log_likelihood(params, rows, nullptr, check_interrupt);
}

std::array<double, 3> gamma_gamma_log_likelihood_gradient(const GammaGammaParams& params,
                                                          const std::vector<SpendRow>& rows) {
  check_params(params);
  check_rows(rows);
  std::array<double, 3> grad{};
  total_log_likelihood(params, rows, grad.data(), {});
  return grad;
}

GammaGammaFit gamma_gamma_fit(const std::vector<SpendRow>& rows, const FitOptions& options) {
  check_rows(rows);
  double customers = 0;
  for (const SpendRow& row : rows) customers += row.weight;

  // The likelihood has a long, flat ridge along which q and v trade off (q/v stays near constant): tight
  // tolerances so that L-BFGS walks along it instead of stopping early.
  PositiveParameterFit fitted = fit_positive_parameters(
      [&](const double* theta, double* gradient) {
        return total_log_likelihood(GammaGammaParams{theta[0], theta[1], theta[2]}, rows, gradient,
                                    options.check_interrupt);
      },
      3, customers, options, 1e-14, 1e-12);
  GammaGammaFit fit;
  fit.params = GammaGammaParams{fitted.theta[0], fitted.theta[1], fitted.theta[2]};
  fit.report = fitted.report;
  return fit;
}

double gamma_gamma_expected_spend(const GammaGammaParams& params, double x, double m) {
  check_params(params);
  if (!std::isfinite(x) || x < 0 || x != std::floor(x))
    throw std::invalid_argument("gamma-gamma frequency must be a non-negative integer, got " +
                                number_text(x));
  if (x == 0) return gamma_gamma_population_mean_spend(params);
  if (!std::isfinite(m) || m <= 0)
    throw std::invalid_argument("gamma-gamma monetary value must be positive, got " + number_text(m));
  const double px = params.p * x, denominator = px + params.q - 1;
  if (denominator <= 0)
    throw std::domain_error("gamma-gamma expected spend needs p * x + q > 1, got p " + number_text(params.p) +
                            ", q " + number_text(params.q) + ", x " + number_text(x));
  // FH note eq. (5): (v + m x) p / (p x + q - 1).
  return (params.v + m * x) * params.p / denominator;
}

double gamma_gamma_population_mean_spend(const GammaGammaParams& params) {
  check_params(params);
  if (params.q <= 1)
    throw std::domain_error("gamma-gamma population mean spend needs q > 1, got q " + number_text(params.q));
  return params.p * params.v / (params.q - 1);
}

}  // namespace loyalty
