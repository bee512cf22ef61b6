#include "clv.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "number_text.hpp"

namespace loyalty {
namespace {

// Beyond a million periods the sum costs seconds per customer for no information the discounting keeps.
constexpr double kMaxPeriods = 1e6;

}  // namespace

void validate_clv_horizon(const ClvHorizon& horizon) {
  if (!std::isfinite(horizon.periods) || horizon.periods < 0 ||
      horizon.periods != std::floor(horizon.periods) || horizon.periods > kMaxPeriods)
    throw std::invalid_argument("horizon must be a whole number of periods between 0 and 1000000 (got " +
                                number_text(horizon.periods) + ")");
  if (!std::isfinite(horizon.period_length) || horizon.period_length <= 0)
    throw std::invalid_argument("period length must be positive and finite (got " +
                                number_text(horizon.period_length) + ")");
  if (!std::isfinite(horizon.discount_rate) || horizon.discount_rate < 0)
    throw std::invalid_argument("discount rate must be non-negative and finite (got " +
                                number_text(horizon.discount_rate) + ")");
}

double discounted_customer_value(const std::function<double(double)>& expected_purchases_within,
                                 double expected_spend, const ClvHorizon& horizon,
                                 const std::function<void()>& check_interrupt) {
  validate_clv_horizon(horizon);
  const long periods = static_cast<long>(horizon.periods);
  // Period i contributes E[M] (E[X(T, T + iL)] - E[X(T, T + (i-1)L)]) / (1+d)^i; the cumulative expectation
  // is evaluated once per period boundary. The discount factor is computed as a power, not a running product,
  // so that it carries no accumulated rounding.
  const double log_growth = std::log1p(horizon.discount_rate);
  double value = 0, previous = 0;
  for (long i = 1; i <= periods; ++i) {
    if (check_interrupt && i % 1000 == 0) check_interrupt();
    const double cumulative = expected_purchases_within(static_cast<double>(i) * horizon.period_length);
    value += (cumulative - previous) * std::exp(-static_cast<double>(i) * log_growth);
    previous = cumulative;
  }
  return expected_spend * value;
}

double customer_value(const ModelDescription& transactions, const double* params,
                      const GammaGammaParams& spend, double x, double t_x, double T, double m,
                      const ClvHorizon& horizon, const std::function<void()>& check_interrupt) {
  if (transactions.expected_purchases == nullptr)
    throw std::invalid_argument(std::string(transactions.label) + " does not predict purchases");
  transactions.expected_purchases(params, x, t_x, T, 0);  // validates the history
  if (transactions.row_kind == RowKind::discrete &&
      !(horizon.period_length >= 1 && horizon.period_length == std::floor(horizon.period_length) &&
        std::isfinite(horizon.period_length)))
    throw std::invalid_argument(std::string(transactions.label) +
                                " period length must be a positive whole number of opportunities (got " +
                                number_text(horizon.period_length) + ")");
  const double expected_spend = gamma_gamma_expected_spend(spend, x, m);
  return discounted_customer_value(
      [&](double h) { return transactions.expected_purchases(params, x, t_x, T, h); }, expected_spend,
      horizon, check_interrupt);
}

}  // namespace loyalty
