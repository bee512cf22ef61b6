// Holdout check of a fitted transaction model: each customer's expected purchases in the holdout period given
// the calibration history, E[X(T, T + holdout) | x, t_x, T], against the purchases actually made there;
// totals, error figures and means by calibration frequency (the data of lifetimes'
// plot_calibration_purchases_vs_holdout_purchases, Fader, Hardie & Lee 2005 figure 4).
//
// The state is a flat array of doubles (the SQL aggregate's float8[] state): the model's parameters and the
// holdout length (the same on every row), then sums that add and merge. Customers with calibration frequency
// >= kHoldoutFrequencyBins - 1 share the last bin.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <vector>

#include "model.hpp"

namespace loyalty {

constexpr int kHoldoutFrequencyBins = 11;  // frequency 0, 1, ..., 9 and 10 or more
constexpr int kHoldoutStateLength = 14 + 3 * kHoldoutFrequencyBins;

// Starts `state` (kHoldoutStateLength doubles) for `model` with `params` (validated) and the holdout length
// (positive, finite; else std::invalid_argument).
void holdout_start(const ModelDescription& model, const double* params, double holdout_length, double* state);

// Throws std::invalid_argument unless `params` and `holdout_length` are those the state was started with
// ("... the same model and holdout length on every row").
void holdout_check_same(const ModelDescription& model, const double* state, const double* params,
                        double holdout_length);

// Adds one customer: history (x, t_x, T) (validated: t = 0 allowed) and `actual` holdout purchases (a
// non-negative integer; else std::invalid_argument naming the values).
void holdout_add(const ModelDescription& model, double* state, double x, double t_x, double T, double actual);

// Adds state `other` into `state` (the same parameters and holdout length, else std::invalid_argument).
void holdout_merge(double* state, const double* other);

struct HoldoutBin {
  int frequency;  // calibration frequency (the last bin: this many or more)
  double customers, predicted_mean, actual_mean;
};

struct HoldoutResult {
  double customers = 0;
  double predicted_total = 0, actual_total = 0;
  double mean_absolute_error = 0, root_mean_squared_error = 0;
  double correlation = 0;        // Pearson, predicted vs actual over customers; NaN when either is constant
  std::vector<HoldoutBin> bins;  // non-empty bins only, by frequency
};

HoldoutResult holdout_result(const double* state);

}  // namespace loyalty
