// Checks on a fitted model shared by the maximum-likelihood fits.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <vector>

#include "optimizer.hpp"

namespace loyalty {

// Whether the data identify the parameters at the optimum u: the Hessian of the objective (-LL/N + penalty,
// in log-parameters; central differences of the analytic gradient) must be positive definite with every
// Cholesky pivot above 1/N, i.e. no log-parameter has a conditional standard error above 1. It fails when the
// estimates run off to the edge of the parameter space (data that the model cannot tell apart from a limit
// case, e.g. nobody ever churns), where the gradient is small but the likelihood is flat.
bool parameters_identified(const Objective& objective, const std::vector<double>& u, double customers);

}  // namespace loyalty
