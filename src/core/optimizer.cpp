#include "optimizer.hpp"

#include <cmath>
#include <exception>
#include <memory>

#include <nlopt.h>

namespace loyalty {
namespace {

struct CallContext {
  const Objective* objective;
  const OptimizerOptions* options;
  std::vector<double> x;
  std::vector<double> gradient;
  int evaluations = 0;
  std::exception_ptr error;  // thrown inside the callback; rethrown once NLopt has returned
  nlopt_opt opt = nullptr;
};

// NLopt is C: no exception may unwind through it. Catch, force a stop, rethrow later.
double trampoline(unsigned n, const double* x, double* grad, void* data) {
  auto* ctx = static_cast<CallContext*>(data);
  // After a forced stop some NLopt algorithms still evaluate a few points: do no more work.
  if (ctx->error) return HUGE_VAL;
  try {
    ++ctx->evaluations;
    if (ctx->options->check_interrupt) ctx->options->check_interrupt();
    ctx->x.assign(x, x + n);
    double value = (*ctx->objective)(ctx->x, grad ? &ctx->gradient : nullptr);
    if (grad) {
      for (unsigned i = 0; i < n; ++i) grad[i] = ctx->gradient[i];
    }
    // A non-finite value tells the optimiser this point is unusable; L-BFGS backtracks from +inf.
    if (!std::isfinite(value)) return HUGE_VAL;
    return value;
  } catch (...) {
    ctx->error = std::current_exception();
    nlopt_force_stop(ctx->opt);
    return HUGE_VAL;
  }
}

const char* describe(nlopt_result r) {
  switch (r) {
    case NLOPT_SUCCESS:
      return "success";
    case NLOPT_STOPVAL_REACHED:
      return "stop value reached";
    case NLOPT_FTOL_REACHED:
      return "objective tolerance reached";
    case NLOPT_XTOL_REACHED:
      return "parameter tolerance reached";
    case NLOPT_MAXEVAL_REACHED:
      return "evaluation limit reached";
    case NLOPT_MAXTIME_REACHED:
      return "time limit reached";
    case NLOPT_FAILURE:
      return "optimiser failure";
    case NLOPT_INVALID_ARGS:
      return "invalid optimiser arguments";
    case NLOPT_OUT_OF_MEMORY:
      return "optimiser out of memory";
    case NLOPT_ROUNDOFF_LIMITED:
      return "limited by roundoff";
    case NLOPT_FORCED_STOP:
      return "stopped";
    default:
      return "unknown optimiser result";
  }
}

}  // namespace

OptimizerResult minimize(const Objective& objective, const std::vector<double>& start,
                         const OptimizerOptions& options) {
  const unsigned n = static_cast<unsigned>(start.size());
  CallContext ctx;
  ctx.objective = &objective;
  ctx.options = &options;
  ctx.gradient.assign(n, 0.0);

  ctx.opt = nlopt_create(options.use_gradient ? NLOPT_LD_LBFGS : NLOPT_LN_BOBYQA, n);
  if (!ctx.opt) throw std::bad_alloc();
  // Owns the optimiser from here on: destroyed however this function is left (the vectors below may throw).
  const std::unique_ptr<nlopt_opt_s, void (*)(nlopt_opt)> owner(ctx.opt, nlopt_destroy);
  nlopt_set_min_objective(ctx.opt, trampoline, &ctx);
  nlopt_set_ftol_rel(ctx.opt, options.relative_tolerance);
  nlopt_set_xtol_rel(ctx.opt, options.parameter_tolerance);
  nlopt_set_maxeval(ctx.opt, options.max_evaluations);
  if (!options.use_gradient) nlopt_set_initial_step1(ctx.opt, options.initial_step);

  OptimizerResult result;
  result.x = start;
  double value = HUGE_VAL;
  nlopt_result status = nlopt_optimize(ctx.opt, result.x.data(), &value);
  if (ctx.error) std::rethrow_exception(ctx.error);

  result.value = value;
  result.evaluations = ctx.evaluations;
  result.status = describe(status);
  result.line_search_failed = status == NLOPT_FAILURE;
  // Roundoff-limited means L-BFGS could not improve further at double precision: at a smooth optimum that
  // is convergence, provided the point itself is finite.
  result.converged =
      std::isfinite(value) &&
      (status == NLOPT_SUCCESS || status == NLOPT_FTOL_REACHED || status == NLOPT_XTOL_REACHED ||
       status == NLOPT_STOPVAL_REACHED || status == NLOPT_ROUNDOFF_LIMITED);
  return result;
}

std::vector<double> numeric_gradient(const std::function<double(const std::vector<double>&)>& f,
                                     const std::vector<double>& x, double relative_step) {
  std::vector<double> g(x.size());
  std::vector<double> p = x;
  for (size_t i = 0; i < x.size(); ++i) {
    double h = relative_step * std::max(1.0, std::fabs(x[i]));
    p[i] = x[i] + h;
    double up = f(p);
    p[i] = x[i] - h;
    double down = f(p);
    p[i] = x[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

}  // namespace loyalty
