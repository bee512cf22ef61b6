#include "penalized_fit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "fit_diagnostics.hpp"
#include "number_text.hpp"
#include "optimizer.hpp"

namespace loyalty {
namespace {

// The convergence definition of penalized_fit.hpp, in numbers.
constexpr double kRelativeTolerance = 1e-14;    // on the objective
constexpr double kParameterTolerance = 1e-12;   // relative, on u
constexpr double kGradientTolerance = 1e-5;     // on max |d objective / du|, the objective being per customer
constexpr int kRounds = 3;                      // the first run and up to two restarts
const double kMaxLogGrowth = std::log(1000.0);  // above the reference: the boundary-walk test
// Trial points this far from the reference (a factor 1e6 either way) are not evaluated: L-BFGS's first line
// searches may try absurd extrapolations, and some likelihoods cost seconds there (Pareto/NBD's 2F1 as
// alpha/beta -> 0 or infinity; measured: one evaluation at r = e^22, beta = e^-7 took 29 s on 3,000 rows).
const double kMaxLogDistance = std::log(1e4);

// L-BFGS's own tests judge by the objective's value, which is roundoff noise near the optimum (see
// polish_with_newton_step): a point whose gradient is this small is as good as the optimiser can make it, and
// the Newton step finishes the job. Stopping there saves the evaluations spent wandering in noise (measured,
// BG/NBD on 100,000 customers with row-wise sums: 44 evaluations -> 15).
constexpr double kStopGradient = 1e-8;

// Thrown by the objective to stop the optimiser when its best point has walked towards the boundary.
struct BoundaryWalk {
  int parameter;
};

// Thrown by the objective to stop the optimiser at a point whose gradient is below kStopGradient.
struct SmallGradient {
  std::vector<double> u;
};

// -LL/N + penalizer * sum(theta^2) over u = log(theta), watching the best point for a boundary walk.
class PenalizedObjective {
 public:
  PenalizedObjective(const ModelDescription& model, PreparedRows& data, const FitOptions& options,
                     const std::vector<double>& log_reference)
      : model_(model), data_(data), options_(options), log_reference_(log_reference) {}

  double operator()(const std::vector<double>& u, std::vector<double>* gradient) {
    const int k = model_.parameter_count;
    double theta[kMaxModelParameters];
    for (int i = 0; i < k; ++i) {
      theta[i] = std::exp(u[i]);
      if (!(std::fabs(u[i] - log_reference_[i]) < kMaxLogDistance) || !std::isnormal(theta[i])) {
        if (gradient) std::fill(gradient->begin(), gradient->end(), 0.0);
        return HUGE_VAL;
      }
    }
    const double n = data_.customers();
    // The point evaluated last is asked for again by the checks after the optimiser (the gradient test, the
    // reported log-likelihood): the same value, without another pass over the rows.
    const bool cached = have_last_ && u == last_u_ && (!gradient || last_has_gradient_);
    if (!cached) {
      have_last_ = false;  // until the evaluation below has finished (it may throw half-way)
      last_ll_ = data_.log_likelihood(theta, gradient ? last_g_ : nullptr, options_.check_interrupt);
      last_u_ = u;
      last_has_gradient_ = gradient != nullptr;
      have_last_ = true;
    }
    const double ll = last_ll_;
    const double* g = last_g_;
    double value = -ll / n;
    for (int i = 0; i < k; ++i) value += options_.penalizer * theta[i] * theta[i];
    if (gradient)
      for (int i = 0; i < k; ++i) (*gradient)[i] = theta[i] * (-g[i] / n + 2 * options_.penalizer * theta[i]);
    if (!std::isfinite(value)) return HUGE_VAL;
    if (watching_) ++evaluations_;
    if (watching_ && value < best_) {
      best_ = value;
      best_u_ = u;
      for (int i = 0; i < k; ++i)
        if (u[i] - log_reference_[i] > kMaxLogGrowth) throw BoundaryWalk{i};
    }
    if (watching_ && gradient) {
      double norm = 0;
      for (int i = 0; i < k; ++i) norm = std::max(norm, std::fabs((*gradient)[i]));
      if (norm <= kStopGradient) throw SmallGradient{u};
    }
    return value;
  }

