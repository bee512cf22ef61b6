#include "model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "number_text.hpp"

namespace loyalty {

void validate_parameters(const char* label, const char* const* names, const double* params, int count) {
  for (int i = 0; i < count; ++i)
    if (!std::isfinite(params[i]) || params[i] <= 0)
      throw std::invalid_argument(std::string(label) + " parameter " + names[i] +
                                  " must be positive and finite, got " + number_text(params[i]));
}

void validate_parameters(const ModelDescription& model, const double* params) {
  validate_parameters(model.label, model.parameter_names, params, model.parameter_count);
}

double finite_prediction(double value, const char* label, const char* what, const char* const* names,
                         int count, const double* params, const std::string& context) {
  if (std::isfinite(value)) return value;
  std::string message = std::string(label) + " " + what + " is out of range for the parameters (";
  for (int i = 0; i < count; ++i)
    message += (i ? ", " : "") + std::string(names[i]) + " " + number_text(params[i]);
  throw std::out_of_range(message + ")" + context);
}

void validate_rows(const ModelDescription& model, const std::vector<ModelRow>& rows) {
  if (rows.empty())
    throw std::invalid_argument(std::string(model.label) + " needs at least one customer row");
  for (const ModelRow& row : rows) model.validate_row(row);
}

RowMeans row_means(const std::vector<ModelRow>& rows) {
  RowMeans means{0, 0, 0, 0};
  for (const ModelRow& row : rows) {
    means.customers += row.weight;
    means.x += row.weight * row.key[0];
    means.monetary += row.weight * row.key[1];
    means.t += row.weight * row.key[2];
  }
  means.x /= means.customers;
  means.monetary /= means.customers;
  means.t /= means.customers;
  return means;
}

void unit_parameters(const std::vector<ModelRow>&, double* params) {
  std::fill(params, params + kMaxModelParameters, 1.0);
}

}  // namespace loyalty
