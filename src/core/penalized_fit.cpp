#include "penalized_fit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "fit_diagnostics.hpp"
#include "number_text.hpp"
#include "optimizer.hpp"

namespace loyalty {

PositiveParameterFit fit_positive_parameters(const ParameterLogLikelihood& log_likelihood, int count,
                                             double customers, const FitOptions& options,
                                             double relative_tolerance, double parameter_tolerance) {
  if (!std::isfinite(options.penalizer) || options.penalizer < 0)
    throw std::invalid_argument("penalizer must be non-negative, got " + number_text(options.penalizer));
  std::vector<double> theta(count), g(count);
  Objective objective = [&](const std::vector<double>& u, std::vector<double>* gradient) {
    for (int k = 0; k < count; ++k) {
      theta[k] = std::exp(u[k]);
      if (!std::isnormal(theta[k])) return HUGE_VAL;
    }
    double value = -log_likelihood(theta.data(), gradient ? g.data() : nullptr) / customers;
    for (int k = 0; k < count; ++k) value += options.penalizer * theta[k] * theta[k];
    if (gradient)
      for (int k = 0; k < count; ++k)
        (*gradient)[k] = theta[k] * (-g[k] / customers + 2 * options.penalizer * theta[k]);
    return value;
  };
  OptimizerOptions opt;
  opt.use_gradient = true;
  opt.relative_tolerance = relative_tolerance;
  opt.parameter_tolerance = parameter_tolerance;
  opt.max_evaluations = options.max_evaluations;
  opt.check_interrupt = options.check_interrupt;
  OptimizerResult result = minimize(objective, std::vector<double>(count, 0.0), opt);

  PositiveParameterFit fit;
  fit.theta.resize(count);
  for (int k = 0; k < count; ++k) fit.theta[k] = std::exp(result.x[k]);
  fit.report.customers = customers;
  fit.report.iterations = result.evaluations;
  fit.report.status = result.status;
  fit.report.log_likelihood = log_likelihood(fit.theta.data(), nullptr);
  std::vector<double> scaled_gradient(count);
  objective(result.x, &scaled_gradient);
  double gmax = 0;
  for (double v : scaled_gradient) gmax = std::max(gmax, std::fabs(v));
  fit.report.converged = result.converged && std::isfinite(fit.report.log_likelihood) && gmax < 1e-5;
  if (result.converged && !fit.report.converged) fit.report.status += "; gradient not small at the optimum";
  if (fit.report.converged && !parameters_identified(objective, result.x, customers)) {
    fit.report.converged = false;
    fit.report.status += "; the data do not identify the parameters (flat likelihood at the estimates)";
  }
  return fit;
}

}  // namespace loyalty