  // Watch the points the optimiser tries (and only those: not the checks after it has stopped).
  void watch(bool on) { watching_ = on; }
  const std::vector<double>& best_u() const { return best_u_; }
  int evaluations() const { return evaluations_; }  // finite points tried while watching
  // The log-likelihood at u when u is the point evaluated last, else NaN.
  double log_likelihood_at(const std::vector<double>& u) const {
    return have_last_ && u == last_u_ ? last_ll_ : std::nan("");
  }

 private:
  const ModelDescription& model_;
  PreparedRows& data_;
  const FitOptions& options_;
  std::vector<double> log_reference_;
  bool watching_ = false;
  int evaluations_ = 0;
  double best_ = HUGE_VAL;
  std::vector<double> best_u_;
  bool have_last_ = false, last_has_gradient_ = false;
  std::vector<double> last_u_;
  double last_ll_ = 0, last_g_[kMaxModelParameters] = {};
};

struct Minimum {
  std::vector<double> u;
  OptimizerResult result;
  int evaluations = 0;
  double gradient_norm = HUGE_VAL;
  int walked = -1;  // the parameter that walked towards the boundary, or -1
};

double gradient_norm(PenalizedObjective& objective, const std::vector<double>& u) {
  std::vector<double> g(u.size(), 0.0);
  const double value = objective(u, &g);
  double norm = std::isfinite(value) ? 0.0 : HUGE_VAL;
  for (double gi : g) norm = std::max(norm, std::fabs(gi));
  return std::isfinite(norm) ? norm : HUGE_VAL;
}

// L-BFGS from u, restarted (fresh curvature memory) while the gradient is not small: L-BFGS may stop on its
// objective tolerance a little short of the optimum, and a restart from there settles it in a few
// evaluations.
Minimum minimize_with_restarts(PenalizedObjective& objective, std::vector<double> u, int max_evaluations,
                               const FitOptions& options) {
  OptimizerOptions optimizer;
  optimizer.use_gradient = true;
  optimizer.relative_tolerance = kRelativeTolerance;
  optimizer.parameter_tolerance = kParameterTolerance;
  optimizer.check_interrupt = options.check_interrupt;
  const Objective function = [&](const std::vector<double>& x, std::vector<double>* g) {
    return objective(x, g);
  };
  Minimum out;
  out.u = std::move(u);
  for (int round = 0; round < kRounds && out.evaluations < max_evaluations; ++round) {
    optimizer.max_evaluations = max_evaluations - out.evaluations;
    objective.watch(true);
    const int before = objective.evaluations();
    try {
      out.result = minimize(function, out.u, optimizer);
    } catch (const BoundaryWalk& walk) {
      objective.watch(false);
      out.walked = walk.parameter;
      out.u = objective.best_u();
      out.result = OptimizerResult{};
      out.result.status = "stopped";
      out.evaluations += objective.evaluations() - before;  // the optimiser's own count went with it
      return out;
    } catch (const SmallGradient& small) {
      out.result = OptimizerResult{};
      out.result.x = small.u;
      out.result.converged = true;
      out.result.status = "gradient small";
      out.result.evaluations = objective.evaluations() - before;
    }
    objective.watch(false);
    out.evaluations += out.result.evaluations;
    out.u = out.result.x;
    out.gradient_norm = gradient_norm(objective, out.u);
    if (out.gradient_norm <= kGradientTolerance) {
      // L-BFGS's line search fails (NLopt's generic failure) when no step improves the objective at double
      // precision, which is what happens at an optimum approached from a start already near it (a warm or
      // sampled start): with a small gradient at a finite point that is convergence, as roundoff-limited is.
      if (out.result.line_search_failed && std::isfinite(out.result.value)) {
        out.result.converged = true;
        out.result.status = "line search at roundoff level";
      }
      break;
    }
  }
  return out;
}

// About `target` rows drawn systematically in the cumulative weight, so that rows are drawn in proportion to
// the customers they hold, each carrying the weight it stands for.
std::vector<ModelRow> systematic_sample(const std::vector<ModelRow>& rows, double customers,
                                        std::size_t target) {
  const double step = customers / static_cast<double>(target);
  std::vector<ModelRow> sample;
  sample.reserve(target);
  double cumulative = 0, next_point = step / 2;
  for (const ModelRow& row : rows) {
    cumulative += row.weight;
    int points = 0;
    for (; next_point < cumulative; next_point += step) ++points;
    if (points > 0) {
      sample.push_back(row);
      sample.back().weight = points * step;
    }
  }
  return sample;
}

// The largest number of customers a fit counts exactly (2^53: doubles hold every whole number up to it, and
// the SQL composite's bigint `customers` field holds it).
constexpr double kMaxCustomers = 9007199254740992.0;

std::string row_text(const ModelDescription& model, const ModelRow& row) {
  static const char* const kKeyNames[][3] = {{"frequency", "recency", "t"},
                                             {"frequency", "recency", "n_periods"},
                                             {"frequency", "monetary", nullptr},
                                             {"tenure", "churned", nullptr}};
  const char* const* names = kKeyNames[static_cast<int>(model.row_kind)];
  std::string text = "(";
  for (int i = 0; i < 3 && names[i]; ++i)
    text += (i ? ", " : "") + std::string(names[i]) + " " + number_text(row.key[i]);
  return text + ")";
}

// Called when the total log-likelihood at `params` is not finite: names the first row whose own
// log-likelihood is not, whose values are out of the range the model's likelihood can represent (22003).
[[noreturn]] void reject_overflowing_rows(const ModelDescription& model, const std::vector<ModelRow>& rows,
                                          const double* params, const FitOptions& options) {
  std::size_t count = 0;
  for (const ModelRow& row : rows) {
    if (options.check_interrupt && ++count % 4096 == 0) options.check_interrupt();
    if (!std::isfinite(model.row_log_likelihood(params, row, nullptr)))
      throw std::out_of_range(
          std::string(model.label) + " fit: the row " + row_text(model, row) +
          " is out of the range of the model's likelihood (its log-likelihood is not finite)");
  }
  throw std::out_of_range(std::string(model.label) +
                          " fit: the log-likelihood of the rows is out of the range of double precision");
}

std::vector<double> logs(const double* values, int count) {
  std::vector<double> out(count);
  for (int i = 0; i < count; ++i) out[i] = std::log(values[i]);
  return out;
}

void check_options(const FitOptions& options) {
  check_penalizer(options.penalizer);
  if (options.max_evaluations < 1)
    throw std::invalid_argument("max_evaluations must be positive (got " +
                                std::to_string(options.max_evaluations) + ")");
}

// One Newton step from the optimiser's optimum, kept when it lowers the gradient without raising the
// objective beyond its roundoff. Why: near the optimum the objective's value is noise (sums of 1e5 rows'
// log-likelihoods carry ~1e-12 relative roundoff, and the in-memory fit's grouped sums and the distributed
// fit's row-wise sums round differently), so L-BFGS, which judges by value, stops anywhere in a noise-flat
// region; along a flat ridge of the likelihood (Pareto/NBD's s and beta; measured on 100,000 customers) that
// left the estimates uncertain in the fifth digit, and fits of the same data from two starts differed by 3e-5
// relative. The analytic gradient is accurate there, and Newton's step on it (quadratic convergence) settles
// the estimates to ~1e-12. The Hessian is the one the identifiability test needs anyway: the step costs two
// evaluations.
void polish_with_newton_step(const Objective& function, const std::vector<double>& hessian, Minimum& fit) {
  const std::size_t k = fit.u.size();
  std::vector<double> g(k, 0.0);
  const double value = function(fit.u, &g);
  const std::vector<double> step = newton_step(hessian, g);
  if (step.empty() || !std::isfinite(value)) return;
  std::vector<double> polished(k), polished_g(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) polished[i] = fit.u[i] + step[i];
  const double polished_value = function(polished, &polished_g);
  double norm = 0;
  for (double gi : polished_g) norm = std::max(norm, std::fabs(gi));
  if (std::isfinite(polished_value) && polished_value <= value + 1e-10 * std::fabs(value) &&
      norm < fit.gradient_norm) {
    fit.u = polished;
    fit.gradient_norm = norm;
  }
}

// The optimisation from u and its report: the part of every fit after the data are prepared and the start
// chosen. `rows` (may be null when only the caller can evaluate the data) names an overflowing row.
ModelFit fit_from(const ModelDescription& model, PreparedRows& data, std::vector<double> u,
                  const std::vector<double>& log_reference, int evaluations, const FitOptions& options,
                  const std::vector<ModelRow>* rows) {
  const int k = model.parameter_count;
  const double n = data.customers();
  PenalizedObjective objective(model, data, options, log_reference);
  Minimum fit =
      minimize_with_restarts(objective, u, std::max(1, options.max_evaluations - evaluations), options);
  evaluations += fit.evaluations;
  const Objective function = [&](const std::vector<double>& x, std::vector<double>* g) {
    return objective(x, g);
  };
  const bool optimiser_converged =
      fit.walked < 0 && fit.result.converged && fit.gradient_norm <= kGradientTolerance;
  std::vector<double> hessian;
  if (optimiser_converged) {
    hessian = objective_hessian(function, fit.u);
    polish_with_newton_step(function, hessian, fit);
  }

  ModelFit out;
  bool finite = true;
  for (int i = 0; i < k; ++i) {
    out.params[i] = std::exp(fit.u[i]);
    finite = finite && std::isnormal(out.params[i]);
  }
  out.report.customers = n;
  out.report.iterations = evaluations;
  out.report.log_likelihood = objective.log_likelihood_at(fit.u);
  if (finite && std::isnan(out.report.log_likelihood))
    out.report.log_likelihood = data.log_likelihood(out.params.data(), nullptr, options.check_interrupt);
  if (!finite) out.report.log_likelihood = std::nan("");
  // Never a non-finite model: the optimiser only accepts finite points, so this is a row that overflows away
  // from the start.
  if (!finite || !std::isfinite(out.report.log_likelihood)) {
    if (finite && rows) reject_overflowing_rows(model, *rows, out.params.data(), options);
    throw std::out_of_range(std::string(model.label) +
                            " fit: the estimates are out of the range of double precision");
  }
  out.report.status = fit.result.status;
  if (fit.walked >= 0) {
    out.report.converged = false;
    out.report.status =
        std::string("parameters diverged (") + model.parameter_names[fit.walked] +
        " grew without bound): the data do not identify the parameters, the likelihood has no "
        "interior maximum";
    return out;
  }
  out.report.converged = optimiser_converged;
  if (fit.result.converged && fit.gradient_norm > kGradientTolerance)
    out.report.status +=
        "; gradient not small at the end (max |gradient| " + number_text(fit.gradient_norm) + ")";
  if (out.report.converged && !parameters_identified(hessian, n)) {
    out.report.converged = false;
    out.report.status += "; the data do not identify the parameters (flat likelihood at the estimates)";
  }
  return out;
}

}  // namespace

void check_penalizer(double penalizer) {
  if (!(std::isfinite(penalizer) && penalizer >= 0))
    throw std::invalid_argument("penalizer must be non-negative and finite (got " + number_text(penalizer) +
                                ")");
}

ModelFit fit_model(const ModelDescription& model, const std::vector<ModelRow>& rows,
                   const FitOptions& options) {
  check_options(options);
  if (rows.empty()) validate_rows(model, rows);  // its one message for no rows
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (options.check_interrupt && (i & 0xFFFF) == 0xFFFF) options.check_interrupt();
    model.validate_row(rows[i]);
  }
  const int k = model.parameter_count;
  std::unique_ptr<PreparedRows> data = model.prepare(rows);
  if (options.check_interrupt) options.check_interrupt();  // preparing millions of rows takes a moment
  const double n = data->customers();
  if (!(n <= kMaxCustomers))
    throw std::out_of_range(std::string(model.label) + " fit: more than 2^53 customers (" + number_text(n) +
                            ")");
  double start[kMaxModelParameters], reference[kMaxModelParameters];
  model.start(rows, start);
  model.reference(rows, reference);
  for (int i = 0; i < k; ++i)
    if (!std::isnormal(start[i]) || !std::isnormal(reference[i])) {
      // The means of the rows overflow: name the row with the largest value.
      const ModelRow* largest = &rows.front();
      auto size = [](const ModelRow& r) {
        return std::max({std::fabs(r.key[0]), std::fabs(r.key[1]), std::fabs(r.key[2])});
      };
      for (const ModelRow& row : rows)
        if (size(row) > size(*largest)) largest = &row;
      throw std::out_of_range(std::string(model.label) + " fit: the row " + row_text(model, *largest) +
                              " is out of the range of the model's likelihood (the rows' means overflow)");
    }
  // A row whose values overflow the likelihood (e.g. t = 1e308) would leave the optimiser nowhere to go and
  // the model non-finite: 22003 naming it, before any work. With a warm start the subsample is checked here
  // and the other rows once the fit ends (a non-finite log-likelihood there names the row the same way),
  // which saves a pass over all rows.
  const bool warm_start = model.warm_start_rows > 0 && data->distinct_rows() > 4 * model.warm_start_rows;
  const std::vector<ModelRow> sample =
      warm_start ? systematic_sample(rows, n, model.warm_start_rows) : std::vector<ModelRow>();
  std::unique_ptr<PreparedRows> warm_data = warm_start ? model.prepare(sample) : nullptr;
  if (!std::isfinite(
          (warm_start ? *warm_data : *data).log_likelihood(start, nullptr, options.check_interrupt)))
    reject_overflowing_rows(model, warm_start ? sample : rows, start, options);
  const std::vector<double> log_reference = logs(reference, k);
  std::vector<double> u = logs(start, k);

