#include "gamma_gamma.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "math_policy.hpp"
#include "number_text.hpp"

namespace loyalty {
namespace {

// Log-likelihood of FH note eq. (1a) and optionally its gradient in (p, q, v):
//   d/dp = x [psi(px+q) - psi(px) + log m + log x - log(v + m x)]
//   d/dq = psi(px+q) - psi(q) + log v - log(v + m x)
//   d/dv = q/v - (px+q)/(v + m x)
struct Terms {
  double p, q, v, lgamma_q, log_v, psi_q;
  Terms(const double* params, bool gradient)
      : p(params[0]),
        q(params[1]),
        v(params[2]),
        lgamma_q(math::lgamma(q)),
        log_v(std::log(v)),
        psi_q(gradient ? math::digamma(q) : 0) {}
};

double row_log_likelihood(const Terms& t, const ModelRow& row, double* grad) {
  const double x = row.key[0], m = row.key[1], p = t.p, q = t.q, v = t.v;
  const double px = p * x, log_m = std::log(m), log_x = std::log(x), log_vmx = std::log(v + m * x);
  if (grad) {
    const double psi_pxq = math::digamma(px + q);
    grad[0] = x * (psi_pxq - math::digamma(px) + log_m + log_x - log_vmx);
    grad[1] = psi_pxq - t.psi_q + t.log_v - log_vmx;
    grad[2] = q / v - (px + q) / (v + m * x);
  }
  return math::lgamma(px + q) - math::lgamma(px) - t.lgamma_q + q * t.log_v + (px - 1) * log_m + px * log_x -
         (px + q) * log_vmx;
}

using SpendRows = RowsWithTerms<Terms, row_log_likelihood, 3>;

void validate_model_row(const ModelRow& row) {
  validate_spend_row(SpendRow{row.key[0], row.key[1], row.weight});
}

// Shapes at 1 and v at the mean spend: the reference of the boundary-walk test in the data's money unit (the
// optimiser starts from v = 1, as it always has).
void spend_reference(const std::vector<ModelRow>& rows, double* params) {
  params[0] = params[1] = 1;
  params[2] = row_means(rows).monetary;
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

ModelRow to_model_row(const SpendRow& row) {
  return ModelRow{{row.frequency, row.monetary, 0}, row.weight};
}

// The likelihood has a long, flat ridge along which q and v trade off (q/v stays near constant): the tight
// tolerances of the fit driver let L-BFGS walk along it instead of stopping early.
constexpr const char* kParameterNames[] = {"p", "q", "v"};

// A description reads as a table, one group of fields a line or two.
// clang-format off
const ModelDescription kGammaGammaModel = {
    "gamma_gamma_model", "gamma-gamma", 3, kParameterNames, RowKind::spend,  // identity
    validate_model_row, SpendRows::prepare, unit_parameters, spend_reference, 0,
    SpendRows::row_log_likelihood,  // likelihood, fit
    nullptr, nullptr, nullptr, nullptr, nullptr};  // its spend prediction: gamma_gamma_expected_spend
// clang-format on

double gamma_gamma_expected_spend(const GammaGammaParams& params, double x, double m) {
  checked_parameters(params);
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
  // FH note eq. (5): (v + m x) p / (p x + q - 1); where the product overflows, p / (p x + q - 1) (v + m x)
  // (overflows only when the value does).
  double value = (params.v + m * x) * params.p / denominator;
  if (!std::isfinite(value)) value = params.p / denominator * (params.v + m * x);
  const double values[3] = {params.p, params.q, params.v};
  return finite_prediction(value, "gamma-gamma", "expected spend", kParameterNames, 3, values,
                           " with frequency " + number_text(x) + ", monetary " + number_text(m));
}

double gamma_gamma_population_mean_spend(const GammaGammaParams& params) {
  checked_parameters(params);
  if (params.q <= 1)
    throw std::domain_error("gamma-gamma population mean spend needs q > 1, got q " + number_text(params.q));
  double value = params.p * params.v / (params.q - 1);
  if (!std::isfinite(value)) value = params.p / (params.q - 1) * params.v;
  const double values[3] = {params.p, params.q, params.v};
  return finite_prediction(value, "gamma-gamma", "population mean spend", kParameterNames, 3, values);
}

}  // namespace loyalty
