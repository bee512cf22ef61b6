// The typed face of the model descriptions (model.hpp): fit, likelihood and predictions called with a model's
// own parameter struct (BgNbdParams, ...) and row type (SummaryRow, ...), which select the model. Each model
// header specialises ModelTraits for its parameter struct; everything else is here, once.
//
// Pure C++: no PostgreSQL header.
#pragma once

#include <array>
#include <cstring>
#include <functional>
#include <type_traits>
#include <vector>

#include "model.hpp"
#include "penalized_fit.hpp"

namespace loyalty {

// Specialised by each model header through LOYALTY_MODEL: `using Row = ...;` and `static const
// ModelDescription& model();`.
template <class Params>
struct ModelTraits;

// Declares the model's description (defined in its core file), makes `Params`, with rows of type `RowType`,
// select it in the functions below, and names its fit result type.
#define LOYALTY_MODEL(Params, RowType, description, FitName)       \
  extern const ModelDescription description;                       \
  template <>                                                      \
  struct ModelTraits<Params> {                                     \
    using Row = RowType;                                           \
    static const ModelDescription& model() { return description; } \
  };                                                               \
  using FitName = Fit<Params>

template <class Params>
struct Fit {
  Params params;
  FitReport report;
};

template <class Params>
constexpr int parameter_count_of() {
  static_assert(std::is_standard_layout<Params>::value && sizeof(Params) % sizeof(double) == 0,
                "a parameter struct is a plain list of doubles");
  return static_cast<int>(sizeof(Params) / sizeof(double));
}

template <class Params>
ModelParameters parameter_array(const Params& params) {
  ModelParameters values{};
  std::memcpy(values.data(), &params, sizeof(Params));
  return values;
}

template <class Params>
Params parameter_struct(const ModelParameters& values) {
  static_assert(std::is_trivially_copyable_v<Params>, "a parameter struct is plain doubles");
  Params params;
  // The struct's default member initialisers make it non-trivial to construct, not to copy: memcpy is sound.
  std::memcpy(static_cast<void*>(&params), values.data(), sizeof(Params));
  return params;
}

template <class Row>
std::vector<ModelRow> model_rows(const std::vector<Row>& rows) {
  std::vector<ModelRow> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(to_model_row(row));
  return out;
}

template <class Params>
using RowsOf = std::vector<typename ModelTraits<Params>::Row>;

// The parameters as an array, validated (the one message format of validate_parameters).
template <class Params>
ModelParameters checked_parameters(const Params& params) {
  const ModelParameters values = parameter_array(params);
  validate_parameters(ModelTraits<Params>::model(), values.data());
  return values;
}

// Maximum-likelihood fit (penalized_fit.hpp).
template <class Params>
Fit<Params> fit(const RowsOf<Params>& rows, const FitOptions& options = {}) {
  const ModelFit result = fit_model(ModelTraits<Params>::model(), model_rows(rows), options);
  return {parameter_struct<Params>(result.params), result.report};
}

// Total weighted log-likelihood, and its gradient in the natural parameters when `gradient` is non-null.
// Throws std::invalid_argument for invalid parameters or rows, or no rows.
template <class Params>
double log_likelihood(const Params& params, const RowsOf<Params>& rows, double* gradient = nullptr,
                      const std::function<void()>& check_interrupt = {}) {
  const ModelDescription& model = ModelTraits<Params>::model();
  const ModelParameters values = checked_parameters(params);
  const std::vector<ModelRow> model_input = model_rows(rows);
  validate_rows(model, model_input);
  return model.prepare(model_input)->log_likelihood(values.data(), gradient, check_interrupt);
}

template <class Params>
std::array<double, parameter_count_of<Params>()> log_likelihood_gradient(const Params& params,
                                                                         const RowsOf<Params>& rows) {
  std::array<double, parameter_count_of<Params>()> gradient{};
  log_likelihood(params, rows, gradient.data());
  return gradient;
}

// The predictions of model.hpp.
template <class Params>
double p_alive(const Params& params, double x, double t_x, double T) {
  return ModelTraits<Params>::model().p_alive(checked_parameters(params).data(), x, t_x, T);
}
template <class Params>
double expected_purchases(const Params& params, double x, double t_x, double T, double horizon) {
  return ModelTraits<Params>::model().expected_purchases(checked_parameters(params).data(), x, t_x, T,
                                                         horizon);
}
template <class Params>
double expected_purchases_unconditional(const Params& params, double t) {
  return ModelTraits<Params>::model().expected_purchases_unconditional(checked_parameters(params).data(), t);
}
template <class Params>
double probability_of_purchases(const Params& params, double t, int k) {
  return ModelTraits<Params>::model().probability_of_purchases(checked_parameters(params).data(), t, k);
}

}  // namespace loyalty
