// One description per model: everything the fit driver, the likelihood aggregates, the predictions, the
// simulator and the SQL binding need to know about a model, in one value (ModelDescription). Each model's
// core file defines its description; model_registry.cpp lists them, keyed by the SQL type of the fitted model
// ("bgnbd_model", ...), which is how the binding dispatches. docs/contributing.md says how to add a model.
//
// Every parameter of every model is positive and finite; parameters travel as a plain array in the order of
// parameter_names (the order of the SQL composite's fields).
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model_fit.hpp"

namespace loyalty {

constexpr int kMaxModelParameters = 4;
using ModelParameters = std::array<double, kMaxModelParameters>;  // the first parameter_count are used

// What the three numbers of a ModelRow mean.
enum class RowKind {
  continuous,  // (frequency x, recency t_x, T): BG/NBD, MBG/NBD, Pareto/NBD
  discrete,    // (frequency x, recency t_x, periods n), whole numbers of opportunities: BG/BB
  spend,       // (frequency x >= 1, mean spend m, 0): Gamma-Gamma
  contract,    // (tenure, churned 1 or 0, 0): sBG
};

// One input row of any model, standing for `weight` identical customers.
struct ModelRow {
  double key[3] = {0, 0, 0};
  double weight = 1;
};

// Rows made ready for many likelihood evaluations: each model groups or merges them so that the work that
// depends on few distinct values (gamma functions per frequency, series per (x, t)) is done once per
// evaluation.
class PreparedRows {
 public:
  virtual ~PreparedRows() = default;
  virtual double customers() const = 0;  // sum of the weights
  virtual std::size_t distinct_rows() const = 0;
  // Total weighted log-likelihood at the natural parameters; fills d LL / d parameter when `gradient` is
  // non-null. `check_interrupt` (may be empty) is called now and then; it may throw.
  virtual double log_likelihood(const double* params, double* gradient,
                                const std::function<void()>& check_interrupt) = 0;
};

// A simulated customer, whatever the model (discrete-time models put the periods n in `t`; sBG puts its
// tenure in `t` and churned = !alive).
struct SimulatedRow {
  double frequency, recency, t, monetary;
  bool alive;
};

struct SimulationRequest {
  double horizon = 0;  // T (continuous time) or the number of periods (discrete time)
  std::size_t customers = 0;
  std::uint64_t seed = 0;
  bool simulate_spend = false;
  double spend[3] = {1, 1, 1};  // Gamma-Gamma p, q, v
  std::function<void()> check_interrupt;
};

struct ModelDescription {
  const char* sql_type;  // the SQL composite of a fitted model, e.g. "bgnbd_model": the dispatch key
  const char* label;     // the model in messages, e.g. "bg/nbd"
  int parameter_count;
  const char* const* parameter_names;  // parameter_count names (the literature's), in field order
  RowKind row_kind;

  // Throws std::invalid_argument naming the values unless the row is valid input for the model.
  void (*validate_row)(const ModelRow& row);
  // Validated rows made ready for evaluation.
  std::unique_ptr<PreparedRows> (*prepare)(const std::vector<ModelRow>& rows);
  // The optimiser's start and the reference point of the boundary-walk test (penalized_fit.hpp): both in the
  // data's own units (time scales from the mean purchase interval or observation length, spend scales from
  // the mean spend), so that neither depends on the unit the caller chose.
  void (*start)(const std::vector<ModelRow>& rows, double* params);
  void (*reference)(const std::vector<ModelRow>& rows, double* params);
  // Fit a systematic subsample of about this many rows first when there are more than four times as many
  // distinct rows (0: never); the full fit then starts near the optimum.
  std::size_t warm_start_rows;

  // One row's log-likelihood and, when `gradient` is non-null, its gradient, in one pass. The row must be
  // valid (validate_row), the parameters positive.
  double (*row_log_likelihood)(const double* params, const ModelRow& row, double* gradient);

