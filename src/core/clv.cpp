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
  //
  // Bounded work: without discounting the sum telescopes to E[X(T, T + N L)], one evaluation. With a
  // discount, the per-period increments never grow (a customer's purchase rate times her chance of being
  // alive falls with time, in every model here), so what periods i + 1.. can still add is at most
  // increment_i (1+d)^-(i+1) / (1 - 1/(1+d)); the sum stops once that is below 1e-16 of the value. So a
  // call costs at most ~37 / log(1+d) periods (e.g. 370 at d = 10%), or N, whichever is smaller.
  if (periods == 0) return 0;
  if (horizon.discount_rate == 0)
    return expected_spend * expected_purchases_within(static_cast<double>(periods) * horizon.period_length);
  const double log_growth = std::log1p(horizon.discount_rate);
  const double tail_factor = 1 / -std::expm1(-log_growth);  // 1 / (1 - 1/(1+d))
  double value = 0, previous = 0;
  for (long i = 1; i <= periods; ++i) {
    if (check_interrupt && i % 16 == 0) check_interrupt();
    const double cumulative = expected_purchases_within(static_cast<double>(i) * horizon.period_length);
    const double increment = cumulative - previous;
    value += increment * std::exp(-static_cast<double>(i) * log_growth);
    previous = cumulative;
    if (std::fabs(increment) * std::exp(-static_cast<double>(i + 1) * log_growth) * tail_factor <=
        1e-16 * std::fabs(value))
      break;
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
