// The one maximum-likelihood fit of every model (model.hpp), and its one definition of convergence.
//
// Objective: lifetimes' -LL/N + penalizer * sum(theta^2), N the number of customers, minimised over
// u = log(theta) (positivity needs no bounds) by L-BFGS (NLopt, optimizer.hpp) with the analytic gradient,
// d/du = theta d/dtheta. From the model's data-scaled start; when the model asks for it and the input is
// large, from the fit to a systematic subsample first (the warm start).
//
// converged = true means all of (docs/model_fitting.md, "Convergence"):
//   1. the optimiser stopped on its tolerances (relative 1e-14 on the objective, 1e-12 on u) or at a point
//   whose
//      gradient is below 1e-8, at a finite point, restarted up to twice (fresh curvature memory) while the
//      gradient was not yet small; then one Newton step settles the optimum below the objective's roundoff;
//   2. the gradient of the per-customer objective in u is small: max |d objective / du| <= 1e-5;
//   3. the data identify the parameters (fit_diagnostics.hpp: the Hessian in u is positive definite with
//   every
//      pivot above 1/N);
//   4. the search did not walk towards the boundary: no parameter of the best point so far grew beyond 1000
//      times the model's reference value (1 for shapes; the data's own scale for time and spend scales).
//      Beyond that a mixing distribution is nearly a point mass (coefficient of variation < 3%) or a rate
//      vanishes: the likelihood rises towards a limit case of the model (nobody drops out, everybody buys at
//      one rate) where no finite estimate exists, and test 3 would fail there anyway. The fit stops as soon
//      as the walk is seen, with converged = false, instead of following it for minutes. (Walks towards 0 are
//      cheap to follow and left to test 3; a penalty makes upward walks impossible.)
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <vector>

#include "model.hpp"
#include "model_fit.hpp"

namespace loyalty {

struct ModelFit {
  ModelParameters params{};
  FitReport report;
};

// Throws std::invalid_argument unless the penalizer is non-negative and finite (the one message of every
// fit).
void check_penalizer(double penalizer);

// Fits `model` to `rows` (validated here). Throws std::invalid_argument for invalid or no rows, a negative or
// non-finite penalizer or max_evaluations < 1; a fit that fails is reported (converged = false, status), not
// thrown.
ModelFit fit_model(const ModelDescription& model, const std::vector<ModelRow>& rows,
                   const FitOptions& options = {});

// Fits `model` to data that only `data` can evaluate (e.g. the binding's distributed fit, whose likelihood is
// an aggregate over a table on other nodes), from `start`, with `reference` as the boundary-walk reference:
// the same optimiser, objective and convergence definition as fit_model, without its warm start (the caller
// chose the start) and without row validation (the data validate their own rows).
ModelFit fit_model_from(const ModelDescription& model, PreparedRows& data, const double* start,
                        const double* reference, const FitOptions& options = {});

}  // namespace loyalty
