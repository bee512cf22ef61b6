#include "holdout_check.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "customer_scores.hpp"
#include "number_text.hpp"

namespace loyalty {
namespace {

// State layout: [0..3] parameters, [4] holdout length, [5] customers, [6] sum predicted, [7] sum actual,
// [8] sum |error|, [9] sum error^2, [10] sum predicted^2, [11] sum actual^2, [12] sum predicted * actual,
// [13] reserved (0), then per bin: customers, sum predicted, sum actual.
constexpr int kParams = 0, kLength = 4, kCustomers = 5, kPredicted = 6, kActual = 7, kAbs = 8, kSquare = 9,
              kPredictedSquare = 10, kActualSquare = 11, kCross = 12, kBins = 14;

void fail_different() {
  throw std::invalid_argument(
      "a holdout check needs the same model and holdout length on every row of a group");
}

}  // namespace

void holdout_start(const ModelDescription& model, const double* params, double holdout_length,
                   double* state) {
  validate_parameters(model, params);
  if (!std::isfinite(holdout_length) || holdout_length <= 0)
    throw std::invalid_argument("holdout length must be positive and finite (got " +
                                number_text(holdout_length) + ")");
  for (int i = 0; i < kHoldoutStateLength; ++i) state[i] = 0;
  for (int i = 0; i < model.parameter_count; ++i) state[kParams + i] = params[i];
  state[kLength] = holdout_length;
}

void holdout_check_same(const ModelDescription& model, const double* state, const double* params,
                        double holdout_length) {
  for (int i = 0; i < model.parameter_count; ++i)
    if (state[kParams + i] != params[i]) fail_different();
  if (state[kLength] != holdout_length) fail_different();
}

void holdout_add(const ModelDescription& model, double* state, double x, double t_x, double T,
                 double actual) {
  validate_history(model, x, t_x, T);
  if (!std::isfinite(actual) || actual < 0 || actual != std::floor(actual))
    throw std::invalid_argument("holdout purchases must be a non-negative integer (frequency " +
                                number_text(x) + ", recency " + number_text(t_x) + ", t " + number_text(T) +
                                ", holdout purchases " + number_text(actual) + ")");
  const double predicted = model.expected_purchases(state + kParams, x, t_x, T, state[kLength]);
  const double error = predicted - actual;
  state[kCustomers] += 1;
  state[kPredicted] += predicted;
  state[kActual] += actual;
  state[kAbs] += std::fabs(error);
  state[kSquare] += error * error;
  state[kPredictedSquare] += predicted * predicted;
  state[kActualSquare] += actual * actual;
  state[kCross] += predicted * actual;
  const int bin = x < kHoldoutFrequencyBins - 1 ? static_cast<int>(x) : kHoldoutFrequencyBins - 1;
  double* b = state + kBins + 3 * bin;
  b[0] += 1;
  b[1] += predicted;
  b[2] += actual;
  // Squares overflow first: a prediction or a count near 1e154 makes the error figures infinite.
  if (!std::isfinite(state[kSquare] + state[kPredictedSquare] + state[kActualSquare] + state[kCross]))
    throw std::out_of_range("holdout_check: the squared errors overflow (frequency " + number_text(x) +
                            ", predicted " + number_text(predicted) + ", holdout purchases " +
                            number_text(actual) + ")");
}

void holdout_merge(double* state, const double* other) {
  for (int i = kParams; i <= kLength; ++i)  // unused parameter slots are 0 in both
    if (state[i] != other[i]) fail_different();
  for (int i = kCustomers; i < kHoldoutStateLength; ++i) {
    state[i] += other[i];
    if (!std::isfinite(state[i]))
      throw std::out_of_range("holdout_check: the sums of two partial states overflow");
  }
}

HoldoutResult holdout_result(const double* state) {
  HoldoutResult result;
  const double n = state[kCustomers];
  result.customers = n;
  result.predicted_total = state[kPredicted];
  result.actual_total = state[kActual];
  if (n > 0) {
    result.mean_absolute_error = state[kAbs] / n;
    result.root_mean_squared_error = std::sqrt(state[kSquare] / n);
    // Pearson's r from the sums: (n Spa - Sp Sa) / sqrt((n Spp - Sp^2) (n Saa - Sa^2)).
    const double sp = state[kPredicted], sa = state[kActual];
    const double vp = n * state[kPredictedSquare] - sp * sp, va = n * state[kActualSquare] - sa * sa;
    result.correlation = vp > 0 && va > 0 ? (n * state[kCross] - sp * sa) / std::sqrt(vp * va)
                                          : std::numeric_limits<double>::quiet_NaN();
  }
  for (int bin = 0; bin < kHoldoutFrequencyBins; ++bin) {
    const double* b = state + kBins + 3 * bin;
    if (b[0] > 0) result.bins.push_back(HoldoutBin{bin, b[0], b[1] / b[0], b[2] / b[0]});
  }
  return result;
}

}  // namespace loyalty
