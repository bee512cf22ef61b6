// Minimisation of a smooth objective with NLopt: the one optimiser every model fit in the core uses.
//
// NLopt (Debian's libnlopt) is a maintained library of optimisers; we use its L-BFGS when the objective
// supplies an analytic gradient and BOBYQA (derivative-free, Powell 2009) when it does not. Parameters are
// usually optimised on the log scale by the caller, so that positivity needs no bounds.
//
// Pure C++: no PostgreSQL header. Cancellation reaches this code only through
// OptimizerOptions::check_interrupt, a callback that may throw; the exception is carried across NLopt's C
// frames and rethrown from minimize().
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace loyalty {

// Objective to minimise. When `gradient` is non-null it has x.size() elements and must be filled.
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>* gradient)>;

struct OptimizerOptions {
  bool use_gradient = true;           // the objective fills the gradient (L-BFGS); false: BOBYQA
  double relative_tolerance = 1e-10;  // on the objective value
  double parameter_tolerance = 1e-9;  // relative, on x
  int max_evaluations = 5000;
  double initial_step = 0.5;              // derivative-free methods only
  std::function<void()> check_interrupt;  // called once per evaluation; may throw to abandon the fit
};

struct OptimizerResult {
  std::vector<double> x;
  double value = 0;  // objective at x
  bool converged = false;
  int evaluations = 0;
  std::string status;  // NLopt's result, in words
  // NLopt's generic failure: L-BFGS's line search found no step that lowers the objective (at an optimum
  // approached closely, the objective's roundoff; the caller judges by the gradient).
  bool line_search_failed = false;
};

// Minimises `objective` from `start`. Never throws for a failed fit (converged = false says so); rethrows
// what the objective or check_interrupt threw.
OptimizerResult minimize(const Objective& objective, const std::vector<double>& start,
                         const OptimizerOptions& options = {});

// Central-difference gradient, for objectives without an analytic one (tests use it to check analytic ones).
std::vector<double> numeric_gradient(const std::function<double(const std::vector<double>&)>& f,
                                     const std::vector<double>& x, double relative_step = 1e-6);

}  // namespace loyalty
