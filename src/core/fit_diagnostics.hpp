// Checks on a fitted model shared by the maximum-likelihood fits, and the last step that settles an optimum.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <vector>

#include "optimizer.hpp"

namespace loyalty {

// The Hessian of the objective at u (row-major k x k, symmetrised), by central differences of the analytic
// gradient with step 1e-4 in u (truncation error ~1e-8 relative); NaN entries where the objective rejects a
// point.
std::vector<double> objective_hessian(const Objective& objective, const std::vector<double>& u);

// Whether the data identify the parameters at the optimum u, given the Hessian there (objective_hessian):
// it must be positive definite with every Cholesky pivot above 1/N, i.e. no log-parameter has a conditional
// standard error above 1. It fails when the estimates run off to the edge of the parameter space (data that
// the model cannot tell apart from a limit case, e.g. nobody ever churns), where the gradient is small but
// the likelihood is flat.
bool parameters_identified(const std::vector<double>& hessian, double customers);

// The Newton step -H^-1 g (Cholesky), or an empty vector when H is not positive definite.
std::vector<double> newton_step(const std::vector<double>& hessian, const std::vector<double>& gradient);

}  // namespace loyalty
