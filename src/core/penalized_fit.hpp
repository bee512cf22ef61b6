// Maximum (penalised) likelihood for models whose parameters are all positive: the fit shared by BG/BB, the
// Gamma-Gamma spend model and sBG.
//
// The objective is lifetimes' -LL/N + penalizer * sum(theta^2), minimised over u = log(theta) with L-BFGS and
// the analytic gradient (chain rule d/du = theta d/dtheta). Convergence is reported honestly: the optimiser's
// word, a scaled gradient below 1e-5 at the optimum, and parameters that the data identify
// (fit_diagnostics.hpp).
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <functional>
#include <vector>

#include "model_fit.hpp"

namespace loyalty {

// Total log-likelihood at the natural parameters theta; fills d LL / d theta when `gradient` is non-null.
using ParameterLogLikelihood = std::function<double(const double* theta, double* gradient)>;

struct PositiveParameterFit {
  std::vector<double> theta;
  FitReport report;
};

// Fits `count` positive parameters from theta = 1. `customers` is N (the sum of row weights). Throws
// std::invalid_argument for a negative or non-finite penalizer.
PositiveParameterFit fit_positive_parameters(const ParameterLogLikelihood& log_likelihood, int count,
                                             double customers, const FitOptions& options,
                                             double relative_tolerance, double parameter_tolerance);

}  // namespace loyalty