  // Warm start: the first evaluations of L-BFGS are far from the optimum, where some likelihoods are slow
  // (Pareto/NBD's 2F1 series as z -> 1); a subsample gets there for a few per cent of the cost (measured for
  // Pareto/NBD: 2.3 s -> 0.6-0.9 s for 100,000 heavy-buyer customers).
  int evaluations = 0;
  if (warm_start) {
    PenalizedObjective warm_objective(model, *warm_data, options, log_reference);
    const Minimum warm = minimize_with_restarts(warm_objective, u, options.max_evaluations, options);
    evaluations += warm.evaluations;
    // Converged: the full fit starts near the optimum. Walked towards the boundary: the full data are
    // evaluated where the subsample's walk stopped, which is beyond the boundary-walk threshold, so the full
    // fit stops there at its first evaluation (converged = false) instead of repeating the walk on all rows
    // (measured: 26 s -> 2 s for 100,000 Pareto/NBD customers who never stop buying).
    if (warm.result.converged || warm.walked >= 0) u = warm.u;
  }
  return fit_from(model, *data, std::move(u), log_reference, evaluations, options, &rows);
}

ModelFit fit_model_from(const ModelDescription& model, PreparedRows& data, const double* start,
                        const double* reference, const FitOptions& options) {
  check_options(options);
  const int k = model.parameter_count;
  for (int i = 0; i < k; ++i)
    if (!std::isnormal(start[i]) || start[i] < 0 || !std::isnormal(reference[i]) || reference[i] < 0)
      throw std::invalid_argument(std::string(model.label) +
                                  " fit: the start and reference parameters must be positive and finite");
  if (!(data.customers() > 0)) throw std::invalid_argument(std::string(model.label) + " fit: no customers");
  if (!(data.customers() <= kMaxCustomers))
    throw std::out_of_range(std::string(model.label) + " fit: more than 2^53 customers (" +
                            number_text(data.customers()) + ")");
  if (!std::isfinite(data.log_likelihood(start, nullptr, options.check_interrupt)))
    throw std::out_of_range(std::string(model.label) +
                            " fit: the log-likelihood at the start is out of the range of double precision");
  return fit_from(model, data, logs(start, k), logs(reference, k), 0, options, nullptr);
}

}  // namespace loyalty
