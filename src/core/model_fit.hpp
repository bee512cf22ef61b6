// What every maximum-likelihood model fit in the core takes and reports.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <functional>
#include <string>

namespace loyalty {

struct FitOptions {
  // L2 penalty on the parameters, as the lifetimes library defines it: the objective minimised is
  // -LL/N + penalizer * sum(params^2), with N the number of customers. 0 = plain maximum likelihood.
  double penalizer = 0;
  int max_evaluations = 5000;
  // Called once per likelihood evaluation; may throw to abandon the fit (query cancel, statement_timeout).
  std::function<void()> check_interrupt;
};

struct FitReport {
  double log_likelihood = 0;  // total over customers, in the data's own time unit (the papers' convention)
  double customers = 0;       // sum of row weights
  bool converged = false;
  int iterations = 0;  // objective evaluations
  std::string status;  // the optimiser's words
};

}  // namespace loyalty