  // Predictions, nullptr where the model has none. (x, t_x, T) is the customer's history (BG/BB: T = n).
  double (*p_alive)(const double* params, double x, double t_x, double T);
  double (*expected_purchases)(const double* params, double x, double t_x, double T, double horizon);
  double (*expected_purchases_unconditional)(const double* params, double t);
  double (*probability_of_purchases)(const double* params, double t, int k);

  // Customers drawn from the model's story (customer_simulator.hpp), nullptr where there is none.
  std::vector<SimulatedRow> (*simulate)(const double* params, const SimulationRequest& request);
};

// Throws std::invalid_argument unless the first model.parameter_count values are positive and finite; the
// one message format of every model: "<label> parameter <name> must be positive and finite, got <value>".
void validate_parameters(const ModelDescription& model, const double* params);
void validate_parameters(const char* label, const char* const* names, const double* params, int count);

// A prediction that is not a finite number although the parameters are positive and finite and the
// arguments valid: the parameters (or arguments) are so extreme that the value under/overflows every
// representation. Throws std::out_of_range (SQLSTATE 22003), "<label> <what> is out of range for the
// parameters (<name> <value>, ...)<context>"; returns the value otherwise.
double finite_prediction(double value, const char* label, const char* what, const char* const* names,
                         int count, const double* params, const std::string& context = "");

// A row-kind's validation for any model: "<label> needs at least one customer row" for no rows.
void validate_rows(const ModelDescription& model, const std::vector<ModelRow>& rows);

// Every model, in a fixed order; and the one whose SQL type is `sql_type` (nullptr when none).
const std::vector<const ModelDescription*>& model_descriptions();
const ModelDescription* find_model(const char* sql_type);

// Rows evaluated one by one, for models without a faster grouping: `Terms(params, with_gradient)` holds what
// an evaluation needs of the parameters alone (computed once per evaluation), `row(terms, row, gradient)` is
// one row's log-likelihood and gradient in one pass.
template <class Terms, double (*row)(const Terms&, const ModelRow&, double*), int parameter_count>
class RowsWithTerms : public PreparedRows {
 public:
  explicit RowsWithTerms(const std::vector<ModelRow>& rows) : rows_(rows) {
    for (const ModelRow& r : rows_) customers_ += r.weight;
  }
  double customers() const override { return customers_; }
  std::size_t distinct_rows() const override { return rows_.size(); }
  double log_likelihood(const double* params, double* gradient,
                        const std::function<void()>& check_interrupt) override {
    const Terms terms(params, gradient != nullptr);
    double total = 0, row_gradient[parameter_count];
    if (gradient)
      for (int i = 0; i < parameter_count; ++i) gradient[i] = 0;
    std::size_t count = 0;
    for (const ModelRow& r : rows_) {
      if (check_interrupt && ++count % 10000 == 0) check_interrupt();
      total += r.weight * row(terms, r, gradient ? row_gradient : nullptr);
      if (gradient)
        for (int i = 0; i < parameter_count; ++i) gradient[i] += r.weight * row_gradient[i];
    }
    return total;
  }

  static std::unique_ptr<PreparedRows> prepare(const std::vector<ModelRow>& rows) {
    return std::make_unique<RowsWithTerms>(rows);
  }
  static double row_log_likelihood(const double* params, const ModelRow& r, double* gradient) {
    return row(Terms(params, gradient != nullptr), r, gradient);
  }

 private:
  std::vector<ModelRow> rows_;
  double customers_ = 0;
};

// Weighted means of the rows' first key (the frequency x) and of their second (spend m) and third (T) keys.
struct RowMeans {
  double customers, x, monetary, t;
};
RowMeans row_means(const std::vector<ModelRow>& rows);

// Shapes at 1 (start and reference of the boundary-walk test) for models whose parameters are all shapes.
void unit_parameters(const std::vector<ModelRow>& rows, double* params);

}  // namespace loyalty
